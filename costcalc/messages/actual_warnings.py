"""The English of the warnings and problems of actual: code -> (meaning, message from
the figures)."""

from __future__ import annotations

from collections.abc import Callable

from costcalc import fmt
from costcalc.messages.common import (
    F,
    _differs,
    _lines,
    _price_changed,
    _result_problem,
    _unknown_hint,
    counted,
)

MESSAGES: dict[str, tuple[str, Callable[[F], str]]] = {
    "ttl_breakdown_missing": (
        "results report cache writes without the 5m/1h breakdown: priced as 5m writes",
        lambda f: (
            f"{f['requests']:,} succeeded requests report cache writes without the 5m/1h "
            "breakdown (cache_creation); their writes are priced as 5m writes, the cheaper TTL"
        ),
    ),
    "priority_tier": (
        "result lines on Priority Tier, priced at standard rates: a lower bound",
        _result_problem("priority_tier"),
    ),
    "fast_without_fast_prices": (
        "fast-mode result lines on a model with no fast-mode prices: left unpriced",
        _result_problem("fast_without_fast_prices"),
    ),
    "fast_in_batch": (
        "fast-mode result lines in a batch: priced at fast rates without the batch discount",
        _result_problem("fast_in_batch"),
    ),
    "us_inference_unsupported": (
        "US-only result lines on a model with no US multiplier: priced at global rates",
        _result_problem("us_inference_unsupported"),
    ),
    "duplicate_custom_id": (
        "result lines repeat an earlier line's custom_id: each is priced as billed",
        _result_problem("duplicate_custom_id"),
    ),
    "cache_creation_mismatch": (
        "cache write total differs from its 5m/1h breakdown: the breakdown is priced (a lower "
        "bound when the total is larger)",
        _result_problem("cache_creation_mismatch"),
    ),
    "unknown_service_tier": (
        "result lines with an unknown service_tier: priced at standard rates, a lower bound",
        _result_problem("unknown_service_tier"),
    ),
    "unknown_model_unpriced": (
        "result lines on a model not in the price table: left unpriced, the rest is priced",
        lambda f: _result_problem("unknown_model_unpriced")(f) + "; " + _unknown_hint(f["unknown"]),
    ),
    "fast_mode_ended": (
        "fast-mode result lines on a model whose fast mode has ended: priced at its last "
        "fast-mode rates",
        _result_problem("fast_mode_ended"),
    ),
    "inference_geo_unknown": (
        "result lines with an unknown inference_geo: priced at global rates, a lower bound",
        _result_problem("inference_geo_unknown"),
    ),
    "speed_unknown": (
        "result lines with an unknown speed: priced at standard speed, a lower bound",
        _result_problem("speed_unknown"),
    ),
    "price_changed_in_window": (
        "a price the results use changed within the 29 days a batch's results are kept",
        _price_changed,
    ),
    "malformed_lines": (
        "result lines that are not JSON or not a result are skipped",
        lambda f: (
            f"{counted(f['count'], 'malformed line')} skipped "
            f"({'line' if f['count'] == 1 else 'lines'} {_lines(f['shown_lines'], f['count'])})"
        ),
    ),
    "billed_requests_differ": (
        "fewer (or more) requests were billed than planned",
        lambda f: (
            f"{counted(f['billed'], 'request')} "
            f"{'was' if f['billed'] == 1 else 'were'} billed against {f['planned']:,} planned "
            "(errored, canceled and expired requests are not billed)"
        ),
    ),
    "differs_from_plan": (
        "a token class differs from the plan by over 5% per request",
        _differs,
    ),
    "web_search_not_estimated": (
        "web searches were billed, which the estimate does not include",
        lambda f: (
            f"{f['searches']:,} web searches cost {fmt.usd(f['cost_usd'])}, "
            "which the estimate does not include"
        ),
    ),
    "results_not_in_batch": (
        "results whose custom_id is not in the request file given with --batch",
        lambda f: (
            f"{f['unmatched']:,} of {f['matched'] + f['unmatched']:,} succeeded results have a "
            "custom_id that is not in the request file given with --batch"
            + (
                ": no cold-start verdict; give the request file that produced these results"
                if not f["matched"]
                else f"; cold-start misses count only the {f['matched']:,} that match"
            )
        ),
    ),
    "custom_id_too_long": (
        "custom_ids over 64 characters, which the API does not allow: grouped as (unmatched)",
        lambda f: (
            f"{counted(f['count'], 'succeeded result')} "
            f"{'has' if f['count'] == 1 else 'have'} a custom_id over "
            f"{f['limit']} characters, which the Message Batches API does not allow (1 to "
            f"{f['limit']} of a-z, A-Z, 0-9, _ and -): grouped as (unmatched), the pattern "
            "not tried on them"
        ),
    ),
    "tags_match_nothing": (
        "a tags file names no custom_id of the results: every request is (untagged)",
        lambda f: (
            f"{f['file']}: none of its {counted(f['rows'], 'row')} names a custom_id of the "
            "results, so every request is (untagged); is it the tags file of these batches?"
        ),
    ),
    "tags_ids_not_in_results": (
        "tags rows whose custom_id is in no results file",
        lambda f: (
            f"{f['file']}: {f['unmatched']:,} of its {counted(f['rows'], 'row')} name a "
            "custom_id that is in no results file given"
        ),
    ),
    "results_not_in_batches": (
        "results whose custom_id is in none of the request files given with --batch",
        lambda f: (
            f"{f['unmatched']:,} of {f['matched'] + f['unmatched']:,} succeeded results have a "
            "custom_id that is in none of the request files given with --batch (or could not "
            "be priced): they are priced from their usage, but "
            + (
                "no cold-start miss can be counted; give the request files that produced them"
                if not f["matched"]
                else f"cold-start misses count only the {f['matched']:,} that match"
            )
        ),
    ),
    "batch_custom_id_duplicate": (
        "a request file given with --batch repeats a custom_id",
        lambda f: (
            (f"{f['file']}: " if f.get("file") else "the request file given with --batch: ")
            + f"{f['count']:,} request{'s' if f['count'] != 1 else ''} repeat"
            + ("s" if f["count"] == 1 else "")
            + " a custom_id of an earlier request; the API refuses such a batch (custom_id "
            "must be unique within it), so it is not what was submitted: each result is "
            "paired with the first request of its custom_id"
        ),
    ),
    "batch_requests_without_results": (
        "requests of the --batch files that no result answered",
        lambda f: (
            f"{f['requests']:,} request{'s' if f['requests'] != 1 else ''} of the request "
            "files given with --batch "
            + ("has" if f["requests"] == 1 else "have")
            + " no succeeded result in the results files (errored, canceled, expired, or "
            "not among the files given)"
        ),
    ),
}
