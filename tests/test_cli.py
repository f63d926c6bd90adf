"""The command line: output formats, exit codes and one-line errors."""

import csv
import io
import json
import os
import subprocess
import sys
from decimal import Decimal as D

import pytest

ARTICLE = ["estimate", "--model", "opus-4.7", "--shared", "80000", "--requests", "10000"]


def test_table_shows_the_article_numbers(cli):
    code, out, err = cli(*ARTICLE)
    assert code == 0 and err == ""
    for text in (
        "$4,000.00",
        "$2,000.00",
        "$400.46",
        "$200.23",
        "$3,799.77",
        "95.0%",
        "9,999 reads",
        "799,920,000",
        "$3.125",
        "$199.98",
    ):
        assert text in out, text
    assert "\x1b[" not in out  # not a terminal: no colour codes


def test_csv_has_one_row_per_scenario_with_plain_numbers(cli):
    code, out, _ = cli(*ARTICLE, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["scenario"] for r in rows] == ["standard", "batch", "cache", "batch_cache"]
    by = {r["scenario"]: r for r in rows}
    assert D(by["batch_cache"]["total_usd"]) == D("200.23")
    assert D(by["batch_cache"]["savings_usd"]) == D("3799.77")
    assert D(by["batch_cache"]["cache_write_usd"]) == D("0.25")
    assert D(by["batch_cache"]["cache_read_rate"]) == D("0.25")
    assert int(by["batch_cache"]["cache_read_tokens"]) == 799_920_000
    assert D(by["cache"]["total_usd"]) == D("400.46")
    assert D(by["standard"]["per_request_usd"]) == D("0.4")
    for r in rows:  # spreadsheet-safe: no currency signs or thousands separators
        assert not any("$" in v or "," in v for v in r.values())


def test_json_follows_the_contract(cli):
    code, out, _ = cli(*ARTICLE, "--unique", "2k", "--output", "1k", "--format", "json")
    assert code == 0
    doc = json.loads(out, parse_float=lambda s: pytest.fail(f"float in JSON: {s}"))
    assert doc["model"] == "claude-opus-4-7"
    assert doc["workload"] == {
        "requests": 10_000,
        "shared_tokens": 80_000,
        "unique_tokens": 2_000,
        "output_tokens": 1_000,
        "ttl": "5m",
        "cache_writes": 1,
    }
    s = {x["name"]: x for x in doc["scenarios"]}
    # batch_cache: 200.23 + unique 20M x $2.50/M = 50 + output 10M x $12.50/M = 125
    assert s["batch_cache"]["total_usd"] == "375.23"
    # standard: 820M x $5/M = 4100 + 10M x $25/M = 250
    assert s["standard"]["total_usd"] == "4350.00"
    assert s["batch_cache"]["savings_pct"] == "91.37402298850574712643678161"
    lines = {x["token_class"]: x for x in s["batch_cache"]["lines"]}
    assert lines["cache_write_5m"] == {
        "token_class": "cache_write_5m",
        "tokens": 80_000,
        "rate_per_mtok": "3.125",
        "cost_usd": "0.25",
    }
    assert doc["budget"] is None
    assert any("13 batches of up to 770 requests" in w for w in doc["warnings"])
    assert any("0% cache hits" in w for w in doc["warnings"])


def test_token_suffixes(cli):
    _, out_k, _ = cli(
        "estimate",
        "--model",
        "opus-4.7",
        "--shared",
        "80k",
        "--requests",
        "10_000",
        "--format",
        "csv",
    )
    _, out_n, _ = cli(*ARTICLE, "--format", "csv")
    assert out_k == out_n
    _, out_m, _ = cli(
        "estimate",
        "--model",
        "opus-4.7",
        "--shared",
        "0.5M",
        "--unique",
        "2,500",
        "--requests",
        "1.5k",
        "--format",
        "json",
    )
    workload = json.loads(out_m)["workload"]
    assert (workload["shared_tokens"], workload["unique_tokens"], workload["requests"]) == (
        500_000,
        2_500,
        1_500,
    )


def test_budget_gate(cli):
    code, _, err = cli(*ARTICLE, "--budget", "250")
    assert code == 0 and "within budget: batch_cache costs $200.23" in err
    code, out, err = cli(*ARTICLE, "--budget", "150", "--format", "json")
    assert code == 1
    assert "over budget: batch_cache costs $200.23, budget $150.00, over by $50.23" in err
    assert json.loads(out)["budget"] == {
        "scenario": "batch_cache",
        "case": None,
        "budget_usd": "150.00",
        "total_usd": "200.23",
        "within": False,
        "over_by_usd": "50.23",
        "failed_by": [],
        "passes": False,
    }
    code, _, err = cli(*ARTICLE, "--budget", "$1,999.99", "--scenario", "batch")
    assert code == 1 and "batch costs $2,000.00" in err


