"""The --budget gate's verdict, as a sentence for the console and as a JSON object."""

from __future__ import annotations

from typing import Any

from costcalc import messages
from costcalc.compute.engine import BudgetCheck
from costcalc.fmt import plain


def budget_message(check: BudgetCheck) -> str:
    """The verdict in the words of messages.budget_verdict (one place for the English)."""
    return messages.budget_verdict(check)


def budget_dict(b: BudgetCheck) -> dict[str, Any]:
    return {
        "scenario": b.scenario,
        "case": b.case,
        "budget_usd": plain(b.budget),
        "total_usd": plain(b.total),
        "within": b.within,
        "over_by_usd": plain(b.over_by),
        # error-severity notice codes that fail the gate although the cost is within budget
        "failed_by": list(b.errors),
        "passes": b.passes,
    }
