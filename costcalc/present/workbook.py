"""The estimate workbook (`estimate --format xlsx --out FILE.xlsx`): inputs are cells, costs are
formulas.

Sheets: Inputs (one named cell per workload input), Prices (the model's rates in force, the
table's checked date and source, and the rates the inputs pay), Costs (the four scenarios by
token class, the cache-hit range, the break-even hit rate and the batch count) and Notes.
Every formula stores costcalc's own result, so a viewer that does not recalculate shows the
right figures, and a spreadsheet program that does recalculates what costcalc would print.
"""

from __future__ import annotations

from typing import Any

from costcalc.compute import outcomes
from costcalc.errors import CodedError
from costcalc.messages.text import text
from costcalc.present import sheetcells as sc
from costcalc.present.xlsxbook import PRICES, Book, notes_sheet, price_block

INPUTS, COSTS = text("book.sheet_inputs"), text("book.sheet_costs")
SCENARIO_HEAD = (
    "book.costs_scenario",
    "book.costs_input_tokens",
    "book.costs_cache_write_tokens",
    "book.costs_cache_read_tokens",
    "book.costs_output_tokens",
    "book.costs_input",
    "book.costs_cache_write",
    "book.costs_cache_read",
    "book.costs_output",
    "book.costs_total",
    "book.costs_per_request",
    "book.costs_savings_vs_standard",
    "book.costs_savings",
)
TOTAL_COL = SCENARIO_HEAD.index("book.costs_total")
INPUT_HEAD = ("book.head_input", "book.head_value", "book.head_about")
# What a planner may type into an input cell.
VALIDATION: dict[str, dict[str, Any]] = {
    "ttl": {"validate": "list", "source": ["5m", "1h"]},
    "hit_rate": {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1},
}


def estimate_xlsx(result: outcomes.EstimateResult) -> bytes:
    if len(result.analyses) != 1:
        raise CodedError("xlsx_one_model")
    a = result.analyses[0]
    est = a.estimate
    book = Book(est.on, text("book.title_estimate", model=est.model.name))
    _inputs_sheet(book, a)
    _prices_sheet(book, a)
    _costs_sheet(book, a)
    notes_sheet(book, [(est.model.short_name, n) for n in a.warnings], [(est.model, est.on)])
    return book.close()


def _inputs_sheet(book: Book, a: Any) -> None:
    est, w = a.estimate, a.estimate.workload
    ws = book.sheet(INPUTS, (18, 16, 90))
    book.header(ws, 0, [text(code) for code in INPUT_HEAD])
    plan = a.batch_plan
    writes_note = text("book.note_cache_writes")
    rows: list[tuple[str, str, Any, str, str | None]] = [
        # name, kind, value (or (formula, cached)), format, note
        ("model", "text", est.model.short_name, "", text("book.note_model", prices=PRICES)),
        ("requests", "value", w.requests, "input_tokens", text("book.note_requests")),
        (
            "shared_tokens",
            "value",
            w.shared_tokens,
            "input_tokens",
            text("book.note_shared_tokens"),
        ),
        (
            "unique_tokens",
            "value",
            w.unique_tokens,
            "input_tokens",
            text("book.note_unique_tokens"),
        ),
        (
            "output_tokens",
            "value",
            w.output_tokens,
            "input_tokens",
            text("book.note_output_tokens"),
        ),
        ("ttl", "text", w.ttl, "input_text", text("book.note_ttl")),
        (
            "hit_rate",
            "value",
            a.expected_hit_rate,
            "input_pct",
            text("book.note_hit_rate", given=a.hit_rate is not None),
        ),
    ]
    if a.hit_rate is not None:
        writes = (sc.writes_for_hit_rate("requests", "hit_rate"), w.cache_writes)
        rows.append(("cache_writes", "formula", writes, "tokens", writes_note))
    else:
        rows.append(("cache_writes", "value", w.cache_writes, "input_tokens", writes_note))
    if plan is not None:
        about = text("book.note_bytes_per_token")
        rows += [
            ("bytes_per_token", "value", plan.bytes_per_token, "input_number", about),
            _bytes_row("shared_bytes", "shared_tokens", a),
            _bytes_row("unique_bytes", "unique_tokens", a),
        ]
    region = text("book.region_us" if est.modifiers.region == "us" else "book.region_global")
    fast, fixed = text("book.yes" if est.modifiers.fast else "book.no"), text("book.note_fixed")
    rows += [
        ("region", "text", region, "", fixed),
        ("fast_mode", "text", fast, "", fixed),
    ]
    for r, (name, kind, value, fmt, note) in enumerate(rows, start=1):
        book.text(ws, r, 0, name, "bold")
        if kind == "text":
            book.text(ws, r, 1, value, fmt or None)
        elif kind == "formula":
            book.formula(ws, r, 1, value[0], fmt, value[1])
        else:
            book.number(ws, r, 1, value, fmt)
        if note:
            book.text(ws, r, 2, note)
        if name not in ("region", "fast_mode"):
            book.name(name, INPUTS, r, 1)
        if name in VALIDATION:
            ws.data_validation(r, 1, r, 1, VALIDATION[name])


