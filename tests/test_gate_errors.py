"""The budget gate fails closed: a request that may be billed is priced, and an error-severity
notice (a retired model, no price on the date, a request the API refuses) fails the gate
whatever the cost. Figures worked out by hand from the price table."""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def opus45(text: str, cid: str = "a", max_tokens: int = 1000) -> dict:
    body = {
        "model": "claude-opus-4-5",
        "max_tokens": max_tokens,
        "system": [{"type": "text", "text": text, "cache_control": {"type": "ephemeral"}}],
        "messages": [{"role": "user", "content": "hi"}],
    }
    return {"custom_id": cid, "params": body}


def write(path, *requests):
    path.write_text("".join(json.dumps(r) + "\n" for r in requests))
    return path


def test_request_whose_low_estimate_fits_is_priced_and_fails_a_small_budget(cli, tmp_path):
    # "hello world " x 93,000 is 186,001 cl100k tokens (the trailing space is one more). Opus
    # 4.5 counts prose at 1.00 / 1.10 / 1.20 cl100k: 186,001 low, ~204,601 central, 223,201
    # high, against a 200,000-token window. The low count fits, so the API may bill it.
    f = write(tmp_path / "big.jsonl", opus45("hello world " * 93_000))
    code, out, err = cli("check", str(f), "--format", "json")
    doc = json.loads(out)
    assert code == 0, err
    assert doc["rejected_requests_not_priced"] == 0
    assert {p["kind"] for p in doc["problems"]} == {"context_window_maybe", "cache_never_read"}
    # Worst case at batch rates, on the high count: 223,201 written (5m, $6.25/2 = $3.125/M)
    # + the 1 token after the breakpoint ($5/2 = $2.50/M) + max_tokens 1,000 ($25/2 = $12.50/M).
    worst = D(223_201) * D("3.125") / 10**6 + D("2.50") / 10**6 + 1000 * D("12.50") / 10**6
    assert worst == D("0.710005625")
    assert D(doc["cost"]["worst"]["batch_cache"]) == worst
    code, _, err = cli("check", str(f), "--budget", "0.01")
    assert code == 1 and "over budget" in err
    # A warning (may exceed) does not fail a budget the worst case fits in.
    code, _, err = cli("check", str(f), "--budget", "1")
    assert code == 0, err


def test_request_over_the_window_even_at_its_low_estimate_is_left_out(cli, tmp_path):
    # "hello world " x 100,001 is 200,003 cl100k tokens: over 200,000 even at ratio 1.00.
    big = opus45("hello world " * 100_001, "big")
    small = opus45("short", "small")
    f = write(tmp_path / "b.jsonl", big, small)
    code, out, err = cli("check", str(f), "--format", "json")
    doc = json.loads(out)
    assert doc["rejected_requests_not_priced"] == 1
    assert {p["kind"]: p["lines"] for p in doc["problems"]}["context_window"] == [1]
    # The refused request is an error: with a budget the gate fails although $ fits.
    code, out, err = cli("check", str(f), "--budget", "100", "--format", "json")
    assert code == 1
    assert json.loads(out)["budget"]["failed_by"] == ["context_window"]
    assert "budget check failed" in err and "context_window" in err
    # Alone it leaves nothing to price: exit 2.
    code, _, err = cli("check", str(write(tmp_path / "one.jsonl", big)), "--budget", "100")
    assert code == 2 and "1 context_window" in err


EST = ["estimate", "--shared", "1k", "--requests", "10"]


def test_retired_model_fails_the_estimate_budget(cli):
    # Opus 4.1: 10 x 1,000 uncached tokens (under its 1,024 minimum) at $15/2 = $0.075.
    code, out, err = cli(*EST, "--model", "opus-4.1", "--budget", "100", "--format", "json")
    budget = json.loads(out)["budget"]
    assert (budget["total_usd"], budget["within"]) == ("0.075", True)
    assert budget["failed_by"] == ["model_retired"] and budget["passes"] is False
    assert code == 1 and "budget check failed" in err and "within budget" in err
    # Without a gate there is nothing to fail: the estimate is still shown.
    assert cli(*EST, "--model", "opus-4.1")[0] == 0


