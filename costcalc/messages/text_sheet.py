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

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {**SHARED}
