"""costcalc actual: a batch results file priced exactly, and compared with the estimate."""

from __future__ import annotations

import argparse
from contextlib import ExitStack
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.commands.batches import require_requests
from costcalc.commands.common import load, report_warnings
from costcalc.commands.report import gate_one, run_report
from costcalc.compute import outcomes
from costcalc.compute.actual import price_result_lines
from costcalc.compute.check import check
from costcalc.compute.coldstart import cold_start_misses
from costcalc.compute.comparison import FromPlan, FromRequestFile, compare
from costcalc.compute.engine import Workload, estimate
from costcalc.compute.planning import writes_for_hit_rate
from costcalc.compute.pricedate import price_changes
from costcalc.errors import CodedError, Exit
from costcalc.files.inmemory import InMemory, on_disk
from costcalc.files.inputs import label, rereadable
from costcalc.present.actual_data import ResultsCsv
from costcalc.present.registry import present
from costcalc.read.fetch import fetch_results
from costcalc.read.requestitems import request_ids
from costcalc.read.resultfile import result_stream
from costcalc.tokens.count import Counter, text_of

if TYPE_CHECKING:  # types only: importing them would slow the start-up
    from costcalc.compute.actual import ResultsReport
    from costcalc.compute.coldstart import ColdStart
    from costcalc.compute.comparison import Comparison
    from costcalc.prices.model import Pricing

# The cli imports a command's module only when that command runs (cli.args.LazyRun), so a
# command module imports what it uses at its top; the few imports left inside functions are
# for options most runs do not use (the optional Anthropic SDK), each with why.


def run_actual(args: argparse.Namespace) -> int:

    if args.batch_id is not None and args.file:
        raise CodedError("actual_files_and_batch_id")
    submitted = args.submitted or []
    if args.batch_id is None and not args.file and len(submitted) > 1:
        # `--batch A B RESULTS` reads RESULTS as a request file too: say how to write it.
        raise CodedError("actual_results_after_batch")
    if args.batch_id is None and _many(args):
        return run_report(args)
    if len(submitted) > 1 or any(_is_glob(s) or s.is_dir() for s in submitted):
        # Several request files pair with several results files (the report); one fetched
        # batch (--batch-id) was submitted as one file.
        raise CodedError("actual_batch_id_one_request_file")
    args.submitted = submitted[0] if submitted else None
    args.file = args.file[0] if args.file else None
    pricing = load(args)
    on = args.date or date.today()
    batch = not args.no_batch
    planned = any(
        getattr(args, f) is not None
        for f in ("shared", "unique", "output", "cache_writes", "hit_rate", "model")
    )
    if args.ttl is not None and not planned:
        # The TTL is part of a plan given by flags; alone, or with --batch, nothing reads it.
        raise CodedError("actual_ttl_without_plan")
    if planned and args.submitted is not None:
        raise CodedError("actual_batch_and_plan")
    if args.format == "csv" and (planned or args.submitted is not None):
        # The CSV is one row per request: it has no place for a comparison.
        raise CodedError("actual_csv_no_comparison")
    source = _results_source(args)
    if args.format == "csv":
        with ResultsCsv(args.out) as sink, result_stream(source) as lines:
            report = price_result_lines(
                lines, source, pricing, on, batch=batch, on_request=sink.row
            )
        report_warnings(_with_date_warning(args.date is not None, report, pricing).warnings)
        if args.budget is not None:
            return gate_one(report, args.budget)
        return Exit.OK

    with ExitStack() as stack:
        results, submitted = source, args.submitted
        if submitted is not None:
            # Cold-start misses read both files again: standard input, a FIFO or <(...) (or
            # results fetched with --batch-id) is saved once to a temporary file for that.
            results = stack.enter_context(
                on_disk(source) if isinstance(source, InMemory) else rereadable(source)
            )
            submitted = stack.enter_context(rereadable(submitted))
        with result_stream(results) as lines:
            report = price_result_lines(lines, results, pricing, on, batch=batch)
        report = replace(report, path=source)
        report = _with_date_warning(args.date is not None, report, pricing)
        comparison = None
        if submitted is not None:
            comparison = _compare_with_file(str(args.submitted), report, pricing, on, submitted)
        elif planned:
            comparison = _compare_with_plan(args, report, pricing, on, batch)
        cold = _cold_start(pricing, on, batch, results, submitted)
    present(outcomes.ActualResult(report, comparison, cold), args.format, args.out)
    if args.budget is not None:
        return gate_one(report, args.budget)
    return Exit.OK


