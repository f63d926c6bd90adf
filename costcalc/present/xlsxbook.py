"""The parts every costcalc workbook shares: the XlsxWriter workbook with its formats, cells
that are always text or numbers (never a formula made from data), the Prices sheet's blocks
and the Notes sheet.

XlsxWriter is an optional extra (`pip install 'costcalc[xlsx]'`), imported only here and only
when --format xlsx is asked for. Output is byte-stable: the document's creation time is the
pricing date, not the clock.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from costcalc.errors import CodedError
from costcalc.messages.text import text
from costcalc.present.sheetcells import CLASSES, PriceBlock, cell
from costcalc.safe import plain_inert

INSTALL = text("sheet.install")
MAX_TEXT = 32767  # the longest text an XLSX cell holds

FORMATS: dict[str, dict[str, Any]] = {
    "head": {"bold": True, "bottom": 1, "text_wrap": True, "valign": "top"},
    "title": {"bold": True, "font_size": 12},
    "bold": {"bold": True},
    "usd": {"num_format": "$#,##0.00"},
    "usd_total": {"num_format": "$#,##0.00", "bold": True},
    "usd_fine": {"num_format": "$#,##0.00####"},
    "usd_fine_total": {"num_format": "$#,##0.00####", "bold": True},
    "tokens": {"num_format": "#,##0"},
    "input_tokens": {"num_format": "#,##0", "bg_color": "#FFF2CC"},
    "input_pct": {"num_format": "0.0####%", "bg_color": "#FFF2CC"},
    "input_text": {"bg_color": "#FFF2CC"},
    "input_number": {"num_format": "0.####", "bg_color": "#FFF2CC"},
    "pct": {"num_format": "0.0####%"},
    "factor": {"num_format": "0.0####"},
    "wrap": {"text_wrap": True, "valign": "top"},
}


def require_xlsxwriter() -> Any:
    """The xlsxwriter module, or the one-line error that says how to install it (exit 2)."""
    try:
        import xlsxwriter
    except ImportError:
        raise CodedError("xlsx_not_installed", install=INSTALL) from None
    return xlsxwriter


def cached(value: Any) -> Any:
    """A formula's stored result as XLSX holds it: Decimal as a number, None as empty text."""
    if isinstance(value, Decimal):
        return float(value)
    if value is None:
        return ""
    return value


class Book:
    """One workbook being written in memory."""

    def __init__(self, on: date, title: str) -> None:
        xlsxwriter = require_xlsxwriter()
        self._buffer = io.BytesIO()
        # Text is never turned into a formula, number or link: write_string is used for all
        # text anyway, and these make `write` safe too.
        self.wb = xlsxwriter.Workbook(
            self._buffer,
            {
                "in_memory": True,
                "strings_to_formulas": False,
                "strings_to_numbers": False,
                "strings_to_urls": False,
            },
        )
        self.wb.set_properties(
            {
                "title": title,
                "author": "costcalc",
                "created": datetime(on.year, on.month, on.day),
            }
        )
        self.f = {name: self.wb.add_format(spec) for name, spec in FORMATS.items()}

    def sheet(self, name: str, widths: Sequence[float], freeze: int = 1) -> Any:
        ws = self.wb.add_worksheet(name)
        for col, width in enumerate(widths):
            ws.set_column(col, col, width)
        if freeze:
            ws.freeze_panes(freeze, 0)
        return ws

    def text(self, ws: Any, row: int, col: int, value: object, fmt: str | None = None) -> None:
        """Data as text, always: a name that starts with '=' stays a name, and control and
        bidi characters are shown as escapes, as in the tables and the CSV (a name is one
        line, and a bidi override would make a cell read as something else)."""
        text = plain_inert(value)
        if len(text) > MAX_TEXT:
            text = text[: MAX_TEXT - 1] + "…"
        ws.write_string(row, col, text, self.f[fmt] if fmt else None)

    def number(self, ws: Any, row: int, col: int, value: Any, fmt: str) -> None:
        ws.write_number(row, col, cached(value), self.f[fmt])

    def formula(self, ws: Any, row: int, col: int, expr: str, fmt: str | None, value: Any) -> None:
        """A live formula with costcalc's own result as its stored value."""
        ws.write_formula(row, col, f"={expr}", self.f[fmt] if fmt else None, cached(value))

    def header(self, ws: Any, row: int, titles: Iterable[str]) -> None:
        for col, title in enumerate(titles):
            self.text(ws, row, col, title, "head")

    def name(self, name: str, sheet: str, row: int, col: int) -> str:
        """Define a workbook-scoped name for one cell and return it."""
        self.wb.define_name(name, f"={cell(row, col, sheet)}")
        return name

    def close(self) -> bytes:
        self.wb.close()
        return self._buffer.getvalue()


# The Prices sheet's name, written once: its tab and every formula that reads a rate from it.
PRICES = text("sheet.name.prices")
PRICE_HEAD = (text("sheet.head.row"), text("sheet.head.tokens_over"), *CLASSES)
# The labels of a model's facts on the Prices sheet; the last two hold numbers that formulas read.
PRICE_FACTS = (
    text("sheet.priced_as_of"),
    text("sheet.price_table_checked"),
    text("sheet.source"),
    text("sheet.batch_multiplier"),
    text("sheet.min_cache_tokens"),
)


