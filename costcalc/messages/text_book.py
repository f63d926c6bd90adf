"""The words of the planning workbooks (present/workbook, planbook, valuebook).

By code; messages.text says how an entry is written. A sheet name here is also the sheet part of
the references and defined names that point at it, so a sheet is named in one place."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    # Sheet names and the workbook's title (its document properties).
    "book.sheet_inputs": "Inputs",
    "book.sheet_costs": "Costs",
    "book.sheet_jobs": "Jobs",
    "book.sheet_sweep": "Sweep",
    "book.sheet_summary": "Summary",
    "book.sheet_table": "table",
    "book.title_estimate": "costcalc estimate: {model}",
    "book.title_plan": "costcalc plan",
    "book.title_sweep": "costcalc sweep",
    "book.title_check": "costcalc check",
    "book.title_actual": "costcalc actual",
    # The Inputs sheet: one named cell per input, with what it is.
    "book.head_input": "Input",
    "book.head_value": "Value",
    "book.head_about": "What it is",
    "book.note_model": "the model priced ({prices} sheet); fixed",
    "book.note_requests": "number of requests",
    "book.note_shared_tokens": "shared prefix per request",
    "book.note_unique_tokens": "unique input per request",
    "book.note_output_tokens": "output per request",
    "book.note_ttl": 'cache lifetime: "5m" or "1h"',
    "book.note_hit_rate": lambda f: (
        "share of requests that read the cached prefix"
        + ("" if f["given"] else " (the expected case of the cache range)")
    ),
    "book.note_cache_writes": "requests that write it",
    "book.note_bytes_per_token": "for batch sizes",
    "book.note_measured_bytes": "bytes of the text it was measured from",
    "book.note_shared_bytes": "shared bytes per request (tokens x bytes per token)",
    "book.note_unique_bytes": "unique bytes per request (tokens x bytes per token)",
    "book.note_fixed": "fixed when written",
    "book.region_us": "US-only inference",
    "book.region_global": "global",
    "book.yes": "yes",
    "book.no": "no",
    # The Prices sheet's rows for the rates the inputs pay.
    "book.us_multiplier": "US-only inference multiplier",
    "book.rates_head": "Rates the inputs pay (tier by prompt = shared + unique tokens)",
    "book.rates_in_force": "in force",
    "book.rate_cache_write_ttl": "cache write at the ttl",
    # The Costs sheet: the scenarios by token class.
    "book.costs_scenario": "Scenario",
    "book.costs_input_tokens": "Input tokens",
    "book.costs_cache_write_tokens": "Cache write tokens",
    "book.costs_cache_read_tokens": "Cache read tokens",
    "book.costs_output_tokens": "Output tokens",
    "book.costs_input": "Input",
    "book.costs_cache_write": "Cache write",
    "book.costs_cache_read": "Cache read",
    "book.costs_output": "Output",
    "book.costs_total": "Total",
    "book.costs_per_request": "Per request",
    "book.costs_savings_vs_standard": "Savings vs standard",
    "book.costs_savings": "Savings",
    # The cache-hit range below the scenarios.
    "book.range_head": "Cache hits range",
    "book.range_cache_writes": "Cache writes",
    "book.range_cache_reads": "Cache reads",
    "book.range_hit_rate": "Hit rate",
    "book.range_scenario_total": "{scenario} total",
    "book.range_cache_real_time": "cache total (real time)",
    # The planning figures below the cache range: what each named cell is.
    "book.planning": "Planning",
    "book.never": "never",
    "book.about_caching_applies": "the shared prefix reaches the minimum cacheable length",
    "book.about_break_even": "caching costs less than not caching above this hit rate",
    "book.about_prompt_tokens": "input per request; a prompt-length tier is chosen by it",
    "book.about_context_window": "largest input the model takes",
    "book.fits_no": "NO: shorten the prompt",
    "book.about_fits_context_window": "costcalc refuses a request over the context window",
    "book.about_max_requests": "batch limit",
    "book.about_max_bytes": "batch size limit",
    "book.about_request_bytes": "bytes per request",
    "book.about_batches": "fewest batches under both limits",
    "book.about_requests_per_batch": "requests spread evenly over the batches",
    # Plan and sweep workbooks.
    "book.job_column": "job",
    "book.plan_total": "TOTAL",
    "book.swept_column": "swept {name}",
    "book.swept": "swept",
    "book.swept_about": "each row of the {sheet} sheet holds its own value",
    "book.fixed_about": "read by every row of the {sheet} sheet",
    # Value workbooks (check, actual): the Summary sheet.
    "book.summary_field": "Field",
    "book.summary_note": "{title}: values as costcalc computed them (not formulas)",
}
