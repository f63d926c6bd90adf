"""Plan and sweep workbooks (`plan` / `sweep --format xlsx --out FILE.xlsx`): one row of live
formulas per job or per point of the grid.

Each row holds its inputs (requests, shared, unique and output tokens, TTL, hit rate, cache
writes, US multiplier), the rates it pays (chosen by formula from its model's block on the
Prices sheet, by prompt length) and its four scenario totals as formulas. A plan ends with a
total row; a sweep's fixed inputs are named cells on its Inputs sheet that every row reads, and
its swept values are cells in each row. Fast-mode rows cannot be batched: their batch columns
hold the real-time price, as plan totals do.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from costcalc.compute import outcomes
from costcalc.compute.planning import scenario_total
from costcalc.messages.text import text
from costcalc.names import SCENARIO_NAMES
from costcalc.present import sheetcells as sc
from costcalc.present.xlsxbook import PRICES, Book, notes_sheet, price_block

INPUT_COLS = (
    ("model", 16),
    ("requests", 12),
    ("shared_tokens", 13),
    ("unique_tokens", 13),
    ("output_tokens", 13),
    ("ttl", 6),
    ("hit_rate", 9),
    ("cache_writes", 12),
    ("us_multiplier", 9),
    ("caching_applies", 9),
    ("rate_input", 10),
    ("rate_cache_write", 10),
    ("rate_cache_read", 10),
    ("rate_output", 10),
)
TOTAL_COLS = tuple(f"total_{s}" for s in SCENARIO_NAMES)
NUMBER_FORMATS = {
    "requests": "input_tokens",
    "shared_tokens": "input_tokens",
    "unique_tokens": "input_tokens",
    "output_tokens": "input_tokens",
    "hit_rate": "input_pct",
    "cache_writes": "input_tokens",
    "us_multiplier": "factor",
}


def plan_xlsx(result: outcomes.PlanResult) -> bytes:
    jobs = result.jobs
    on = jobs[0][1].estimate.on
    book = Book(on, text("book.title_plan"))
    blocks = _prices(book, [a for _, a in jobs])
    sheet = text("book.sheet_jobs")
    ws, first = _rows_sheet(book, sheet, [text("book.job_column")])
    for i, (name, a) in enumerate(jobs):
        r = first + i
        book.text(ws, r, 0, name)
        cols = _row(book, ws, r, 1, a, blocks, {})
        for key, col in cols.items():
            book.name(f"job{i + 1}_{key}", sheet, r, col)
    total_row = first + len(jobs)
    book.text(ws, total_row, 0, text("book.plan_total"), "bold")
    for scenario, col in zip(SCENARIO_NAMES, _total_cols(1)):
        column = f"{sc.relative(first, col)}:{sc.relative(total_row - 1, col)}"
        book.formula(ws, total_row, col, f"SUM({column})", "usd_total", result.totals[scenario])
        book.name(f"total_{scenario}", sheet, total_row, col)
    models = [(a.estimate.model, a.estimate.on) for _, a in jobs]
    notes_sheet(book, [(name, n) for name, a in jobs for n in a.warnings], models)
    return book.close()


def sweep_xlsx(result: outcomes.SweepResult) -> bytes:
    points = result.points
    swept = list(result.swept)
    first_a = points[0].analysis
    book = Book(first_a.estimate.on, text("book.title_sweep"))
    fixed = _sweep_inputs(book, first_a, swept)
    blocks = _prices(book, [p.analysis for p in points])
    lead = [text("book.swept_column", name=n) for n in swept]
    ws, first = _rows_sheet(book, text("book.sheet_sweep"), lead)
    for i, p in enumerate(points):
        r = first + i
        for j, n in enumerate(swept):
            value = p.params[n]
            book.text(ws, r, j, value if value is not None else "-")
        _row(book, ws, r, len(swept), p.analysis, blocks, fixed)
    notes_sheet(
        book,
        [
            (", ".join(f"{n}={p.params[n]}" for n in swept), n)
            for p in points
            for n in p.analysis.warnings
        ],
        [(p.analysis.estimate.model, p.analysis.estimate.on) for p in points],
    )
    return book.close()


SWEEP_NAMES = {
    "requests": "requests",
    "shared": "shared_tokens",
    "unique": "unique_tokens",
    "output": "output_tokens",
    "hit_rate": "hit_rate",
}


def _sweep_inputs(book: Book, a: Any, swept: Sequence[str]) -> dict[str, str]:
    """The inputs every point shares, as named cells; {input column: name}."""
    w = a.estimate.workload
    inputs = text("book.sheet_inputs")
    ws = book.sheet(inputs, (18, 14, 70))
    book.header(ws, 0, (text("book.head_input"), text("book.head_value"), text("book.head_about")))
    values: list[tuple[str, Any]] = [
        ("requests", w.requests),
        ("shared_tokens", w.shared_tokens),
        ("unique_tokens", w.unique_tokens),
        ("output_tokens", w.output_tokens),
        ("ttl", w.ttl),
    ]
    if "hit_rate" in swept or a.hit_rate is not None:
        values.append(("hit_rate", a.hit_rate))
    else:
        values.append(("cache_writes", w.cache_writes))
    fixed: dict[str, str] = {}
    swept_names = {SWEEP_NAMES[s] for s in swept if s in SWEEP_NAMES}
    rows_sheet = text("book.sheet_sweep")
    swept_value = text("book.swept")
    swept_about = text("book.swept_about", sheet=rows_sheet)
    fixed_about = text("book.fixed_about", sheet=rows_sheet)
    for r, (name, value) in enumerate(values, start=1):
        book.text(ws, r, 0, name, "bold")
        if name in swept_names:
            book.text(ws, r, 1, swept_value)
            book.text(ws, r, 2, swept_about)
            continue
        if isinstance(value, str):
            book.text(ws, r, 1, value, "input_text")
        else:
            book.number(ws, r, 1, value, NUMBER_FORMATS[name])
        book.text(ws, r, 2, fixed_about)
        fixed[name] = book.name(name, inputs, r, 1)
    return fixed


def _prices(book: Book, analyses: Sequence[Any]) -> dict[tuple[str, bool], sc.PriceBlock]:
    ws = book.sheet(PRICES, (44, 16, 14, 14, 14, 14, 14), freeze=0)
    blocks: dict[tuple[str, bool], sc.PriceBlock] = {}
    r = 0
    for a in analyses:
        est = a.estimate
        key = (est.model.id, est.modifiers.fast)
        if key not in blocks:
            blocks[key], r = price_block(book, ws, r, est.model, est.on, est.modifiers.fast)
    return blocks


def _rows_sheet(book: Book, name: str, lead: list[str]) -> tuple[Any, int]:
    widths = [24] * len(lead) + [w for _, w in INPUT_COLS] + [14] * len(TOTAL_COLS)
    ws = book.sheet(name, widths)
    book.header(ws, 0, [*lead, *(n for n, _ in INPUT_COLS), *TOTAL_COLS])
    return ws, 1


def _total_cols(c0: int) -> list[int]:
    return [c0 + len(INPUT_COLS) + i for i in range(len(TOTAL_COLS))]


def _row(
    book: Book, ws: Any, r: int, c0: int, a: Any, blocks: dict, fixed: dict[str, str]
) -> dict[str, int]:
    """One workload's inputs, rates and totals from column c0; {name: column} of its cells."""
    est, w = a.estimate, a.estimate.workload
    block = blocks[(est.model.id, est.modifiers.fast)]
    col = {n: c0 + i for i, (n, _) in enumerate(INPUT_COLS)}
    ref = {n: sc.relative(r, c) for n, c in col.items()}
    us = est.model.us_inference_multiplier if est.modifiers.region == "us" else 1
    book.text(ws, r, col["model"], est.model.short_name)
    for name, value in (
        ("requests", w.requests),
        ("shared_tokens", w.shared_tokens),
        ("unique_tokens", w.unique_tokens),
        ("output_tokens", w.output_tokens),
        ("us_multiplier", us),
    ):
        if name in fixed:
            book.formula(ws, r, col[name], fixed[name], NUMBER_FORMATS[name], value)
        else:
            book.number(ws, r, col[name], value, NUMBER_FORMATS[name])
    if "ttl" in fixed:
        book.formula(ws, r, col["ttl"], fixed["ttl"], None, w.ttl)
    else:
        book.text(ws, r, col["ttl"], w.ttl, "input_text")
    _writes(book, ws, r, col, ref, a, fixed)
    book.formula(
        ws,
        r,
        col["caching_applies"],
        f"{ref['shared_tokens']}>={block.min_cache_tokens}",
        None,
        est.caching_applies,
    )
    _rates(book, ws, r, col, ref, a, block)
    _totals(book, ws, r, c0, ref, a, block)
    return {**col, **dict(zip(TOTAL_COLS, _total_cols(c0)))}


