"""Cost by group for `costcalc check --group-by`: where the money of one request file would go,
by model, file, tier, a custom_id pattern or a tag (the keys of compute/grouping.py, reused).

The reading walk names each request's group by an index (`GroupIndex`, passed to read() as
`group_of`): the walk keeps that index per request and no custom_id. The pricing loop
(checkprice.py) sums each group's tokens apart, by the rates they pay, and this module prices
each group's sums exactly as check.py prices the whole file's. Costs are exact Decimals and
pricing is linear in tokens, so the groups add up to the file's totals to the last digit, in
every case (best, expected, worst) and at standard rates.

A cache write is billed to the group of the request that made it: in the best case the first
request with a prefix writes it and the later ones read it (file order within a batch, as the
API processes it: https://platform.claude.com/docs/en/build-with-claude/prompt-caching), so a
group whose requests come first pays the write that others read.

The file is priced as a batch (check has no real-time mode), so the `tier` key is always
"batch". The cache hit rate of a group is what `actual` reports for its groups: cache-read
tokens over cache-read plus cache-write tokens (the best case's), None when nothing is cached.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from costcalc.compute.checkprice import Pricer, Sums
from costcalc.compute.engine import BudgetCheck, compare_budget
from costcalc.compute.grouping import GroupKey, Request, Totals, ordered
from costcalc.notices import Notice
from costcalc.prices.model import Rates
from costcalc.read.batchfile import Requests

ZERO = Decimal(0)
TIER = "batch"  # the tier check prices a file at


@dataclass
class CheckTotals(Totals):
    """One group's requests and best-case batch_cache bill (Totals: tokens and cost per token
    class, cost at standard rates), plus its expected and worst cases."""

    expected: Decimal = ZERO
    worst: Decimal = ZERO
    rejected: int = 0  # requests the API would refuse: not billed, not in `requests`

    def add(self, other: Totals) -> None:
        super().add(other)
        if isinstance(other, CheckTotals):
            self.expected += other.expected
            self.worst += other.worst
            self.rejected += other.rejected


@dataclass(frozen=True)
class CheckGroup:
    key: tuple[str, ...]
    totals: CheckTotals


@dataclass(frozen=True)
class GroupGate:
    """--budget-per-group for one group: its cost in the case --budget uses (`check`), and
    the file's unpriced requests, which no group can be cleared of (fail closed)."""

    label: str
    check: BudgetCheck
    unpriced: int

    @property
    def passed(self) -> bool:
        return self.check.passes and not self.unpriced


@dataclass(frozen=True)
class CheckGroups:
    group_by: tuple[str, ...]
    groups: tuple[CheckGroup, ...]  # leaves, largest best-case cost first (two levels nested)
    subtotals: tuple[CheckGroup, ...]  # first level of a two-level grouping, else ()
    gates: tuple[GroupGate, ...] = ()
    against: str = ""  # the case the gates compare: "worst" or "expected"


class GroupIndex:
    """read()'s `group_of`: a request's group as an index into `names` (first seen first)."""

    def __init__(self, keys: tuple[GroupKey, ...], file: str) -> None:
        self.keys = keys
        self.file = file
        self.index: dict[tuple[str, ...], int] = {}
        self.names: list[tuple[str, ...]] = []

    def __call__(self, custom_id: Any, model: str) -> int:
        request = Request(self.file, custom_id if isinstance(custom_id, str) else "", model, TIER)
        key = tuple(k.value(request) for k in self.keys)
        i = self.index.get(key)
        if i is None:
            i = self.index[key] = len(self.names)
            self.names.append(key)
        return i


@dataclass
class GroupSums:
    """The pricer's sums of one group: (model index, real-time rates, sums) for the best and
    the worst case."""

    best: list[tuple[int, Rates, Sums]] = field(default_factory=list)
    worst: list[tuple[int, Rates, Sums]] = field(default_factory=list)


def split_sums(priced: Pricer) -> dict[int, GroupSums]:
    """The pricer's rate groups, keyed (model, rates, group), bucketed by group."""
    out: dict[int, GroupSums] = {}
    for (m, rt, g), sums in priced.groups.items():
        out.setdefault(g, GroupSums()).best.append((m, rt, sums))
    for (m, rt, g), sums in priced.worst.items():
        out.setdefault(g, GroupSums()).worst.append((m, rt, sums))
    return out


def request_counts(requests: Requests) -> tuple[dict[int, int], dict[int, int]]:
    """Per group: requests priced and requests the API would refuse."""
    priced: dict[int, int] = {}
    rejected: dict[int, int] = {}
    for g, refused in zip(requests.group, requests.rejected, strict=True):
        counts = rejected if refused else priced
        counts[g] = counts.get(g, 0) + 1
    return priced, rejected


def build(
    group_by: tuple[str, ...],
    names: list[tuple[str, ...]],
    totals: Mapping[int, CheckTotals],
) -> CheckGroups:
    """The groups by cost; a group whose requests were all refused or unpriced still shows."""
    by_key = {names[g]: t for g, t in totals.items()}
    for key in names:
        by_key.setdefault(key, CheckTotals())
    leaves = tuple(CheckGroup(g.key, by_key[g.key]) for g in ordered(by_key))
    return CheckGroups(group_by, leaves, _subtotals(leaves) if len(group_by) > 1 else ())


def _subtotals(leaves: Iterable[CheckGroup]) -> tuple[CheckGroup, ...]:
    first: dict[tuple[str, ...], CheckTotals] = {}
    for g in leaves:
        first.setdefault(g.key[:1], CheckTotals()).add(g.totals)
    return tuple(CheckGroup(k, first[k]) for k in sorted(first, key=lambda k: (-first[k].cost, k)))


def group_gates(
    groups: CheckGroups,
    budget: Decimal,
    against: str,
    notices: Iterable[Notice],
    unpriced: int,
) -> CheckGroups:
    """--budget-per-group: each first-level group's cost in the case check's --budget compares
    (`against`: worst by default, or expected). The file's error-severity `notices` and its
    `unpriced` requests fail every group (which group they belong to is not known)."""
    notes = tuple(notices)
    gates = []
    for g in groups.subtotals or groups.groups:
        name = " / ".join(g.key)
        value = g.totals.worst if against == "worst" else g.totals.expected
        check = compare_budget("batch_cache", value, budget, notes, case=against, group=name)
        gates.append(GroupGate(name, check, unpriced))
    return CheckGroups(groups.group_by, groups.groups, groups.subtotals, tuple(gates), against)


__all__ = [
    "TIER",
    "CheckGroup",
    "CheckGroups",
    "CheckTotals",
    "GroupGate",
    "GroupIndex",
    "build",
    "group_gates",
    "request_counts",
    "split_sums",
]
