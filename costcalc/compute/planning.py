"""What-ifs on top of the engine: batch splits, cache-hit ranges, break-even points, TTL advice.

Pure functions like the engine: no I/O, Decimal money. The ideal one-write estimate is the
headline; these say how real batches differ from it.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from costcalc.compute.engine import Estimate, Modifiers, Workload, estimate, request_rates
from costcalc.errors import CodedWorkloadError, WorkloadError
from costcalc.notices import Notice, notice
from costcalc.prices.model import BatchLimits, ModelPrice, Rates
from costcalc.tokens.count import TokenSource

DEFAULT_HIT_RATE = Decimal("0.9")
DEFAULT_BYTES_PER_TOKEN = Decimal(4)  # "1 token is approximately 4 characters" (pricing FAQ)
ONE = Decimal(1)


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


def check_hit_rate(hit_rate: Decimal) -> Decimal:
    if not hit_rate.is_finite() or not 0 <= hit_rate <= 1:
        raise CodedWorkloadError("hit_rate_out_of_range", rate=str(hit_rate))
    return hit_rate


def writes_for_hit_rate(requests: int, hit_rate: Decimal) -> int:
    """Cache writes when round(R x N) requests read the prefix and the rest write it; always
    at least one write, since a cache entry is read only after a request has written it (a
    hit rate of 1 means every request but the first reads)."""
    reads = int((check_hit_rate(hit_rate) * requests).quantize(ONE, rounding=ROUND_HALF_UP))
    return max(requests - reads, min(requests, 1))


@dataclass(frozen=True)
class BatchPlan:
    """How a workload splits into Message Batches under the request and size limits."""

    batches: int
    requests_per_batch: int
    last_batch_requests: int
    bytes_per_request: int
    total_bytes: int
    bytes_per_token: Decimal
    limited_by: str | None  # "requests", "size", or None when one batch holds it all
    limits: BatchLimits


def plan_batches(
    w: Workload,
    limits: BatchLimits,
    bytes_per_token: Decimal = DEFAULT_BYTES_PER_TOKEN,
    shared_bytes: int | None = None,
    unique_bytes: int | None = None,
) -> BatchPlan:
    """Fewest batches that respect both limits, with the requests spread evenly.

    A request's size is its text's bytes where the text is known, else tokens x bytes/token.
    """
    if not bytes_per_token.is_finite() or bytes_per_token <= 0:
        raise CodedWorkloadError("bytes_per_token_not_positive", value=str(bytes_per_token))
    shared = shared_bytes if shared_bytes is not None else _ceil(w.shared_tokens * bytes_per_token)
    unique = unique_bytes if unique_bytes is not None else _ceil(w.unique_tokens * bytes_per_token)
    per_request = shared + unique
    if per_request > limits.max_bytes:
        raise CodedWorkloadError(
            "request_over_batch_bytes", bytes=per_request, limit=limits.max_bytes
        )
    by_size = limits.max_bytes // per_request if per_request else limits.max_requests
    capacity = min(limits.max_requests, by_size)
    batches = -(-w.requests // capacity)
    per_batch = -(-w.requests // batches)
    limited_by = None
    if batches > 1:
        limited_by = "size" if by_size < limits.max_requests else "requests"
    return BatchPlan(
        batches=batches,
        requests_per_batch=per_batch,
        last_batch_requests=w.requests - per_batch * (batches - 1),
        bytes_per_request=per_request,
        total_bytes=per_request * w.requests,
        bytes_per_token=bytes_per_token,
        limited_by=limited_by,
        limits=limits,
    )


def split_by_group(
    group_of: Sequence[int], sizes: Sequence[int], max_requests: int, max_bytes: int, ungrouped: int
) -> tuple[list[tuple[int, int, int]], array[int] | None]:
    """Requests of different sizes (a request file): batches under both limits that keep each
    group's requests together (first fit, in file order; check groups the requests sharing a
    last cache breakpoint), as (requests, bytes, groups), and each request's batch. A group too
    large for one batch, and the `ungrouped` requests, are cut where they must be. ([], None)
    when everything fits one batch. plan_batches is the equal-size case."""
    if len(sizes) <= max_requests and sum(sizes) <= max_bytes:
        return [], None
    groups: dict[int, list[int]] = {}  # group -> [requests, bytes]
    for r in range(len(sizes)):
        g = groups.setdefault(group_of[r], [0, 0])
        g[0] += 1
        g[1] += sizes[r]
    bins: list[list[int]] = []  # [requests, bytes, groups]
    placed: dict[int, int] = {}
    for key, (n, size) in groups.items():
        if key == ungrouped:
            continue
        for i, b in enumerate(bins):
            if b[0] + n <= max_requests and b[1] + size <= max_bytes:
                b[0], b[1], b[2] = b[0] + n, b[1] + size, b[2] + 1
                placed[key] = i
                break
        else:
            if n <= max_requests and size <= max_bytes:
                placed[key] = len(bins)
                bins.append([n, size, 1])
    assign = array("i", bytes(4 * len(sizes)))
    current: dict[int, int] = {}  # group being cut -> its open batch
    for r in range(len(sizes)):
        key = group_of[r]
        if key in placed:
            assign[r] = placed[key]
            continue
        open_bin = current.get(key)
        size = sizes[r]
        if (
            open_bin is None
            or bins[open_bin][0] + 1 > max_requests
            or (bins[open_bin][1] + size > max_bytes)
        ):
            open_bin = current[key] = len(bins)
            bins.append([0, 0, 1])
        bins[open_bin][0] += 1
        bins[open_bin][1] += size
        assign[r] = open_bin
    return [(b[0], b[1], b[2]) for b in bins], assign


@dataclass(frozen=True)
class CacheCase:
    """One point of the cache-hit range."""

    name: str  # best, per_batch, expected, worst
    writes: int
    reads: int
    hit_rate: Decimal  # reads / requests
    cached_total: Decimal  # the cached scenario (batch_cache, or cache in fast mode)
    uncached_total: Decimal  # its uncached twin (batch, or standard)
    cache_total: Decimal  # the real-time cache scenario

    @property
    def costs_more_than_uncached(self) -> bool:
        return self.cached_total > self.uncached_total


@dataclass(frozen=True)
class TtlAdvice:
    recommended: str
    hit_rate: Decimal
    cost_5m: Decimal
    cost_1h: Decimal
    extra_for_1h: Decimal
    hit_rate_for_1h_to_match: Decimal | None  # None: 1h cannot catch up
    # Why (messages.ttl_reason words it): "fast_real_time", "five_minutes_cheaper" or
    # "batches_run_long".
    code: str


@dataclass(frozen=True)
class Analysis:
    """An estimate with everything a planner needs around it."""

    estimate: Estimate
    hit_rate: Decimal | None  # as given (--hit-rate); None when cache writes were given
    expected_hit_rate: Decimal
    batch_plan: BatchPlan | None  # None in fast mode (no batches)
    cache_range: tuple[CacheCase, ...]  # empty when nothing is cached
    break_even_hit_rate: Decimal | None
    min_requests_for_caching: int | None
    ttl_advice: TtlAdvice | None
    warnings: tuple[Notice, ...]  # the estimate's, then the planner's
    tokens: TokenSource | None = None  # when the counts were measured from text
    # Scenario totals at the low and high ends of estimated token counts: (name, low, high).
    cost_band: tuple[tuple[str, Decimal, Decimal], ...] = ()

    @property
    def cached_scenario(self) -> str:
        return "cache" if self.estimate.modifiers.fast else "batch_cache"

    @property
    def uncached_scenario(self) -> str:
        return "standard" if self.estimate.modifiers.fast else "batch"


def break_even_hit_rate(rates: Rates, ttl: str) -> Decimal | None:
    """Hit rate above which caching beats no caching: (write - input) / (write - read).

    From the table values of the row in force (`request_rates`: the date's row, or a prompt-
    length tier's), never from assumed 1.25x / 0.1x multipliers, so 0.05x and 0.025x reads come
    out right. The batch discount and other multipliers scale every class alike and cancel out.
    """
    write, base, read = rates.rate(f"cache_write_{ttl}"), rates.input, rates.cache_read
    if write <= base:
        return Decimal(0)
    if write <= read:
        return None
    return (write - base) / (write - read)


def min_requests_for_caching(rates: Rates, ttl: str) -> int | None:
    """Fewest requests for which one write and N-1 reads cost less than N uncached prefixes."""
    write, base, read = rates.rate(f"cache_write_{ttl}"), rates.input, rates.cache_read
    if base <= read:
        return None
    return int(((write - read) / (base - read)).to_integral_value(rounding=ROUND_FLOOR)) + 1


def _cached_totals(
    model: ModelPrice, w: Workload, writes: int, on: date, mods: Modifiers
) -> tuple[Decimal, Decimal, Decimal]:
    """(cached scenario total, uncached scenario total, real-time cache total) with `writes`."""
    est = estimate(model, replace(w, cache_writes=writes), on, mods)
    cached = est.scenario("cache" if mods.fast else "batch_cache").total
    uncached = est.scenario("standard" if mods.fast else "batch").total
    return cached, uncached, est.scenario("cache").total


def _ttl_advice(
    model: ModelPrice, w: Workload, hit_rate: Decimal, on: date, mods: Modifiers, rates: Rates
) -> TtlAdvice:
    writes = writes_for_hit_rate(w.requests, hit_rate)
    cost = {
        ttl: _cached_totals(model, replace(w, ttl=ttl), writes, on, mods)[0] for ttl in ("5m", "1h")
    }
    w5, w1, read = rates.cache_write_5m, rates.cache_write_1h, rates.cache_read
    per_token_5m = (1 - hit_rate) * w5 + hit_rate * read
    needed = (w1 - per_token_5m) / (w1 - read) if w1 > read else None
    if needed is not None and needed > 1:
        needed = None
    if mods.fast:
        # Real-time requests at least every 5 minutes keep a 5m entry alive: a hit refreshes it.
        recommended, code = "5m", "fast_real_time"
    elif needed is None:
        recommended, code = "5m", "five_minutes_cheaper"
    else:
        # Batches run longer than 5 minutes with concurrent requests; Anthropic recommends the
        # 1-hour TTL for batches with shared context.
        recommended, code = "1h", "batches_run_long"
    return TtlAdvice(
        recommended, hit_rate, cost["5m"], cost["1h"], cost["1h"] - cost["5m"], needed, code
    )


def analyze(
    model: ModelPrice,
    workload: Workload,
    *,
    limits: BatchLimits,
    on: date | None = None,
    modifiers: Modifiers | None = None,
    hit_rate: Decimal | None = None,
    expected_hit_rate: Decimal | None = None,
    bytes_per_token: Decimal = DEFAULT_BYTES_PER_TOKEN,
    tokens: TokenSource | None = None,
) -> Analysis:
    """Estimate `workload` and plan around it.

    With `hit_rate`, round(R x N) requests read the prefix and the rest write it (this replaces
    the workload's cache_writes); it is also the expected case of the range. Otherwise the
    expected case uses `expected_hit_rate` (default 0.9).

    With `tokens` measured from text, the workload carries their central counts; estimated
    counts also price the low and high ends of their band (`cost_band`), and the batch split
    uses the texts' real sizes.
    """
    on = on or date.today()
    mods = modifiers or Modifiers()
    if hit_rate is not None:
        workload = replace(workload, cache_writes=writes_for_hit_rate(workload.requests, hit_rate))
    expected = _expected_hit_rate(hit_rate, expected_hit_rate)
    est = estimate(model, workload, on, mods)
    warnings = list(est.warnings)
    _refuse_oversized_request(model, workload, tokens, on)
    plan = None
    if not mods.fast:
        plan = plan_batches(
            workload,
            limits,
            bytes_per_token,
            tokens.shared_bytes if tokens else None,
            tokens.unique_bytes if tokens else None,
        )
    cost_band: list[tuple[str, Decimal, Decimal]] = []
    if tokens is not None and not tokens.exact:
        cost_band = _cost_band(model, workload, tokens, on, mods, warnings)
    if plan is not None and plan.batches > 1:
        warnings.append(_over_batch_limit(plan, workload, limits))

    cases: list[CacheCase] = []
    rates = request_rates(model, on, workload.input_per_request, mods)
    advice = None
    if est.caching_applies:
        cases = _cache_cases(model, workload, plan, expected, on, mods)
        worst = cases[-1]
        if worst.costs_more_than_uncached:
            warnings.append(
                notice(
                    "cache_costs_more_at_zero_hits",
                    extra_usd=worst.cached_total - worst.uncached_total,
                )
            )
        advice = _ttl_advice(model, workload, expected, on, mods, rates)

    return Analysis(
        estimate=est,
        hit_rate=hit_rate,
        expected_hit_rate=expected,
        batch_plan=plan,
        cache_range=tuple(cases),
        break_even_hit_rate=break_even_hit_rate(rates, workload.ttl),
        min_requests_for_caching=min_requests_for_caching(rates, workload.ttl),
        ttl_advice=advice,
        warnings=tuple(warnings),
        tokens=tokens,
        cost_band=tuple(cost_band),
    )


def _expected_hit_rate(hit_rate: Decimal | None, expected_hit_rate: Decimal | None) -> Decimal:
    """The hit rate of the expected case: the one given (checked), else the default 0.9."""
    if hit_rate is not None:
        return check_hit_rate(hit_rate)
    if expected_hit_rate is not None:
        return check_hit_rate(expected_hit_rate)
    return DEFAULT_HIT_RATE


def _refuse_oversized_request(
    model: ModelPrice, workload: Workload, tokens: TokenSource | None, on: date
) -> None:
    """Refuse a plan whose largest measured request is over the model's context window."""
    limit = model.input_limit_on(on)
    if tokens is None or tokens.unique_max is None or limit is None:
        return
    largest = workload.shared_tokens + tokens.unique_max.central
    if largest > limit:
        raise CodedWorkloadError(
            "largest_request_over_context", tokens=largest, model=model.name, limit=limit
        )


def _cost_band(
    model: ModelPrice,
    workload: Workload,
    tokens: TokenSource,
    on: date,
    mods: Modifiers,
    warnings: list[Notice],
) -> list[tuple[str, Decimal, Decimal]]:
    """Scenario totals at the low and high ends of estimated token counts; a band that crosses
    a prompt-length tier, or whose high end cannot be priced, adds a warning."""
    try:
        low, high = (
            estimate(model, _at_band_end(workload, tokens, end), on, mods)
            for end in ("low", "high")
        )
    except WorkloadError as exc:
        # reason: the error's line; error: its code when it has one
        error = getattr(exc, "code", None)
        warnings.append(notice("token_band_high_unpriceable", reason=str(exc), error=error))
        return []
    if low.long_context != high.long_context:
        warnings.append(_band_crosses_tier(model, on, low, high))
    return [(s.name, s.total, high.scenario(s.name).total) for s in low.scenarios]


def _over_batch_limit(plan: BatchPlan, workload: Workload, limits: BatchLimits) -> Notice:
    return notice(
        "over_batch_limit",
        limited_by=plan.limited_by,
        requests=workload.requests,
        max_requests=limits.max_requests,
        total_bytes=plan.total_bytes,
        bytes_per_request=plan.bytes_per_request,
        bytes_per_token=plan.bytes_per_token,
        max_bytes=limits.max_bytes,
        batches=plan.batches,
        requests_per_batch=plan.requests_per_batch,
    )


def _cache_cases(
    model: ModelPrice,
    workload: Workload,
    plan: BatchPlan | None,
    expected: Decimal,
    on: date,
    mods: Modifiers,
) -> list[CacheCase]:
    """The cache range: one write (best), one per batch, the expected hit rate, and every
    request writing (worst)."""
    n = workload.requests
    points = [
        ("best", 1),
        ("per_batch", min(plan.batches if plan else 1, n)),
        ("expected", writes_for_hit_rate(n, expected)),
        ("worst", n),
    ]
    cases = []
    for name, writes in points:
        cached, uncached, cache_total = _cached_totals(model, workload, writes, on, mods)
        cases.append(
            CacheCase(
                name, writes, n - writes, Decimal(n - writes) / n, cached, uncached, cache_total
            )
        )
    return cases


def _band_crosses_tier(model: ModelPrice, on: date, low: Estimate, high: Estimate) -> Notice:
    tier = model.tier_on(on, high.workload.input_per_request)
    return notice(
        "prompt_tier_band",
        low_tokens=low.workload.input_per_request,
        high_tokens=high.workload.input_per_request,
        model=model.name,
        threshold=tier.threshold if tier else None,
    )


def _at_band_end(w: Workload, tokens: TokenSource, end: str) -> Workload:
    """The workload with measured counts at the low or high end of their band."""
    changes = {}
    if tokens.shared is not None:
        changes["shared_tokens"] = getattr(tokens.shared, end)
    if tokens.unique is not None:
        changes["unique_tokens"] = getattr(tokens.unique, end)
    return replace(w, **changes)


def share_of_largest(values: Sequence[Decimal]) -> list[Decimal]:
    """Each value as a fraction of the largest (for bar charts)."""
    top = max(values, default=Decimal(0))
    return [v / top if top else Decimal(0) for v in values]


# Fast-mode jobs cannot be batched: in plan totals their real-time cost stands in.
REALTIME_TWIN = {"batch": "standard", "batch_cache": "cache"}


def scenario_total(a: Analysis, name: str) -> Decimal:
    """`name`'s total, or for a fast-mode job its real-time twin's."""
    if a.estimate.modifiers.fast:
        name = REALTIME_TWIN.get(name, name)
    return a.estimate.scenario(name).total


def plan_totals(analyses: Sequence[Analysis]) -> dict[str, Decimal]:
    """Each scenario's total over all jobs."""
    return {
        name: sum((scenario_total(a, name) for a in analyses), Decimal(0))
        for name in ("standard", "batch", "cache", "batch_cache")
    }


# ------------------------------------------------------------------------------------ sweeps

SWEEPABLE = ("model", "requests", "shared", "unique", "output", "hit_rate")


@dataclass(frozen=True)
class SweepPoint:
    params: dict[str, Any]  # the swept parameters' values at this point
    analysis: Analysis


def sweep(
    axes: dict[str, Sequence[Any]], point: Callable[[dict[str, Any]], Analysis]
) -> list[SweepPoint]:
    """Every combination of the swept values, first axis slowest; `point(values)` analyzes one."""
    names = list(axes)
    return [
        SweepPoint(dict(zip(names, combo)), point(dict(zip(names, combo))))
        for combo in itertools.product(*(axes[n] for n in names))
    ]
