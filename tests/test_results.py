"""costcalc actual: pricing results exactly (hand-checked cases), cache use, comparison."""

import csv
import io
import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from costcalc.compute.actual import read_results
from costcalc.messages import render

TODAY = date(2026, 11, 24)
EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def succeeded(
    custom_id,
    model,
    input_tokens=0,
    w5=0,
    w1=0,
    read=0,
    output=0,
    geo=None,
    searches=0,
    breakdown=True,
):
    usage = {
        "input_tokens": input_tokens,
        "cache_creation_input_tokens": w5 + w1,
        "cache_read_input_tokens": read,
        "output_tokens": output,
    }
    if breakdown:
        usage["cache_creation"] = {"ephemeral_5m_input_tokens": w5, "ephemeral_1h_input_tokens": w1}
    if geo:
        usage["inference_geo"] = geo
    if searches:
        usage["server_tool_use"] = {"web_search_requests": searches}
    return {
        "custom_id": custom_id,
        "result": {"type": "succeeded", "message": {"model": model, "usage": usage}},
    }


def write(path, items, extra=""):
    path.write_text("".join(json.dumps(i) + "\n" for i in items) + extra)
    return path


@pytest.mark.parametrize(
    "item, batch, expected",
    [
        # Opus 4.7 in a batch: 80,000 cache-read tokens x $0.50/M x 0.5
        (succeeded("a", "claude-opus-4-7", read=80_000), True, "0.02"),
        # 80,000 written with the 1h TTL in a batch: x $10/M x 0.5 = 0.40 (not 0.25, litellm's slip)
        (succeeded("a", "claude-opus-4-7", w1=80_000), True, "0.40"),
        # Sonnet 4.6 at standard rates: 10 x 3 + 4,513 x 3.75 + 4,332 x 0.30 + 211 x 15 (per MTok)
        (
            succeeded("a", "claude-sonnet-4-6", 10, w5=4_513, read=4_332, output=211),
            False,
            "0.02141835",
        ),
        # Haiku 4.5 at standard rates: 3 x 1 + 1,956 x 1.25 + 9,511 x 0.10 + 44 x 5
        (
            succeeded("a", "claude-haiku-4-5-20251001", 3, w5=1_956, read=9_511, output=44),
            False,
            "0.0036191",
        ),
        # the web search example of https://platform.claude.com/docs/en/about-claude/pricing:
        # 105 x 5 + 6,039 x 25 + 7,123 x 0.5 + 7,345 x 6.25 + one search $0.01
        (
            succeeded("a", "claude-opus-4-7", 105, w5=7_345, read=7_123, output=6_039, searches=1),
            False,
            "0.21096775",
        ),
        # the prompt-caching page's pre-warm example: 8 x 5 + 5,120 x 6.25, halved in a batch
        (succeeded("a", "claude-opus-4-7", 8, w5=5_120), True, "0.01602"),
        # US-only inference on Opus 4.7: 1.1x every class: 80,000 reads x $0.25/M x 1.1
        (succeeded("a", "claude-opus-4-7", read=80_000, geo="us"), True, "0.022"),
    ],
)
def test_hand_checked_prices(pricing, tmp_path, item, batch, expected):
    report = read_results(write(tmp_path / "r.jsonl", [item]), pricing, TODAY, batch=batch)
    assert report.total == D(expected)


def test_result_types_malformed_lines_and_cache_use(pricing, tmp_path):
    items = [
        succeeded("w", "claude-opus-4-7", 100, w5=80_000, output=500),
        succeeded("r1", "claude-opus-4-7", 100, read=80_000, output=500),
        succeeded("r2", "opus-4.7", 100, read=80_000, output=500),
        succeeded("n", "claude-opus-4-7", 80_100, output=500),
        {"custom_id": "e", "result": {"type": "errored", "error": {"type": "error"}}},
        {"custom_id": "c", "result": {"type": "canceled"}},
        {"custom_id": "x", "result": {"type": "expired"}},
    ]
    f = write(tmp_path / "r.jsonl", items, extra='{"broken\n{"custom_id": "z"}\n')
    r = read_results(f, pricing, TODAY)
    assert r.counts == {"succeeded": 4, "errored": 1, "canceled": 1, "expired": 1}
    assert r.malformed == [8, 9]
    assert (r.wrote, r.read, r.both, r.neither) == (1, 2, 0, 1)
    # batch: input 80,400 x $2.50/M = 0.201; write 80,000 x $3.125/M = 0.25;
    # reads 160,000 x $0.25/M = 0.04; output 2,000 x $12.50/M = 0.025
    assert [(line.token_class, line.tokens, line.cost) for line in r.lines] == [
        ("input", 80_400, D("0.201")),
        ("cache_write_5m", 80_000, D("0.25")),
        ("cache_write_1h", 0, D("0")),
        ("cache_read", 160_000, D("0.04")),
        ("output", 2_000, D("0.025")),
    ]
    assert r.total == D("0.516")
    assert r.read_share == D(160_000) / D(240_000)
    # input classes cost 0.491 against 320,400 tokens x $5/M = 1.602 at standard rates
    assert r.effective_input_rate == D("0.491") / D("1.602")
    assert any("2 malformed lines skipped" in w for w in map(render, r.warnings))


