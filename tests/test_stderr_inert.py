"""Text from a file never reaches the terminal as control characters, on stderr either."""

import json


def test_unknown_model_name_with_escape_codes_is_inert_on_stderr(cli, tmp_path):
    bad = {
        "model": "[bold]claude\x1b[2J-x",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}],
    }
    good = {**bad, "model": "claude-opus-4-7"}
    path = tmp_path / "inj.jsonl"
    path.write_text(
        json.dumps({"custom_id": "a", "params": bad})
        + "\n"
        + json.dumps({"custom_id": "b", "params": good})
        + "\n"
    )
    code, out, err = cli("check", str(path))
    assert code == 0
    assert "\x1b" not in err and "\x1b" not in out
    assert "claude\\x1b[2J-x" in err