def _results_source(args: argparse.Namespace) -> Any:
    """The results to price: the file given, or with --batch-id the batch's results fetched
    with the SDK (opt-in network), streamed (inmemory.InMemory named by the batch id)."""
    if args.batch_id is None:
        if args.file is None:
            raise CodedError("actual_no_results")
        return args.file
    if args.file is not None:
        raise CodedError("actual_file_and_batch_id")

    return InMemory(fetch_results(args.batch_id), args.batch_id)


def actual_outcome(
    results: Path,
    name: Any,
    pricing: Any,
    on: date | None,
    batch: bool,
    submitted: Path | None,
    submitted_name: str | None = None,
) -> outcomes.ActualResult:
    """actual's result for a results file read twice when `submitted` (the request file) is
    given: the Python API's price_results, by the same path as the CLI. `name` labels the
    results ("file" in the JSON); `on` None prices at today's prices, as without --date."""

    day = on or date.today()
    with result_stream(results) as lines:
        report = price_result_lines(lines, results, pricing, day, batch=batch)
    report = replace(report, path=name)
    report = _with_date_warning(on is not None, report, pricing)
    on = day
    comparison = cold = None
    if submitted is not None:
        label = submitted_name or str(submitted)
        comparison = _compare_with_file(label, report, pricing, on, submitted)
        cold = _cold_start(pricing, on, batch, results, submitted)
    return outcomes.ActualResult(report, comparison, cold)


def _is_glob(path: Path) -> bool:
    return not path.exists() and any(c in str(path) for c in "*?[")


def _many(args: argparse.Namespace) -> bool:
    """actual over several files (results or --batch request files), by group, or as HTML:
    the report (commands/report.py)."""
    batches = args.submitted or []
    return (
        len(args.file) > 1
        or len(batches) > 1
        or any(Path(f).is_dir() or _is_glob(f) for f in batches)
        or bool(args.group_by)
        or args.budget_per_group is not None
        or args.format == "html"
        or any(str(f) != "-" and (Path(f).is_dir() or _is_glob(f)) for f in args.file)
    )


def _with_date_warning(dated: bool, report: ResultsReport, pricing: Pricing) -> ResultsReport:
    """The report with a warning when it was priced at today's prices (no --date) and a price it
    uses changed within the days its batch could have run (pricedate)."""

    if dated or report.priced_on is None:
        return report
    by_id = {m.id: m for m in pricing.models}
    used = [by_id[m] for m in report.per_model if m in by_id]
    note = price_changes(used, report.priced_on, fast=bool(report.service_tiers.get("fast")))
    return report if note is None else replace(report, warnings=(*report.warnings, note))


def _compare_with_file(
    name: str, report: ResultsReport, pricing: Pricing, on: date, source: Path
) -> Comparison:
    """`source`: the request file as submitted (`name`), or the copy that `rereadable` made."""

    tokens = Counter()
    planned = check(source, pricing, on, counter=lambda text: tokens.count(text_of(text)))
    require_requests(planned, label(Path(name)), pricing)
    n = len(planned.batch.requests) - planned.rejected
    return compare(report, planned.best_lines, n, FromRequestFile(name))


def _compare_with_plan(
    args: argparse.Namespace, report: ResultsReport, pricing: Pricing, on: date, batch: bool
) -> Comparison:

    if args.model:
        model = pricing.resolve(args.model[0])
    elif len(report.per_model) == 1:
        model = pricing.resolve(next(iter(report.per_model)))
    else:
        raise CodedError("actual_several_models")
    n = report.succeeded or 1
    writes = 1 if args.cache_writes is None else args.cache_writes
    if args.hit_rate is not None:
        writes = writes_for_hit_rate(n, args.hit_rate)
    workload = Workload(
        n,
        args.shared or 0,
        args.unique or 0,
        args.output or 0,
        ttl=args.ttl or "5m",
        cache_writes=min(writes, n),
    )
    est = estimate(model, workload, on)
    scenario = est.scenario("batch_cache" if batch else "cache")
    lines = {line.token_class: (line.tokens, line.cost) for line in scenario.lines}
    return compare(report, lines, n, FromPlan(workload, model))


def _cold_start(
    pricing: Pricing, on: date, batch: bool, results: Path, submitted: Path | None
) -> ColdStart | None:
    """actual's cold-start misses (results.cold_start_misses), or None without --batch.
    `results`, `submitted`: the files to read (the user's, or rereadable copies of them)."""
    if submitted is None:
        return None

    tokens = Counter()
    planned = check(submitted, pricing, on, counter=lambda text: tokens.count(text_of(text)))
    ids = request_ids(submitted, planned.batch.requests.line)
    return cold_start_misses(results, planned, ids, pricing, on, batch=batch)
