"""Every request of a checked file billed in three cases, summed by the rates it pays.

Each request is billed as the API bills it: A = the entry it reads, B = the last 1h breakpoint
it writes after A, C = its last breakpoint; A tokens are cache reads, B - A 1h writes, C - B 5m
writes, the rest (after the last breakpoint) uncached input. A prompt under the model's minimum
cacheable length is processed without caching, with no error: its tokens are input.
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching, "Mixing TTLs", "Tracking
cache performance" and "Cache limitations".) check.py turns the sums into money.
"""

from __future__ import annotations

from array import array
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from costcalc.compute.checkrows import Counted
from costcalc.compute.engine import rates_in_force
from costcalc.compute.warmup import WarmCase, primers, reachable, warm_reads
from costcalc.prices.model import ModelPrice, Rates
from costcalc.read.requests import NONE, BatchFile
from costcalc.tokens.count import Band

ZERO = Decimal(0)
ONE = Decimal(1)
# Token classes in the accumulators' order.
INPUT, W5, W1, READ, OUTPUT = range(5)


class Sums:
    """Token classes summed over the requests that pay the same rates."""

    __slots__ = ("best", "delta", "prompt", "uncached", "us", "warm")

    def __init__(self, prompt: int, us: bool = False) -> None:
        self.prompt = prompt  # one request's total input, to ask for the batch rates
        self.us = us  # inference_geo "us": the model's US multiplier on every class
        self.best = [0, 0, 0, 0, 0]
        self.delta = [0, 0, 0, 0, 0]  # best's readers writing instead, minus best
        self.uncached = 0  # total input (the scenarios without caching)
        self.warm = [0, 0, 0, 0, 0]  # after a primer batch (warmup.py)


class Pricer:
    """Every request's bill in the three cases, summed by the rates it pays."""

    def __init__(
        self,
        batch: BatchFile,
        models: list[ModelPrice],
        exact: bool,
        on: date,
        output: int | None,
        output_ratio: Decimal | None,
    ) -> None:
        self.batch, self.models, self.exact, self.on = batch, models, exact, on
        self.output, self.output_ratio = output, output_ratio
        # Keyed by (model, rates, the request's --group-by group: 0 when not grouping).
        self.groups: dict[tuple[int, Rates, int], Sums] = {}
        self.worst: dict[tuple[int, Rates, int], Sums] = {}
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

    def rates(
        self, m: int, prompt: int, memo: dict[tuple[int, int, bool], Rates], us: bool = False
    ) -> Rates:
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
        _price_requests(self, warm_reads(self.batch.entries, self.primed))

    def output_of(self, max_tokens: int) -> int:
        """The expected output of a request (--output, --output-ratio, else max_tokens)."""
        if self.output is not None:
            return min(self.output, max_tokens)
        if self.output_ratio is not None:
            n = (self.output_ratio * max_tokens).quantize(ONE, rounding=ROUND_HALF_UP)
            return min(int(n), max_tokens)
        return max_tokens


def warm_case(p: Pricer, batch_cost: Decimal) -> WarmCase:
    """The warm-up case: the primers chosen and the batch after them (`batch_cost`)."""
    return WarmCase(
        primers=tuple(p.primers),
        primed=len(p.primed),
        skipped_unread=p.unread,
        skipped_small=p.small,
        primer_cost=sum((x.cost for x in p.primers), ZERO),
        batch_cost=batch_cost,
        five_minute=any(e.ttl == "5m" for e in p.batch.entries),
    )


def counted(p: Pricer) -> Counted:
    """What the summaries and the entry rows need (checkrows.py)."""
    return Counted(
        p.batch,
        p.models,
        p.exact,
        p.on,
        p.low,
        p.central,
        p.high,
        p.cached,
        p.count,
        p.max_tokens_sum,
        p.unique_sum,
        p.unique_max,
    )


