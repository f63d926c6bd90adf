"""The per-group HTML table both pages draw (actual's report, check's page): one row per group,
and with two --group-by levels a subtotal row before each first-level group's rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape
from typing import Any

from costcalc.messages.text import text


def group_table(
    table_id: str,
    levels: int,
    groups: Iterable[Any],
    subtotals: Iterable[Any],
    head: Sequence[str],
    cells: Callable[[Any], str],
) -> str:
    """`groups` and `subtotals` have `.key` (a tuple of names) and `.totals`; `cells(totals)`
    draws a row's figures, under the column names `head`. Names from files and the words of
    the headings are escaped."""
    two = levels > 1
    group = text("html.col.group")
    names = (group, text("html.col.subgroup")) if two else (group,)
    header = "".join(f"<th>{escape(h)}</th>" for h in (*names, *head))
    every = escape(text("html.cell.all"))
    subtotal = {g.key[0]: g for g in subtotals}
    rows = []
    shown = None
    for g in groups:
        if two and g.key[0] != shown:
            shown = g.key[0]
            rows.append(
                f'<tr class="sub"><td>{escape(shown)}</td><td>{every}</td>'
                f"{cells(subtotal[shown].totals)}</tr>"
            )
        keys = ("", g.key[1]) if two else (g.key[0],)
        names_cells = "".join(f"<td>{escape(k)}</td>" for k in keys)
        rows.append(f'<tr class="group">{names_cells}{cells(g.totals)}</tr>')
    body = "".join(rows)
    return f'<table id="{table_id}"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table>'