def _bytes_row(name: str, tokens: str, a: Any) -> tuple:
    part = "shared" if name == "shared_bytes" else "unique"
    size = getattr(a.tokens, name, None)
    if size is not None:
        return (name, "value", size, "input_tokens", text("book.note_measured_bytes"))
    w, plan = a.estimate.workload, a.batch_plan
    count = w.shared_tokens if part == "shared" else w.unique_tokens
    size = -int(-(count * plan.bytes_per_token) // 1)  # ceil, as the batch split does
    return (
        name,
        "formula",
        (f"ROUNDUP({tokens}*bytes_per_token,0)", size),
        "tokens",
        text("book.note_shared_bytes" if part == "shared" else "book.note_unique_bytes"),
    )


def _prices_sheet(book: Book, a: Any) -> None:
    est = a.estimate
    ws = book.sheet(PRICES, (44, 16, 14, 14, 14, 14, 14), freeze=0)
    block, r = price_block(book, ws, 0, est.model, est.on, est.modifiers.fast)
    book.name("batch_multiplier", PRICES, *_rowcol(block.batch_multiplier))
    book.name("min_cache_tokens", PRICES, *_rowcol(block.min_cache_tokens))
    us = est.model.us_inference_multiplier if est.modifiers.region == "us" else 1
    book.text(ws, r, 0, text("book.us_multiplier"))
    book.number(ws, r, 1, us, "factor")
    book.name("us_multiplier", PRICES, r, 1)
    r += 2
    book.text(ws, r, 0, text("book.rates_head"), "bold")
    r += 1
    from costcalc.compute.engine import request_rates

    rates = request_rates(est.model, est.on, est.workload.input_per_request, est.modifiers)
    for i, c in enumerate(sc.CLASSES):
        book.text(ws, r, 2 + i, c, "head")
        expr = sc.rate(block, c, "(shared_tokens+unique_tokens)", "us_multiplier")
        book.formula(ws, r + 1, 2 + i, expr, "usd_fine", getattr(rates, c))
        book.name(f"rate_{c}", PRICES, r + 1, 2 + i)
    book.text(ws, r + 1, 0, text("book.rates_in_force"))
    book.text(ws, r + 3, 0, text("book.rate_cache_write_ttl"))
    expr = sc.write_rate("ttl", "rate_cache_write_5m", "rate_cache_write_1h")
    book.formula(ws, r + 3, 2, expr, "usd_fine", rates.rate(f"cache_write_{est.workload.ttl}"))
    book.name("rate_cache_write", PRICES, r + 3, 2)


def _rowcol(ref: str) -> tuple[int, int]:
    """(row, col) of an absolute reference made by sheetcells.cell."""
    body = ref.rsplit("!", 1)[-1].replace("$", "")
    letters = "".join(ch for ch in body if ch.isalpha())
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(body[len(letters) :]) - 1, col - 1


WORKLOAD = sc.Workload(
    requests="requests",
    shared="shared_tokens",
    unique="unique_tokens",
    output="output_tokens",
    writes="cache_writes",
    rate_input="rate_input",
    rate_write="rate_cache_write",
    rate_read="rate_cache_read",
    rate_output="rate_output",
    caching="caching_applies",
)


def _costs_sheet(book: Book, a: Any) -> None:
    est = a.estimate
    ws = book.sheet(COSTS, (26, 15, 15, 15, 15, 13, 13, 13, 13, 14, 13, 15, 10))
    book.header(ws, 0, [text(code) for code in SCENARIO_HEAD])
    n_scen = len(est.scenarios)
    facts_row = n_scen + 2 + 6 + 1  # after the scenarios and the cache range
    _planning_rows(book, ws, a, facts_row)
    for i, s in enumerate(est.scenarios, start=1):
        _scenario_row(book, ws, i, s, est.workload)
        book.name(f"total_{s.name}", COSTS, i, TOTAL_COL)
    _cache_range(book, ws, a, n_scen + 2)


def _scenario_row(book: Book, ws: Any, r: int, s: Any, w: Any) -> None:
    factor = "batch_multiplier" if s.batch else None
    counts = sc.tokens(WORKLOAD, s.cached)
    lines = (
        s.line("input"),
        s.line(f"cache_write_{w.ttl}"),
        s.line("cache_read"),
        s.line("output"),
    )
    rates = ("rate_input", "rate_cache_write", "rate_cache_read", "rate_output")
    book.text(ws, r, 0, s.name, "bold")
    for i, (key, line, rate) in enumerate(zip(counts, lines, rates)):
        book.formula(ws, r, 1 + i, counts[key], "tokens", line.tokens)
        cost = sc.line_cost(sc.relative(r, 1 + i), rate, factor)
        book.formula(ws, r, 5 + i, cost, "usd", line.cost)
    book.formula(
        ws, r, TOTAL_COL, f"SUM({sc.relative(r, 5)}:{sc.relative(r, 8)})", "usd_total", s.total
    )
    total = sc.relative(r, TOTAL_COL)
    book.formula(ws, r, TOTAL_COL + 1, f"{total}/requests", "usd_fine", s.per_request)
    book.formula(ws, r, TOTAL_COL + 2, f"total_standard-{total}", "usd", s.savings)
    pct = f"IF(total_standard=0,0,{sc.relative(r, TOTAL_COL + 2)}/total_standard)"
    book.formula(ws, r, TOTAL_COL + 3, pct, "pct", s.savings_pct / 100)


def _cache_range(book: Book, ws: Any, a: Any, r: int) -> None:
    est = a.estimate
    cached_name, uncached_name = a.cached_scenario, a.uncached_scenario
    book.header(
        ws,
        r,
        (
            text("book.range_head"),
            text("book.range_cache_writes"),
            text("book.range_cache_reads"),
            text("book.range_hit_rate"),
            text("book.range_scenario_total", scenario=cached_name),
            text("book.range_scenario_total", scenario=uncached_name),
            text("book.range_cache_real_time"),
        ),
    )
    cases = {c.name: c for c in a.cache_range}
    points = (
        ("best", "1"),
        ("per_batch", "MIN(batches,requests)" if a.batch_plan else "1"),
        ("expected", sc.writes_for_hit_rate("requests", "hit_rate")),
        ("worst", "requests"),
    )
    factor = None if est.modifiers.fast else "batch_multiplier"
    same = est.scenario(cached_name).total, est.scenario(uncached_name).total
    for i, (name, writes_expr) in enumerate(points, start=1):
        row = r + i
        case = cases.get(name)
        # Without caching (prefix too short) every case costs what the uncached scenario does.
        writes = case.writes if case else None
        book.text(ws, row, 0, name, "bold")
        book.formula(ws, row, 1, writes_expr, "tokens", writes if case else "")
        w = sc.relative(row, 1)
        book.formula(ws, row, 2, f"requests-{w}", "tokens", case.reads if case else "")
        book.formula(
            ws, row, 3, f"{sc.relative(row, 2)}/requests", "pct", case.hit_rate if case else ""
        )
        cached_total = sc.total(WORKLOAD, True, factor, writes=w)
        book.formula(ws, row, 4, cached_total, "usd", case.cached_total if case else same[0])
        book.formula(ws, row, 5, f"total_{uncached_name}", "usd", same[1])
        cache_rt = est.scenario("cache").total
        book.formula(
            ws,
            row,
            6,
            sc.total(WORKLOAD, True, None, writes=w),
            "usd",
            case.cache_total if case else cache_rt,
        )


def _planning_rows(book: Book, ws: Any, a: Any, r: int) -> None:
    """Named planning figures below the cache range: formulas, and the limits they read."""
    est, w = a.estimate, a.estimate.workload
    plan = a.batch_plan
    book.text(ws, r, 0, text("book.planning"), "title")
    be = a.break_even_hit_rate
    limit = est.model.input_limit_on(est.on)
    # name, formula (None: a fixed value), format, value, what it is
    rows: list[tuple[str, str | None, str | None, Any, str]] = [
        (
            "caching_applies",
            "shared_tokens>=min_cache_tokens",
            None,
            est.caching_applies,
            text("book.about_caching_applies"),
        ),
        (
            "break_even_hit_rate",
            sc.break_even("rate_input", "rate_cache_write", "rate_cache_read"),
            "pct",
            be if be is not None else text("book.never"),
            text("book.about_break_even"),
        ),
        (
            "prompt_tokens",
            "shared_tokens+unique_tokens",
            "tokens",
            w.input_per_request,
            text("book.about_prompt_tokens"),
        ),
    ]
    if limit is not None:
        fits, too_long = text("book.yes"), text("book.fits_no")
        rows += [
            ("context_window", None, "tokens", limit, text("book.about_context_window")),
            (
                "fits_context_window",
                f"IF(prompt_tokens>context_window,{_quoted(too_long)},{_quoted(fits)})",
                None,
                fits,
                text("book.about_fits_context_window"),
            ),
        ]
    if plan is not None:
        rows += _batch_rows(plan)
    for i, (name, expr, fmt, value, about) in enumerate(rows, start=r + 1):
        book.text(ws, i, 0, name, "bold")
        if expr is None:
            book.number(ws, i, 1, value, fmt or "tokens")
        else:
            book.formula(ws, i, 1, expr, fmt, value)
        book.text(ws, i, 2, about)
        book.name(name, COSTS, i, 1)


def _batch_rows(plan: Any) -> list[tuple[str, str | None, str | None, Any, str]]:
    """The planning rows of the batch split: the two batch limits and the batches they give."""
    batches = sc.batches("requests", "request_bytes", "max_requests_per_batch", "max_batch_bytes")
    return [
        (
            "max_requests_per_batch",
            None,
            "tokens",
            plan.limits.max_requests,
            text("book.about_max_requests"),
        ),
        (
            "max_batch_bytes",
            None,
            "tokens",
            plan.limits.max_bytes,
            text("book.about_max_bytes"),
        ),
        (
            "request_bytes",
            "shared_bytes+unique_bytes",
            "tokens",
            plan.bytes_per_request,
            text("book.about_request_bytes"),
        ),
        ("batches", batches, "tokens", plan.batches, text("book.about_batches")),
        (
            "requests_per_batch",
            "ROUNDUP(requests/batches,0)",
            "tokens",
            plan.requests_per_batch,
            text("book.about_requests_per_batch"),
        ),
    ]


def _quoted(words: str) -> str:
    """Words as a string inside a formula: in double quotes, a double quote doubled."""
    return '"' + words.replace('"', '""') + '"'
