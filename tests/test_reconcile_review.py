"""`costcalc reconcile`: the defects a hostile review found, each with a figure worked by hand.

Prices as pricing.yaml carries Anthropic's (https://platform.claude.com/docs/en/about-claude/pricing):
Claude Sonnet 5.5 is $2 input per MTok, batched $1; its cache read is $0.20 until 2026-10-06 and
$0.10 from 2026-10-07, batched $0.10 then $0.05. Cost report amounts are cents: "100" is $1.00.
"""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest
from fake_admin import COST, USAGE, FakeAdmin, cost, start_server, usage

SONNET = "claude-sonnet-5-5"
DAY = ("--from", "2026-11-02", "--to", "2026-11-02")
OCT = ("--from", "2026-10-05", "--to", "2026-10-07")


@pytest.fixture
def admin(monkeypatch):
    server = start_server()
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("ANTHROPIC_ADMIN_API_KEY", "sk-ant-admin-test")
    yield FakeAdmin
    server.shutdown()
    server.server_close()


def _json(cli, *argv):
    code, out, err = cli("reconcile", "--format", "json", *argv)
    return code, (json.loads(out) if out else None), err


def _results(tmp_path, *lines, name="results.jsonl"):
    path = tmp_path / name
    rows = [
        {
            "custom_id": f"r{i}",
            "result": {
                "type": "succeeded",
                "message": {"model": model, "usage": {**tokens, "service_tier": "batch"}},
            },
        }
        for i, (model, tokens) in enumerate(lines)
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def _one_batch_day(admin):
    # 1M batched Sonnet 5.5 input on 11-02, billed $1.00 (1M x $1)
    admin.reports = {
        USAGE: {"2026-11-02": [usage(SONNET, "batch", input=1_000_000)]},
        COST: {
            "2026-11-02": [
                cost("100", token_type="uncached_input_tokens", model=SONNET, tier="batch")
            ]
        },
    }


def test_a_repeated_model_adds_models(cli, admin):
    _one_batch_day(admin)
    code, doc, _ = _json(
        cli, *DAY, "--model", "sonnet-5.5", "--model", "opus-4.7", "--budget", "0.5"
    )
    # both models asked for; $1.00 billed of Sonnet 5.5 is over $0.50 by $0.50
    assert admin.requests[0][1]["models[]"] == [SONNET, "claude-opus-4-7"]
    assert code == 1 and D(doc["billed_usd"]) == D("1.00")
    assert D(doc["budget"]["over_by_usd"]) == D("0.50")


def test_unpriced_results_lines_fail_agree_and_the_budget(cli, admin, tmp_path):
    _one_batch_day(admin)
    results = _results(
        tmp_path,
        (SONNET, {"input_tokens": 500_000, "output_tokens": 0}),
        ("claude-zzz", {"input_tokens": 500_000, "output_tokens": 0}),
    )
    code, doc, _ = _json(cli, *DAY, "--budget", "100", results)
    # the known line: 0.5M x $1 = $0.50; the other is unpriced, never $0
    (f,) = doc["batch"]["results_files"]
    assert (D(f["total_usd"]), f["unpriced_requests"]) == (D("0.50"), 1)
    assert doc["agree"] is False and code == 1
    assert doc["budget"]["passes"] is False
    assert "unknown_model_unpriced" in doc["budget"]["failed_by"]
    assert "unknown_model_unpriced" in [n["code"] for n in doc["notices"]]


def _reads_on(days):
    # 10M batched Sonnet 5.5 cache reads on each day, billed at the batch read price of the day
    billed = {"2026-10-05": "100", "2026-10-06": "100", "2026-10-07": "50"}
    return {
        USAGE: {day: [usage(SONNET, "batch", read=10_000_000)] for day in days},
        COST: {
            day: [
                cost(billed[day], token_type="cache_read_input_tokens", model=SONNET, tier="batch")
            ]
            for day in days
        },
    }


READS = (SONNET, {"input_tokens": 0, "cache_read_input_tokens": 10_000_000, "output_tokens": 0})


def test_results_priced_on_the_day_their_batches_ran(cli, admin, tmp_path):
    admin.reports = _reads_on(["2026-10-05"])
    code, doc, err = _json(cli, *OCT, _results(tmp_path, READS))
    # the batch tier ran only on 10-05: 10M x $0.10 = $1.00, not 10-07's $0.50
    (f,) = doc["batch"]["results_files"]
    assert code == 0, err
    assert (D(f["total_usd"]), f["priced_on"]) == (D("1.00"), "2026-10-05")
    assert D(f["low_usd"]) == D(f["high_usd"]) == D("1.00")
    assert D(doc["batch"]["share_pct"]) == D(100)
    assert "reconcile_results_price_changed" not in [n["code"] for n in doc["notices"]]


def test_results_warn_when_the_day_cannot_be_told(cli, admin, tmp_path):
    admin.reports = _reads_on(["2026-10-05", "2026-10-07"])
    _, doc, _ = _json(cli, *OCT, _results(tmp_path, READS))
    # batches on both sides of the 10-07 change: $1.00 (10-05) or $0.50 (10-07), shown at 10-07
    (f,) = doc["batch"]["results_files"]
    assert (D(f["total_usd"]), f["priced_on"]) == (D("0.50"), "2026-10-07")
    assert (D(f["low_usd"]), D(f["high_usd"])) == (D("0.50"), D("1.00"))
    (warned,) = [n for n in doc["notices"] if n["code"] == "reconcile_results_price_changed"]
    assert warned["figures"]["changes"] == [{"model": SONNET, "changed": "2026-10-07"}]
    assert "price_changed_in_window" not in [n["code"] for n in doc["notices"]]
    _, out, _ = cli("reconcile", *OCT, _results(tmp_path, READS))
    assert "$0.50 to $1.00 over the range's prices" in " ".join(out.split())


def test_results_with_no_batch_usage_span_the_range(cli, admin, tmp_path):
    admin.reports = {USAGE: {}, COST: {}}
    _, doc, _ = _json(cli, *OCT, _results(tmp_path, READS))
    (f,) = doc["batch"]["results_files"]
    # any day: 10-06's $0.10 read gives $1.00, 10-07's $0.05 gives $0.50
    assert (D(f["low_usd"]), D(f["high_usd"]), f["priced_on"]) == (
        D("0.50"),
        D("1.00"),
        "2026-10-07",
    )


def test_a_bill_of_an_unknown_model_with_no_usage_is_unpriced(cli, admin):
    admin.reports = {
        USAGE: {"2026-11-02": []},
        COST: {
            "2026-11-02": [
                cost(
                    "100", token_type="uncached_input_tokens", model="claude-sonnet-9", tier="batch"
                ),
                cost("7", token_type="uncached_input_tokens", model="=1+2", tier="standard"),
                cost("3", token_type="uncached_input_tokens", model=SONNET, tier="@SUM(1)"),
            ]
        },
    }
    code, doc, err = _json(cli, *DAY, "--tier", "batch")
    # the batch tier no longer stops on the unknown model: $1.00 billed, not compared
    assert code == 0, err
    (cell,) = doc["cells"]
    assert (cell["status"], cell["reason"], cell["usage_priced_usd"]) == (
        "not_compared",
        "unknown_model",
        None,
    )
    assert (doc["agree"], doc["unpriced_cells"]) == (False, 1)
    assert D(doc["not_compared_billed_usd"]) == D("1.00")
    code, doc, err = _json(cli, *DAY)
    reasons = {c["model"]: c["reason"] for c in doc["cells"]}
    assert reasons == {
        "claude-sonnet-9": "unknown_model",
        "=1+2": "unknown_model",
        SONNET: "unknown_service_tier",
    }
    assert doc["unpriced_cells"] == 3 and D(doc["usage_priced_usd"]) == 0
    # 1.00 + 0.07 + 0.03 billed, all of it not compared
    assert D(doc["not_compared_billed_usd"]) == D(doc["billed_usd"]) == D("1.10")


def test_unpriced_usage_with_no_cost_rows_blocks_the_budget(cli, admin):
    admin.reports = {
        USAGE: {
            "2026-11-02": [
                usage(SONNET, "flex", input=100_000_000),
                usage("claude-sonnet-9", "standard", input=100_000_000),
                usage(None, None, cw=None, geo=None, speed=None, input=100_000_000),
            ]
        },
        COST: {"2026-11-02": []},
    }
    code, doc, _ = _json(cli, *DAY, "--budget", "5")
    assert code == 1 and D(doc["billed_usd"]) == 0
    assert doc["budget"]["failed_by"] == [
        "reconcile_unknown_model",
        "reconcile_unknown_service_tier",
    ]
    unknown = next(n for n in doc["notices"] if n["code"] == "reconcile_unknown_model")
    # a row with no model is named as such, never by its token type
    assert unknown["figures"]["names"] == ["claude-sonnet-9", None]
    assert "input" not in unknown["message"].split("(")[1].split(";")[0]
    assert "a row with no model" in unknown["message"]
    code, out, _ = cli("reconcile", *DAY, "--budget", "5")
    assert code == 1 and "budget check failed" in " ".join(out.split())


def test_usage_the_bill_lacks_blocks_the_budget(cli, admin):
    # a cost report lagging the usage report: 1M batched input priced $1.00, no cost row
    admin.reports = {
        USAGE: {"2026-11-02": [usage(SONNET, "batch", input=1_000_000)]},
        COST: {"2026-11-02": []},
    }
    code, doc, _ = _json(cli, *DAY, "--budget", "5")
    assert code == 1 and doc["budget"]["failed_by"] == ["reconcile_not_billed"]
    (lag,) = [n for n in doc["notices"] if n["code"] == "reconcile_not_billed"]
    assert D(lag["figures"]["priced"]) == D("1.00") and lag["figures"]["tokens"] == 1_000_000
    assert "lag" in lag["message"]
    assert D(doc["difference_usd"]) == D("-1.00") and doc["agree"] is False


@pytest.mark.parametrize(
    "argv",
    [
        ("--from", "9999-12-31", "--to", "9999-12-31"),
        ("--from", "9999-12-30", "--to", "9999-12-31"),
    ],
)
def test_the_last_calendar_day_is_refused_cleanly(cli, admin, argv):
    admin.reports = {USAGE: {}, COST: {}}
    code, out, err = cli("reconcile", *argv)
    assert code == 2 and out == "" and "9999-12-31" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert admin.requests == []


def test_the_first_calendar_day_is_asked_like_any_other(cli, admin):
    admin.reports = {USAGE: {}, COST: {}}
    code, _, err = cli("reconcile", "--from", "0001-01-01", "--to", "0001-01-01")
    assert code == 0, err
    assert admin.requests[0][1]["starting_at"] == ["0001-01-01T00:00:00Z"]
