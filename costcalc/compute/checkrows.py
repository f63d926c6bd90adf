"""What a checked file's report shows beside its totals: each model's request summary and the
cache entries that cost most in the best case (check.py computes them, the presenters show them).
"""

from __future__ import annotations

import heapq
from array import array
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from costcalc.compute.engine import cost, rates_in_force
from costcalc.prices.model import ModelPrice, Rates
from costcalc.read.requests import NONE, BatchFile
from costcalc.tokens.count import Band

ZERO = Decimal(0)
ONE = Decimal(1)
TOP_ENTRIES = 100  # cache entries kept in the report, most expensive first


@dataclass(frozen=True)
class ModelSummary:
    model: ModelPrice
    requests: int
    prefixes: int  # distinct cache entries
    shared: Band | None  # tokens per distinct last-breakpoint entry, mean
    unique_mean: Band  # tokens after the last breakpoint, per request
    unique_max: Band
    max_tokens_mean: int


@dataclass(frozen=True)
class EntryRow:
    """One distinct cache entry and what it costs in the best case (batch rates)."""

    model: str
    line: int  # first request that has it
    tokens: int  # central
    ttl: str
    writes: int
    reads: int
    cost: Decimal
    cached: bool  # False when under the model's minimum (its tokens are billed as input)


@dataclass(frozen=True)
class Counted:
    """What the pricing loop gathered that the summaries need (check._Pricer's fields)."""

    batch: BatchFile
    models: Sequence[ModelPrice]
    exact: bool
    on: date
    low: array[int]  # per entry: low, central and high tokens of the whole prefix
    central: array[int]
    high: array[int]
    cached: bytearray  # per entry: reaches the model's minimum (central count)
    count: list[int]  # per model: requests priced
    max_tokens_sum: list[int]
    unique_sum: list[list[int]]  # per model: tokens after the last breakpoint (low, central, high)
    unique_max: list[tuple[int, int, int]]


def _band(lo: int, mid: int, hi: int, exact: bool) -> Band:
    return Band(lo, mid, hi, exact and lo == hi)


def model_summaries(p: Counted) -> list[ModelSummary]:
    """One summary per model with a priced request, in the batch's model order."""
    out = []
    per_model: dict[str, list[int]] = defaultdict(list)
    for e, entry in enumerate(p.batch.entries):
        if entry.last_uses:
            per_model[entry.model].append(e)
    for m, model in enumerate(p.models):
        n = p.count[m]
        if not n:
            continue
        last = per_model.get(model.id, [])
        shared = None
        if last:
            lo, mid, hi = (
                _mean(sum(v[e] for e in last), len(last)) for v in (p.low, p.central, p.high)
            )
            shared = _band(lo, mid, hi, p.exact)
        lo, mid, hi = (_mean(t, n) for t in p.unique_sum[m])
        out.append(
            ModelSummary(
                model=model,
                requests=n,
                prefixes=sum(1 for entry in p.batch.entries if entry.model == model.id),
                shared=shared,
                unique_mean=_band(lo, mid, hi, p.exact),
                unique_max=_band(*p.unique_max[m], p.exact),
                max_tokens_mean=_mean(p.max_tokens_sum[m], n),
            )
        )
    return out


def _write_tokens(p: Counted) -> list[int]:
    """Per entry, the tokens written for it in the best case: a write pays for the span after
    the entry it extends."""
    batch = p.batch
    out = [0] * len(batch.entries)
    for e, entry in enumerate(batch.entries):
        if entry.fresh and p.cached[e]:
            out[e] = entry.fresh * p.central[e]
    for (e, prev), n in batch.spans.items():
        if p.cached[e]:
            base = p.central[prev] if prev != NONE and p.cached[prev] else 0
            out[e] += n * (p.central[e] - base)
    return out


def entry_rows(p: Counted) -> list[EntryRow]:
    """The entries that cost most in the best case, at the batch rates of a request as long
    as the entry."""
    batch = p.batch
    write_tokens = _write_tokens(p)
    by_model = {m.id: m for m in p.models}
    rates: dict[tuple[str, int, bool], Rates] = {}

    def row(e: int) -> EntryRow:
        entry = batch.entries[e]
        key = (entry.model, p.central[e], entry.us)
        if key not in rates:
            rates[key] = rates_in_force(
                by_model[entry.model], p.on, key[1], batch=True, us=entry.us
            )
        rb = rates[key]
        money = ZERO
        if p.cached[e]:
            money = cost(write_tokens[e], rb.rate(f"cache_write_{entry.ttl}")) + cost(
                entry.reads * p.central[e], rb.cache_read
            )
        return EntryRow(
            entry.model,
            entry.line,
            p.central[e],
            entry.ttl,
            entry.writes,
            entry.reads,
            money,
            bool(p.cached[e]),
        )

    rows = (row(e) for e in range(len(batch.entries)))
    return heapq.nlargest(TOP_ENTRIES, rows, key=lambda x: (x.cost, -x.line))


def _mean(total: int, n: int) -> int:
    if not n:
        return 0
    return int((Decimal(total) / n).quantize(ONE, rounding=ROUND_HALF_UP))


__all__ = ["TOP_ENTRIES", "Counted", "EntryRow", "ModelSummary", "entry_rows", "model_summaries"]