def _writes(book: Book, ws: Any, r: int, col: dict, ref: dict, a: Any, fixed: dict) -> None:
    w = a.estimate.workload
    if a.hit_rate is not None:
        if "hit_rate" in fixed:
            book.formula(ws, r, col["hit_rate"], fixed["hit_rate"], "input_pct", a.hit_rate)
        else:
            book.number(ws, r, col["hit_rate"], a.hit_rate, "input_pct")
        expr = sc.writes_for_hit_rate(ref["requests"], ref["hit_rate"])
        book.formula(ws, r, col["cache_writes"], expr, "tokens", w.cache_writes)
    else:
        book.text(ws, r, col["hit_rate"], "-")
        if "cache_writes" in fixed:
            book.formula(
                ws, r, col["cache_writes"], fixed["cache_writes"], "tokens", w.cache_writes
            )
        else:
            book.number(ws, r, col["cache_writes"], w.cache_writes, "input_tokens")


def _rates(book: Book, ws: Any, r: int, col: dict, ref: dict, a: Any, block: Any) -> None:
    from costcalc.compute.engine import request_rates

    est = a.estimate
    rates = request_rates(est.model, est.on, est.workload.input_per_request, est.modifiers)
    prompt = f"({ref['shared_tokens']}+{ref['unique_tokens']})"
    us = ref["us_multiplier"]
    for name, token_class in (
        ("rate_input", "input"),
        ("rate_cache_read", "cache_read"),
        ("rate_output", "output"),
    ):
        expr = sc.rate(block, token_class, prompt, us)
        book.formula(ws, r, col[name], expr, "usd_fine", rates.rate(token_class))
    write = sc.write_rate(
        ref["ttl"],
        sc.rate(block, "cache_write_5m", prompt, us),
        sc.rate(block, "cache_write_1h", prompt, us),
    )
    value = rates.rate(f"cache_write_{est.workload.ttl}")
    book.formula(ws, r, col["rate_cache_write"], write, "usd_fine", value)


def _totals(book: Book, ws: Any, r: int, c0: int, ref: dict, a: Any, block: Any) -> None:
    fast = a.estimate.modifiers.fast
    w = sc.Workload(
        requests=ref["requests"],
        shared=ref["shared_tokens"],
        unique=ref["unique_tokens"],
        output=ref["output_tokens"],
        writes=ref["cache_writes"],
        rate_input=ref["rate_input"],
        rate_write=ref["rate_cache_write"],
        rate_read=ref["rate_cache_read"],
        rate_output=ref["rate_output"],
        caching=ref["caching_applies"],
    )
    for scenario, col in zip(SCENARIO_NAMES, _total_cols(c0)):
        cached = "cache" in scenario
        batch = scenario.startswith("batch") and not fast
        expr = sc.total(w, cached, block.batch_multiplier if batch else None)
        book.formula(ws, r, col, expr, "usd_total", scenario_total(a, scenario))
