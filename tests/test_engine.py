"""The engine against numbers worked out by hand from Anthropic's published prices and rules:
https://platform.claude.com/docs/en/about-claude/pricing,
https://platform.claude.com/docs/en/build-with-claude/prompt-caching and
https://platform.claude.com/docs/en/build-with-claude/batch-processing."""

from datetime import date
from decimal import Decimal as D

import pytest

from costcalc.compute.engine import Workload, check_budget, cost, estimate, stacked_rate
from costcalc.errors import WorkloadError
from costcalc.messages import render

TODAY = date(2026, 11, 24)


def totals(est):
    return {s.name: s.total for s in est.scenarios}


def test_the_article_example(pricing):
    # 10,000 x 80,000 tokens on Opus 4.7 ($5 input, $6.25 5m write, $0.50 read; batch x0.5).
    est = estimate(pricing.resolve("opus-4.7"), Workload(10_000, 80_000), on=TODAY)
    assert totals(est) == {
        "standard": D("4000"),  # 800M x $5/M
        "batch": D("2000"),  # 800M x $2.50/M
        "cache": D("400.46"),  # 80k x $6.25/M = 0.50, 9,999 x 80k x $0.50/M = 399.96
        "batch_cache": D("200.23"),  # 80k x $3.125/M = 0.25, 799.92M x $0.25/M = 199.98
    }
    bc = est.scenario("batch_cache")
    assert bc.line("cache_write_5m").cost == D("0.25")
    assert bc.line("cache_read").cost == D("199.98")
    assert bc.line("cache_read").tokens == 9_999 * 80_000
    assert bc.savings == D("3799.77")
    assert bc.savings_pct == D("94.99425")  # 3799.77 / 4000
    assert bc.per_request == D("0.020023")
    assert est.warnings == ()


def test_sonnet_4_6_with_unique_input_output_and_1h_ttl(pricing):
    # N=1,000, S=50,000, U=2,000, O=800, 1h TTL. Sonnet 4.6: in 3, 1h write 6, read 0.30, out 15.
    w = Workload(1_000, 50_000, 2_000, 800, ttl="1h")
    est = estimate(pricing.resolve("sonnet-4.6"), w, on=TODAY)
    # standard: 1,000 x 52,000 = 52M x $3/M = 156; output 800k x $15/M = 12
    # cache: write 50k x $6/M = 0.30; reads 999 x 50k = 49.95M x $0.30/M = 14.985;
    #        unique 2M x $3/M = 6; output 12
    assert totals(est) == {
        "standard": D("168"),
        "batch": D("84"),
        "cache": D("33.285"),
        "batch_cache": D("16.6425"),
    }
    c = est.scenario("cache")
    assert [(line.token_class, line.tokens) for line in c.lines] == [
        ("input", 2_000_000),
        ("cache_write_1h", 50_000),
        ("cache_read", 49_950_000),
        ("output", 800_000),
    ]
    assert est.scenario("batch_cache").savings_pct == D("90.09375")  # 151.3575 / 168


def test_haiku_4_5_with_three_cache_writes(pricing):
    # N=500, S=10,000, U=1,500, O=300, W=3. Haiku 4.5: in 1, 5m write 1.25, read 0.10, out 5.
    est = estimate(pricing.resolve("haiku-4.5"), Workload(500, 10_000, 1_500, 300, cache_writes=3))
    # standard: 500 x 11,500 = 5.75M x $1/M = 5.75; output 150k x $5/M = 0.75
    # cache: writes 30k x $1.25/M = 0.0375; reads 497 x 10k = 4.97M x $0.10/M = 0.497;
    #        unique 750k x $1/M = 0.75; output 0.75
    assert totals(est) == {
        "standard": D("6.50"),
        "batch": D("3.25"),
        "cache": D("2.0345"),
        "batch_cache": D("1.01725"),
    }


def test_haiku_3_uses_table_values_not_multipliers(pricing):
    # S=10,000 on Haiku 3: write $0.30/M (not 0.3125), read $0.03/M (not 0.025).
    m = pricing.resolve("haiku-3")
    est = estimate(m, Workload(100, 10_000), on=date(2026, 1, 1))
    assert est.scenario("cache").total == D("0.0327")  # 0.003 + 99 x 10k x 0.03/M = 0.0297
    assert est.scenario("batch_cache").total == D("0.01635")
    est_1h = estimate(m, Workload(100, 10_000, ttl="1h"), on=date(2026, 1, 1))
    assert est_1h.scenario("cache").line("cache_write_1h").cost == D("0.005")  # 10k x $0.50/M


def test_managed_agents_example_with_a_warm_cache(pricing):
    # The pricing page's Managed Agents worked example
    # (https://platform.claude.com/docs/en/about-claude/pricing), Opus 5: 10,000 uncached + 40,000
    # cache reads + 15,000 output. W=0 models the prefix already cached.
    est = estimate(pricing.resolve("opus-5"), Workload(1, 40_000, 10_000, 15_000, cache_writes=0))
    assert est.scenario("standard").total == D("0.625")  # 50,000 x $5/M + 15,000 x $25/M
    assert est.scenario("cache").total == D("0.445")  # 0.05 + 0.02 + 0.375


@pytest.mark.parametrize(
    "model, minimum", [("opus-4.7", 2048), ("haiku-4.5", 4096), ("opus-5", 512)]
)
def test_prefix_under_the_cache_minimum_is_not_cached(pricing, model, minimum):
    m = pricing.resolve(model)
    under = estimate(m, Workload(100, minimum - 1, 10), on=TODAY)
    assert not under.caching_applies
    assert under.scenario("cache").total == under.scenario("standard").total
    assert under.scenario("batch_cache").total == under.scenario("batch").total
    assert under.scenario("cache").line("cache_read").tokens == 0
    assert any("minimum cacheable length" in w for w in map(render, under.warnings))
    at = estimate(m, Workload(100, minimum, 10), on=TODAY)
    assert at.caching_applies
    assert at.scenario("cache").line("cache_read").tokens == 99 * minimum


