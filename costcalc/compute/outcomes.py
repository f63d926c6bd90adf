"""What each command hands to the presenters: one small result type per command.

A command computes (no printing), builds one of these and passes it to `present.present`, which
picks the table, CSV or JSON presenter registered for its type. They hold the computed objects
as they are; the presenters lay them out and do no arithmetic.

NamedTuples rather than dataclasses: eight frozen dataclasses cost ~9 ms of start-up to
define, NamedTuples ~1 ms, and every command imports this module.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, NamedTuple


class EstimateResult(NamedTuple):
    analyses: list[Any]  # planning.Analysis, one per model
    budgets: list[Any]  # engine.BudgetCheck per analysis, or empty without --budget


class SweepResult(NamedTuple):
    points: list[Any]  # planning.SweepPoint
    swept: dict[str, list[Any]]  # parameter -> its values, in sweep order


class PlanResult(NamedTuple):
    jobs: list[tuple[str, Any]]  # (job name, planning.Analysis)
    totals: dict[str, Decimal]  # scenario -> total over the jobs
    budget: Any  # engine.BudgetCheck or None


class TokensResult(NamedTuple):
    rows: list[Any]
    total: Any
    columns: list[Any]
    distinct: int


class CheckResult(NamedTuple):
    report: Any  # check.CheckReport
    budget: Any  # engine.BudgetCheck or None
    unpriced: Any  # failclosed.Unpriced
    blocked: bool  # the unpriced requests alone fail the budget gate


class ActualResult(NamedTuple):
    report: Any  # results.ResultsReport
    comparison: Any  # results.Comparison or None
    cold: Any  # results.ColdStart or None (no --batch)


class ReportResult(NamedTuple):
    report: Any  # manyresults.Report: many results files, groups, budget gates
    on: date | None = None  # the pricing date (the workbook's notes name it)
    pricing: Any = None  # prices.model.Pricing the report was priced with


class ModelsResult(NamedTuple):
    rows: list[tuple[Any, Any]]  # (pricing.ModelPrice, engine.StackedRate)
    on: date
    source: str  # the pricing file they came from


class WarmupResult(NamedTuple):
    report: Any  # check.CheckReport with its warm-up case
    written: int | None  # primer requests written, None without --out
    out: Path | None
    ttl_copy: Path | None


class ReconcileResult(NamedTuple):
    rec: Any  # reconcile.Reconciliation
    budget: Any  # engine.BudgetCheck of the billed total, or None
