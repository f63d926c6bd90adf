"""One report over many results files (each a batch): per-file subtotals, groups, budget gates.

Each file is read by `results.read_results` as it always is (streamed, priced exactly); this
module keeps only a small summary per file and the totals per group, so memory stays flat in
the number of files. A file's subtotal is read_results' own total; the groups are fed the same
requests one at a time (grouping.py) and add up to the same figure.
"""

from __future__ import annotations

import glob
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

from costcalc.compute.engine import BudgetCheck, compare_budget
from costcalc.compute.grouping import (
    Group,
    Grouping,
    GroupKey,
    Totals,
    ordered,
    subtotals,
    total_of,
)
from costcalc.errors import CodedError
from costcalc.names import RESULTS_SUFFIXES
from costcalc.notices import Notice
from costcalc.prices.model import Pricing

if TYPE_CHECKING:
    from costcalc.compute.coldstart import ColdIndex, ManyColdStart

_GLOB = set("*?[")


@dataclass(frozen=True)
class FileRow:
    """One results file's subtotal."""

    file: str
    counts: dict[str, int]  # by result type
    malformed: int
    total: Decimal  # read_results' total of the file
    totals: Totals  # the same requests, as the groups saw them
    warnings: tuple[Notice, ...]


@dataclass(frozen=True)
class Gate:
    """A budget on the real bill: `check` over the priced requests; `unpriced` requests make
    the cost unknown, so the gate fails whatever the priced ones cost. So do `malformed`
    lines: a result line that could not be read may be a billed request (fail closed), and
    its group is not known, so it counts against every gate, each group's as well as the
    total's. `lower_bound` requests (priced at a lower bound: Priority Tier, an unknown
    service tier, inference_geo or speed) make the cost a lower bound: the gate can fail on
    it (over budget) but never pass."""

    label: str  # "total" or the group's name
    check: BudgetCheck
    unpriced: int
    malformed: int = 0  # unreadable result lines in the files the gate covers
    lower_bound: int = 0  # requests priced at a lower bound in the gate's cost
    cost_requests: int = 0  # succeeded requests in the gate's cost, priced or not

    @property
    def passed(self) -> bool:
        return (
            self.check.within and not self.unpriced and not self.malformed and not self.lower_bound
        )

    @property
    def cost_known(self) -> bool:
        """False when no request of the gate could be priced: its cost is not $0, it is not
        known."""
        return self.cost_requests > self.unpriced or not self.cost_requests


@dataclass(frozen=True)
class Report:
    files: tuple[FileRow, ...]
    batch: bool
    group_by: tuple[str, ...]
    groups: tuple[Group, ...]  # leaves (one level or two)
    subtotals: tuple[Group, ...]  # first-level groups of a two-level grouping, else ()
    total: Totals
    gates: tuple[Gate, ...]
    cold: ManyColdStart | None = None  # cold-start misses, when request files are given
    notices: tuple[Notice, ...] = ()  # the grouping's (grouping.Grouping.notices)

    @property
    def total_usd(self) -> Decimal:
        return sum((f.total for f in self.files), Decimal(0))

    @property
    def passed(self) -> bool:
        return all(g.passed for g in self.gates)


def expand(args: Iterable[Path], empty_dir: str = "results_dir_empty") -> list[Path]:
    """Files from FILE arguments: a file, `-` (standard input, once), a directory (its JSONL
    files, sorted, not recursing), or a glob the shell did not expand (`**` matches any
    depth of folders, none included, as bash's globstar does: `d/**/*.jsonl` has d/a.jsonl).
    The same file named twice is read once (its cost would otherwise be counted twice).
    `empty_dir`: the error code for a directory with no such file."""
    out: list[Path] = []
    seen: set[object] = set()

    def add(path: Path) -> None:
        # One file is one batch however it is named: a symlink, `..`, a hard link or a bind
        # mount (same device and inode) is read once, or its cost would be counted twice.
        key: object = "-" if str(path) == "-" else os.path.realpath(path)
        try:
            if key != "-":
                st = os.stat(path)
                key = (st.st_dev, st.st_ino)
        except OSError:
            pass  # missing or unreadable: read_results names it
        if key not in seen:
            seen.add(key)
            out.append(path)

    for arg in args:
        text = str(arg)
        if text == "-" or (os.path.exists(text) and not os.path.isdir(text)):
            add(arg)
        elif os.path.isdir(text):
            found = sorted(
                p for p in Path(text).iterdir() if p.name.endswith(RESULTS_SUFFIXES) and p.is_file()
            )
            if not found:
                raise CodedError(empty_dir, dir=text)
            for p in found:
                add(p)
        elif _GLOB & set(text):
            matched = sorted(glob.glob(text, recursive=True))
            if not matched:
                raise CodedError("pattern_matches_nothing", pattern=text)
            for m in matched:
                if not os.path.isdir(m):
                    add(Path(m))
        else:
            add(arg)  # missing: read_results names it
    return out


def read_many(
    paths: list[Path],
    pricing: Pricing,
    on: date,
    keys: tuple[GroupKey, ...],
    *,
    batch: bool = True,
    budget: Decimal | None = None,
    budget_per_group: Decimal | None = None,
    cold: ColdIndex | None = None,
) -> Report:
    """The report over `paths`, each file read once; `cold` (the request files, indexed by
    custom_id) counts the cold-start misses of each group and file as the results go by."""
    from costcalc.compute.actual import read_results
    from costcalc.files.inputs import label

    grouping = Grouping(keys, pricing, on, batch=batch, misses=cold)
    rows = []
    for path in paths:
        name = label(path)
        if name in grouping.files:  # two spellings of standard input
            raise CodedError("stdin_named_twice")
        r = read_results(path, pricing, on, batch=batch, on_request=grouping.reader(name))
        rows.append(
            FileRow(name, r.counts, len(r.malformed), r.total, grouping.files[name], r.warnings)
        )
    groups = ordered(grouping.groups)
    firsts = subtotals(grouping.groups) if len(keys) > 1 else ()
    total = total_of(g.totals for g in groups)
    billed = sum((row.total for row in rows), Decimal(0))
    malformed = sum(row.malformed for row in rows)
    return Report(
        tuple(rows),
        batch,
        tuple(k.spec for k in keys),
        groups,
        firsts,
        total,
        tuple(_gates(billed, total, malformed, firsts or groups, budget, budget_per_group)),
        None if cold is None else cold.summary(),
        grouping.notices(),
    )


def _gates(
    billed: Decimal,
    total: Totals,
    malformed: int,
    groups: tuple[Group, ...],
    budget: Decimal | None,
    per_group: Decimal | None,
) -> Iterator[Gate]:
    if budget is not None:
        check = compare_budget("real_bill", billed, budget)
        yield _gate("total", check, total, malformed)
    if per_group is not None:
        for g in groups:
            name = " / ".join(g.key)
            check = compare_budget("real_bill", g.totals.cost, per_group, group=name)
            yield _gate(name, check, g.totals, malformed)


def _gate(label: str, check: BudgetCheck, t: Totals, malformed: int) -> Gate:
    return Gate(label, check, t.unpriced, malformed, t.lower_bound, t.requests)
