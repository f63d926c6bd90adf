"""The arguments of `costcalc actual` (the command is costcalc.commands.actual)."""

from __future__ import annotations

import argparse
from pathlib import Path

from costcalc.cli.args import (
    HIT_RATE,
    MODELS,
    TOKENS,
    USD,
    WRITES,
    Command,
    Deprecated,
    LazyRun,
    OneModel,
    group_by_arg,
    output_args,
)
from costcalc.messages.text import text


def add_actual(command: Command) -> None:
    act = command(
        "actual",
        text("help.actual.summary"),
        text("help.actual.description"),
        text("help.actual.epilog"),
    )
    act.add_argument(
        "file",
        metavar="RESULTS",
        type=Path,
        nargs="*",
        help=text("help.actual.files"),
    )
    grp = act.add_argument_group(text("help.actual.report"))
    group_by_arg(grp)
    grp.add_argument(
        "--budget",
        type=USD,
        metavar="USD",
        help=text("help.actual.budget"),
    )
    grp.add_argument(
        "--budget-per-group",
        type=USD,
        metavar="USD",
        help=text("help.actual.budget_per_group"),
    )
    act.add_argument(
        "--batch-id",
        metavar="ID",
        help=text("help.actual.batch_id"),
    )
    act.add_argument(
        "--no-batch",
        action="store_true",
        help=text("help.actual.no_batch"),
    )
    _plan_args(act)
    output_args(
        act,
        text("help.actual.csv"),
        text("help.output.xlsx_values"),
        text("help.output.html_page"),
    )
    act.set_defaults(run=LazyRun("costcalc.commands.actual:run_actual"))


def _plan_args(act: argparse.ArgumentParser) -> None:
    """What the results are compared with: the request file submitted, or a plan in flags."""
    plan = act.add_argument_group(text("help.actual.compare"))
    plan.add_argument(
        "--batch",
        dest="submitted",
        metavar="REQUESTS",
        type=Path,
        nargs="+",
        help=text("help.actual.batch"),
    )
    # The old spelling: --requests is a count in every other command.
    plan.add_argument(
        "--requests",
        dest="submitted",
        metavar="FILE",
        type=Path,
        nargs="+",
        action=Deprecated,
        help=argparse.SUPPRESS,
    )
    plan.add_argument("--shared", type=TOKENS, metavar="TOKENS", help=text("help.actual.shared"))
    plan.add_argument("--unique", type=TOKENS, metavar="TOKENS", help=text("help.actual.unique"))
    plan.add_argument("--output", type=TOKENS, metavar="TOKENS", help=text("help.actual.output"))
    plan.add_argument("--ttl", choices=("5m", "1h"), help=text("help.actual.ttl"))
    hits = plan.add_mutually_exclusive_group()
    hits.add_argument(
        "--cache-writes", type=WRITES, metavar="W", help=text("help.actual.cache_writes")
    )
    hits.add_argument("--hit-rate", type=HIT_RATE, metavar="R", help=text("help.actual.hit_rate"))
    plan.add_argument(
        "--model",
        metavar="NAME",
        type=MODELS,
        action=OneModel,
        help=text("help.actual.model"),
    )
