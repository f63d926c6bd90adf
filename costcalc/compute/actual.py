"""Pricing a Message Batches results file: what was billed, and how well the cache worked.

The lines come from read/results.py (a file opened by read/resultfile.py). Pricing is linear
in tokens, so each line only adds its token counts into a bucket per (model, US-only inference,
long-context tier, service tier, speed); each bucket is priced once at the end, exactly.
Per-request costs are computed only when a per-request callback asks for them (the per-request
CSV, grouping, cold starts).

Each line's own usage decides its rates:
- `service_tier` "batch" at batch prices, "standard" at standard prices; "priority" and any
  other value at standard prices as a lower bound with a problem (Priority Tier capacity is
  sold by contract and has no public per-token price,
  https://platform.claude.com/docs/en/api/service-tiers); absent, the default (--no-batch).
- `speed: "fast"` at the model's fast prices, never batched ("Fast mode is not available with
  the Batch API", https://platform.claude.com/docs/en/build-with-claude/fast-mode). A model
  without fast prices leaves the line unpriced, never $0; a model whose fast mode has ended by
  the pricing date is priced at its last fast prices, with a problem: the line proves it ran
  fast. The API reports only "standard" and "fast": any other value is priced at standard
  speed, a lower bound (fast mode costs more), with a problem.
- `inference_geo: "us"` at the model's US-only multiplier
  (https://platform.claude.com/docs/en/about-claude/pricing); any other value but "global" at
  global rates as a lower bound (the API knows only those two, and US is the dearer) with a
  problem.
A line whose model is not in the price table is left unpriced (never $0) and the rest is
still priced.

`message.diagnostics.cache_miss_reason` (why the prompt cache missed against an earlier
request, https://platform.claude.com/docs/en/build-with-claude/cache-diagnostics) is counted by
its type where present.
"""

from __future__ import annotations

from collections import Counter as Tally
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.compute.comparison import Comparison, Difference, compare
from costcalc.compute.engine import USAGE_CLASSES, Line, unconfirmed_warning, web_search_cost
from costcalc.compute.failclosed import suggest_model
from costcalc.compute.routes import Bucket, IdSet, Route, route_of
from costcalc.errors import CodedError, CostcalcError
from costcalc.files.inputs import label
from costcalc.notices import Notice, notice
from costcalc.prices.model import ModelPrice, Pricing
from costcalc.read.resultfile import result_stream
from costcalc.read.results import (
    AGGREGATE_MORE,
    GEOS,
    MALFORMED,
    MAX_REQUEST_TOKENS,
    MISS_REASONS,
    RESULT_TYPES,
    SERVICE_TIERS,
    SPEEDS,
    ResultLine,
    Usage,
    looks_like_requests,
    no_constant,
    parse_usage,
    usage_of,
)

if TYPE_CHECKING:
    from costcalc.files.inmemory import InMemory

# Re-exported: importers named them here before the reader moved to read/results.py.
__all__ = [
    "GEOS",
    "MAX_REQUEST_TOKENS",
    "MISS_REASONS",
    "PROBLEM_CODES",
    "RESULT_TYPES",
    "SERVICE_TIERS",
    "SPEEDS",
    "Bucket",
    "Comparison",
    "Difference",
    "Problem",
    "ResultsReport",
    "Usage",
    "compare",
    "no_constant",
    "parse_usage",
    "price_result_lines",
    "read_results",
]

MAX_PROBLEM_LINES = 100  # line numbers kept per problem (the count is always exact)
ZERO = Decimal(0)
ONE = Decimal(1)
# The per-request callback: (custom_id, model id, usage, line items or None when the request
# could not be priced, web-search cost).
OnRequest = Callable[[Any, str, Usage, tuple[Line, ...] | None, Decimal], None]


@dataclass(frozen=True)
class Problem:
    """Something about some result lines that the total cannot fully account for."""

    code: str  # stable: one of PROBLEM_CODES
    count: int
    lines: tuple[int, ...]  # the first MAX_PROBLEM_LINES line numbers


