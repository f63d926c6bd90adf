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

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.compute.actual import read_results
from costcalc.compute.engine import Line, cost, rates_in_force
from costcalc.compute.warmup import reachable, warm_reads
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
        if r is None or model_id not in self.by_id:
            self.unmatched += 1
            return
        self.matched += 1
        written = usage.tokens["cache_write_5m"] + usage.tokens["cache_write_1h"]
        if not written:
            return
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
            return
        if c == a:
            repeat = written
        elif read == 0:
            repeat = min(written, self.sizes[a])
        else:
            return
        if repeat:
            self.misses += 1
            self.repeats += repeat
            self.extra += self.excess(model_id, usage, repeat)


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
    notes: tuple[Notice, ...] = ()
    if count.unmatched:
        notes = (notice("results_not_in_batch", matched=count.matched, unmatched=count.unmatched),)
    warm = planned.warm
    return ColdStart(
        count.matched,
        count.misses,
        count.repeats,
        count.extra,
        warm.primer_cost if warm is not None else ZERO,
        primed_tokens=count.primed,
        primed_extra_cost=count.primed_extra,
        unmatched=count.unmatched,
        notices=notes,
    )
