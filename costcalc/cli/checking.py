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
from costcalc.messages.text import text


def add_check(command: Command) -> None:
    chk = command(
        "check",
        text("help.check.summary"),
        text("help.check.description"),
        text("help.check.epilog"),
    )
    chk.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        help=text("help.check.file"),
    )
    expect = chk.add_argument_group(text("help.check.expected"))
    out = expect.add_mutually_exclusive_group()
    out.add_argument(
        "--output",
        type=TOKENS,
        metavar="TOKENS",
        help=text("help.check.output"),
    )
    out.add_argument(
        "--output-ratio",
        type=OUTPUT_RATIO,
        metavar="R",
        help=text("help.check.output_ratio"),
    )
    expect.add_argument(
        "--hit-rate",
        type=HIT_RATE,
        metavar="R",
        help=text("help.check.hit_rate"),
    )
    expect.add_argument(
        "--hit-rate-from",
        metavar="RESULTS.jsonl",
        type=Path,
        help=text("help.hit_rate_from"),
    )
    chk.add_argument(
        "--exact",
        action="store_true",
        help=text("help.check.exact"),
    )
    group_by_arg(chk)
    chk.add_argument("--encoding", default="utf-8", help=argparse.SUPPRESS)
    _check_gate(chk)


def _check_gate(chk: argparse.ArgumentParser) -> None:
    """check's gates, --problem-lines and its output options."""
    gate = chk.add_argument_group(text("help.check.gate"))
    gate.add_argument(
        "--budget",
        type=USD,
        metavar="USD",
        help=text("help.check.budget"),
    )
    gate.add_argument(
        "--against",
        choices=("worst", "expected"),
        help=text("help.check.against"),
    )
    gate.add_argument(
        "--budget-per-group",
        type=USD,
        metavar="USD",
        help=text("help.check.budget_per_group"),
    )
    gate.add_argument("--strict", action="store_true", help=text("help.check.strict"))
    gate.add_argument(
        "--allow-unpriced",
        action="store_true",
        help=text("help.check.allow_unpriced"),
    )
    chk.add_argument(
        "--problem-lines",
        metavar="FILE.csv",
        type=Path,
        help=text("help.check.problem_lines"),
    )
    output_args(
        chk,
        text("help.check.csv"),
        text("help.output.xlsx_values"),
        text("help.output.html_page"),
    )
    chk.set_defaults(run=LazyRun("costcalc.commands.check:run_check"))


def add_warmup(command: Command) -> None:
    wup = command(
        "warmup",
        text("help.warmup.summary"),
        text("help.warmup.description"),
        text("help.warmup.epilog"),
    )
    wup.add_argument("file", metavar="FILE", type=Path, help=text("help.warmup.file"))
    wup.add_argument("--out", metavar="PRIMER.jsonl", type=Path, help=text("help.warmup.out"))
    wup.add_argument(
        "--ttl-1h",
        metavar="OUT.jsonl",
        type=Path,
        help=text("help.warmup.ttl_1h"),
    )
    wup.add_argument(
        "--hit-rate",
        type=HIT_RATE,
        metavar="R",
        help=text("help.warmup.hit_rate"),
    )
    wup.add_argument(
        "--hit-rate-from",
        metavar="RESULTS.jsonl",
        type=Path,
        help=text("help.warmup.hit_rate_from"),
    )
    wup.add_argument("--format", choices=("table", "json"), default="table")
    wup.add_argument("--pricing", metavar="FILE", type=Path, help=text("help.output.pricing_yaml"))
    wup.add_argument("--date", metavar="YYYY-MM-DD", type=date_arg, help=text("help.warmup.date"))
    wup.set_defaults(run=LazyRun("costcalc.commands.warmup:run_warmup"))
