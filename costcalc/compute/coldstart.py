"""Cold-start misses of a run: cache writes that an earlier request of the same batch had
already written, and whether a warm-up (a primer batch first) would have paid for itself.

Requests of one batch run in any order and at once, so a request whose prefix an earlier
request writes may still find the cache cold and write it again, paying the write rate rather
than the read rate ("cache entries become available after the first response begins",
https://platform.claude.com/docs/en/build-with-claude/prompt-caching). The results file says
what each request wrote and read; check's report of the request file says which entry each
request could have read (compute/check.py, compute/warmup.py).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.compute.actual import read_results
from costcalc.compute.engine import Line, cost, rates_in_force
from costcalc.compute.warmup import reachable, warm_reads
from costcalc.errors import CodedError
from costcalc.notices import Notice, notice
from costcalc.prices.model import ModelPrice, Pricing
from costcalc.read.requests import NONE
from costcalc.read.results import Usage

if TYPE_CHECKING:
    from costcalc.files.inmemory import InMemory

ZERO = Decimal(0)


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


class _Misses:
    """The per-request callback of read_results that counts cold-start misses."""

    def __init__(
        self, planned: Any, ids: dict[str, int], pricing: Pricing, on: date, batch: bool
    ) -> None:
        self.req = planned.batch.requests
        self.entries = planned.batch.entries
        self.sizes = planned.entry_central
        warm = planned.warm
        primed: set[int] = set()
        for p in warm.primers if warm is not None else ():
            primed.add(p.entry)
            primed.update(p.covers)
        self.warm_read = warm_reads(self.entries, primed)
        self.ids, self.on, self.batch = ids, on, batch
        self.primer_cost = warm.primer_cost if warm is not None else ZERO
        self.by_id: dict[str, ModelPrice] = {m.id: m for m in pricing.models}
        self.matched = self.misses = self.repeats = self.unmatched = self.primed = 0
        self.extra = self.primed_extra = ZERO

    def excess(self, model_id: str, usage: Usage, tokens: int) -> Decimal:
        """`tokens` of the request's writes priced at write minus read rates, 1h ones first
        (longer TTLs come first in a prefix)."""
        model = self.by_id[model_id]
        # US-only inference pays the model's multiplier on writes and reads alike (read_results
        # prices a model without one at global rates, and so does this).
        us = usage.us and model.us_inference_multiplier is not None
        rates = rates_in_force(model, self.on, usage.total_input, batch=self.batch, us=us)
        in_1h = min(tokens, usage.tokens["cache_write_1h"])
        return cost(in_1h, rates.cache_write_1h - rates.cache_read) + cost(
            tokens - in_1h, rates.cache_write_5m - rates.cache_read
        )

    def __call__(
        self,
        custom_id: Any,
        model_id: str,
        usage: Usage,
        lines: tuple[Line, ...] | None,
        web: Decimal,
    ) -> None:
        r = self.ids.get(custom_id) if isinstance(custom_id, str) else None
        if r is None:
            self.unmatched += 1
            return
        self.count(r, model_id, usage)

    def count(self, r: int, model_id: str, usage: Usage) -> tuple[int, Decimal] | None:
        """Count the result of request `r` of the file; (tokens written again, their extra
        cost) when it was a cold-start miss, else None. A model not in the price table leaves
        the result unmatched (it cannot be priced)."""
        if model_id not in self.by_id:
            self.unmatched += 1
            return None
        self.matched += 1
        written = usage.tokens["cache_write_5m"] + usage.tokens["cache_write_1h"]
        if not written:
            return None
        req, entries = self.req, self.entries
        a, c, read = req.a[r], req.c[r], usage.tokens["cache_read"]
        p = NONE
        if c != NONE and c in self.warm_read:
            own = (a, req.b[r], req.b0[r], req.first[r])
            p = reachable(entries, self.warm_read[c], c, own)
        if p != NONE:
            turned = written if c == p else min(written, max(self.sizes[p] - read, 0))
            if turned:
                self.primed += turned
                self.primed_extra += self.excess(model_id, usage, turned)
        if a == NONE or not entries[a].reads:
            return None
        if c == a:
            repeat = written
        elif read == 0:
            repeat = min(written, self.sizes[a])
        else:
            return None
        if not repeat:
            return None
        extra = self.excess(model_id, usage, repeat)
        self.misses += 1
        self.repeats += repeat
        self.extra += extra
        return repeat, extra


def _summary(count: _Misses) -> ColdStart:
    """What the results `count` has seen say about its request file."""
    notes: tuple[Notice, ...] = ()
    if count.unmatched:
        notes = (notice("results_not_in_batch", matched=count.matched, unmatched=count.unmatched),)
    return ColdStart(
        count.matched,
        count.misses,
        count.repeats,
        count.extra,
        count.primer_cost,
        primed_tokens=count.primed,
        primed_extra_cost=count.primed_extra,
        unmatched=count.unmatched,
        notices=notes,
    )


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
    count = _Misses(planned, ids, pricing, on, batch)
    read_results(path, pricing, on, batch=batch, on_request=count)
    return _summary(count)


@dataclass(frozen=True)
class ManyColdStart:
    """Cold-start misses of many results files against many request files: the totals over
    every request file (`cold`, with `unmatched` the results whose custom_id is in no request
    file or whose model is not priced) and the requests of the request files that no result
    answered (`unanswered`)."""

    request_files: tuple[str, ...]
    cold: ColdStart
    unanswered: int


class ColdIndex:
    """Pairs results with the request files they answer, by custom_id, across files.

    Request files are planned one at a time (`add`): each keeps only what counting its misses
    needs (check's per-request arrays and cache entries; the rest of check's report is let go),
    and every custom_id goes into one dict custom_id -> request number over all files (a file's
    requests numbered on from where the previous file's end). Memory is per request, never per
    results file: the index and its one-byte bitmap of answered requests cost about 130 bytes
    a request (ids like "ticket-12345"; 12 MiB for 100,000 requests), and with each file's
    arrays about 200 bytes a request (19 MiB for 100,000), measured by
    benchmarks/batch_index.py; planning peaks at about twice that (check reads one file at a
    time). A custom_id in two request files is ambiguous (which request
    did its result answer?): refused, naming both files, rather than guessed."""

    def __init__(self, pricing: Pricing, on: date, *, batch: bool) -> None:
        self.pricing, self.on, self.batch = pricing, on, batch
        self.index: dict[str, int] = {}
        self.names: list[str] = []
        self.starts: list[int] = []
        self.counters: list[_Misses] = []
        self.answered = bytearray()  # one byte per request: did a result answer it
        self.unmatched = 0  # results whose custom_id is in no request file
        self.unjudged = 0  # unpriced results (counted with the unmatched)

    def add(self, name: str, planned: Any, ids: dict[str, int]) -> None:
        """The request file labelled `name`: check's report of it and its custom_id -> request
        index (warmup.request_ids)."""
        start = len(self.answered)
        index = self.index
        for custom_id, r in ids.items():
            number = index.setdefault(custom_id, start + r)
            if number != start + r:
                first = self.names[bisect_right(self.starts, number) - 1]
                raise CodedError(
                    "batch_id_in_two_files", custom_id=custom_id, first=first, second=name
                )
        self.names.append(name)
        self.starts.append(start)
        self.counters.append(_Misses(planned, {}, self.pricing, self.on, self.batch))
        self.answered.extend(bytes(len(planned.batch.requests.line)))

    def __call__(
        self, custom_id: Any, model_id: str, usage: Usage, priced: bool
    ) -> tuple[int, Decimal] | None:
        """One succeeded result: (tokens written again, their extra cost) when it was a
        cold-start miss in its request file, else None. A result that could not be priced
        answers its request but is not judged (its cost is not known, so neither is a miss's)."""
        number = self.index.get(custom_id) if type(custom_id) is str else None
        if number is None:
            self.unmatched += 1
            return None
        self.answered[number] = 1
        if not priced:
            self.unjudged += 1
            return None
        i = bisect_right(self.starts, number) - 1
        return self.counters[i].count(number - self.starts[i], model_id, usage)

    def summary(self) -> ManyColdStart:
        """The totals over every request file, with notices for results no request file has
        and for requests no result answered."""
        parts = [_summary(c) for c in self.counters]
        matched = sum(p.matched for p in parts)
        unmatched = self.unmatched + self.unjudged + sum(p.unmatched for p in parts)
        unanswered = sum(1 for n in self.index.values() if not self.answered[n])
        notes: list[Notice] = []
        if unmatched:
            notes.append(notice("results_not_in_batches", matched=matched, unmatched=unmatched))
        if unanswered:
            notes.append(notice("batch_requests_without_results", requests=unanswered))
        cold = ColdStart(
            matched,
            sum(p.misses for p in parts),
            sum(p.tokens for p in parts),
            sum((p.extra_cost for p in parts), ZERO),
            sum((p.primer_cost for p in parts), ZERO),
            primed_tokens=sum(p.primed_tokens for p in parts),
            primed_extra_cost=sum((p.primed_extra_cost for p in parts), ZERO),
            unmatched=unmatched,
            notices=tuple(notes),
        )
        return ManyColdStart(tuple(self.names), cold, unanswered)
