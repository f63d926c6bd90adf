"""Reading a Message Batches results file: each line's shape and usage, as plain numbers.

Streams JSONL of {"custom_id", "result": {"type", "message": {"model", "usage"}}} in any order
(https://platform.claude.com/docs/en/build-with-claude/batch-processing). A line is malformed
(skipped and counted by the caller, never priced as 0) when it is not JSON, not a result, or
its usage counts are not whole numbers >= 0. No prices and no English here: pricing is
compute/actual.py's.

The usage fields are the API's (anthropic SDK `types/usage.py`,
https://platform.claude.com/docs/en/build-with-claude/prompt-caching#tracking-cache-performance):
`input_tokens` counts only the tokens after the last cache breakpoint, so a request's whole
input is input + cache writes + cache reads; `cache_creation` breaks the writes down by TTL and
its sum "equals" `cache_creation_input_tokens`; `server_tool_use` counts web searches and
fetches; `service_tier`, `inference_geo` and `speed` say how the request ran.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from json.scanner import make_scanner
from typing import Any, NoReturn

RESULT_TYPES = ("succeeded", "errored", "canceled", "expired")
MALFORMED = "malformed"  # the kind of a line that is not a result
SERVICE_TIERS = ("standard", "priority", "batch")
GEOS = (None, "global", "us")  # usage.inference_geo: absent, or one of the API's two values
SPEEDS = (None, "standard", "fast")  # usage.speed: absent, or one of the API's two values
# diagnostics.cache_miss_reason.type (anthropic SDK types/cache_miss_reason.py); "pending" is a
# null reason (the comparison had not finished), "other" a type this version does not know.
MISS_REASONS = (
    "model_changed",
    "system_changed",
    "tools_changed",
    "messages_changed",
    "previous_message_not_found",
    "unavailable",
    "pending",
    "other",
)
# No single request comes near this (the largest context window is about 1M tokens); larger
# counts are corrupt, and would push totals past exact Decimal arithmetic.
MAX_REQUEST_TOKENS = 10**9
# The API always reports these; the cache counts are documented as nullable (null: none).
_REQUIRED = ("input_tokens", "output_tokens")
_ENDS = ("\n", "\r\n", "")  # what may follow a line's JSON value without a second look

# One line's usage, in Anthropic's raw meaning (input = uncached only): input, 5m writes, 1h
# writes, reads, output, web searches, web fetches, whether the writes' TTL is known (False
# when only cache_creation_input_tokens was given), how that aggregate compares with its
# 5m/1h breakdown (AGREES, ...), then service_tier, inference_geo and speed as reported
# (None: absent or not text). A plain tuple: one per line is cheaper than any object
# (benchmarks/results_speed.py).
UsageFields = tuple[
    int, int, int, int, int, int, int, bool, int, "str | None", "str | None", "str | None"
]
# How cache_creation_input_tokens compares with its 5m/1h breakdown (the breakdown is priced):
# equal; the breakdown is more (the price is not understated); the aggregate is more (tokens
# written whose TTL is not said are left out, so the price is a lower bound).
AGREES, BREAKDOWN_MORE, AGGREGATE_MORE = 0, 1, 2
# (line number, kind, custom_id, model name, usage, cache-miss reason and tokens); a malformed
# line carries its raw bytes in place of the custom_id and None in the rest.
ResultLine = tuple[int, str, Any, Any, "UsageFields | None", "tuple[str, int] | None"]


def no_constant(name: str) -> NoReturn:
    """json's parse_constant: NaN, Infinity and -Infinity are not JSON (RFC 8259 section 6)."""
    raise ValueError(f"{name} is not valid JSON")


@dataclass(slots=True)
class Usage:
    """Billed tokens of one request, in Anthropic's raw meaning (input = uncached only), as
    handed to a per-request callback (not frozen: one is made per request, and a frozen one
    costs three times as much to make)."""

    tokens: dict[str, int]
    web_searches: int
    us: bool
    ttl_known: bool  # False when only cache_creation_input_tokens was given (priced as 5m)
    total_input: int  # uncached input + cache writes + cache reads
    service_tier: str | None = None  # "standard" | "priority" | "batch" | other text | None
    fast: bool = False  # usage.speed == "fast"
    geo: str | None = None  # usage.inference_geo as reported
    web_fetches: int = 0  # free beyond their tokens (web fetch has "no additional cost")
    creation_mismatch: int = 0  # AGREES; BREAKDOWN_MORE; AGGREGATE_MORE (a lower bound)
    speed: str | None = None  # usage.speed as reported


def usage_of(f: UsageFields) -> Usage:
    """The Usage object of a line's usage fields."""
    uncached, w5, w1, read, output, searches, fetches, ttl_known, mismatch, tier, geo, speed = f
    return Usage(
        tokens={
            "input": uncached,
            "cache_write_5m": w5,
            "cache_write_1h": w1,
            "cache_read": read,
            "output": output,
        },
        web_searches=searches,
        us=geo == "us",
        ttl_known=ttl_known,
        total_input=uncached + w5 + w1 + read,
        service_tier=tier,
        fast=speed == "fast",
        geo=geo,
        web_fetches=fetches,
        creation_mismatch=mismatch,
        speed=speed,
    )


def parse_usage(usage: Any) -> Usage:
    """Usage from a result's message.usage; raises ValueError when it is not usage."""
    return usage_of(read_usage(usage))


