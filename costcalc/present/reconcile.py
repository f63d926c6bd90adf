"""`costcalc reconcile` laid out: a table for people, CSV (one row per cell), JSON (the schema in
costcalc/schemas/reconcile.schema.json). Nothing is computed here."""

from __future__ import annotations

from typing import Any

from rich.console import Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from costcalc import fmt
from costcalc.compute.outcomes import ReconcileResult
from costcalc.compute.reconcile import NOT_COMPARED, BatchCheck, Cell
from costcalc.fmt import plain
from costcalc.messages.text import text
from costcalc.present.budget import budget_dict, budget_message
from costcalc.present.csv_writer import to_csv
from costcalc.present.grid import text_cell as _cell
from costcalc.present.grid import titled_table as _table
from costcalc.present.notices_data import notices_list
from costcalc.present.notices_table import warnings_text
from costcalc.version import __version__

CSV_HEADER = [
    "day",
    "model",
    "service_tier",
    "token_type",
    "tokens",
    "usage_priced_usd",
    "billed_usd",
    "difference_usd",
    "status",
    "reason",
    "workspace_id",
]


def _opt(value: Any) -> str | None:
    return None if value is None else plain(value)


def cell_dict(c: Cell) -> dict[str, Any]:
    return {
        "day": c.day.isoformat(),
        "model": c.model,
        "service_tier": c.service_tier,
        "token_type": c.token_type,
        "tokens": c.tokens,
        "usage_priced_usd": _opt(c.priced),
        "billed_usd": _opt(c.billed),
        "difference_usd": _opt(c.difference),
        "status": c.status,
        "reason": c.reason,
        "workspace_id": c.workspace_id,
    }


