"""Reading a Message Batches results file: what was billed, and how well the cache worked.

Streams JSONL of {"custom_id", "result": {"type", "message": {"model", "usage"}}} in any order.
Pricing is linear in tokens, so each line only adds its token counts into a bucket per (model,
US-only inference, long-context tier, service tier, speed); each bucket is priced once at the
end, exactly. Per-request costs are computed only when a per-request CSV is asked for.

Each line's own usage decides its rates (facts 15, 25, 28): `service_tier` "batch" at batch
prices, "standard" at standard prices, "priority" at standard prices as a lower bound (Priority
Tier capacity has no public per-token price) with a problem; `speed: "fast"` at the model's fast
prices (a model without them leaves the line unpriced, never $0; a model whose fast mode has
ended by the pricing date at its last fast prices, with a problem: the line proves it ran fast);
`inference_geo: "us"` at the model's US multiplier, any other value but "global" at global rates
as a lower bound (the API knows only those two, and US is the dearer) with a problem. A line
whose model is not in the price table is left unpriced (never $0) and the rest is still priced.
A line without `service_tier` uses the command's default (--no-batch).

`message.diagnostics.cache_miss_reason` (why the prompt cache missed against an earlier
request, https://platform.claude.com/docs/en/build-with-claude/cache-diagnostics) is counted by
its type where present.
"""

from __future__ import annotations

import json
from collections import Counter as Tally
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.compute.engine import (
    USAGE_CLASSES,
    Line,
    cost,
    price_tokens,
    rates_in_force,
    scale,
    unconfirmed_warning,
    web_search_cost,
)
from costcalc.errors import CodedError, CostcalcError
from costcalc.notices import Notice, notice
from costcalc.prices.model import ModelPrice, Pricing

if TYPE_CHECKING:
    from costcalc.files.inmemory import InMemory


def no_constant(name: str) -> Any:
    """json's parse_constant: NaN, Infinity and -Infinity are not JSON (RFC 8259 §6)."""
    raise ValueError(f"{name} is not valid JSON")


RESULT_TYPES = ("succeeded", "errored", "canceled", "expired")
SERVICE_TIERS = ("standard", "priority", "batch")
GEOS = (None, "global", "us")  # usage.inference_geo: absent, or one of the API's two values
# diagnostics.cache_miss_reason.type (anthropic SDK types/cache_miss_reason.py); "pending" is a
# null reason (the comparison had not finished), "other" a type this version does not know.
MISS_REASONS = (
    "model_changed",
    "system_changed",
    "tools_changed",
    "messages_changed",
    "previous_message_not_found",
    "unavailable",
    "pending",
    "other",
)
MAX_PROBLEM_LINES = 100  # line numbers kept per problem (the count is always exact)
ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class Usage:
    """Billed tokens of one request, in Anthropic's raw meaning (input = uncached only)."""

    tokens: dict[str, int]
    web_searches: int
    us: bool
    ttl_known: bool  # False when only cache_creation_input_tokens was given (priced as 5m)
    total_input: int  # uncached input + cache writes + cache reads
    service_tier: str | None = None  # "standard" | "priority" | "batch" | other text | None
    fast: bool = False  # usage.speed == "fast"
    geo: str | None = None  # usage.inference_geo as reported
    web_fetches: int = 0  # free beyond their tokens (facts 27)
    creation_mismatch: bool = False  # aggregate cache_creation_input_tokens != 5m + 1h


# The API always reports these; the cache counts are documented as nullable (null: none).
_REQUIRED = ("input_tokens", "output_tokens")
# No single request comes near this (the largest context window is about 1M tokens); larger
# counts are corrupt, and would push totals past exact Decimal arithmetic.
MAX_REQUEST_TOKENS = 10**9


