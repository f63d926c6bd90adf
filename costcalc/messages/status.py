"""The English of what commands say besides warnings: TTL advice, budget verdicts, status lines
on stderr."""

from __future__ import annotations

from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from costcalc import fmt
from costcalc.messages.common import F, _pct, counted

# Why costcalc recommends a cache TTL (compute.planning.TtlAdvice.code), from the advice's figures.
TTL_REASONS: dict[str, Callable[[Any], str]] = {
    "fast_real_time": lambda t: (
        "real-time requests that arrive at least every 5 minutes keep a 5m entry alive "
        "(every hit refreshes it at no cost); choose 1h only for gaps longer than that"
    ),
    "five_minutes_cheaper": lambda t: (
        f"with {_pct(t.hit_rate)} cache hits on 5m, even 100% hits on 1h would cost more"
    ),
    "batches_run_long": lambda t: (
        "batches often run longer than 5 minutes and their requests run concurrently, and "
        "Anthropic recommends the 1-hour TTL for batches with shared context; at equal hit "
        f"rates 1h costs more, and pays for itself if it lifts the hit rate from "
        f"{_pct(t.hit_rate)} to {_pct(t.hit_rate_for_1h_to_match)} or more"
    ),
}


def ttl_reason(advice: Any) -> str:
    """Why the TTL advice recommends what it does, in words."""
    return TTL_REASONS[advice.code](advice)


# What a gate compares, where its scenario is not a scenario's name.
_SUBJECTS = {"real_bill": "the real bill"}


def budget_subject(check: Any) -> str:
    """What a gate (engine.BudgetCheck) compares with its budget: a scenario, the real bill, a
    group, and for check the case ("batch_cache (worst case)", "group beta (expected case)")."""
    if check.group is not None:
        what = f"group {check.group}"
    else:
        what = _SUBJECTS.get(check.scenario, check.scenario)
    return what + (f" ({check.case} case)" if check.case else "")


def budget_verdict(check: Any) -> str:
    """A budget gate's verdict (engine.BudgetCheck): within or over, and the error-severity
    notices that fail the gate whatever the cost."""
    total, budget, over = _gate_amounts(check.total, check.budget, check.over_by)
    subject = budget_subject(check)
    if check.within:
        money = f"within budget: {subject} costs {total} of a {budget} budget"
    else:
        money = f"over budget: {subject} costs {total}, budget {budget}, over by {over}"
    if not check.errors:
        return money
    n = len(check.errors)
    return (
        f"budget check failed: {counted(n, 'error')} reported above "
        f"({', '.join(check.errors)}) fail{'s' if n == 1 else ''} the gate whatever the cost; "
        + money
    )


def priced_alone(
    check: Any, at_least: bool = False, subject: str = "the priced requests alone"
) -> str:
    """What the priced requests alone cost against a budget, for a gate that has already
    failed (unpriced requests, unreadable lines, lower-bound prices): stated once, without a
    second verdict. `at_least`: the cost is a lower bound. Error-severity notices that would
    fail the gate anyway are named once, before the figures."""
    total, budget, over = _gate_amounts(check.total, check.budget, check.over_by)
    least = "at least " if at_least else ""
    if check.within:
        money = f"cost {least}{total} of a {budget} budget"
    else:
        money = f"cost {least}{total}, over the {budget} budget by {least}{over}"
    errors = ""
    if check.errors:
        n = len(check.errors)
        errors = (
            f"{counted(n, 'error')} reported above ({', '.join(check.errors)}) also "
            f"fail{'s' if n == 1 else ''} the gate; "
        )
    return errors + f"{subject} {money}"


