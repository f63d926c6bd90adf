"""The English of every warning, problem, error and status line, rendered from a code and its
figures: the one place such text is written, and the one place it names a command-line flag.

Families: estimate_warnings, actual_warnings, check_warnings, reconcile_warnings (warnings and
problems), errors (coded errors, exit status 2), status (TTL advice, budget verdicts, stderr
lines); common holds what they share."""

from __future__ import annotations

from collections.abc import Callable

from costcalc.messages import actual_warnings, check_warnings, estimate_warnings, reconcile_warnings
from costcalc.messages.common import RESULT_PROBLEMS, Coded, F, counted
from costcalc.messages.errors import ERRORS, render_error
from costcalc.messages.status import SAID, TTL_REASONS, budget_verdict, say, ttl_reason
from costcalc.notices import COMMANDS

MESSAGES: dict[str, tuple[str, Callable[[F], str]]] = {
    **estimate_warnings.MESSAGES,
    **actual_warnings.MESSAGES,
    **check_warnings.MESSAGES,
    **reconcile_warnings.MESSAGES,
}

__all__ = [
    "ERRORS",
    "MESSAGES",
    "RESULT_PROBLEMS",
    "SAID",
    "TTL_REASONS",
    "Coded",
    "budget_verdict",
    "codes_table",
    "counted",
    "meaning",
    "render",
    "render_error",
    "result_problem_text",
    "say",
    "ttl_reason",
]


def render(item: Coded) -> str:
    """The English of a Notice (or of anything with a code and figures, such as a problem)."""
    return MESSAGES[item.code][1](item.figures)


def meaning(code: str) -> str:
    return MESSAGES[code][0]


def result_problem_text(code: str) -> str:
    """The phrase of an `actual` result-line problem, as its JSON `message` has it."""
    return RESULT_PROBLEMS[code]


def codes_table() -> str:
    """The table of every code in docs/output.md, "Warning and problem codes"
    (tests/test_notices.py keeps the page equal to it)."""
    rows = ["| Code | Severity | Command | Meaning |", "| --- | --- | --- | --- |"]
    for command, codes in COMMANDS.items():
        for code, severity in codes.items():
            rows.append(f"| `{code}` | {severity.value} | {command} | {meaning(code)} |")
    return "\n".join(rows) + "\n"
