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
from costcalc.present.sheetcells import CLASSES, PriceBlock, cell
from costcalc.safe import plain_inert

INSTALL = "pip install 'costcalc[xlsx]'"
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


PRICES = "Prices"
PRICE_HEAD = ("Row", "Prompt tokens over", *CLASSES)


def price_block(book: Book, ws: Any, row: int, model: Any, on: date, fast: bool) -> tuple:
    """Write one model's rates in force on `on` from `row`; return (its PriceBlock, next row).

    The standard row is the one in force on the date (a dated price is chosen here, when the
    workbook is written); tiers are the prompt-length tiers in effect on the date."""
    book.text(ws, row, 0, f"{model.name} ({model.id})" + (", fast mode" if fast else ""), "title")
    facts = (
        ("Priced as of", on.isoformat()),
        ("Price table checked", model.checked.isoformat()),
        ("Source", model.source),
        ("Batch multiplier", None),
        ("Minimum cacheable prefix (tokens)", None),
    )
    r = row + 1
    refs: dict[str, str] = {}
    for label, value in facts:
        book.text(ws, r, 0, label)
        if value is not None:
            book.text(ws, r, 1, value)
        refs[label] = cell(r, 1, PRICES)
        r += 1
    book.number(ws, r - 2, 1, model.batch_multiplier, "factor")
    book.number(ws, r - 1, 1, model.min_cache_tokens, "tokens")
    book.header(ws, r, PRICE_HEAD)
    r += 1
    rows = [(_standard_label(model, on, fast), None, model.fast if fast else model.prices_on(on))]
    if not fast:
        rows += [
            (f"prompt over {t.threshold:,} tokens", t.threshold, t.prices)
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
    block = PriceBlock(
        standard, tuple(tiers), refs["Batch multiplier"], refs["Minimum cacheable prefix (tokens)"]
    )
    return block, r + 1


def _standard_label(model: Any, on: date, fast: bool) -> str:
    if fast:
        return "fast mode (USD per million tokens)"
    for dated in model.dated_prices:
        if dated.in_effect(on):
            start = dated.effective_from.isoformat() if dated.effective_from else "the start"
            until = dated.effective_until.isoformat() if dated.effective_until else "now"
            return f"standard, dated row in force {start} to {until} (USD per million tokens)"
    return "standard (USD per million tokens)"


HOW = (
    "Every cost is a live formula over the Inputs sheet and the Prices sheet; yellow cells are "
    "inputs. Edit them and the totals follow, as costcalc would compute them for those inputs.",
    "A cost is tokens x rate / 1,000,000 (rates are USD per million tokens). Batched scenarios "
    "multiply every rate by the batch multiplier (the Message Batches API halves every price).",
    "Caching applies only when the shared prefix reaches the model's minimum cacheable length: "
    "then cache_writes requests write the prefix, the other requests read it at the cache-read "
    "rate, and the unique part and the output are never cached.",
    "With a hit rate, round(hit rate x requests) requests read the prefix and the rest write it "
    "(at least one write). The write rate is the 5-minute or 1-hour one, by ttl.",
    "A request whose prompt (shared + unique tokens) is over a prompt-length tier's threshold "
    "pays that tier's row on every class, output included.",
    "The price row is the one in force on the pricing date, chosen when the workbook was "
    "written; to price another model or date, run costcalc again.",
    "The warnings below are costcalc's for the inputs as written; after editing inputs, run "
    "costcalc again to see the warnings for them (for example the context-window limit).",
    "Sources: https://platform.claude.com/docs/en/about-claude/pricing , "
    "https://platform.claude.com/docs/en/build-with-claude/batch-processing , "
    "https://platform.claude.com/docs/en/build-with-claude/prompt-caching",
)


def notes_sheet(book: Book, warnings: Sequence[tuple[str, Any]], models: Sequence[Any]) -> None:
    """How the figures are computed, where each model's prices come from, then every warning
    as (for, code, severity, text)."""
    from costcalc.messages import render

    ws = book.sheet("Notes", (22, 30, 10, 110), freeze=0)
    r = how_block(book, ws, 0, HOW)
    r = title_row(book, ws, r + 1, "Prices")
    book.header(ws, r, ("Model", "Price table checked", "Priced as of", "Source"))
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
    book.text(ws, r, 0, "Warnings", "title")
    r += 1
    book.header(ws, r, ("For", "Code", "Severity", "Message"))
    r += 1
    if not warnings:
        book.text(ws, r, 0, "none")
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
    row = title_row(book, ws, row, "How the figures are computed")
    for line in lines:
        ws.merge_range(row, 0, row, 3, "")
        book.text(ws, row, 0, line, "wrap")
        ws.set_row(row, 45)
        row += 1
    return row
