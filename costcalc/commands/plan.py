"""costcalc plan: every job of a plan file, with totals and a budget gate."""

from __future__ import annotations

import argparse
from datetime import date

from costcalc.commands.common import budget_scenario, load, modifiers, report_budgets
from costcalc.compute import outcomes
from costcalc.compute.engine import Workload, compare_budget
from costcalc.compute.planning import analyze, plan_totals
from costcalc.errors import CodedError, CostcalcError
from costcalc.messages.text import text
from costcalc.present.registry import present
from costcalc.read.plans import load_plan


def run_plan(args: argparse.Namespace) -> int:

    plan = load_plan(args.plan_file)
    pricing = load(args)
    on = args.date or date.today()
    jobs = []
    for job in plan.jobs:
        try:
            model = pricing.resolve(job.model)
            workload = Workload(
                requests=job.requests,
                shared_tokens=job.shared,
                unique_tokens=job.unique,
                output_tokens=job.output,
                ttl=job.ttl,
                cache_writes=job.cache_writes if job.cache_writes is not None else 1,
            )
            analysis = analyze(
                model,
                workload,
                limits=pricing.batch_limits,
                on=on,
                modifiers=modifiers(job.region, job.fast),
                hit_rate=job.hit_rate,
                bytes_per_token=job.bytes_per_token,
            )
        except CostcalcError as exc:
            raise CodedError(
                "plan_job_failed", file=str(args.plan_file), job=job.name, error=str(exc)
            ) from None
        jobs.append((job.name, analysis))
    totals = plan_totals([a for _, a in jobs])
    budget = None
    if args.budget is not None or args.scenario:
        scenario = budget_scenario(args, fast=False)
        budget = compare_budget(
            scenario, totals[scenario], args.budget, [w for _, a in jobs for w in a.warnings]
        )

    present(outcomes.PlanResult(jobs, totals, budget), args.format, args.out)
    return report_budgets([budget] if budget else [], [text("plan.budget_label")])
