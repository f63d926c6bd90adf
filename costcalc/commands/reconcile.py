"""`costcalc reconcile`: fetch the organisation's usage and cost reports (Admin API, opt-in
network), price the usage with costcalc's tables, compare, present, and set the exit status."""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from decimal import Decimal

from costcalc.compute import outcomes
from costcalc.errors import CostcalcError
from costcalc.present.registry import present

MAX_RANGE_DAYS = 366  # a year per run; each 31 days is another pair of calls


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise CostcalcError(
            f"--to {end.isoformat()} is before --from {start.isoformat()}; swap them"
        )
    days = (end - start).days + 1
    if days > MAX_RANGE_DAYS:
        raise CostcalcError(
            f"{days} days from --from to --to; reconcile at most {MAX_RANGE_DAYS} days per run"
        )


def run_reconcile(args: argparse.Namespace, env: dict[str, str] | None = None) -> int:
    from costcalc.compute.engine import compare_budget
    from costcalc.compute.reconcile import batch_check, reconcile
    from costcalc.prices.load import load_pricing
    from costcalc.read.admin_api import AdminClient
    from costcalc.read.admin_reports import Filters, cost_rows, usage_rows

    start, end = args.start, args.end
    _check_dates(start, end)
    pricing = load_pricing(args.pricing)
    # The API filters by its own ids: an alias (sonnet-5.5) is sent as the model's id, and a
    # typo is exit 2 with a suggestion before any traffic.
    filters = Filters(
        models=tuple(dict.fromkeys(pricing.resolve(name).id for name in args.model or ())),
        tiers=tuple(args.tier or ()),
        workspaces=tuple(args.workspace or ()),
        by_workspace=args.by_workspace,
    )
    files = _results_totals(args, pricing, end)  # read first: a bad file costs no API call
    client = AdminClient.from_env(os.environ if env is None else env)
    usage = usage_rows(client, start, end, filters)
    costs = cost_rows(client, start, end, filters)
    rec = reconcile(usage, costs, pricing, start, end, filters)
    from dataclasses import replace

    rec = replace(rec, batch=batch_check(rec, pricing, files))
    budget = None if args.budget is None else compare_budget("billed", rec.billed_usd, args.budget)
    present(outcomes.ReconcileResult(rec, budget), args.format, args.out)
    if budget is None:
        return 0
    priority = any(c.reason == "priority_tier" for c in rec.cells)
    if budget.within and priority:
        print(
            "costcalc reconcile: budget not passed: Priority Tier usage is not in the billed "
            "total (the cost report leaves it out)",
            file=sys.stderr,
        )
        return 1
    return 0 if budget.within else 1


def _results_totals(args: argparse.Namespace, pricing, on: date) -> list[tuple[str, Decimal]]:
    """Each results file's total as `costcalc actual` prices it (batch rates, as of --to)."""
    from costcalc.compute.actual import read_results

    out = []
    for path in args.results or ():
        report = read_results(path, pricing, on, batch=True)
        out.append((str(path), report.total))
    return out