def _batch_dict(b: BatchCheck | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {
        "results_files": [
            {
                "file": f.label,
                "total_usd": plain(f.total),
                "priced_on": f.priced_on.isoformat(),
                "low_usd": plain(f.low),
                "high_usd": plain(f.high),
                "unpriced_requests": f.unpriced,
            }
            for f in b.files
        ],
        "results_usd": plain(b.results_usd),
        "batch_billed_usd": plain(b.batch_billed_usd),
        "share_pct": _opt(b.share_pct),
        "input_billed_usd": plain(b.input_billed_usd),
        "input_at_standard_usd": plain(b.input_list_usd),
        "effective_input_pct": _opt(b.effective_input_pct),
        "floor_pct": _opt(b.floor_pct),
    }


def reconcile_json(result: ReconcileResult) -> dict[str, Any]:
    r = result.rec
    return {
        "costcalc_version": __version__,
        "from": r.start.isoformat(),
        "to": r.end.isoformat(),
        "usage_priced_usd": plain(r.usage_priced_usd),
        "billed_usd": plain(r.billed_usd),
        "difference_usd": plain(r.difference_usd),
        "not_compared_billed_usd": plain(r.not_compared_billed_usd),
        "agree": r.agrees,
        "unpriced_cells": len(r.unpriced),
        "differences": [cell_dict(c) for c in r.differences],
        "not_compared": [cell_dict(c) for c in r.cells if c.status == NOT_COMPARED],
        "cells": [cell_dict(c) for c in r.cells],
        "batch": _batch_dict(r.batch),
        "budget": budget_dict(result.budget) if result.budget else None,
        "notices": notices_list(r.notices),
    }


def reconcile_csv(result: ReconcileResult) -> str:
    rows = [
        [
            c.day.isoformat(),
            c.model,
            c.service_tier,
            c.token_type,
            c.tokens,
            _opt(c.priced),
            _opt(c.billed),
            _opt(c.difference),
            c.status,
            c.reason,
            c.workspace_id,
        ]
        for c in result.rec.cells
    ]
    return to_csv(CSV_HEADER, rows)


def _money(value: Any) -> str:
    return "-" if value is None else fmt.usd_auto(value)


_COLUMNS: tuple[tuple[str, JustifyMethod], ...] = (
    ("reconcile.col_day", "left"),
    ("reconcile.col_model", "left"),
    ("reconcile.col_tier", "left"),
    ("reconcile.col_token_type", "left"),
    ("reconcile.col_tokens", "right"),
    ("reconcile.col_costcalc", "right"),
    ("reconcile.col_billed", "right"),
    ("reconcile.col_difference", "right"),
    ("reconcile.col_status", "left"),
)


def _cells_table(cells: list[Cell], title: str) -> Table:
    t = _table(title)
    for code, justify in _COLUMNS:
        t.add_column(text(code), justify=justify, overflow="fold")
    for c in cells:
        status = c.status if c.status != NOT_COMPARED else (c.reason or "")
        t.add_row(
            *(
                _cell(v)
                for v in (
                    c.day.isoformat(),
                    c.model or "-",
                    c.service_tier or "-",
                    c.token_type,
                    fmt.tokens(c.tokens),
                    _money(c.priced),
                    _money(c.billed),
                    _money(c.difference),
                    status,
                )
            )
        )
    return t


def _summary(result: ReconcileResult) -> Text:
    r = result.rec
    out = Text()
    out.append(
        text("reconcile.title", start=r.start.isoformat(), end=r.end.isoformat()) + "\n",
        style="bold",
    )
    rows = (
        ("reconcile.billed", r.billed_usd),
        ("reconcile.priced", r.usage_priced_usd),
        ("reconcile.difference", r.difference_usd),
        ("reconcile.not_compared_billed", r.not_compared_billed_usd),
    )
    for code, value in rows:
        out.append(f"  {text(code):<30}{fmt.usd_auto(value):>16}\n")
    cells = text(
        "reconcile.cells",
        agree=sum(1 for c in r.cells if c.status == "agree"),
        differ=len(r.differences),
        not_compared=sum(1 for c in r.cells if c.status == NOT_COMPARED),
    )
    out.append("  " + cells)
    return out


def _batch_text(b: BatchCheck) -> Text:
    out = Text()
    out.append(text("reconcile.batch_title") + "\n", style="bold")
    for f in b.files:
        spread = f.low != f.high
        line = text(
            "reconcile.batch_file",
            file=plain_name(f.label),
            total=fmt.usd(f.total),
            priced_on=f.priced_on.isoformat() if spread else None,
            low=fmt.usd(f.low),
            high=fmt.usd(f.high),
            unpriced=f.unpriced,
        )
        out.append(f"  {line}\n")
    if b.files:
        share = "-" if b.share_pct is None else fmt.pct(b.share_pct)
        results = text(
            "reconcile.results_share",
            results=fmt.usd(b.results_usd),
            billed=fmt.usd(b.batch_billed_usd),
            share=share,
        )
        out.append(f"  {results}\n")
    if b.effective_input_pct is None:
        out.append("  " + text("reconcile.no_batch_input"))
        return out
    floor = "-" if b.floor_pct is None else fmt.pct(b.floor_pct, 2)
    batch_input = text(
        "reconcile.batch_input",
        billed=fmt.usd(b.input_billed_usd),
        share=fmt.pct(b.effective_input_pct, 2),
        standard=fmt.usd(b.input_list_usd),
        floor=floor,
    )
    out.append("  " + batch_input)
    return out


def plain_name(name: str) -> str:
    from costcalc.safe import plain_inert

    return plain_inert(name)


def reconcile_table(result: ReconcileResult) -> RenderableType:
    r = result.rec
    parts: list[RenderableType] = [_summary(result)]
    if r.differences:
        parts.append(_cells_table(r.differences, text("reconcile.differences_title")))
    aside = [c for c in r.cells if c.status == NOT_COMPARED]
    if aside:
        parts.append(_cells_table(aside, text("reconcile.not_compared_title")))
    if r.batch is not None:
        parts.append(_batch_text(r.batch))
    warnings = warnings_text(r.notices)
    if warnings is not None:
        parts.append(warnings)
    if result.budget is not None:
        parts.append(Text(budget_message(result.budget)))
    return Group(*parts)
