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

ACTUAL_EPILOG = """\
examples:
  costcalc actual results.jsonl
  costcalc actual results.jsonl --batch batch_requests.jsonl        # compare with the file
  costcalc actual results/ --batch requests/ --group-by model   # cold-start misses per group
  costcalc actual results.jsonl --shared 80k --unique 2k --output 800   # compare with a plan
  costcalc actual results.jsonl --format csv --out per_request.csv
  costcalc actual results/ --group-by 'custom_id:^([a-z]+)-'       # cost by team prefix
  costcalc actual 'results/*.jsonl' --group-by tags:teams.csv --group-by model
  costcalc actual results/ --budget 500 --budget-per-group 100 --group-by tags:teams.csv
  costcalc actual results/ --group-by model --format html --out report.html
  costcalc actual results.jsonl --date 2026-11-20   # prices of the day the batch ran
  costcalc actual --batch-id msgbatch_01...      # fetch the results (ANTHROPIC_API_KEY)

Prices every succeeded result exactly (errored, canceled and expired ones are not billed), at
batch rates unless --no-batch. 5m and 1h cache writes are priced apart when the usage has the
cache_creation breakdown. US-only inference (inference_geo "us") costs 1.1x; web searches
$10 per 1,000. Prices are today's unless --date (results are kept 29 days; a price change in
that window is warned). A line whose model is not in the price table is left unpriced, never
$0; the rest is still priced.

--batch with several results files (or --group-by, or --format html) takes one or more request
files (files, directories of *.jsonl, globs) and counts cold-start misses per group and per
file: each result is paired with its request by custom_id in whichever request file holds it
(a custom_id in two request files is an error). Results with no request are still priced from
their usage and counted in a notice; requests with no result are counted in a notice. A miss
is judged within the request's own file (its batch), as `costcalc check` plans it.
"""


def add_actual(command: Command) -> None:
    act = command(
        "actual",
        "price a batch results file, measure cache use, compare with the estimate",
        "Price a Message Batches results file exactly, show where the money went and how well "
        "the cache worked, and compare it with the estimate.",
        ACTUAL_EPILOG,
    )
    act.add_argument(
        "file",
        metavar="RESULTS",
        type=Path,
        nargs="*",
        help="batch results JSONL files, directories of them (*.jsonl) or globs; - for "
        "standard input. Several make one report with a subtotal per file",
    )
    grp = act.add_argument_group("report and gate")
    group_by_arg(grp)
    grp.add_argument(
        "--budget",
        type=USD,
        metavar="USD",
        help="exit 1 when the real bill is over this (or any request could not be priced, or "
        "any result line could not be read)",
    )
    grp.add_argument(
        "--budget-per-group",
        type=USD,
        metavar="USD",
        help="exit 1 when any group (the first --group-by level) costs more than this (a request "
        "that could not be priced fails its group; a line that could not be read fails every "
        "group)",
    )
    act.add_argument(
        "--batch-id",
        metavar="ID",
        help="fetch the results of batch msgbatch_... with the Anthropic SDK instead of a file "
        "(network; ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL; pip install 'costcalc[api]')",
    )
    act.add_argument(
        "--no-batch",
        action="store_true",
        help="price at real-time rates (usage exported from non-batch calls)",
    )
    _plan_args(act)
    output_args(
        act,
        "one row per succeeded request; with several files or --group-by one per file or group",
        "totals and breakdowns as values",
        "a self-contained page with --out FILE",
    )
    act.set_defaults(run=LazyRun("costcalc.commands.actual:run_actual"))


def _plan_args(act: argparse.ArgumentParser) -> None:
    """What the results are compared with: the request file submitted, or a plan in flags."""
    plan = act.add_argument_group("compare with (either)")
    plan.add_argument(
        "--batch",
        dest="submitted",
        metavar="REQUESTS",
        type=Path,
        nargs="+",
        help="the request file that was submitted (priced as `costcalc check` does); with "
        "several results files, the request files (files, directories, globs) whose results "
        "they are: cold-start misses per group and file",
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
    plan.add_argument("--shared", type=TOKENS, metavar="TOKENS", help="planned shared prefix")
    plan.add_argument("--unique", type=TOKENS, metavar="TOKENS", help="planned unique input")
    plan.add_argument("--output", type=TOKENS, metavar="TOKENS", help="planned output tokens")
    plan.add_argument("--ttl", choices=("5m", "1h"), help="planned cache TTL (default 5m)")
    hits = plan.add_mutually_exclusive_group()
    hits.add_argument("--cache-writes", type=WRITES, metavar="W", help="planned cache writes")
    hits.add_argument("--hit-rate", type=HIT_RATE, metavar="R", help="planned hit rate")
    plan.add_argument(
        "--model",
        metavar="NAME",
        type=MODELS,
        action=OneModel,
        help="model of the plan (default: the results' model)",
    )