class _Shape:
    """What every request with the same model, location, max_tokens and entries (read, 1h
    write, last breakpoint, first breakpoint, last 1h breakpoint) pays alike: all of its bill
    but its own tokens after the last breakpoint, and its problems."""

    __slots__ = (
        "delta",
        "h_b0",
        "h_c",
        "limit",
        "m",
        "max_tokens",
        "min_cache",
        "never_read",
        "out",
        "raw",
        "t_a",
        "t_b",
        "t_b0",
        "t_c",
        "t_w",
        "under",
        "us",
    )

    def __init__(self, p: Pricer, key: tuple[int, ...], warm_read: dict[int, tuple[int, ...]]):
        m, a, b, c, b0, first, us, max_tokens = key
        central, cached, entries = p.central, p.cached, p.batch.entries

        def tok(
            e: int, fallback: int = 0, values: array[int] = central, cached: bytearray = cached
        ) -> int:
            return values[e] if e != NONE and cached[e] else fallback

        model = p.models[m]
        self.m, self.us, self.max_tokens = m, bool(us), max_tokens
        self.out = p.output_of(max_tokens)
        # The last breakpoint's whole prefix (low, central, high), cached or not.
        self.raw = (p.low[c], central[c], p.high[c]) if c != NONE else (0, 0, 0)
        self.t_a = tok(a)
        self.t_b = tok(b, self.t_a)
        self.t_c = tok(c, self.t_b)
        primed = NONE
        if c != NONE and c in warm_read:
            primed = reachable(entries, warm_read[c], c, (a, b, b0, first))
        self.t_w, self.t_b0 = tok(primed), tok(b0)
        n_c = tok(c)
        # What it pays more when its best-case read is a write instead (_add_warm_and_delta).
        self.delta = (
            self.t_c - n_c,
            (n_c - self.t_b0) - (self.t_c - self.t_b),
            self.t_b0 - (self.t_b - self.t_a),
            -self.t_a,
        )
        self.h_b0 = tok(b0, 0, p.high, p.cached_high)
        self.h_c = tok(c, 0, p.high, p.cached_high)
        # Its problems: over the context window (per request, by its tokens); a prefix under
        # the model's minimum cacheable length; an entry written and never read.
        self.limit = model.input_limit_on(p.on)
        self.min_cache = model.min_cache_tokens
        self.under = first != NONE and not cached[first]
        self.never_read = (
            c != NONE
            and a == NONE
            and bool(cached[c])
            and not (entries[c].reads or entries[first].reads or (b != NONE and entries[b].reads))
        )


# The hot loop (once per request), kept whole: it finds each request's _Shape, raises its
# problems in file order and counts the requests of each (shape, own tokens); each such group is
# billed once (_bill_groups). On benchmarks/many_requests.py's 100,000 requests Pricer.run takes
# 0.08-0.09 s of CPU against 0.35-0.41 s for the request-by-request bill before (same runs,
# thread time); a call per request would add ~0.05 s (0.5 us a call). A per-request
# hook (a callback, an array of each request's group) goes in this loop, with what it needs in
# the group key.
def _price_requests(p: Pricer, warm_read: dict[int, tuple[int, ...]]) -> None:
    """Add every request's bill to its rate group, in the three cases and warmed."""
    batch, req = p.batch, p.batch.requests
    shapes: dict[tuple[int, ...], _Shape] = {}
    groups: dict[tuple[_Shape, int, int, int, int], int] = {}
    group_of = req.group  # check --group-by: each request's group, else empty
    exact = batch.exact_totals
    rejected, line, tail, tail_low, tail_high = (
        req.rejected,
        req.line,
        req.tail,
        req.tail_low,
        req.tail_high,
    )
    model, a, b, c, b0, first, us, max_tokens = (
        req.model,
        req.a,
        req.b,
        req.c,
        req.b0,
        req.first,
        req.us,
        req.max_tokens,
    )
    for r in range(len(req)):
        if rejected[r]:
            continue
        key = (model[r], a[r], b[r], c[r], b0[r], first[r], us[r], max_tokens[r])
        s = shapes.get(key)
        if s is None:
            s = shapes[key] = _Shape(p, key, warm_read)
        if exact:  # the whole request by count_tokens: its own tokens are what is left
            total_l = total_h = lo = mid = hi = tail[r]
        else:
            lo, mid, hi = tail_low[r], tail[r], tail_high[r]
            total_l, total_h = s.raw[0] + lo, s.raw[2] + hi
        # Only a request over the window at its low count is surely refused (not billed); one
        # that may fit is priced in every case and may exceed it.
        limit = s.limit
        if limit is not None:
            if total_l > limit:
                batch.problem("context_window", line[r], limit=limit)
                rejected[r] = 1
                continue
            if total_h > limit:
                batch.problem("context_window_maybe", line[r], limit=limit)
        if s.under:
            batch.problem("under_minimum", line[r], min_cache_tokens=s.min_cache)
        if s.never_read:
            batch.problem("cache_never_read", line[r])
        group = (s, lo, mid, hi, group_of[r] if group_of else 0)
        groups[group] = groups.get(group, 0) + 1
    _bill_groups(p, groups)