def _count(fields: dict[str, Any], key: str) -> int:
    """A usage count; raises ValueError (the line is malformed, never priced as 0) when it is
    missing where required, null where required, or not a whole number >= 0 (300.0, "300",
    true, -1 are not counts)."""
    value = fields.get(key)
    if value is None:
        if key in _REQUIRED:
            raise ValueError(f"{key} is {'null' if key in fields else 'missing'}")
        return 0
    # type() rather than isinstance: bool is an int subclass and is not a count.
    if type(value) is not int or not 0 <= value <= MAX_REQUEST_TOKENS:
        raise ValueError(f"{key} {value!r} is not a whole number from 0 to {MAX_REQUEST_TOKENS:,}")
    return value


def parse_usage(usage: dict[str, Any]) -> Usage:
    """Usage from a result's message.usage; raises ValueError when it is not usage."""
    if type(usage) is not dict:
        raise ValueError("usage is not an object")
    breakdown = usage.get("cache_creation")
    mismatch = False
    if type(breakdown) is dict:
        w5 = _count(breakdown, "ephemeral_5m_input_tokens")
        w1 = _count(breakdown, "ephemeral_1h_input_tokens")
        ttl_known = True
        # Facts 15: the aggregate "equals the sum of the values in the cache_creation object".
        # The breakdown is priced (it says which TTL); a disagreement is reported.
        if "cache_creation_input_tokens" in usage:
            mismatch = _count(usage, "cache_creation_input_tokens") != w5 + w1
    else:
        w5, w1 = _count(usage, "cache_creation_input_tokens"), 0
        ttl_known = w5 == 0
    tools = usage.get("server_tool_use")
    searches = _count(tools, "web_search_requests") if type(tools) is dict else 0
    fetches = _count(tools, "web_fetch_requests") if type(tools) is dict else 0
    tier = usage.get("service_tier")
    geo = usage.get("inference_geo")
    uncached = _count(usage, "input_tokens")
    read = _count(usage, "cache_read_input_tokens")
    return Usage(
        tokens={
            "input": uncached,
            "cache_write_5m": w5,
            "cache_write_1h": w1,
            "cache_read": read,
            "output": _count(usage, "output_tokens"),
        },
        web_searches=searches,
        us=geo == "us",
        ttl_known=ttl_known,
        total_input=uncached + w5 + w1 + read,
        service_tier=tier if isinstance(tier, str) else None,
        fast=usage.get("speed") == "fast",
        geo=geo if isinstance(geo, str) else None,
        web_fetches=fetches,
        creation_mismatch=mismatch,
    )


@dataclass(frozen=True)
class Problem:
    """Something about some result lines that the total cannot fully account for."""

    code: str  # stable: one of PROBLEM_CODES
    count: int
    lines: tuple[int, ...]  # the first MAX_PROBLEM_LINES line numbers


# The result-line problems, in the order they are reported (their text is in messages.py).
PROBLEM_CODES = (
    "unknown_model_unpriced",
    "priority_tier",
    "fast_without_fast_prices",
    "fast_mode_ended",
    "inference_geo_unknown",
    "fast_in_batch",
    "us_inference_unsupported",
    "duplicate_custom_id",
    "cache_creation_mismatch",
    "unknown_service_tier",
)


@dataclass
class Bucket:
    model: ModelPrice
    us: bool
    tier_input: int  # a request size that selects the bucket's tier (0: no tier)
    batch: bool = True
    fast: bool = False
    tokens: dict[str, int] = field(default_factory=lambda: dict.fromkeys(USAGE_CLASSES, 0))
    requests: int = 0
    web_searches: int = 0


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


