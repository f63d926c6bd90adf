"""`costcalc reconcile` against a fake Admin API on 127.0.0.1.

Every expected figure below is worked out by hand from Anthropic's published prices
(https://platform.claude.com/docs/en/about-claude/pricing), as pricing.yaml carries them:
Claude Sonnet 5.5 is $2 input, $2.50 5-minute write, $10 output per MTok; its cache read is
$0.20 until 2026-10-06 and $0.10 from 2026-10-07 (a dated price change inside the range). Batch
halves every class: $1 input, $1.25 write, $5 output, read $0.10 then $0.05. US-only inference
is 1.1x; a web search is $10 per 1,000. Cost report amounts are cents: "100.00" is $1.00.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import jsonschema
import pytest
from fake_admin import COST, USAGE, FakeAdmin, cost, start_server, usage

import costcalc
from costcalc.read.admin_api import AdminClient, _wait
from costcalc.read.admin_reports import windows

SONNET = "claude-sonnet-5-5"
RANGE = ("--from", "2026-10-05", "--to", "2026-10-07")


def _reports():
    FakeAdmin.reports = {
        USAGE: {
            "2026-10-05": [
                usage(SONNET, "batch", input=1_000_000, read=10_000_000, output=200_000)
            ],
            "2026-10-06": [
                usage(SONNET, "priority", input=500_000, output=100_000),
                usage(SONNET, "standard", geo="us", input=1_000_000),
                usage(SONNET, "standard", searches=30),
            ],
            "2026-10-07": [
                usage(
                    SONNET,
                    "batch",
                    input=1_000_000,
                    read=10_000_000,
                    write_5m=400_000,
                    output=200_000,
                )
            ],
        },
        COST: {
            "2026-10-05": [
                cost("100.00", token_type="uncached_input_tokens", model=SONNET, tier="batch"),
                cost("100.00", token_type="cache_read_input_tokens", model=SONNET, tier="batch"),
                # $1.004: within a cent of costcalc's $1.00 at the report's precision ($0.001)
                cost("100.4", token_type="output_tokens", model=SONNET, tier="batch"),
            ],
            "2026-10-06": [
                cost("220.00", token_type="uncached_input_tokens", model=SONNET, tier="standard"),
                cost("30.00", cost_type="web_search"),
                cost("15.50", cost_type="code_execution"),
            ],
            "2026-10-07": [
                cost("100.00", token_type="uncached_input_tokens", model=SONNET, tier="batch"),
                # the deliberate mismatch: billed at the old $0.10 batch read, costcalc $0.05
                cost("100.00", token_type="cache_read_input_tokens", model=SONNET, tier="batch"),
                cost(
                    "50.00",
                    token_type="cache_creation.ephemeral_5m_input_tokens",
                    model=SONNET,
                    tier="batch",
                ),
                cost("100.00", token_type="output_tokens", model=SONNET, tier="batch"),
            ],
        },
    }


@pytest.fixture
def admin(monkeypatch):
    server = start_server()
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("ANTHROPIC_ADMIN_API_KEY", "sk-ant-admin-test")
    _reports()
    yield FakeAdmin
    server.shutdown()
    server.server_close()


def _json(cli, *argv):
    code, out, err = cli("reconcile", *RANGE, "--format", "json", *argv)
    return code, (json.loads(out) if out else None), err


def test_totals_differences_and_known_reasons(cli, admin):
    code, doc, err = _json(cli)
    assert code == 0, err
    # billed: 10-05 1.00 + 1.00 + 1.004; 10-06 2.20 + 0.30 + 0.155; 10-07 1.00+1.00+0.50+1.00
    assert D(doc["billed_usd"]) == D("3.004") + D("2.655") + D("3.50") == D("9.159")
    # priced (compared cells): 10-05 batch 1M x $1 + 10M x $0.10 + 0.2M x $5 = 3.00;
    # 10-06 US input 1M x $2 x 1.1 = 2.20, 30 searches x $0.01 = 0.30;
    # 10-07 batch 1M x $1 + 10M x $0.05 + 0.4M x $1.25 + 0.2M x $5 = 1 + 0.5 + 0.5 + 1 = 3.00
    assert D(doc["usage_priced_usd"]) == D("3.00") + D("2.50") + D("3.00") == D("8.50")
    # billed minus priced over compared cells: 0.004 (within the cent) + 0.50 (the mismatch)
    assert D(doc["difference_usd"]) == D("0.504")
    # code execution: billed $0.155 with no usage rows
    assert D(doc["not_compared_billed_usd"]) == D("0.155")
    assert D("8.50") + D("0.504") + D("0.155") == D("9.159")
    [diff] = doc["differences"]
    assert (diff["day"], diff["model"], diff["service_tier"], diff["token_type"]) == (
        "2026-10-07",
        SONNET,
        "batch",
        "cache_read",
    )
    assert (D(diff["usage_priced_usd"]), D(diff["billed_usd"])) == (D("0.50"), D("1.00"))
    assert D(diff["difference_usd"]) == D("0.50")
    assert diff["tokens"] == 10_000_000
    reasons = {(c["token_type"], c["service_tier"]): c["reason"] for c in doc["not_compared"]}
    assert reasons == {
        ("input", "priority"): "priority_tier",
        ("output", "priority"): "priority_tier",
        ("code_execution", None): "no_usage_report",
    }
    codes = {n["code"] for n in doc["notices"]}
    assert codes == {"reconcile_priority_tier", "reconcile_no_usage_report", "reconcile_differs"}
    # the 10-05 output cell agrees: $1.004 billed, $1.00 priced, under a cent apart
    out_0505 = next(
        c for c in doc["cells"] if c["day"] == "2026-10-05" and c["token_type"] == "output"
    )
    assert out_0505["status"] == "agree"


def test_json_validates_against_the_published_schema(cli, admin, tmp_path):
    schema_path = Path(costcalc.__file__).parent / "schemas" / "reconcile.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    code, doc, _ = _json(cli, "--budget", "100")
    assert code == 1 and doc["schema_version"] == 1
    validator = jsonschema.Draft202012Validator(schema)
    assert not list(validator.iter_errors(doc))
    doc["billed_usd"] = 9.159
    assert not validator.is_valid(doc)


def test_pages_headers_and_ranges(cli, admin):
    code, _, err = _json(cli)
    assert code == 0, err
    asked = [(path, q.get("page", [None])[0]) for path, q, _ in admin.requests]
    # three days in pages of two buckets: two pages per report, the second with page=2
    assert asked == [(USAGE, None), (USAGE, "2"), (COST, None), (COST, "2")]
    _, query, headers = admin.requests[0]
    assert query["starting_at"] == ["2026-10-05T00:00:00Z"]
    assert query["ending_at"] == ["2026-10-08T00:00:00Z"]
    assert query["bucket_width"] == ["1d"] and query["limit"] == ["3"]
    assert set(query["group_by[]"]) == {
        "model",
        "service_tier",
        "context_window",
        "inference_geo",
        "speed",
    }
    assert headers["x-api-key"] == "sk-ant-admin-test"
    assert headers["anthropic-version"] == "2023-06-01"
    assert "fast-mode-2026-02-01" in headers["anthropic-beta"]
    assert admin.requests[2][1]["group_by[]"] == ["description"]
    assert "anthropic-beta" not in admin.requests[2][2]  # the cost report needs no beta


def test_a_range_over_31_days_is_several_calls(cli, admin):
    code, doc, err = _json(cli, "--from", "2026-09-01", "--to", "2026-10-10")
    assert code == 0, err
    starts = [q["starting_at"][0] for p, q, _ in admin.requests if p == USAGE and "page" not in q]
    # 40 days: 31 (09-01..10-01) then 9 (10-02..10-10)
    assert starts == ["2026-09-01T00:00:00Z", "2026-10-02T00:00:00Z"]
    assert D(doc["billed_usd"]) == D("9.159")
    assert windows(date(2026, 1, 1), date(2026, 3, 15)) == [
        (date(2026, 1, 1), date(2026, 1, 31)),
        (date(2026, 2, 1), date(2026, 3, 3)),
        (date(2026, 3, 4), date(2026, 3, 15)),
    ]


def test_429_then_200_is_retried(cli, admin):
    admin.script = [(429, None)]
    code, doc, err = _json(cli)
    assert code == 0, err
    assert D(doc["billed_usd"]) == D("9.159")
    assert [p for p, _, _ in admin.requests][:2] == [USAGE, USAGE]


def test_429_forever_fails_closed(cli, admin):
    admin.script = [(429, None)] * 5
    code, out, err = cli("reconcile", *RANGE)
    assert (code, out) == (2, "")
    assert "429" in err and "5 tries" in err and len(err.strip().splitlines()) == 1


def test_5xx_after_retries_fails_closed(cli, admin):
    admin.script = [(503, None)] * 5
    code, out, err = cli("reconcile", *RANGE)
    assert (code, out) == (2, "") and "HTTP 503" in err


def test_401_non_admin_key(cli, admin, monkeypatch):
    monkeypatch.setenv("ANTHROPIC_ADMIN_API_KEY", "sk-ant-api03-regular")
    code, out, err = cli("reconcile", *RANGE)
    assert (code, out) == (2, "")
    assert "HTTP 401" in err and "Admin API key" in err
    assert len(admin.requests) == 1  # a refused key is not retried


def test_no_key(cli, admin, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_ADMIN_API_KEY")
    code, _, err = cli("reconcile", *RANGE)
    assert code == 2 and "ANTHROPIC_ADMIN_API_KEY" in err
    assert admin.requests == []


@pytest.mark.parametrize(
    "body",
    [
        b"not json",
        {"data": "x", "has_more": False},
        {"data": [{"starting_at": "2026-10-05T00:00:00Z", "results": [{"output_tokens": -1}]}]},
        {"data": [], "has_more": True, "next_page": None},
        {"data": [{"starting_at": "2030-01-01T00:00:00Z", "results": []}], "has_more": False},
    ],
)
def test_malformed_page_fails_closed(cli, admin, body):
    admin.script = [(200, body)]
    code, out, err = cli("reconcile", *RANGE)
    assert (code, out) == (2, "") and "cannot read" in err


def test_bad_amount_fails_closed(cli, admin):
    admin.reports[COST]["2026-10-06"].append(cost("12,5", cost_type="web_search"))
    code, _, err = cli("reconcile", *RANGE)
    assert code == 2 and "bad amount" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("--from", "2026-10-07", "--to", "2026-10-05"),
        ("--from", "2026-13-01", "--to", "2026-12-05"),
        ("--from", "2024-01-01", "--to", "2026-01-01"),
    ],
)
def test_bad_dates(cli, admin, argv):
    code, _, err = cli("reconcile", *argv)
    assert code == 2 and len(err.strip().splitlines()) >= 1
    assert admin.requests == []


def test_budget_gates_the_billed_total(cli, admin):
    # batch tier only: 10-05 3.004 + 10-07 3.50 = 6.504 billed
    code, doc, _ = _json(cli, "--tier", "batch", "--budget", "7")
    assert code == 0 and D(doc["billed_usd"]) == D("6.504")
    assert admin.requests[0][1]["service_tiers[]"] == ["batch"]
    code, doc, _ = _json(cli, "--tier", "batch", "--budget", "6.50")
    assert code == 1 and D(doc["budget"]["over_by_usd"]) == D("0.004")


def test_priority_usage_never_passes_a_budget(cli, admin):
    # 9.159 billed is under 100, but Priority Tier usage is not in the bill
    code, _, err = cli("reconcile", *RANGE, "--budget", "100")
    assert code == 1 and "Priority Tier" in err


def test_unknown_model_is_unpriced_never_zero(cli, admin):
    admin.reports[USAGE]["2026-10-05"].append(usage("claude-nova-9", "batch", input=1_000))
    admin.reports[COST]["2026-10-05"].append(
        cost("7.00", token_type="uncached_input_tokens", model="claude-nova-9", tier="batch")
    )
    code, doc, _ = _json(cli)
    assert code == 0
    nova = next(c for c in doc["cells"] if c["model"] == "claude-nova-9")
    assert nova["usage_priced_usd"] is None and nova["reason"] == "unknown_model"
    assert (doc["agree"], doc["unpriced_cells"]) == (False, 1)
    assert D(doc["not_compared_billed_usd"]) == D("0.155") + D("0.07")
    assert D(doc["usage_priced_usd"]) == D("8.50")


def test_results_files_beside_the_batch_tier(cli, admin, tmp_path):
    line = {
        "custom_id": "a",
        "result": {
            "type": "succeeded",
            "message": {
                "model": SONNET,
                "usage": {
                    "input_tokens": 1_000_000,
                    "output_tokens": 200_000,
                    "service_tier": "batch",
                },
            },
        },
    }
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(line) + "\n", encoding="utf-8")
    code, doc, err = _json(cli, str(results))
    assert code == 0, err
    b = doc["batch"]
    # batched 1M input x $1 + 0.2M output x $5 = $2.00, of 6.504 billed in the batch tier
    assert D(b["results_usd"]) == D("2.00")
    assert D(b["batch_billed_usd"]) == D("6.504")
    assert D(b["share_pct"]) == D("2.00") * 100 / D("6.504")
    # batch input side billed: 10-05 1.00 + 1.00; 10-07 1.00 + 1.00 + 0.50 = 4.50, against
    # (11M + 11.4M) tokens x $2 standard input = 44.80
    assert D(b["input_billed_usd"]) == D("4.50") and D(b["input_at_standard_usd"]) == D("44.80")
    assert D(b["effective_input_pct"]) == D("4.50") * 100 / D("44.80")
    # floor: 11M x $0.10 + 11.4M x $0.05 = 1.67 -> 1.67 / 44.80
    assert D(b["floor_pct"]) == D("1.67") * 100 / D("44.80")


def test_table_and_csv(cli, admin):
    code, out, err = cli("reconcile", *RANGE)
    assert code == 0, err
    flat = "".join(out.split())  # the table folds to the width: compare without whitespace
    assert "$9.16" in flat and "$8.50" in flat and "costreporthasnoPriorityTier" in flat
    assert "1celldiffersfromthebill" in flat and "10.04%" in flat
    code, out, _ = cli("reconcile", *RANGE, "--format", "csv")
    rows = out.splitlines()
    assert rows[0].startswith("day,model,service_tier,token_type,tokens,usage_priced_usd")
    assert "2026-10-07,claude-sonnet-5-5,batch,cache_read,10000000,0.50,1.00,0.50,differ," in out


def test_wait_honours_retry_after_and_is_bounded():
    assert _wait("2", 1.0) == 2.0
    assert _wait("9999", 1.0) == 30.0
    assert _wait("soon", 4.0) == 4.0
    assert _wait(None, 64.0) == 30.0


def test_only_the_configured_base_url(admin):
    client = AdminClient.from_env(
        {"ANTHROPIC_ADMIN_API_KEY": "k", "ANTHROPIC_BASE_URL": "http://127.0.0.1:1/"}
    )
    assert client.base_url == "http://127.0.0.1:1"
    with pytest.raises(Exception, match="not an http"):
        AdminClient.from_env({"ANTHROPIC_ADMIN_API_KEY": "k", "ANTHROPIC_BASE_URL": "file:///x"})


def test_by_workspace_keeps_workspaces_apart(cli, admin):
    admin.reports[USAGE] = {
        "2026-10-05": [
            usage(SONNET, "batch", ws="wrkspc_a", input=1_000_000),
            usage(SONNET, "batch", ws=None, input=2_000_000),  # the default workspace
        ]
    }
    admin.reports[COST] = {
        "2026-10-05": [
            cost(
                "100", token_type="uncached_input_tokens", model=SONNET, tier="batch", ws="wrkspc_a"
            ),
            cost("200", token_type="uncached_input_tokens", model=SONNET, tier="batch"),
        ]
    }
    code, doc, err = _json(cli, "--by-workspace")
    assert code == 0, err
    assert "workspace_id" in admin.requests[0][1]["group_by[]"]
    assert admin.requests[-1][1]["group_by[]"] == ["description", "workspace_id"]
    # batched input $1/MTok: 1M = $1.00 in wrkspc_a, 2M = $2.00 in the default workspace
    assert (doc["agree"], doc["unpriced_cells"]) == (True, 0)
    got = {c["workspace_id"]: (D(c["usage_priced_usd"]), c["status"]) for c in doc["cells"]}
    assert got == {"wrkspc_a": (D("1.00"), "agree"), None: (D("2.00"), "agree")}
    code, doc, _ = _json(cli, "--workspace", "wrkspc_a")
    assert admin.requests[-2][1]["workspace_ids[]"] == ["wrkspc_a"]
    assert D(doc["billed_usd"]) == D("1.00")  # the cost report filtered to the workspace


def test_standard_only_table_has_no_batch_input(cli, admin):
    code, out, err = cli("reconcile", *RANGE, "--tier", "standard")
    assert code == 0, err
    flat = "".join(out.split())
    assert "nobatchinputbilledintherange" in flat and "Differences" not in out


def test_unreachable_api_fails_closed(cli, admin, monkeypatch):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # closed once the block ends: nothing listens there
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{port}")
    code, out, err = cli("reconcile", *RANGE)
    assert (code, out) == (2, "") and "cannot reach the Admin API" in err


def test_unknown_model_filter_is_exit_2_before_any_request(cli, admin):
    code, _, err = cli("reconcile", *RANGE, "--model", "sonet-5.5")
    assert code == 2 and "did you mean" in err
    assert admin.requests == []


def test_a_redirect_is_not_followed_so_the_key_goes_nowhere_else(cli, admin):
    other = start_server()  # resets FakeAdmin's state: script the redirect after it
    try:
        elsewhere = f"http://127.0.0.1:{other.server_address[1]}/v1/organizations/cost_report"
        admin.script = [(302, {}, {"location": elsewhere})]
        code, out, err = cli("reconcile", *RANGE)
        assert (code, out) == (2, "") and "HTTP 302" in err
        assert len(admin.requests) == 1  # the one request to the configured URL, no other
    finally:
        other.shutdown()
        other.server_close()


def test_text_from_the_reports_is_data(cli, admin):
    # a model name is text from the network: never a live formula in CSV, never a terminal
    # escape in the table
    evil = '=HYPERLINK("http://x")\x1b[31m'
    admin.reports[COST]["2026-10-05"].append(
        cost("1.00", token_type="output_tokens", model=evil, tier="batch")
    )
    code, out, _ = cli("reconcile", *RANGE, "--format", "csv")
    assert code == 0
    row = next(line for line in out.splitlines() if "HYPERLINK" in line)
    assert row.split(",")[1].startswith(("'", "\"'"))  # made text, as every costcalc CSV
    code, out, _ = cli("reconcile", *RANGE)
    assert code == 0 and "\x1b" not in out


def test_huge_counts_stay_exact(cli, admin):
    admin.reports[USAGE]["2026-10-05"] = [usage(SONNET, "batch", output=10**15)]
    admin.reports[COST]["2026-10-05"] = [
        cost("500000000000.00", token_type="output_tokens", model=SONNET, tier="batch")
    ]
    code, doc, _ = _json(cli, "--tier", "batch")
    assert code == 0
    cell = next(c for c in doc["cells"] if c["day"] == "2026-10-05")
    # 10^15 tokens x $5/MTok = $5,000,000,000 = 500,000,000,000 cents
    assert (D(cell["usage_priced_usd"]), cell["status"]) == (D("5000000000"), "agree")


def test_model_filter_sends_the_api_id(cli, admin):
    code, doc, _ = _json(cli, "--model", "sonnet-5.5")
    assert code == 0
    assert admin.requests[0][1]["models[]"] == [SONNET]
    # the code-execution and web-search rows have no model: left out of a model filter
    assert D(doc["billed_usd"]) == D("9.159") - D("0.155") - D("0.30")