# The result-line problems, in the order they are reported (their text is in the messages package).
PROBLEM_CODES = (
    "unknown_model_unpriced",
    "priority_tier",
    "fast_without_fast_prices",
    "fast_mode_ended",
    "inference_geo_unknown",
    "speed_unknown",
    "fast_in_batch",
    "us_inference_unsupported",
    "duplicate_custom_id",
    "cache_creation_mismatch",
    "unknown_service_tier",
)


@dataclass(frozen=True)
class ResultsReport:
    path: Path | InMemory  # InMemory: results given in memory (the Python API)
    batch: bool
    counts: dict[str, int]  # by result type
    malformed: list[int]  # line numbers skipped
    lines: tuple[Line, ...]  # per token class, all models
    web_searches: int
    web_search_cost: Decimal
    total: Decimal
    per_model: dict[str, tuple[int, Decimal]]  # model id -> (requests, total)
    wrote: int  # requests that wrote the cache (and may have read)
    read: int  # requests that read it
    both: int
    neither: int
    standard_input_cost: Decimal  # all input tokens at each model's standard input price
    ttl_unknown: int  # requests whose writes had no 5m/1h breakdown (priced as 5m)
    warnings: tuple[Notice, ...]
    problems: tuple[Problem, ...] = ()
    service_tiers: dict[str, int] = field(default_factory=dict)  # requests per tier as priced
    unpriced: int = 0  # succeeded requests that could not be priced (not in the total)
    lower_bound: int = 0  # succeeded requests priced at a lower bound (routes.LOWER_BOUND_FLAGS)
    web_fetches: int = 0
    priced_on: date | None = None  # the date whose prices were used
    # diagnostics.cache_miss_reason type -> (requests, cache_missed_input_tokens)
    cache_miss_reasons: dict[str, tuple[int, int]] = field(default_factory=dict)

    @property
    def succeeded(self) -> int:
        return self.counts.get("succeeded", 0)

    def line(self, token_class: str) -> Line:
        return next(line for line in self.lines if line.token_class == token_class)

    @property
    def read_share(self) -> Decimal | None:
        cached = sum(
            self.line(c).tokens for c in ("cache_write_5m", "cache_write_1h", "cache_read")
        )
        return Decimal(self.line("cache_read").tokens) / cached if cached else None

    @property
    def input_cost(self) -> Decimal:
        return sum((line.cost for line in self.lines if line.token_class != "output"), ZERO)

    @property
    def effective_input_rate(self) -> Decimal | None:
        """What input cost, as a fraction of the same tokens at standard input prices."""
        return self.input_cost / self.standard_input_cost if self.standard_input_cost else None

    def share_of_total(self, amount: Decimal) -> Decimal:
        """`amount` as a percentage of the total billed."""
        return amount * 100 / self.total if self.total else ZERO

    @property
    def per_request(self) -> Decimal | None:
        priced = self.succeeded - self.unpriced  # unpriced requests are not in the total
        return self.total / priced if priced else None


