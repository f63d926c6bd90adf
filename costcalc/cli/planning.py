"""The arguments of `costcalc estimate`, `sweep` and `plan` (the commands are in
costcalc.commands.estimate, .sweep and .plan)."""

from __future__ import annotations

from pathlib import Path

from costcalc.cli.args import (
    Command,
    LazyRun,
    budget_args,
    output_args,
)
from costcalc.cli.workload import text_args, workload_args
from costcalc.messages.text import text


def add_estimate(command: Command) -> None:
    est = command(
        "estimate",
        text("help.estimate.summary"),
        text("help.estimate.description"),
        text("help.estimate.epilog"),
    )
    workload_args(est, listed=False)
    text_args(est)
    budget_args(est, text("help.estimate.budget"))
    output_args(est, text("help.estimate.csv"), text("help.estimate.xlsx"))
    est.set_defaults(run=LazyRun("costcalc.commands.estimate:run_estimate"))


def add_sweep(command: Command) -> None:
    swp = command(
        "sweep",
        text("help.sweep.summary"),
        text("help.sweep.description"),
        text("help.sweep.epilog"),
    )
    workload_args(swp, listed=True)
    output_args(swp, text("help.sweep.csv"), text("help.sweep.xlsx"))
    swp.add_argument(
        "--chart",
        metavar="FILE.svg",
        type=Path,
        help=text("help.sweep.chart"),
    )
    swp.set_defaults(run=LazyRun("costcalc.commands.sweep:run_sweep"))


def add_plan(command: Command) -> None:
    pln = command(
        "plan",
        text("help.plan.summary"),
        text("help.plan.description"),
        text("help.plan.epilog"),
    )
    pln.add_argument("plan_file", metavar="PLAN.yaml", type=Path, help=text("help.plan.file"))
    budget_args(pln, text("help.plan.budget"))
    output_args(pln, text("help.plan.csv"), text("help.plan.xlsx"))
    pln.set_defaults(run=LazyRun("costcalc.commands.plan:run_plan"))