def read_results(
    path: Path | InMemory,
    pricing: Pricing,
    on: date,
    *,
    batch: bool = True,
    on_request: Callable[[str, str, Usage, tuple[Line, ...] | None, Decimal], None] | None = None,
) -> ResultsReport:
    """Stream and price a results file; `on_request` receives each succeeded request's
    (custom_id, model id, usage, line items, web-search cost) for per-request output; line
    items are None for a request that could not be priced."""
    from costcalc.files.inmemory import InMemory
    from costcalc.files.inputs import open_binary

    # Results given in memory (the Python API) are read as the lines of the same JSONL file.
    f: Any = path.open_lines() if isinstance(path, InMemory) else open_binary(path)
    counts: Tally = Tally()
    malformed: list[int] = []
    buckets: dict[tuple[str, bool, int, bool, bool], Bucket] = {}
    models: dict[str, ModelPrice | None] = {}  # None: not in the price table
    unknown: dict[str, int] = {}  # model names not in the table -> lines
    wrote = read = both = neither = ttl_unknown = unpriced = fetches = 0
    us_unsupported: set[str] = set()
    ended: set[str] = set()  # models whose fast mode is not offered on `on`
    flagged: dict[str, list[int]] = {}  # problem code -> line numbers
    counted: Tally = Tally()  # problem code -> lines
    first_line: dict[str, int] = {}  # custom_id -> line it first appeared on
    tiers: Tally = Tally()
    misses: dict[str, list[int]] = {}  # cache-miss reason -> [requests, missed input tokens]

    def flag(code: str, number: int) -> None:
        counted[code] += 1
        numbers = flagged.setdefault(code, [])
        if len(numbers) < MAX_PROBLEM_LINES:
            numbers.append(number)

    # NaN and Infinity are not JSON: such a line is malformed, never a token count.
    decode = json.JSONDecoder(parse_constant=no_constant).decode
    with f:
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            try:
                item = decode(raw.decode("utf-8"))
                result = item["result"]
                kind = result["type"]
                if kind != "succeeded":
                    if kind not in RESULT_TYPES:
                        raise ValueError(f"unknown result type {kind!r}")
                    counts[kind] += 1
                    continue
                message = result["message"]
                name = message["model"]
                usage = parse_usage(message["usage"])
                custom_id = item.get("custom_id", "")
                miss = _cache_miss(message.get("diagnostics"))
            except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
                if not malformed and not counts:
                    _not_results(path, raw)
                malformed.append(number)
                continue
            if name not in models:
                try:
                    models[name] = pricing.resolve(name)
                except CostcalcError:
                    models[name] = None
            model = models[name]
            counts["succeeded"] += 1
            if miss is not None:
                tally = misses.setdefault(miss[0], [0, 0])
                tally[0] += 1
                tally[1] += miss[1]
            if model is None:
                # Priced lines are kept; this one is reported, never $0.
                unknown[name] = unknown.get(name, 0) + 1
                flag("unknown_model_unpriced", number)
                unpriced += 1
                tiers["unpriced"] += 1
                if on_request is not None:
                    on_request(custom_id, name, usage, None, ZERO)
                continue
            if isinstance(custom_id, str):
                if custom_id in first_line:
                    flag("duplicate_custom_id", number)
                else:
                    first_line[custom_id] = number
            if usage.creation_mismatch:
                flag("cache_creation_mismatch", number)
            fetches += usage.web_fetches
            us = usage.us
            if usage.geo not in GEOS:
                flag("inference_geo_unknown", number)
            if us and model.us_inference_multiplier is None:
                us_unsupported.add(model.name)
                flag("us_inference_unsupported", number)
                us = False
            service = usage.service_tier
            if service is None:
                line_batch = batch
            elif service == "batch":
                line_batch = True
            elif service in ("standard", "priority"):
                line_batch = False
                if service == "priority":
                    flag("priority_tier", number)
            else:
                line_batch = batch
                flag("unknown_service_tier", number)
            fast = usage.fast
            if fast:
                if model.fast is None:
                    flag("fast_without_fast_prices", number)
                    unpriced += 1
                    tiers["unpriced"] += 1
                    if on_request is not None:
                        on_request(custom_id, model.id, usage, None, ZERO)
                    continue
                if not model.fast_offered(on):
                    ended.add(model.name)
                    flag("fast_mode_ended", number)
                if line_batch:
                    flag("fast_in_batch", number)
                    line_batch = False
            tiers[_tier_name(service, line_batch, fast)] += 1
            # Fast mode has no long-context premium ("the full 1M context window at no
            # additional long context charge"), so it has no tier.
            tier = model.tier_on(on, usage.total_input) if model.long_context and not fast else None
            tier_input = tier.threshold + 1 if tier else 0
            key = (model.id, us, tier_input, line_batch, fast)
            bucket = buckets.get(key)
            if bucket is None:
                bucket = buckets[key] = Bucket(model, us, tier_input, line_batch, fast)
            bucket.requests += 1
            bucket.web_searches += usage.web_searches
            for token_class, n in usage.tokens.items():
                bucket.tokens[token_class] += n
            writes = usage.tokens["cache_write_5m"] + usage.tokens["cache_write_1h"]
            reads = usage.tokens["cache_read"]
            wrote += writes > 0
            read += reads > 0
            both += writes > 0 and reads > 0
            neither += writes == 0 and reads == 0
            ttl_unknown += not usage.ttl_known
            if on_request is not None:
                lines = _price(model, usage.tokens, on, line_batch, us, tier_input, fast)
                on_request(
                    custom_id,
                    model.id,
                    usage,
                    lines,
                    web_search_cost(usage.web_searches, pricing.web_search_per_1000),
                )

    if not counts:
        _nothing_priced(path, malformed)
    if unpriced and unpriced == counts["succeeded"]:
        raise CodedError(
            "nothing_priced_in_results",
            file=_label(path),
            requests=unpriced,
            reasons={
                code: counted[code]
                for code in ("unknown_model_unpriced", "fast_without_fast_prices")
            },
            unknown=_unknown_models(unknown, pricing),
        )
    class_tokens = dict.fromkeys(USAGE_CLASSES, 0)
    class_cost = dict.fromkeys(USAGE_CLASSES, ZERO)
    per_model: dict[str, list] = {}
    standard_input = ZERO
    searches = 0
    for b in buckets.values():
        lines = _price(b.model, b.tokens, on, b.batch, b.us, b.tier_input, b.fast)
        bucket_total = sum((line.cost for line in lines), ZERO)
        for line in lines:
            class_tokens[line.token_class] += line.tokens
            class_cost[line.token_class] += line.cost
        standard_input += (
            b.model.rates_for(on, b.tier_input).input
            * sum(n for c, n in b.tokens.items() if c != "output")
        ).scaleb(-6)
        searches += b.web_searches
        entry = per_model.setdefault(b.model.id, [0, ZERO])
        entry[0] += b.requests
        entry[1] += bucket_total + web_search_cost(b.web_searches, pricing.web_search_per_1000)
    search_cost = web_search_cost(searches, pricing.web_search_per_1000)
    # The rate column of an aggregate line is its average: cost per MTok over all buckets.
    lines = tuple(
        Line(c, n, (class_cost[c].scaleb(6) / n) if n else ZERO, class_cost[c])
        for c, n in class_tokens.items()
    )
    total = sum((line.cost for line in lines), ZERO) + search_cost
    warnings = []
    for model in {b.model.id: b.model for b in buckets.values() if b.model.unconfirmed}.values():
        warnings.append(unconfirmed_warning(model))
    if ttl_unknown:
        warnings.append(notice("ttl_breakdown_missing", requests=ttl_unknown))
    problems = tuple(
        Problem(code, counted[code], tuple(flagged[code]))
        for code in PROBLEM_CODES
        if counted[code]
    )
    named = {"us_inference_unsupported": sorted(us_unsupported), "fast_mode_ended": sorted(ended)}
    for p in problems:
        figures = {
            "count": p.count,
            "shown_lines": list(p.lines[:5]),
            "models": named.get(p.code, []),
        }
        if p.code == "unknown_model_unpriced":
            figures["unknown"] = _unknown_models(unknown, pricing)
        warnings.append(notice(p.code, p.lines, **figures))
    if malformed:
        shown = list(malformed[:5])
        warnings.append(
            notice(
                "malformed_lines",
                tuple(malformed[:MAX_PROBLEM_LINES]),
                count=len(malformed),
                shown_lines=shown,
            )
        )
    return ResultsReport(
        path=path,
        batch=batch,
        counts={t: counts.get(t, 0) for t in RESULT_TYPES},
        malformed=malformed,
        lines=lines,
        web_searches=searches,
        web_search_cost=search_cost,
        total=total,
        per_model={m: (n, t) for m, (n, t) in per_model.items()},
        wrote=wrote,
        read=read,
        both=both,
        neither=neither,
        standard_input_cost=standard_input,
        ttl_unknown=ttl_unknown,
        warnings=tuple(warnings),
        problems=problems,
        service_tiers=dict(tiers),
        unpriced=unpriced,
        web_fetches=fetches,
        priced_on=on,
        cache_miss_reasons={r: (misses[r][0], misses[r][1]) for r in MISS_REASONS if r in misses},
    )


