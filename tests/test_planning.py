"""Batch splits, cache-hit ranges, break-even points and TTL advice, against hand arithmetic."""

from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.compute.engine import Modifiers, Workload, estimate
from costcalc.compute.planning import (
    analyze,
    break_even_hit_rate,
    min_requests_for_caching,
    plan_batches,
    writes_for_hit_rate,
)
from costcalc.errors import WorkloadError
from costcalc.messages import render, ttl_reason
from costcalc.prices.load import load_pricing
from costcalc.prices.model import BatchLimits

TODAY = date(2026, 11, 24)
LIMITS = BatchLimits(max_requests=100_000, max_bytes=256_000_000)  # batch-processing page's limits
ARTICLE = Workload(10_000, 80_000)


def cases(a):
    return {c.name: c for c in a.cache_range}


def test_the_article_does_not_fit_one_batch():
    # 80,000 tokens x 4 bytes = 320,000 bytes a request; 256,000,000 // 320,000 = 800 a batch;
    # 10,000 / 800 = 12.5 -> 13 batches, spread evenly: 770 each, the last 760.
    plan = plan_batches(ARTICLE, LIMITS)
    assert (plan.batches, plan.requests_per_batch, plan.last_batch_requests) == (13, 770, 760)
    assert (plan.bytes_per_request, plan.total_bytes, plan.limited_by) == (
        320_000,
        3_200_000_000,
        "size",
    )


def test_many_small_requests_hit_the_request_limit():
    # 250,000 requests x 400 bytes = 100 MB: under the size limit, over 100,000 requests.
    plan = plan_batches(Workload(250_000, 100), LIMITS)
    assert (plan.batches, plan.requests_per_batch, plan.last_batch_requests) == (3, 83_334, 83_332)
    assert plan.limited_by == "requests"
    assert plan_batches(Workload(100_000, 100), LIMITS).batches == 1


def test_bytes_per_token_changes_the_split():
    # 2 bytes a token: 160,000 bytes, 1,600 a batch, 10,000 / 1,600 = 6.25 -> 7 batches.
    assert plan_batches(ARTICLE, LIMITS, D(2)).batches == 7
    with pytest.raises(WorkloadError, match="over the 256,000,000-byte batch limit by itself"):
        plan_batches(Workload(1, 900_000), LIMITS, D(300))


@pytest.mark.parametrize(
    "n, rate, writes",
    [
        (10, "0.25", 7),
        (3, "0.5", 1),
        (10_000, "0.9", 1_000),
        (10_000, "0", 10_000),
        (10_000, "1", 1),  # at least one write: a prefix is read only after it is written
        (1, "1", 1),
    ],
)
def test_writes_for_hit_rate_rounds_half_up(n, rate, writes):
    # reads = round(R x N): 2.5 -> 3 reads (7 writes), 1.5 -> 2 reads (1 write).
    assert writes_for_hit_rate(n, D(rate)) == writes


@pytest.mark.parametrize("rate", ["1.5", "-0.1", "NaN"])
def test_hit_rate_outside_zero_one_is_refused(rate):
    with pytest.raises(WorkloadError, match="between 0 and 1"):
        writes_for_hit_rate(10, D(rate))


def test_the_article_cache_range(pricing):
    a = analyze(pricing.resolve("opus-4.7"), ARTICLE, limits=LIMITS, on=TODAY)
    c = cases(a)
    # best: 80k x $3.125/M = 0.25 + 9,999 x 80k x $0.25/M = 199.98
    assert c["best"].cached_total == D("200.23")
    # one write per batch: 13 x 0.25 = 3.25 + 9,987 x 80k x $0.25/M = 199.74
    assert (c["per_batch"].writes, c["per_batch"].cached_total) == (13, D("202.99"))
    # expected 0.9: 1,000 writes x 80k x $3.125/M = 250 + 9,000 x 80k x $0.25/M = 180
    assert (c["expected"].writes, c["expected"].cached_total) == (1_000, D("430"))
    # worst: 10,000 writes = 800M x $3.125/M = 2,500 > batch 2,000
    assert c["worst"].cached_total == D("2500") and c["worst"].uncached_total == D("2000")
    assert c["worst"].costs_more_than_uncached and not c["expected"].costs_more_than_uncached
    assert c["worst"].cache_total == D("5000")  # real-time: 800M x $6.25/M
    assert any("costs $500.00 more than not caching" in w for w in map(render, a.warnings))
    assert any("13 batches of up to 770 requests" in w for w in map(render, a.warnings))


