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
from costcalc.compute.check import check
from costcalc.compute.checkgroups import group_gates
from costcalc.compute.engine import compare_budget, error_codes
from costcalc.compute.failclosed import (
    UNPRICED_KINDS,
    add_api_limit_problems,
    require_something_to_price,
    unpriced,
)
from costcalc.compute.grouping import parse_keys
from costcalc.errors import CodedError, Exit
from costcalc.files.inputs import label
from costcalc.files.outputs import atomic_file, check_target
from costcalc.messages import render, say
from costcalc.notices import notice
from costcalc.present.registry import present
from costcalc.read.tags import read_tags
from costcalc.safe import plain_inert
from costcalc.tokens.subtable import Cl100kCounter

if TYPE_CHECKING:
    from costcalc.compute.check import Report
    from costcalc.notices import Notice

# The cli imports a command's module only when that command runs (cli.args.LazyRun), so this
# module imports what it uses here; only --exact's counter (the optional Anthropic SDK) waits.


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
    group_by: tuple[Any, ...] = (),
    budget_per_group: Any = None,
) -> outcomes.CheckResult:
    """check's result for a request file (a Path) or requests in memory (inmemory.InMemory):
    the priced report, the budget gate, what could not be priced. Shared by the CLI and the
    Python API (api.check), so both price by the same path. `problem_lines` receives every
    problem line as it is found (check --problem-lines). `group_by` (grouping.parse_keys) prices
    the file by group too, and `budget_per_group` gates each first-level group in the case the
    budget uses (`against`, worst by default)."""

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
        group_by=group_by,
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
        gate = compare_budget("batch_cache", total, budget, gate_notices(report), case=against)
    blocked = bool(missing.count) and gate is not None and not allow_unpriced
    if blocked and gate is not None:
        # The cost is not known, so the gate fails in every form it is shown in (JSON
        # budget.passes, the HTML page, the Python API), not only in the exit status.
        gate = replace(gate, errors=(*gate.errors, *error_codes(missing.notes)))
    if budget_per_group is not None and report.groups is not None:
        # Unpriced requests may be in any group: each group's gate fails on them (failed_by
        # names them too), unless --allow-unpriced.
        counted = 0 if allow_unpriced else missing.count
        notes = [*gate_notices(report), *(missing.notes if counted else ())]
        groups = group_gates(report.groups, budget_per_group, against or "worst", notes, counted)
        report = replace(report, groups=groups)
    return outcomes.CheckResult(report, gate, missing, blocked)


def run_check(args: argparse.Namespace) -> int:

    apply_hit_rate_from(args)
    if args.budget_per_group is not None and not args.group_by:
        raise CodedError("report_budget_per_group_needs_group_by")
    if args.budget is None and args.budget_per_group is None:
        # Both only qualify the budget gates; without one they would be silently ignored.
        for flag, given in (("--against", args.against), ("--allow-unpriced", args.allow_unpriced)):
            if given:
                raise CodedError("needs_budget", flag=flag, what="qualifies_gate")
    keys = parse_keys(args.group_by, read_tags)
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
            group_by=keys,
            budget_per_group=args.budget_per_group,
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
    status = max(status, _group_gates(report))
    if args.strict and report.batch.problems:
        count = sum(p.count for p in report.batch.problems.values())
        print(say("strict_problems", count=count), file=sys.stderr)
        status = 1
    return status


def _group_gates(report: Report) -> int:
    """--budget-per-group's verdicts on stderr (each failed group, or that all passed): 1 when
    a group failed."""

    gates = report.groups.gates if report.groups is not None else ()
    if not gates:
        return Exit.OK
    failed = [g for g in gates if not g.passed]
    for g in failed:
        if g.unpriced:
            line = say("group_budget_unpriced", count=g.unpriced, check=g.check)
        else:
            line = say("budget", check=g.check)
        print(plain_inert(line), file=sys.stderr)
    if not failed:
        print(say("group_budgets_passed", count=len(gates)), file=sys.stderr)
    return Exit.GATE_FAILED if failed else Exit.OK


def gate_notices(report: Report) -> list[Notice]:
    """What fails check's budget gate besides the cost: the error-severity notices about the
    prices (not yet released on the date) and the error-severity problems (a request the API
    refuses, a retired model). Unpriced requests are gated apart (--allow-unpriced)."""

    problems = [notice(k) for k in report.batch.problems if k not in UNPRICED_KINDS]
    return [*report.warnings, *problems]
