"""The English of every warning and problem, rendered from its code and figures: the one place
such text is written, and the one place it names a command-line flag."""

from __future__ import annotations

import shlex
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from costcalc import fmt
from costcalc.notices import COMMANDS


class Coded(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def figures(self) -> Mapping[str, Any]: ...


F = Mapping[str, Any]


def _lines(lines: list[int] | tuple[int, ...], count: int) -> str:
    return ", ".join(map(str, lines[:5])) + (" ..." if count > 5 else "")


def counted(n: int, word: str, plural: str | None = None) -> str:
    """'1 line', '2 lines', '1,000 lines': a count with its noun in the right number."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _batch_limit(f: F) -> str:
    if f["limited_by"] == "requests":
        why = f"{f['requests']:,} requests exceed the {f['max_requests']:,}-request limit"
    else:
        why = (
            f"~{fmt.size(f['total_bytes'])} of requests (~{fmt.size(f['bytes_per_request'])} "
            f"each at {fmt.number(f['bytes_per_token'])} bytes/token) exceed the "
            f"{fmt.size(f['max_bytes'])} batch limit"
        )
    return (
        f"{why}: this is {f['batches']} batches of up to {f['requests_per_batch']:,} "
        f"requests, and each batch may write the cache again (the per_batch case)"
    )


def _fast_deprecated(f: F) -> str:
    until = f", removed on {f['removed']}" if f.get("removed") else ""
    return f"{f['model']}'s fast mode is deprecated since {f['deprecated']}{until}"


def _tier_band(f: F) -> str:
    threshold = f"{f['threshold']:,}-token " if f.get("threshold") else ""
    return (
        f"the estimated prompt ({f['low_tokens']:,} to {f['high_tokens']:,} tokens) straddles "
        f"{f['model']}'s {threshold}price threshold: above it the whole request pays the higher "
        "row; count exactly (--exact) to know which row applies"
    )


# Phrases for the result-line problems of `actual` (JSON problems[].message); the warning about
# each says "N lines <phrase> (lines ...)".
RESULT_PROBLEMS: dict[str, str] = {
    "unknown_model_unpriced": "name a model that is not in the price table: they are left "
    "unpriced (not $0), so the total is a lower bound",
    "fast_mode_ended": "report speed fast on a model whose fast mode is not offered on the "
    "pricing date: the line proves it ran in fast mode, so it is priced at the model's last "
    "fast-mode rates (give --date with the day the batch ran to price it on that day)",
    "inference_geo_unknown": "report an inference_geo other than global or us (the API has only "
    "those two): priced at global rates, the lower of the two, so the total is a lower bound",
    "speed_unknown": "report a speed other than standard or fast (the API has only those "
    "two): priced at standard speed, the cheaper, so the total is a lower bound",
    "priority_tier": "report service_tier priority: Priority Tier has no public per-token "
    "price, so they are priced at standard rates, a lower bound",
    "fast_without_fast_prices": "report speed fast on a model with no fast-mode prices in the "
    "data: they are left unpriced (not $0), so the total is a lower bound",
    "fast_in_batch": "report speed fast with service_tier batch (fast mode cannot be batched): "
    "priced at fast rates without the batch discount",
    "us_inference_unsupported": "report inference_geo us on a model with no US multiplier in "
    "the data (the API rejects the parameter on it): priced at global rates",
    "duplicate_custom_id": "repeat a custom_id seen on an earlier line (custom_id must be "
    "unique in a batch); each line is priced as billed",
    "cache_creation_mismatch": "report cache_creation_input_tokens that differ from the sum of "
    "their 5m/1h breakdown; the breakdown is priced",
    "unknown_service_tier": "report a service_tier other than standard, priority or batch: "
    "priced at the command's default rates",
}


# The words of RESULT_PROBLEMS that refer back to the lines, for a single line.
_SINGULAR = ((" they are ", " it is "), (" their ", " its "), ("each line is", "the line is"))


def _result_problem(code: str) -> Callable[[F], str]:
    def render(f: F) -> str:
        which = f" ({', '.join(f['models'])})" if f.get("models") else ""
        shown = _lines(f["shown_lines"], f["count"])
        what = RESULT_PROBLEMS[code]
        if f["count"] == 1:  # "1 line reports ... it is", "2 lines report ... they are"
            verb, _, rest = what.partition(" ")
            what = f"{verb}s {rest}"
            for many, one in _SINGULAR:
                what = what.replace(many, one)
        where = "line" if f["count"] == 1 else "lines"
        return f"{counted(f['count'], 'line')} {what}{which} ({where} {shown})"

    return render


def _clip(name: str, width: int = 60) -> str:
    """A name from a file, cut short for a message (JSON figures keep it whole)."""
    return name if len(name) <= width else name[: width - 3] + "..."


def _unknown_hint(unknown: list[F]) -> str:
    """Each unknown name with its nearest known id, and how to price it with `actual`: an
    alias in a copy of the price table (actual's --model names the plan's model, not this)."""
    names = ", ".join(
        f"{_clip(u['name'])} ({u['count']:,} line{'s' if u['count'] != 1 else ''}"
        + (f"; nearest known id {u['suggestion']}" if u.get("suggestion") else "")
        + ")"
        for u in unknown
    )
    return (
        f"unknown: {names}. To price them, copy the price table ('costcalc models' ends with "
        "its path), add the name to the right model's aliases: [...] (or a new entry under "
        "models:) and pass the copy with --pricing FILE"
    )


def _price_changed(f: F) -> str:
    changes = "; ".join(f"{c['model']} on {c['changed']}" for c in f["changes"])
    return (
        f"priced at the prices of {f['priced_on']} (today), but prices the results use changed "
        f"within the 29 days before it ({changes}); batch results are kept 29 days after the "
        "batch was created, so it may have run before a change: give --date YYYY-MM-DD, the "
        "day it ran"
    )


# token class group -> (its name, the word for "fewer", why there are more)
_PLANNED = {
    "cache_write": (
        "cache writes",
        "fewer",
        " (batch requests run concurrently, so many miss the cache)",
    ),
    "cache_read": ("cache reads", "fewer", ""),
    "input": ("uncached input", "less", ""),
    "output": ("output", "less", ""),
}


def _differs(f: F) -> str:
    what, fewer, cause = _PLANNED[f["token_class"]]
    more = f["direction"] == "more"
    return (
        f"{'more' if more else fewer} {what} than planned: {fmt.tokens(f['actual_tokens'])} "
        f"tokens per request against {fmt.tokens(f['planned_tokens'])}{cause if more else ''}"
    )


def _expected_output(f: F) -> str:
    if f.get("output") is not None:
        return f"expected output: {f['output']:,} tokens per request, at most max_tokens (--output)"
    if f.get("output_ratio") is not None:
        return f"expected output: {f['output_ratio']} x max_tokens (--output-ratio)"
    return "expected output: max_tokens (give --output or --output-ratio for a real expectation)"


_PRICE_GROUPS = {
    "input": "input",
    "output": "output",
    "cache": "cache write and read",
    "batch": "batch",
    "fast": "fast-mode",
}


def _unconfirmed(f: F) -> str:
    parts = f.get("prices") or list(_PRICE_GROUPS)
    if len(parts) == len(_PRICE_GROUPS):
        what = f"{f['model']}'s prices are"
    else:
        confirmed = [_PRICE_GROUPS[p] for p in _PRICE_GROUPS if p not in parts]
        names = [_PRICE_GROUPS[p] for p in parts]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        what = (
            f"{f['model']}'s {' and '.join(confirmed)} prices are confirmed; its {listed} "
            "prices are"
        )
    provisional = "the cost" if len(parts) == len(_PRICE_GROUPS) else "the costs at those prices"
    return (
        f"{what} not yet confirmed by Anthropic's pricing page (the pricing data marks them "
        f"unconfirmed, checked {f['checked']}); treat {provisional} as provisional"
    )


def _const(text: str) -> Callable[[F], str]:
    return lambda f: text


_UNCOUNTED = {
    "no_offline_count": "non-text blocks (images, documents, thinking, ...) with no offline "
    "count (the estimate is low for these requests)",
    "unknown_block": "blocks of a type costcalc does not know: estimated from their JSON text as "
    "a range from 0, not measured",
}
_MALFORMED = {
    "not_json": "not valid JSON; the line is skipped",
    "not_request": 'not a request object ({"custom_id", "params"}); skipped',
}

# code -> (what it means, for the README; the message from its figures)
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
        "cache write total differs from its 5m/1h breakdown: the breakdown is priced",
        _result_problem("cache_creation_mismatch"),
    ),
    "unknown_service_tier": (
        "result lines with an unknown service_tier: priced at the command's default rates",
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
    # check problems: the message is a phrase; the lines are listed beside it
    "malformed": (
        "a line is not JSON or not a request object: skipped",
        lambda f: _MALFORMED[f["reason"]],
    ),
    "max_tokens_too_large": (
        "max_tokens is beyond any model's output: the API would reject it",
        lambda f: (
            f"max_tokens is over {f['limit']:,}, beyond any model's output; the API would reject it"
        ),
    ),
    "thinking_budget": (
        "thinking.budget_tokens is not a whole number below max_tokens",
        _const(
            "thinking.budget_tokens must be a whole number below max_tokens; the API would reject "
            "it"
        ),
    ),
    "custom_id_duplicate": (
        "a custom_id repeats an earlier request's",
        _const("custom_id repeats an earlier request's; ids must be unique"),
    ),
    "custom_id_missing": ("custom_id is missing", _const("custom_id is missing")),
    "custom_id_invalid": (
        "custom_id does not match ^[a-zA-Z0-9_-]{1,64}$",
        _const("custom_id must match ^[a-zA-Z0-9_-]{1,64}$"),
    ),
    "unknown_model": (
        "the model is unknown or missing",
        lambda f: f"unknown or missing model {f['name']!r}",
    ),
    "max_tokens": (
        "max_tokens is missing or below 1",
        _const("max_tokens is missing or below 1 (batches require >= 1)"),
    ),
    "stream": ("stream: true in a batch request", _const("stream: true is not allowed in a batch")),
    "fast_mode": (
        'speed: "fast" in a batch request (fast mode cannot be batched)',
        _const('speed: "fast" (fast mode) cannot be batched'),
    ),
    "messages": (
        "messages is missing or empty",
        _const("messages is missing or not a non-empty list"),
    ),
    "auto_ttl_conflict": (
        "automatic caching and an explicit cache_control disagree on a block's TTL",
        _const(
            "automatic caching and an explicit cache_control on the same block with different TTLs"
        ),
    ),
    "cache_control_invalid": (
        "a cache_control the API would reject",
        _const(
            'cache_control must be {"type": "ephemeral"} with an optional "ttl" of "5m" or '
            '"1h"; the API would reject the request'
        ),
    ),
    "breakpoints": (
        "more cache breakpoints than the API allows",
        lambda f: (
            f"more than {f['max']} cache breakpoints (automatic caching counts as one); "
            "the API would reject the request"
        ),
    ),
    "ttl_order": (
        "a 1h cache_control comes after a 5m one",
        _const("a 1h cache_control comes after a 5m one; longer TTLs must come first"),
    ),
    "uncounted": (
        "blocks with no offline count: the estimate is a range from 0 for them",
        lambda f: _UNCOUNTED[f["source"]],
    ),
    "image_not_measurable": (
        "an image from a URL or file_id: counted as a range",
        _const(
            "an image from a URL or file_id cannot be measured offline: counted as 0 up to the "
            "model's per-image cap"
        ),
    ),
    "pdf_not_measurable": (
        "a PDF from a URL or file_id: counted as a range",
        _const(
            "a PDF from a URL or file_id cannot be measured offline: counted as one page up to "
            "the request's page limit"
        ),
    ),
    "image_unreadable": (
        "an image whose header cannot be read: counted as a range",
        _const("an image whose header cannot be read: counted as 0 up to the per-image cap"),
    ),
    "image_too_large": (
        "an image over the API's size limits",
        _const("an image over the API's size limits (8000 px, 10 MB): the API would reject it"),
    ),
    "image_media_type_mismatch": (
        "an image's media_type differs from its data's format",
        _const("an image's media_type differs from its data's format"),
    ),
    "pdf_unreadable": (
        "a PDF whose pages cannot be read: counted as a range",
        _const("a PDF whose pages cannot be read: counted as one page up to the page limit"),
    ),
    "pdf_encrypted": (
        "an encrypted PDF: counted as a range",
        _const("an encrypted PDF (the API does not take them): counted as a range"),
    ),
    "pdf_too_many_pages": (
        "a PDF over the API's page limit",
        lambda f: (
            "a PDF over the API's page limit"
            + (
                f" of {f['max_pages']:,} pages per request"
                + (
                    " (the limit when the request's context window is under 1M tokens; 600 "
                    "with a 1M window)"
                    if f.get("small_window")
                    else ""
                )
                if "max_pages" in f
                else ""
            )
            + ": the API would reject it (https://platform.claude.com/docs/en/build-with-"
            "claude/pdf-support)"
        ),
    ),
    "pdf_parser_missing": (
        "pypdf is not installed: PDFs counted as a range of pages",
        _const("pypdf is not installed: PDFs counted as a range of pages"),
    ),
    "document_content_not_text": (
        "a content document with non-text parts, which are not counted",
        _const("a content document with non-text parts: those are not counted"),
    ),
    "document_unreadable": (
        "a document block without a usable source: not counted",
        _const("a document block without a text, content or PDF source: not counted"),
    ),
    "thinking_model_unknown": (
        "thinking blocks on a model whose thinking rule is not known: counted as a range",
        _const(
            "thinking blocks on a model whose thinking rule is not known: counted as 0 up to the "
            "kept estimate"
        ),
    ),
    "tool_choice_unknown": (
        "an unknown tool_choice: the tool-use system prompt is counted as a range",
        _const(
            "an unknown tool_choice: the tool-use system prompt is counted as a range over the "
            "auto and any sizes"
        ),
    ),
    "tool_prompt_unknown": (
        "the model's tool-use system prompt size is not known: counted as a range",
        _const(
            "the model's tool-use system prompt size is not known (facts 26): counted as 0 up to "
            "the largest known"
        ),
    ),
    "server_tool_overhead_unknown": (
        "a server tool whose definition overhead is not published: not counted",
        _const(
            "a server tool whose definition overhead is not published (web search, fetch, code "
            "execution): its tokens are not counted"
        ),
    ),
    "interleaved": (
        "requests sharing a cached prefix are not together in the file",
        _const(
            "requests with the same cached prefix are not together; group them so the batch "
            "processor can reuse each cache entry"
        ),
    ),
    "prefix_varies": (
        "cached prefixes differ only in numbers or ids, so no cache entry is shared",
        _const(
            "cached prefixes differ only in numbers or ids (a date or id inside the shared "
            "text?), so no request shares a cache entry; move the varying part after the cache "
            "breakpoint"
        ),
    ),
    "temperature_rejected": (
        "temperature on a model that rejects it: the API would refuse the request",
        lambda f: (
            f"{f['model']} rejects temperature (Claude Opus 4.7 and later answer 400 "
            '"temperature is deprecated for this model"): the request would come back errored, '
            "not billed, so it is left out of the cost; remove temperature"
        ),
    ),
    "sampling_may_be_rejected": (
        "top_p or top_k on a model that may reject them",
        lambda f: (
            f"{' and '.join(f['params'])} on {f['model']}: third-party release notes (not "
            "Anthropic's pages) say Opus 4.7 and later reject them as they reject temperature; "
            "the request is priced, but it may come back errored"
        ),
    ),
    "rejected_on_api_2026_10_21": (
        "rejected on API version 2026-10-21 or later",
        _const(
            "rejected on API version 2026-10-21 or later (the anthropic-version header, not "
            "part of this file): that version refuses temperature, top_p and top_k on every "
            "model, a document block in an assistant message, and a user text block with "
            "citations; fine on earlier versions"
        ),
    ),
    "model_id_case": (
        "a model id not in lower case, as every Claude API model id is",
        lambda f: (
            f"model {f['name']!r} is not in lower case, as every Claude API model id is "
            f"(here {f['model']}); whether the API takes another case is not documented: "
            "write it in lower case"
        ),
    ),
    "tool_choice_varies": (
        "requests share their blocks but not tool_choice, so no message cache entry is shared",
        _const(
            "requests with the same blocks differ in tool_choice: a tool_choice change "
            "invalidates the message cache (tools and system entries are still read), so each "
            "writes its own message entries; give requests that share a conversation prefix "
            "the same tool_choice"
        ),
    ),
    "thinking_varies": (
        "requests share their blocks but not the thinking settings, so no message cache entry "
        "is shared",
        _const(
            "requests with the same blocks differ in their thinking settings: a thinking change "
            "invalidates the message cache (tools and system entries are still read), so each "
            "writes its own message entries; give requests that share a conversation prefix "
            "the same thinking settings"
        ),
    ),
    "context_window": (
        "input is over the model's context window",
        lambda f: (
            f"input is over the model's context window ({f['limit']:,} tokens) even at the "
            "low end of its estimate; the API would reject it (not billed, left out of the cost)"
        ),
    ),
    "context_window_maybe": (
        "the input estimate spans the model's context window: the request may exceed it",
        lambda f: (
            f"input may exceed the model's context window ({f['limit']:,} tokens): the "
            "estimate spans it, so the request is priced in every case (the worst case at its "
            "high count) and the API may reject it (--exact to know)"
        ),
    ),
    "may_be_under_minimum": (
        "a cache entry's estimate spans the model's minimum: it may or may not be cached",
        lambda f: (
            "a cache entry's estimate spans the model's minimum cacheable length "
            f"({f['min_cache_tokens']:,} tokens): it may or may not be cached (the worst case "
            "counts it cached; --exact to know)"
        ),
    ),
    "trailing_data": (
        'data after the requests array: the API body is only {"requests": [...]}',
        lambda f: (
            "data after the requests array (another top-level key, or trailing bytes: "
            f'{f["found"]!r}); the API body is only {{"requests": [...]}}'
        ),
    ),
    "model_not_api_id": (
        "a model name that is not a Claude API id (a costcalc alias or another platform's id)",
        lambda f: (
            f"model {f['name']!r} is not a Claude API model id; the API would reject it (use "
            f"{f['model']!r})"
        ),
    ),
    "needs_output_300k_beta": (
        "max_tokens over the model's output limit: the batch needs the extended-output beta",
        lambda f: (
            f"max_tokens is over the model's {f['limit']:,}-token output limit: the batch needs "
            f"the {f['beta']} beta header (up to {f['batch_limit']:,})"
        ),
    ),
    "max_tokens_over_limit": (
        "max_tokens over the model's output limit: the API would reject it",
        lambda f: (
            f"max_tokens is over the model's output limit ({f['limit']:,} tokens); the API "
            "would reject it"
        ),
    ),
    "inference_geo_invalid": (
        'inference_geo other than "global" or "us": the API would reject it',
        lambda f: 'inference_geo must be "global" or "us"; the API would reject the request',
    ),
    "inference_geo_unsupported": (
        'inference_geo "us" on a model before Claude 4.6: the API would reject it',
        lambda f: (
            f'inference_geo "us" on {f["model"]}, which does not offer US-only inference '
            "(models before Claude 4.6 return 400); the API would reject the request"
        ),
    ),
    "under_minimum": (
        "a cache entry is under the model's minimum cacheable length: it is not cached",
        lambda f: (
            "a cache entry is under the model's minimum cacheable length "
            f"({f['min_cache_tokens']:,} tokens): it is silently not cached"
        ),
    ),
    "cache_never_read": (
        "no other request reads this request's cache entries",
        _const(
            "no other request reads this request's cache entries: caching only adds the write "
            "premium"
        ),
    ),
    "too_many_requests": (
        "more requests than one batch takes",
        lambda f: f"over {f['max_requests']:,} requests, the most one batch takes; split the file",
    ),
    "too_large": (
        "the file is over one batch's size limit",
        lambda f: (
            f"the file is over {f['max_bytes']:,} bytes, the most one batch takes; split the file"
        ),
    ),
    "retired_model": (
        "a request names a retired model",
        lambda f: f"model {f['model']} is retired on {f['retired']}; the API would reject it",
    ),
    "expected_output": (
        "what the expected output is based on (--output, --output-ratio or max_tokens)",
        _expected_output,
    ),
    "unpriced_malformed": (
        "requests left out of the cost: malformed lines",
        lambda f: (
            f"{f['count']:,} malformed line{'s' if f['count'] != 1 else ''} (not JSON or "
            "not a request)"
        ),
    ),
    "unpriced_unknown_model": (
        "requests left out of the cost: an unknown model",
        lambda f: (
            f"unknown model {f['name']} in {f['count']:,} request"
            f"{'s' if f['count'] != 1 else ''}"
            + (f" (did you mean {f['suggestion']}?)" if f.get("suggestion") else "")
        ),
    ),
    "warm_up_priced_part": (
        "the warm-up covers only the requests that could be priced",
        lambda f: (
            f"the warm-up is worked out for the {f['priced']:,} priced request"
            f"{'s' if f['priced'] != 1 else ''} only: the {f['unpriced']:,} that could not be "
            "priced get no primer and are in no total, so whether warming up pays is decided "
            "on the priced part"
        ),
    ),
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


def _cells(f: F) -> str:
    return f"{f['cells']:,} cell{'s' if f['cells'] != 1 else ''}"


def _names(f: F) -> str:
    """The models (or cost types) of a reconcile notice; None is a row the report sent with no
    model."""
    return ", ".join("a row with no model" if n is None else n for n in f["names"])


def render(item: Coded) -> str:
    """The English of a Notice (or of anything with a code and figures, such as a problem)."""
    return MESSAGES[item.code][1](item.figures)


def meaning(code: str) -> str:
    return MESSAGES[code][0]


def result_problem_text(code: str) -> str:
    """The phrase of an `actual` result-line problem, as its JSON `message` has it."""
    return RESULT_PROBLEMS[code]


def codes_table() -> str:
    """The README's table of every code (tests keep the README equal to it)."""
    rows = ["| Code | Severity | Command | Meaning |", "| --- | --- | --- | --- |"]
    for command, codes in COMMANDS.items():
        for code, severity in codes.items():
            rows.append(f"| `{code}` | {severity.value} | {command} | {meaning(code)} |")
    return "\n".join(rows) + "\n"


# Errors (exit status 2) raised as CodedError: one line naming the problem and the fix.
ERRORS: dict[str, Callable[[F], str]] = {
    "all_rejected": lambda f: (
        f"{f['file']}: nothing can be priced: every request would be rejected by the API"
        + (f" ({'; '.join(f['rejected'])})" if f["rejected"] else "")
        + (f" or cannot be priced ({'; '.join(f['unpriced'])})" if f["unpriced"] else "")
        + "; fix those lines and check again"
    ),
    "no_fast_mode": lambda f: (
        f"{f['model']} has no fast mode in the pricing data ('costcalc "
        "models' shows which models have one); price it at standard speed (without --fast)"
    ),
    "fast_mode_not_offered": lambda f: (
        f"{f['model']}'s fast mode "
        + (
            f"was removed on {f['removed']} (requests with speed fast are rejected)"
            if f.get("removed")
            else f"starts on {f.get('starts') or '?'}"
        )
        + f", so it cannot be priced on {f['on']}; price it at standard speed (without "
        "--fast) or as of a date when fast mode was offered (--date)"
    ),
    "no_us_inference": lambda f: (
        f"{f['model']} does not support US-only inference (the API "
        "returns 400 for inference_geo on models before Claude 4.6); drop --region us"
    ),
    "nothing_priced_in_results": lambda f: (
        f"{f['file']}: none of its {f['requests']:,} succeeded results can be priced"
        + (
            f" ({f['reasons']['fast_without_fast_prices']:,} in fast mode on a model without "
            "fast-mode prices)"
            if f["reasons"].get("fast_without_fast_prices")
            else ""
        )
        + ("; " + _unknown_hint(f["unknown"]) if f["unknown"] else "")
    ),
    "group_by_not_a_regex": lambda f: (
        f"--group-by {f['spec']}: not a regular expression ({f['error']})"
    ),
    "group_by_no_capture_group": lambda f: (
        f"--group-by {f['spec']}: the pattern needs a capture group, the part that names the "
        "group, e.g. custom_id:^([a-z]+)-"
    ),
    "group_by_unknown": lambda f: (
        f"--group-by {f['spec']!r} is not a grouping; use model, file, tier, custom_id:REGEX "
        "(the first capture group names the group) or tags:FILE.csv (custom_id,tag rows)"
    ),
    "group_by_too_many": lambda f: f"--group-by at most {f['levels']} times (two levels)",
    "no_hit_rate_measurable": lambda f: (
        f"{f['file']} has no cache reads or writes in its "
        "succeeded requests, so no hit rate can be measured from it; give --hit-rate R instead"
    ),
    "reconcile_range_reversed": lambda f: (
        f"--to {f['end']} is before --from {f['start']}; swap them"
    ),
    "reconcile_budget_priority": lambda f: (
        "budget not passed: Priority Tier usage is not in the billed total (the cost report "
        "leaves it out)"
    ),
    "reconcile_range_too_long": lambda f: (
        f"{f['days']} days from --from to --to; reconcile at most {f['most']} days per run"
    ),
    "reconcile_date_out_of_range": lambda f: (
        f"--to {f['day']} is the last day a date can have: the reports need the day after "
        "--to; give an earlier day"
    ),
    "admin_key_missing": lambda f: (
        f"no Admin API key: set {f['env']} to an Admin API key (sk-ant-admin..., created by an "
        "organisation admin in the Console)"
    ),
    "admin_base_url_invalid": lambda f: (
        f"{f['env']} is {f['url']!r}, not an http(s) URL; set it to the API's base URL or unset it"
    ),
    "admin_key_rejected": lambda f: (
        f"the Admin API refused the key (HTTP {f['status']}): {f['env']} must be an Admin API "
        "key (sk-ant-admin...) of an organisation admin, not a regular API key"
    ),
    "admin_rate_limited": lambda f: (
        f"the Admin API kept answering 429 (rate limited) after {f['tries']} tries; "
        "wait a minute and run reconcile again, or ask for fewer days"
    ),
    "admin_api_failed": lambda f: (
        f"the Admin API failed (HTTP {f['status']}) {f['tries']} times for {f['path']}; "
        "nothing was reconciled: try again later"
    ),
    "admin_api_status": lambda f: (
        f"the Admin API answered HTTP {f['status']} for {f['path']}; nothing was reconciled"
    ),
    "admin_unreachable": lambda f: (
        f"cannot reach the Admin API at {f['url']} ({f['reason']}); check the network or "
        "ANTHROPIC_BASE_URL"
    ),
    "admin_page_malformed": lambda f: (
        f"the Admin API sent a page costcalc cannot read ({f['path']}: bad {f['what']}); "
        "nothing was reconciled"
    ),
}


def _results_not_requests(f: F) -> str:
    """check was given a batch results file: the `actual` command line that prices it. actual
    reads results as JSONL only, so a JSON array (or object) is first turned into lines."""
    source = "-" if f["stdin"] else shlex.quote(str(f["file"]))
    if f["form"] == "jsonl":
        again = " (give it the same standard input)" if f["stdin"] else ""
        return (
            f"{f['file']} looks like a batch results file; use costcalc actual {source} to "
            f"price it{again}"
        )
    where = "< FILE" if f["stdin"] else source
    items = ".[]" if f["form"] == "array" else ".requests[]"
    return (
        f"{f['file']} looks like batch results in one JSON document; costcalc actual reads "
        "results as JSONL (one result per line): convert it, e.g. "
        f"jq -c '{items}' {where} > results.jsonl, then use costcalc actual results.jsonl to "
        "price it"
    )


ERRORS["results_not_requests"] = _results_not_requests

# Usage errors of the command line's own options (exit status 2).
ERRORS.update(
    {
        "needs_budget": lambda f: f"{f['flag']} {f['what']}; add --budget USD",
        "fast_not_batched": lambda f: (
            f"fast mode cannot be batched, so there is no {f['scenario']} scenario; "
            "use --scenario standard or cache"
        ),
        "not_both": lambda f: f"give {f['first']} or {f['second']}, not both",
        "same_file": lambda f: f"{f['first']} and {f['second']} name the same file; give two files",
        "nothing_to_warm": lambda f: (
            f"nothing to warm in {f['file']}: {f['why']}; no primer file was written"
        ),
        "chart_not_svg": lambda f: f"--chart writes SVG; name the file .svg (got {f['path']})",
        "nothing_to_sweep": lambda f: (
            "nothing to sweep: give one parameter a list, e.g. --requests 1k,10k,100k"
        ),
        "sweep_too_many": lambda f: (
            f"sweep at most two parameters at a time (got {', '.join(f['swept'])}); fix the others"
        ),
    }
)


def render_error(code: str, figures: F) -> str:
    return ERRORS[code](figures)


def _pct(fraction: Any) -> str:
    return fmt.pct(fraction * 100)


# Why costcalc recommends a cache TTL (compute.planning.TtlAdvice.code), from the advice's figures.
TTL_REASONS: dict[str, Callable[[Any], str]] = {
    "fast_real_time": lambda t: (
        "real-time requests that arrive at least every 5 minutes keep a 5m entry alive "
        "(every hit refreshes it at no cost); choose 1h only for gaps longer than that"
    ),
    "five_minutes_cheaper": lambda t: (
        f"with {_pct(t.hit_rate)} cache hits on 5m, even 100% hits on 1h would cost more"
    ),
    "batches_run_long": lambda t: (
        "batches often run longer than 5 minutes and their requests run concurrently, and "
        "Anthropic recommends the 1-hour TTL for batches with shared context; at equal hit "
        f"rates 1h costs more, and pays for itself if it lifts the hit rate from "
        f"{_pct(t.hit_rate)} to {_pct(t.hit_rate_for_1h_to_match)} or more"
    ),
}


def ttl_reason(advice: Any) -> str:
    """Why the TTL advice recommends what it does, in words."""
    return TTL_REASONS[advice.code](advice)


def budget_verdict(check: Any) -> str:
    """A budget gate's verdict (engine.BudgetCheck): within or over, and the error-severity
    notices that fail the gate whatever the cost."""
    if check.within:
        money = (
            f"within budget: {check.scenario} costs {fmt.usd_auto(check.total)} "
            f"of a {fmt.usd_auto(check.budget)} budget"
        )
    else:
        money = (
            f"over budget: {check.scenario} costs {fmt.usd_auto(check.total)}, budget "
            f"{fmt.usd_auto(check.budget)}, over by {fmt.usd_auto(check.over_by)}"
        )
    if not check.errors:
        return money
    n = len(check.errors)
    return (
        f"budget check failed: {counted(n, 'error')} reported above "
        f"({', '.join(check.errors)}) fail{'s' if n == 1 else ''} the gate whatever the cost; "
        + money
    )


def _unpriced(f: F) -> str:
    return f"{counted(f['count'], 'request')} could not be priced ({'; '.join(f['reasons'])})"


# The lines a command writes to stderr itself (after its report): verdicts of its gates, files
# it wrote besides its output, figures it measured. Each is rendered by `say`.
SAID: dict[str, Callable[[F], str]] = {
    "budget": lambda f: (f"{f['label']}: " if f.get("label") else "") + budget_verdict(f["check"]),
    "budget_unpriced": lambda f: (
        f"budget check failed: {_unpriced(f)}, so the cost is not known; the priced requests "
        f"alone: {budget_verdict(f['check'])} (--allow-unpriced to gate on them)"
    ),
    "unpriced_left_out": lambda f: (
        f"warning: {_unpriced(f)} and {'is' if f['count'] == 1 else 'are'} not in the cost"
    ),
    "strict_problems": lambda f: f"{counted(f['count'], 'problem')} found (--strict)",
    "wrote": lambda f: f"wrote {f['path']}",
    "hit_rate_measured": lambda f: (
        f"hit rate {f['rate']} measured from {f['file']}: cache reads over cache reads and "
        f"writes of {counted(f['succeeded'], 'succeeded request')} ({f['cached']:,} with cached "
        "tokens)"
    ),
    "warning": lambda f: f"warning: {f['text']}",
}


def say(code: str, **figures: Any) -> str:
    """One line a command writes to stderr, 'costcalc: ...', from its code and figures."""
    return f"costcalc: {SAID[code](figures)}"
