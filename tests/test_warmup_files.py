"""warmup's files: the primer and the 1h copy are written both or neither, and an input that can
be read only once (standard input, a FIFO, <(...)) is read once and still gives both."""

from __future__ import annotations

import json
import os
import shlex
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from costcalc.errors import CostcalcError
from costcalc.files.outputs import atomic_files

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 120  # a hang fails the test instead of stalling the suite (not a timed assertion)


def req(i: int) -> dict:
    # A 5,000-word system entry (5m) shared by every request: one primer, warm-1-1.
    return {
        "custom_id": f"r{i}",
        "params": {
            "model": "claude-opus-4-7",
            "max_tokens": 10,
            "system": [
                {
                    "type": "text",
                    "text": " ".join(["w"] * 5000),
                    "cache_control": {"type": "ephemeral"},
                }
            ],
            "messages": [{"role": "user", "content": f"q{i}"}],
        },
    }


GOOD = "".join(json.dumps(req(i)) + "\n" for i in range(3))
BAD = GOOD + "{not json\n"


def run(argv: list[str], tmpdir: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    # TMPDIR of its own, to see that the saved copy of a stream is removed.
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmpdir)}
    return subprocess.run(
        [sys.executable, "-m", "costcalc", "warmup", *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=TIMEOUT,
    )


def run_fifo(fifo: Path, text: str, argv: list[str], tmpdir: Path) -> subprocess.CompletedProcess:
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w") as w:  # blocks until warmup opens the FIFO
            w.write(text)

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        return run([str(fifo), *argv], tmpdir)
    finally:
        if writer.is_alive():  # warmup never opened it: let the writer go
            os.close(os.open(fifo, os.O_RDONLY | os.O_NONBLOCK))
        writer.join(TIMEOUT)


@pytest.fixture
def dirs(tmp_path):
    out, tmp = tmp_path / "out", tmp_path / "tmp"
    out.mkdir()
    tmp.mkdir()
    return out, tmp


def outputs(out: Path) -> list[str]:
    return ["--out", str(out / "p.jsonl"), "--ttl-1h", str(out / "c.jsonl"), "--format", "json"]


def test_bad_line_writes_neither_file_and_keeps_old_ones(dirs):
    out, tmp = dirs
    src = out / "b.jsonl"
    src.write_text(BAD)
    # An old primer at --out; nothing yet at --ttl-1h.
    (out / "p.jsonl").write_text("old primer\n")
    res = run([str(src), *outputs(out)], tmp)
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and "Traceback" not in res.stderr
    assert f"{src} item 4 is not a request" in res.stderr and "no file was written" in res.stderr
    assert (out / "p.jsonl").read_text() == "old primer\n"
    # No copy and no temporary file of either output.
    assert sorted(p.name for p in out.iterdir()) == ["b.jsonl", "p.jsonl"]
    assert src.read_text() == BAD
    (out / "p.jsonl").unlink()
    res = run([str(src), *outputs(out)], tmp)
    assert res.returncode == 2
    assert sorted(p.name for p in out.iterdir()) == ["b.jsonl"]


def _expected(dirs) -> tuple[dict, bytes, bytes]:
    """The report and both files from the same requests in a regular file."""
    out, tmp = dirs
    ref = out.parent / "ref"
    ref.mkdir()
    src = ref / "b.jsonl"
    src.write_text(GOOD)
    res = run([str(src), *outputs(ref)], tmp)
    assert res.returncode == 0, res.stderr
    report = json.loads(res.stdout)
    for key in ("file", "primer_file", "ttl_1h_copy"):
        report.pop(key)
    primer = (ref / "p.jsonl").read_bytes()
    # One primer for the shared entry, cut after its one block, at 1h, max_tokens 1.
    (line,) = primer.decode().splitlines()
    assert json.loads(line)["custom_id"] == "warm-1-1"
    assert json.loads(line)["params"]["max_tokens"] == 1
    return report, primer, (ref / "c.jsonl").read_bytes()


def _same(res: subprocess.CompletedProcess, out: Path, want: tuple[dict, bytes, bytes]) -> dict:
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    report = json.loads(res.stdout)
    name = report.pop("file")
    assert report.pop("primer_file") == str(out / "p.jsonl")
    assert report.pop("ttl_1h_copy") == str(out / "c.jsonl")
    assert report == want[0]
    assert (out / "p.jsonl").read_bytes() == want[1]
    assert (out / "c.jsonl").read_bytes() == want[2]
    return {"file": name}


def test_fifo_is_read_once(dirs):
    out, tmp = dirs
    want = _expected(dirs)
    fifo = out.parent / "in.fifo"
    got = _same(run_fifo(fifo, GOOD, outputs(out), tmp), out, want)
    assert got["file"] == str(fifo)  # the report names the FIFO, not the saved copy
    assert list(tmp.iterdir()) == []


def test_stdin_is_read_once(dirs):
    out, tmp = dirs
    want = _expected(dirs)
    got = _same(run(["-", *outputs(out)], tmp, stdin=GOOD), out, want)
    assert got["file"] == "-"
    assert list(tmp.iterdir()) == []


def test_process_substitution_is_read_once(dirs):
    out, tmp = dirs
    want = _expected(dirs)
    src = out.parent / "ref" / "b.jsonl"
    # Quoted: the checkout and tmp_path may be under a path with a space.
    argv = shlex.join(outputs(out))
    python, source = shlex.quote(sys.executable), shlex.quote(str(src))
    res = subprocess.run(
        ["bash", "-c", f"{python} -m costcalc warmup <(cat {source}) {argv}"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)},
        timeout=TIMEOUT,
    )
    assert _same(res, out, want)["file"].startswith("/dev/fd/")
    assert list(tmp.iterdir()) == []


