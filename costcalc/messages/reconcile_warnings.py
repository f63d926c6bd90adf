"""The English of the warnings and problems of reconcile: code -> (meaning, message from
the figures)."""

from __future__ import annotations

from collections.abc import Callable

from costcalc import fmt
from costcalc.messages.common import F, _cells, _names

MESSAGES: dict[str, tuple[str, Callable[[F], str]]] = {
    # reconcile: figures cells, tokens, billed (USD), names (models or cost types)
    "reconcile_priority_tier": (
        "Priority Tier usage: the cost report leaves it out, so it is not compared",
        lambda f: (
            f"{_cells(f)} of Priority Tier usage ({f['tokens']:,} tokens; "
            f"{_names(f)}) not compared: the cost report has no Priority Tier costs"
        ),
    ),
    "reconcile_no_usage_report": (
        "code execution or session usage: billed, with no usage rows to price",
        lambda f: (
            f"{fmt.usd_auto(f['billed'])} billed for {_names(f)} ({_cells(f)}): the "
            "usage report has no rows for it, so it is not compared"
        ),
    ),
    "reconcile_unknown_model": (
        "usage of a model costcalc has no prices for: unpriced, never $0",
        lambda f: (
            f"unpriced: {_cells(f)} of a model costcalc does not know "
            f"({_names(f)}; {f['tokens']:,} tokens, "
            f"{fmt.usd_auto(f['billed'])} billed); "
            "add it to a copy of the pricing data and pass --pricing FILE"
        ),
    ),
    "reconcile_unknown_service_tier": (
        "usage in a service tier costcalc does not know: unpriced",
        lambda f: (
            f"unpriced: {_cells(f)} in a service tier costcalc does not know "
            f"({f['tokens']:,} tokens, {fmt.usd_auto(f['billed'])} billed)"
        ),
    ),
    "reconcile_rates_unavailable": (
        "usage with a modifier the model lacks in the pricing data (fast mode, US-only "
        "inference): unpriced",
        lambda f: (
            f"unpriced: {_cells(f)} ({_names(f)}; {f['tokens']:,} tokens) with fast "
            "mode or US-only inference that the pricing data has no rates for on that day"
        ),
    ),
    "reconcile_context_window_ambiguous": (
        "a prompt-length tier inside the report's 0-200k window: which row applied is unknown",
        lambda f: (
            f"unpriced: {_cells(f)} ({_names(f)}; {f['tokens']:,} tokens): the model "
            "has a prompt-length tier under 200K tokens, and the usage report's context window "
            "(0-200k) cannot say which side of it the requests were"
        ),
    ),
    "reconcile_unknown": (
        "a cost type costcalc does not know: billed, not compared",
        lambda f: (
            f"{fmt.usd_auto(f['billed'])} billed as {_names(f)}, a cost type costcalc "
            "does not know: not compared"
        ),
    ),
    "reconcile_web_search_filtered": (
        "web searches under a model or tier filter: the cost report does not say whose they are",
        lambda f: (
            f"web searches ({_cells(f)}) not compared: their fees have no model or service tier "
            "in the cost report, so --model and --tier cannot select them"
        ),
    ),
    "reconcile_not_billed": (
        "usage costcalc priced that has no cost row: the billed total leaves it out",
        lambda f: (
            f"{_cells(f)} of usage ({_names(f)}; {f['tokens']:,} tokens, "
            f"{fmt.usd_auto(f['priced'])} at costcalc's prices) with no cost row: the cost report "
            "may lag the usage report, so the billed total leaves this usage out"
        ),
    ),
    "reconcile_results_price_changed": (
        "a results file whose price depends on the day its batches ran, inside the range",
        lambda f: (
            f"{f['file']}: a price it uses changed inside the range ("
            + ", ".join(f"{c['model']} on {c['changed']}" for c in f["changes"])
            + ") and the usage report cannot tell on which day its batches ran: "
            f"{fmt.usd_auto(f['low_usd'])} to {fmt.usd_auto(f['high_usd'])} over the range's "
            f"prices, shown as of {f['priced_on']}"
        ),
    ),
    "reconcile_differs": (
        "cells where costcalc's price and the bill differ by a cent or more",
        lambda f: (
            f"{_cells(f)} {'differs' if f['cells'] == 1 else 'differ'} from the bill by a cent "
            "or more (billed minus priced: "
            f"{fmt.usd_auto(f['difference'])})"
        ),
    ),
}
