"""`costcalc plan` as a table: each job's cost by scenario, and the total."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from costcalc import fmt
from costcalc.compute.outcomes import PlanResult
from costcalc.compute.planning import Analysis, scenario_total
from costcalc.messages.text import text
from costcalc.present.grid import Row, grid
from costcalc.present.notices_table import warnings_text
from costcalc.safe import plain_inert


def plan_view(jobs: list[tuple[str, Analysis]], totals: dict) -> RenderableType:
    names = list(totals)
    rows: list[Row] = []
    for job, a in jobs:
        est = a.estimate
        rows.append(
            (
                [job, est.model.short_name, *(fmt.usd_auto(scenario_total(a, n)) for n in names)],
                False,
            )
        )
    rows[-1] = (rows[-1][0], True)
    rows.append(([text("plan.total"), "", *(fmt.usd_auto(totals[n]) for n in names)], False))
    columns = [
        (text("plan.col_job"), "left"),
        (text("estimate.col_model"), "left"),
        *((n, "right") for n in names),
    ]
    parts: list[RenderableType] = [grid(text("plan.title"), columns, rows, highlight=len(rows) - 1)]
    for job, a in jobs:
        warned = warnings_text(a.warnings)
        if warned is not None:
            parts += ["", Text(plain_inert(job), style="bold"), warned]
    return Group(*parts)


def plan_table(result: PlanResult) -> RenderableType:
    return plan_view(result.jobs, result.totals)