def test_hit_rate_zero_and_one(pricing):
    m = pricing.resolve("opus-4.7")
    zero = analyze(m, ARTICLE, limits=LIMITS, on=TODAY, hit_rate=D(0)).estimate
    assert zero.workload.cache_writes == 10_000
    assert zero.scenario("batch_cache").total == D("2500")  # every request writes
    one = analyze(m, ARTICLE, limits=LIMITS, on=TODAY, hit_rate=D(1)).estimate
    # Hit rate 1 still has the first request write (never a read without a write):
    # batch_cache: 80,000 x $3.125/M = $0.25 + 799,920,000 x $0.25/M = $199.98 -> $200.23;
    # cache: 80,000 x $6.25/M = $0.50 + 799,920,000 x $0.50/M = $399.96 -> $400.46.
    assert one.workload.cache_writes == 1
    assert one.scenario("batch_cache").total == D("200.23")
    assert one.scenario("cache").total == D("400.46")


def test_break_even_hit_rates_from_table_values(pricing):
    opus = pricing.resolve("opus-4.7").prices
    # (write - input) / (write - read): 5m (6.25-5)/(6.25-0.5) = 5/23, 1h (10-5)/(10-0.5) = 10/19
    assert break_even_hit_rate(opus, "5m") == D(5) / D(23)  # about 21.7%
    assert break_even_hit_rate(opus, "1h") == D(10) / D(19)  # about 52.6%
    haiku3 = pricing.resolve("haiku-3").prices
    # (0.30-0.25)/(0.30-0.03) = 5/27; (0.50-0.25)/(0.50-0.03) = 25/47
    assert break_even_hit_rate(haiku3, "5m") == D(5) / D(27)  # about 18.5%, not 21.7%
    assert break_even_hit_rate(haiku3, "1h") == D(25) / D(47)


def test_min_requests_for_caching(pricing):
    opus = pricing.resolve("opus-4.7").prices
    # N > (write - read) / (input - read): 5m 5.75/4.5 = 1.28 -> 2; 1h 9.5/4.5 = 2.11 -> 3
    assert min_requests_for_caching(opus, "5m") == 2
    assert min_requests_for_caching(opus, "1h") == 3
    haiku3 = pricing.resolve("haiku-3").prices
    assert min_requests_for_caching(haiku3, "5m") == 2  # 0.27/0.22 = 1.23
    assert min_requests_for_caching(haiku3, "1h") == 3  # 0.47/0.22 = 2.14


def test_ttl_advice_for_the_article(pricing):
    a = analyze(pricing.resolve("opus-4.7"), ARTICLE, limits=LIMITS, on=TODAY)
    t = a.ttl_advice
    assert t.recommended == "1h"
    assert (t.cost_5m, t.cost_1h, t.extra_for_1h) == (D("430"), D("580"), D("150"))
    # 1h at 0.9: 1,000 writes x 80k x $5/M = 400 + 180. Per token at 5m: 0.1 x 6.25 + 0.9 x 0.5
    # = 1.075; 1h matches it at (10 - 1.075) / (10 - 0.5) = 0.93947...
    assert t.hit_rate_for_1h_to_match == (D(10) - D("1.075")) / D("9.5")
    assert t.code == "batches_run_long"
    assert "93.9%" in ttl_reason(t)


def test_ttl_advice_in_fast_mode_is_5m(pricing):
    a = analyze(
        pricing.resolve("opus-5"),
        Workload(100, 80_000),
        limits=LIMITS,
        on=TODAY,
        modifiers=Modifiers(fast=True),
    )
    assert a.ttl_advice.recommended == "5m"
    assert a.batch_plan is None
    assert [s.name for s in a.estimate.scenarios] == ["standard", "cache"]


