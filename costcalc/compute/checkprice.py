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


# The hot loop (once per request). Its problems and its warm/delta sums are functions of their
# own: measured with benchmarks/many_requests.py's 100,000 requests, this loop took 0.37-0.38 s
# CPU split against 0.36-0.37 s whole (min of 3, twice), under 1% of the 6-7 s check takes.
def _price_requests(p: Pricer, warm_read: dict[int, tuple[int, ...]]) -> None:
    """Add every request's bill to its rate group, in the three cases and warmed."""
    batch, req = p.batch, p.batch.requests
    group = req.group
    central, high, cached, cached_high = p.central, p.high, p.cached, p.cached_high

    def tok(
        e: int, fallback: int = 0, values: array[int] = central, cached: bytearray = cached
    ) -> int:
        return values[e] if e != NONE and cached[e] else fallback

    memo: dict[tuple[int, int, bool], Rates] = {}
    for r in range(len(req)):
        if req.rejected[r]:
            continue
        m = req.model[r]
        model = p.models[m]
        a, b, c, b0 = req.a[r], req.b[r], req.c[r], req.b0[r]
        raw_c = central[c] if c != NONE else 0
        raw_h = high[c] if c != NONE else 0
        if batch.exact_totals:
            total_l = total_c = total_h = req.tail[r]
            n = max(total_c - raw_c, 0)
            unique = (n, n, n)
        else:
            unique = (req.tail_low[r], req.tail[r], req.tail_high[r])
            raw_l = p.low[c] if c != NONE else 0
            total_l, total_c, total_h = raw_l + unique[0], raw_c + unique[1], raw_h + unique[2]
        if _refused(p, r, model, total_l, total_h):
            req.rejected[r] = 1
            continue
        first = req.first[r]
        entries = batch.entries
        max_tokens = req.max_tokens[r]
        out = p.output_of(max_tokens)
        t_a = tok(a)
        t_b = tok(b, t_a)
        t_c = tok(c, t_b)
        us = bool(req.us[r])
        # The US rates differ from the global ones, so they are a group of their own.
        g = group[r] if group else 0
        key = (m, p.rates(m, total_c, memo, us), g)
        sums = p.groups.get(key)
        if sums is None:
            sums = p.groups[key] = Sums(total_c, us)
        best = sums.best
        best[INPUT] += total_c - t_c
        best[W5] += t_c - t_b
        best[W1] += t_b - t_a
        best[READ] += t_a
        best[OUTPUT] += out
        sums.uncached += total_c
        primed_read = NONE
        if c != NONE and c in warm_read:
            primed_read = reachable(entries, warm_read[c], c, (a, b, b0, first))
        _add_warm_and_delta(sums, total_c, (t_a, t_b, t_c), tok(primed_read), tok(b0), tok(c), out)
        h_b0, h_c = tok(b0, 0, high, cached_high), tok(c, 0, high, cached_high)
        wkey = (m, p.rates(m, total_h, memo, us), g)
        ws = p.worst.get(wkey)
        if ws is None:
            ws = p.worst[wkey] = Sums(total_h, us)
        w = ws.best
        w[INPUT] += total_h - h_c
        w[W5] += h_c - h_b0
        w[W1] += h_b0
        w[OUTPUT] += max_tokens
        p.count[m] += 1
        p.max_tokens_sum[m] += max_tokens
        usum = p.unique_sum[m]
        usum[0], usum[1], usum[2] = (
            usum[0] + unique[0],
            usum[1] + unique[1],
            usum[2] + unique[2],
        )
        if unique[1:] > p.unique_max[m][1:]:
            p.unique_max[m] = unique


def _refused(p: Pricer, r: int, model: ModelPrice, total_l: int, total_h: int) -> bool:
    """Raise a request's problems; True when the API surely refuses it."""
    batch, req = p.batch, p.batch.requests
    limit = model.input_limit_on(p.on)
    # Only a request over the window at its low count is surely refused (not billed); one
    # that may fit is priced in every case and may exceed it.
    if limit is not None and total_l > limit:
        batch.problem("context_window", req.line[r], limit=limit)
        return True
    if limit is not None and total_h > limit:
        batch.problem("context_window_maybe", req.line[r], limit=limit)
    a, b, c, first, cached = req.a[r], req.b[r], req.c[r], req.first[r], p.cached
    if first != NONE and not cached[first]:
        batch.problem("under_minimum", req.line[r], min_cache_tokens=model.min_cache_tokens)
    entries = batch.entries
    if (
        c != NONE
        and a == NONE
        and cached[c]
        and not (entries[c].reads or entries[first].reads or (b != NONE and entries[b].reads))
    ):
        batch.problem("cache_never_read", req.line[r])
    return False


def _add_warm_and_delta(
    sums: Sums, total: int, abc: tuple[int, int, int], t_w: int, t_b0: int, n_c: int, out: int
) -> None:
    """A request's bill after a primer batch, and what it pays more when its best-case read
    is a write instead. `abc`: the tokens up to its read (A), its last 1h write (B) and its
    last breakpoint (C); `t_w` the primed entry it reads; `t_b0` its first 1h breakpoint;
    `n_c` C's tokens when cached, else 0."""
    t_a, t_b, t_c = abc
    warm = sums.warm
    # Warm: read the longest primed entry this prefix starts with (never less than the best
    # case's read), then write the rest as the file asks.
    if t_w <= t_a:
        for i, v in enumerate((total - t_c, t_c - t_b, t_b - t_a, t_a, out)):
            warm[i] += v
    else:
        top = max(t_b0, t_w)
        warm[INPUT] += total - max(t_c, t_w)
        warm[W5] += max(t_c - top, 0)
        warm[W1] += top - t_w
        warm[READ] += t_w
        warm[OUTPUT] += out
    if t_a:  # a read in the best case: without it, this request writes everything
        d = sums.delta
        d[INPUT] += (total - n_c) - (total - t_c)
        d[W5] += (n_c - t_b0) - (t_c - t_b)
        d[W1] += t_b0 - (t_b - t_a)
        d[READ] -= t_a
