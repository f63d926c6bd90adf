"""The words of actual, reconcile and the many-file report's table (present/actual_table, reconcile,
reportview) and the commands' own words.

By code; messages.text says how an entry is written. Money, token counts and percentages come in
formatted (costcalc.fmt); a count that decides a plural comes in as an int."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from costcalc.messages.common import counted

F = Mapping[str, Any]


def _on(f: F) -> str:
    """' of 2026-11-25': the day whose prices were used, when there is one."""
    return "" if f["on"] is None else f" of {f['on']}"


def _results_head(f: F) -> str:
    return (
        f"{counted(f['results'], 'result')}: {f['succeeded']} succeeded, {f['errored']} "
        f"errored, {f['canceled']} canceled, {f['expired']} expired (not billed)"
    )


def _priced_at(f: F) -> str:
    if f["batch"]:
        return f"Priced at batch prices{_on(f)} (--no-batch for real-time usage)"
    return f"Priced at real-time prices{_on(f)}"


def _unpriced_requests(f: F) -> str:
    n = f["requests"]
    return (
        f"{counted(n, 'succeeded request')} could not be priced and "
        f"{'is' if n == 1 else 'are'} not in the total (see the warnings)"
    )


def _cache_miss(f: F) -> str:
    missed = f" (~{f['missed']} input tokens)" if f["missed"] is not None else ""
    return f"{f['requests']} {f['reason']}{missed}"


def _cold_misses(f: F) -> str:
    return (
        f"{counted(f['misses'], 'request')} of {f['matched']} wrote cache entries another "
        f"request of the batch also wrote ({f['tokens']} tokens, {f['extra']} more than reading "
        "them)."
    )


def _reconcile_cells(f: F) -> str:
    differ = f["differ"]
    return (
        f"cells: {f['agree']} agree to the cent, {differ} "
        f"{'differs' if differ == 1 else 'differ'}, {f['not_compared']} not compared"
    )


def _reconcile_file(f: F) -> str:
    """A results file of the batch tier: its total, the span of the range's prices when they
    differ, and its unpriced requests."""
    span = (
        f", prices of {f['priced_on']}; {f['low']} to {f['high']} over the range's prices"
        if f["priced_on"] is not None
        else ""
    )
    unpriced = f"; {counted(f['unpriced'], 'unpriced request')}" if f["unpriced"] else ""
    return f"{f['file']}: {f['total']} (costcalc actual{span}{unpriced})"


def _report_head(f: F) -> str:
    unpriced = f" ({f['unpriced']} unpriced, not in the total)" if f["unpriced"] else ""
    rate = f"; cache hit rate {f['hit_rate']}" if f["hit_rate"] is not None else ""
    return (
        f"{counted(f['files'], 'results file')}, {f['requests']} succeeded requests: "
        f"{f['total']} billed{unpriced}; {f['standard']} at standard rates, saving "
        f"{f['saving']}{rate}"
    )


def _report_cold(f: F) -> str:
    return (
        f"cold-start misses (against {counted(f['files'], 'request file')}): "
        f"{counted(f['misses'], 'request')} wrote {f['tokens']} tokens another request of their "
        f"batch also wrote, {f['extra']} more than reading them"
    )


TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    # costcalc actual, one results file: the head
    "actual.results": _results_head,
    "actual.malformed_skipped": lambda f: f"; {counted(f['lines'], 'malformed line')} skipped",
    "actual.priced_at": _priced_at,
    "actual.priced_per_tier": lambda f: (
        f"Priced per line by its service tier, at prices{_on(f)}: {f['tiers']}"
    ),
    "actual.unpriced_requests": _unpriced_requests,
    # where the money went
    "actual.money_title": "Where the money went",
    "actual.col_token_class": "Token class",
    "actual.col_tokens": "Tokens",
    "actual.col_average_rate": "Avg $/MTok",
    "actual.col_cost": "Cost",
    "actual.col_share": "Share",
    "actual.web_searches": "web searches ({searches})",
    "actual.total_billed": "total billed",
    # per request and the cache
    "actual.per_request_label": "Per succeeded request: ",
    "actual.by_model": "; by model: {models}",
    "actual.model_cost": lambda f: (
        f"{f['model']} {f['cost']} ({counted(f['requests'], 'request')})"
    ),
    "actual.cache_label": "Cache: ",
    "actual.cache_use": lambda f: (
        f"{counted(f['wrote'], 'request')} wrote the cache, {f['read']} read it "
        f"({f['both']} both), {f['neither']} neither"
    ),
    "actual.read_share": "; reads were {share} of cached-prefix tokens",
    "actual.cache_misses_label": "Cache misses (diagnostics): ",
    "actual.cache_miss": _cache_miss,
    "actual.effective_rate_label": "Effective input rate: ",
    "actual.effective_rate": "{rate} of the standard input price (batch + cache at its best: 5%)",
    # the estimate against the actual bill
    "actual.comparison_title": "Estimate ({source}) against actual",
    "actual.col_estimated_tokens": "Est. tokens",
    "actual.col_actual_tokens": "Actual tokens",
    "actual.col_estimated_cost": "Est. cost",
    "actual.col_actual_cost": "Actual cost",
    "actual.total": "total",
    "actual.estimate_matched": "the estimate matched within 5% on every class",
    "actual.source_file": (
        "{file} as submitted (one cache write per prefix, max_tokens output, estimated token "
        "counts)"
    ),
    "actual.source_plan": (
        "the plan: {requests} requests x ({shared} shared + {unique} unique input, {output} "
        "output), {writes} cache writes, {ttl} TTL on {model}"
    ),
    # cold-start misses and the warm-up verdict
    "actual.cold_needs_batch": (
        "Cold-start misses: give --batch FILE (the request file that was submitted) to count "
        "the cache writes beyond the one each cache entry needs per batch."
    ),
    "actual.cold_label": "Cold-start misses: ",
    "actual.cold_misses": _cold_misses,
    "actual.warmup_would_pay": (
        "A warm-up (primer batch {primer}) would have turned {tokens} written tokens into reads "
        "and saved about {saved} on this run: costcalc warmup FILE --out primer.jsonl"
    ),
    "actual.warmup_would_not_pay": (
        "A warm-up (primer batch {primer}) would not have paid for itself on this run."
    ),
    # costcalc plan --budget: the gate's label
    "plan.budget_label": "plan total",
    # costcalc reconcile
    "reconcile.title": "Reconciled {start} to {end}",
    "reconcile.billed": "billed (cost report)",
    "reconcile.priced": "usage priced by costcalc",
    "reconcile.difference": "difference (billed - priced)",
    "reconcile.not_compared_billed": "billed, not compared",
    "reconcile.cells": _reconcile_cells,
    "reconcile.differences_title": "Differences (a cent or more)",
    "reconcile.not_compared_title": "Not compared",
    "reconcile.col_day": "day",
    "reconcile.col_model": "model",
    "reconcile.col_tier": "tier",
    "reconcile.col_token_type": "token type",
    "reconcile.col_tokens": "tokens",
    "reconcile.col_costcalc": "costcalc",
    "reconcile.col_billed": "billed",
    "reconcile.col_difference": "difference",
    "reconcile.col_status": "status or reason",
    "reconcile.batch_title": "Batch tier",
    "reconcile.batch_file": _reconcile_file,
    "reconcile.results_share": (
        "results files {results} of {billed} billed in the batch tier ({share})"
    ),
    "reconcile.no_batch_input": "no batch input billed in the range",
    "reconcile.batch_input": (
        "batch input billed {billed} = {share} of the same tokens at standard input "
        "({standard}); floor with every token a batched cache read: {floor}"
    ),
    # costcalc actual over many files: the report's table
    "report.head": _report_head,
    "report.standard_legend": "standard: the same tokens at standard rates, no cache",
    "report.unpriced_legend": (
        "{mark}: at least (some requests could not be priced; their tokens are counted); "
        "{unknown}: no request of the row could be priced"
    ),
    "report.unknown_cost": "unknown",
    "report.cold_head": _report_cold,
    "report.per_file_title": "Per file",
    "report.by_title": lambda f: "By " + " then ".join(f["keys"]),
    "report.all_groups": "all",
    "report.all_subgroups": "(all)",
    "report.requests_unpriced": "{requests} ({unpriced} unpriced)",
    "report.file_warning": "warning: {file}: {text}",
    "report.warning": "warning: {text}",
    "report.col_file": "file",
    "report.col_group": "group",
    "report.col_subgroup": "subgroup",
    "report.col_requests": "requests",
    "report.col_cost": "cost",
    "report.col_standard": "standard",
    "report.col_saving": "saving",
    "report.col_hit_rate": "hit rate",
    "report.col_cold_misses": "cold misses",
    "report.col_miss_extra": "miss extra",
}
