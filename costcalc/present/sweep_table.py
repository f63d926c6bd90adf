"""`costcalc sweep` as a table: the total cost of every combination of the swept parameters."""

from __future__ import annotations

from decimal import Decimal

from rich.console import Group, RenderableType
from rich.text import Text

from costcalc import fmt
from costcalc.compute.outcomes import SweepResult
from costcalc.compute.planning import SweepPoint
from costcalc.messages.text import text
from costcalc.present.grid import Row, grid
from costcalc.present.notices_table import warnings_text


def _param_text(value: object) -> str:
    if isinstance(value, int):
        return fmt.tokens(value)
    if value is None:
        return "—"
    return str(value)


def sweep_view(points: list[SweepPoint], names: list[str]) -> RenderableType:
    scenarios = [s.name for s in points[0].analysis.estimate.scenarios]
    rows: list[Row] = []
    for p in points:
        est = p.analysis.estimate
        rows.append(
            (
                [
                    *(_param_text(p.params[n]) for n in names),
                    *(fmt.usd_auto(est.scenario(s).total) for s in scenarios),
                    fmt.pct(est.scenario(scenarios[-1]).savings_pct),
                ],
                False,
            )
        )
    columns = [
        *((n, "right") for n in names),
        *((s, "right") for s in scenarios),
        (text("estimate.col_saved"), "right"),
    ]
    parts: list[RenderableType] = [grid(text("sweep.title"), columns, rows)]
    # Warnings about the prices themselves (unconfirmed_price), once per model.
    price_warnings = {
        (w.code, p.analysis.estimate.model.id): w
        for p in points
        for w in p.analysis.estimate.warnings
        if w.code == "unconfirmed_price"
    }
    warned = warnings_text(price_warnings.values())
    if warned is not None:
        parts.append(warned)
    seen: set[tuple[str, str]] = set()
    notes = Text()
    for p in points:
        a = p.analysis
        key = (a.estimate.model.id, a.estimate.workload.ttl)
        if key in seen or a.min_requests_for_caching is None:
            continue
        seen.add(key)
        note = text(
            "sweep.pays_off",
            model=a.estimate.model.short_name,
            min_requests=a.min_requests_for_caching,
            rate=fmt.pct((a.break_even_hit_rate or Decimal(0)) * 100),
            ttl=key[1],
        )
        notes.append(f"{note}\n")
    notes.rstrip()
    parts += ["", notes]
    return Group(*parts)


def sweep_table(result: SweepResult) -> RenderableType:
    return sweep_view(result.points, list(result.swept))