UNKNOWN_SHOWN = 5  # unknown model names named in a notice (the line count is always exact)


def _unknown_models(unknown: dict[str, int], pricing: Pricing) -> list[dict[str, Any]]:
    """The most frequent unknown model names, each with its lines and nearest known id."""
    from costcalc.compute.failclosed import suggest_model

    top = sorted(unknown.items(), key=lambda kv: (-kv[1], kv[0]))[:UNKNOWN_SHOWN]
    return [{"name": n, "count": c, "suggestion": suggest_model(n, pricing)} for n, c in top]


def _cache_miss(diagnostics: Any) -> tuple[str, int] | None:
    """(reason, approximate input tokens that missed) of a message's diagnostics, or None
    without diagnostics (the request did not ask, or nothing diverged)."""
    if type(diagnostics) is not dict or "cache_miss_reason" not in diagnostics:
        return None
    reason = diagnostics["cache_miss_reason"]
    if reason is None:
        return "pending", 0
    if type(reason) is not dict:
        return "other", 0
    kind = reason.get("type")
    missed = reason.get("cache_missed_input_tokens")
    tokens = missed if type(missed) is int and 0 <= missed <= MAX_REQUEST_TOKENS else 0
    return (kind if kind in MISS_REASONS[:-2] else "other"), tokens


