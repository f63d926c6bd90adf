"""A result line costcalc cannot read fails every budget gate it could belong to.

A succeeded line whose usage is not whole token counts from 0 to 10^9 (truncated JSON, -1000,
1000.5, 2x10^9) may still be a billed request: its cost is not known, so the total gate fails,
and so does every group's gate since its group is not known either. A line that is clearly
not billed (an errored result) passes.

Figures by hand, Opus 4.7 at batch prices (half of $5 input and $25 output per million tokens,
https://platform.claude.com/docs/en/about-claude/pricing ;
https://platform.claude.com/docs/en/build-with-claude/batch-processing):
  1,000 input x $2.50/MTok + 1,000 output x $12.50/MTok = $0.0025 + $0.0125 = $0.015
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import pytest

import costcalc

DAY = "2026-11-24"
GOOD_COST = D(1000) * D("2.50") / 10**6 + D(1000) * D("12.50") / 10**6  # 0.015


def good(custom_id: str) -> dict:
    usage = {"input_tokens": 1000, "output_tokens": 1000, "service_tier": "batch"}
    return {
        "custom_id": custom_id,
        "result": {"type": "succeeded", "message": {"model": "claude-opus-4-7", "usage": usage}},
    }


def bad_usage(value) -> str:
    item = good("team-x")
    item["result"]["message"]["usage"]["input_tokens"] = value
    return json.dumps(item)


MALFORMED = {
    "truncated": json.dumps(good("team-x"))[:60],
    "negative": bad_usage(-1000),
    "fraction": bad_usage(1000.5),
    "over the cap": bad_usage(2 * 10**9),
    "unknown result type": json.dumps({"custom_id": "team-x", "result": {"type": "weird"}}),
    "not a result": "{}",
}


def results(tmp_path: Path, extra: str) -> Path:
    path = tmp_path / "r.jsonl"
    lines = [json.dumps(good("teama-1")), json.dumps(good("teamb-1")), extra]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("line", list(MALFORMED.values()), ids=list(MALFORMED))
def test_a_malformed_line_fails_the_total_and_every_group_gate(cli, tmp_path, line):
    path = results(tmp_path, line)
    # Two readable lines: 2 x $0.015 = $0.03, well within $1 and within $1 per group.
    args = ["actual", str(path), "--date", DAY, "--budget", "1", "--format", "json"]
    args += ["--group-by", "custom_id:^([a-z]+)-", "--budget-per-group", "1"]
    code, out, err = cli(*args)
    got = json.loads(out)
    assert code == 1
    assert D(got["total_usd"]) == 2 * GOOD_COST == D("0.03")
    gates = {g["label"]: (g["passed"], g["malformed_lines"]) for g in got["budgets"]}
    assert gates == {"total": (False, 1), "teama": (False, 1), "teamb": (False, 1)}
    assert all(g["within"] for g in got["budgets"])  # the priced part alone is within
    assert "1 result line could not be read" in err
    assert "the cost is not known" in err


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_one_file_budget_fails_on_a_malformed_line(cli, tmp_path, fmt):
    path = results(tmp_path, MALFORMED["negative"])
    code, _, err = cli("actual", str(path), "--date", DAY, "--budget", "1", "--format", fmt)
    assert code == 1 and "1 result line could not be read" in err


def test_html_says_the_gate_failed(cli, tmp_path):
    path = results(tmp_path, MALFORMED["truncated"])
    out = tmp_path / "report.html"
    code, _, _ = cli(
        "actual", str(path), "--date", DAY, "--budget", "1", "--format", "html", "--out", str(out)
    )
    page = out.read_text(encoding="utf-8")
    assert code == 1
    assert '<li class="fail">' in page and '<li class="pass">' not in page
    assert "could not be read" in page


def test_an_errored_line_is_not_billed_and_passes(cli, tmp_path):
    errored = {"custom_id": "t-9", "result": {"type": "errored", "error": {"odd": [1, 2]}}}
    path = results(tmp_path, json.dumps(errored))
    code, out, _ = cli(
        "actual", str(path), "--date", DAY, "--budget", "1", "--group-by", "model",
        "--budget-per-group", "1", "--format", "json",
    )  # fmt: skip
    got = json.loads(out)
    assert code == 0 and got["files"][0]["malformed_lines"] == 0
    assert [g["passed"] for g in got["budgets"]] == [True, True]


def test_api_within_budget_fails_closed_and_shows_the_count():
    bad = json.loads(bad_usage(-5))
    report = costcalc.price_results([good("a-1"), bad], on=DAY, budget="1")
    assert report.total == GOOD_COST
    assert report.within_budget is False
    assert "malformed=1" in repr(report)
    assert json.loads(report.to_json())["malformed_lines"] == [2]
    clean = costcalc.price_results([good("a-1")], on=DAY, budget="1")
    assert clean.within_budget is True
    assert costcalc.price_results([good("a-1")], on=DAY).within_budget is None
    # $0.015 over a $0.01 budget: over by $0.005.
    assert costcalc.price_results([good("a-1")], on=DAY, budget="0.01").within_budget is False
