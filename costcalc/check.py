"""Pricing a checked batch file: requests grouped by model and cached prefix, each group an
engine workload, in three cases.

- best: as submitted, one cache write per distinct prefix, central token counts;
- expected: the expected output (--output / --output-ratio) and hit rate, central counts;
- worst: max_tokens of output, 0% cache hits (every request writes), high token counts.
The standard, batch and cache alternatives are priced like the best case.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from .batchfile import BatchFile, Request, read
from .engine import SCENARIOS, Workload, estimate
from .planning import DEFAULT_HIT_RATE, writes_for_hit_rate
from .pricing import ModelPrice, Pricing
from .tokens import Band, band, mean_and_max

ZERO = Decimal(0)


@dataclass
class Group:
    model: ModelPrice
    prefix: str
    ttl: str
    requests: list[Request] = field(default_factory=list)


@dataclass(frozen=True)
class ModelSummary:
    model: ModelPrice
    requests: int
    prefixes: int  # distinct cached prefixes
    shared: Band | None  # tokens per prefix, mean over prefixes
    unique_mean: Band
    unique_max: Band
    max_tokens_mean: int


@dataclass(frozen=True)
class Report:
    batch: BatchFile
    exact: bool
    models: list[ModelSummary]
    totals: dict[str, Decimal]  # scenario -> total, best case
    expected: Decimal  # batch_cache, expected case
    worst: Decimal  # batch_cache, worst case
    output_note: str
    hit_rate: Decimal
    split: list[tuple[int, int, int]]  # (requests, bytes, prefixes) per suggested batch
    limits: tuple[int, int]
    rejected: int  # requests the API would refuse: left out of the cost
    best_lines: dict[str, tuple[int, Decimal]]  # batch_cache as submitted: class -> (tokens, cost)


def _count_band(n: int, model: ModelPrice, pricing: Pricing, exact: bool) -> Band:
    return Band.of(n) if exact else band(n, pricing.tokenizers[model.tokenizer])


def _mean(values: list[int]) -> int:
    return mean_and_max(values)[0]


def check(
    path: Path,
    pricing: Pricing,
    on: date,
    *,
    counter=None,
    exact=None,
    output: int | None = None,
    output_ratio: Decimal | None = None,
    hit_rate: Decimal | None = None,
) -> Report:
    """Read and price a batch request file. `counter` counts cl100k tokens of a text (estimates);
    `exact` (an ExactCounter) counts Claude tokens exactly."""

    def known(name: str) -> str | None:
        try:
            return pricing.resolve(name).id
        except Exception:
            return None

    by_id = {m.id: m for m in pricing.models}

    def count(model_id: str, text: str) -> int:
        if exact is not None:
            return exact.shared(model_id, text)
        return counter(text)

    def limit(model_id: str) -> int | None:
        return by_id[model_id].input_limit_on(on)

    def min_cache(model_id: str) -> int | None:
        return by_id[model_id].min_cache_tokens

    def to_tokens(model_id: str, n: int) -> int:
        # Limits are in Claude tokens; estimated counts are cl100k: compare at the central ratio.
        return (
            n
            if exact is not None
            else band(n, pricing.tokenizers[by_id[model_id].tokenizer]).central
        )

    batch = read(path, count, known, limit, min_cache, to_tokens)
    hit = hit_rate if hit_rate is not None else DEFAULT_HIT_RATE

    groups: dict[tuple[str, str, str], Group] = {}
    for req in batch.requests:
        if req.rejected:  # refused by the API, so not billed
            continue
        key = (req.model, req.prefix, req.ttl)
        groups.setdefault(key, Group(by_id[req.model], req.prefix, req.ttl)).requests.append(req)

    totals = {name: ZERO for name in SCENARIOS}
    best_lines: dict[str, tuple[int, Decimal]] = {}
    expected_total = worst_total = ZERO
    for g in groups.values():
        n = len(g.requests)
        shared = _count_band(g.requests[0].prefix_tokens, g.model, pricing, exact is not None)
        unique = _count_band(
            _mean([r.unique_tokens for r in g.requests]), g.model, pricing, exact is not None
        )
        worst_output = _mean([r.max_tokens for r in g.requests])
        if output is not None:
            expected_output = output
        elif output_ratio is not None:
            expected_output = int(
                (output_ratio * worst_output).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            )
        else:
            expected_output = worst_output
        s_c, s_h = (shared.central, shared.high) if g.prefix else (0, 0)
        u_c = unique.central + (0 if g.prefix else shared.central)
        u_h = unique.high + (0 if g.prefix else shared.high)

        def priced(s: int, u: int, o: int, writes: int, g: Group = g, n: int = n):
            return estimate(g.model, Workload(n, s, u, o, ttl=g.ttl, cache_writes=writes), on)

        best = priced(s_c, u_c, expected_output, 1)
        for name in SCENARIOS:
            totals[name] += best.scenario(name).total
        for line in best.scenario("batch_cache").lines:
            tokens, cost = best_lines.get(line.token_class, (0, ZERO))
            best_lines[line.token_class] = (tokens + line.tokens, cost + line.cost)
        expected_total += (
            priced(s_c, u_c, expected_output, writes_for_hit_rate(n, hit))
            .scenario("batch_cache")
            .total
        )
        worst_total += priced(s_h, u_h, worst_output, n).scenario("batch_cache").total

    if output is not None:
        note = f"expected output: {output:,} tokens per request (--output)"
    elif output_ratio is not None:
        note = f"expected output: {output_ratio} x max_tokens (--output-ratio)"
    else:
        note = (
            "expected output: max_tokens (give --output or --output-ratio for a real expectation)"
        )

    return Report(
        batch=batch,
        exact=exact is not None,
        models=_summaries(groups, pricing, exact is not None),
        totals=totals,
        expected=expected_total,
        worst=worst_total,
        output_note=note,
        hit_rate=hit,
        split=_split(batch, pricing.batch_limits.max_requests, pricing.batch_limits.max_bytes),
        limits=(pricing.batch_limits.max_requests, pricing.batch_limits.max_bytes),
        rejected=sum(1 for r in batch.requests if r.rejected),
        best_lines=best_lines,
    )


def _summaries(groups: dict, pricing: Pricing, exact: bool) -> list[ModelSummary]:
    per_model: dict[str, list[Group]] = defaultdict(list)
    for g in groups.values():
        per_model[g.model.id].append(g)
    out = []
    for gs in per_model.values():
        model = gs[0].model
        reqs = [r for g in gs for r in g.requests]
        cached = [g for g in gs if g.prefix]
        uniques = [r.unique_tokens + (0 if r.prefix else r.prefix_tokens) for r in reqs]
        mean_u, max_u = mean_and_max(uniques)
        shared = None
        if cached:
            shared = _count_band(
                _mean([g.requests[0].prefix_tokens for g in cached]), model, pricing, exact
            )
        out.append(
            ModelSummary(
                model=model,
                requests=len(reqs),
                prefixes=len({g.prefix for g in cached}),
                shared=shared,
                unique_mean=_count_band(mean_u, model, pricing, exact),
                unique_max=_count_band(max_u, model, pricing, exact),
                max_tokens_mean=_mean([r.max_tokens for r in reqs]),
            )
        )
    return out


def _split(batch: BatchFile, max_requests: int, max_bytes: int) -> list[tuple[int, int, int]]:
    """Batches under both limits that keep each prefix's requests together (first fit, in file
    order); a prefix group too large for one batch is cut where it must be."""
    total_bytes = sum(r.size for r in batch.requests)
    if len(batch.requests) <= max_requests and total_bytes <= max_bytes:
        return []
    groups: dict[str, list[Request]] = defaultdict(list)
    for r in batch.requests:
        groups[r.prefix or f"line:{r.line}"].append(r)
    bins: list[list[int]] = []  # [requests, bytes, prefixes]
    for reqs in groups.values():
        n, size = len(reqs), sum(r.size for r in reqs)
        for b in bins:
            if b[0] + n <= max_requests and b[1] + size <= max_bytes:
                b[0], b[1], b[2] = b[0] + n, b[1] + size, b[2] + 1
                break
        else:
            # Too big for any open batch: fill new batches with this group's requests.
            current = [0, 0, 1]
            for r in reqs:
                if current[0] + 1 > max_requests or current[1] + r.size > max_bytes:
                    bins.append(current)
                    current = [0, 0, 1]
                current[0] += 1
                current[1] += r.size
            bins.append(current)
    return [tuple(b) for b in bins]  # type: ignore[misc]
