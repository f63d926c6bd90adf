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
from costcalc.present import sheetcells as sc
from costcalc.present.xlsxbook import PRICES, Book, notes_sheet, price_block

INPUTS, COSTS = "Inputs", "Costs"
SCENARIO_HEAD = (
    "Scenario",
    "Input tokens",
    "Cache write tokens",
    "Cache read tokens",
    "Output tokens",
    "Input",
    "Cache write",
    "Cache read",
    "Output",
    "Total",
    "Per request",
    "Savings vs standard",
    "Savings",
)
TOTAL_COL = SCENARIO_HEAD.index("Total")


def estimate_xlsx(result: outcomes.EstimateResult) -> bytes:
    if len(result.analyses) != 1:
        raise CodedError("xlsx_one_model")
    a = result.analyses[0]
    est = a.estimate
    book = Book(est.on, f"costcalc estimate: {est.model.name}")
    _inputs_sheet(book, a)
    _prices_sheet(book, a)
    _costs_sheet(book, a)
    notes_sheet(book, [(est.model.short_name, n) for n in a.warnings], [(est.model, est.on)])
    return book.close()


def _inputs_sheet(book: Book, a: Any) -> None:
    est, w = a.estimate, a.estimate.workload
    ws = book.sheet(INPUTS, (18, 16, 90))
    book.header(ws, 0, ("Input", "Value", "What it is"))
    plan = a.batch_plan
    rows: list[tuple[str, str, Any, str, str | None]] = [
        # name, kind, value (or (formula, cached)), format, note
        ("model", "text", est.model.short_name, "", "the model priced (Prices sheet); fixed"),
        ("requests", "value", w.requests, "input_tokens", "number of requests"),
        ("shared_tokens", "value", w.shared_tokens, "input_tokens", "shared prefix per request"),
        ("unique_tokens", "value", w.unique_tokens, "input_tokens", "unique input per request"),
        ("output_tokens", "value", w.output_tokens, "input_tokens", "output per request"),
        ("ttl", "text", w.ttl, "input_text", 'cache lifetime: "5m" or "1h"'),
        (
            "hit_rate",
            "value",
            a.expected_hit_rate,
            "input_pct",
            "share of requests that read the cached prefix"
            + ("" if a.hit_rate is not None else " (the expected case of the cache range)"),
        ),
    ]
    if a.hit_rate is not None:
        writes = (sc.writes_for_hit_rate("requests", "hit_rate"), w.cache_writes)
        rows.append(("cache_writes", "formula", writes, "tokens", "requests that write it"))
    else:
        rows.append(
            ("cache_writes", "value", w.cache_writes, "input_tokens", "requests that write it")
        )
    if plan is not None:
        rows += [
            ("bytes_per_token", "value", plan.bytes_per_token, "input_number", "for batch sizes"),
            _bytes_row("shared_bytes", "shared_tokens", a),
            _bytes_row("unique_bytes", "unique_tokens", a),
        ]
    region = "US-only inference" if est.modifiers.region == "us" else "global"
    rows += [
        ("region", "text", region, "", "fixed when written"),
        ("fast_mode", "text", "yes" if est.modifiers.fast else "no", "", "fixed when written"),
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
        if name == "ttl":
            ws.data_validation(r, 1, r, 1, {"validate": "list", "source": ["5m", "1h"]})
        if name == "hit_rate":
            ws.data_validation(
                r,
                1,
                r,
                1,
                {"validate": "decimal", "criteria": "between", "minimum": 0, "maximum": 1},
            )


def _bytes_row(name: str, tokens: str, a: Any) -> tuple:
    part = "shared" if name == "shared_bytes" else "unique"
    size = getattr(a.tokens, name, None)
    if size is not None:
        return (name, "value", size, "input_tokens", "bytes of the text it was measured from")
    w, plan = a.estimate.workload, a.batch_plan
    count = w.shared_tokens if part == "shared" else w.unique_tokens
    size = -int(-(count * plan.bytes_per_token) // 1)  # ceil, as the batch split does
    return (
        name,
        "formula",
        (f"ROUNDUP({tokens}*bytes_per_token,0)", size),
        "tokens",
        f"{part} bytes per request (tokens x bytes per token)",
    )


def _prices_sheet(book: Book, a: Any) -> None:
    est = a.estimate
    ws = book.sheet(PRICES, (44, 16, 14, 14, 14, 14, 14), freeze=0)
    block, r = price_block(book, ws, 0, est.model, est.on, est.modifiers.fast)
    book.name("batch_multiplier", PRICES, *_rowcol(block.batch_multiplier))
    book.name("min_cache_tokens", PRICES, *_rowcol(block.min_cache_tokens))
    us = est.model.us_inference_multiplier if est.modifiers.region == "us" else 1
    book.text(ws, r, 0, "US-only inference multiplier")
    book.number(ws, r, 1, us, "factor")
    book.name("us_multiplier", PRICES, r, 1)
    r += 2
    book.text(ws, r, 0, "Rates the inputs pay (tier by prompt = shared + unique tokens)", "bold")
    r += 1
    from costcalc.compute.engine import request_rates

    rates = request_rates(est.model, est.on, est.workload.input_per_request, est.modifiers)
    for i, c in enumerate(sc.CLASSES):
        book.text(ws, r, 2 + i, c, "head")
        expr = sc.rate(block, c, "(shared_tokens+unique_tokens)", "us_multiplier")
        book.formula(ws, r + 1, 2 + i, expr, "usd_fine", getattr(rates, c))
        book.name(f"rate_{c}", PRICES, r + 1, 2 + i)
    book.text(ws, r + 1, 0, "in force")
    book.text(ws, r + 3, 0, "cache write at the ttl")
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
    book.header(ws, 0, SCENARIO_HEAD)
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
            "Cache hits range",
            "Cache writes",
            "Cache reads",
            "Hit rate",
            f"{cached_name} total",
            f"{uncached_name} total",
            "cache total (real time)",
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
    book.text(ws, r, 0, "Planning", "title")
    be = a.break_even_hit_rate
    limit = est.model.input_limit_on(est.on)
    # name, formula (None: a fixed value), format, value, what it is
    rows: list[tuple[str, str | None, str | None, Any, str]] = [
        (
            "caching_applies",
            "shared_tokens>=min_cache_tokens",
            None,
            est.caching_applies,
            "the shared prefix reaches the minimum cacheable length",
        ),
        (
            "break_even_hit_rate",
            sc.break_even("rate_input", "rate_cache_write", "rate_cache_read"),
            "pct",
            be if be is not None else "never",
            "caching costs less than not caching above this hit rate",
        ),
        (
            "prompt_tokens",
            "shared_tokens+unique_tokens",
            "tokens",
            w.input_per_request,
            "input per request; a prompt-length tier is chosen by it",
        ),
    ]
    if limit is not None:
        rows += [
            ("context_window", None, "tokens", limit, "largest input the model takes"),
            (
                "fits_context_window",
                'IF(prompt_tokens>context_window,"NO: shorten the prompt","yes")',
                None,
                "yes",
                "costcalc refuses a request over the context window",
            ),
        ]
    if plan is not None:
        batches = sc.batches(
            "requests", "request_bytes", "max_requests_per_batch", "max_batch_bytes"
        )
        rows += [
            ("max_requests_per_batch", None, "tokens", plan.limits.max_requests, "batch limit"),
            ("max_batch_bytes", None, "tokens", plan.limits.max_bytes, "batch size limit"),
            (
                "request_bytes",
                "shared_bytes+unique_bytes",
                "tokens",
                plan.bytes_per_request,
                "bytes per request",
            ),
            ("batches", batches, "tokens", plan.batches, "fewest batches under both limits"),
            (
                "requests_per_batch",
                "ROUNDUP(requests/batches,0)",
                "tokens",
                plan.requests_per_batch,
                "requests spread evenly over the batches",
            ),
        ]
    for i, (name, expr, fmt, value, about) in enumerate(rows, start=r + 1):
        book.text(ws, i, 0, name, "bold")
        if expr is None:
            book.number(ws, i, 1, value, fmt or "tokens")
        else:
            book.formula(ws, i, 1, expr, fmt, value)
        book.text(ws, i, 2, about)
        book.name(name, COSTS, i, 1)