class _Reading:
    """What one pass over a results file has gathered so far."""

    def __init__(self, path: Path | InMemory, pricing: Pricing, on: date, batch: bool) -> None:
        self.path, self.pricing, self.on, self.batch = path, pricing, on, batch
        self.counts: Tally[str] = Tally()  # results other than succeeded, by type
        self.malformed: list[int] = []
        self.routes: dict[tuple[Any, ...], Route] = {}
        self.models: dict[Any, ModelPrice | None] = {}  # None: not in the price table
        self.buckets: dict[tuple[str, bool, int, bool, bool], Bucket] = {}
        self.flagged: dict[str, list[int]] = {}  # problem code -> first line numbers
        self.counted: Tally[str] = Tally()  # problem code -> lines
        self.ids = IdSet()
        self.misses: dict[str, list[int]] = {}  # miss reason -> [requests, missed tokens]
        # wrote, read, both, neither, ttl unknown, web fetches, lower bounds (cache_creation)
        self.cache = [0, 0, 0, 0, 0, 0, 0]

    def flag(self, code: str, number: int) -> None:
        self.counted[code] += 1
        numbers = self.flagged.setdefault(code, [])
        if len(numbers) < MAX_PROBLEM_LINES:
            numbers.append(number)

    def route(self, key: tuple[Any, ...]) -> Route:
        name = key[0]
        if name not in self.models:
            try:
                self.models[name] = self.pricing.resolve(name)
            except CostcalcError:
                self.models[name] = None
        route = self.routes[key] = route_of(name, self.models[name], key, self.on, self.batch)
        return route

    def bucket(self, route: Route, tier_input: int) -> Bucket:
        model = route.model
        assert model is not None
        key = (model.id, route.us, tier_input, route.batch, route.fast)
        found = self.buckets.get(key)
        if found is None:
            found = self.buckets[key] = Bucket(model, *key[1:])
        route.buckets[tier_input] = found
        return found

    def skip(self, number: int, raw: bytes) -> None:
        """A malformed line; the first line of a request file stops the run."""
        first = not self.malformed and not self.counts and not self.routes
        if first and looks_like_requests(raw):
            label = _label(self.path)
            raise CodedError("requests_not_results", file=label)
        self.malformed.append(number)

    def miss(self, reason: str, tokens: int) -> None:
        tally = self.misses.setdefault(reason, [0, 0])
        tally[0] += 1
        tally[1] += tokens


def _tally(reading: _Reading, lines: Iterator[ResultLine], on_request: OnRequest | None) -> None:
    """Add every line into its route's bucket. The per-line loop of `actual`: kept whole, with
    what does not change from line to line decided once per route, since each call or lookup
    here costs ~1% of the run on 100,000 lines (benchmarks/results_speed.py)."""
    routes, on = reading.routes, reading.on
    flag, repeat = reading.flag, reading.ids.repeat
    wrote = read = both = neither = ttl_unknown = fetches = under = 0
    per_1000 = reading.pricing.web_search_per_1000
    no_search = web_search_cost(0, per_1000)
    for number, kind, custom_id, name, usage, miss in lines:
        if usage is None:
            if kind == MALFORMED:
                reading.skip(number, custom_id)
            else:
                reading.counts[kind] += 1
            continue
        key = (name, usage[9], usage[10], usage[11])
        route = routes.get(key) or reading.route(key)
        route.lines += 1
        if miss is not None:
            reading.miss(*miss)
        for code in route.flags:
            flag(code, number)
        model = route.model
        if model is None:
            if on_request is not None:
                on_request(custom_id, name, usage_of(usage), None, ZERO)
            continue
        if type(custom_id) is str and repeat(custom_id):
            flag("duplicate_custom_id", number)
        i, w5, w1, r, o, searches, fetch, ttl_known, mismatch = usage[:9]
        if mismatch:
            flag("cache_creation_mismatch", number)
            # Written tokens the breakdown leaves out are not priced: the line is a lower bound.
            under += mismatch == AGGREGATE_MORE and route.tier != "unpriced"
        fetches += fetch
        if route.tier == "unpriced":
            if on_request is not None:
                on_request(custom_id, model.id, usage_of(usage), None, ZERO)
            continue
        tier_input = 0
        if route.long:
            tier = model.tier_on(on, i + w5 + w1 + r)
            tier_input = tier.threshold + 1 if tier else 0
        bucket = route.buckets.get(tier_input) or reading.bucket(route, tier_input)
        c = bucket.counts
        c[0] += 1
        c[1] += searches
        c[2] += i
        c[3] += w5
        c[4] += w1
        c[5] += r
        c[6] += o
        if w5 or w1:
            wrote += 1
            if r:
                read += 1
                both += 1
        elif r:
            read += 1
        else:
            neither += 1
        if not ttl_known:
            ttl_unknown += 1
        if on_request is not None:
            on_request(
                custom_id,
                model.id,
                usage_of(usage),
                bucket.request_lines(on, (i, w5, w1, r, o)),
                web_search_cost(searches, per_1000) if searches else no_search,
            )
    reading.cache = [wrote, read, both, neither, ttl_unknown, fetches, under]


