"""Cold-start misses of a run: cache writes of an entry beyond the one write it needs in its
batch, and whether a warm-up (a primer batch first) would have paid for itself.

The rule. The requests of one batch (one request file) are processed in any order, not in the
order of the file ("batch results can be returned in any order",
https://docs.anthropic.com/en/docs/build-with-claude/batch-processing), and a request can read a
cache entry only once another request has begun writing it ("cache entries become available
after the first response begins",
https://platform.claude.com/docs/en/build-with-claude/prompt-caching). So each cache entry (a
prefix ending at a breakpoint) needs ONE write in a batch; the tokens written for it beyond its
first write are misses, priced at the write rate less the read rate they could have paid. Only
actual writes count (the results' usage says who wrote what): an entry that a single request
wrote, whichever it was, has no miss, and a request that errored wrote nothing.

Which write is "the needed one" decides only which group a miss lands in: it is the first
writer in request-file order among the requests that actually wrote the entry. Results arrive
in any order, so a write first taken as the needed one becomes a miss when an earlier request of
the file turns out to have written the entry too (the caller is told to whom to credit it).

Per block: a request's write covers the part of its prefix after what it read, split over the
entries of its prefix at their estimated sizes (check's central count; the last entry takes all
that is left). A request that read 6,000 tokens and wrote 4,000 wrote only the later block(s),
and misses only the tokens of blocks another request wrote. State is kept per distinct entry
(its needed write), never per results line.
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
    """Cache writes in a run beyond the one write each entry needs in its batch (the module
    docstring), and what a warm-up would have saved on it."""

    matched: int  # succeeded results matched to a request of the submitted file
    misses: int  # requests that wrote tokens of an entry beyond its needed write
    tokens: int  # those tokens
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


# A miss credited to the request that made it: (owner, 1 when the request had no miss before,
# tokens written beyond the needed write, their cost beyond reading them). `owner` is what the
# caller passed with that request's result (its group's totals, say), so a needed write that a
# later-arriving, earlier-in-the-file write displaces is credited to its own request's owner.
Credit = tuple[Any, int, int, Decimal]


class _Chains:
    """The entries of the prefix that ends at an entry, shortest first (one per distinct last
    entry, kept)."""

    def __init__(self, entries: list[Any]) -> None:
        self.entries = entries
        self._chains: dict[int, tuple[int, ...]] = {}
        self._by_keys: dict[tuple[Any, ...], int] | None = None

    def of(self, c: int) -> tuple[int, ...]:
        """The chain of the prefix that ends at entry `c`."""
        got = self._chains.get(c)
        if got is not None:
            return got
        entries = self.entries
        if self._by_keys is None:
            self._by_keys = {}
            for i, e in enumerate(entries):
                self._by_keys.setdefault((e.model, e.us, e.keys), i)
        last = entries[c]
        found = [
            self._by_keys.get((last.model, last.us, last.keys[:n]))
            for n in range(1, len(last.keys))
        ]
        got = (*(e for e in found if e is not None), c)
        self._chains[c] = got
        return got


class _Excess:
    """What written tokens cost beyond reading them, at the rates in force for the request."""

    def __init__(self, pricing: Pricing, on: date, batch: bool) -> None:
        self.by_id: dict[str, ModelPrice] = {m.id: m for m in pricing.models}
        self.on, self.batch = on, batch

    def of(self, model_id: str, usage: Usage, tokens: int, skip: int = 0) -> Decimal:
        """`tokens` of the request's writes, starting `skip` tokens into them, priced at write
        minus read rates; its 1h writes come first (longer TTLs come first in a prefix)."""
        model = self.by_id[model_id]
        # US-only inference pays the model's multiplier on writes and reads alike (read_results
        # prices a model without one at global rates, and so does this).
        us = usage.us and model.us_inference_multiplier is not None
        rates = rates_in_force(model, self.on, usage.total_input, batch=self.batch, us=us)
        in_1h = max(0, min(skip + tokens, usage.tokens["cache_write_1h"]) - skip)
        return cost(in_1h, rates.cache_write_1h - rates.cache_read) + cost(
            tokens - in_1h, rates.cache_write_5m - rates.cache_read
        )


class _Primed:
    """What a warm-up would have turned from writes into reads, request by request (check's warm
    case), and what the warm-up costs."""

    def __init__(self, planned: Any, excess: _Excess) -> None:
        self.req = planned.batch.requests
        self.entries = planned.batch.entries
        self.sizes = planned.entry_central
        self.excess = excess
        warm = planned.warm
        primed: set[int] = set()
        for p in warm.primers if warm is not None else ():
            primed.add(p.entry)
            primed.update(p.covers)
        self.warm_read = warm_reads(self.entries, primed)
        self.primer_cost = warm.primer_cost if warm is not None else ZERO
        self.tokens = 0
        self.extra = ZERO

    def add(self, r: int, model_id: str, usage: Usage, written: int) -> None:
        """The request's writes up to the primed entry it would read."""
        req, entries = self.req, self.entries
        a, c, read = req.a[r], req.c[r], usage.tokens["cache_read"]
        p = NONE
        if c != NONE and c in self.warm_read:
            own = (a, req.b[r], req.b0[r], req.first[r])
            p = reachable(entries, self.warm_read[c], c, own)
        if p != NONE:
            turned = written if c == p else min(written, max(self.sizes[p] - read, 0))
            if turned:
                self.tokens += turned
                self.extra += self.excess.of(model_id, usage, turned)


