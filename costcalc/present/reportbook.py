"""The workbook of a many-file report (`actual FILE... [--group-by KEY] --format xlsx --out
FILE.xlsx`): what each results file and each group cost, as numbers, with totals that are live
SUM formulas.

The usage in a results file is fixed, so every row holds costcalc's figures as values; what a
spreadsheet user may still change is a row (to see the month without one batch, say), so every
total is a formula over the rows: `SUM` of a column, the saving as standard minus cost, the
cache hit rate as cache-read tokens over every cached-prefix token. Each formula stores
costcalc's exact result as its value, so a viewer that does not recalculate shows the right
figures. Subtotals of a two-level grouping are SUMs of the rows of their first-level group
(never SUMIF: a group name such as `*` or `>0` would be read as a criterion, not a name).

Sheets: Summary (headline totals, budgets), Files (one row per results file and a TOTAL row),
Groups (one row per group, both key columns for two levels, a TOTAL row), Subtotals (two levels
only), Warnings (file, code, severity, text) and Notes (pricing date, price table date, how the
figures are computed). File names, group names and tags are always text cells.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from costcalc.compute.engine import USAGE_CLASSES
from costcalc.compute.grouping import Group, Totals
from costcalc.compute.manyresults import FileRow, Gate, Report
from costcalc.compute.outcomes import ReportResult
from costcalc.errors import CodedError
from costcalc.messages.text import text
from costcalc.present.sheetcells import cell, relative
from costcalc.present.xlsxbook import NOTES, WARNING_HEAD, Book, how_block, prices_head

MAX_ROWS = 1_048_576  # the most rows an XLSX sheet holds
FIXED_DATE = date(2000, 1, 1)  # a report without a pricing date still gets stable bytes
ZERO = Decimal(0)

# The figures of every Files/Groups row after its name columns, as (header, kind); the last two
# are formulas over the row (saving, hit rate), the others values.
MEASURES: tuple[tuple[str, str], ...] = (
    (text("sheet.report.requests"), "count"),
    (text("sheet.report.unpriced"), "count"),
    *((text("sheet.report.tokens", token_class=c), "count") for c in USAGE_CLASSES),
    (text("sheet.report.web_searches"), "count"),
    (text("sheet.report.cost"), "usd"),
    (text("sheet.report.standard"), "usd"),
    (text("sheet.report.saving"), "usd"),
    (text("sheet.report.hit_rate"), "rate"),
)
FIGURES = len(MEASURES) - 2  # the value columns
COST, STANDARD, SAVING, HIT = FIGURES - 2, FIGURES - 1, FIGURES, FIGURES + 1
TOKEN_COLUMN = {c: 2 + i for i, c in enumerate(USAGE_CLASSES)}
CACHED_PREFIX = ("cache_write_5m", "cache_write_1h", "cache_read")

HOW = tuple(
    text(code)
    for code in (
        "sheet.report.how.rows",
        "sheet.report.how.cost",
        "sheet.report.how.standard",
        "sheet.report.how.unpriced",
        "sheet.report.how.groups",
        "sheet.how.sources",
    )
)
# The sheets' names, each written once: its tab and every formula or defined name that reads it.
SUMMARY = text("sheet.name.summary")
FILES = text("sheet.name.files")
GROUPS = text("sheet.name.groups")


@dataclass(frozen=True)
class Row:
    """One Files or Groups row: its name cells and the values of its figure columns (a file
    shows read_results' own total as its cost, a group its groups' cost)."""

    names: tuple[str, ...]
    figures: tuple[Any, ...]  # the cost and standard figures are None when not priced
    lower: bool = False  # its cost is a lower bound


NOT_PRICED = text("sheet.report.not_priced")  # a money cell of a row all unpriced (never 0)
LOWER_NOTE = text("sheet.report.lower_note")  # the Note cell of a row whose cost is a lower bound
UNKNOWN_NOTE = text("sheet.report.unknown_note")  # ... of a row whose requests are all unpriced
TOTAL_NOTE = text("sheet.report.total_note")  # ... of a total with either row among its rows


def _row(names: tuple[str, ...], t: Totals, cost: Decimal) -> Row:
    tokens = (t.tokens[c] for c in USAGE_CLASSES)
    money = (cost, t.standard) if t.cost_known else (None, None)
    return Row(names, (t.requests, t.unpriced, *tokens, t.web_searches, *money), _lower(t))


def _lower(t: Totals) -> bool:
    """Whether `t`'s cost is not all there: a lower bound, or not known at all."""
    return t.cost_is_lower_bound or not t.cost_known