def test_bad_line_in_a_fifo(dirs):
    out, tmp = dirs
    fifo = out.parent / "in.fifo"
    res = run_fifo(fifo, BAD, outputs(out), tmp)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    # The error names the FIFO, not the temporary copy it was read into.
    assert f"{fifo} item 4 is not a request" in res.stderr
    assert list(out.iterdir()) == [] and list(tmp.iterdir()) == []


def test_atomic_files_both_or_neither(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("old a")
    with pytest.raises(CostcalcError), atomic_files([a, b]) as (fa, fb):
        fa.write("new a")
        fb.write("half of b")
        raise CostcalcError("the second file cannot be finished")
    assert a.read_text() == "old a" and not b.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    with atomic_files([a, b]) as (fa, fb):
        fa.write("new a")
        fb.write("new b")
    assert a.read_text() == "new a" and b.read_text() == "new b"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "b.txt"]


def test_actual_with_batch_reads_streams_once(dirs):
    # actual --batch reads the results and the request file more than once (the comparison and
    # the cold-start misses); from standard input and a FIFO it gives what the files give.
    out, tmp = dirs
    results = "".join(
        json.dumps(
            {
                "custom_id": f"r{i}",
                "result": {
                    "type": "succeeded",
                    "message": {
                        "model": "claude-opus-4-7",
                        "usage": {
                            "input_tokens": 5,
                            "output_tokens": 3,
                            "cache_creation_input_tokens": 5000,
                            "cache_read_input_tokens": 0,
                        },
                    },
                },
            }
        )
        + "\n"
        for i in range(2)
    )
    (out / "r.jsonl").write_text(results)
    (out / "b.jsonl").write_text(GOOD)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp)}

    def actual(argv: list[str], stdin: str | None = None) -> dict:
        res = subprocess.run(
            [sys.executable, "-m", "costcalc", "actual", *argv, "--format", "json"],
            input=stdin,
            capture_output=True,
            text=True,
            env=env,
            timeout=TIMEOUT,
        )
        assert res.returncode == 0, res.stderr
        doc = json.loads(res.stdout)
        doc.pop("file")
        assert doc["comparison"].pop("estimate")["kind"] == "request_file"
        return doc

    want = actual([str(out / "r.jsonl"), "--batch", str(out / "b.jsonl")])
    # Both requests wrote the 5,000-word entry; the second could have read it: one miss.
    assert want["cold_start"]["matched_requests"] == 2
    assert want["cold_start"]["misses"] == 1
    fifo = out.parent / "b.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text(GOOD), daemon=True)
    writer.start()
    got = actual(["-", "--batch", str(fifo)], stdin=results)
    writer.join(TIMEOUT)
    assert got == want
    assert list(tmp.iterdir()) == []
