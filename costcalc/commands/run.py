"""What each command does: loads data, runs the engine or a reader, builds the command's result
object (outcomes) for `present.present` to lay out in the chosen format, sets the exit status.
No arithmetic and no output format here; argument parsing is in `cli`.

Imports of rich, pydantic and tiktoken stay inside the functions that need them, to keep the
plain `estimate` start-up fast.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from costcalc.compute import outcomes
from costcalc.errors import CostcalcError
from costcalc.present.registry import present


def _load(args: argparse.Namespace):
    from costcalc.prices.load import load_pricing

    return load_pricing(args.pricing)


def _modifiers(region: str, fast: bool):
    from costcalc.compute.engine import Modifiers

    return Modifiers(region=region, fast=fast)


def _budget_scenario(args: argparse.Namespace, fast: bool) -> str:
    if args.scenario and args.budget is None:
        raise CostcalcError("--scenario chooses what --budget applies to; add --budget USD")
    if fast and args.scenario in ("batch", "batch_cache"):
        raise CostcalcError(
            f"fast mode cannot be batched, so there is no {args.scenario} scenario; "
            "use --scenario standard or cache"
        )
    return args.scenario or ("cache" if fast else "batch_cache")


def run_estimate(args: argparse.Namespace) -> int:
    from costcalc.compute.engine import Workload, check_budget
    from costcalc.compute.planning import analyze

    apply_hit_rate_from(args)
    scenario = _budget_scenario(args, args.fast)
    inputs = _text_inputs(args)
    requests = args.requests
    if requests is None:
        if inputs is None or args.unique_dir is None:
            raise CostcalcError("--requests is required (or --unique-dir, one request per file)")
        requests = len(inputs.uniques or ())
    pricing = _load(args)
    models = [pricing.resolve(name) for name in args.model]
    mods = _modifiers(args.region, args.fast)
    extra = {"bytes_per_token": args.bytes_per_token} if args.bytes_per_token else {}
    counter = exact = None
    if inputs is not None:
        from costcalc.tokens.count import Counter

        if args.exact:
            from costcalc.tokens.exact import ExactCounter

            exact = ExactCounter()
        else:
            counter = Counter()
    analyses = []
    for model in models:
        try:
            tokens = None
            shared, unique = args.shared or 0, args.unique or 0
            if inputs is not None:
                from costcalc.tokens.count import measure

                tokens = measure(
                    inputs, model.id, pricing.tokenizers[model.tokenizer], counter, exact
                )
                shared = tokens.shared.central if tokens.shared else shared
                unique = tokens.unique.central if tokens.unique else unique
            workload = Workload(
                requests=requests,
                shared_tokens=shared,
                unique_tokens=unique,
                output_tokens=args.output or 0,
                ttl=args.ttl,
                cache_writes=args.cache_writes if args.cache_writes is not None else 1,
            )
            analyses.append(
                analyze(
                    model,
                    workload,
                    limits=pricing.batch_limits,
                    on=args.date or date.today(),
                    modifiers=mods,
                    hit_rate=args.hit_rate,
                    tokens=tokens,
                    **extra,
                )
            )
        except CostcalcError as exc:
            raise CostcalcError(
                f"{model.short_name}: {exc}" if len(models) > 1 else str(exc)
            ) from None
    budgets = (
        [check_budget(a.estimate, args.budget, scenario, a.warnings) for a in analyses]
        if args.budget is not None
        else []
    )

    present(outcomes.EstimateResult(analyses, budgets), args.format, args.out)
    return _report_budgets(budgets, [a.estimate.model.short_name for a in analyses])


def _text_inputs(args: argparse.Namespace):
    """The texts given with --shared-file / --unique-file / --unique-dir, read once."""
    given = bool(args.shared_file) or args.unique_file is not None or args.unique_dir is not None
    if not given:
        for flag, given_flag in (
            ("--exact counts", args.exact),
            ("--encoding reads", args.encoding),
        ):
            if given_flag:
                raise CostcalcError(
                    f"{flag} text: add --shared-file, --unique-file or --unique-dir"
                )
        return None
    if args.shared_file and args.shared is not None:
        raise CostcalcError("give --shared or --shared-file, not both")
    if (args.unique_file or args.unique_dir) and args.unique is not None:
        raise CostcalcError("give --unique or --unique-file/--unique-dir, not both")
    from costcalc.tokens.count import read_inputs

    encoding = args.encoding or "utf-8"
    return read_inputs(args.shared_file or [], args.unique_file, args.unique_dir, encoding)


def run_tokens(args: argparse.Namespace) -> int:
    from costcalc.tokens.count import (
        Column,
        Counter,
        expand,
        read_text,
        tabulate,
        tabulate_counted,
    )

    if args.exact and not args.model:
        raise CostcalcError("--exact counts for a model: add --model NAME")
    # `-` is standard input; /dev/stdin reads it once, like any FIFO.
    files = expand([Path("/dev/stdin") if str(f) == "-" else f for f in args.files])
    if not files:
        raise CostcalcError(
            "no files to count (directories are read recursively; hidden files are skipped)"
        )
    pricing = _load(args)
    if args.model:
        columns = [
            Column(m.short_name, pricing.tokenizers[m.tokenizer], m.id if args.exact else None)
            for m in (pricing.resolve(n) for n in args.model)
        ]
    else:
        columns = [Column(t.name, t) for t in pricing.tokenizers.values()]
    if args.exact:
        # count_tokens takes the text whole (and the API caps its size): read it whole.
        from costcalc.tokens.exact import ExactCounter

        counter = Counter()
        texts = [read_text(f, args.encoding) for f in files]
        rows, total = tabulate(texts, columns, ExactCounter(), counter)
        distinct = counter.distinct
    else:
        # Offline: each file streamed, so memory stays flat whatever the input's size.
        from costcalc.tokens.cl100k import load_cl100k
        from costcalc.tokens.stream import count_file

        encoder = load_cl100k()
        counted = [count_file(f, args.encoding, encoder) for f in files]
        rows, total = tabulate_counted(counted, columns)
        distinct = len({c.digest for c in counted})
    present(outcomes.TokensResult(rows, total, columns, distinct), args.format, args.out)
    return 0


def _report_budgets(budgets: list, labels: list[str]) -> int:
    if not budgets:
        return 0
    from costcalc.present.budget import budget_message

    for label, check in zip(labels, budgets):
        prefix = f"{label}: " if len(budgets) > 1 else ""
        print(f"costcalc: {prefix}{budget_message(check)}", file=sys.stderr)
    return 0 if all(b.passes for b in budgets) else 1


SWEEP_FLAGS = {
    "model": "model",
    "requests": "requests",
    "shared": "shared",
    "unique": "unique",
    "output": "output",
    "hit_rate": "hit_rate",
}


def run_sweep(args: argparse.Namespace) -> int:
    from costcalc.compute.engine import Workload
    from costcalc.compute.planning import analyze, sweep

    if args.chart is not None and args.chart.suffix.lower() != ".svg":
        raise CostcalcError(f"--chart writes SVG; name the file .svg (got {args.chart})")
    apply_hit_rate_from(args, listed=True)
    values = {name: getattr(args, flag) for name, flag in SWEEP_FLAGS.items()}
    if values["hit_rate"] is None:
        values["hit_rate"] = [None]
    swept = {name: v for name, v in values.items() if len(v) > 1}
    if not swept:
        raise CostcalcError(
            "nothing to sweep: give one parameter a list, e.g. --requests 1k,10k,100k"
        )
    if len(swept) > 2:
        raise CostcalcError(
            f"sweep at most two parameters at a time (got {', '.join(swept)}); fix the others"
        )
    pricing = _load(args)
    models = {name: pricing.resolve(name) for name in values["model"]}
    fixed = {name: v[0] for name, v in values.items() if len(v) == 1}
    mods = _modifiers(args.region, args.fast)
    on = args.date or date.today()
    extra = {"bytes_per_token": args.bytes_per_token} if args.bytes_per_token else {}

    def point(at: dict[str, Any]):
        p = {**fixed, **at}
        workload = Workload(
            requests=p["requests"],
            shared_tokens=p["shared"],
            unique_tokens=p["unique"],
            output_tokens=p["output"],
            ttl=args.ttl,
            cache_writes=args.cache_writes if args.cache_writes is not None else 1,
        )
        try:
            return analyze(
                models[p["model"]],
                workload,
                limits=pricing.batch_limits,
                on=on,
                modifiers=mods,
                hit_rate=p["hit_rate"],
                **extra,
            )
        except CostcalcError as exc:
            where = ", ".join(f"{k}={v}" for k, v in at.items())
            raise CostcalcError(f"at {where}: {exc}") from None

    points = sweep(swept, point)
    chart = None
    if args.chart is not None:
        from costcalc.present.chart import sweep_chart

        chart = sweep_chart(points, list(swept))
    present(outcomes.SweepResult(points, swept), args.format, args.out)
    if chart is not None:
        write_text(args.chart, chart)
        print(f"costcalc: wrote {args.chart}", file=sys.stderr)
    return 0


def run_plan(args: argparse.Namespace) -> int:
    from costcalc.compute.engine import Workload, compare_budget
    from costcalc.compute.planning import analyze, plan_totals
    from costcalc.read.plans import load_plan

    plan = load_plan(args.plan_file)
    pricing = _load(args)
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
                modifiers=_modifiers(job.region, job.fast),
                hit_rate=job.hit_rate,
                bytes_per_token=job.bytes_per_token,
            )
        except CostcalcError as exc:
            raise CostcalcError(f"{args.plan_file}: job {job.name!r}: {exc}") from None
        jobs.append((job.name, analysis))
    totals = plan_totals([a for _, a in jobs])
    budget = None
    if args.budget is not None or args.scenario:
        scenario = _budget_scenario(args, fast=False)
        budget = compare_budget(
            scenario, totals[scenario], args.budget, [w for _, a in jobs for w in a.warnings]
        )

    present(outcomes.PlanResult(jobs, totals, budget), args.format, args.out)
    return _report_budgets([budget] if budget else [], ["plan total"])


@contextlib.contextmanager
def _problem_lines(args: argparse.Namespace) -> Iterator[IO[str] | None]:
    """check --problem-lines: every problem line, streamed into the file as found (written
    whole or not at all); nothing when not asked for."""
    if args.problem_lines is None:
        yield None
        return
    from costcalc.files.outputs import atomic_file, check_target

    check_target(args.problem_lines, [args.file])
    with atomic_file(args.problem_lines) as f:
        f.write("code,line\n")
        yield f


def check_outcome(
    source: Any,
    pricing: Any,
    on: date,
    *,
    exact: Any = None,
    output: int | None = None,
    output_ratio: Any = None,
    hit_rate: Any = None,
    budget: Any = None,
    against: str | None = None,
    allow_unpriced: bool = False,
    problem_lines: IO[str] | None = None,
) -> outcomes.CheckResult:
    """check's result for a request file (a Path) or requests in memory (inmemory.InMemory):
    the priced report, the budget gate, what could not be priced. Shared by the CLI and the
    Python API (api.check), so both price by the same path. `problem_lines` receives every
    problem line as it is found (check --problem-lines)."""
    from costcalc.compute.check import check
    from costcalc.compute.engine import compare_budget
    from costcalc.compute.failclosed import (
        add_api_limit_problems,
        require_something_to_price,
        unpriced,
    )
    from costcalc.files.inputs import label

    counter = None
    if exact is None:
        from costcalc.tokens.count import load_cl100k

        # No memo here: check counts each distinct block once itself, and a memo of every
        # request's text would hold them all.
        encoding = load_cl100k()
        counter = lambda text: len(encoding.encode_ordinary(text))  # noqa: E731
    report = check(
        source,
        pricing,
        on,
        counter=counter,
        exact=exact,
        output=output,
        output_ratio=output_ratio,
        hit_rate=hit_rate,
        problem_lines=problem_lines,
    )
    require_something_to_price(report.batch, label(source), pricing)
    add_api_limit_problems(report.batch, pricing, on)
    # Every problem line has been written; later problems are summaries, not lines.
    report.batch.spool = None
    missing = unpriced(report.batch, pricing)
    gate = None
    if budget is not None:
        against = against or "worst"
        total = report.worst if against == "worst" else report.expected
        gate = compare_budget(f"batch_cache ({against} case)", total, budget, gate_notices(report))
    blocked = bool(missing.count) and gate is not None and not allow_unpriced
    return outcomes.CheckResult(report, gate, missing, blocked)


def run_check(args: argparse.Namespace) -> int:
    apply_hit_rate_from(args)
    if args.budget is None:
        # Both only qualify the budget gate; without one they would be silently ignored.
        for flag, given in (("--against", args.against), ("--allow-unpriced", args.allow_unpriced)):
            if given:
                raise CostcalcError(f"{flag} qualifies the budget gate; add --budget USD")
    pricing = _load(args)
    exact = None
    if args.exact:
        from costcalc.tokens.exact import ExactCounter

        exact = ExactCounter()
    with _problem_lines(args) as spool:
        result = check_outcome(
            args.file,
            pricing,
            args.date or date.today(),
            exact=exact,
            output=args.output,
            output_ratio=args.output_ratio,
            hit_rate=args.hit_rate,
            budget=args.budget,
            against=args.against,
            allow_unpriced=args.allow_unpriced,
            problem_lines=spool,
        )
    present(result, args.format, args.out)
    report, budget, missing, blocked = result
    if missing.count:
        from costcalc.messages import render as render_message

        n = missing.count
        what = (
            f"{n:,} request{'s' if n != 1 else ''} could not be priced "
            f"({'; '.join(render_message(note) for note in missing.notes)})"
        )
        if blocked and budget is not None:
            from costcalc.present.budget import budget_message

            print(
                f"costcalc: budget check failed: {what}, so the cost is not known; the priced "
                f"requests alone: {budget_message(budget)} (--allow-unpriced to gate on them)",
                file=sys.stderr,
            )
            status = 1
        else:
            left_out = "is" if n == 1 else "are"
            print(f"costcalc: warning: {what} and {left_out} not in the cost", file=sys.stderr)
            status = _report_budgets([budget] if budget else [], ["file"])
    else:
        status = _report_budgets([budget] if budget else [], ["file"])
    if args.strict and report.batch.problems:
        count = sum(p.count for p in report.batch.problems.values())
        from costcalc.messages import counted

        print(f"costcalc: {counted(count, 'problem')} found (--strict)", file=sys.stderr)
        status = 1
    return status


def gate_notices(report) -> list:
    """What fails check's budget gate besides the cost: the error-severity notices about the
    prices (not yet released on the date) and the error-severity problems (a request the API
    refuses, a retired model). Unpriced requests are gated apart (--allow-unpriced)."""
    from costcalc.compute.failclosed import UNPRICED_KINDS
    from costcalc.notices import notice

    problems = [notice(k) for k in report.batch.problems if k not in UNPRICED_KINDS]
    return [*report.warnings, *problems]


def run_actual(args: argparse.Namespace) -> int:
    from costcalc.compute.actual import read_results

    if args.batch_id is not None and args.file:
        raise CostcalcError("give results files or --batch-id, not both")
    if args.batch_id is None and _many(args):
        from costcalc.commands.report import run_report

        return run_report(args)
    args.file = args.file[0] if args.file else None
    pricing = _load(args)
    on = args.date or date.today()
    batch = not args.no_batch
    planned = any(
        getattr(args, f) is not None
        for f in ("shared", "unique", "output", "cache_writes", "hit_rate", "model")
    )
    if args.ttl is not None and not planned:
        # The TTL is part of a plan given by flags; alone, or with --batch, nothing reads it.
        raise CostcalcError("--ttl describes the plan: give it with --shared, --output, ...")
    if planned and args.submitted is not None:
        raise CostcalcError("compare with --batch FILE or with estimate flags, not both")
    if args.format == "csv" and (planned or args.submitted is not None):
        # The CSV is one row per request: it has no place for a comparison.
        raise CostcalcError(
            "--format csv has no comparison with the estimate; use table or json, or drop "
            "--batch and the estimate flags"
        )
    source = _results_source(args)
    if args.format == "csv":
        from costcalc.present.actual_data import ResultsCsv

        with ResultsCsv(args.out) as sink:
            report = read_results(source, pricing, on, batch=batch, on_request=sink.row)
        _report_warnings(_with_date_warning(args.date is not None, report, pricing).warnings)
        if args.budget is not None:
            from costcalc.commands.report import gate_one

            return gate_one(report, args.budget)
        return 0
    from contextlib import ExitStack
    from dataclasses import replace

    from costcalc.files.inmemory import InMemory, on_disk
    from costcalc.files.inputs import rereadable

    with ExitStack() as stack:
        results, submitted = source, args.submitted
        if submitted is not None:
            # Cold-start misses read both files again: standard input, a FIFO or <(...) (or
            # results fetched with --batch-id) is saved once to a temporary file for that.
            results = stack.enter_context(
                on_disk(source) if isinstance(source, InMemory) else rereadable(source)
            )
            submitted = stack.enter_context(rereadable(submitted))
        report = replace(read_results(results, pricing, on, batch=batch), path=source)
        report = _with_date_warning(args.date is not None, report, pricing)
        comparison = None
        if submitted is not None:
            comparison = _compare_with_file(str(args.submitted), report, pricing, on, submitted)
        elif planned:
            comparison = _compare_with_plan(args, report, pricing, on, batch)
        cold = _cold_start(pricing, on, batch, results, submitted)
    present(outcomes.ActualResult(report, comparison, cold), args.format, args.out)
    if args.budget is not None:
        from costcalc.commands.report import gate_one

        return gate_one(report, args.budget)
    return 0


def _results_source(args: argparse.Namespace) -> Any:
    """The results to price: the file given, or with --batch-id the batch's results fetched
    with the SDK (opt-in network), streamed (inmemory.InMemory named by the batch id)."""
    if args.batch_id is None:
        if args.file is None:
            raise CostcalcError(
                "give the results file (- for standard input), or --batch-id msgbatch_... to "
                "fetch the results with the Anthropic SDK"
            )
        return args.file
    if args.file is not None:
        raise CostcalcError("give a results file or --batch-id, not both")
    from costcalc.files.inmemory import InMemory
    from costcalc.read.fetch import fetch_results

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
    from dataclasses import replace

    from costcalc.compute.actual import read_results

    day = on or date.today()
    report = replace(read_results(results, pricing, day, batch=batch), path=name)
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
    """actual over several files, by group, or as HTML: the report (commands/report.py)."""
    return (
        len(args.file) > 1
        or bool(args.group_by)
        or args.budget_per_group is not None
        or args.format == "html"
        or any(str(f) != "-" and (Path(f).is_dir() or _is_glob(f)) for f in args.file)
    )


def _with_date_warning(dated: bool, report, pricing):
    """The report with a warning when it was priced at today's prices (no --date) and a price it
    uses changed within the days its batch could have run (pricedate)."""
    from dataclasses import replace

    from costcalc.compute.pricedate import price_changes

    if dated or report.priced_on is None:
        return report
    by_id = {m.id: m for m in pricing.models}
    used = [by_id[m] for m in report.per_model if m in by_id]
    note = price_changes(used, report.priced_on, fast=bool(report.service_tiers.get("fast")))
    return report if note is None else replace(report, warnings=(*report.warnings, note))


def _report_warnings(warnings) -> None:
    from costcalc.messages import render
    from costcalc.safe import plain_inert

    for warning in warnings:
        print(f"costcalc: warning: {plain_inert(render(warning))}", file=sys.stderr)


def _compare_with_file(name: str, report, pricing, on, source: Path):
    """`source`: the request file as submitted (`name`), or the copy that `rereadable` made."""
    from costcalc.compute.actual import compare
    from costcalc.compute.check import check
    from costcalc.tokens.count import Counter, text_of

    tokens = Counter()
    planned = check(source, pricing, on, counter=lambda text: tokens.count(text_of(text)))
    from costcalc.compute.failclosed import require_something_to_price
    from costcalc.files.inputs import label

    try:
        require_something_to_price(planned.batch, label(Path(name)), pricing)
    except CostcalcError as exc:
        raise CostcalcError(f"--batch wants the request file that was submitted: {exc}") from None
    n = len(planned.batch.requests) - planned.rejected
    return compare(
        report,
        planned.best_lines,
        n,
        f"{name} as submitted (one cache write per prefix, max_tokens output, "
        "estimated token counts)",
    )


def _compare_with_plan(args, report, pricing, on, batch: bool):
    from costcalc.compute.actual import compare
    from costcalc.compute.engine import Workload, estimate

    if args.model:
        model = pricing.resolve(args.model[0])
    elif len(report.per_model) == 1:
        model = pricing.resolve(next(iter(report.per_model)))
    else:
        raise CostcalcError("the results hold several models; name the plan's with --model")
    n = report.succeeded or 1
    writes = 1 if args.cache_writes is None else args.cache_writes
    if args.hit_rate is not None:
        from costcalc.compute.planning import writes_for_hit_rate

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
    return compare(
        report,
        lines,
        n,
        f"the plan: {n:,} requests x ({args.shared or 0:,} shared + "
        f"{args.unique or 0:,} unique input, {args.output or 0:,} output), "
        f"{workload.cache_writes:,} cache writes, {workload.ttl} TTL on {model.short_name}",
    )


def run_models(args: argparse.Namespace) -> int:
    from costcalc.compute.engine import stacked_rate

    pricing = _load(args)
    on = args.date or date.today()
    rows = [(m, stacked_rate(m, on)) for m in pricing.models]
    present(outcomes.ModelsResult(rows, on, str(pricing.path)), args.format, args.out)
    return 0


def write_text(path: Path, text: str) -> None:
    from costcalc.files.outputs import write_text as write

    write(path, text)


def run_warmup(args: argparse.Namespace) -> int:
    """Price the warm-up of a request file and write its primer batch (warmup.py)."""
    from costcalc.compute.check import check
    from costcalc.compute.failclosed import require_something_to_price
    from costcalc.compute.warmup import write_warmup
    from costcalc.files.inputs import label, rereadable
    from costcalc.tokens.count import load_cl100k

    if args.ttl_1h is not None:
        from costcalc.files.outputs import check_target

        check_target(args.ttl_1h, [args.file])
        if args.out is not None and args.ttl_1h.resolve() == args.out.resolve():
            raise CostcalcError("--out and --ttl-1h name the same file; give two files")
    apply_hit_rate_from(args)
    pricing = _load(args)
    on = args.date or date.today()
    encoding = load_cl100k()
    # The file is read again to write the primer and the 1h copy (and by check, when it is too
    # large to keep its record): standard input, a FIFO or <(...) is saved once to a temporary
    # file for that.
    with rereadable(args.file) as source:
        report = check(
            source,
            pricing,
            on,
            counter=lambda text: len(encoding.encode_ordinary(text)),
            hit_rate=args.hit_rate,
        )
        report.batch.path = args.file
        require_something_to_price(report.batch, label(args.file), pricing)
        warm = report.warm
        assert warm is not None
        if not warm.primers and args.out is not None:
            why = (
                "it has no cache breakpoints"
                if not report.entry_count
                else "no cache entry is shared by two requests"
            )
            raise CostcalcError(
                f"nothing to warm in {label(args.file)}: {why}; no primer file was written"
            )
        written = None
        if args.out is not None or args.ttl_1h is not None:
            written = write_warmup(
                source,
                list(warm.primers),
                report.batch.entries,
                args.out,
                args.ttl_1h,
                label(args.file),
            )
    # --out names the primer file here, so the report always goes to stdout.
    result = outcomes.WarmupResult(report, written, args.out, args.ttl_1h)
    present(result, args.format, None)
    return 0


def apply_hit_rate_from(args: argparse.Namespace, listed: bool = False) -> None:
    """--hit-rate-from RESULTS: the hit rate measured in an earlier run becomes --hit-rate."""
    source = getattr(args, "hit_rate_from", None)
    if source is None:
        return
    if args.hit_rate is not None:
        raise CostcalcError("give --hit-rate or --hit-rate-from, not both")
    if getattr(args, "cache_writes", None) is not None:
        raise CostcalcError("give --cache-writes or --hit-rate-from, not both")
    from costcalc.compute.actual import measured_hit_rate
    from costcalc.files.inputs import label

    rate, succeeded, cached = measured_hit_rate(
        source, _load(args), getattr(args, "date", None) or date.today()
    )
    print(
        f"costcalc: hit rate {rate} measured from {label(source)}: cache reads over cache reads "
        f"and writes of {succeeded:,} succeeded request{'s' if succeeded != 1 else ''} "
        f"({cached:,} with cached tokens)",
        file=sys.stderr,
    )
    args.hit_rate = [rate] if listed else rate


def _cold_start(pricing, on, batch: bool, results: Path, submitted: Path | None):
    """actual's cold-start misses (results.cold_start_misses), or None without --batch.
    `results`, `submitted`: the files to read (the user's, or rereadable copies of them)."""
    if submitted is None:
        return None
    from costcalc.compute.check import check
    from costcalc.compute.coldstart import cold_start_misses
    from costcalc.compute.warmup import request_ids
    from costcalc.tokens.count import Counter, text_of

    tokens = Counter()
    planned = check(submitted, pricing, on, counter=lambda text: tokens.count(text_of(text)))
    ids = request_ids(submitted, planned.batch.requests.line)
    return cold_start_misses(results, planned, ids, pricing, on, batch=batch)


# The commands with a --format json document, each with costcalc/schemas/<command>.schema.json.
SCHEMA_COMMANDS = (
    "estimate",
    "sweep",
    "plan",
    "tokens",
    "check",
    "actual",
    "models",
    "warmup",
    "reconcile",
)


def run_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of a command's JSON output, as shipped in the package."""
    name = args.schema_command
    if name not in SCHEMA_COMMANDS:
        what = "name a command" if name is None else f"no JSON output for {name!r}"
        raise CostcalcError(f"{what}: costcalc schema {{{','.join(SCHEMA_COMMANDS)}}}")
    path = Path(__file__).resolve().parents[1] / "schemas" / f"{name}.schema.json"
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return 0
