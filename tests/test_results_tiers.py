"""costcalc actual: each result line priced by its own usage (service tier, speed, region), and
the problems reported with line numbers. Hand-worked from the usage examples on Anthropic's
prompt-caching page (https://platform.claude.com/docs/en/build-with-claude/prompt-caching, a
pre-warm request) and pricing page (https://platform.claude.com/docs/en/about-claude/pricing, a web
search request)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest

from costcalc.compute.actual import read_results
from costcalc.messages import render

TODAY = date(2026, 11, 24)


def line(custom_id="a", model="claude-opus-4-7", **usage):
    usage.setdefault("input_tokens", 0)
    usage.setdefault("output_tokens", 0)
    return {
        "custom_id": custom_id,
        "result": {"type": "succeeded", "message": {"model": model, "usage": usage}},
    }


def prewarm(**extra):
    # the prompt-caching page's pre-warm example: input 8, cache_creation 5,120 (all 5m),
    # output 0
    return dict(
        input_tokens=8,
        cache_creation_input_tokens=5120,
        cache_creation={"ephemeral_5m_input_tokens": 5120, "ephemeral_1h_input_tokens": 0},
        output_tokens=0,
        **extra,
    )


def web_search(**extra):
    # the pricing page's web search example: input 105, output 6,039, cache_read 7,123,
    # cache_creation 7,345, 1 search
    return dict(
        input_tokens=105,
        output_tokens=6039,
        cache_read_input_tokens=7123,
        cache_creation_input_tokens=7345,
        cache_creation={"ephemeral_5m_input_tokens": 7345, "ephemeral_1h_input_tokens": 0},
        server_tool_use={"web_search_requests": 1, "web_fetch_requests": 3},
        **extra,
    )


def run(tmp_path, items, pricing, batch=True):
    f = tmp_path / "r.jsonl"
    f.write_text("".join(json.dumps(i) + "\n" for i in items))
    return read_results(f, pricing, TODAY, batch=batch)


def codes(report):
    return {p.code: p.lines for p in report.problems}


@pytest.mark.parametrize(
    ("usage", "default_batch", "expected"),
    [
        # Opus 4.7 standard: 8 x $5 + 5,120 x $6.25 = 40 + 32,000 = 32,040 µ$ (pre-warm)
        (prewarm(service_tier="standard"), True, "0.03204"),
        # the line's tier wins over the command default: batch halves it
        (prewarm(service_tier="batch"), False, "0.01602"),
        # no service_tier: the command default
        (prewarm(), True, "0.01602"),
        (prewarm(), False, "0.03204"),
        # web search example at standard: 105 x 5 + 6,039 x 25 + 7,123 x 0.5 + 7,345 x 6.25
        # = 200,967.75 µ$ + $0.01 for one search; web fetches cost nothing extra
        (web_search(service_tier="standard"), True, "0.21096775"),
        # the same in a batch: tokens halved 0.100483875, the search fee is not: + 0.01
        (web_search(service_tier="batch"), True, "0.110483875"),
        # US-only inference, standard: 0.03204 x 1.1 = 0.035244
        (prewarm(service_tier="standard", inference_geo="us"), True, "0.035244"),
    ],
)
def test_each_line_priced_by_its_tier(pricing, tmp_path, usage, default_batch, expected):
    r = run(tmp_path, [line(**usage)], pricing, batch=default_batch)
    assert r.total == D(expected)
    assert r.problems == ()


def test_mixed_tiers_in_one_file(pricing, tmp_path):
    items = [
        line("a", **prewarm(service_tier="batch")),
        line("b", **prewarm(service_tier="standard")),
    ]
    r = run(tmp_path, items, pricing)
    assert r.total == D("0.01602") + D("0.03204")
    assert r.service_tiers == {"batch": 1, "standard": 1}


def test_web_fetches_are_counted_and_free(pricing, tmp_path):
    r = run(tmp_path, [line(**web_search(service_tier="standard"))], pricing)
    assert r.web_fetches == 3 and r.web_searches == 1 and r.total == D("0.21096775")


def test_priority_is_a_lower_bound_with_a_problem(pricing, tmp_path):
    r = run(
        tmp_path,
        [line(**prewarm(service_tier="batch")), line("b", **prewarm(service_tier="priority"))],
        pricing,
    )
    # batch 0.01602 + priority at standard 0.03204
    assert r.total == D("0.04806")
    assert codes(r) == {"priority_tier": (2,)}
    assert any("lower bound" in w for w in map(render, r.warnings))


def test_fast_at_fast_prices(pricing, tmp_path):
    # Opus 5 fast: $10 input, $12.50 5m write: 8 x 10 + 5,120 x 12.50 = 80 + 64,000 µ$
    r = run(
        tmp_path,
        [line(model="claude-opus-5", **prewarm(service_tier="standard", speed="fast"))],
        pricing,
    )
    assert r.total == D("0.06408") and r.service_tiers == {"fast": 1}
    # with US-only inference on top: 0.06408 x 1.1 = 0.070488
    us = prewarm(service_tier="standard", speed="fast", inference_geo="us")
    assert run(tmp_path, [line(model="claude-opus-5", **us)], pricing).total == D("0.070488")


def test_fast_in_a_batch_line_is_flagged_and_not_discounted(pricing, tmp_path):
    r = run(
        tmp_path,
        [line(model="claude-opus-5", **prewarm(service_tier="batch", speed="fast"))],
        pricing,
    )
    assert r.total == D("0.06408") and codes(r) == {"fast_in_batch": (1,)}


def test_fast_without_fast_prices_is_unpriced_not_zero(pricing, tmp_path):
    items = [
        line(**prewarm(service_tier="standard")),
        line("b", **prewarm(service_tier="standard", speed="fast")),
    ]
    r = run(tmp_path, items, pricing)
    # Opus 4.7 has no fast prices (not available:
    # https://platform.claude.com/docs/en/build-with-claude/fast-mode): line 2 is left out and said
    assert r.total == D("0.03204") and r.unpriced == 1
    assert codes(r) == {"fast_without_fast_prices": (2,)}
    assert r.counts["succeeded"] == 2
    assert r.per_request == D("0.03204")  # over the one priced request


def test_us_without_a_multiplier_names_the_lines(pricing, tmp_path):
    r = run(
        tmp_path, [line(model="claude-haiku-4-5-20251001", **prewarm(inference_geo="us"))], pricing
    )
    assert codes(r) == {"us_inference_unsupported": (1,)}
    assert any("Claude Haiku 4.5" in w and "(line 1)" in w for w in map(render, r.warnings))


def test_duplicate_custom_ids(pricing, tmp_path):
    items = [
        line("a", **prewarm()),
        line("b", **prewarm()),
        line("a", **prewarm()),
        line("a", **prewarm()),
    ]
    r = run(tmp_path, items, pricing)
    assert codes(r) == {"duplicate_custom_id": (3, 4)}
    assert r.total == 4 * D("0.01602")  # each line priced as billed


def test_cache_creation_that_disagrees_with_its_breakdown(pricing, tmp_path):
    # the prompt-caching page's own 1h example, aggregate 248 against its breakdown
    # 456 + 100 = 556
    usage = dict(
        input_tokens=2048,
        cache_read_input_tokens=1800,
        cache_creation_input_tokens=248,
        cache_creation={"ephemeral_5m_input_tokens": 456, "ephemeral_1h_input_tokens": 100},
        output_tokens=0,
        service_tier="standard",
    )
    r = run(tmp_path, [line(**prewarm()), line("b", **usage)], pricing)
    assert codes(r) == {"cache_creation_mismatch": (2,)}
    # breakdown priced, Opus 4.7 standard: 2,048 x 5 + 1,800 x 0.5 + 456 x 6.25 + 100 x 10
    # = 10,240 + 900 + 2,850 + 1,000 = 14,990 µ$; plus line 1 in a batch 0.01602
    assert r.total == D("0.01499") + D("0.01602")


def test_unknown_service_tier(pricing, tmp_path):
    # A tier the API does not document is priced at standard rates (the dearer of the two
    # known ones), never batch, as a lower bound. Opus 4.7 standard: 8 input x $5/MTok
    # + 5,120 5m writes x $6.25/MTok = 40 + 32,000 µ$ = $0.03204 (batch would be $0.01602).
    r = run(tmp_path, [line(**prewarm(service_tier="flex"))], pricing)
    assert r.total == (8 * D(5) + 5120 * D("6.25")) / 10**6 == D("0.03204")
    assert codes(r) == {"unknown_service_tier": (1,)}
    assert r.lower_bound == 1 and r.service_tiers == {"standard": 1}


def test_csv_row_of_an_unpriced_request_has_no_cost(cli, tmp_path):
    items = [line("a", **prewarm(service_tier="standard")), line("b", **prewarm(speed="fast"))]
    f = tmp_path / "r.jsonl"
    f.write_text("".join(json.dumps(i) + "\n" for i in items))
    code, out, _ = cli("actual", str(f), "--format", "csv")
    rows = out.splitlines()
    assert rows[0].endswith("cost_usd,service_tier,speed")
    assert rows[1] == "a,claude-opus-4-7,8,5120,0,0,0,0,false,0.03204,standard,standard"
    assert rows[2] == "b,claude-opus-4-7,8,5120,0,0,0,0,false,,,fast"