def report_xlsx(result: ReportResult) -> bytes:
    """The report's workbook, as bytes (the same report and date give the same bytes)."""
    r: Report = result.report
    on = result.on or FIXED_DATE
    files = [_row((f.file,), f.totals, f.total) for f in r.files]
    groups = [_row(g.key, g.totals, g.totals.cost) for g in r.groups] if r.group_by else []
    for rows in (files, groups):
        if len(rows) + 2 > MAX_ROWS:  # a header and a TOTAL row
            raise CodedError("xlsx_too_many_rows", rows=len(rows), limit=MAX_ROWS - 2)
    book = Book(on, text("sheet.report.title"))
    summary = book.sheet(SUMMARY, (40, 24, 16, 16, 18, 12, 10), freeze=0)
    _rows_sheet(book, FILES, (text("sheet.report.file"),), files)
    if r.group_by:
        heads = tuple(
            text("sheet.report.subgroup_by" if i else "sheet.report.group_by", spec=spec)
            for i, spec in enumerate(r.group_by)
        )
        _rows_sheet(book, GROUPS, heads, groups)
        if len(r.group_by) > 1:
            _subtotals_sheet(book, r.subtotals, groups, len(heads))
    _summary(book, summary, result, on, files, groups)
    _warnings_sheet(book, r.files)
    _notes_sheet(book, result, on)
    return book.close()


def _exact_sums(rows: Sequence[Row]) -> list[Any]:
    """Each figure column's exact total (Decimal for money, int otherwise); a row not priced
    adds nothing, as SUM skips its text cell."""
    return [
        sum(
            (row.figures[i] for row in rows if row.figures[i] is not None),
            ZERO if MEASURES[i][1] == "usd" else 0,
        )
        for i in range(FIGURES)
    ]


def _hit_rate(figures: Sequence[Any]) -> Decimal | None:
    cached = sum(figures[TOKEN_COLUMN[c]] for c in CACHED_PREFIX)
    return Decimal(figures[TOKEN_COLUMN["cache_read"]]) / cached if cached else None


def _hit_formula(ref: dict[str, str]) -> str:
    prefix = "+".join(ref[c] for c in CACHED_PREFIX)
    return f'IF(({prefix})>0,{ref["cache_read"]}/({prefix}),"")'


def _money_format(total: bool) -> str:
    return "usd_fine_total" if total else "usd_fine"


def _write_figures(
    book: Book,
    ws: Any,
    r: int,
    c0: int,
    figures: Sequence[Any],
    formulas: Sequence[str | None] | None = None,
) -> None:
    """One row's figures from column c0: values, or formulas (`formulas[i]`) whose stored
    result is `figures[i]`; then the saving and hit rate as formulas over the row."""
    total = formulas is not None
    for i, value in enumerate(figures):
        fmt = _money_format(total) if MEASURES[i][1] == "usd" else "tokens"
        formula = formulas[i] if formulas is not None else None
        if value is None:
            book.text(ws, r, c0 + i, NOT_PRICED)
        elif formula is None:
            book.number(ws, r, c0 + i, value, fmt)
        else:
            book.formula(ws, r, c0 + i, formula, fmt, value)
    if figures[COST] is None:
        book.text(ws, r, c0 + SAVING, NOT_PRICED)
    else:
        saving = f"{relative(r, c0 + STANDARD)}-{relative(r, c0 + COST)}"
        book.formula(
            ws, r, c0 + SAVING, saving, _money_format(total), figures[STANDARD] - figures[COST]
        )
    ref = {c: relative(r, c0 + col) for c, col in TOKEN_COLUMN.items()}
    book.formula(ws, r, c0 + HIT, _hit_formula(ref), "pct", _hit_rate(figures))


def _column_sum(sheet: str | None, col: int, first: int, last: int) -> str | None:
    """SUM over rows first..last of `col` (None when there are no rows: never a SUM that
    would take in the header)."""
    if last < first:
        return None
    return f"SUM({cell(first, col, sheet)}:{cell(last, col)})"


