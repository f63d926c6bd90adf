"""Exceptions that carry a one-line message meant for the user.

The CLI turns every `CostcalcError` into that line on stderr and exit status 2, so messages name
the problem and the fix, and never need a traceback to make sense.
"""


class CostcalcError(Exception):
    """Bad input: the message is shown to the user as it is."""


class PricingError(CostcalcError):
    """The pricing file is missing, unreadable or invalid."""


class UnknownModelError(CostcalcError):
    """No model in the pricing data has this name."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(
            f"unknown model {name!r}{hint} ('costcalc models' lists every model and alias)"
        )


class WorkloadError(CostcalcError):
    """The workload cannot be priced (impossible counts, over the context window, ...)."""
