"""Pricing a checked batch file from its cache entries (batchfile), in three cases.

Each request is billed as the API bills it: A = the entry it reads, B = the last 1h breakpoint
it writes after A, C = its last breakpoint; A tokens are cache reads, B - A 1h writes, C - B 5m
writes, the rest (after the last breakpoint) uncached input. A prompt under the model's minimum
cacheable length is processed without caching, with no error: its tokens are input.
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching, "Mixing TTLs", "Tracking
cache performance" and "Cache limitations".)

- best: file order within each batch, each entry written once and read afterwards, the expected
  output (--output / --output-ratio, at most max_tokens), central token counts;
- expected: like best, but only --hit-rate of best's reads happen; the others write instead (an
  entry no other request shares is a write in every case);
- worst: no reads (every request writes all its entries), max_tokens of output, high counts;
  an entry is cached when its high count reaches the minimum (a write costs more than input).
A request with inference_geo "us" pays the model's US multiplier on every class (its rates are
a group of their own).
The standard, batch and cache scenarios are priced from the best case's requests.
Rates come per request from engine.rates_in_force (long-context and prompt-length tiers).
"""

from __future__ import annotations

import heapq
from array import array
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from costcalc.compute.engine import (
    SCENARIOS,
    USAGE_CLASSES,
    cost,
    lines_at,
    not_released_warning,
    rates_in_force,
    unconfirmed_warning,
)
from costcalc.compute.failclosed import Unpriced, unpriced
from costcalc.compute.planning import DEFAULT_HIT_RATE, split_by_group
from costcalc.compute.warmup import WarmCase, decision_notices, primers, reachable, warm_reads
from costcalc.files.inmemory import InMemory
from costcalc.notices import Notice, notice
from costcalc.prices.model import ModelPrice, Pricing, Rates
from costcalc.read.requests import NONE, BatchFile, read, replay
from costcalc.tokens.count import Band

ZERO = Decimal(0)
ONE = Decimal(1)
TOP_ENTRIES = 100  # cache entries kept in the report, most expensive first
# Token classes in the accumulators' order.
INPUT, W5, W1, READ, OUTPUT = range(5)


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
class Report:
    batch: BatchFile
    exact: bool
    models: list[ModelSummary]
    totals: dict[str, Decimal]  # scenario -> total, best case
    expected: Decimal  # batch_cache, expected case
    worst: Decimal  # batch_cache, worst case
    output_note: Notice  # expected_output: what the expected output is based on
    hit_rate: Decimal
    split: list[tuple[int, int, int]]  # (requests, bytes, prefixes) per suggested batch
    limits: tuple[int, int]
    rejected: int  # requests the API would refuse: left out of the cost
    best_lines: dict[str, tuple[int, Decimal]]  # batch_cache as submitted: class -> (tokens, cost)
    entries: list[EntryRow]  # the most expensive TOP_ENTRIES, by best-case cost
    entry_count: int  # distinct cache entries in all
    cases: dict[str, dict[str, tuple[int, Decimal]]]  # batch_cache per case: class -> tokens, cost
    warm: WarmCase | None = None  # primer batch first, then the batch with primed entries read
    entry_central: array | None = None  # each entry's central token count (by entry index)
    warnings: tuple[Notice, ...] = ()  # about the prices used (unconfirmed_price)
    # Requests left out of every total because they cannot be priced (fail closed: never $0).
    unpriced: Unpriced = field(default_factory=lambda: Unpriced(0, {}, []))

    @property
    def priced_requests(self) -> int:
        return sum(m.requests for m in self.models)

    @property
    def warm_notices(self) -> tuple[Notice, ...]:
        """Why the warm-up case covers only part of the file, when it does."""
        return decision_notices(self.unpriced, self.priced_requests)

    @property
    def cheapest(self) -> str:
        """ "warm_up" when priming and then the batch costs less than the expected case."""
        if self.warm is None or not self.warm.primers or self.warm.total >= self.expected:
            return "without_warm_up"
        return "warm_up"