def _bill_groups(p: Pricer, groups: dict[tuple[_Shape, int, int, int, int], int]) -> None:
    """Bill each group of `k` requests with the same shape and own tokens once, times k, in the
    order of their first requests: rate groups, sums and the largest request come out as a
    request-by-request bill makes them (integer sums, the first largest kept)."""
    memo: dict[tuple[int, int, bool], Rates] = {}
    exact = p.batch.exact_totals
    for (s, lo, mid, hi, g), k in groups.items():
        m = s.m
        if exact:  # lo = mid = hi: the whole request
            total_c = total_h = mid
            n = max(mid - s.raw[1], 0)
            unique = (n, n, n)
        else:
            unique = (lo, mid, hi)
            total_c, total_h = s.raw[1] + mid, s.raw[2] + hi
        # The US rates differ from the global ones, so they are a group of their own.
        key = (m, p.rates(m, total_c, memo, s.us), g)
        sums = p.groups.get(key)
        if sums is None:
            sums = p.groups[key] = Sums(total_c, s.us)
        t_a, t_b, t_c = s.t_a, s.t_b, s.t_c
        best = sums.best
        best[INPUT] += k * (total_c - t_c)
        best[W5] += k * (t_c - t_b)
        best[W1] += k * (t_b - t_a)
        best[READ] += k * t_a
        best[OUTPUT] += k * s.out
        sums.uncached += k * total_c
        _add_warm_and_delta(sums, k, total_c, s)
        wkey = (m, p.rates(m, total_h, memo, s.us), g)
        ws = p.worst.get(wkey)
        if ws is None:
            ws = p.worst[wkey] = Sums(total_h, s.us)
        w = ws.best
        w[INPUT] += k * (total_h - s.h_c)
        w[W5] += k * (s.h_c - s.h_b0)
        w[W1] += k * s.h_b0
        w[OUTPUT] += k * s.max_tokens
        p.count[m] += k
        p.max_tokens_sum[m] += k * s.max_tokens
        usum = p.unique_sum[m]
        usum[0], usum[1], usum[2] = (
            usum[0] + k * unique[0],
            usum[1] + k * unique[1],
            usum[2] + k * unique[2],
        )
        if unique[1:] > p.unique_max[m][1:]:
            p.unique_max[m] = unique


def _add_warm_and_delta(sums: Sums, k: int, total: int, s: _Shape) -> None:
    """The bill of `k` requests of shape `s` with `total` input tokens after a primer batch,
    and what they pay more when their best-case read is a write instead: its tokens up to its
    read (A), its last 1h write (B), its last breakpoint (C), the primed entry it reads
    (t_w) and its last 1h breakpoint (t_b0)."""
    t_a, t_b, t_c, t_w, out = s.t_a, s.t_b, s.t_c, s.t_w, s.out
    warm = sums.warm
    # Warm: read the longest primed entry this prefix starts with (never less than the best
    # case's read), then write the rest as the file asks.
    if t_w <= t_a:
        for i, v in enumerate((total - t_c, t_c - t_b, t_b - t_a, t_a, out)):
            warm[i] += k * v
    else:
        top = max(s.t_b0, t_w)
        warm[INPUT] += k * (total - max(t_c, t_w))
        warm[W5] += k * max(t_c - top, 0)
        warm[W1] += k * (top - t_w)
        warm[READ] += k * t_w
        warm[OUTPUT] += k * out
    if t_a:  # a read in the best case: without it, these requests write everything
        d = sums.delta
        for i, v in enumerate(s.delta):
            d[i] += k * v
