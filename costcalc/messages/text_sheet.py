"""The words of the workbooks' shared sheets (present/xlsxbook: Prices, Notes, the install hint)
and of the many-file report's workbook (present/reportbook: Summary, Files, Groups, Subtotals,
Warnings, Notes).

By code; messages.text says how an entry is written. A sheet name is also part of the formulas
that read that sheet, so presenters look it up once and build both from it."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

SOURCES = (
    "Sources: https://platform.claude.com/docs/en/about-claude/pricing , "
    "https://platform.claude.com/docs/en/build-with-claude/batch-processing , "
    "https://platform.claude.com/docs/en/build-with-claude/prompt-caching"
)

# present/xlsxbook: the parts every workbook shares.
SHARED: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    "sheet.install": "pip install 'costcalc[xlsx]'",
    "sheet.name.prices": "Prices",
    "sheet.name.notes": "Notes",
    # one model's block on the Prices sheet
    "sheet.price.title": lambda f: (
        f"{f['name']} ({f['id']})" + (", fast mode" if f["fast"] else "")
    ),
    "sheet.priced_as_of": "Priced as of",
    "sheet.price_table_checked": "Price table checked",
    "sheet.source": "Source",
    "sheet.batch_multiplier": "Batch multiplier",
    "sheet.min_cache_tokens": "Minimum cacheable prefix (tokens)",
    "sheet.head.row": "Row",
    "sheet.head.tokens_over": "Prompt tokens over",
    "sheet.price.fast": "fast mode (USD per million tokens)",
    "sheet.price.dated": lambda f: (
        f"standard, dated row in force {f['start'] or 'the start'} to {f['until'] or 'now'} "
        "(USD per million tokens)"
    ),
    "sheet.price.standard": "standard (USD per million tokens)",
    "sheet.price.tier": lambda f: f"prompt over {f['threshold']:,} tokens",
    # the Notes sheet of the planning workbooks
    "sheet.title.how": "How the figures are computed",
    "sheet.title.prices": "Prices",
    "sheet.title.warnings": "Warnings",
    "sheet.head.model": "Model",
    "sheet.head.for": "For",
    "sheet.head.code": "Code",
    "sheet.head.severity": "Severity",
    "sheet.head.message": "Message",
    "sheet.none": "none",
    "sheet.how.live": (
        "Every cost is a live formula over the Inputs sheet and the Prices sheet; yellow cells "
        "are inputs. Edit them and the totals follow, as costcalc would compute them for those "
        "inputs."
    ),
    "sheet.how.rate": (
        "A cost is tokens x rate / 1,000,000 (rates are USD per million tokens). Batched "
        "scenarios multiply every rate by the batch multiplier (the Message Batches API halves "
        "every price)."
    ),
    "sheet.how.caching": (
        "Caching applies only when the shared prefix reaches the model's minimum cacheable "
        "length: then cache_writes requests write the prefix, the other requests read it at the "
        "cache-read rate, and the unique part and the output are never cached."
    ),
    "sheet.how.hit_rate": (
        "With a hit rate, round(hit rate x requests) requests read the prefix and the rest write "
        "it (at least one write). The write rate is the 5-minute or 1-hour one, by ttl."
    ),
    "sheet.how.tiers": (
        "A request whose prompt (shared + unique tokens) is over a prompt-length tier's "
        "threshold pays that tier's row on every class, output included."
    ),
    "sheet.how.price_row": (
        "The price row is the one in force on the pricing date, chosen when the workbook was "
        "written; to price another model or date, run costcalc again."
    ),
    "sheet.how.warnings": (
        "The warnings below are costcalc's for the inputs as written; after editing inputs, run "
        "costcalc again to see the warnings for them (for example the context-window limit)."
    ),
    "sheet.how.sources": SOURCES,
}

# present/reportbook: the workbook of `actual FILE... --format xlsx`.
REPORT: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    "sheet.report.title": "costcalc actual: results report",
    "sheet.report.heading": lambda f: (
        f"costcalc actual: {f['files']:,} results file{'s' if f['files'] != 1 else ''}"
    ),
    "sheet.name.summary": "Summary",
    "sheet.name.files": "Files",
    "sheet.name.groups": "Groups",
    "sheet.name.subtotals": "Subtotals",
    "sheet.name.warnings": "Warnings",
    # the figure columns of the Files, Groups and Subtotals sheets
    "sheet.report.requests": "Requests (succeeded)",
    "sheet.report.unpriced": "Unpriced requests",
    "sheet.report.tokens": "{token_class} tokens",
    "sheet.report.web_searches": "Web searches",
    "sheet.report.cost": "Cost (USD)",
    "sheet.report.standard": "At standard rates (USD)",
    "sheet.report.saving": "Saving (USD)",
    "sheet.report.hit_rate": "Cache hit rate",
    "sheet.report.file": "file",
    "sheet.report.group": "group",
    "sheet.report.group_by": "group ({spec})",
    "sheet.report.subgroup_by": "subgroup ({spec})",
    "sheet.report.note": "Note",
    "sheet.report.total": "TOTAL",
    "sheet.report.not_priced": "not priced",
    "sheet.report.lower_note": "lower bound",
    "sheet.report.unknown_note": "not known: no request priced",
    "sheet.report.total_note": (
        "lower bound: some requests are unpriced or priced at a lower bound (see the Notes sheet)"
    ),
    # the Summary sheet
    "sheet.report.priced_as": "Priced as",
    "sheet.report.batch": "batch",
    "sheet.report.real_time": "real-time",
    "sheet.report.grouped_by": "Grouped by",
    "sheet.report.grouping": lambda f: " then ".join(f["keys"]) if f["keys"] else "(not grouped)",
    "sheet.report.files_total": "Total of the files",
    "sheet.report.value": "Value",
    "sheet.report.groups_sum": "Cost of the groups (USD), their sum",
    "sheet.report.budget": "Budget",
    "sheet.report.budget_usd": "Budget (USD)",
    "sheet.report.over_by": "Over by (USD)",
    "sheet.report.within": "Within",
    "sheet.report.passed": "Passed",
    "sheet.report.lower_requests": "Lower-bound requests",
    "sheet.report.not_known": "not known",
    # the Warnings and Notes sheets
    "sheet.head.file": "File",
    "sheet.report.price_table": "the price table",
    "sheet.report.how.rows": (
        "Each results file is one batch. Its row holds what its succeeded requests cost, priced "
        "exactly by costcalc from the usage the API reported. Rows are values; totals are live "
        "formulas over them (SUM of the rows; saving = standard - cost; hit rate = cache-read "
        "tokens / all cached-prefix tokens, written or read), so editing or deleting a row moves "
        "the totals. Each formula also stores costcalc's exact result, for viewers that do not "
        "recalculate."
    ),
    "sheet.report.how.cost": (
        "Cost: each token class at its rate in force on the pricing date; the Message Batches "
        "API halves every price. A cache read costs 0.1 x the input rate, a cache write 1.25 x "
        "(5-minute TTL) or 2 x (1-hour TTL), and the batch discount applies on top."
    ),
    "sheet.report.how.standard": (
        "At standard rates: the same tokens as real-time requests without a prompt cache (every "
        "input token, written or read, at the standard input rate, output at the output rate, "
        "the same prompt-length tier and US-only multiplier, plus web searches). Fast-mode "
        "requests cost their own price either way."
    ),
    "sheet.report.how.unpriced": (
        "Unpriced requests (a model or date with no price in the table) are counted with their "
        "tokens, and their cost is in no cost cell: a row with unpriced requests has a cost that "
        "is a lower bound, and a row whose requests are all unpriced says 'not priced' (not "
        "known, not free; SUM skips it). Requests on Priority Tier (no public per-token price, "
        "https://platform.claude.com/docs/en/api/service-tiers), or with an unknown "
        "service_tier, inference_geo or speed, are priced at standard or global rates as a "
        "lower bound. A row or total with either says so in its Note cell, and fails every "
        "budget it is in."
    ),
    "sheet.report.how.groups": (
        "Groups: a custom_id pattern groups by its first capture group, and ids it does not "
        "match go to (unmatched); ids missing from a tags file go to (untagged). Every request "
        "is in exactly one group, so the groups add up to the files' total to the last digit."
    ),
}

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {**SHARED, **REPORT}