class _Sums:
    """Token classes summed over the requests that pay the same rates."""

    __slots__ = ("best", "delta", "prompt", "uncached", "us", "warm")

    def __init__(self, prompt: int, us: bool = False) -> None:
        self.prompt = prompt  # one request's total input, to ask for the batch rates
        self.us = us  # inference_geo "us": the model's US multiplier on every class
        self.best = [0, 0, 0, 0, 0]
        self.delta = [0, 0, 0, 0, 0]  # best's readers writing instead, minus best
        self.uncached = 0  # total input (the scenarios without caching)
        self.warm = [0, 0, 0, 0, 0]  # after a primer batch (warmup.py)


def check(
    path: Path | InMemory,
    pricing: Pricing,
    on: date,
    *,
    counter: Callable[[str], int] | None = None,
    exact=None,
    output: int | None = None,
    output_ratio: Decimal | None = None,
    hit_rate: Decimal | None = None,
    claude_counter: Callable[[str, str], int] | None = None,
    problem_lines: Any = None,
) -> Report:
    """Read and price a batch request file. `counter` counts cl100k tokens of a text (estimates);
    `exact` (an ExactCounter) counts Claude tokens exactly with count_tokens, per entry and per
    request; `claude_counter(model, text)` counts Claude tokens per block (exact counts without
    the API, for tests and other offline counters). `problem_lines` (a text file) receives
    every problem line as a "code,line" row as it is found."""

    def known(name: str) -> str | None:
        try:
            return pricing.resolve(name).id
        except Exception:
            return None

    from costcalc.compute.blockcount import estimator, media_for

    by_id = {m.id: m for m in pricing.models}
    count: Callable[[str, str], Any] | None
    if exact is not None:
        count = None
    elif claude_counter is not None:
        count = claude_counter
    else:
        assert counter is not None
        # Each distinct block's band from its own content kind (textkind), on the worker.
        count = estimator(counter, {m.id: pricing.tokenizers[m.tokenizer] for m in pricing.models})

    def central(model_id: str, text: str) -> int:
        assert count is not None
        n = count(model_id, text)
        return n if isinstance(n, int) else n[1]

    media = media_for(pricing, on, central) if count is not None else None

    is_exact = exact is not None or claude_counter is not None
    limits = (pricing.batch_limits.max_requests, pricing.batch_limits.max_bytes)
    describe = by_id.get
    batch = read(
        path, count, known, exact=exact, media_for=media, describe=describe, spool=problem_lines
    )
    split, assign = split_by_group(batch.requests.c, batch.requests.size, *limits, NONE)
    if assign is not None and batch.entries:
        # Entries are written again in every batch: play the file again, batch by batch, from
        # the first read's record (the input is read once; a pipe works like a file).
        replay(batch, assign)
    hit = hit_rate if hit_rate is not None else DEFAULT_HIT_RATE
    models = [by_id[m] for m in batch.models]
    priced = _Pricer(batch, models, is_exact, on, output, output_ratio)
    priced.run()

    totals = {name: ZERO for name in SCENARIOS}
    delta = worst = ZERO
    cases: dict[str, dict[str, tuple[int, Decimal]]] = {"best": {}, "worst": {}}

    def add(case: dict, lines) -> Decimal:
        total = ZERO
        for line in lines:
            tokens, money = case.get(line.token_class, (0, ZERO))
            case[line.token_class] = (tokens + line.tokens, money + line.cost)
            total += line.cost
        return total

    for (m, rt), sums in priced.groups.items():
        model = models[m]
        rb = rates_in_force(model, on, sums.prompt, batch=True, us=sums.us)
        out = sums.best[OUTPUT]
        totals["standard"] += cost(sums.uncached, rt.input) + cost(out, rt.output)
        totals["batch"] += cost(sums.uncached, rb.input) + cost(out, rb.output)
        totals["cache"] += sum((line.cost for line in lines_at(rt, _classes(sums.best))), ZERO)
        totals["batch_cache"] += add(cases["best"], lines_at(rb, _classes(sums.best)))
        delta += sum((line.cost for line in lines_at(rb, _classes(sums.delta))), ZERO)
    warm_batch = ZERO
    for (m, _), sums in priced.groups.items():
        rb = rates_in_force(models[m], on, sums.prompt, batch=True, us=sums.us)
        warm_batch += sum((line.cost for line in lines_at(rb, _classes(sums.warm))), ZERO)
    for (m, _), sums in priced.worst.items():
        rb = rates_in_force(models[m], on, sums.prompt, batch=True, us=sums.us)
        worst += add(cases["worst"], lines_at(rb, _classes(sums.best)))
    best_lines = cases["best"]
    expected = totals["batch_cache"] + (ONE - hit) * delta

    note = notice("expected_output", output=output, output_ratio=output_ratio)
    return Report(
        batch=batch,
        exact=is_exact,
        models=priced.summaries(),
        totals=totals,
        expected=expected,
        worst=worst,
        output_note=note,
        hit_rate=hit,
        split=split,
        limits=limits,
        rejected=batch.rejected,
        best_lines=best_lines,
        entries=priced.entry_rows(),
        entry_count=len(batch.entries),
        cases=cases,
        entry_central=priced.central,
        unpriced=unpriced(batch, pricing),
        warnings=(
            *(unconfirmed_warning(m) for m in models if m.unconfirmed),
            *(
                not_released_warning(m, on)
                for m in models
                if m.released is not None and on < m.released
            ),
        ),
        warm=WarmCase(
            primers=tuple(priced.primers),
            primed=len(priced.primed),
            skipped_unread=priced.unread,
            skipped_small=priced.small,
            primer_cost=sum((p.cost for p in priced.primers), ZERO),
            batch_cost=warm_batch,
            five_minute=any(e.ttl == "5m" for e in batch.entries),
        ),
    )


