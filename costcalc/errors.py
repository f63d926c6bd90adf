"""Exceptions that carry a one-line message meant for the user.

The CLI turns every `CostcalcError` into that line on stderr and exit status 2, so messages name
the problem and the fix, and never need a traceback to make sense.
"""

from enum import IntEnum

from costcalc.messages import render_error


class Exit(IntEnum):
    """The exit status of every command, the same for all of them (README "Exit status"):
    a CI job can tell a failed gate from a broken run."""

    OK = 0  # done; within every budget asked for
    GATE_FAILED = 1  # over a budget, a gate whose cost is not known, or --strict problems
    BAD_INPUT = 2  # bad input or usage, or output that could not be written whole
    INTERNAL = 3  # a bug in costcalc (--debug shows the traceback)
    INTERRUPTED = 130  # Ctrl-C, as shells report SIGINT


class CostcalcError(Exception):
    """Bad input: the message is shown to the user as it is."""


class PricingError(CostcalcError):
    """The pricing file is missing, unreadable or invalid."""


class WorkloadError(CostcalcError):
    """The workload cannot be priced (impossible counts, over the context window, ...)."""


class CodedError(CostcalcError):
    """An error whose line is rendered from a stable `code` and its `figures` (messages.ERRORS),
    so the module that raises it writes no prose and names no flag."""

    def __init__(self, code: str, **figures: object) -> None:
        super().__init__(code)
        self.code = code
        self.figures = figures

    def __str__(self) -> str:
        return render_error(self.code, self.figures)


class CodedWorkloadError(CodedError, WorkloadError):
    """A coded error about the workload (callers that catch WorkloadError catch it too)."""


class CodedPricingError(CodedError, PricingError):
    """A coded error about the pricing file (callers that catch PricingError catch it too)."""


class CodedValueError(CodedError, ValueError):
    """A coded error raised where a ValueError is the contract: the parsers of what people type
    (argparse shows its text; callers catch ValueError) and the validators of pydantic models
    (pydantic puts its text into the ValidationError). Its text is rendered from messages."""


class OutputError(CodedError):
    """Standard output could not be written (a full disk, a closed pipe, an I/O error): the
    OS's reason, one line, exit status 2 like any other input/output problem."""

    def __init__(self, exc: OSError) -> None:
        self.errno = exc.errno
        reason = exc.strerror or str(exc) or type(exc).__name__
        super().__init__("stdout_unwritable", reason=reason)


class UnknownModelError(CodedError):
    """No model in the pricing data has this name."""

    def __init__(
        self,
        name: str,
        suggestions: list[str],
        *,
        dated_form_of: str | None = None,
        checked: str | None = None,
    ) -> None:
        self.name = name
        self.suggestions = suggestions
        self.checked = checked
        super().__init__(
            "unknown_model",
            name=name,
            suggestions=suggestions,
            dated_form_of=dated_form_of,
            checked=checked,
        )