def _gate_amounts(total: Decimal, budget: Decimal, over: Decimal) -> tuple[str, str, str]:
    """The three amounts of a verdict, each as usd_auto shows it, unless that would show the
    budget other than as typed or make "costs X, budget Y, over by Z" disagree (X - Y != Z):
    then each exactly when that takes at most 10 decimals, else all three at the one number of
    decimals at which they agree."""
    shown = [fmt.usd_auto(v) for v in (total, budget, over)]
    typed = max(0, -int(budget.normalize().as_tuple().exponent))
    places = max(_decimals(shown[0]), _decimals(shown[1]))
    if total <= budget:
        as_typed = shown[1] if typed <= _decimals(shown[1]) else fmt.usd(budget, min(typed, 10))
        return shown[0], as_typed, shown[2]
    if typed <= places and _agree(total, budget, over, places):
        return fmt.usd(total, places), fmt.usd(budget, places), fmt.usd(over, places)
    exact = [max(2, -int(v.normalize().as_tuple().exponent)) for v in (total, budget, over)]
    if max(exact) <= 10:  # each amount shown whole: they subtract as they are
        return tuple(fmt.usd(v, p) for v, p in zip((total, budget, over), exact))  # type: ignore[return-value]
    places = max(places, min(typed, 10))
    while places < 10 and total > budget and not _agree(total, budget, over, places):
        places += 1
    return fmt.usd(total, places), fmt.usd(budget, places), fmt.usd(over, places)


def _decimals(text: str) -> int:
    return len(text.partition(".")[2])


def _agree(total: Decimal, budget: Decimal, over: Decimal, places: int) -> bool:
    q = Decimal(1).scaleb(-places)
    return total.quantize(q, ROUND_HALF_UP) - budget.quantize(q, ROUND_HALF_UP) == over.quantize(
        q, ROUND_HALF_UP
    ) and bool(over.quantize(q, ROUND_HALF_UP))


def _unpriced(f: F) -> str:
    return f"{counted(f['count'], 'request')} could not be priced ({'; '.join(f['reasons'])})"


# The lines a command writes to stderr itself (after its report): verdicts of its gates, files
# it wrote besides its output, figures it measured. Each is rendered by `say`.
SAID: dict[str, Callable[[F], str]] = {
    "budget": lambda f: (f"{f['label']}: " if f.get("label") else "") + budget_verdict(f["check"]),
    "budget_unpriced": lambda f: (
        f"budget check failed: {_unpriced(f)}, so the cost is not known; "
        f"{priced_alone(f['check'])} (--allow-unpriced to gate on them)"
    ),
    "unpriced_left_out": lambda f: (
        f"warning: {_unpriced(f)} and {'is' if f['count'] == 1 else 'are'} not in the cost"
    ),
    "strict_problems": lambda f: f"{counted(f['count'], 'problem')} found (--strict)",
    "wrote": lambda f: f"wrote {f['path']}",
    "hit_rate_measured": lambda f: (
        f"hit rate {f['rate']} measured from {f['file']}: cache reads over cache reads and "
        f"writes of {counted(f['succeeded'], 'succeeded request')} ({f['cached']:,} with cached "
        "tokens)"
    ),
    "warning": lambda f: f"warning: {f['text']}",
    # check --budget-per-group
    "group_budget_unpriced": lambda f: (
        f"budget check failed: {counted(f['count'], 'request')} could not be priced and may be "
        f"in any group, so no group's cost is known; "
        f"{priced_alone(f['check'])} (--allow-unpriced to gate on them)"
    ),
    "group_budgets_passed": lambda f: f"within budget: {counted(f['count'], 'group')} passed",
    # actual over many files: a gate's verdict (reportview.gate_text renders it), how many
    # gates passed, and a file's warnings (the table shows them; other formats say them here).
    "gate": lambda f: f["verdict"],
    "gates_passed": lambda f: f"within budget: {f['count']:,} gates passed",
    "file_warning": lambda f: f"warning: {f['file']}: {f['text']}",
}


def say(code: str, **figures: Any) -> str:
    """One line a command writes to stderr, 'costcalc: ...', from its code and figures."""
    return f"costcalc: {SAID[code](figures)}"