def _rows_sheet(book: Book, name: str, heads: tuple[str, ...], rows: Sequence[Row]) -> None:
    """One row per file or group, its name cells first; then a TOTAL row of column SUMs."""
    c0 = len(heads)
    note = c0 + len(MEASURES)  # the Note column: "lower bound" where the cost is one
    ws = book.sheet(name, (*(34 for _ in heads), *(15 for _ in MEASURES), 40))
    book.header(ws, 0, (*heads, *(h for h, _ in MEASURES), text("sheet.report.note")))
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row.names):
            book.text(ws, r, c, value)
        _write_figures(book, ws, r, c0, row.figures)
        if row.lower:
            book.text(ws, r, note, LOWER_NOTE if row.figures[COST] is not None else UNKNOWN_NOTE)
    last = len(rows)
    book.text(ws, last + 1, 0, text("sheet.report.total"), "bold")
    sums = [_column_sum(None, c0 + i, 1, last) for i in range(FIGURES)]
    _write_figures(book, ws, last + 1, c0, _exact_sums(rows), sums)
    if any(row.lower for row in rows):
        book.text(ws, last + 1, note, TOTAL_NOTE)


def _subtotals_sheet(book: Book, firsts: Sequence[Group], rows: Sequence[Row], c0: int) -> None:
    """Each first-level group's subtotal: SUMs of its rows on the Groups sheet."""
    ws = book.sheet(text("sheet.name.subtotals"), (34, *(15 for _ in MEASURES)))
    book.header(ws, 0, (text("sheet.report.group"), *(h for h, _ in MEASURES)))
    where: dict[str, list[int]] = {}
    for i, row in enumerate(rows, start=1):
        where.setdefault(row.names[0], []).append(i)
    for r, g in enumerate(firsts, start=1):
        name = g.key[0]
        book.text(ws, r, 0, name)
        mine = where.get(name, [])
        sums = [f"SUM({','.join(_runs(mine, c0 + i))})" if mine else None for i in range(FIGURES)]
        _write_figures(book, ws, r, 1, _exact_sums([rows[i - 1] for i in mine]), sums)