class _Misses:
    """Counts the cold-start misses of one request file, result by result (the rule: the module
    docstring)."""

    def __init__(self, planned: Any, pricing: Pricing, on: date, batch: bool) -> None:
        self.req = planned.batch.requests
        self.sizes = planned.entry_central
        self.chains = _Chains(planned.batch.entries)
        self.excess = _Excess(pricing, on, batch)
        self.warm = _Primed(planned, self.excess)
        self.matched = self.misses = self.repeats = self.unmatched = 0
        self.extra = ZERO
        # Per distinct entry: its needed write so far [request, tokens, extra cost, owner,
        # its result's counted-as-a-miss cell].
        self.needed: dict[int, list[Any]] = {}
        self.name = ""  # the request file's label, for its notices
        self.duplicates = 0
        problem = planned.batch.problems.get("custom_id_duplicate")
        if problem is not None:
            self.duplicates = problem.count

    def count(self, r: int, model_id: str, usage: Usage, owner: Any = None) -> list[Credit]:
        """Count the result of request `r` of the file (`owner`: whom its misses are credited
        to); the misses it settles: its own writes beyond an entry's needed one, and a needed
        write it displaces (it is earlier in the file). A model not in the price table leaves
        the result unmatched (it cannot be priced)."""
        if model_id not in self.excess.by_id:
            self.unmatched += 1
            return []
        self.matched += 1
        written = usage.tokens["cache_write_5m"] + usage.tokens["cache_write_1h"]
        if not written:
            return []
        self.warm.add(r, model_id, usage, written)
        c = self.req.c[r]
        if c == NONE:
            return []
        return self._blocks(r, model_id, usage, written, owner)

    def _blocks(
        self, r: int, model_id: str, usage: Usage, written: int, owner: Any
    ) -> list[Credit]:
        """Split the request's write over the entries of its prefix (see the module docstring)
        and settle each entry's needed write."""
        read = usage.tokens["cache_read"]
        chain = self.chains.of(self.req.c[r])
        credits: list[Credit] = []
        # Whether this result is counted as a miss yet, shared by the entries it holds: a
        # result is one miss however many of its blocks turn out to be written again (and a
        # second result line of the same request is a write, and a miss, of its own).
        line = [0]
        own_tokens, own_extra = 0, ZERO
        start = 0
        for i, e in enumerate(chain):
            end = self.sizes[e] if i < len(chain) - 1 else read + written
            lo, hi = max(start, read), min(end, read + written)
            start = max(start, end)
            if hi <= lo:
                continue
            tokens = hi - lo
            extra = self.excess.of(model_id, usage, tokens, lo - read)
            held = self.needed.get(e)
            if held is None:
                self.needed[e] = [r, tokens, extra, owner, line]
            elif held[0] < r or held[0] == r:  # an earlier request wrote it (or a repeat line)
                own_tokens += tokens
                own_extra += extra
            else:  # this request is earlier in the file: the held write was the extra one
                credits.append(self._credit(held[4], held[3], held[1], held[2]))
                self.needed[e] = [r, tokens, extra, owner, line]
        if own_tokens:
            credits.append(self._credit(line, owner, own_tokens, own_extra))
        return credits

    def _credit(self, line: list[int], owner: Any, tokens: int, extra: Decimal) -> Credit:
        new = 1 - line[0]
        line[0] = 1
        self.misses += new
        self.repeats += tokens
        self.extra += extra
        return owner, new, tokens, extra


