"""The English of the warnings and problems of check and warmup: code -> (meaning, message from
the figures)."""

from __future__ import annotations

from collections.abc import Callable

from costcalc.messages.common import _MALFORMED, _UNCOUNTED, F, _const, _expected_output

MESSAGES: dict[str, tuple[str, Callable[[F], str]]] = {
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
            "the model's tool-use system prompt size is not known (Anthropic publishes it per "
            "model in the tool-use overview): counted as 0 up to the largest known"
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
            "the file ends after the requests array without the closing brace; the API body "
            'is only {"requests": [...]}'
            if f.get("reason") == "no_closing_brace"
            else "data after the requests array (another top-level key, or trailing bytes: "
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
}
