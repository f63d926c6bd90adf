"""Workbooks of values for `check` and `actual` (--format xlsx): what was priced is fixed (a
request file, a results file), so these hold costcalc's totals and breakdowns as values, not
formulas.

Built from the command's JSON document (the same figures, the same codes): its scalar fields
on a Summary sheet (dotted paths, as in the JSON), every list of records on its own sheet.
Money (keys ending in `_usd`, and the `cost`/`totals` groups) becomes numbers in a currency
format; every other string stays text, so text from the files is never a formula or a number.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

from costcalc.compute.outcomes import ActualResult, CheckResult
from costcalc.messages.text import text
from costcalc.present.xlsxbook import Book

DECIMAL = re.compile(r"-?\d+(\.\d+)?\Z")
MONEY_GROUPS = {"cost", "totals"}
BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\']")


def check_xlsx(result: CheckResult) -> bytes:
    from costcalc.present.check_data import check_json

    on = getattr(result.report, "on", None)
    return document_xlsx(check_json(result), text("book.title_check"), on)


def actual_xlsx(result: ActualResult) -> bytes:
    from costcalc.present.actual_data import actual_json

    return document_xlsx(actual_json(result), text("book.title_actual"), None)


def document_xlsx(doc: dict[str, Any], title: str, on: date | None) -> bytes:
    book = Book(on or _doc_date(doc), title)
    scalars: list[tuple[str, Any]] = []
    tables: list[tuple[str, list[Any]]] = []
    _flatten(doc, "", scalars, tables)
    summary = text("book.sheet_summary")
    ws = book.sheet(summary, (46, 22, 60))
    book.header(ws, 0, (text("book.summary_field"), text("book.head_value")))
    book.text(ws, 0, 2, text("book.summary_note", title=title), "bold")
    for r, (path, value) in enumerate(scalars, start=1):
        book.text(ws, r, 0, path)
        _value(book, ws, r, 1, path, value)
    used = {summary}
    for path, rows in tables:
        _table(book, _sheet_name(path, used), path, rows)
    return book.close()


def _doc_date(doc: dict[str, Any]) -> date:
    for key in ("priced_on", "on"):
        value = doc.get(key)
        if isinstance(value, str):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
    return date(2000, 1, 1)  # a fixed date keeps the file byte-stable


def _flatten(
    value: Any, path: str, scalars: list[tuple[str, Any]], tables: list[tuple[str, list[Any]]]
) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(item, f"{path}.{key}" if path else str(key), scalars, tables)
    elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
        tables.append((path, value))
    elif isinstance(value, list):
        scalars.append((path, ", ".join(str(v) for v in value)))
    else:
        scalars.append((path, value))


def _kind(path: str) -> str | None:
    """How a decimal string at `path` is written: "usd", "ratio" or None (as text)."""
    parts = path.split(".")
    leaf = parts[-1]
    if any(word in leaf for word in ("rate", "pct", "ratio", "multiplier")) and not leaf.endswith(
        "_usd"
    ):
        return "ratio"
    # A member of a "..._usd" object is money too (cost_by_class_usd.input).
    if (
        leaf.endswith("_usd")
        or MONEY_GROUPS & set(parts[:-1])
        or (parts[-2:-1] and parts[-2].endswith("_usd"))
    ):
        return "usd"
    return None


def _value(book: Book, ws: Any, r: int, c: int, path: str, value: Any) -> None:
    if isinstance(value, bool) or value is None:
        book.text(ws, r, c, "" if value is None else str(value).lower())
    elif isinstance(value, int):
        book.number(ws, r, c, value, "tokens")
    elif isinstance(value, float):
        book.number(ws, r, c, value, "factor")
    elif isinstance(value, str) and DECIMAL.match(value) and _kind(path):
        book.number(ws, r, c, Decimal(value), "usd_fine" if _kind(path) == "usd" else "factor")
    else:
        book.text(ws, r, c, value if isinstance(value, str) else json.dumps(value))


def _table(book: Book, name: str, path: str, rows: list[Any]) -> None:
    flat = []
    for row in rows:
        scalars: list[tuple[str, Any]] = []
        nested: list[tuple[str, list[Any]]] = []
        _flatten(row if isinstance(row, dict) else {"value": row}, "", scalars, nested)
        # Records inside records (rare) are kept as their JSON text.
        scalars += [(key, json.dumps(value, default=str)) for key, value in nested]
        flat.append(dict(scalars))
    columns = list(dict.fromkeys(key for row in flat for key in row))
    ws = book.sheet(name, [max(12, min(40, len(c) + 4)) for c in columns])
    book.header(ws, 0, columns)
    for r, row in enumerate(flat, start=1):
        for c, key in enumerate(columns):
            if key in row:
                _value(book, ws, r, c, f"{path}.{key}", row[key])


def _sheet_name(path: str, used: set[str]) -> str:
    """A valid, unique sheet name (31 characters at most) for a JSON path."""
    base = BAD_SHEET_CHARS.sub(" ", path.replace(".", " "))[:28] or text("book.sheet_table")
    name, n = base, 2
    while name.lower() in {u.lower() for u in used}:
        name, n = f"{base[:26]} {n}", n + 1
    used.add(name)
    return name