def test_long_context_premium_applies_to_the_whole_request_while_in_effect(pricing):
    # The pricing page's long-context example: 250,000 input + 500 output; over 200,000 input
    # tokens the whole request paid the premium rates
    # (https://platform.claude.com/docs/en/about-claude/pricing).
    w = Workload(1, 0, 250_000, 500)
    sonnet_45 = pricing.resolve("sonnet-4.5")
    before = estimate(sonnet_45, w, on=date(2026, 4, 1))
    assert before.scenario("standard").total == D("1.51125")  # 250k x $6/M + 500 x $22.50/M
    assert before.scenario("batch").total == D("0.755625")
    assert before.long_context and any("long-context" in x for x in map(render, before.warnings))
    with pytest.raises(WorkloadError, match="context window of 200,000"):
        estimate(sonnet_45, w, on=date(2026, 4, 30))  # the 1M beta ended: an error now
    sonnet_46 = pricing.resolve("sonnet-4.6")
    assert estimate(sonnet_46, w, on=TODAY).scenario("standard").total == D("0.7575")
    assert estimate(sonnet_46, w, on=date(2026, 3, 12)).scenario("standard").total == D("1.51125")


def test_long_context_threshold_counts_cached_tokens(pricing):
    # Opus 4.6 before 2026-03-13: 150k shared + 60k unique = 210k > 200k, premium on all classes.
    est = estimate(pricing.resolve("opus-4.6"), Workload(2, 150_000, 60_000), on=date(2026, 3, 1))
    c = est.scenario("cache")
    assert c.line("cache_write_5m").cost == D("1.875")  # 150k x $12.50/M
    assert c.line("cache_read").cost == D("0.15")  # 150k x $1.00/M
    assert c.line("input").cost == D("1.2")  # 120k x $10/M


def test_over_the_context_window_is_an_error(pricing):
    with pytest.raises(WorkloadError, match="over Claude Opus 4.7's context window of 1,000,000"):
        estimate(pricing.resolve("opus-4.7"), Workload(1, 900_000, 100_001), on=TODAY)
    estimate(pricing.resolve("opus-4.7"), Workload(1, 900_000, 100_000), on=TODAY)


def test_single_request_caching_costs_more_and_says_so(pricing):
    est = estimate(pricing.resolve("opus-4.7"), Workload(1, 80_000), on=TODAY)
    assert est.scenario("cache").total == D("0.5")  # one 5m write: 80k x $6.25/M
    assert est.scenario("standard").total == D("0.4")
    assert est.scenario("cache").savings == D("-0.1")
    assert any("none reads it" in w for w in map(render, est.warnings))


def test_one_hour_ttl_needs_two_reads_to_pay_off(pricing):
    # Batch, 1h: one write at 1.0x input + reads at 0.05x vs 0.5x per request uncached.
    m = pricing.resolve("opus-4.7")
    two = estimate(m, Workload(2, 80_000, ttl="1h"), on=TODAY)
    assert two.scenario("batch_cache").total == D("0.42")  # 80k x $5/M + 80k x $0.25/M
    assert two.scenario("batch").total == D("0.4")
    three = estimate(m, Workload(3, 80_000, ttl="1h"), on=TODAY)
    assert three.scenario("batch_cache").total == D("0.44") < three.scenario("batch").total


def test_retired_model_warns(pricing):
    est = estimate(pricing.resolve("opus-4.1"), Workload(10, 5_000), on=TODAY)
    assert any("retired on 2026-08-05" in w for w in map(render, est.warnings))
    est = estimate(pricing.resolve("opus-4.1"), Workload(10, 5_000), on=date(2026, 7, 1))
    assert any("deprecated since 2026-06-05" in w for w in map(render, est.warnings))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"requests": 0}, "requests must be at least 1"),
        ({"requests": 10, "shared_tokens": -1}, "cannot be negative"),
        ({"requests": 10, "cache_writes": 11}, "cannot exceed requests"),
        ({"requests": 10, "ttl": "1d"}, "ttl must be"),
        ({"requests": 1.5}, "whole number"),
        ({"requests": True}, "whole number"),
    ],
)
def test_impossible_workloads(kwargs, message):
    with pytest.raises(WorkloadError, match=message):
        Workload(**kwargs)


def test_budget_check(pricing):
    est = estimate(pricing.resolve("opus-4.7"), Workload(10_000, 80_000), on=TODAY)
    ok = check_budget(est, D("200.23"))
    assert ok.within and ok.over_by == 0
    over = check_budget(est, D("150"))
    assert not over.within and over.over_by == D("50.23")
    assert not check_budget(est, D("1999.99"), "batch").within


def test_cost_is_exact():
    assert cost(1, D("0.03")) == D("0.00000003")
    assert cost(799_920_000, D("0.25")) == D("199.98")


def test_stacked_rates_match_the_article(pricing):
    for name, standard, read in [
        ("opus-4.7", "5", "0.25"),
        ("sonnet-4.6", "3", "0.15"),
        ("haiku-4.5", "1", "0.05"),
    ]:
        r = stacked_rate(pricing.resolve(name))
        assert (r.standard_input, r.batch_cache_read, r.percent) == (D(standard), D(read), 5)
    assert stacked_rate(pricing.resolve("haiku-3")).percent == 6  # 0.015 / 0.25
