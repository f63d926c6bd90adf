"""A problem that fires on many lines is kept as a count and its first 100 lines (memory stays
flat); --problem-lines streams every line to a CSV file."""

from __future__ import annotations

import csv
import json

from costcalc.read.requests import MAX_PROBLEM_LINES, Problem


def request(custom_id: str, model: str = "claude-haiku-4-5") -> str:
    params = {"model": model, "max_tokens": 10, "messages": [{"role": "user", "content": "hi"}]}
    return json.dumps({"custom_id": custom_id, "params": params}) + "\n"


def batch_file(tmp_path, n: int):
    # Every id has a dot (not allowed: letters, digits, _ and - only): custom_id_invalid on
    # lines 1..n; line n + 1 repeats line 1's id: custom_id_duplicate there as well.
    path = tmp_path / "b.jsonl"
    path.write_text("".join(request(f"t.{i}") for i in range(n)) + request("t.0"))
    return path


def test_problem_keeps_count_and_first_lines_in_order():
    p = Problem("stream")
    for line in [*range(5, 300), 3, 1, 2]:  # late arrivals among the first are kept in order
        p.add(line)
    assert p.count == 295 + 3
    assert p.lines == [1, 2, 3, *range(5, 5 + MAX_PROBLEM_LINES - 3)]
    assert len(p.lines) == MAX_PROBLEM_LINES == 100


def test_json_and_table_show_count_and_first_lines(cli, tmp_path):
    path = batch_file(tmp_path, 250)
    code, out, err = cli("check", str(path), "--format", "json")
    assert code == 0, err
    problems = {p["kind"]: p for p in json.loads(out)["problems"]}
    invalid = problems["custom_id_invalid"]
    assert invalid["count"] == 251  # 250 ids with a dot, and the repeated one
    assert invalid["lines"] == list(range(1, 101))
    assert problems["custom_id_duplicate"]["count"] == 1
    assert problems["custom_id_duplicate"]["lines"] == [251]
    code, out, err = cli("check", str(path))
    # Six lines shown, then the rest of the count: 251 - 6 = 245 more.
    assert "lines 1, 2, 3, 4, 5, 6 and 245 more" in " ".join(out.split())


def test_problem_lines_writes_every_line(cli, tmp_path):
    path = batch_file(tmp_path, 250)
    target = tmp_path / "problems.csv"
    code, _, err = cli("check", str(path), "--problem-lines", str(target), "--strict")
    assert code == 1, err  # --strict: problems found
    with target.open(newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["code", "line"]
    invalid = [int(line) for code, line in rows[1:] if code == "custom_id_invalid"]
    assert invalid == list(range(1, 252))
    assert [r for r in rows[1:] if r[0] != "custom_id_invalid"] == [["custom_id_duplicate", "251"]]
    assert "251 problem" not in err and "252 problems found" in err


def test_problem_lines_written_whole_or_not_at_all(cli, tmp_path):
    # Nothing can be priced (exit 2): the file is not written, and no temporary file is left.
    path = tmp_path / "b.jsonl"
    path.write_text(request("a", model="claude-nonesuch-9"))
    target = tmp_path / "problems.csv"
    code, _, err = cli("check", str(path), "--problem-lines", str(target))
    assert code == 2 and "nothing can be priced" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.jsonl"]
    # The input itself is refused as a target.
    code, _, err = cli("check", str(path), "--problem-lines", str(path))
    assert code == 2 and "also an input" in err


def test_problem_lines_from_a_pipe(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    repo = Path(__file__).resolve().parent.parent
    data = "".join(request(f"t.{i}") for i in range(3))
    target = tmp_path / "p.csv"
    done = subprocess.run(
        [sys.executable, "-m", "costcalc", "check", "-", "--problem-lines", str(target)],
        input=data,
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(repo)},
    )
    assert done.returncode == 0, done.stderr
    assert target.read_text().splitlines() == [
        "code,line",
        "custom_id_invalid,1",
        "custom_id_invalid,2",
        "custom_id_invalid,3",
    ]
