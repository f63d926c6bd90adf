"""`costcalc plan` as CSV and JSON: estimate's rows and documents, one per job, and the totals."""

from __future__ import annotations

from typing import Any

from costcalc.compute.outcomes import PlanResult
from costcalc.fmt import plain
from costcalc.present.budget import budget_dict
from costcalc.present.csv_writer import to_csv
from costcalc.present.estimate_data import ESTIMATE_CSV_HEADER, analysis_dict, analysis_rows
from costcalc.version import __version__


def plan_json(result: PlanResult) -> dict[str, Any]:
    jobs, totals, budget = result.jobs, result.totals, result.budget
    return {
        "costcalc_version": __version__,
        "jobs": [{"job": name, **analysis_dict(a)} for name, a in jobs],
        "totals": {name: plain(total) for name, total in totals.items()},
        "budget": budget_dict(budget) if budget else None,
    }


def plan_csv(result: PlanResult) -> str:
    jobs, totals = result.jobs, result.totals
    header = ["job", *ESTIMATE_CSV_HEADER]
    rows: list[list[Any]] = [[name, *row] for name, a in jobs for row in analysis_rows(a)]
    # Total rows carry only the job, scenario and total columns.
    total_at = header.index("total_usd")
    for scenario, total in totals.items():
        row: list[Any] = [""] * len(header)
        row[0], row[header.index("scenario")], row[total_at] = "TOTAL", scenario, plain(total)
        rows.append(row)
    return to_csv(header, rows)
