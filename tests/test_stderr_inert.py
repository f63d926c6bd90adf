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


def test_actual_csv_to_stdout_is_all_or_nothing(cli, tmp_path):
    # No line can be priced: exit 2, and stdout holds no half-written CSV.
    ok = {
        "custom_id": "a",
        "result": {
            "type": "succeeded",
            "message": {
                "model": "claude-opus-4-7",
                "usage": {"input_tokens": 10, "output_tokens": 5},
            },
        },
    }
    bad = {
        "custom_id": "b",
        "result": {
            "type": "succeeded",
            "message": {"model": "gpt-4", "usage": {"input_tokens": 10, "output_tokens": 5}},
        },
    }
    path = tmp_path / "r.jsonl"
    # Every line names an unknown model: nothing can be priced (exit 2, found at the end).
    path.write_text(json.dumps(bad) + "\n" + json.dumps(bad) + "\n")
    code, out, err = cli("actual", str(path), "--format", "csv")
    assert code == 2 and out == "" and "gpt-4" in err
    path.write_text(json.dumps(ok) + "\n")
    code, out, err = cli("actual", str(path), "--format", "csv")
    # 10 x $2.50 + 5 x $12.50 per MTok (Opus 4.7 batch) = 0.000025 + 0.0000625 = 0.0000875
    assert code == 0 and out.splitlines()[1].startswith("a,claude-opus-4-7,10,0,0,0,5,")
    assert "0.0000875" in out


def test_actual_with_a_fifo_never_waits_for_a_second_read(tmp_path):
    # Cold-start misses read both files again; a FIFO is saved once to a temporary file, so
    # the run finishes (no hang) and counts them as for a regular file.
    import os
    import subprocess
    import sys
    import threading
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    data = (repo / "examples" / "article_results.jsonl").read_bytes()

    def feed() -> None:
        with open(fifo, "wb") as f:
            f.write(data)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "costcalc",
            "actual",
            str(fifo),
            "--batch",
            str(repo / "examples" / "article_batch.jsonl"),
        ],
        capture_output=True,
        text=True,
        cwd=repo,
        timeout=60,
    )
    writer.join(5)
    assert done.returncode == 0, done.stderr
    assert "Cold-start misses: " in done.stdout and "give --batch" not in done.stdout
