"""The words of estimate, sweep, plan, models, tokens and notices tables (present/estimate_table and
the other small tables).

By code; messages.text says how an entry is written. Counts that choose a noun's number arrive as
integers (a function entry writes them with thousands separators, as costcalc.fmt.tokens does);
every other number arrives already formatted by the presenter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from costcalc.messages.common import counted

F = Mapping[str, Any]


def _workload(f: F) -> str:
    return (
        f"{counted(f['requests'], 'request')}, each {f['shared']} shared + {f['unique']} unique "
        f"input and {f['output']} output tokens"
    )


def _cache(f: F) -> str:
    return (
        f"Cache: TTL {f['ttl']}, {counted(f['writes'], 'write')}, "
        f"{counted(f['reads'], 'read')} of the shared prefix"
    )


def _break_even(f: F) -> str:
    from_requests = (
        f", and from {counted(f['min_requests'], 'request')} with one write"
        if f["min_requests"] is not None
        else ""
    )
    return f"caching beats no caching above a {f['rate']} hit rate ({f['ttl']} TTL){from_requests}"


def _band_unique(f: F) -> str:
    over = f" over {f['texts']:,} files" if f["texts"] > 1 else ""
    largest = f", largest {f['largest']}" if f["largest"] is not None else ""
    return f"unique per request{over}: {f['band']} tokens{largest}"


def _sweep_note(f: F) -> str:
    return (
        f"{f['model']}: caching pays off from {counted(f['min_requests'], 'request')} with one "
        f"write, above a {f['rate']} hit rate ({f['ttl']} TTL)"
    )


def _tier(f: F) -> str:
    return f"prompt > {f['threshold']}" + (f", {f['span']}" if f["span"] is not None else "")


def _fast(f: F) -> str:
    return f"{f['input']} / {f['output']}" + (f" until {f['until']}" if f["until"] else "")


def _unconfirmed(f: F) -> str:
    which = f"{f['parts']} prices" if f["parts"] is not None else "prices"
    return (
        f"* {f['names']}: {which} not yet confirmed by Anthropic's pricing page; every command "
        "that prices them warns (unconfirmed_price)."
    )


def _estimated_tokenizer(f: F) -> str:
    return (
        f"{f['label']}: estimated as cl100k_base x the ratio of each file's kind "
        f"({f['kinds'] or 'one ratio'}; other text {f['low']}-{f['high']}, measured on sample "
        f"texts); {f['description']}"
    )


def _tokens_summary(f: F) -> str:
    return (
        f"{counted(f['files'], 'file')}, {counted(f['distinct'], 'distinct text')} "
        "(identical texts counted once). Only count_tokens (--exact) is exact."
    )


TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    # estimate: the header over the tables
    "estimate.prices_checked": "({id}), prices checked {checked}",
    "estimate.workload": _workload,
    "estimate.cache": _cache,
    "estimate.not_cached": "(not cached: under the minimum)",
    # estimate: how the token counts were made
    "estimate.counts_exact": "Token counts: exact, from Anthropic's count_tokens",
    "estimate.counts_estimated": "Token counts: estimated",
    "estimate.counts_method": (
        "(tiktoken cl100k_base x the {tokenizer} tokenizer's ratio for each text's kind: prose, "
        "code, structured or scripts; low-high is its band)"
    ),
    "estimate.band_exact": "{tokens} (exact)",
    "estimate.band_shared": "shared prefix: {band} tokens",
    "estimate.band_unique": _band_unique,
    # estimate: tables
    "estimate.col_scenario": "Scenario",
    "estimate.summary_title": "Cost by scenario, savings against standard",
    "estimate.col_total": "Total",
    "estimate.col_per_request": "Per request",
    "estimate.col_savings": "Savings",
    "estimate.lines_title": "Line items",
    "estimate.col_token_class": "Token class",
    "estimate.col_tokens": "Tokens",
    "estimate.col_rate": "$/MTok",
    "estimate.col_cost": "Cost",
    "estimate.cache_title": "Cache hits, best to worst ({uncached} without caching: {total})",
    "estimate.col_case": "Case",
    "estimate.col_writes": "Writes",
    "estimate.col_reads": "Reads",
    "estimate.col_hit_rate": "Hit rate",
    "estimate.col_note": "Note",
    "estimate.case_best": "best: one write",
    "estimate.case_per_batch": "one write per batch",
    "estimate.case_expected": "expected",
    "estimate.case_worst": "worst: 0% hits",
    "estimate.costs_more": "costs MORE than no caching",
    "estimate.band_title": "Cost at the low, central and high token counts",
    "estimate.col_low": "Low count",
    "estimate.col_central": "Central",
    "estimate.col_high": "High count",
    # estimate: planning lines under the tables
    "estimate.label_break_even": "Break-even:",
    "estimate.break_even": _break_even,
    "estimate.label_batches": "Batches:",
    "estimate.one_batch": "fits one batch (~{size} at {bytes_per_token} bytes/token)",
    "estimate.batches": (
        "{batches} batches of up to {per_batch} requests (the last {last}); ~{size} at "
        "{bytes_per_token} bytes/token, limits {max_requests} requests and {max_bytes} per batch"
    ),
    "estimate.label_ttl": "TTL:",
    "estimate.ttl_use": "use {ttl}.",
    "estimate.ttl_costs": (
        "With {rate} cache hits, {scenario} costs {cost_5m} with 5m and {cost_1h} with 1h "
        "(+{extra}); {reason}."
    ),
    # estimate: several models
    "estimate.compared_title": "Models compared (per request and saved: {scenario})",
    "estimate.col_model": "Model",
    "estimate.col_per_request_short": "per request",
    "estimate.col_saved": "saved",
    # sweep
    "sweep.title": "Sweep: total cost of every combination",
    "sweep.pays_off": _sweep_note,
    # plan
    "plan.title": "Plan: cost of each job by scenario",
    "plan.col_job": "Job",
    "plan.total": "total",
    # models
    "models.brand_prefix": "Claude ",
    "models.group_active": "Active",
    "models.group_legacy": "Legacy (still served)",
    "models.group_retired": "Retired",
    "models.prices_title": "Prices on {on}, USD per million tokens (* unconfirmed)",
    "models.col_input": "Input",
    "models.col_write_5m": "5m write",
    "models.col_write_1h": "1h write",
    "models.col_cache_read": "Cache read",
    "models.col_output": "Output",
    "models.col_batch_in": "Batch in",
    "models.col_batch_out": "Batch out",
    "models.tiers_title": "Prompt-length tiers and dated prices, USD per million tokens",
    "models.col_applies": "Applies",
    "models.tier": _tier,
    "models.span_between": "{start} to {end}",
    "models.span_until": "until {end}",
    "models.span_from": "from {start}",
    "models.span_always": "always",
    "models.other_dates": "other dates",
    "models.limits_title": "Names, status and limits (tokens; ? = not in our sources)",
    "models.col_names": "API id, then aliases",
    "models.col_status": "Status",
    "models.col_min_cache": "Min cache",
    "models.col_context": "Context",
    "models.col_max_output": "Max output",
    "models.max_output_batch": "{tokens} batch",
    "models.modifiers_title": "Modifiers (--region us, --fast); models not listed have neither",
    "models.col_us_only": "US-only inference",
    "models.col_fast": "Fast mode in / out, $/MTok",
    "models.fast": _fast,
    "models.stacked_title": "Stacked rate for cached batch reads (models still served)",
    "models.col_standard_input": "Standard input",
    "models.col_batch_cache_read": "Batch + cache read",
    "models.col_effective": "Effective rate",
    "models.per_mtok": "{rate}/MTok",
    "models.unconfirmed": _unconfirmed,
    "models.missing": (
        "Prices checked {checked}. A model missing here: copy the price table, add an entry under "
        "models: and pass the copy with --pricing FILE. The table:"
    ),
    # tokens
    "tokens.title": "Tokens per file",
    "tokens.col_file": "File",
    "tokens.col_bytes": "Bytes",
    "tokens.col_kind": "Kind",
    "tokens.exact": "{label}: exact, from Anthropic's count_tokens",
    "tokens.estimated": _estimated_tokenizer,
    "tokens.summary": _tokens_summary,
    # warnings under a table, and the JSON encoder's internal error
    "notices.warning": "warning:",
    "json.no_form": "no JSON form for {type}",
}