def test_aggregate_only_writes_are_priced_as_5m_and_said(pricing, tmp_path):
    f = write(tmp_path / "r.jsonl", [succeeded("a", "claude-opus-4-7", w5=80_000, breakdown=False)])
    r = read_results(f, pricing, TODAY)
    assert r.total == D("0.25") and r.ttl_unknown == 1
    assert any("priced as 5m" in w for w in map(render, r.warnings))


def test_us_on_a_model_without_the_multiplier_is_priced_global_with_a_warning(pricing, tmp_path):
    f = write(
        tmp_path / "r.jsonl", [succeeded("a", "claude-haiku-4-5-20251001", read=100_000, geo="us")]
    )
    r = read_results(f, pricing, TODAY)
    assert r.total == D("0.005")  # 100,000 x $0.10/M x 0.5
    assert any("no US multiplier" in w for w in map(render, r.warnings))


def test_unknown_model_is_a_clear_error(cli, tmp_path):
    # Nothing else to price: exit 2 (never $0), naming the model and how to price it.
    f = write(tmp_path / "r.jsonl", [succeeded("a", "claude-opus-4-9", read=1)])
    code, out, err = cli("actual", str(f))
    assert code == 2 and out == ""
    assert "r.jsonl: none of its 1 succeeded results can be priced" in err
    assert "claude-opus-4-9 (1 line; nearest known id" in err


def test_csv_has_one_row_per_succeeded_request(cli, tmp_path):
    items = [
        succeeded("a", "claude-opus-4-7", read=80_000),
        succeeded("b", "claude-opus-4-7", w1=80_000),
        {"custom_id": "c", "result": {"type": "canceled"}},
    ]
    f = write(tmp_path / "r.jsonl", items)
    code, out, _ = cli("actual", str(f), "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [(r["custom_id"], D(r["cost_usd"])) for r in rows] == [
        ("a", D("0.02")),
        ("b", D("0.40")),
    ]
    target = tmp_path / "out.csv"
    assert cli("actual", str(f), "--format", "csv", "--out", str(target))[0] == 0
    assert target.read_text() == out


def test_no_batch_and_json(cli, tmp_path):
    f = write(tmp_path / "r.jsonl", [succeeded("a", "claude-opus-4-7", read=80_000, output=100)])
    code, out, _ = cli("actual", str(f), "--no-batch", "--format", "json")
    doc = json.loads(out)
    assert doc["priced_as"] == "real-time"
    assert doc["total_usd"] == "0.0425"  # 80,000 x $0.50/M + 100 x $25/M
    assert doc["cache"]["effective_input_rate_vs_standard"] == "0.10"


def test_comparison_with_a_plan(cli, tmp_path):
    # Planned: 4 requests x 80,000 shared, 1 write, 500 output. Actual: every request wrote.
    items = [succeeded(f"r{i}", "claude-opus-4-7", 0, w5=80_000, output=500) for i in range(4)]
    f = write(tmp_path / "r.jsonl", items)
    code, out, _ = cli("actual", str(f), "--shared", "80k", "--output", "500", "--format", "json")
    c = json.loads(out)["comparison"]
    lines = {x["token_class"]: x for x in c["lines"]}
    assert (
        lines["cache_write_5m"]["estimated_tokens"],
        lines["cache_write_5m"]["actual_tokens"],
    ) == (80_000, 320_000)
    assert (lines["cache_read"]["estimated_tokens"], lines["cache_read"]["actual_tokens"]) == (
        240_000,
        0,
    )
    # estimated: 0.25 + 240,000 x $0.25/M = 0.06 + 2,000 x $12.50/M = 0.025; actual 1.00 + 0.025
    assert (c["estimated_total_usd"], c["actual_total_usd"]) == ("0.335", "1.025")
    assert any(
        e.startswith("more cache writes than planned: 80,000 tokens per request against 20,000")
        for e in c["explanations"]
    )
    assert any(e.startswith("fewer cache reads than planned") for e in c["explanations"])
    # What the estimate came from is the plan's figures, never a sentence: 4 billed requests,
    # the flags given, one write (the default), 5m TTL (the default), the results' one model.
    assert c["estimate"] == {
        "kind": "plan",
        "model": "claude-opus-4-7",
        "requests": 4,
        "shared_tokens": 80_000,
        "unique_tokens": 0,
        "output_tokens": 500,
        "ttl": "5m",
        "cache_writes": 1,
    }