def _summary(count: _Misses) -> ColdStart:
    """What the results `count` has seen say about its request file."""
    notes: tuple[Notice, ...] = ()
    if count.unmatched:
        notes = (notice("results_not_in_batch", matched=count.matched, unmatched=count.unmatched),)
    if count.duplicates:
        notes += (notice("batch_custom_id_duplicate", file=count.name, count=count.duplicates),)
    return ColdStart(
        count.matched,
        count.misses,
        count.repeats,
        count.extra,
        count.warm.primer_cost,
        primed_tokens=count.warm.tokens,
        primed_extra_cost=count.warm.extra,
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
    name: str = "",
) -> ColdStart:
    """Cold-start misses of a run, from its results and `planned`, check's report of the request
    file that was submitted (`ids`: custom_id -> request index in it; `name`: its label for
    notices, if known).

    Each cache entry needs one write in the batch; the tokens written for it beyond that write
    are misses (the module docstring), priced at write minus read rates (1h writes first:
    longer TTLs come first in a prefix).

    The saving of a warm-up counts every matched request that would read a primed entry (as
    check's warm case picks it), the first writer included: the tokens it wrote up to that
    entry's end (all of them when its last breakpoint is the entry; else the entry's estimated
    size less what it read), priced the same way, less the primer batch."""
    count = _Misses(planned, pricing, on, batch)
    count.name = name

    def one(
        custom_id: Any, model_id: str, usage: Usage, lines: tuple[Line, ...] | None, web: Decimal
    ) -> None:
        r = ids.get(custom_id) if isinstance(custom_id, str) else None
        if r is None:
            count.unmatched += 1
        else:
            count.count(r, model_id, usage)

    read_results(path, pricing, on, batch=batch, on_request=one)
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
        counter = _Misses(planned, self.pricing, self.on, self.batch)
        counter.name = name
        self.counters.append(counter)
        self.answered.extend(bytes(len(planned.batch.requests.line)))

    def __call__(
        self, custom_id: Any, model_id: str, usage: Usage, priced: bool, owner: Any = None
    ) -> list[Credit]:
        """One succeeded result (`owner`: whom its misses are credited to): the misses it
        settles in its request file (Credit: this request's, or an earlier-arrived write it
        displaces as its entry's needed one). A result that could not be priced answers its
        request but is not judged (its cost is not known, so neither is a miss's)."""
        number = self.index.get(custom_id) if type(custom_id) is str else None
        if number is None:
            self.unmatched += 1
            return []
        self.answered[number] = 1
        if not priced:
            self.unjudged += 1
            return []
        i = bisect_right(self.starts, number) - 1
        return self.counters[i].count(number - self.starts[i], model_id, usage, owner)

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
        for part in parts:
            notes.extend(n for n in part.notices if n.code == "batch_custom_id_duplicate")
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
