"""Invariants of the cost model, over every model and many workloads (hypothesis)."""

from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.compute.engine import Workload, estimate
from costcalc.prices.load import load_pricing

PRICING = load_pricing()
MODELS = [m for m in PRICING.models if m.context_window]  # limits known, so sizes stay valid
TODAY = date(2026, 11, 24)

models = st.sampled_from(MODELS)
counts = st.integers(min_value=0, max_value=90_000)


@st.composite
def workloads(draw):
    n = draw(st.integers(min_value=1, max_value=100_000))
    return Workload(
        requests=n,
        shared_tokens=draw(counts),
        unique_tokens=draw(counts),
        output_tokens=draw(st.integers(min_value=0, max_value=30_000)),
        ttl=draw(st.sampled_from(["5m", "1h"])),
        cache_writes=draw(st.integers(min_value=0, max_value=n)),
    )


@settings(max_examples=300)
@given(models, workloads())
def test_totals_are_the_sum_of_their_lines(model, w):
    for s in estimate(model, w, on=TODAY).scenarios:
        assert s.total == sum(line.cost for line in s.lines)
        assert abs(s.per_request * w.requests - s.total) < D(
            "1e-18"
        )  # division rounds at 28 digits
        for line in s.lines:
            assert line.cost == line.tokens * line.rate / 1_000_000


@settings(max_examples=300)
@given(models, workloads())
def test_batch_halves_every_line(model, w):
    est = estimate(model, w, on=TODAY)
    for plain, batched in (("standard", "batch"), ("cache", "batch_cache")):
        a, b = est.scenario(plain), est.scenario(batched)
        for la, lb in zip(a.lines, b.lines):
            assert (la.token_class, la.tokens) == (lb.token_class, lb.tokens)
            assert lb.cost * 2 == la.cost
        assert b.total * 2 == a.total


@settings(max_examples=300)
@given(models, workloads())
def test_tokens_are_conserved(model, w):
    # Every scenario bills the same input tokens, only in different classes.
    for s in estimate(model, w, on=TODAY).scenarios:
        billed_input = sum(line.tokens for line in s.lines if line.token_class != "output")
        assert billed_input == w.requests * (w.shared_tokens + w.unique_tokens)
        assert s.line("output").tokens == w.requests * w.output_tokens


def _grow(w: Workload, field: str, by: int) -> Workload:
    values = {f: getattr(w, f) for f in Workload.__dataclass_fields__}
    values[field] += by
    return Workload(**values)


@settings(max_examples=400)
@given(
    models,
    workloads(),
    st.sampled_from(["requests", "shared_tokens", "unique_tokens", "output_tokens"]),
    st.integers(1, 5_000),
)
def test_cost_is_monotone_in_n_s_u_o(model, w, field, by):
    bigger = _grow(w, field, by)
    a, b = estimate(model, w, on=TODAY), estimate(model, bigger, on=TODAY)
    crosses_minimum = a.caching_applies != b.caching_applies
    for sa, sb in zip(a.scenarios, b.scenarios):
        if sa.name in ("cache", "batch_cache") and crosses_minimum:
            # Reaching the cache minimum turns caching on: cost drops. That is the point of caching.
            continue
        assert sb.total >= sa.total, (sa.name, field)


# A 5m write costs 1.25x input and pays off from the first read (N >= 2); a 1h write costs 2x
# and pays off from the second (N >= 3). Haiku 3's table values keep the same thresholds.
PAYS_OFF_FROM = {"5m": 2, "1h": 3}


@settings(max_examples=400)
@given(
    models,
    st.sampled_from(sorted(PAYS_OFF_FROM)),
    st.integers(0, 100_000),
    counts,
    counts,
    st.integers(0, 30_000),
)
def test_batch_cache_never_costs_more_than_batch_with_one_write(model, ttl, extra, s, u, o):
    n = PAYS_OFF_FROM[ttl] + extra
    w = Workload(n, max(s, model.min_cache_tokens), u, o, ttl=ttl, cache_writes=1)
    est = estimate(model, w, on=TODAY)
    assert est.scenario("batch_cache").total <= est.scenario("batch").total