def _tier_name(service: str | None, batch: bool, fast: bool) -> str:
    """How a line was priced: batch, standard, priority (at standard) or fast."""
    if fast:
        return "fast"
    if service == "priority":
        return "priority"
    return "batch" if batch else "standard"


def _price(
    model: ModelPrice,
    tokens: dict[str, int],
    on: date,
    batch: bool,
    us: bool,
    tier_input: int,
    fast: bool,
) -> tuple[Line, ...]:
    """Line items of one bucket or request; fast mode at the model's fast rates (with the US
    multiplier on top: "Data residency multipliers apply on top of fast mode pricing",
    https://platform.claude.com/docs/en/about-claude/pricing), never batched. The fast rates are
    the model's last ones, also once fast mode has ended: a result line that ran fast was
    billed at them."""
    if not fast:
        return price_tokens(model, tokens, on, batch=batch, us=us, input_per_request=tier_input)
    assert model.fast is not None  # read_results leaves fast lines without fast prices unpriced
    rates = model.fast
    if us and model.us_inference_multiplier is not None:
        rates = scale(rates, model.us_inference_multiplier)
    return tuple(
        Line(c, tokens.get(c, 0), rates.rate(c), cost(tokens.get(c, 0), rates.rate(c)))
        for c in USAGE_CLASSES
    )


def _not_results(path: Path | InMemory, first: bytes) -> None:
    """Stop when the first line shows a batch request file rather than results."""
    try:
        item = json.loads(first)
    except (ValueError, RecursionError):
        return
    if isinstance(item, dict) and "params" in item and "result" not in item:
        raise CostcalcError(
            f"{_label(path)} looks like a batch request file; use costcalc check {_label(path)}"
        )


def _nothing_priced(path: Path | InMemory, malformed: list[int]) -> None:
    """No line was a result: the file is empty or not a results file (never $0)."""
    name = _label(path)
    if not malformed:
        raise CostcalcError(f"{name} is empty: no results to price")
    raise CostcalcError(
        f"{name} has no result to price: line {malformed[0]:,} is not a result with whole, "
        "non-negative usage counts (expected the batch results JSONL, one "
        '{"custom_id", "result"} per line)'
    )


def _label(path: Path | InMemory) -> str:
    from costcalc.files.inputs import label

    return label(path) if isinstance(path, Path) else str(path)


