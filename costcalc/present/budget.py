"""The --budget gate's verdict, as a sentence for the console and as a JSON object."""

from __future__ import annotations

from typing import Any

from costcalc import fmt
from costcalc.compute.engine import BudgetCheck
from costcalc.fmt import plain


def budget_message(check: BudgetCheck) -> str:
    if check.within:
        money = (
            f"within budget: {check.scenario} costs {fmt.usd_auto(check.total)} "
            f"of a {fmt.usd_auto(check.budget)} budget"
        )
    else:
        money = (
            f"over budget: {check.scenario} costs {fmt.usd_auto(check.total)}, budget "
            f"{fmt.usd_auto(check.budget)}, over by {fmt.usd_auto(check.over_by)}"
        )
    if not check.errors:
        return money
    n = len(check.errors)
    return (
        f"budget check failed: {n} error{'s' if n != 1 else ''} reported above "
        f"({', '.join(check.errors)}) fail{'s' if n == 1 else ''} the gate whatever the cost; "
        + money
    )


def budget_dict(b: BudgetCheck) -> dict[str, Any]:
    return {
        "scenario": b.scenario,
        "budget_usd": plain(b.budget),
        "total_usd": plain(b.total),
        "within": b.within,
        "over_by_usd": plain(b.over_by),
        # error-severity notice codes that fail the gate although the cost is within budget
        "failed_by": list(b.errors),
        "passes": b.passes,
    }