def test_out_writes_the_file_and_nothing_to_stdout(cli, tmp_path):
    target = tmp_path / "plan.csv"
    code, out, _ = cli(*ARTICLE, "--format", "csv", "--out", str(target))
    assert code == 0 and out == ""
    assert target.read_text().startswith("model,scenario,")
    table = tmp_path / "plan.txt"
    assert cli(*ARTICLE, "--out", str(table))[0] == 0
    assert "$200.23" in table.read_text() and "\x1b[" not in table.read_text()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--model", "opus-4.9"], "unknown model 'opus-4.9'; did you mean opus-4.8"),
        (["--shared", "-5"], "argument --shared: tokens cannot be negative"),
        (["--shared", "lots"], "argument --shared: 'lots' is not a number of tokens"),
        (["--requests", "0"], "requests must be at least 1"),
        (["--cache-writes", "20000"], "cache writes (20,000) cannot exceed requests (10,000)"),
        (["--budget", "cheap"], "argument --budget: 'cheap' is not an amount in USD"),
        (["--scenario", "batch"], "--scenario chooses what --budget applies to"),
        (["--ttl", "2h"], "argument --ttl: invalid choice: '2h'"),
        (["--format", "xml"], "argument --format: invalid choice"),
        (["--shared", "990k", "--unique", "20k"], "over Claude Opus 4.7's context window"),
        (["--pricing", "/nonexistent/p.yaml"], "pricing file /nonexistent/p.yaml not found"),
        (["--date", "yesterday"], "'yesterday' is not a date"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, argv, message):
    base = {"--model": "opus-4.7", "--shared": "80000", "--requests": "10000"}
    for flag, value in zip(argv[::2], argv[1::2]):
        base[flag] = value
    code, out, err = cli("estimate", *[x for kv in base.items() for x in kv])
    assert code == 2
    assert message in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert out == ""


def test_broken_pricing_file_names_file_entry_and_field(cli, write_pricing):
    path = write_pricing(
        lambda t: t.replace("cache_read: 0.50, output: 25}", "cache_read: oops, output: 25}", 1)
    )
    code, out, err = cli(*ARTICLE, "--pricing", str(path))
    assert code == 2 and out == ""
    assert str(path) in err and "models.claude-opus-5.prices.cache_read" in err


def test_failed_run_writes_no_file(cli, tmp_path):
    target = tmp_path / "plan.csv"
    code, _, _ = cli("estimate", "--model", "nope", "--requests", "1", "--out", str(target))
    assert code == 2 and not target.exists()
    code, _, err = cli(*ARTICLE, "--out", str(tmp_path / "missing" / "plan.csv"))
    assert code == 2 and "cannot write" in err
    assert list(tmp_path.iterdir()) == []  # no temp file left behind


def test_models_lists_every_model_and_the_stacked_rates(cli, pricing):
    code, out, _ = cli("models")
    assert code == 0
    for m in pricing.models:
        assert m.id in out
    assert "Stacked rate" in out and "$0.25/MTok" in out and "5.0%" in out
    code, out, _ = cli("models", "--format", "csv")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert len(rows) == len(pricing.models)
    assert D(rows["claude-3-haiku-20240307"]["batch_cache_read"]) == D("0.015")
    assert D(rows["claude-opus-4-7"]["batch_cache_read_pct_of_input"]) == 5
    code, out, _ = cli("models", "--format", "json")
    doc = json.loads(out)
    haiku3 = next(m for m in doc["models"] if m["id"] == "claude-3-haiku-20240307")
    assert haiku3["prices_per_mtok"]["cache_write_5m"] == "0.30"


@pytest.mark.parametrize(
    "command, example",
    [
        ("estimate", "--budget 250"),
        ("sweep", "--chart cost.svg"),
        ("plan", "examples/plan.yaml"),
        ("models", "--format csv"),
    ],
)
def test_help_has_examples(cli, command, example):
    code, out, _ = cli(command, "--help")
    assert code == 0 and "examples:" in out and example in out


def _cli(*argv, env=None):
    return subprocess.run(
        [sys.executable, "-m", "costcalc", *argv],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
    )


def test_module_entry_point_exit_codes_and_no_traceback():
    ok = _cli(*ARTICLE)
    assert ok.returncode == 0 and "$200.23" in ok.stdout
    over = _cli(*ARTICLE, "--budget", "100")
    assert over.returncode == 1 and over.stderr.startswith("costcalc: over budget")
    bad = _cli("estimate", "--model", "sonnet-4.9", "--requests", "5")
    assert bad.returncode == 2 and "Traceback" not in bad.stderr
    assert bad.stderr.strip().count("\n") == 0


def test_no_color_even_when_forced_terminal():
    forced = _cli(*ARTICLE, env={"FORCE_COLOR": "1", "NO_COLOR": "1", "TERM": "xterm"})
    assert "\x1b[3" not in forced.stdout  # no colour sequences