def test_no_price_on_the_date_fails_the_estimate_budget(cli):
    code, out, err = cli(
        *EST, "--model", "opus-4.7", "--budget", "100", "--date", "1900-01-01", "--format", "json"
    )
    assert code == 1, err
    assert json.loads(out)["budget"]["failed_by"] == ["not_yet_released"]
    # Several models: any one with an error fails the gate.
    code, _, err = cli(*EST, "--model", "opus-4.7,opus-4.1", "--budget", "100")
    assert code == 1 and "opus-4.1: budget check failed" in err


def test_retired_model_fails_the_plan_budget(cli, tmp_path):
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "jobs:\n  - name: old\n    model: opus-4.1\n    requests: 10\n    shared: 1k\n"
        "  - name: new\n    model: opus-4.7\n    requests: 10\n    shared: 1k\n"
    )
    code, out, err = cli("plan", str(plan), "--budget", "100", "--format", "json")
    # $0.075 (Opus 4.1, above) + 10 x 1,000 x $5/2/M = $0.025 (Opus 4.7).
    assert D(json.loads(out)["budget"]["total_usd"]) == D("0.075") + D("0.025")
    assert code == 1 and "model_retired" in err


def test_retired_model_fails_the_check_budget(cli, tmp_path):
    body = {
        "model": "claude-opus-4-1",
        "max_tokens": 10,
        "messages": [{"role": "user", "content": "hi"}],
    }
    f = write(tmp_path / "r.jsonl", {"custom_id": "a", "params": body})
    code, out, err = cli("check", str(f), "--budget", "100", "--format", "json")
    assert code == 1, err
    assert json.loads(out)["budget"]["failed_by"] == ["retired_model"]


def test_python_api_gate_fails_on_a_refused_request():
    import pytest

    import costcalc

    hi = {"role": "user", "content": "hi"}
    body = {"model": "claude-opus-4-7", "max_tokens": 10, "messages": [hi]}
    reqs = [
        {"custom_id": "a", "params": body},
        {"custom_id": "b", "params": {**body, "temperature": 0.5}},
    ]
    report = costcalc.check(reqs, budget=100)
    assert report.budget.within and report.within_budget is False
    assert report.budget.errors == ("temperature_rejected",)
    with pytest.raises(costcalc.OverBudget, match="temperature_rejected"):
        costcalc.ensure_within_budget(reqs, 100)
    # Without the refused request the same budget passes.
    assert costcalc.ensure_within_budget(reqs[:1], 100).within_budget is True


def test_html_check_report_marks_an_error_failed_gate(cli, tmp_path):
    page = tmp_path / "check.html"
    code, _, err = cli(
        "check", str(EXAMPLES / "request_rules.jsonl"), "--budget", "100", "--format", "html",
        "--out", str(page),
    )  # fmt: skip
    assert code == 1, err
    html = page.read_text()
    assert '<h2>Budget</h2><ul><li class="fail">' in html and "budget check failed" in html


def test_unpriced_request_fails_the_check_budget_in_json_and_html_too(cli, tmp_path):
    # One request on a model the price table does not have: the file's cost is not known, so
    # the gate fails in every form it is shown in, not only in the exit status.
    known = opus45("hello", cid="a")
    unknown = {**opus45("hello", cid="b"), "params": {**known["params"], "model": "claude-nope"}}
    path = write(tmp_path / "b.jsonl", known, unknown)
    code, out, _ = cli("check", str(path), "--budget", "100", "--format", "json")
    doc = json.loads(out)
    assert code == 1
    assert doc["budget"]["within"] is True  # the priced request alone is within
    assert doc["budget"]["passes"] is False
    assert doc["budget"]["failed_by"] == ["unpriced_unknown_model"]
    page = tmp_path / "r.html"
    code, _, _ = cli("check", str(path), "--budget", "100", "--format", "html", "--out", str(page))
    assert code == 1
    text = page.read_text()
    assert "budget check failed" in text and 'class="fail"' in text
    # --allow-unpriced gates on the priced requests alone, and says so everywhere.
    code, out, _ = cli(
        "check", str(path), "--budget", "100", "--allow-unpriced", "--format", "json"
    )
    assert code == 0 and json.loads(out)["budget"]["passes"] is True