def read_results(
    path: Path | InMemory,
    pricing: Pricing,
    on: date,
    *,
    batch: bool = True,
    on_request: OnRequest | None = None,
) -> ResultsReport:
    """`price_result_lines` over the results at `path`, opened by read/resultfile.py, for a
    caller that holds a path (coldstart, manyresults and reconcile_results in this layer; the
    commands open the file themselves). The pricing itself touches no file."""
    with result_stream(path) as lines:
        return price_result_lines(lines, path, pricing, on, batch=batch, on_request=on_request)


def price_result_lines(
    lines: Iterable[ResultLine],
    path: Path | InMemory,
    pricing: Pricing,
    on: date,
    *,
    batch: bool = True,
    on_request: OnRequest | None = None,
) -> ResultsReport:
    """Price the lines of a results file (read/results.py's `result_lines`); `path` names
    the file in the report and its errors. `on_request` receives each succeeded request's
    (custom_id, model id, usage, line items, web-search cost) for per-request output; line
    items are None for a request that could not be priced."""
    reading = _Reading(path, pricing, on, batch)
    _tally(reading, iter(lines), on_request)
    return _report(reading)


def _report(reading: _Reading) -> ResultsReport:
    """The report of a finished pass: each bucket priced once, the problems as notices."""
    path, pricing, on, routes = reading.path, reading.pricing, reading.on, reading.routes.values()
    succeeded = sum(r.lines for r in routes)
    unpriced = sum(r.lines for r in routes if r.tier == "unpriced")
    unknown: Tally[str] = Tally()
    tiers: Tally[str] = Tally()
    for r in routes:
        tiers[r.tier] += r.lines
        if r.model is None:
            unknown[r.name] += r.lines
    if not succeeded and not reading.counts:
        _nothing_priced(path, reading.malformed)
    if unpriced and unpriced == succeeded:
        raise CodedError(
            "nothing_priced_in_results",
            file=_label(path),
            requests=unpriced,
            reasons={
                code: reading.counted[code]
                for code in ("unknown_model_unpriced", "fast_without_fast_prices")
            },
            unknown=_unknown_models(unknown, pricing),
        )
    lines, per_model, standard_input, searches = _price_buckets(reading)
    search_cost = web_search_cost(searches, pricing.web_search_per_1000)
    wrote, read, both, neither, ttl_unknown, fetches, under = reading.cache
    counts = {t: reading.counts.get(t, 0) for t in RESULT_TYPES}
    counts["succeeded"] = succeeded
    misses = reading.misses
    return ResultsReport(
        path=path,
        batch=reading.batch,
        counts=counts,
        malformed=reading.malformed,
        lines=lines,
        web_searches=searches,
        web_search_cost=search_cost,
        total=sum((line.cost for line in lines), ZERO) + search_cost,
        per_model=per_model,
        wrote=wrote,
        read=read,
        both=both,
        neither=neither,
        standard_input_cost=standard_input,
        ttl_unknown=ttl_unknown,
        warnings=tuple(_warnings(reading, unknown)),
        problems=_problems(reading),
        service_tiers={t: n for t, n in tiers.items() if n},
        unpriced=unpriced,
        lower_bound=sum(r.lines for r in routes if r.lower and r.tier != "unpriced") + under,
        web_fetches=fetches,
        priced_on=on,
        cache_miss_reasons={r: (misses[r][0], misses[r][1]) for r in MISS_REASONS if r in misses},
    )


