"""`costcalc reconcile`: fetch the organisation's usage and cost reports (Admin API, opt-in
network), price the usage with costcalc's tables, compare, present, and set the exit status."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from datetime import date

from costcalc.compute import outcomes
from costcalc.compute.engine import compare_budget
from costcalc.compute.reconcile import batch_check, reconcile
from costcalc.compute.reconcile_results import price_files, read_files
from costcalc.errors import CodedError, Exit
from costcalc.messages import render_error
from costcalc.messages.usage import line
from costcalc.present.registry import present
from costcalc.prices.load import load_pricing
from costcalc.read.admin_api import AdminClient
from costcalc.read.admin_reports import Filters, cost_rows, usage_rows

MAX_RANGE_DAYS = 366  # a year per run; each 31 days is another pair of calls


def _check_dates(start: date, end: date) -> None:
    if end < start:
        raise CodedError("reconcile_range_reversed", start=start.isoformat(), end=end.isoformat())
    if end >= date.max:
        # The reports' ending_at is the day after --to, which no calendar date follows.
        raise CodedError("reconcile_date_out_of_range", day=end.isoformat())
    days = (end - start).days + 1
    if days > MAX_RANGE_DAYS:
        raise CodedError("reconcile_range_too_long", days=days, most=MAX_RANGE_DAYS)


def run_reconcile(args: argparse.Namespace, env: dict[str, str] | None = None) -> int:

    start, end = args.start, args.end
    _check_dates(start, end)
    pricing = load_pricing(args.pricing)
    # The API filters by its own ids: an alias (sonnet-5.5) is sent as the model's id, and a
    # typo is exit 2 with a suggestion before any traffic. A repeated --model adds models.
    names = [name for group in args.model or () for name in group]
    filters = Filters(
        models=tuple(dict.fromkeys(pricing.resolve(name).id for name in names)),
        tiers=tuple(args.tier or ()),
        workspaces=tuple(args.workspace or ()),
        by_workspace=args.by_workspace,
    )
    paths = list(args.results or ())
    reports = read_files(paths, pricing, end)  # read first: a bad file costs no API call
    client = AdminClient.from_env(os.environ if env is None else env)
    usage = usage_rows(client, start, end, filters)
    costs = cost_rows(client, start, end, filters)
    rec = reconcile(usage, costs, pricing, start, end, filters)
    ran = [(c.day, c.model) for c in rec.cells if c.service_tier == "batch" and c.tokens]
    files, carried = price_files(paths, reports, pricing, ran, start, end)
    rec = replace(rec, batch=batch_check(rec, pricing, files), notices=(*rec.notices, *carried))
    budget = None
    if args.budget is not None:
        budget = compare_budget("billed", rec.billed_usd, args.budget, rec.notices)
    present(outcomes.ReconcileResult(rec, budget), args.format, args.out)
    if budget is None:
        return Exit.OK
    priority = any(c.reason == "priority_tier" for c in rec.cells)
    if budget.passes and priority:
        text = render_error("reconcile_budget_priority", {})
        print(line("command_says", prog=f"costcalc {args.command}", text=text), file=sys.stderr)
        return Exit.GATE_FAILED
    return Exit.OK if budget.passes else Exit.GATE_FAILED