@dataclass(frozen=True)
class Difference:
    token_class: str
    estimated_tokens: int
    actual_tokens: int
    estimated_cost: Decimal
    actual_cost: Decimal


@dataclass(frozen=True)
class Comparison:
    source: str  # what the estimate came from
    rows: tuple[Difference, ...]
    estimated_total: Decimal
    actual_total: Decimal
    estimated_requests: int
    explanations: tuple[Notice, ...]


def compare(
    report: ResultsReport,
    estimated: dict[str, tuple[int, Decimal]],
    estimated_requests: int,
    source: str,
) -> Comparison:
    """Estimated vs actual per token class, and what explains the difference (over 5%)."""
    rows = []
    for token_class in USAGE_CLASSES:
        e_tokens, e_cost = estimated.get(token_class, (0, ZERO))
        actual = report.line(token_class)
        rows.append(Difference(token_class, e_tokens, actual.tokens, e_cost, actual.cost))
    est_total = sum((r.estimated_cost for r in rows), ZERO)
    n = report.succeeded
    notes = []
    if n != estimated_requests:
        notes.append(notice("billed_requests_differ", billed=n, planned=estimated_requests))

    def mean(tokens: int, requests: int) -> Decimal:
        return Decimal(tokens) / requests if requests else ZERO

    def off(e: Decimal, a: Decimal) -> bool:
        return abs(a - e) > max(e, a) * Decimal("0.05")

    # Per request, so that a different number of billed requests explains only itself.
    by = {r.token_class: r for r in rows}
    for group, classes in (
        ("cache_write", ("cache_write_5m", "cache_write_1h")),
        ("cache_read", ("cache_read",)),
        ("input", ("input",)),
        ("output", ("output",)),
    ):
        e = mean(sum(by[c].estimated_tokens for c in classes), estimated_requests)
        a = mean(sum(by[c].actual_tokens for c in classes), n)
        if off(e, a):
            notes.append(
                notice(
                    "differs_from_plan",
                    token_class=group,
                    direction="more" if a > e else "fewer",
                    actual_tokens=int(a.quantize(ONE)),
                    planned_tokens=int(e.quantize(ONE)),
                )
            )
    if report.web_searches:
        notes.append(
            notice(
                "web_search_not_estimated",
                searches=report.web_searches,
                cost_usd=report.web_search_cost,
            )
        )
    return Comparison(
        source, tuple(rows), est_total, report.total, estimated_requests, tuple(notes)
    )


def measured_hit_rate(path: Path, pricing: Pricing, on: date) -> tuple[Decimal, int, int]:
    """(hit rate, succeeded requests, requests with cached tokens) of an earlier run's results:
    cache-read tokens over cache-read plus cache-write tokens, over the succeeded lines, to four
    places. A run without cached tokens measures nothing: an error, never a rate of 0 or 1."""
    from decimal import ROUND_HALF_UP

    report = read_results(path, pricing, on)
    share = report.read_share
    if share is None:
        raise CodedError("no_hit_rate_measurable", file=_label(path))
    cached = report.wrote + report.read - report.both
    return share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP), report.succeeded, cached


@dataclass(frozen=True)
class ColdStart:
    """Cache writes in a run that an earlier request of the file had already written, and what
    a warm-up would have saved on it."""

    matched: int  # succeeded results matched to a request of the submitted file
    misses: int  # requests that wrote again what an earlier request wrote
    tokens: int  # the tokens they wrote again
    extra_cost: Decimal  # those writes beyond what reading them would have cost
    primer_cost: Decimal  # what a warm-up of the file costs (warmup.py)
    # Every write of a primed entry (the first writer's too: after a primer it reads as well),
    # and what those writes cost beyond reading them.
    primed_tokens: int = 0
    primed_extra_cost: Decimal = ZERO
    unmatched: int = 0  # succeeded results whose custom_id is not in the submitted file
    notices: tuple[Notice, ...] = ()

    @property
    def saved(self) -> Decimal:
        """What a warm-up would have saved on this run (negative: it would have cost more)."""
        return self.primed_extra_cost - self.primer_cost

    @property
    def verdict(self) -> str | None:
        """Whether a warm-up would have paid for itself; None when no result matched the file
        (the run cannot be judged against it)."""
        if not self.matched:
            return None
        return "would_pay" if self.saved > 0 else "would_not_pay"


