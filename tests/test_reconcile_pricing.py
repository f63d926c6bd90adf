"""How `reconcile` prices usage rows: every modifier the usage report can show, worked out by hand
from Anthropic's published prices (https://platform.claude.com/docs/en/about-claude/pricing) as
pricing.yaml carries them, and the agreement rule at its edges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.compute.reconcile import reconcile
from costcalc.read.admin_reports import CostRow, UsageRow

DAY = date(2026, 11, 2)
HAIKU_45 = "claude-haiku-4-5-20251001"
CLASSES = ("input", "cache_write_5m", "cache_write_1h", "cache_read", "output")


def row(model, tier="batch", day=DAY, cw="0-200k", geo="global", speed="standard", **tokens):
    return UsageRow(
        day=day,
        model=model,
        service_tier=tier,
        context_window=cw,
        inference_geo=geo,
        speed=speed,
        workspace_id=None,
        tokens={c: tokens.get(c, 0) for c in CLASSES},
        web_searches=tokens.get("searches", 0),
    )


def billed(cents, model, token_type, tier="batch", day=DAY, cost_type="tokens"):
    return CostRow(
        day=day,
        cost_type=cost_type,
        token_type=token_type,
        model=model,
        service_tier=tier,
        context_window=None,
        inference_geo=None,
        workspace_id=None,
        description=None,
        cents=D(cents),
        usd=D(cents).scaleb(-2),
    )


def priced(usage, pricing, costs=(), day=DAY):
    rec = reconcile(usage, list(costs), pricing, day, day)
    return {(c.model, c.service_tier, c.token_type): c for c in rec.cells}, rec


def test_old_long_context_premium_by_context_window(pricing):
    # Opus 4.6: >200K prompts paid $10 / $37.50 until 2026-03-13 (then 1M at the base row);
    # batched: $5 / $18.75. 1M input + 100K output in the 200k-1M window.
    before, after = date(2026, 3, 10), date(2026, 3, 13)
    usage = [
        row("claude-opus-4-6", day=before, cw="200k-1M", input=1_000_000, output=100_000),
        row("claude-opus-4-6", day=after, cw="200k-1M", input=1_000_000, output=100_000),
    ]
    rec = reconcile(usage, [], pricing, before, after)
    got = {(c.day, c.token_type): c.priced for c in rec.cells}
    assert got[(before, "input")] == D("5.00")  # 1M x $5
    assert got[(before, "output")] == D("1.875")  # 0.1M x $18.75
    assert got[(after, "input")] == D("2.50")  # 1M x $2.50
    assert got[(after, "output")] == D("1.25")  # 0.1M x $12.50


def test_fast_mode_with_us_inference(pricing):
    # Opus 5.5 fast: $8 / $40, times 1.1 for US-only inference: $8.80 / $44
    usage = [row("opus-5.5", tier="standard", geo="us", speed="fast", input=1_000_000, output=1)]
    cells, _ = priced(usage, pricing)
    assert cells[("claude-opus-5-5", "standard", "input")].priced == D("8.80")
    assert cells[("claude-opus-5-5", "standard", "output")].priced == D("0.000044")


def test_not_available_geo_is_global_pricing(pricing):
    usage = [row("claude-opus-4-6", tier="standard", geo="not_available", input=1_000_000)]
    cells, _ = priced(usage, pricing)
    assert cells[("claude-opus-4-6", "standard", "input")].priced == D("5.00")


def test_a_tier_under_200k_makes_the_window_ambiguous(pricing):
    # Haiku 5.5: $0.10 up to a 100K prompt, $0.50 over it; 0-200k cannot tell the two apart,
    # 200k-1M is over 100K for sure: 1M x $0.50 = $0.50 at standard, $0.25 batched.
    usage = [
        row("haiku-5.5", tier="standard", input=1_000_000),
        row("haiku-5.5", tier="batch", cw="200k-1M", input=1_000_000),
    ]
    cells, rec = priced(usage, pricing)
    low = cells[("claude-haiku-5-5", "standard", "input")]
    assert (low.priced, low.reason) == (None, "context_window_ambiguous")
    assert cells[("claude-haiku-5-5", "batch", "input")].priced == D("0.25")
    assert "reconcile_context_window_ambiguous" in {n.code for n in rec.notices}


def test_unpriceable_rows_are_unpriced_never_zero(pricing):
    usage = [
        row("opus-5.5", tier="batch", speed="fast", input=10),  # fast cannot be batched
        row("opus-5.5", tier="flex", input=10),
        row("haiku-4.5", tier="standard", geo="us", input=10),  # no US-only inference
        row("claude-nova-9", input=10),
    ]
    rec = reconcile(usage, [], pricing, DAY, DAY)
    reasons = {(c.model, c.service_tier): c.reason for c in rec.cells}
    assert reasons == {
        ("claude-opus-5-5", "batch"): "rates_unavailable",
        ("claude-opus-5-5", "flex"): "unknown_service_tier",
        (HAIKU_45, "standard"): "rates_unavailable",
        ("claude-nova-9", "batch"): "unknown_model",
    }
    assert all(c.priced is None for c in rec.cells)
    assert rec.usage_priced_usd == 0 and not rec.differences


def test_agreement_is_under_a_cent_after_the_reports_rounding(pricing):
    # Sonnet 5.5 batched input $1/MTok: 1M tokens = $1.00 each day
    days = [date(2026, 11, d) for d in (2, 3, 4)]
    usage = [row("sonnet-5.5", day=d, input=1_000_000) for d in days]
    costs = [
        billed("100.99", "claude-sonnet-5-5", "input", day=days[0]),  # $1.0099: 0.99 cents off
        billed("101.00", "claude-sonnet-5-5", "input", day=days[1]),  # $1.01: a whole cent
        billed("99", "claude-sonnet-5-5", "input", day=days[2]),  # $0.99
    ]
    rec = reconcile(usage, costs, pricing, days[0], days[-1])
    assert [c.status for c in rec.cells] == ["agree", "differ", "differ"]
    assert rec.difference_usd == D("0.0099") + D("0.01") - D("0.01")


def test_usage_without_a_cost_row_and_a_cost_row_without_usage_differ(pricing):
    usage = [row("sonnet-5.5", output=1_000_000)]  # $5.00 batched, nothing billed
    costs = [billed("250", "claude-sonnet-5-5", "cache_read")]  # $2.50 billed, no usage
    cells, rec = priced(usage, pricing, costs)
    assert cells[("claude-sonnet-5-5", "batch", "output")].difference == D("-5.00")
    assert cells[("claude-sonnet-5-5", "batch", "cache_read")].difference == D("2.50")
    assert rec.difference_usd == D("-2.50")


MODELS = st.sampled_from(["claude-sonnet-5-5", "claude-opus-4-6", "claude-nova-9", "haiku-5.5"])
TIERS = st.sampled_from(["batch", "standard", "priority"])
TYPES = st.sampled_from(CLASSES)


@settings(max_examples=60, deadline=None)
@given(
    usage=st.lists(
        st.tuples(
            MODELS, TIERS, TYPES, st.integers(0, 10**9), st.sampled_from(["0-200k", "200k-1M"])
        ),
        max_size=8,
    ),
    costs=st.lists(
        st.tuples(
            st.sampled_from(["claude-sonnet-5-5", "claude-opus-4-6", "claude-nova-9", None]),
            TIERS,
            TYPES,
            st.decimals(min_value=0, max_value=10**7, places=3),
            st.sampled_from(["tokens", "web_search", "code_execution", "session_usage"]),
        ),
        max_size=8,
    ),
)
def test_totals_always_add_up(pricing, usage, costs):
    rows = [row(m, tier=t, cw=cw, **{c: n}) for m, t, c, n, cw in usage]
    cost_rows = [
        billed(str(a), m, c, tier=t, cost_type=k)
        if k == "tokens"
        else billed(str(a), None, None, cost_type=k)
        for m, t, c, a, k in costs
    ]
    rec = reconcile(rows, cost_rows, pricing, DAY, DAY)
    assert rec.billed_usd == sum((c.usd for c in cost_rows), D(0))
    assert rec.billed_usd == rec.usage_priced_usd + rec.difference_usd + rec.not_compared_billed_usd
    assert all(c.priced is not None for c in rec.cells if c.status != "not_compared")
