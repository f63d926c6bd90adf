"""The arguments of `costcalc check` and `costcalc warmup` (the commands are in
costcalc.commands.check and .warmup)."""

from __future__ import annotations

import argparse
from pathlib import Path

from costcalc.cli.args import (
    HIT_RATE,
    OUTPUT_RATIO,
    TOKENS,
    USD,
    Command,
    LazyRun,
    date_arg,
    group_by_arg,
    output_args,
)

CHECK_EPILOG = """\
examples:
  costcalc check batch_requests.jsonl
  costcalc check batch_requests.jsonl --output 600 --budget 300        # gate on the worst case
  costcalc check batch_requests.jsonl --output-ratio 0.3 --budget 300 --against expected
  costcalc check batch_requests.jsonl --strict --format json           # any problem: exit 1
  costcalc check batch_requests.jsonl --problem-lines problems.csv     # every problem line
  costcalc check batch_requests.jsonl --group-by 'custom_id:^([a-z]+)-' # cost by team prefix
  costcalc check batch_requests.jsonl --group-by tags:teams.csv --budget-per-group 50

Reads JSONL ({"custom_id", "params"} per line), the API body {"requests": [...]} or a JSON
array of requests, streamed; FILE may be - (standard input), a FIFO or <(command).
Requests that cannot be priced are reported first and fail --budget unless --allow-unpriced.
Costs: best (as submitted, one cache write per distinct prefix), expected (--output or
--output-ratio, and --hit-rate, default 0.9) and worst (max_tokens of output, 0% cache hits,
the high end of the token estimate). Token counts are offline estimates unless --exact.
--group-by splits every figure by group; the groups add up to the file. A cache write is billed
to the group of the request that makes it (the first in file order); check prices a batch, so
tier is always "batch".
"""


def add_check(command: Command) -> None:
    chk = command(
        "check",
        "check a batch request file before submitting it: cost, problems, limits",
        "Check a Message Batches request file: what it will cost, what is wrong with it, and "
        "whether it fits the batch limits.",
        CHECK_EPILOG,
    )
    chk.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        help='JSONL, {"requests": [...]} or a JSON array; - for standard input',
    )
    expect = chk.add_argument_group("expected case")
    out = expect.add_mutually_exclusive_group()
    out.add_argument(
        "--output",
        type=TOKENS,
        metavar="TOKENS",
        help="expected output tokens per request (default: max_tokens)",
    )
    out.add_argument(
        "--output-ratio",
        type=OUTPUT_RATIO,
        metavar="R",
        help="expected output as a share of max_tokens, 0 to 1",
    )
    expect.add_argument(
        "--hit-rate",
        type=HIT_RATE,
        metavar="R",
        help="expected cache hit rate, 0 to 1 (default 0.9)",
    )
    expect.add_argument(
        "--hit-rate-from",
        metavar="RESULTS.jsonl",
        type=Path,
        help="use the hit rate measured in an earlier run's results file (instead of --hit-rate)",
    )
    chk.add_argument(
        "--exact",
        action="store_true",
        help="exact counts from Anthropic's count_tokens (network; ANTHROPIC_API_KEY)",
    )
    group_by_arg(chk)
    chk.add_argument("--encoding", default="utf-8", help=argparse.SUPPRESS)
    _check_gate(chk)


def _check_gate(chk: argparse.ArgumentParser) -> None:
    """check's gates, --problem-lines and its output options."""
    gate = chk.add_argument_group("gate")
    gate.add_argument(
        "--budget",
        type=USD,
        metavar="USD",
        help="exit 1 when the file costs more than this (worst case by default)",
    )
    gate.add_argument(
        "--against",
        choices=("worst", "expected"),
        help="which case the budget is compared with (default worst)",
    )
    gate.add_argument(
        "--budget-per-group",
        type=USD,
        metavar="USD",
        help="exit 1 when any group (the first --group-by level) costs more than this, in the "
        "case --budget uses (--against)",
    )
    gate.add_argument("--strict", action="store_true", help="exit 1 when any problem is found")
    gate.add_argument(
        "--allow-unpriced",
        action="store_true",
        help="let the budget pass although some requests could not be priced (by default "
        "any unpriced request fails the budget)",
    )
    chk.add_argument(
        "--problem-lines",
        metavar="FILE.csv",
        type=Path,
        help="write every line of every problem here (CSV: code,line); the report keeps "
        "each problem's count and its first 100 lines",
    )
    output_args(
        chk,
        "one row per case and scenario; with --group-by one per group",
        "totals and breakdowns as values",
        "a self-contained page with --out FILE",
    )
    chk.set_defaults(run=LazyRun("costcalc.commands.check:run_check"))


WARMUP_EPILOG = """\
examples:
  costcalc warmup batch.jsonl                        # what a warm-up costs, and saves
  costcalc warmup batch.jsonl --out primer.jsonl     # write the primer batch
  costcalc warmup batch.jsonl --out primer.jsonl --ttl-1h batch-1h.jsonl

Submit the primer batch, wait until it has ended, then submit the batch within the hour.
Only entries another request reads get a primer; entries under the model's minimum are not
cached and get none. With --out and nothing to warm, exit 2 and no file is written.
"""


def add_warmup(command: Command) -> None:
    wup = command(
        "warmup",
        "write a primer batch that warms a request file's shared cache entries",
        "Write a primer batch: one request per shared cache entry of the request file, cut at "
        "its breakpoint with a 1h cache_control and max_tokens 1, and price the warm-up against "
        "the batch without it.",
        WARMUP_EPILOG,
    )
    wup.add_argument("file", metavar="FILE", type=Path, help="the batch request file")
    wup.add_argument(
        "--out", metavar="PRIMER.jsonl", type=Path, help="write the primer batch (JSONL) here"
    )
    wup.add_argument(
        "--ttl-1h",
        metavar="OUT.jsonl",
        type=Path,
        help="also write a copy of FILE with every cache breakpoint at 1h (FILE is not changed)",
    )
    wup.add_argument(
        "--hit-rate",
        type=HIT_RATE,
        metavar="R",
        help="hit rate of the case without warm-up (default 0.9)",
    )
    wup.add_argument(
        "--hit-rate-from",
        metavar="RESULTS.jsonl",
        type=Path,
        help="the case without warm-up at the hit rate measured in an earlier run's results",
    )
    wup.add_argument("--format", choices=("table", "json"), default="table")
    wup.add_argument("--pricing", metavar="FILE", type=Path, help="pricing YAML")
    wup.add_argument("--date", metavar="YYYY-MM-DD", type=date_arg, help="price as of this date")
    wup.set_defaults(run=LazyRun("costcalc.commands.warmup:run_warmup"))
