"""A cost that includes a lower-bound price can fail a budget gate but never pass it.

`actual` prices some result lines at a lower bound: Priority Tier (no public per-token price,
https://platform.claude.com/docs/en/api/service-tiers) at standard rates, an unknown
service_tier at standard rates (never batch), an unknown inference_geo at global rates, an
unknown speed at standard speed. Every gate such a line could be in (the total, its group)
fails, with the reason in the verdict, and its group's cost carries the lower-bound marker.
A group whose requests are all unpriced has no cost: null in JSON, "not priced" in the
workbook, "not known" in the verdict, never $0.

Figures by hand, Opus 4.7 (https://platform.claude.com/docs/en/about-claude/pricing: $5 input,
$25 output per million tokens; the Message Batches API halves both,
https://platform.claude.com/docs/en/build-with-claude/batch-processing), 1,000 input and 100
output tokens per line:
  batch:    1,000 x $2.50/MTok + 100 x $12.50/MTok = $0.0025 + $0.00125 = $0.00375
  standard: 1,000 x $5/MTok    + 100 x $25/MTok    = $0.005  + $0.0025  = $0.0075
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from xlsx_support import SKIP_REASON, SOFFICE, recalculate
from xlsx_support import values as read_values

import costcalc
from costcalc.compute.engine import BudgetCheck
from costcalc.messages import say

DAY = "2026-11-24"
M = 10**6
BATCH = (D(1000) * D("2.50") + D(100) * D("12.50")) / M  # 0.00375
STANDARD = (D(1000) * 5 + D(100) * 25) / M  # 0.0075
TEAMS = "custom_id:^([a-z]+)-"

# The usage fields that price a line at a lower bound, and the rate each is priced at.
LOWER = {
    "priority": ({"service_tier": "priority"}, STANDARD),
    "unknown tier": ({"service_tier": "flex"}, STANDARD),  # standard, never batch
    "unknown geo": ({"service_tier": "batch", "inference_geo": "eu"}, BATCH),
    "unknown speed": ({"service_tier": "batch", "speed": "turbo"}, BATCH),
    # 3,000 cache-write tokens in all, a breakdown of 1,000 at 5m: the 1,000 are priced at
    # the batch 5m write rate ($6.25/MTok halved, $3.125), the other 2,000 (TTL unsaid) are not.
    "cache writes left out": (
        {
            "service_tier": "batch",
            "cache_creation_input_tokens": 3000,
            "cache_creation": {"ephemeral_5m_input_tokens": 1000, "ephemeral_1h_input_tokens": 0},
        },
        BATCH + D(1000) * D("3.125") / M,  # 0.00375 + 0.003125 = 0.006875
    ),
}


def line(custom_id: str, model: str = "claude-opus-4-7", **extra) -> dict:
    usage = {"input_tokens": 1000, "output_tokens": 100, **extra}
    return {
        "custom_id": custom_id,
        "result": {"type": "succeeded", "message": {"model": model, "usage": usage}},
    }


def write(path: Path, items) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def gates_of(out: str) -> dict:
    return {g["label"]: g for g in json.loads(out)["budgets"]}


@pytest.mark.parametrize("case", list(LOWER))
def test_a_lower_bound_line_fails_the_total_and_its_group(cli, tmp_path, case):
    extra, rate = LOWER[case]
    path = write(tmp_path / "r.jsonl", [line("alpha-1"), line("beta-1", **extra)])
    args = ["actual", str(path), "--date", DAY, "--budget", "100", "--format", "json"]
    code, out, err = cli(*args, "--group-by", TEAMS, "--budget-per-group", "100")
    got = json.loads(out)
    assert code == 1
    # alpha-1 has no service_tier: the command's default, batch.
    assert D(got["total_usd"]) == BATCH + rate
    gates = gates_of(out)
    assert (gates["total"]["passed"], gates["beta"]["passed"], gates["alpha"]["passed"]) == (
        False,
        False,
        True,
    )
    assert gates["beta"]["lower_bound_requests"] == 1 and gates["beta"]["cost_is_lower_bound"]
    assert D(gates["beta"]["cost_usd"]) == rate and gates["beta"]["within"] is True
    groups = {g["key"][0]: g for g in got["groups"]}
    assert groups["beta"]["cost_is_lower_bound"] and not groups["alpha"]["cost_is_lower_bound"]
    assert got["total"]["cost_is_lower_bound"] and got["files"][0]["cost_is_lower_bound"]
    assert "within budget" not in err and "gates passed" not in err
    assert "group beta: the cost is a lower bound: 1 succeeded request priced at a lower" in err
    assert err.count("budget check failed") == 2  # the total's gate and beta's, once each


def test_unknown_tier_is_standard_never_batch(cli, tmp_path):
    path = write(tmp_path / "r.jsonl", [line("beta-1", service_tier="flex")])
    code, out, _ = cli("actual", str(path), "--date", DAY, "--format", "json")
    got = json.loads(out)
    assert code == 0 and D(got["total_usd"]) == STANDARD == D("0.0075")
    _, table, err = cli("actual", str(path), "--date", DAY)
    assert "(never batch), a lower bound" in " ".join((table + err).split())


def test_one_file_gate_and_the_python_api(cli, tmp_path):
    path = write(tmp_path / "r.jsonl", [line("a-1", service_tier="priority")])
    code, _, err = cli("actual", str(path), "--date", DAY, "--budget", "100")
    assert code == 1
    assert "the cost is a lower bound" in err and "cost at least $0.0075 of a $100.00" in err
    report = costcalc.price_results([line("a-1", service_tier="priority")], on=DAY, budget="100")
    assert report.total == STANDARD and report.within_budget is False


def test_over_budget_on_the_lower_bound_alone_says_at_least(cli, tmp_path):
    path = write(tmp_path / "r.jsonl", [line("a-1", service_tier="priority")])
    # $0.0075 against $0.005: over by at least $0.0025.
    code, _, err = cli("actual", str(path), "--date", DAY, "--budget", "0.005")
    assert code == 1
    assert "cost at least $0.0075, over the $0.0050 budget by at least $0.0025" in err


def test_table_csv_and_html_mark_the_lower_bound(cli, tmp_path):
    path = write(tmp_path / "r.jsonl", [line("alpha-1"), line("beta-1", service_tier="priority")])
    group = ("--group-by", TEAMS)
    _, table, _ = cli("actual", str(path), "--date", DAY, *group)
    beta = next(r for r in table.splitlines() if r.strip().startswith("beta"))
    assert "$0.0075+" in beta
    _, csv, _ = cli("actual", str(path), "--date", DAY, *group, "--format", "csv")
    header, *rows = csv.splitlines()
    at = header.split(",").index("cost_is_lower_bound")
    flags = {r.split(",")[0]: r.split(",")[at] for r in rows}
    assert flags == {"beta": "true", "alpha": "false"}
    page = tmp_path / "r.html"
    code, _, _ = cli(
        "actual", str(path), "--date", DAY, *group, "--budget-per-group", "100",
        "--format", "html", "--out", str(page),
    )  # fmt: skip
    html = page.read_text(encoding="utf-8")
    assert code == 1
    assert '<li class="fail">' in html and "the cost is a lower bound" in html
    assert '<li class="pass">' in html  # alpha, all at batch rates


def unpriced_group(tmp_path: Path) -> Path:
    # alpha-1 priced at batch ($0.00375); beta-1 and beta-2 on a model not in the price table.
    items = [line("alpha-1", service_tier="batch")]
    items += [line(f"beta-{i}", "claude-mystery-1", service_tier="batch") for i in (1, 2)]
    return write(tmp_path / "r.jsonl", items)


def test_an_all_unpriced_group_has_no_cost_in_json_and_the_verdict(cli, tmp_path):
    path = unpriced_group(tmp_path)
    code, out, err = cli(
        "actual", str(path), "--date", DAY, "--group-by", TEAMS, "--budget", "100",
        "--budget-per-group", "100", "--format", "json",
    )  # fmt: skip
    assert code == 1
    beta = gates_of(out)["beta"]
    assert (beta["cost_usd"], beta["within"], beta["over_by_usd"]) == (None, None, None)
    assert beta["passed"] is False and beta["unpriced_requests"] == 2
    verdict = next(x for x in err.splitlines() if "group beta" in x)
    assert "the cost is not known: 2 succeeded requests could not be priced" in verdict
    assert "$0.00" not in verdict and "within budget" not in verdict
    total = next(x for x in err.splitlines() if "the real bill" in x)
    assert "the priced requests alone cost $0.00375 of a $100.00 budget" in total


def test_workbook_leaves_an_unpriced_group_not_priced(cli, tmp_path):
    path = unpriced_group(tmp_path)
    out = tmp_path / "r.xlsx"
    code, _, _ = cli(
        "actual", str(path), "--date", DAY, "--group-by", TEAMS, "--budget-per-group", "100",
        "--format", "xlsx", "--out", str(out),
    )  # fmt: skip
    assert code == 1
    wb = openpyxl.load_workbook(out, data_only=True)
    rows = list(wb["Groups"].iter_rows(values_only=True))
    head, by = rows[0], {r[0]: r for r in rows[1:]}
    cost, std, saving, note = (head.index(h) for h in head[-5:-2] + head[-1:])
    assert by["beta"][cost] == by["beta"][std] == by["beta"][saving] == "not priced"
    assert by["beta"][note] == "not known: no request priced"
    assert D(repr(by["TOTAL"][cost])) == BATCH  # SUM skips the text: the priced groups only
    assert by["TOTAL"][note].startswith("lower bound")
    summary = {r[0]: r for r in wb["Summary"].iter_rows(values_only=True)}
    assert summary["Cost (USD)"][2].startswith("lower bound")
    assert summary["beta"][2] == "not priced" and summary["beta"][5] == "not known"
    assert summary["beta"][6] is False


@pytest.mark.skipif(SOFFICE is None, reason=SKIP_REASON)
def test_libreoffice_sums_skip_the_unpriced_group(cli, tmp_path):
    path = unpriced_group(tmp_path)
    out = tmp_path / "r.xlsx"
    cli(
        "actual",
        str(path),
        "--date",
        DAY,
        "--group-by",
        TEAMS,
        "--format",
        "xlsx",
        "--out",
        str(out),
    )
    made = read_values(recalculate([out], tmp_path)[out])
    rows = {r[0]: r for r in made["Groups"].iter_rows(values_only=True)}
    head = next(iter(made["Groups"].iter_rows(values_only=True)))
    cost, saving = head.index("Cost (USD)"), head.index("Saving (USD)")
    assert abs(D(repr(rows["TOTAL"][cost])) - BATCH) < D("1e-9")
    assert abs(D(repr(rows["TOTAL"][saving])) - (STANDARD - BATCH)) < D("1e-9")
    assert rows["beta"][cost] == "not priced"


def test_a_failed_gate_is_said_once():
    """check's verdict with unpriced requests and an error notice: one failure, then what the
    priced requests alone cost, never a second verdict inside the first."""
    check = BudgetCheck("batch", D("100"), D("0.5"), True, D(0), ("model_retired",))
    text = say("budget_unpriced", count=1, reasons=["unknown model"], check=check)
    assert text.count("budget check failed") == 1 and "within budget" not in text
    assert "1 error reported above (model_retired) also fails the gate" in text
    assert "the priced requests alone cost $0.50 of a $100.00 budget" in text
