"""Warnings and problems as data: a stable code, a severity, the figures they are about and the
line numbers they concern. Computing modules build these; the messages package words them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from types import MappingProxyType
from typing import Any


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


_EMPTY: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class Notice:
    """One warning or problem. `figures` hold plain values (int, str, Decimal, lists of them):
    what the message is about, so programs need not parse the English."""

    code: str
    severity: Severity
    figures: Mapping[str, Any] = field(default_factory=lambda: _EMPTY)
    lines: tuple[int, ...] = ()


INFO, WARN, ERR = Severity.INFO, Severity.WARNING, Severity.ERROR

# Every code and its severity. Errors are what the API would reject or what leaves something
# unpriced; warnings change or qualify a figure; info notes a choice the user made.
ESTIMATE_CODES: dict[str, Severity] = {  # estimate, sweep, plan (engine and planning)
    "over_max_output": WARN,
    "unconfirmed_price": WARN,
    "not_yet_released": ERR,
    "below_cache_minimum": WARN,
    "cache_write_only": WARN,
    "model_retired": ERR,
    "model_deprecated": WARN,
    "fast_mode_realtime": INFO,
    "fast_mode_deprecated": WARN,
    "prompt_tier": WARN,
    "us_inference": INFO,
    "prompt_tier_band": WARN,
    "token_band_high_unpriceable": WARN,
    "over_batch_limit": WARN,
    "cache_costs_more_at_zero_hits": WARN,
}
ACTUAL_CODES: dict[str, Severity] = {  # actual: warnings about result lines (results)
    "ttl_breakdown_missing": WARN,
    "priority_tier": WARN,
    "fast_without_fast_prices": ERR,
    "unknown_model_unpriced": ERR,
    "fast_mode_ended": WARN,
    "inference_geo_unknown": WARN,
    "speed_unknown": WARN,
    "price_changed_in_window": WARN,
    "fast_in_batch": WARN,
    "us_inference_unsupported": WARN,
    "duplicate_custom_id": WARN,
    "cache_creation_mismatch": WARN,
    "unknown_service_tier": WARN,
    "malformed_lines": WARN,
    # actual --batch: what explains the difference from the plan (Comparison.explanations)
    "billed_requests_differ": INFO,
    "differs_from_plan": INFO,
    "web_search_not_estimated": INFO,
    # actual --batch: cold-start misses (results.ColdStart)
    "results_not_in_batch": WARN,
    "results_not_in_batches": WARN,  # several request files (coldstart.ColdIndex)
    "batch_requests_without_results": INFO,
    "batch_custom_id_duplicate": WARN,  # a --batch file the API would have refused
    # actual --group-by (grouping.Grouping.notices)
    "custom_id_too_long": WARN,
    "tags_match_nothing": WARN,
    "tags_ids_not_in_results": INFO,
}
CHECK_CODES: dict[str, Severity] = {  # check: the problem kinds (batchfile, check, failclosed)
    "malformed": ERR,
    "max_tokens_too_large": ERR,
    "thinking_budget": ERR,
    "custom_id_duplicate": ERR,
    "custom_id_missing": ERR,
    "custom_id_invalid": ERR,
    "unknown_model": ERR,
    "max_tokens": ERR,
    "stream": ERR,
    "fast_mode": ERR,
    "messages": ERR,
    "auto_ttl_conflict": WARN,
    "cache_control_invalid": ERR,
    "breakpoints": ERR,
    "ttl_order": WARN,
    "uncounted": WARN,
    "image_not_measurable": WARN,
    "pdf_not_measurable": WARN,
    "image_unreadable": WARN,
    "image_too_large": ERR,
    "image_media_type_mismatch": WARN,
    "pdf_unreadable": WARN,
    "pdf_encrypted": WARN,
    "pdf_too_many_pages": ERR,
    "pdf_parser_missing": WARN,
    "document_content_not_text": WARN,
    "document_unreadable": WARN,
    "thinking_model_unknown": WARN,
    "tool_choice_unknown": WARN,
    "tool_prompt_unknown": WARN,
    "server_tool_overhead_unknown": WARN,
    "interleaved": WARN,
    "prefix_varies": WARN,
    "tool_choice_varies": WARN,
    "thinking_varies": WARN,
    "context_window": ERR,
    "context_window_maybe": WARN,
    "under_minimum": WARN,
    "may_be_under_minimum": WARN,
    "cache_never_read": WARN,
    "trailing_data": WARN,
    "model_not_api_id": ERR,
    "needs_output_300k_beta": WARN,
    "max_tokens_over_limit": ERR,
    "inference_geo_invalid": ERR,
    "inference_geo_unsupported": ERR,
    "too_many_requests": ERR,
    "too_large": ERR,
    "retired_model": ERR,
    # check: parameters and shapes the API refuses (requestrules)
    "temperature_rejected": ERR,
    "sampling_may_be_rejected": WARN,
    "rejected_on_api_2026_10_21": INFO,
    "model_id_case": WARN,
    # check: the basis of the expected output, and the summary of requests left unpriced
    "expected_output": INFO,
    "unpriced_malformed": ERR,
    "unpriced_unknown_model": ERR,
}
WARMUP_CODES: dict[str, Severity] = {
    # the warm-up is worked out for the priced requests only
    "warm_up_priced_part": WARN,
}
RECONCILE_CODES: dict[str, Severity] = {  # reconcile: why cells of the bill are not compared
    "reconcile_priority_tier": WARN,
    "reconcile_no_usage_report": INFO,
    "reconcile_unknown_model": ERR,
    "reconcile_unknown_service_tier": ERR,
    "reconcile_rates_unavailable": ERR,
    "reconcile_context_window_ambiguous": ERR,
    "reconcile_unknown": WARN,
    "reconcile_web_search_filtered": INFO,
    "reconcile_differs": WARN,
    "reconcile_not_billed": ERR,
    "reconcile_results_price_changed": WARN,
}
SEVERITY: dict[str, Severity] = {
    **ESTIMATE_CODES,
    **ACTUAL_CODES,
    **CHECK_CODES,
    **WARMUP_CODES,
    **RECONCILE_CODES,
}
COMMANDS = {
    "estimate, sweep, plan": ESTIMATE_CODES,
    "actual": ACTUAL_CODES,
    "check": CHECK_CODES,
    "warmup": WARMUP_CODES,
    "reconcile": RECONCILE_CODES,
}


def notice(code: str, lines: tuple[int, ...] = (), **figures: Any) -> Notice:
    """A Notice with the severity its code always has."""
    return Notice(code, SEVERITY[code], MappingProxyType(figures), lines)
