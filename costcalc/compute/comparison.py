"""A run's results against its estimate: per token class, and what explains a difference.

A difference over 5% per request in a token class is explained by a notice; the number of
billed requests is compared apart, so that a different count explains only itself.
What the estimate came from is data (a request file's name, or a plan's workload and model);
presenters word it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Literal, Protocol

from costcalc.compute.engine import USAGE_CLASSES, Line, Workload
from costcalc.notices import Notice, notice

if TYPE_CHECKING:
    from costcalc.prices.model import ModelPrice


class Billed(Protocol):
    """What a comparison reads of a results report (compute/actual.py's ResultsReport)."""

    @property
    def succeeded(self) -> int: ...
    @property
    def total(self) -> Decimal: ...
    @property
    def web_searches(self) -> int: ...
    @property
    def web_search_cost(self) -> Decimal: ...
    def line(self, token_class: str) -> Line: ...


ZERO = Decimal(0)
ONE = Decimal(1)


@dataclass(frozen=True)
class Difference:
    token_class: str
    estimated_tokens: int
    actual_tokens: int
    estimated_cost: Decimal
    actual_cost: Decimal


@dataclass(frozen=True)
class FromRequestFile:
    """The estimate is check's best case of the request file as submitted: one cache write per
    cache entry, max_tokens of output per request, estimated (not counted) tokens."""

    file: str  # the request file as the user named it
    kind: Literal["request_file"] = "request_file"


@dataclass(frozen=True)
class FromPlan:
    """The estimate is a plan: the engine's workload on one model (estimate's flags)."""

    workload: Workload
    model: ModelPrice
    kind: Literal["plan"] = "plan"


EstimateSource = FromRequestFile | FromPlan


@dataclass(frozen=True)
class Comparison:
    source: EstimateSource  # what the estimate came from
    rows: tuple[Difference, ...]
    estimated_total: Decimal
    actual_total: Decimal
    estimated_requests: int
    explanations: tuple[Notice, ...]


def compare(
    report: Billed,
    estimated: dict[str, tuple[int, Decimal]],
    estimated_requests: int,
    source: EstimateSource,
) -> Comparison:
    """Estimated vs actual per token class, and what explains the difference (over 5%)."""
    rows = []
    for token_class in USAGE_CLASSES:
        e_tokens, e_cost = estimated.get(token_class, (0, ZERO))
        actual = report.line(token_class)
        rows.append(Difference(token_class, e_tokens, actual.tokens, e_cost, actual.cost))
    est_total = sum((r.estimated_cost for r in rows), ZERO)
    n = report.succeeded
    notes = []
    if n != estimated_requests:
        notes.append(notice("billed_requests_differ", billed=n, planned=estimated_requests))

    def mean(tokens: int, requests: int) -> Decimal:
        return Decimal(tokens) / requests if requests else ZERO

    def off(e: Decimal, a: Decimal) -> bool:
        return abs(a - e) > max(e, a) * Decimal("0.05")

    # Per request, so that a different number of billed requests explains only itself.
    by = {r.token_class: r for r in rows}
    for group, classes in (
        ("cache_write", ("cache_write_5m", "cache_write_1h")),
        ("cache_read", ("cache_read",)),
        ("input", ("input",)),
        ("output", ("output",)),
    ):
        e = mean(sum(by[c].estimated_tokens for c in classes), estimated_requests)
        a = mean(sum(by[c].actual_tokens for c in classes), n)
        if off(e, a):
            notes.append(
                notice(
                    "differs_from_plan",
                    token_class=group,
                    direction="more" if a > e else "fewer",
                    actual_tokens=int(a.quantize(ONE)),
                    planned_tokens=int(e.quantize(ONE)),
                )
            )
    if report.web_searches:
        notes.append(
            notice(
                "web_search_not_estimated",
                searches=report.web_searches,
                cost_usd=report.web_search_cost,
            )
        )
    return Comparison(
        source, tuple(rows), est_total, report.total, estimated_requests, tuple(notes)
    )