def _classes(v: list[int]) -> dict[str, int]:
    return dict(zip(USAGE_CLASSES, v, strict=True))


class _Pricer:
    """Every request's bill in the three cases, summed by the rates it pays."""

    def __init__(self, batch, models, exact, on, output, output_ratio) -> None:
        self.batch, self.models, self.exact, self.on = batch, models, exact, on
        self.output, self.output_ratio = output, output_ratio
        self.groups: dict[tuple[int, Rates], _Sums] = {}
        self.worst: dict[tuple[int, Rates], _Sums] = {}
        n = len(models)
        # Per model: tokens after the last breakpoint summed (low, central, high), the largest.
        self.unique_sum = [[0, 0, 0] for _ in range(n)]
        self.unique_max = [(0, 0, 0)] * n
        self.count, self.max_tokens_sum = [0] * n, [0] * n
        # Per entry: low, central and high Claude tokens of the whole prefix (each block's band
        # comes from its content kind, batchfile/blockcount), and whether it reaches the
        # model's minimum.
        self.low = array("q")
        self.central = array("q")
        self.high = array("q")
        self.cached = bytearray()
        # The worst case counts high, so it caches on the high count: an entry that reaches the
        # minimum only at its high count is written there at 1.25x/2x, dearer than input.
        self.cached_high = bytearray()

    def _band(self, text: int, media: tuple[int, int, int] = (0, 0, 0)) -> Band:
        """Claude tokens counted exactly (`text`) plus a band."""
        # Exact only when nothing in it is a range (an image's band is one even with exact text).
        return Band(
            text + media[0], text + media[1], text + media[2], self.exact and not any(media)
        )

    def rates(self, m: int, prompt: int, memo: dict, us: bool = False) -> Rates:
        key = (m, prompt, us)
        rates = memo.get(key)
        if rates is None:
            rates = memo[key] = rates_in_force(self.models[m], self.on, prompt, batch=False, us=us)
        return rates

    def _entries(self) -> None:
        index = {mid: i for i, mid in enumerate(self.batch.models)}
        for e, entry in enumerate(self.batch.entries):
            m = index[entry.model]
            text, media = self.batch.entry_tokens(e)
            b = self._band(text, media)
            self.low.append(b.low)
            self.central.append(b.central)
            self.high.append(b.high)
            minimum = self.models[m].min_cache_tokens
            self.cached.append(b.central >= minimum)
            self.cached_high.append(b.high >= minimum)
            if b.low < minimum <= b.high:
                self.batch.problem("may_be_under_minimum", entry.line, min_cache_tokens=minimum)

    def run(self) -> None:
        self._entries()
        by_id = {m.id: m for m in self.models}
        self.primers, self.primed, self.unread, self.small = primers(
            self.batch.entries, self.cached, self.central, by_id, self.on
        )
        warm_read = warm_reads(self.batch.entries, self.primed)
        batch, req, on = self.batch, self.batch.requests, self.on
        central, high, cached, cached_high = self.central, self.high, self.cached, self.cached_high

        def tok(e: int, fallback: int = 0, values: array = central, cached=cached) -> int:
            return values[e] if e != NONE and cached[e] else fallback

        memo: dict[tuple[int, int, bool], Rates] = {}
        for r in range(len(req)):
            if req.rejected[r]:
                continue
            m = req.model[r]
            model = self.models[m]
            a, b, c, b0 = req.a[r], req.b[r], req.c[r], req.b0[r]
            raw_c = central[c] if c != NONE else 0
            raw_h = high[c] if c != NONE else 0
            if batch.exact_totals:
                total_l = total_c = total_h = req.tail[r]
                n = max(total_c - raw_c, 0)
                unique = (n, n, n)
            else:
                unique = (req.tail_low[r], req.tail[r], req.tail_high[r])
                raw_l = self.low[c] if c != NONE else 0
                total_l, total_c, total_h = raw_l + unique[0], raw_c + unique[1], raw_h + unique[2]
            limit = model.input_limit_on(on)
            # Only a request over the window at its low count is surely refused (not billed);
            # one that may fit is priced in every case and may exceed it.
            if limit is not None and total_l > limit:
                batch.problem("context_window", req.line[r], limit=limit)
                req.rejected[r] = 1
                continue
            if limit is not None and total_h > limit:
                batch.problem("context_window_maybe", req.line[r], limit=limit)
            first = req.first[r]
            if first != NONE and not cached[first]:
                batch.problem("under_minimum", req.line[r], min_cache_tokens=model.min_cache_tokens)
            entries = batch.entries
            if (
                c != NONE
                and a == NONE
                and cached[c]
                and not (
                    entries[c].reads or entries[first].reads or (b != NONE and entries[b].reads)
                )
            ):
                batch.problem("cache_never_read", req.line[r])
            max_tokens = req.max_tokens[r]
            out = self._output(max_tokens)
            t_a = tok(a)
            t_b = tok(b, t_a)
            t_c = tok(c, t_b)
            us = bool(req.us[r])
            # The US rates differ from the global ones, so they are a group of their own.
            key = (m, self.rates(m, total_c, memo, us))
            sums = self.groups.get(key)
            if sums is None:
                sums = self.groups[key] = _Sums(total_c, us)
            best = sums.best
            best[INPUT] += total_c - t_c
            best[W5] += t_c - t_b
            best[W1] += t_b - t_a
            best[READ] += t_a
            best[OUTPUT] += out
            sums.uncached += total_c
            # Warm: read the longest primed entry this prefix starts with (never less than the
            # best case's read), then write the rest as the file asks.
            primed_read = NONE
            if c != NONE and c in warm_read:
                primed_read = reachable(entries, warm_read[c], c, (a, b, b0, first))
            t_w = tok(primed_read)
            warm = sums.warm
            if t_w <= t_a:
                for i, v in enumerate((total_c - t_c, t_c - t_b, t_b - t_a, t_a, out)):
                    warm[i] += v
            else:
                top = max(tok(b0), t_w)
                warm[INPUT] += total_c - max(t_c, t_w)
                warm[W5] += max(t_c - top, 0)
                warm[W1] += top - t_w
                warm[READ] += t_w
                warm[OUTPUT] += out
            if t_a:  # a read in the best case: without it, this request writes everything
                n_b0, n_c = tok(b0), tok(c)
                d = sums.delta
                d[INPUT] += (total_c - n_c) - (total_c - t_c)
                d[W5] += (n_c - n_b0) - (t_c - t_b)
                d[W1] += n_b0 - (t_b - t_a)
                d[READ] -= t_a
            h_b0, h_c = tok(b0, 0, high, cached_high), tok(c, 0, high, cached_high)
            wkey = (m, self.rates(m, total_h, memo, us))
            ws = self.worst.get(wkey)
            if ws is None:
                ws = self.worst[wkey] = _Sums(total_h, us)
            w = ws.best
            w[INPUT] += total_h - h_c
            w[W5] += h_c - h_b0
            w[W1] += h_b0
            w[OUTPUT] += max_tokens
            self.count[m] += 1
            self.max_tokens_sum[m] += max_tokens
            usum = self.unique_sum[m]
            usum[0], usum[1], usum[2] = (
                usum[0] + unique[0],
                usum[1] + unique[1],
                usum[2] + unique[2],
            )
            if unique[1:] > self.unique_max[m][1:]:
                self.unique_max[m] = unique

    def _output(self, max_tokens: int) -> int:
        if self.output is not None:
            return min(self.output, max_tokens)
        if self.output_ratio is not None:
            n = (self.output_ratio * max_tokens).quantize(ONE, rounding=ROUND_HALF_UP)
            return min(int(n), max_tokens)
        return max_tokens

    def summaries(self) -> list[ModelSummary]:
        out = []
        per_model: dict[str, list[int]] = defaultdict(list)
        for e, entry in enumerate(self.batch.entries):
            if entry.last_uses:
                per_model[entry.model].append(e)
        for m, model in enumerate(self.models):
            n = self.count[m]
            if not n:
                continue
            last = per_model.get(model.id, [])
            shared = None
            if last:
                lo, mid, hi = (
                    _mean(sum(v[e] for e in last), len(last))
                    for v in (self.low, self.central, self.high)
                )
                shared = Band(lo, mid, hi, self.exact and lo == hi)
            lo, mid, hi = (_mean(t, n) for t in self.unique_sum[m])
            unique_mean = Band(lo, mid, hi, self.exact and lo == hi)
            lo, mid, hi = self.unique_max[m]
            unique_max = Band(lo, mid, hi, self.exact and lo == hi)
            out.append(
                ModelSummary(
                    model=model,
                    requests=n,
                    prefixes=sum(1 for entry in self.batch.entries if entry.model == model.id),
                    shared=shared,
                    unique_mean=unique_mean,
                    unique_max=unique_max,
                    max_tokens_mean=_mean(self.max_tokens_sum[m], n),
                )
            )
        return out

    def entry_rows(self) -> list[EntryRow]:
        """The entries that cost most in the best case, at the batch rates of a request as long
        as the entry (a write pays for the span after the entry it extends)."""
        batch = self.batch
        write_tokens = [0] * len(batch.entries)
        for e, entry in enumerate(batch.entries):
            if entry.fresh and self.cached[e]:
                write_tokens[e] = entry.fresh * self.central[e]
        for (e, prev), n in batch.spans.items():
            if self.cached[e]:
                base = self.central[prev] if prev != NONE and self.cached[prev] else 0
                write_tokens[e] += n * (self.central[e] - base)
        by_model = {m.id: m for m in self.models}
        rates: dict[tuple[str, int, bool], Rates] = {}

        def row(e: int) -> EntryRow:
            entry = batch.entries[e]
            key = (entry.model, self.central[e], entry.us)
            if key not in rates:
                rates[key] = rates_in_force(
                    by_model[entry.model], self.on, key[1], batch=True, us=entry.us
                )
            rb = rates[key]
            money = ZERO
            if self.cached[e]:
                money = cost(write_tokens[e], rb.rate(f"cache_write_{entry.ttl}")) + cost(
                    entry.reads * self.central[e], rb.cache_read
                )
            return EntryRow(
                entry.model,
                entry.line,
                self.central[e],
                entry.ttl,
                entry.writes,
                entry.reads,
                money,
                bool(self.cached[e]),
            )

        rows = (row(e) for e in range(len(batch.entries)))
        return heapq.nlargest(TOP_ENTRIES, rows, key=lambda x: (x.cost, -x.line))


def _mean(total: int, n: int) -> int:
    if not n:
        return 0
    return int((Decimal(total) / n).quantize(ONE, rounding=ROUND_HALF_UP))