def cold_start_misses(
    path: Path | InMemory,
    planned: Any,
    ids: dict[str, int],
    pricing: Pricing,
    on: date,
    batch: bool = True,
) -> ColdStart:
    """Cold-start misses of a run, from its results and `planned`, check's report of the request
    file that was submitted (`ids`: custom_id -> request index in it).

    A request whose best-case read entry (A) was written by an earlier request in the file could
    have read it. When its last breakpoint is that entry, every token it wrote is a repeat; when
    it has a longer entry of its own and read nothing, the repeat is the estimated size of A (at
    most what it wrote). Repeats are priced at write minus read rates (1h writes first: longer
    TTLs come first in a prefix).

    The saving of a warm-up counts every matched request that would read a primed entry (as
    check's warm case picks it), the first writer included: the tokens it wrote up to that
    entry's end (all of them when its last breakpoint is the entry; else the entry's estimated
    size less what it read), priced the same way, less the primer batch."""
    from costcalc.compute.warmup import reachable, warm_reads
    from costcalc.read.requests import NONE

    req = planned.batch.requests
    entries = planned.batch.entries
    sizes = planned.entry_central
    warm = planned.warm
    primed: set[int] = set()
    for p in warm.primers if warm is not None else ():
        primed.add(p.entry)
        primed.update(p.covers)
    warm_read = warm_reads(entries, primed)
    by_id = {m.id: m for m in pricing.models}
    matched = misses = repeat_total = unmatched = primed_total = 0
    extra = primed_extra = ZERO

    def excess(model_id: str, usage: Usage, tokens: int) -> Decimal:
        """`tokens` of the request's writes priced at write minus read rates, 1h ones first."""
        model = by_id[model_id]
        # US-only inference pays the model's multiplier on writes and reads alike (read_results
        # prices a model without one at global rates, and so does this).
        us = usage.us and model.us_inference_multiplier is not None
        rates = rates_in_force(model, on, usage.total_input, batch=batch, us=us)
        in_1h = min(tokens, usage.tokens["cache_write_1h"])
        return cost(in_1h, rates.cache_write_1h - rates.cache_read) + cost(
            tokens - in_1h, rates.cache_write_5m - rates.cache_read
        )

    def one(custom_id: str, model_id: str, usage: Usage, lines, web: Decimal) -> None:
        nonlocal matched, misses, repeat_total, extra, unmatched, primed_total, primed_extra
        r = ids.get(custom_id)
        if r is None or model_id not in by_id:
            unmatched += 1
            return
        matched += 1
        a, c = req.a[r], req.c[r]
        written = usage.tokens["cache_write_5m"] + usage.tokens["cache_write_1h"]
        if not written:
            return
        read = usage.tokens["cache_read"]
        p = NONE
        if c != NONE and c in warm_read:
            p = reachable(entries, warm_read[c], c, (a, req.b[r], req.b0[r], req.first[r]))
        if p != NONE:
            turned = written if c == p else min(written, max(sizes[p] - read, 0))
            if turned:
                primed_total += turned
                primed_extra += excess(model_id, usage, turned)
        if a == NONE or not entries[a].reads:
            return
        if c == a:
            repeat = written
        elif read == 0:
            repeat = min(written, sizes[a])
        else:
            return
        if not repeat:
            return
        misses += 1
        repeat_total += repeat
        extra += excess(model_id, usage, repeat)

    read_results(path, pricing, on, batch=batch, on_request=one)
    notes: tuple[Notice, ...] = ()
    if unmatched:
        notes = (notice("results_not_in_batch", matched=matched, unmatched=unmatched),)
    return ColdStart(
        matched,
        misses,
        repeat_total,
        extra,
        warm.primer_cost if warm is not None else ZERO,
        primed_tokens=primed_total,
        primed_extra_cost=primed_extra,
        unmatched=unmatched,
        notices=notes,
    )
