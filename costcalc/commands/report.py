"""`costcalc actual` over many files, by group, with budget gates, or as an HTML page: reads
the arguments, runs manyresults.read_many, presents the report and sets the exit status
(1 when a budget gate fails; an unpriced request fails every gate it is in)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from costcalc.commands.batches import plan_batches
from costcalc.compute import outcomes
from costcalc.compute.engine import compare_budget
from costcalc.compute.grouping import parse_keys
from costcalc.compute.manyresults import Gate, expand, read_many
from costcalc.errors import CodedError, Exit
from costcalc.files.inputs import is_stdin
from costcalc.messages import render, say
from costcalc.present.registry import present
from costcalc.present.reportview import gate_text
from costcalc.prices.load import load_pricing
from costcalc.read.tags import read_tags
from costcalc.safe import plain_inert

if TYPE_CHECKING:
    from costcalc.compute.actual import ResultsReport
    from costcalc.notices import Notice


def run_report(args: argparse.Namespace) -> int:

    planned = [
        f
        for f in ("shared", "unique", "output", "cache_writes", "hit_rate", "model", "ttl")
        if getattr(args, f, None) is not None
    ]
    if planned:
        raise CodedError("batch_plan_one_file")
    if args.budget_per_group is not None and not args.group_by:
        raise CodedError("report_budget_per_group_needs_group_by")
    if args.format == "html" and args.out is None and sys.stdout.isatty():
        raise CodedError("report_html_needs_out")
    # The page draws where the money went per group: by model unless told otherwise.
    keys = parse_keys(args.group_by or (["model"] if args.format == "html" else []), read_tags)
    paths = expand(args.file)
    pricing = load_pricing(args.pricing)
    on, batch = args.date or date.today(), not args.no_batch
    cold = None
    if args.submitted:
        if any(map(is_stdin, paths)) and any(str(p) == "-" for p in args.submitted):
            raise CodedError("stdin_named_twice")
        cold = plan_batches(args.submitted, pricing, on, batch)
    report = read_many(
        paths,
        pricing,
        on,
        keys,
        batch=batch,
        budget=args.budget,
        budget_per_group=args.budget_per_group,
        cold=cold,
    )
    present(outcomes.ReportResult(report, on, pricing), args.format, args.out)

    if args.format != "table":
        for f in report.files:
            _warn(f.file, f.warnings)
        _warn("--group-by", report.notices)
        if report.cold is not None:
            _warn("--batch", report.cold.cold.notices)
    for gate in report.gates:
        if not gate.passed or len(report.gates) == 1:
            print(plain_inert(say("gate", verdict=gate_text(gate))), file=sys.stderr)
    if report.gates and report.passed and len(report.gates) > 1:
        print(say("gates_passed", count=len(report.gates)), file=sys.stderr)
    return Exit.OK if report.passed else Exit.GATE_FAILED


def _warn(file: str, warnings: Iterable[Notice]) -> None:

    for w in warnings:
        print(plain_inert(say("file_warning", file=file, text=render(w))), file=sys.stderr)


def results_gate(report: ResultsReport, budget: Decimal) -> Gate:
    """--budget on one results file read the usual way: the billed total, failing closed when
    any succeeded request could not be priced or any line could not be read, and never
    passing when any is priced at a lower bound."""

    check = compare_budget("real_bill", report.total, budget)
    unpriced, malformed = report.unpriced, len(report.malformed)
    return Gate("total", check, unpriced, malformed, report.lower_bound, report.succeeded)


def gate_one(report: ResultsReport, budget: Decimal) -> int:
    """results_gate's verdict on stderr; the exit status (1: failed)."""

    gate = results_gate(report, budget)
    print(say("gate", verdict=gate_text(gate)), file=sys.stderr)
    return Exit.OK if gate.passed else Exit.GATE_FAILED
