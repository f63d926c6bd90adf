"""`costcalc sweep` as CSV and JSON: estimate's rows and documents, one per combination."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from costcalc.compute.outcomes import SweepResult
from costcalc.compute.planning import SweepPoint
from costcalc.fmt import plain
from costcalc.present.csv_writer import to_csv
from costcalc.present.estimate_data import ESTIMATE_CSV_HEADER, analysis_dict, analysis_rows
from costcalc.version import __version__


def _param(value: Any) -> Any:
    return plain(value) if isinstance(value, Decimal) else value


def sweep_json(result: SweepResult) -> dict[str, Any]:
    points, swept = result.points, result.swept
    return {
        "costcalc_version": __version__,
        "swept": {name: [_param(v) for v in values] for name, values in swept.items()},
        "points": [
            {"params": {k: _param(v) for k, v in p.params.items()}, **analysis_dict(p.analysis)}
            for p in points
        ],
    }


def sweep_csv(result: SweepResult) -> str:
    points: list[SweepPoint] = result.points
    names = list(result.swept)
    header = [f"swept_{n}" for n in names] + ESTIMATE_CSV_HEADER
    rows = (
        [_param(p.params[n]) for n in names] + row
        for p in points
        for row in analysis_rows(p.analysis)
    )
    return to_csv(header, rows)