def _count(fields: dict[str, Any], key: str) -> int:
    """A usage count; raises ValueError (the line is malformed, never priced as 0) when it is
    missing where required, null where required, or not a whole number >= 0 (300.0, "300",
    true, -1 are not counts)."""
    value = fields.get(key)
    if value is None:
        if key in _REQUIRED:
            raise ValueError(f"{key} is {'null' if key in fields else 'missing'}")
        return 0
    # type() rather than isinstance: bool is an int subclass and is not a count.
    if type(value) is not int or not 0 <= value <= MAX_REQUEST_TOKENS:
        raise ValueError(f"{key} {value!r} is not a whole number from 0 to {MAX_REQUEST_TOKENS:,}")
    return value


def read_usage(usage: Any) -> UsageFields:
    """The fields of a result's message.usage; raises ValueError when it is not usage.
    Each count is checked inline first (the common case) and by _count otherwise."""
    if type(usage) is not dict:
        raise ValueError("usage is not an object")
    get = usage.get
    uncached = get("input_tokens")
    if type(uncached) is not int or not 0 <= uncached <= MAX_REQUEST_TOKENS:
        uncached = _count(usage, "input_tokens")
    output = get("output_tokens")
    if type(output) is not int or not 0 <= output <= MAX_REQUEST_TOKENS:
        output = _count(usage, "output_tokens")
    read = get("cache_read_input_tokens")
    if type(read) is not int or not 0 <= read <= MAX_REQUEST_TOKENS:
        read = _count(usage, "cache_read_input_tokens")
    breakdown = get("cache_creation")
    mismatch = AGREES
    if type(breakdown) is dict:
        w5 = breakdown.get("ephemeral_5m_input_tokens")
        if type(w5) is not int or not 0 <= w5 <= MAX_REQUEST_TOKENS:
            w5 = _count(breakdown, "ephemeral_5m_input_tokens")
        w1 = breakdown.get("ephemeral_1h_input_tokens")
        if type(w1) is not int or not 0 <= w1 <= MAX_REQUEST_TOKENS:
            w1 = _count(breakdown, "ephemeral_1h_input_tokens")
        ttl_known = True
        # The breakdown is priced (it says which TTL); a disagreement with the aggregate,
        # documented to equal its sum, is reported.
        total = get("cache_creation_input_tokens", w5 + w1)
        if total != w5 + w1 or type(total) is not int:
            total = _count(usage, "cache_creation_input_tokens")
            if total != w5 + w1:
                mismatch = AGGREGATE_MORE if total > w5 + w1 else BREAKDOWN_MORE
    else:
        w5, w1 = _count(usage, "cache_creation_input_tokens"), 0
        ttl_known = w5 == 0
    tools = get("server_tool_use")
    if type(tools) is dict:
        searches = _count(tools, "web_search_requests")
        fetches = _count(tools, "web_fetch_requests")
    else:
        searches = fetches = 0
    tier, geo, speed = get("service_tier"), get("inference_geo"), get("speed")
    return (
        uncached,
        w5,
        w1,
        read,
        output,
        searches,
        fetches,
        ttl_known,
        mismatch,
        tier if type(tier) is str else None,
        geo if type(geo) is str else None,
        speed if type(speed) is str else None,
    )


def cache_miss(diagnostics: Any) -> tuple[str, int] | None:
    """(reason, approximate input tokens that missed) of a message's diagnostics, or None
    without diagnostics (the request did not ask, or nothing diverged): see
    https://platform.claude.com/docs/en/build-with-claude/cache-diagnostics"""
    if type(diagnostics) is not dict or "cache_miss_reason" not in diagnostics:
        return None
    reason = diagnostics["cache_miss_reason"]
    if reason is None:
        return "pending", 0
    if type(reason) is not dict:
        return "other", 0
    kind = reason.get("type")
    missed = reason.get("cache_missed_input_tokens")
    tokens = missed if type(missed) is int and 0 <= missed <= MAX_REQUEST_TOKENS else 0
    return (kind if kind in MISS_REASONS[:-2] else "other"), tokens


def result_lines(f: Iterable[bytes]) -> Iterator[ResultLine]:
    """Each non-blank line of a results file: (number, kind, custom_id, model, usage, miss).
    Kind is a result type, or MALFORMED (then the custom_id slot holds the raw line).

    This loop runs once per line and is most of `actual`'s time above the JSON parse itself:
    keep it flat (benchmarks/results_speed.py)."""
    # NaN and Infinity are not JSON: such a line is malformed, never a token count.
    decoder = json.JSONDecoder(parse_constant=no_constant)
    decode = decoder.decode
    # The same (C) scanner decode uses; typeshed types make_scanner's argument wrongly.
    scan: Callable[[str, int], tuple[Any, int]] = make_scanner(decoder)  # type: ignore[arg-type]
    for number, raw in enumerate(f, start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
            # The scanner alone when the line is one value and its newline (most lines);
            # anything else (leading or trailing text) goes through decode, which says why.
            try:
                item, end = scan(text, 0)
            except StopIteration:
                end = 0
            if text[end:] not in _ENDS:
                item = decode(text)
            result = item["result"]
            kind = result["type"]
            if kind != "succeeded":
                if kind not in RESULT_TYPES:
                    raise ValueError(f"unknown result type {kind!r}")
                yield number, kind, None, None, None, None
                continue
            message = result["message"]
            name = message["model"]
            usage = read_usage(message["usage"])
            custom_id = item.get("custom_id", "")
            miss = cache_miss(message.get("diagnostics"))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError, RecursionError):
            yield number, MALFORMED, raw, None, None, None
            continue
        yield number, kind, custom_id, name, usage, miss


def looks_like_requests(first: bytes) -> bool:
    """Whether a line is a batch request ({"custom_id", "params"}) rather than a result."""
    try:
        item = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return isinstance(item, dict) and "params" in item and "result" not in item
