"""costcalc check: a batch request file's cost, problems and limits, and its gates."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from typing import IO, TYPE_CHECKING, Any

from costcalc.commands.common import apply_hit_rate_from, load, report_budgets
from costcalc.compute import outcomes
from costcalc.compute.engine import compare_budget, error_codes
from costcalc.errors import CodedError
from costcalc.files.inputs import label
from costcalc.files.outputs import atomic_file, check_target
from costcalc.messages import render, say
from costcalc.notices import notice
from costcalc.present.registry import present
from costcalc.tokens.subtable import Cl100kCounter

if TYPE_CHECKING:  # types only: importing them would slow the start-up
    from costcalc.compute.check import Report
    from costcalc.notices import Notice

# Imports left inside functions are the ones `costcalc estimate` does not need (the request
# and results readers, the Anthropic SDK, charts): the cli loads every command module at
# start-up, and `python benchmarks/cold_start.py` holds that start-up to 1.5x its imports.


@contextlib.contextmanager
def _problem_lines(args: argparse.Namespace) -> Iterator[IO[str] | None]:
    """check --problem-lines: every problem line, streamed into the file as found (written
    whole or not at all); nothing when not asked for."""
    if args.problem_lines is None:
        yield None
        return
    check_target(args.problem_lines, [args.file], "--problem-lines")
    if args.out is not None and args.problem_lines.resolve() == args.out.resolve():
        raise CodedError("same_file", first="--out", second="--problem-lines")
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
    from costcalc.compute.failclosed import (
        add_api_limit_problems,
        require_something_to_price,
        unpriced,
    )

    counter = None
    if exact is None:
        # No memo here: check counts each distinct block once itself, and a memo of every
        # request's text would hold them all.
        counter = Cl100kCounter()  # exact; builds the whole encoder only when it pays
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
    if blocked and gate is not None:
        # The cost is not known, so the gate fails in every form it is shown in (JSON
        # budget.passes, the HTML page, the Python API), not only in the exit status.
        gate = replace(gate, errors=(*gate.errors, *error_codes(missing.notes)))
    return outcomes.CheckResult(report, gate, missing, blocked)


def run_check(args: argparse.Namespace) -> int:
    apply_hit_rate_from(args)
    if args.budget is None:
        # Both only qualify the budget gate; without one they would be silently ignored.
        for flag, given in (("--against", args.against), ("--allow-unpriced", args.allow_unpriced)):
            if given:
                raise CodedError("needs_budget", flag=flag, what="qualifies the budget gate")
    pricing = load(args)
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
        reasons = [render(note) for note in missing.notes]
        if blocked and budget is not None:
            # The sentence names the unpriced requests itself; the verdict after it is the
            # priced requests' own.
            own = tuple(e for e in budget.errors if e not in error_codes(missing.notes))
            priced = replace(budget, errors=own)
            print(
                say("budget_unpriced", count=missing.count, reasons=reasons, check=priced),
                file=sys.stderr,
            )
            status = 1
        else:
            print(say("unpriced_left_out", count=missing.count, reasons=reasons), file=sys.stderr)
            status = report_budgets([budget] if budget else [], ["file"])
    else:
        status = report_budgets([budget] if budget else [], ["file"])
    if args.strict and report.batch.problems:
        count = sum(p.count for p in report.batch.problems.values())
        print(say("strict_problems", count=count), file=sys.stderr)
        status = 1
    return status


def gate_notices(report: Report) -> list[Notice]:
    """What fails check's budget gate besides the cost: the error-severity notices about the
    prices (not yet released on the date) and the error-severity problems (a request the API
    refuses, a retired model). Unpriced requests are gated apart (--allow-unpriced)."""
    from costcalc.compute.failclosed import UNPRICED_KINDS

    problems = [notice(k) for k in report.batch.problems if k not in UNPRICED_KINDS]
    return [*report.warnings, *problems]
