"""Exceptions that carry a one-line message meant for the user.

The CLI turns every `CostcalcError` into that line on stderr and exit status 2, so messages name
the problem and the fix, and never need a traceback to make sense.
"""


class CostcalcError(Exception):
    """Bad input: the message is shown to the user as it is."""


class PricingError(CostcalcError):
    """The pricing file is missing, unreadable or invalid."""


class OutputError(CostcalcError):
    """Standard output could not be written (a full disk, a closed pipe, an I/O error): the
    OS's reason, one line, exit status 2 like any other input/output problem."""

    def __init__(self, exc: OSError) -> None:
        self.errno = exc.errno
        reason = exc.strerror or str(exc) or type(exc).__name__
        super().__init__(f"cannot write standard output: {reason}")


class UnknownModelError(CostcalcError):
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
        if dated_form_of is not None:
            message = (
                f"unknown model {name!r}: Anthropic publishes no snapshot with this date; "
                f"the model's id is {dated_form_of!r} (use --model {dated_form_of})"
            )
        elif checked is not None:
            hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else "."
            message = (
                f"unknown model {name!r}{hint} If it is a Claude model newer than the price "
                f"table (checked {checked}), copy the table ('costcalc models' ends with its "
                "path), add an entry for it under models: and pass the copy with --pricing FILE"
            )
        else:
            hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
            message = (
                f"unknown model {name!r}{hint} ('costcalc models' lists every model and alias)"
            )
        super().__init__(message)


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
        from costcalc.messages import render_error

        return render_error(self.code, self.figures)


class CodedWorkloadError(CodedError, WorkloadError):
    """A coded error about the workload (callers that catch WorkloadError catch it too)."""


class CodedPricingError(CodedError, PricingError):
    """A coded error about the pricing file (callers that catch PricingError catch it too)."""
