"""Fixes from a hostile review of the command line: a repeated --model, --problem-lines
against --out, suggestions that work when check is given results, help pointers, and the
number of a one-line result problem."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "examples" / "article_results.jsonl"
BATCH = REPO / "examples" / "article_batch.jsonl"
JOB = ["--requests", "1000", "--shared", "5000", "--budget", "1"]


def test_repeated_model_adds_models_so_the_budget_sees_every_one(cli):
    # Opus 4.7 batch_cache: 5000 x $3.125/M + 999 x 5000 x $0.25/M = $1.2644 > $1.
    repeated = cli("estimate", "--model", "opus-4.7", "--model", "haiku-4.5", *JOB)
    listed = cli("estimate", "--model", "opus-4.7,haiku-4.5", *JOB)
    assert repeated[0] == listed[0] == 1
    assert repeated == listed
    # At cents the three amounts subtract: $1.26 - $1.00 = $0.26 (the exact excess is $0.2644).
    assert "costs $1.26, budget $1.00, over by $0.26" in repeated[2]


def test_repeated_model_in_sweep_and_tokens(cli, tmp_path):
    code, out, _ = cli(
        "sweep",
        "--model",
        "opus-4.7",
        "--model",
        "haiku-4.5",
        "--requests",
        "10",
        "--format",
        "csv",
    )
    assert code == 0
    assert {line.split(",")[0] for line in out.splitlines()[1:]} == {"opus-4.7", "haiku-4.5"}
    text = tmp_path / "a.txt"
    text.write_text("hello world\n")
    assert cli("tokens", str(text), "--model", "opus-4.7", "--model", "haiku-4.5") == cli(
        "tokens", str(text), "--model", "opus-4.7,haiku-4.5"
    )


@pytest.mark.parametrize("models", [["opus-4.7", "haiku-4.5"], ["opus-4.7,haiku-4.5"]])
def test_actual_plan_model_is_one_model(cli, models):
    argv = [a for m in models for a in ("--model", m)]
    code, _, err = cli("actual", str(RESULTS), "--shared", "10", *argv)
    assert code == 2
    assert "--model: one model only, got opus-4.7, haiku-4.5" in err


def test_problem_lines_and_out_on_one_file_is_refused(cli, tmp_path):
    target = tmp_path / "x.csv"
    code, _, err = cli("check", str(BATCH), "--problem-lines", str(target), "--out", str(target))
    assert code == 2
    assert "--out and --problem-lines name the same file" in err
    assert not target.exists()


def test_unwritable_targets_name_their_own_option(cli):
    code, _, err = cli("check", str(BATCH), "--problem-lines", "/dev/full")
    assert code == 2 and "--problem-lines writes only to a new or regular file" in err
    assert "--out" not in err
    code, _, err = cli("warmup", str(BATCH), "--ttl-1h", "/dev/full")
    assert code == 2 and "--ttl-1h writes only" in err and "--out" not in err
    code, _, err = cli("check", str(BATCH), "--problem-lines", "-")
    assert code == 2 and "--problem-lines takes the path of a file" in err


def _run(argv: list[str], cwd: Path, stdin: Path | None = None) -> subprocess.CompletedProcess:
    with open(stdin or "/dev/null", "rb") as f:
        return subprocess.run(
            # The interpreter running the tests, not whatever `costcalc` is first on PATH (CI's
            # coverage run does not activate the virtualenv).
            [sys.executable, "-m", "costcalc", *argv],
            cwd=cwd,
            stdin=f,
            capture_output=True,
            text=True,
            check=False,
        )


def test_check_on_results_suggests_a_command_that_works(cli, tmp_path):
    named = tmp_path / "my results.jsonl"
    shutil.copy(RESULTS, named)
    code, _, err = cli("check", str(named))
    assert code == 2
    suggested = err.split("use costcalc ")[1].split(" to price it")[0]
    assert suggested == f"actual '{named}'"
    assert cli("actual", str(named))[0] == 0


def test_check_on_a_json_array_of_results_says_how_to_convert(cli, tmp_path):
    rows = [json.loads(line) for line in RESULTS.read_text().splitlines() if line.strip()]
    array = tmp_path / "rarr.json"
    array.write_text(json.dumps(rows))
    code, _, err = cli("check", str(array))
    assert code == 2
    assert f"jq -c '.[]' {array} > results.jsonl" in err
    assert "use costcalc actual results.jsonl to price it" in err
    if shutil.which("jq"):
        subprocess.run(f"jq -c '.[]' {array} > results.jsonl", shell=True, cwd=tmp_path, check=True)
        assert cli("actual", str(tmp_path / "results.jsonl"))[0] == 0


def test_check_on_results_from_stdin_suggests_actual_dash(tmp_path):
    done = _run(["check", "-"], tmp_path, RESULTS)
    assert done.returncode == 2
    assert "use costcalc actual - to price it (give it the same standard input)" in done.stderr
    assert _run(["actual", "-"], tmp_path, RESULTS).returncode == 0


def test_unknown_option_points_to_the_commands_help(cli):
    code, _, err = cli("estimate", "--model", "opus-4.7", "--bogus")
    assert code == 2
    assert err.startswith("costcalc estimate: error: unrecognized arguments: --bogus")
    assert err.rstrip().endswith("(see 'costcalc estimate --help')")
    code, _, err = cli("--bogus")
    assert err.rstrip().endswith("(see 'costcalc --help')")


def test_one_line_result_problem_speaks_of_it():
    from costcalc.messages.common import RESULT_PROBLEMS, _result_problem

    one = _result_problem("unknown_model_unpriced")({"count": 1, "shown_lines": [4]})
    assert one.startswith("1 line names a model") and "it is left unpriced" in one
    assert "they" not in one
    for code in RESULT_PROBLEMS:
        text = _result_problem(code)({"count": 1, "shown_lines": [4]})
        assert " they " not in text and " their " not in text, text
    two = _result_problem("unknown_model_unpriced")({"count": 2, "shown_lines": [4, 5]})
    assert two.startswith("2 lines name a model") and "they are left unpriced" in two
