"""The English of the warnings and problems of estimate, sweep and plan: code -> (meaning,
message from the figures)."""

from __future__ import annotations

from collections.abc import Callable

from costcalc import fmt
from costcalc.messages.common import (
    F,
    _batch_limit,
    _const,
    _fast_deprecated,
    _tier_band,
    _unconfirmed,
)

MESSAGES: dict[str, tuple[str, Callable[[F], str]]] = {
    "over_max_output": (
        "output per request is over the model's max output",
        lambda f: (
            f"{f['output_tokens']:,} output tokens per request is over {f['model']}'s "
            f"max output of {f['max_output']:,}"
        ),
    ),
    "not_yet_released": (
        "the date priced is before the model's release: no price existed then",
        lambda f: (
            f"{f['model']} was released on {f['released']}; on {f['on']} it had no price, so "
            "this prices it at its first published rates"
        ),
    ),
    "unconfirmed_price": (
        "the model's prices are not yet confirmed by Anthropic's pricing page",
        lambda f: _unconfirmed(f),
    ),
    "below_cache_minimum": (
        "the shared prefix is under the model's minimum cacheable length: it is not cached",
        lambda f: (
            f"the shared prefix ({f['shared_tokens']:,} tokens) is under {f['model']}'s "
            f"minimum cacheable length of {f['min_cache_tokens']:,}: Anthropic processes it "
            "uncached (no error), so the cache scenarios cost the same as the uncached ones"
        ),
    ),
    "cache_write_only": (
        "every request writes the cache and none reads it",
        _const(
            "every request writes the cache and none reads it: caching only adds the write premium"
        ),
    ),
    "model_retired": (
        "the model is retired: the API no longer serves it",
        lambda f: f"{f['model']} was retired on {f['retired']}; the Claude API no longer serves it",
    ),
    "model_deprecated": (
        "the model is deprecated",
        lambda f: f"{f['model']} is deprecated since {f['deprecated']}",
    ),
    "fast_mode_realtime": (
        "fast mode is real-time only (no batch scenarios), at fast-mode rates",
        _const("fast mode: real-time only (it cannot be batched), at fast-mode rates"),
    ),
    "fast_mode_deprecated": ("the model's fast mode is deprecated", _fast_deprecated),
    "prompt_tier": (
        "each request's prompt is over a long-context threshold: the higher price row applies",
        lambda f: (
            f"each request's prompt of {f['prompt_tokens']:,} tokens (input + cache writes "
            f"+ cache reads) is over {f['model']}'s {f['threshold']:,}-token long-context "
            "threshold: the whole request, output included, is billed at the higher row (input "
            f"${f['input_rate']}/MTok, output ${f['output_rate']}/MTok)"
        ),
    ),
    "us_inference": (
        "US-only inference multiplies every token class",
        lambda f: f"US-only inference: every token class costs {f['multiplier']}x",
    ),
    "prompt_tier_band": (
        "the estimated prompt straddles a price threshold: count exactly to know the row",
        _tier_band,
    ),
    "token_band_high_unpriceable": (
        "the high end of the token estimate cannot be priced (the reason is given)",
        lambda f: f"at the high end of the token estimate, {f['reason']}",
    ),
    "over_batch_limit": (
        "the job exceeds one batch's request or size limit: it is several batches",
        _batch_limit,
    ),
    "cache_costs_more_at_zero_hits": (
        "with no cache hits, caching costs more than not caching",
        lambda f: (
            "with 0% cache hits (every request writes) caching costs "
            f"{fmt.usd(f['extra_usd'])} more than not caching"
        ),
    ),
}