def _price_buckets(
    reading: _Reading,
) -> tuple[tuple[Line, ...], dict[str, tuple[int, Decimal]], Decimal, int]:
    """(line per token class, model id -> (requests, total), input at standard input prices,
    web searches) over every bucket."""
    on, per_1000 = reading.on, reading.pricing.web_search_per_1000
    class_tokens = dict.fromkeys(USAGE_CLASSES, 0)
    class_cost = dict.fromkeys(USAGE_CLASSES, ZERO)
    per_model: dict[str, tuple[int, Decimal]] = {}
    standard_input = ZERO
    searches = 0
    for b in reading.buckets.values():
        lines = b.lines(on)
        for line in lines:
            class_tokens[line.token_class] += line.tokens
            class_cost[line.token_class] += line.cost
        standard_input += (
            b.model.rates_for(on, b.tier_input).input
            * sum(line.tokens for line in lines if line.token_class != "output")
        ).scaleb(-6)
        searches += b.web_searches
        n, total = per_model.get(b.model.id, (0, ZERO))
        bucket_total = sum((line.cost for line in lines), ZERO)
        per_model[b.model.id] = (
            n + b.requests,
            total + bucket_total + web_search_cost(b.web_searches, per_1000),
        )
    # The rate column of an aggregate line is its average: cost per MTok over all buckets.
    lines = tuple(
        Line(c, n, (class_cost[c].scaleb(6) / n) if n else ZERO, class_cost[c])
        for c, n in class_tokens.items()
    )
    return lines, per_model, standard_input, searches


def _problems(reading: _Reading) -> tuple[Problem, ...]:
    counted, flagged = reading.counted, reading.flagged
    codes = (code for code in PROBLEM_CODES if counted[code])
    return tuple(Problem(code, counted[code], tuple(flagged[code])) for code in codes)


def _warnings(reading: _Reading, unknown: dict[str, int]) -> Iterator[Notice]:
    """The report's notices: unconfirmed prices, missing TTLs, each problem, malformed lines."""
    buckets = reading.buckets.values()
    for model in {b.model.id: b.model for b in buckets if b.model.unconfirmed}.values():
        yield unconfirmed_warning(model)
    if reading.cache[4]:
        yield notice("ttl_breakdown_missing", requests=reading.cache[4])
    named: dict[str, set[str]] = {"us_inference_unsupported": set(), "fast_mode_ended": set()}
    for r in reading.routes.values():
        for code in r.flags:
            if code in named and r.model is not None:
                named[code].add(r.model.name)
    for p in _problems(reading):
        figures: dict[str, Any] = {
            "count": p.count,
            "shown_lines": list(p.lines[:5]),
            "models": sorted(named.get(p.code, ())),
        }
        if p.code == "unknown_model_unpriced":
            figures["unknown"] = _unknown_models(unknown, reading.pricing)
        yield notice(p.code, p.lines, **figures)
    malformed = reading.malformed
    if malformed:
        yield notice(
            "malformed_lines",
            tuple(malformed[:MAX_PROBLEM_LINES]),
            count=len(malformed),
            shown_lines=list(malformed[:5]),
        )


UNKNOWN_SHOWN = 5  # unknown model names named in a notice (the line count is always exact)


def _unknown_models(unknown: dict[str, int], pricing: Pricing) -> list[dict[str, Any]]:
    """The most frequent unknown model names, each with its lines and nearest known id."""
    top = sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0]))[:UNKNOWN_SHOWN]
    return [{"name": n, "count": c, "suggestion": suggest_model(n, pricing)} for n, c in top]


def _nothing_priced(path: Path | InMemory, malformed: list[int]) -> None:
    """No line was a result: the file is empty or not a results file (never $0)."""
    name = _label(path)
    if not malformed:
        raise CodedError("results_empty", file=name)
    raise CodedError("no_result_to_price", file=name, line=malformed[0])


def _label(path: Path | InMemory) -> str:
    return label(path) if isinstance(path, Path) else str(path)