def test_comparison_with_a_plan_words_its_source_only_in_the_table(cli, tmp_path):
    items = [succeeded(f"r{i}", "claude-opus-4-7", 0, w5=80_000, output=500) for i in range(4)]
    f = write(tmp_path / "r.jsonl", items)
    argv = ("actual", str(f), "--shared", "80k", "--unique", "1200", "--output", "500")
    code, out, err = cli(*argv, "--ttl", "1h", "--cache-writes", "2", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["comparison"]["estimate"] == {
        "kind": "plan",
        "model": "claude-opus-4-7",
        "requests": 4,
        "shared_tokens": 80_000,
        "unique_tokens": 1_200,
        "output_tokens": 500,
        "ttl": "1h",
        "cache_writes": 2,
    }
    code, out, err = cli(*argv, "--ttl", "1h", "--cache-writes", "2")
    assert code == 0, err
    assert (
        "the plan: 4 requests x (80,000 shared + 1,200 unique input, 500 output), 2 cache "
        "writes, 1h TTL on opus-4.7"
    ) in " ".join(out.split())


def test_comparison_with_the_request_file(cli):
    code, out, err = cli(
        "actual",
        str(EXAMPLES / "article_results.jsonl"),
        "--requests",
        str(EXAMPLES / "article_batch.jsonl"),
        "--format",
        "json",
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["results"] == {"succeeded": 17, "errored": 1, "canceled": 1, "expired": 1}
    c = doc["comparison"]
    # The request file as the user named it; the kind says it is the file as submitted.
    assert c["estimate"] == {
        "kind": "request_file",
        "file": str(EXAMPLES / "article_batch.jsonl"),
    }
    assert c["estimated_requests"] == 20
    assert any("17 requests were billed against 20 planned" in e for e in c["explanations"])
    assert any(e.startswith("more cache writes than planned") for e in c["explanations"])


def test_bad_input(cli, tmp_path):
    f = write(tmp_path / "r.jsonl", [succeeded("a", "claude-opus-4-7", read=1)])
    code, _, err = cli("actual", str(f), "--batch", "x.jsonl", "--shared", "5")
    assert code == 2 and "not both" in err
    code, _, err = cli("actual", str(tmp_path / "missing.jsonl"))
    assert code == 2 and "cannot read" in err


def test_batch_file_flag_and_its_old_spelling(cli, tmp_path):
    f = write(tmp_path / "r.jsonl", [succeeded("a", "claude-opus-4-7", read=1)])
    # The old --requests FILE is the same flag, with a warning naming the new one.
    code, _, err = cli("actual", str(f), "--requests", "x.jsonl", "--shared", "5")
    assert code == 2 and "--requests FILE is deprecated; use --batch FILE" in err


def test_options_a_format_cannot_honour_are_errors(cli, tmp_path):
    f = write(tmp_path / "r.jsonl", [succeeded("a", "claude-opus-4-7", read=1)])
    for extra in (["--batch", "x.jsonl"], ["--shared", "5"]):
        code, out, err = cli("actual", str(f), "--format", "csv", *extra)
        assert code == 2 and "csv has no comparison" in err and out == ""


def test_check_gate_qualifiers_need_a_budget(cli, tmp_path):
    f = tmp_path / "b.jsonl"
    f.write_text("")
    for extra in (["--against", "expected"], ["--allow-unpriced"]):
        code, _, err = cli("check", str(f), *extra)
        assert code == 2 and "add --budget USD" in err


def test_actual_ttl_alone_is_an_error(cli, tmp_path):
    f = write(tmp_path / "r.jsonl", [succeeded("a", "claude-opus-4-7", read=1)])
    code, _, err = cli("actual", str(f), "--ttl", "1h")
    assert code == 2 and "--ttl describes the plan" in err
