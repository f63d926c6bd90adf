"""The arguments of `costcalc reconcile` (the command itself is costcalc.commands.reconcile)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from costcalc.cli.args import LazyRun
from costcalc.messages.text import text


def add_reconcile(command: Any, date_type: Any, usd_type: Any, names_type: Any) -> None:
    rec = command(
        "reconcile",
        text("help.reconcile.summary"),
        text("help.reconcile.description"),
        text("help.reconcile.epilog"),
    )
    rec.add_argument(
        "results",
        metavar="RESULTS.jsonl",
        type=Path,
        nargs="*",
        help=text("help.reconcile.results"),
    )
    span = rec.add_argument_group(text("help.reconcile.range"))
    span.add_argument("--from", dest="start", required=True, type=date_type, metavar="YYYY-MM-DD")
    span.add_argument("--to", dest="end", required=True, type=date_type, metavar="YYYY-MM-DD")
    narrow = rec.add_argument_group(text("help.reconcile.filters"))
    narrow.add_argument(
        "--model",
        type=names_type,
        action="append",
        metavar="NAME[,NAME]",
        help=text("help.reconcile.model"),
    )
    narrow.add_argument(
        "--tier",
        action="append",
        choices=("standard", "batch", "priority"),
        help=text("help.reconcile.tier"),
    )
    narrow.add_argument(
        "--workspace", action="append", metavar="ID", help=text("help.reconcile.workspace")
    )
    narrow.add_argument(
        "--by-workspace", action="store_true", help=text("help.reconcile.by_workspace")
    )
    gate = rec.add_argument_group(text("help.budget.group"))
    gate.add_argument("--budget", type=usd_type, metavar="USD", help=text("help.reconcile.budget"))
    out = rec.add_argument_group(text("help.output.group"))
    out.add_argument("--format", choices=("table", "csv", "json"), default="table")
    out.add_argument("--out", metavar="FILE", type=Path, help=text("help.reconcile.out"))
    out.add_argument("--pricing", metavar="FILE", type=Path, help=text("help.output.pricing_yaml"))
    rec.set_defaults(run=LazyRun("costcalc.commands.reconcile:run_reconcile"))