def price_block(book: Book, ws: Any, row: int, model: Any, on: date, fast: bool) -> tuple:
    """Write one model's rates in force on `on` from `row`; return (its PriceBlock, next row).

    The standard row is the one in force on the date (a dated price is chosen here, when the
    workbook is written); tiers are the prompt-length tiers in effect on the date."""
    book.text(
        ws, row, 0, text("sheet.price.title", name=model.name, id=model.id, fast=fast), "title"
    )
    values = (on.isoformat(), model.checked.isoformat(), model.source, None, None)
    r = row + 1
    for label, value in zip(PRICE_FACTS, values, strict=True):
        book.text(ws, r, 0, label)
        if value is not None:
            book.text(ws, r, 1, value)
        r += 1
    book.number(ws, r - 2, 1, model.batch_multiplier, "factor")
    book.number(ws, r - 1, 1, model.min_cache_tokens, "tokens")
    multiplier, minimum = cell(r - 2, 1, PRICES), cell(r - 1, 1, PRICES)
    book.header(ws, r, PRICE_HEAD)
    r += 1
    rows = [(_standard_label(model, on, fast), None, model.fast if fast else model.prices_on(on))]
    if not fast:
        rows += [
            (text("sheet.price.tier", threshold=t.threshold), t.threshold, t.prices)
            for t in model.long_context
            if t.in_effect(on)
        ]
    standard: dict[str, str] = {}
    tiers: list[tuple[str, dict[str, str]]] = []
    for label, threshold, rates in rows:
        book.text(ws, r, 0, label)
        if threshold is not None:
            book.number(ws, r, 1, threshold, "tokens")
        at = {c: cell(r, 2 + i, PRICES) for i, c in enumerate(CLASSES)}
        for i, c in enumerate(CLASSES):
            book.number(ws, r, 2 + i, getattr(rates, c), "usd_fine")
        if threshold is None:
            standard = at
        else:
            tiers.append((cell(r, 1, PRICES), at))
        r += 1
    block = PriceBlock(standard, tuple(tiers), multiplier, minimum)
    return block, r + 1


def _standard_label(model: Any, on: date, fast: bool) -> str:
    if fast:
        return text("sheet.price.fast")
    for dated in model.dated_prices:
        if dated.in_effect(on):
            start = dated.effective_from.isoformat() if dated.effective_from else None
            until = dated.effective_until.isoformat() if dated.effective_until else None
            return text("sheet.price.dated", start=start, until=until)
    return text("sheet.price.standard")


HOW = tuple(
    text(code)
    for code in (
        "sheet.how.live",
        "sheet.how.rate",
        "sheet.how.caching",
        "sheet.how.hit_rate",
        "sheet.how.tiers",
        "sheet.how.price_row",
        "sheet.how.warnings",
        "sheet.how.sources",
    )
)
# The Notes sheet's name, and the headings of a warnings table after its first column.
NOTES = text("sheet.name.notes")
WARNING_HEAD = (text("sheet.head.code"), text("sheet.head.severity"), text("sheet.head.message"))


def notes_sheet(book: Book, warnings: Sequence[tuple[str, Any]], models: Sequence[Any]) -> None:
    """How the figures are computed, where each model's prices come from, then every warning
    as (for, code, severity, text)."""
    from costcalc.messages import render

    ws = book.sheet(NOTES, (22, 30, 10, 110), freeze=0)
    r = prices_head(book, ws, how_block(book, ws, 0, HOW) + 1)
    seen = set()
    for model, on in models:
        if model.id in seen:
            continue
        seen.add(model.id)
        r += 1
        for col, value in enumerate(
            (model.short_name, model.checked.isoformat(), on.isoformat(), model.source)
        ):
            book.text(ws, r, col, value)
    r += 1
    r += 1
    book.text(ws, r, 0, text("sheet.title.warnings"), "title")
    r += 1
    book.header(ws, r, (text("sheet.head.for"), *WARNING_HEAD))
    r += 1
    if not warnings:
        book.text(ws, r, 0, text("sheet.none"))
    for where, notice in warnings:
        book.text(ws, r, 0, where)
        book.text(ws, r, 1, notice.code)
        book.text(ws, r, 2, notice.severity.value)
        book.text(ws, r, 3, render(notice), "wrap")
        r += 1


def title_row(book: Book, ws: Any, row: int, title: str) -> int:
    """A section title at `row`; returns the next row."""
    book.text(ws, row, 0, title, "title")
    return row + 1


def how_block(book: Book, ws: Any, row: int, lines: Sequence[str]) -> int:
    """ "How the figures are computed" from `row`: one wrapped paragraph per line, across the
    first four columns; returns the row after it."""
    row = title_row(book, ws, row, text("sheet.title.how"))
    for line in lines:
        ws.merge_range(row, 0, row, 3, "")
        book.text(ws, row, 0, line, "wrap")
        ws.set_row(row, 45)
        row += 1
    return row


def prices_head(book: Book, ws: Any, row: int) -> int:
    """The Notes sheet's "Prices" title at `row` and its table's header; returns the header's
    row (each model's row follows it)."""
    row = title_row(book, ws, row, text("sheet.title.prices"))
    head = ("sheet.head.model", "sheet.price_table_checked", "sheet.priced_as_of", "sheet.source")
    book.header(ws, row, tuple(text(code) for code in head))
    return row
