"""Batch results files beside the batch tier's bill: each priced as `costcalc actual` prices it,
as of the day its batches ran when the reports can tell.

A results file carries no date. A batch ends within 24 hours of its creation
(https://platform.claude.com/docs/en/build-with-claude/batch-processing) and prices change on
given days (https://platform.claude.com/docs/en/about-claude/pricing), so the day matters only
when a price the file uses changed inside the range. The days its batches can have run are the
range's days on which the usage report has batch-tier usage of the file's models (every day of
the range when it has none). Those days fall into price periods, cut by the days a price of
those models changed; the file is priced once per period, as of the period's last such day.
One total: that is the file's figure. Several: the latest is shown, with the lowest and highest
and a warning naming the changes, never one of them silently.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from costcalc.compute.actual import ResultsReport, read_results
from costcalc.compute.pricedate import change_dates
from costcalc.notices import Notice, notice
from costcalc.prices.model import Pricing

# actual's own warning about the 29 days before its date; reconcile judges the range instead
ACTUAL_WINDOW_CODE = "price_changed_in_window"


@dataclass(frozen=True)
class ResultsTotal:
    """One results file's total, the date whose prices gave it, and its range over the price
    periods its batches may have run in (low == high: the day does not matter)."""

    label: str
    total: Decimal
    priced_on: date
    low: Decimal
    high: Decimal
    unpriced: int  # succeeded requests not priced (an unknown model): not in the total


def read_files(paths: Sequence[Path], pricing: Pricing, on: date) -> list[ResultsReport]:
    """Every file priced as of `on` (read before any network call: a bad file costs none)."""
    return [read_results(path, pricing, on, batch=True) for path in paths]


def _period_days(changes: list[date], days: Iterable[date]) -> list[date]:
    """The last of `days` in each price period that `changes` cut them into."""
    last: dict[int, date] = {}
    for day in days:
        period = bisect_right(changes, day)
        last[period] = max(last.get(period, day), day)
    return sorted(last.values())


def price_files(
    paths: Sequence[Path],
    reports: Sequence[ResultsReport],
    pricing: Pricing,
    batch_usage: Iterable[tuple[date, str | None]],
    start: date,
    end: date,
) -> tuple[list[ResultsTotal], list[Notice]]:
    """Each file's ResultsTotal and the notices to carry (the file's own, and a warning when its
    total depends on the day); `reports` are the files as of `end`, `batch_usage` the (day,
    model id) of the batch tier's usage."""
    used = list(batch_usage)
    totals: list[ResultsTotal] = []
    notices: list[Notice] = []
    for path, report in zip(paths, reports, strict=True):
        models = [pricing.resolve(model_id) for model_id in report.per_model]
        changes = sorted(
            {d for m in models for d in change_dates(m, fast=True) if start < d <= end}
        )
        ran = {day for day, model in used if model in report.per_model}
        if not ran:  # no batch usage of its models: any day of the range
            ran = {d - timedelta(days=1) for d in changes} | {end}
        by_day = {end: report}
        for day in _period_days(changes, ran):
            if day not in by_day:
                by_day[day] = read_results(path, pricing, day, batch=True)
        periods = _period_days(changes, ran)
        chosen = by_day[periods[-1]]
        figures = [by_day[day].total for day in periods]
        totals.append(
            ResultsTotal(
                str(path), chosen.total, periods[-1], min(figures), max(figures), chosen.unpriced
            )
        )
        notices += [n for n in chosen.warnings if n.code != ACTUAL_WINDOW_CODE]
        if min(figures) != max(figures):
            between = [d for d in changes if periods[0] < d <= periods[-1]]
            notices.append(
                notice(
                    "reconcile_results_price_changed",
                    file=str(path),
                    priced_on=periods[-1].isoformat(),
                    low_usd=min(figures),
                    high_usd=max(figures),
                    changes=[
                        {"model": m.id, "changed": d.isoformat()}
                        for d in between
                        for m in models
                        if d in change_dates(m, fast=True)
                    ],
                )
            )
    return totals, notices
