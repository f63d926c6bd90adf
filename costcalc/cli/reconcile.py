"""The arguments of `costcalc reconcile` (the command itself is costcalc.commands.reconcile)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from costcalc.cli.args import LazyRun

RECONCILE_EPILOG = """\
examples:
  export ANTHROPIC_ADMIN_API_KEY=sk-ant-admin...     # an organisation admin's key
  costcalc reconcile --from 2026-11-01 --to 2026-11-30
  costcalc reconcile --from 2026-11-01 --to 2026-11-30 --tier batch results.jsonl
  costcalc reconcile --from 2026-11-01 --to 2026-11-07 --format json --out bill.json
  costcalc reconcile --from 2026-11-01 --to 2026-11-30 --budget 500    # CI: exit 1 over

Reads the usage report and the cost report of the Admin API (network, opt-in: only this
command, only to https://api.anthropic.com or ANTHROPIC_BASE_URL), prices each day's usage with
costcalc's tables as of that day, and compares it with the bill per day, model, service tier
and token type. A cell agrees when the two are less than a cent apart after rounding costcalc's
figure to the cost report's own precision. Priority Tier usage (not in the cost report), code
execution and session usage (no usage rows) and usage costcalc cannot price are listed apart.
"""


def add_reconcile(command: Any, date_type: Any, usd_type: Any, names_type: Any) -> None:
    rec = command(
        "reconcile",
        "compare costcalc's prices with the organisation's usage and cost reports",
        "Check the bill: price the organisation's usage report (Admin API) with costcalc's "
        "tables, day by day, and compare it with the cost report; with results files, show "
        "what share of the batch tier's bill they explain and the effective input rate.",
        RECONCILE_EPILOG,
    )
    rec.add_argument(
        "results",
        metavar="RESULTS.jsonl",
        type=Path,
        nargs="*",
        help="batch results files to set beside the batch tier's bill (priced as of --to)",
    )
    span = rec.add_argument_group("range (UTC days, both included)")
    span.add_argument("--from", dest="start", required=True, type=date_type, metavar="YYYY-MM-DD")
    span.add_argument("--to", dest="end", required=True, type=date_type, metavar="YYYY-MM-DD")
    narrow = rec.add_argument_group("filters")
    narrow.add_argument(
        "--model",
        type=names_type,
        action="append",
        metavar="NAME[,NAME]",
        help="only these models (repeat or separate with commas for more)",
    )
    narrow.add_argument(
        "--tier",
        action="append",
        choices=("standard", "batch", "priority"),
        help="only this service tier (repeat for more; default all)",
    )
    narrow.add_argument(
        "--workspace", action="append", metavar="ID", help="only this workspace id (repeatable)"
    )
    narrow.add_argument(
        "--by-workspace", action="store_true", help="group both reports by workspace too"
    )
    gate = rec.add_argument_group("budget gate")
    gate.add_argument(
        "--budget", type=usd_type, metavar="USD", help="exit 1 when the billed total is over this"
    )
    out = rec.add_argument_group("output and data")
    out.add_argument("--format", choices=("table", "csv", "json"), default="table")
    out.add_argument("--out", metavar="FILE", type=Path, help="write to FILE instead of stdout")
    out.add_argument("--pricing", metavar="FILE", type=Path, help="pricing YAML")
    rec.set_defaults(run=LazyRun("costcalc.commands.reconcile:run_reconcile"))
