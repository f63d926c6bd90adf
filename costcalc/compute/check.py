"""Pricing a checked batch file from its cache entries (read/requests.py), in three cases.

Each request is billed as the API bills it (checkprice.py). The three cases:

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

from array import array
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from costcalc.compute.checkgroups import (
    CheckGroups,
    CheckTotals,
    GroupIndex,
    build,
    request_counts,
    split_sums,
)
from costcalc.compute.checkprice import OUTPUT, Pricer, Sums, counted, warm_case
from costcalc.compute.checkrows import (
    TOP_ENTRIES,
    EntryRow,
    ModelSummary,
    entry_rows,
    model_summaries,
)
from costcalc.compute.engine import (
    SCENARIOS,
    USAGE_CLASSES,
    Line,
    cost,
    lines_at,
    not_released_warning,
    rates_in_force,
    unconfirmed_warning,
)
from costcalc.compute.failclosed import Unpriced, unpriced
from costcalc.compute.grouping import GroupKey
from costcalc.compute.planning import DEFAULT_HIT_RATE, split_by_group
from costcalc.compute.warmup import WarmCase, decision_notices
from costcalc.files.inmemory import InMemory
from costcalc.notices import Notice, notice
from costcalc.prices.model import ModelPrice, Pricing, Rates
from costcalc.read.requests import NONE, BatchFile, read, replay

ZERO = Decimal(0)
ONE = Decimal(1)
Case = dict[str, tuple[int, Decimal]]  # token class -> (tokens, cost)
BlockCounter = Callable[[str, str], Any]  # (model id, text) -> tokens or a (low, central, high)


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
    entry_central: array[int] | None = None  # each entry's central token count (by entry index)
    warnings: tuple[Notice, ...] = ()  # about the prices used (unconfirmed_price)
    # Requests left out of every total because they cannot be priced (fail closed: never $0).
    unpriced: Unpriced = field(default_factory=lambda: Unpriced(0, {}, []))
    groups: CheckGroups | None = None  # --group-by: the same totals by group

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


def check(
    path: Path | InMemory,
    pricing: Pricing,
    on: date,
    *,
    counter: Callable[[str], int] | None = None,
    exact: Any = None,
    output: int | None = None,
    output_ratio: Decimal | None = None,
    hit_rate: Decimal | None = None,
    claude_counter: Callable[[str, str], int] | None = None,
    problem_lines: Any = None,
    group_by: tuple[GroupKey, ...] = (),
) -> Report:
    """Read and price a batch request file. `counter` counts cl100k tokens of a text (estimates);
    `exact` (an ExactCounter) counts Claude tokens exactly with count_tokens, per entry and per
    request; `claude_counter(model, text)` counts Claude tokens per block (exact counts without
    the API, for tests and other offline counters). `problem_lines` (a text file) receives
    every problem line as a "code,line" row as it is found. `group_by` (grouping.parse_keys)
    also prices the file by group (checkgroups.py)."""
    count = _block_counter(pricing, counter, exact, claude_counter)
    index = None
    if group_by:
        from costcalc.files.inputs import label

        # The file key names the file as actual does ("standard input" for -).
        index = GroupIndex(group_by, str(path) if isinstance(path, InMemory) else label(path))
    batch = _read(path, pricing, on, count, exact, problem_lines, index)
    limits = (pricing.batch_limits.max_requests, pricing.batch_limits.max_bytes)
    split, assign = split_by_group(batch.requests.c, batch.requests.size, *limits, NONE)
    if assign is not None and batch.entries:
        # Entries are written again in every batch: play the file again, batch by batch, from
        # the first read's record (the input is read once; a pipe works like a file).
        replay(batch, assign)
    hit = hit_rate if hit_rate is not None else DEFAULT_HIT_RATE
    by_id = {m.id: m for m in pricing.models}
    models = [by_id[m] for m in batch.models]
    is_exact = exact is not None or claude_counter is not None
    priced = Pricer(batch, models, is_exact, on, output, output_ratio)
    priced.run()
    t = _Totals(
        [(m, rt, s) for (m, rt, _), s in priced.groups.items()],
        [(m, rt, s) for (m, rt, _), s in priced.worst.items()],
        models,
        on,
    )
    expected = t.totals["batch_cache"] + (ONE - hit) * t.delta
    summed = counted(priced)
    return Report(
        batch=batch,
        exact=is_exact,
        models=model_summaries(summed),
        totals=t.totals,
        expected=expected,
        worst=t.worst,
        output_note=notice("expected_output", output=output, output_ratio=output_ratio),
        hit_rate=hit,
        split=split,
        limits=limits,
        rejected=batch.rejected,
        best_lines=t.cases["best"],
        entries=entry_rows(summed),
        entry_count=len(batch.entries),
        cases=t.cases,
        entry_central=priced.central,
        unpriced=unpriced(batch, pricing),
        warnings=_price_warnings(models, on),
        warm=warm_case(priced, t.warm_batch),
        groups=_by_group(priced, models, on, hit, index) if index is not None else None,
    )


def _by_group(
    priced: Pricer, models: list[ModelPrice], on: date, hit: Decimal, index: GroupIndex
) -> CheckGroups:
    """Each group's sums priced the way the file's are (_Totals)."""
    counts, rejected = request_counts(priced.batch.requests)
    totals: dict[int, CheckTotals] = {}
    for g, sums in split_sums(priced).items():
        t = _Totals(sums.best, sums.worst, models, on, whole=False)
        best = t.cases["best"]
        totals[g] = CheckTotals(
            requests=counts.get(g, 0),
            tokens={c: best.get(c, (0, ZERO))[0] for c in USAGE_CLASSES},
            class_cost={c: best.get(c, (0, ZERO))[1] for c in USAGE_CLASSES},
            standard=t.totals["standard"],
            expected=t.totals["batch_cache"] + (ONE - hit) * t.delta,
            worst=t.worst,
        )
    for g, n in rejected.items():
        totals.setdefault(g, CheckTotals()).rejected = n
    return build(tuple(k.spec for k in index.keys), index.names, totals)


def _block_counter(
    pricing: Pricing,
    counter: Callable[[str], int] | None,
    exact: Any,
    claude_counter: Callable[[str, str], int] | None,
) -> BlockCounter | None:
    """How each distinct block is counted: None with count_tokens (`exact`)."""
    from costcalc.compute.blockcount import estimator

    if exact is not None:
        return None
    if claude_counter is not None:
        return claude_counter
    assert counter is not None
    # Each distinct block's band from its own content kind (textkind), on the worker.
    return estimator(counter, {m.id: pricing.tokenizers[m.tokenizer] for m in pricing.models})


def _read(
    path: Path | InMemory,
    pricing: Pricing,
    on: date,
    count: BlockCounter | None,
    exact: Any,
    problem_lines: Any,
    group_of: GroupIndex | None = None,
) -> BatchFile:
    from costcalc.compute.blockcount import media_for

    def known(name: str) -> str | None:
        try:
            return pricing.resolve(name).id
        except Exception:
            return None

    def central(model_id: str, text: str) -> int:
        assert count is not None
        n = count(model_id, text)
        return n if isinstance(n, int) else int(n[1])

    media = media_for(pricing, on, central) if count is not None else None
    by_id = {m.id: m for m in pricing.models}
    return read(
        path,
        count,
        known,
        exact=exact,
        media_for=media,
        describe=by_id.get,
        spool=problem_lines,
        group_of=group_of,
    )


def _price_warnings(models: list[ModelPrice], on: date) -> tuple[Notice, ...]:
    """About the prices used: unconfirmed ones, and models not released yet on `on`."""
    return (
        *(unconfirmed_warning(m) for m in models if m.unconfirmed),
        *(
            not_released_warning(m, on)
            for m in models
            if m.released is not None and on < m.released
        ),
    )


class _Totals:
    """The sums of every rate group priced, for the whole file or one --group-by group
    (`best`, `worst`: (model index, real-time rates, sums)): the scenarios and the cases."""

    def __init__(
        self,
        best: list[tuple[int, Rates, Sums]],
        worst: list[tuple[int, Rates, Sums]],
        models: list[ModelPrice],
        on: date,
        whole: bool = True,
    ) -> None:
        self.totals = {name: ZERO for name in SCENARIOS}
        self.delta = self.worst = self.warm_batch = ZERO
        self.cases: dict[str, Case] = {"best": {}, "worst": {}}
        totals = self.totals
        for m, rt, sums in best:
            rb = rates_in_force(models[m], on, sums.prompt, batch=True, us=sums.us)
            out = sums.best[OUTPUT]
            totals["standard"] += cost(sums.uncached, rt.input) + cost(out, rt.output)
            totals["batch_cache"] += _add(self.cases["best"], lines_at(rb, _classes(sums.best)))
            self.delta += _money(lines_at(rb, _classes(sums.delta)))
            if whole:  # a --group-by group shows neither these scenarios nor the warm-up
                totals["batch"] += cost(sums.uncached, rb.input) + cost(out, rb.output)
                totals["cache"] += _money(lines_at(rt, _classes(sums.best)))
                self.warm_batch += _money(lines_at(rb, _classes(sums.warm)))
        for m, _, sums in worst:
            rb = rates_in_force(models[m], on, sums.prompt, batch=True, us=sums.us)
            self.worst += _add(self.cases["worst"], lines_at(rb, _classes(sums.best)))


def _money(lines: Iterable[Line]) -> Decimal:
    return sum((line.cost for line in lines), ZERO)


def _add(case: Case, lines: Iterable[Line]) -> Decimal:
    """Add cost lines to a case (per token class) and return their total."""
    total = ZERO
    for line in lines:
        tokens, money = case.get(line.token_class, (0, ZERO))
        case[line.token_class] = (tokens + line.tokens, money + line.cost)
        total += line.cost
    return total


def _classes(v: list[int]) -> dict[str, int]:
    return dict(zip(USAGE_CLASSES, v, strict=True))


__all__ = ["TOP_ENTRIES", "EntryRow", "ModelSummary", "Report", "check"]
