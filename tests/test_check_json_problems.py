"""check's JSON problems carry the figures they are about, not only English."""

import json


def test_problem_figures_in_json(cli, tmp_path):
    # Five breakpoints: the API takes at most 4 ("up to 4 cache breakpoints",
    # https://platform.claude.com/docs/en/build-with-claude/prompt-caching), so the request is
    # rejected; a second, valid request keeps the file priceable.
    cc = {"type": "ephemeral"}
    blocks = [{"type": "text", "text": f"part {i}", "cache_control": cc} for i in range(5)]
    bad = {
        "model": "claude-opus-4-7",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": blocks}],
    }
    good = {
        "model": "claude-opus-4-7",
        "max_tokens": 5,
        "messages": [{"role": "user", "content": "hi"}],
    }
    path = tmp_path / "b.jsonl"
    path.write_text(
        json.dumps({"custom_id": "a", "params": bad})
        + "\n"
        + json.dumps({"custom_id": "b", "params": good})
        + "\n"
    )
    code, out, err = cli("check", str(path), "--format", "json")
    assert code == 0, err
    problems = {p["code"]: p for p in json.loads(out)["problems"]}
    assert problems["breakpoints"]["figures"] == {"max": 4}
    assert problems["breakpoints"]["lines"] == [1]