def _runs(rows: Sequence[int], col: int) -> Iterator[str]:
    """References to `rows` (ascending) of `col` on the Groups sheet, consecutive rows as one
    range (`grouping.ordered` keeps a first-level group's rows together: one range)."""
    start = prev = rows[0]
    for n in [*rows[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        ref = cell(start, col, GROUPS)
        yield ref if start == prev else f"{ref}:{cell(prev, col)}"
        if n is not None:
            start = prev = n


def _summary(
    book: Book,
    ws: Any,
    result: ReportResult,
    on: date,
    files: Sequence[Row],
    groups: Sequence[Row],
) -> None:
    """The headline: what was read and how, the totals as SUMs over the Files sheet (named
    total_cost, total_standard, total_saving), the groups' sum, the budget gates."""
    r: Report = result.report
    n = len(files)
    book.text(ws, 0, 0, text("sheet.report.heading", files=n), "title")
    facts = [
        (
            text("sheet.report.priced_as"),
            text("sheet.report.batch" if r.batch else "sheet.report.real_time"),
        ),
        (text("sheet.report.grouped_by"), text("sheet.report.grouping", keys=r.group_by)),
        (text("sheet.priced_as_of"), on.isoformat()),
    ]
    if result.pricing is not None:
        facts.append((text("sheet.price_table_checked"), result.pricing.checked.isoformat()))
    for row, (label, value) in enumerate(facts, start=1):
        book.text(ws, row, 0, label)
        book.text(ws, row, 1, value)
    top = len(facts) + 2
    book.header(ws, top, (text("sheet.report.files_total"), text("sheet.report.value")))
    sums = _exact_sums(files)
    at: dict[int, str] = {}
    for i in range(FIGURES):
        row = top + 1 + i
        at[i] = relative(row, 1)
        book.text(ws, row, 0, MEASURES[i][0])
        fmt = _money_format(True) if MEASURES[i][1] == "usd" else "tokens"
        book.formula(ws, row, 1, _column_sum(FILES, 1 + i, 1, n) or "0", fmt, sums[i])
        if i == COST and any(f.lower for f in files):
            book.text(ws, row, 2, TOTAL_NOTE)
    row = top + 1 + FIGURES
    book.text(ws, row, 0, MEASURES[SAVING][0])
    saving = sums[STANDARD] - sums[COST]
    book.formula(ws, row, 1, f"{at[STANDARD]}-{at[COST]}", _money_format(True), saving)
    book.text(ws, row + 1, 0, MEASURES[HIT][0])
    ref = {c: at[col] for c, col in TOKEN_COLUMN.items()}
    book.formula(ws, row + 1, 1, _hit_formula(ref), "pct", _hit_rate(sums))
    for name, index in (("total_cost", COST), ("total_standard", STANDARD)):
        book.name(name, SUMMARY, top + 1 + index, 1)
    book.name("total_saving", SUMMARY, row, 1)
    row += 2
    if r.group_by:
        c0 = len(r.group_by)
        book.text(ws, row, 0, text("sheet.report.groups_sum"))
        formula = _column_sum(GROUPS, c0 + COST, 1, len(groups)) or "0"
        book.formula(ws, row, 1, formula, _money_format(True), _exact_sums(groups)[COST])
        if any(g.lower for g in groups):
            book.text(ws, row, 2, TOTAL_NOTE)
        row += 1
    if r.gates:
        _gates(book, ws, row + 1, r.gates)


def _gates(book: Book, ws: Any, row: int, gates: Sequence[Gate]) -> None:
    """The budget gates as costcalc decided them (values: the verdict is the command's)."""
    head = (
        "sheet.report.budget",
        "sheet.report.budget_usd",
        "sheet.report.cost",
        "sheet.report.over_by",
        "sheet.report.unpriced",
        "sheet.report.within",
        "sheet.report.passed",
        "sheet.report.lower_requests",
    )
    book.header(ws, row, tuple(text(code) for code in head))
    not_known = text("sheet.report.not_known")
    for r, g in enumerate(gates, start=row + 1):
        book.text(ws, r, 0, g.label)
        book.number(ws, r, 1, g.check.budget, "usd_fine")
        for c, money in enumerate((g.check.total, g.check.over_by), start=2):
            if g.cost_known:
                book.number(ws, r, c, money, "usd_fine")
            else:
                book.text(ws, r, c, NOT_PRICED)  # no request of it priced: not $0
        book.number(ws, r, 4, g.unpriced, "tokens")
        if g.cost_known:
            ws.write_boolean(r, 5, g.check.within)
        else:
            book.text(ws, r, 5, not_known)
        ws.write_boolean(r, 6, g.passed)
        book.number(ws, r, 7, g.lower_bound, "tokens")


def _warnings_sheet(book: Book, files: Sequence[FileRow]) -> None:
    """Every warning of every file: the file, its code (as in --format json), severity, text."""
    from costcalc.messages import render

    ws = book.sheet(text("sheet.name.warnings"), (34, 30, 10, 110))
    book.header(ws, 0, (text("sheet.head.file"), *WARNING_HEAD))
    r = 1
    for f in files:
        for notice in f.warnings:
            book.text(ws, r, 0, f.file)
            book.text(ws, r, 1, notice.code)
            book.text(ws, r, 2, notice.severity.value)
            book.text(ws, r, 3, render(notice), "wrap")
            r += 1
    if r == 1:
        book.text(ws, 1, 0, text("sheet.none"))


def _notes_sheet(book: Book, result: ReportResult, on: date) -> None:
    """How the figures are computed, then the pricing date and the price table's date and
    source (each model grouped by, when the report is grouped by model)."""
    ws = book.sheet(NOTES, (24, 30, 16, 90), freeze=0)
    row = prices_head(book, ws, how_block(book, ws, 0, HOW) + 1) + 1
    book.text(ws, row, 0, text("sheet.report.price_table"))
    pricing = result.pricing
    if pricing is None:
        book.text(ws, row, 2, on.isoformat())
        return
    book.text(ws, row, 1, pricing.checked.isoformat())
    book.text(ws, row, 2, on.isoformat())
    by_id = {m.id: m for m in pricing.models}
    r: Report = result.report
    levels = [i for i, spec in enumerate(r.group_by) if spec == "model"]
    seen = sorted({g.key[i] for g in r.groups for i in levels} & by_id.keys())
    for model_id in seen:
        row += 1
        model = by_id[model_id]
        for col, value in enumerate(
            (model.short_name, model.checked.isoformat(), on.isoformat(), model.source)
        ):
            book.text(ws, row, col, value)
