"""Hostile input: every case exits with its documented status and a one-line reason, and none
prints a traceback. Exit status contract: 0 fine; 1 over budget or problems under --strict;
2 bad input or usage; 3 internal error."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import shlex
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
q = shlex.quote


def req(cid: str = "r1", model: str = "claude-opus-4-7", text: str = "hello", **params) -> dict:
    body = {"model": model, "max_tokens": 100, "messages": [{"role": "user", "content": text}]}
    body.update(params)
    return {"custom_id": cid, "params": body}


def jsonl(*items) -> str:
    return "".join(json.dumps(i) + "\n" for i in items)


def result(output, cid="a", usage_extra=None, drop_usage=False) -> dict:
    usage = {"input_tokens": 10, "output_tokens": output}
    usage.update(usage_extra or {})
    message = {"model": "claude-opus-4-7"}
    if not drop_usage:
        message["usage"] = usage
    return {"custom_id": cid, "result": {"type": "succeeded", "message": message}}


GOOD = jsonl(req())
DATED = jsonl(req(model="claude-opus-4-7-20260416"))
PLAN = "jobs:\n  - name: {name}\n    model: opus-4.7\n    requests: {requests}\n"
EST = ["estimate", "--model", "opus-4.7", "--shared", "80k", "--requests", "10k"]

# (id, argv with {f} for the input file, input file text, exit status, stderr substring)
CASES = [
    ("budget-1e26", [*EST, "--budget", "1e26"], None, 2, "not an amount in USD"),
    ("budget-1-2-3", [*EST, "--budget", "1,2,3"], None, 2, "not an amount"),
    ("budget-huge", [*EST, "--budget", "9" * 40], None, 2, "too large"),
    (
        "requests-100,1000",
        ["estimate", "--model", "opus-4.7", "--requests", "100,1000"],
        None,
        2,
        "not a number of requests",
    ),
    ("shared-80.000", [*EST, "--shared", "80.000"], None, 2, "not a whole number"),
    (
        "requests-fullwidth",
        ["estimate", "--model", "opus-4.7", "--requests", "１２"],
        None,
        2,
        "not a number of requests",
    ),
    ("budget-arabic-digits", [*EST, "--budget", "١٢"], None, 2, "not an amount"),
    ("shared-huge", [*EST[:-2], "--requests", "10", "--shared", "1e30"], None, 2, "not a number"),
    (
        "requests-too-many",
        ["estimate", "--model", "opus-4.7", "--requests", "99999999999"],
        None,
        2,
        "too large",
    ),
    ("cache-writes-0", [*EST, "--cache-writes", "0"], None, 2, "at least one request writes"),
    ("output-ratio-msg", ["check", "{f}", "--output-ratio", "2"], GOOD, 2, "output ratio"),
    ("bytes-per-token", [*EST, "--bytes-per-token", "1e30"], None, 2, "positive number"),
    ("usage-error", [*EST, "--shraed", "5"], None, 2, "did you mean --shared?"),
    ("usage-missing", ["estimate"], None, 2, "required: --model"),
    ("usage-escape", [*EST, "\x1b]0;pwned\x07"], None, 2, "\\x1b]0;pwned\\x07"),
    ("unknown-command", ["estimat"], None, 2, "did you mean estimate?"),
    (
        "unknown-model",
        ["estimate", "--model", "opus-4.9", "--requests", "1"],
        None,
        2,
        "did you mean",
    ),
    (
        "check-dated-id",
        ["check", "{f}", "--budget", "100"],
        DATED,
        2,
        "did you mean claude-opus-4-7?",
    ),
    ("check-results-file", ["check", "{f}"], jsonl(result(5)), 2, "use costcalc actual"),
    ("check-wrong-shape", ["check", "{f}"], '{"foo": [1, 2]}\n', 2, "not a request file"),
    ("check-pretty-shape", ["check", "{f}"], '{\n  "foo": 1\n}\n', 2, "not a request file"),
    ("check-scalar", ["check", "{f}"], "42\n", 2, "not a request file"),
    ("check-requests-not-list", ["check", "{f}"], '{"requests": 5}', 2, 'no "requests" array'),
    ("check-empty", ["check", "{f}"], "", 2, "is empty"),
    ("check-empty-strict", ["check", "{f}", "--strict"], "\n\n", 2, "is empty"),
    ("check-empty-array", ["check", "{f}"], "[]", 2, "is empty"),
    ("check-binary", ["check", "{f}"], "\x00\x01\x02", 2, "not a request file"),
    ("check-deep-nesting", ["check", "{f}"], "[" * 100_000, 2, "not a request file"),
    (
        "check-some-unpriced-gate",
        ["check", "{f}", "--budget", "100"],
        GOOD + jsonl(req("r2", model="nope-1")),
        1,
        "could not be priced",
    ),
    (
        "check-some-unpriced-allowed",
        ["check", "{f}", "--budget", "100", "--allow-unpriced"],
        GOOD + jsonl(req("r2", model="nope-1")),
        0,
        "could not be priced",
    ),
    (
        "check-thinking-strict",
        ["check", "{f}", "--strict"],
        jsonl(req(thinking={"type": "enabled", "budget_tokens": 100}), req("r2")),
        1,
        "problem",
    ),
    (
        "check-stream-strict",
        ["check", "{f}", "--strict"],
        jsonl(req(stream=True), req("r2")),
        1,
        "problem",
    ),
    # Every request refused: nothing can be priced, never $0 within budget.
    (
        "check-all-rejected",
        ["check", "{f}", "--budget", "1"],
        jsonl(req(stream=True), req("r2", max_tokens=0)),
        2,
        "every request would be rejected by the API (1 max_tokens, first on line 2; 1 stream, first on line 1)",
    ),
    (
        "check-retired-strict",
        ["check", "{f}", "--strict"],
        jsonl(req(model="claude-3-7-sonnet-20250219")),
        1,
        "problem",
    ),
    (
        "check-max-tokens-1e30",
        ["check", "{f}", "--strict"],
        jsonl(req(max_tokens=10**30), req("r2")),
        1,
        "problem",
    ),
    (
        "check-max-tokens-1e300",
        ["check", "{f}", "--format", "json"],
        jsonl(req(max_tokens=10**300)),
        2,
        "every request would be rejected by the API (1 max_tokens_too_large, first on line 1)",
    ),
    ("check-bom", ["check", "{f}"], "\ufeff" + GOOD, 0, ""),
    ("actual-bom", ["actual", "{f}"], "\ufeff" + jsonl(result(5), result(7, "b")), 0, ""),
    ("check-missing", ["check", "/nonexistent/x.jsonl"], None, 2, "cannot read"),
    ("check-directory", ["check", "/"], None, 2, "directory"),
    ("actual-float", ["actual", "{f}"], jsonl(result(300.0)), 2, "no result to price"),
    ("actual-null", ["actual", "{f}"], jsonl(result(None)), 2, "no result to price"),
    ("actual-string", ["actual", "{f}"], jsonl(result("300")), 2, "no result to price"),
    ("actual-bool", ["actual", "{f}"], jsonl(result(True)), 2, "no result to price"),
    ("actual-negative", ["actual", "{f}"], jsonl(result(-1)), 2, "no result to price"),
    ("actual-no-usage", ["actual", "{f}"], jsonl(result(1, drop_usage=True)), 2, "no result"),
    ("actual-1e32", ["actual", "{f}"], jsonl(result(10**32), result(5, "b")), 0, ""),
    (
        "actual-1e32-float",
        ["actual", "{f}"],
        '{"custom_id":"a","result":{"type":"succeeded",'
        '"message":{"model":"claude-opus-4-7","usage":{"input_tokens":1,"output_tokens":1e32}}}}\n',
        2,
        "no result to price",
    ),
    (
        "actual-unknown-model-among-priced",
        ["actual", "{f}"],
        jsonl(
            result(5),
            {
                **result(5, "b"),
                "result": {
                    "type": "succeeded",
                    "message": {
                        "model": "claude-opus-4-7-20260416",
                        "usage": {"input_tokens": 1, "output_tokens": 1},
                    },
                },
            },
        ),
        0,
        "",
    ),
    (
        "actual-only-unknown-models",
        ["actual", "{f}"],
        jsonl(
            {
                "custom_id": "a",
                "result": {
                    "type": "succeeded",
                    "message": {
                        "model": "gpt-4o",
                        "usage": {"input_tokens": 1, "output_tokens": 1},
                    },
                },
            }
        ),
        2,
        "none of its 1 succeeded results can be priced",
    ),
    (
        "actual-geo-eu",
        ["actual", "{f}", "--format", "json"],
        jsonl(result(5, usage_extra={"inference_geo": "eu"})),
        0,
        "",
    ),
    (
        "actual-fast-after-it-ended",
        ["actual", "{f}", "--date", "2026-12-06"],
        jsonl(
            {
                "custom_id": "a",
                "result": {
                    "type": "succeeded",
                    "message": {
                        "model": "claude-opus-4-8",
                        "usage": {"input_tokens": 1, "output_tokens": 1, "speed": "fast"},
                    },
                },
            }
        ),
        0,
        "",
    ),
    (
        "actual-diagnostics-garbage",
        ["actual", "{f}"],
        jsonl(
            {
                "custom_id": "a",
                "result": {
                    "type": "succeeded",
                    "message": {
                        "model": "claude-opus-4-7",
                        "diagnostics": {"cache_miss_reason": [1, {"type": 5}]},
                        "usage": {"input_tokens": 1, "output_tokens": 1},
                    },
                },
            }
        ),
        0,
        "",
    ),
    ("actual-request-file", ["actual", "{f}"], GOOD, 2, "use costcalc check"),
    ("actual-empty", ["actual", "{f}"], "", 2, "is empty"),
    (
        "plan-requests-true",
        ["plan", "{f}"],
        PLAN.format(name="a", requests="true"),
        2,
        "not a whole number of requests",
    ),
    (
        "plan-requests-1e29",
        ["plan", "{f}"],
        PLAN.format(name="a", requests="1e29"),
        2,
        "not a number of requests",
    ),
    (
        "plan-requests-1.0e+29",
        ["plan", "{f}"],
        PLAN.format(name="a", requests="1.0e+29"),
        2,
        "not a whole number",
    ),
    (
        "plan-requests-huge-int",
        ["plan", "{f}"],
        PLAN.format(name="a", requests=10**30),
        2,
        "too large",
    ),
    ("plan-job-markup", ["plan", "{f}"], PLAN.format(name="a [/] b", requests=10), 0, ""),
    (
        "plan-sexagesimal",
        ["plan", "{f}"],
        PLAN.format(name="a", requests="1:30"),
        2,
        "not a number of requests",
    ),
    ("plan-hex", ["plan", "{f}"], PLAN.format(name="a", requests="0x10"), 2, "not a number"),
    (
        "plan-job-markup-budget",
        ["plan", "{f}", "--budget", "0"],
        PLAN.format(name="'[bold]x'", requests=10),
        0,
        "within budget",
    ),
    # Issue 18: error-severity notices fail the gate; what the API refuses is named.
    (
        "retired-model-within-budget",
        [
            "estimate",
            "--model",
            "opus-4.1",
            "--shared",
            "1k",
            "--requests",
            "10",
            "--budget",
            "100",
        ],
        None,
        1,
        "budget check failed",
    ),
    (
        "no-price-on-1900-01-01",
        [*EST, "--date", "1900-01-01", "--budget", "1000000"],
        None,
        1,
        "not_yet_released",
    ),
    (
        "temperature-on-opus-4.7-only",
        ["check", "{f}", "--budget", "1"],
        jsonl(req(temperature=0.0)),
        2,
        "1 temperature_rejected",
    ),
    (
        "temperature-beside-a-good-request",
        ["check", "{f}", "--budget", "1"],
        jsonl(req(), req("r2", temperature=1)),
        1,
        "temperature_rejected",
    ),
    (
        "model-id-upper-case-strict",
        ["check", "{f}", "--strict"],
        jsonl(req(model="CLAUDE-OPUS-4-7")),
        1,
        "1 problem found",
    ),
    (
        "top-k-on-opus-4.7-strict",
        ["check", "{f}", "--strict"],
        jsonl(req(top_k=5)),
        1,
        "2 problems found",  # sampling_may_be_rejected and the 2026-10-21 note
    ),
    ("plan-bom", ["plan", "{f}"], "\ufeff" + PLAN.format(name="a", requests=10), 0, ""),
    (
        "plan-duplicate-key",
        ["plan", "{f}"],
        PLAN.format(name="a", requests=10) + "    requests: 20\n",
        2,
        "'requests' is on line 4 and again on line 5",
    ),
    (
        "pricing-read-above-input",
        [*EST, "--pricing", "{f}"],
        (REPO / "pricing.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "cache_write_1h: 10, cache_read: 0.50, output: 25}",
            "cache_write_1h: 10, cache_read: 6, output: 25}",
            1,
        ),
        2,
        "cache_read is above input",
    ),
    ("out-is-input", ["check", "{f}", "--out", "{f}"], GOOD, 2, "also an input"),
    ("out-dev-null", ["check", "{f}", "--out", "/dev/null"], GOOD, 2, "not a regular file"),
    ("out-directory", ["check", "{f}", "--out", "/tmp"], GOOD, 2, "directory"),
    ("out-missing-dir", ["check", "{f}", "--out", "/nonexistent/x.txt"], GOOD, 2, "does not"),
]


@pytest.mark.parametrize(
    "argv, text, status, needle", [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_case(cli, tmp_path, argv, text, status, needle):
    f = tmp_path / "input.txt"
    if text is not None:
        f.write_text(text, encoding="utf-8")
    code, out, err = cli(*[a.replace("{f}", str(f)) for a in argv])
    assert "Traceback" not in err + out
    assert code == status, err
    assert needle in err
    if code == 2:
        assert err.count("\n") == 1, err  # one line
    if text is not None:
        assert f.read_text(encoding="utf-8") == text  # never clobbered


def test_internal_error_is_exit_3_one_line_and_debug_shows_traceback(cli, monkeypatch):
    import costcalc.commands.models as commands

    def boom(args):
        raise ZeroDivisionError("boom")

    # The cli imports the command's module when it runs (cli.args.LazyRun) and finds this.
    monkeypatch.setattr(commands, "run_models", boom)
    code, _, err = cli("models")
    assert code == 3 and err.count("\n") == 1 and "--debug" in err and "Traceback" not in err
    code, _, err = cli("--debug", "models")
    assert code == 3 and "Traceback" in err
    code, _, err = cli("models", "--debug")
    assert code == 3 and "Traceback" in err


def test_help_states_the_exit_status_contract(cli):
    # Each --help lists status 1 only for the gates its command has (issue 18: actual's help
    # listed --strict, which actual does not take).
    from costcalc.cli.app import build_parser

    subs = next(a.choices for a in build_parser()._actions if isinstance(a.choices, dict))
    for command, sub in subs.items():
        code, out, _ = cli(command, "--help")
        status = out[out.index("exit status:") :]
        assert code == 0 and "3  internal error" in status and "2  bad input" in status
        gates = {g for g in ("--budget", "--strict") if g in sub._option_string_actions}
        assert ("  1  " in status) == bool(gates), command
        assert ("--strict" in status) == ("--strict" in gates), command
        assert ("over budget" in status) == ("--budget" in gates), command
    code, out, _ = cli("actual", "--help")
    # actual gates the real bill (--budget) but has no --strict
    assert "--strict" not in out and "1  over budget (--budget)" in out
    code, out, _ = cli("check", "--help")
    assert "1  over budget, or problems found under --strict" in out


@pytest.mark.parametrize(
    "argv, hint",
    [
        (["estimate", "--model", "opus-4.7", "--chart", "c.svg"], "--chart is an option of sweep"),
        (["actual", "r.jsonl", "--strict"], "--strict is an option of check, not of actual"),
        (["estimate", "--model", "opus-4.7", "--budegt", "5"], "did you mean --budget?"),
        (["sweep", "--model", "opus-4.7", "--requests", "1,2", "--chrat", "c"], "mean --chart?"),
        (["estimte"], "did you mean estimate?"),
    ],
)
def test_near_miss_never_suggests_the_same_flag(cli, argv, hint):
    code, _, err = cli(*argv)
    assert code == 2 and hint in err and err.count("\n") == 1
    for word in argv:
        assert f"did you mean {word}?" not in err


def test_same_requests_in_three_forms_cost_the_same(cli, tmp_path):
    items = [req(f"r{i}", text="é" * 3000 + f" question {i}") for i in range(5)]
    (tmp_path / "a.jsonl").write_text(jsonl(*items), encoding="utf-8")
    (tmp_path / "b.json").write_text(json.dumps({"requests": items}), encoding="utf-8")
    (tmp_path / "c.json").write_text(json.dumps(items, indent=1), encoding="utf-8")
    docs = []
    for name in ("a.jsonl", "b.json", "c.json"):
        code, out, err = cli("check", str(tmp_path / name), "--format", "json")
        assert code == 0, err
        docs.append(json.loads(out))
    assert [d["form"] for d in docs] == ["jsonl", "json", "array"]
    assert len({json.dumps(d["scenarios"] if "scenarios" in d else d["cost"]) for d in docs}) == 1
    assert {d["requests"] for d in docs} == {5}
    assert all(d["unpriced"]["count"] == 0 for d in docs)


def test_multibyte_character_across_read_boundary(tmp_path):
    from costcalc.read.jsonstream import iter_array as _iter_array

    # "é" is two bytes; put the split exactly across a 16-byte chunk boundary.
    text = json.dumps({"requests": [req(text="ab" + "é" * 20)]}, ensure_ascii=False)
    data = text.encode("utf-8")
    import io

    for chunk in (3, 5, 16, 17):
        items = list(_iter_array(io.BytesIO(data), [0], chunk=chunk))
        assert len(items) == 1 and not isinstance(items[0][2], Exception)
        assert items[0][2]["params"]["messages"][0]["content"] == "ab" + "é" * 20
        # Size in bytes, as the API's 256 MB limit counts.
        assert items[0][1] == len(json.dumps(items[0][2], ensure_ascii=False).encode("utf-8"))


def test_unpriced_json_field_and_report_top(cli, tmp_path):
    f = tmp_path / "b.jsonl"
    f.write_text(GOOD + jsonl(req("r2", model="claude-opus-4-7-20260416")) + "{oops\n")
    code, out, err = cli("check", str(f), "--format", "json")
    doc = json.loads(out)
    assert doc["unpriced"] == {
        "count": 2,
        "reasons": {"malformed": 1, "unknown_model": 1},
        "fails_budget": False,
    }
    code, out, err = cli("check", str(f), "--format", "json", "--budget", "1000")
    assert code == 1 and json.loads(out)["unpriced"]["fails_budget"] is True
    code, out, err = cli("check", str(f))
    assert out.lstrip().startswith("2 requests could not be priced, so the cost below leaves")
    assert "did you mean claude-opus-4-7?" in " ".join(out.split())


def test_untrusted_text_is_inert_in_tables(cli, tmp_path):
    name = "evil[link=http://x]\x1b[2J\u202e"
    f = tmp_path / "plan.yaml"
    f.write_text(PLAN.format(name=json.dumps(name), requests=10), encoding="utf-8")
    code, out, err = cli("plan", str(f))
    assert code == 0
    assert "\x1b" not in out and "\u202e" not in out
    assert "evil[link=http://x]\\x1b[2J" in out


def test_csv_quotes_cr_and_neutralises_formulas(cli, tmp_path):
    f = tmp_path / "r.jsonl"
    f.write_text(
        jsonl(result(5, cid='=HYPERLINK("http://x")'), result(5, cid="a\rb"), result(5, "-1"))
    )
    code, out, err = cli("actual", str(f), "--format", "csv")
    assert code == 0, err
    rows = out.split("\n")
    assert rows[1].startswith("\"'=HYPERLINK(")
    assert rows[2].startswith("a\\x0db,")  # the CR shown as the tables show it
    assert rows[3].startswith("-1,")  # a number stays a number
    import csv
    import io

    parsed = list(csv.reader(io.StringIO(out, newline="")))
    assert [r[0] for r in parsed[1:]] == ['\'=HYPERLINK("http://x")', "a\\x0db", "-1"]


def test_safe_functions():
    from costcalc.safe import csv_cell, inert

    assert inert("a[b]") == "a\\[b]"
    assert inert("\x07\x9b\u202e") == "\\x07\\x9b\\u202e"
    for value in ("=1+1", "+A1", "-x", "-1+1", "@SUM(A1)"):
        assert csv_cell(value) == "'" + value
    # Controls are shown as escapes (as in the tables), so a tab or CR no longer leads.
    assert csv_cell("\tx") == "\\x09x" and csv_cell("\rx") == "\\x0dx"
    assert csv_cell("=\x1b[2J") == "'=\\x1b[2J"
    for value in ("-1", "-0.50", "+3", "plain", 5):
        assert csv_cell(value) == value


# --- --out: FIFO, symlink, read-only directory, mode ---


def test_out_refuses_fifo_and_symlink(cli, tmp_path):
    src = tmp_path / "b.jsonl"
    src.write_text(GOOD)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    code, _, err = cli("check", str(src), "--out", str(fifo))
    assert code == 2 and "not a regular file" in err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    target = tmp_path / "target.txt"
    target.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    code, _, err = cli("check", str(src), "--out", str(link))
    assert code == 2 and "symbolic link" in err
    assert target.read_text() == "keep" and link.is_symlink()
    # A symlink to the input is refused too (it is a link, and it is the input).
    inlink = tmp_path / "in.jsonl"
    inlink.symlink_to(src)
    code, _, err = cli("check", str(inlink), "--out", str(src))
    assert code == 2 and "also an input" in err and src.read_text() == GOOD


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions")
def test_out_read_only_directory(cli, tmp_path):
    src = tmp_path / "b.jsonl"
    src.write_text(GOOD)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        code, _, err = cli("check", str(src), "--out", str(ro / "x.txt"))
        assert code == 2 and "cannot write" in err
    finally:
        ro.chmod(0o700)
    assert list(ro.iterdir()) == []


def test_out_read_only_directory_via_unwritable_dir(cli, tmp_path, monkeypatch):
    # The same failure path for root: mkstemp refused.
    import tempfile

    def refuse(*a, **k):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    src = tmp_path / "b.jsonl"
    src.write_text(GOOD)
    code, _, err = cli("check", str(src), "--out", str(tmp_path / "x.txt"))
    assert code == 2 and "cannot write" in err and "Permission denied" in err


def test_out_mode_follows_umask_and_no_temp_left(cli, tmp_path):
    src = tmp_path / "b.jsonl"
    src.write_text(GOOD)
    old = os.umask(0o022)
    try:
        code, _, err = cli("check", str(src), "--out", str(tmp_path / "o.txt"))
    finally:
        os.umask(old)
    assert code == 0, err
    assert stat.S_IMODE(os.stat(tmp_path / "o.txt").st_mode) == 0o644
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.jsonl", "o.txt"]


def test_error_while_writing_leaves_no_temp(tmp_path):
    from costcalc.files.outputs import atomic_file

    with pytest.raises(RuntimeError), atomic_file(tmp_path / "x.txt") as f:
        f.write("partial")
        raise RuntimeError
    assert list(tmp_path.iterdir()) == []


def _run(args, **kw):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "costcalc", *args], capture_output=True, text=True, env=env, **kw
    )


def test_sigterm_during_write_leaves_no_temp_file(tmp_path):
    # actual --format csv --out streams rows into the temporary file while it reads; a FIFO
    # input that stays open keeps it there until SIGTERM arrives.
    fifo = tmp_path / "results.fifo"
    os.mkfifo(fifo)
    out = tmp_path / "out.csv"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "costcalc",
            "actual",
            str(fifo),
            "--format",
            "csv",
            "--out",
            str(out),
        ],
        stderr=subprocess.PIPE,
        env=env,
    )
    with open(fifo, "w") as w:
        w.write(jsonl(result(5)))
        w.flush()
        for _ in range(200):  # wait (not a timed assertion) for the temporary file
            if any(p.name.startswith(".out.csv.") for p in tmp_path.iterdir()):
                break
            time.sleep(0.05)
        assert any(p.name.startswith(".out.csv.") for p in tmp_path.iterdir())
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr.read().decode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.fifo"]


def test_stdin_fifo_and_process_substitution(tmp_path):
    src = tmp_path / "b.jsonl"
    src.write_text(GOOD)
    want = _run(["check", str(src), "--format", "json"])
    assert want.returncode == 0
    for args, stdin in (
        (["check", "-", "--format", "json"], GOOD),
        (["check", "/dev/stdin", "--format", "json"], GOOD),
    ):
        got = _run(args, input=stdin)
        assert got.returncode == 0, got.stderr
        assert "Traceback" not in got.stderr
        a, b = json.loads(want.stdout), json.loads(got.stdout)
        a.pop("file"), b.pop("file")
        assert a == b
    sub = subprocess.run(
        # Quoted: the checkout (and so the interpreter) may live under a path with a space.
        ["bash", "-c", f"{q(sys.executable)} -m costcalc check <(cat {q(str(src))}) --format json"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert sub.returncode == 0, sub.stderr
    got = _run(["actual", "-"], input=jsonl(result(5)))
    assert got.returncode == 0 and "Traceback" not in got.stderr
    got = _run(["tokens", "-"], input="hello world")
    assert got.returncode == 0 and "Traceback" not in got.stderr


def test_piped_table_never_folds_money():
    got = subprocess.run(
        [sys.executable, "-m", "costcalc", *EST],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": "40"},
    )
    assert got.returncode == 0
    # Every money figure of the scenario table is whole on its line.
    for figure in ("$4,000.00", "$2,000.00", "$400.46", "$200.23"):
        assert figure in got.stdout
    assert "1 requests" not in got.stdout


def _kinds(out: str) -> dict[str, list[int]]:
    return {p["kind"]: p["lines"] for p in json.loads(out)["problems"]}


def test_api_limits_are_problems_counted_by_strict(cli, tmp_path, write_pricing):
    pricing = write_pricing(
        lambda t: t.replace("max_requests: 100000", "max_requests: 2").replace(
            "max_bytes: 256000000", "max_bytes: 400"
        )
    )
    f = tmp_path / "b.jsonl"
    f.write_text(
        jsonl(
            req("a"),
            req("b", thinking={"type": "enabled", "budget_tokens": 100}),  # not below 100
            req("c", model="claude-3-7-sonnet-20250219"),  # retired before 2026-11
            req("d", thinking={"type": "enabled", "budget_tokens": 99}),  # fine
        )
    )
    code, out, err = cli(
        "check", str(f), "--pricing", str(pricing), "--date", "2026-11-01", "--format", "json"
    )
    kinds = _kinds(out)
    assert kinds["too_many_requests"] == [3]  # the third request is one too many for 2
    sizes = [len(line) + 1 for line in f.read_text().splitlines()]
    crossing = next(i for i in range(1, 5) if sum(sizes[:i]) > 400)
    assert kinds["too_large"] == [crossing]
    assert kinds["thinking_budget"] == [2]
    assert kinds["retired_model"] == [3]
    code, _, err = cli("check", str(f), "--pricing", str(pricing), "--strict")
    assert code == 1 and "(--strict)" in err


@pytest.mark.parametrize(
    "argv",
    [
        [*EST, "--hit-rate", "0.999999999999999999999999999999999999"],
        [*EST, "--hit-rate", "1e-999999999999999999"],
        [*EST, "--bytes-per-token", "0.000000000000000000000000001"],
    ],
)
def test_decimals_beyond_exact_arithmetic_are_refused(cli, argv):
    code, _, err = cli(*argv)
    assert code == 2 and "at most 10 decimals" in err


def _tiny(text: str) -> str:
    old = ("prices: {input: 5, cache_write_5m: 6.25", "batch: {input: 2.50, output: 12.50}")
    assert all(o in text for o in old)
    # The read goes as low as the input: a read above input is refused as a typo.
    text = re.sub(
        r"prices: \{input: 5, cache_write_5m: 6.25(, cache_write_1h: [0-9.]+), cache_read: [0-9.]+",
        r"prices: {input: 0.0000000000000000000000000000001, cache_write_5m: 6.25\1, "
        "cache_read: 0.0000000000000000000000000000001",
        text,
        count=1,
    )
    return text.replace(old[1], "batch: {input: 5E-32, output: 12.50}", 1)


def test_tiny_price_is_shown_not_crashed(cli, write_pricing):
    # The first $5-input model's input at $1e-31/MTok (batch input at half of it) must not
    # overflow the display rounding: the models table divides by that price.
    pricing = write_pricing(_tiny)
    assert "0.0000000000000000000000000000001" in pricing.read_text()
    for argv in (["models"], [*EST, "--unique", "1"]):
        for fmt in ("table", "json", "csv"):
            code, out, err = cli(*argv, "--pricing", str(pricing), "--format", fmt)
            assert code == 0, err
            assert "Traceback" not in err


def test_file_names_in_titles_are_plain_text(cli, tmp_path):
    d = tmp_path / "w["
    d.mkdir()
    requests = d / "a [bold] b\\"
    requests.write_text(GOOD)
    results = d / "r[link=x].jsonl"
    results.write_text(jsonl(result(5)))
    code, out, err = cli("actual", str(results), "--batch", str(requests))
    assert code == 0, err
    flat = "".join(out.split())
    assert "r[link=x].jsonl" in flat and "a[bold]b\\" in flat


def test_actual_compared_with_an_unpriceable_request_file(cli, tmp_path):
    results = tmp_path / "r.jsonl"
    results.write_text(jsonl(result(5)))
    for text, needle in (("", "is empty"), (DATED, "did you mean claude-opus-4-7?")):
        requests = tmp_path / "b.jsonl"
        requests.write_text(text)
        code, _, err = cli("actual", str(results), "--batch", str(requests))
        assert code == 2 and needle in err and "--batch wants" in err


def test_ctrl_c_while_writing_leaves_no_temp_and_keeps_the_old_file(tmp_path):
    from costcalc.files.outputs import atomic_file

    old = tmp_path / "x.txt"
    old.write_text("old")
    old.chmod(0o640)
    with pytest.raises(KeyboardInterrupt), atomic_file(old) as f:
        f.write("partial")
        raise KeyboardInterrupt
    assert [p.name for p in tmp_path.iterdir()] == ["x.txt"] and old.read_text() == "old"
    with atomic_file(old) as f:
        f.write("new")
    assert old.read_text() == "new" and stat.S_IMODE(old.stat().st_mode) == 0o640


# --- output errors: a full disk, a closed pipe, a read-only file (issue 18) ---

# Every command that writes to stdout, each in every format it has.
_OUTPUT_COMMANDS = [
    (["models"], ("table", "csv", "json")),
    ([*EST], ("table", "csv", "json")),
    (["sweep", "--model", "opus-4.7", "--requests", "1k,10k"], ("table", "csv", "json")),
    (["plan", "{plan}"], ("table", "csv", "json")),
    (["tokens", "{text}"], ("table", "csv", "json")),
    (["check", "{requests}"], ("table", "csv", "json")),
    (["actual", "{results}"], ("table", "csv", "json")),
    (["warmup", "{requests}"], ("table", "json")),
    (["schema", "check"], (None,)),
]


def _output_inputs(tmp_path: Path) -> dict[str, str]:
    files = {
        "plan": PLAN.format(name="a", requests=10),
        "text": "hello world\n",
        "requests": GOOD,
        "results": jsonl(result(5)),
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return {name: str(tmp_path / name) for name in files}


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("argv, formats", _OUTPUT_COMMANDS, ids=[c[0][0] for c in _OUTPUT_COMMANDS])
def test_full_disk_on_stdout_is_exit_2_with_the_os_reason(tmp_path, argv, formats):
    paths = _output_inputs(tmp_path)
    for fmt in formats:
        args = [a.format(**paths) for a in argv] + (["--format", fmt] if fmt else [])
        with open("/dev/full", "w") as full:
            got = subprocess.run(
                [sys.executable, "-m", "costcalc", *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONPATH": str(REPO)},
            )
        assert got.returncode == 2, (args, got.stderr)
        assert got.stderr.endswith("cannot write standard output: No space left on device\n")
        assert got.stderr.count("\n") == 1 and "Traceback" not in got.stderr, got.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_full_disk_on_help_is_exit_2():
    for args in (["--help"], ["models", "--help"], ["--version"]):
        with open("/dev/full", "w") as full:
            got = subprocess.run(
                [sys.executable, "-m", "costcalc", *args],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                env={**os.environ, "PYTHONPATH": str(REPO)},
            )
        assert got.returncode == 2 and "No space left on device" in got.stderr, got.stderr
        assert "Traceback" not in got.stderr


# 40 x 11 combinations x 4 scenarios: megabytes of CSV and JSON, far more than a pipe holds.
_BIG_SWEEP = [
    "sweep",
    "--model",
    "opus-4.7",
    "--shared",
    "80k",
    "--requests",
    ",".join(str(n) for n in range(1, 41)),
    "--hit-rate",
    "0,0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9,1",
]


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_closed_pipe_ends_quietly_with_status_2(fmt):
    # `costcalc sweep ... | head -c 10`: the reader goes away after 10 bytes. No message, no
    # traceback, and status 2, not 0: the output was cut, so a gate never passes by accident.
    proc = subprocess.Popen(
        [sys.executable, "-m", "costcalc", *_BIG_SWEEP, "--format", fmt],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert len(proc.stdout.read(10)) == 10
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 2
    assert err == ""


def test_output_error_in_process_names_the_os_reason(monkeypatch, capsys):
    # An EIO from a terminal that went away, in-process: the same path as /dev/full.
    import io

    class Gone(io.RawIOBase):
        def writable(self):
            return True

        def write(self, data):
            raise OSError(5, "Input/output error")

    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(Gone()), "utf-8"))
    from costcalc.cli import main

    assert main(["models", "--format", "json"]) == 2
    err = capsys.readouterr().err
    assert err == "costcalc models: error: cannot write standard output: Input/output error\n"


def test_out_onto_a_read_only_file_is_refused(cli, tmp_path, monkeypatch):
    # A shell redirect onto a file this user may not write fails; the atomic rename would
    # replace it anyway, so --out asks the kernel's own question (access W_OK) first. Tests run
    # as root, who may write anything: the kernel's answer is simulated here, and
    # test_out_onto_a_read_only_file_as_a_user checks the real one where it can.
    import costcalc.files.outputs as outfile

    target = tmp_path / "prices.csv"
    target.write_text("keep")
    target.chmod(0o444)
    monkeypatch.setattr(outfile, "_writable", lambda path: False)
    code, out, err = cli("models", "--format", "csv", "--out", str(target))
    assert code == 2 and "Permission denied" in err and "read-only" in err
    assert err.count("\n") == 1
    assert target.read_text() == "keep" and stat.S_IMODE(target.stat().st_mode) == 0o444
    assert sorted(p.name for p in tmp_path.iterdir()) == ["prices.csv"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write a read-only file (so may its shell)")
def test_out_onto_a_read_only_file_as_a_user(cli, tmp_path):
    target = tmp_path / "prices.csv"
    target.write_text("keep")
    target.chmod(0o444)
    code, _, err = cli("models", "--format", "csv", "--out", str(target))
    assert code == 2 and "Permission denied" in err and target.read_text() == "keep"


def test_unreadable_directory_for_tokens_says_permission_denied(cli, tmp_path, monkeypatch):
    # As root every directory is readable: the listing's failure is simulated where os.walk
    # meets it (os.scandir), which is the path a user's unreadable directory takes.
    top = tmp_path / "docs"
    (top / "private").mkdir(parents=True)
    (top / "a.txt").write_text("hello")
    real = os.scandir

    def scandir(path="."):
        if str(path).endswith("private"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    code, _, err = cli("tokens", str(top))
    assert code == 2 and err.count("\n") == 1
    assert f"cannot read directory {top / 'private'}: Permission denied" in err
    assert "no files" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root may read any directory")
def test_unreadable_directory_for_tokens_as_a_user(cli, tmp_path):
    top = tmp_path / "docs"
    (top / "private").mkdir(parents=True)
    top.joinpath("private").chmod(0)
    try:
        code, _, err = cli("tokens", str(top))
    finally:
        top.joinpath("private").chmod(0o700)
    assert code == 2 and "Permission denied" in err


def test_csv_shows_control_characters_as_escapes_and_json_keeps_them(cli, tmp_path):
    # `cat out.csv` must not clear the screen or reorder a line: a file name and a custom_id
    # carrying ESC, BEL, a bidi override and a newline reach the CSV as visible escapes.
    name = tmp_path / "a\x1b[2Jb\u202e\x07.txt"
    name.write_text("hello world")
    code, out, err = cli("tokens", str(name), "--format", "csv")
    assert code == 0, err
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out
    assert "a\\x1b[2Jb\\u202e\\x07.txt" in out
    code, out, err = cli("tokens", str(name), "--format", "json")
    assert json.loads(out)["files"][0]["file"] == str(name)
    results = tmp_path / "r.jsonl"
    results.write_text(jsonl(result(5, cid="x\x1b]8;;http://e\x07y\nz")))
    code, out, err = cli("actual", str(results), "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[1].startswith("x\\x1b]8;;http://e\\x07y\\x0az,")


def _failing_stdout(errno_: int, reason: str, accept: int = 0):
    """A stdout whose byte layer accepts `accept` bytes, then fails with errno_."""
    import io

    class Raw(io.RawIOBase):
        taken = 0

        def writable(self):
            return True

        def write(self, data):
            if self.taken >= accept:
                raise OSError(errno_, reason)
            n = min(len(data), accept - self.taken)
            self.taken += n
            return n

    return io.TextIOWrapper(io.BufferedWriter(Raw(), buffer_size=16), "utf-8")


def test_closed_pipe_in_process_is_quiet_status_2(monkeypatch, capsys):
    # The reader leaves after 100 bytes: short writes first, then EPIPE. No message.
    import errno

    from costcalc.cli import main

    monkeypatch.setattr(sys, "stdout", _failing_stdout(errno.EPIPE, "Broken pipe", 100))
    assert main(["models", "--format", "csv"]) == 2
    assert capsys.readouterr().err == ""


def test_help_into_a_full_disk_in_process(monkeypatch, capsys):
    import errno

    from costcalc.cli import main

    monkeypatch.setattr(sys, "stdout", _failing_stdout(errno.ENOSPC, "No space left on device"))
    assert main(["--help"]) == 2
    assert capsys.readouterr().err == (
        "costcalc: error: cannot write standard output: No space left on device\n"
    )
    monkeypatch.setattr(sys, "stdout", _failing_stdout(errno.ENOSPC, "No space left on device"))
    assert main([]) == 2  # no command: the overview help, same failure


def test_an_unwritable_stderr_does_not_turn_an_error_into_a_crash(monkeypatch):
    import errno

    from costcalc.cli import main

    monkeypatch.setattr(sys, "stderr", _failing_stdout(errno.EIO, "Input/output error"))
    # A bad model name: exit 2 although its one line cannot be shown.
    assert main(["estimate", "--model", "nonesuch", "--requests", "1"]) == 2


def test_out_refuses_a_file_read_through_a_directory_a_glob_or_a_tags_file(cli, tmp_path):
    # `actual results/ --out results/b.jsonl` would replace a results file the report just
    # read (the API keeps results 29 days): every file a directory or an unexpanded glob names
    # is an input, and so is the tags file of --group-by tags:FILE.
    folder = tmp_path / "results"
    folder.mkdir()
    line = json.dumps(result(100, cid="team-1")) + "\n"
    for name in ("a.jsonl", "b.jsonl"):
        (folder / name).write_text(line)
    tags = folder / "tags.csv"
    tags.write_text("team-1,red\n")
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    runs = [
        ("actual", str(folder), "--format", "csv", "--out", str(folder / "b.jsonl")),
        ("actual", str(folder / "*.jsonl"), "--format", "json", "--out", str(folder / "a.jsonl")),
        ("actual", str(folder / "a.jsonl"), "--group-by", f"tags:{tags}", "--out", str(tags)),
        ("actual", str(folder / "a.jsonl"), "--batch", str(tags), "--out", str(tags)),
    ]
    for argv in runs:
        code, _, err = cli(*argv)
        assert code == 2 and "also an input" in err, (argv, err)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    # A new file in the same directory is fine, and so is a file the directory does not read.
    (folder / "old.csv").write_text("last night")
    code, _, _ = cli("actual", str(folder), "--format", "csv", "--out", str(folder / "old.csv"))
    assert code == 0 and (folder / "old.csv").read_text().startswith("file,requests")


def test_problem_lines_refuses_every_input_and_stdin_from_the_output(cli, tmp_path, monkeypatch):
    # --problem-lines is an output like --out: it must not replace the tags file, the price
    # table or the file standard input is redirected from (`check - --out x.jsonl < x.jsonl`).
    src = tmp_path / "b.jsonl"
    src.write_text(GOOD)
    tags = tmp_path / "tags.csv"
    tags.write_text("r1,red\n")
    prices = tmp_path / "p.yaml"
    prices.write_text((REPO / "pricing.yaml").read_text(encoding="utf-8"))
    for extra, target in (
        (["--group-by", f"tags:{tags}"], tags),
        (["--pricing", str(prices)], prices),
    ):
        before = target.read_bytes()
        code, _, err = cli("check", str(src), *extra, "--problem-lines", str(target))
        assert code == 2 and "also an input" in err, err
        assert target.read_bytes() == before
    with open(src, "rb") as f:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(f))
        for option in ("--problem-lines", "--out"):
            code, _, err = cli("check", "-", option, str(src))
            assert code == 2 and "also an input (standard input)" in err, err
    assert src.read_text() == GOOD


def test_a_results_file_named_through_a_hard_link_is_billed_once(cli, tmp_path):
    # One batch's results under two names (a hard link: same device and inode) cost once.
    a = tmp_path / "a.jsonl"
    a.write_text(json.dumps(result(100, cid="x")) + "\n")
    os.link(a, tmp_path / "hard.jsonl")
    code, out, _ = cli("actual", str(a), str(tmp_path / "hard.jsonl"), "--format", "json")
    doc = json.loads(out)
    # Opus 4.7 batch: 10 input x $2.50/M + 100 output x $12.50/M = $0.000025 + $0.00125.
    assert code == 0 and len(doc["files"]) == 1
    assert doc["total"]["requests"] == 1 and doc["total_usd"] == "0.001275"