def test_us_inference_multiplies_every_class(pricing):
    est = estimate(
        pricing.resolve("sonnet-4.6"), Workload(100, 80_000), TODAY, Modifiers(region="us")
    )
    assert est.scenario("standard").total == D("26.4")  # 8M x $3/M x 1.1
    # write 80k x $1.875/M x 1.1 = 0.165; reads 7.92M x $0.15/M x 1.1 = 1.3068
    assert est.scenario("batch_cache").total == D("1.4718")
    with pytest.raises(WorkloadError, match="does not support US-only inference"):
        estimate(pricing.resolve("haiku-4.5"), Workload(1, 10), TODAY, Modifiers(region="us"))


def test_fast_mode_prices_and_refusals(pricing):
    est = estimate(
        pricing.resolve("opus-5"), Workload(100, 80_000, 0, 1_000), TODAY, Modifiers(fast=True)
    )
    # standard: 8M x $10/M = 80 + 100k output x $50/M = 5
    assert est.scenario("standard").total == D("85")
    # cache: write 80k x $12.50/M = 1 + reads 7.92M x $1/M = 7.92 + output 5
    assert est.scenario("cache").total == D("13.92")
    with pytest.raises(KeyError):
        est.scenario("batch")
    with pytest.raises(WorkloadError, match="no fast mode"):
        estimate(pricing.resolve("opus-4.7"), Workload(1, 10), TODAY, Modifiers(fast=True))


def test_fast_mode_ignores_long_context_tiers(pricing):
    # Opus 4.6 before 2026-03-13 had a >200K tier, but the model has no fast price in our
    # data, so fast mode there is an error rather than a guess.
    with pytest.raises(WorkloadError):
        estimate(
            pricing.resolve("opus-4.6"),
            Workload(1, 250_000),
            date(2026, 3, 1),
            Modifiers(fast=True),
        )


PRICING = load_pricing()
CURRENT = [m for m in PRICING.models if m.context_window]


@settings(max_examples=200)
@given(
    st.sampled_from(CURRENT),
    st.integers(2, 100_000),
    st.integers(0, 100_000),
    st.sampled_from(["5m", "1h"]),
    st.decimals(0, 1, places=3),
)
def test_cache_range_is_ordered(model, n, s, ttl, rate):
    w = Workload(n, max(s, model.min_cache_tokens), ttl=ttl)
    a = analyze(model, w, limits=LIMITS, on=TODAY, expected_hit_rate=rate)
    c = cases(a)
    assert c["best"].cached_total <= c["per_batch"].cached_total <= c["worst"].cached_total
    assert c["expected"].cached_total <= c["worst"].cached_total
    # Never fewer writes than one: the best case (one write) is the floor.
    assert c["best"].cached_total <= c["expected"].cached_total
    reads = int((rate * n).quantize(D(1), rounding="ROUND_HALF_UP"))
    assert c["expected"].writes == max(n - reads, 1)


@settings(max_examples=200)
@given(
    st.sampled_from(CURRENT),
    st.integers(1, 100_000),
    st.decimals(0, 1, places=2),
    st.decimals(0, 1, places=2),
)
def test_more_hits_never_cost_more(model, n, r1, r2):
    lo, hi = sorted((r1, r2))
    w = Workload(n, model.min_cache_tokens * 2)
    a = analyze(model, w, limits=LIMITS, on=TODAY, hit_rate=lo).estimate
    b = analyze(model, w, limits=LIMITS, on=TODAY, hit_rate=hi).estimate
    assert b.scenario("batch_cache").total <= a.scenario("batch_cache").total


@settings(max_examples=200)
@given(st.sampled_from(CURRENT), st.sampled_from(["5m", "1h"]), st.integers(1, 10_000))
def test_break_even_separates_cheaper_from_dearer(model, ttl, n):
    # 0.1 above break-even caching costs less than not caching, 0.1 below it costs more
    # (reads are rounded to whole requests: with N >= 10 that moves the rate by 0.05 at most).
    requests = n * 10
    even = break_even_hit_rate(model.prices, ttl)
    for rate, cheaper in ((even + D("0.1"), True), (even - D("0.1"), False)):
        if not 0 <= rate <= 1:
            continue
        writes = writes_for_hit_rate(requests, rate)
        w = Workload(requests, model.min_cache_tokens, ttl=ttl, cache_writes=writes)
        est = estimate(model, w, TODAY)
        assert (est.scenario("batch_cache").total < est.scenario("batch").total) == cheaper
