"""A request's blocks in cache-prefix order (tools, system, messages), each with what identifies
it, what changes the cache at its start, its token source and its cache_control.

The prefix order and what invalidates which part of the cache follow the prompt-caching page
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching): changing the tools
invalidates everything; tool_choice and thinking settings invalidate the message cache only.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Iterator
from typing import Any

from costcalc.read.counting import Band3, Media, Pending, Resolved, Source
from costcalc.tokens import media

# (boundary, identity, token source, cache_control) of one block; see blocks().
Block = tuple[Any, str, Source | Pending | None, Any]


_THINKING = ("thinking", "redacted_thinking")
TOOL_PROMPT = "\x00tool_prompt:"  # identity of the tool-use system prompt block
_KNOWN = ("image", "document", "tool_result", "search_result", *_THINKING)


def cache_ttl(cc: Any) -> str | None:
    """'5m' or '1h' for a valid cache_control, None when absent, '' when the API rejects it:
    only {"type": "ephemeral"} with an optional "ttl" of "5m" (the default) or "1h"
    (https://platform.claude.com/docs/en/build-with-claude/prompt-caching)."""
    if cc is None:
        return None
    if (
        not isinstance(cc, dict)
        or cc.get("type") != "ephemeral"
        or not cc.keys() <= {"type", "ttl"}
    ):
        return ""
    ttl = cc.get("ttl", "5m")
    return ttl if ttl in ("5m", "1h") else ""


def without_cc(block: dict[str, Any]) -> str:
    """A block's JSON without its cache_control: what it holds, not where the cache ends."""
    return json.dumps({k: v for k, v in block.items() if k != "cache_control"}, sort_keys=True)


def blocks(params: dict[str, Any], ctx: Media | None = None) -> Iterator[Block]:
    """(boundary, identity, token source, cache_control) for each block in prefix order: tools,
    system, messages. `boundary` (None inside a section) marks what changes the bytes or
    invalidates the cache between blocks: the start of the messages with the settings that
    invalidate the message cache (tool_choice, thinking), and each message's role.

    Without `ctx` (identities only) non-text blocks have no source. With it every billed input
    has one: images and PDFs by media.py, inside tool_result too (never their base64 as text),
    text documents by their text, thinking by the model's rule, and the tool-use overheads on
    the tool blocks (https://platform.claude.com/docs/en/build-with-claude/vision,
    https://platform.claude.com/docs/en/build-with-claude/pdf-support,
    https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview). Blocks of a type
    costcalc does not know are estimated from their JSON text and flagged ("uncounted"),
    never 0."""
    raw_tools = params.get("tools")
    tools = [t for t in raw_tools if isinstance(t, dict)] if isinstance(raw_tools, list) else []
    # Chained in C rather than `yield from` each section, and message blocks handled inside
    # _message_blocks' loop rather than by a call per block: that split cost 14% more time
    # per block (32 text blocks a request, CPU time); this one is within noise (+-5%).
    parts = _system_blocks(params.get("system")), _message_blocks(params, bool(tools), ctx)
    return itertools.chain(_tool_blocks(tools, ctx), *parts) if tools else itertools.chain(*parts)


def _system_blocks(system: Any) -> Iterator[Block]:
    """The system prompt: one text, or a list of text blocks."""
    if isinstance(system, str):
        yield "system", system, system, None
    elif isinstance(system, list):
        boundary: Any = "system"
        for block in system:
            if isinstance(block, dict):
                text = str(block.get("text", ""))
                yield boundary, text, text, block.get("cache_control")
                boundary = None


def _tool_blocks(tools: list[dict[str, Any]], ctx: Media | None) -> Iterator[Block]:
    """The tool definitions; a server tool's system-prompt overhead is on the first of its type,
    its per-definition overhead on each."""
    seen_types: set[str] = set()
    for tool in tools:
        body = without_cc(tool)
        if ctx is None:
            yield None, body, body, tool.get("cache_control")
            continue
        identity = body
        kind = tool.get("type")
        server = isinstance(kind, str) and kind != "custom"
        first_of_type = False
        if isinstance(kind, str) and server:
            prefix = next((k for k in ctx.server_tools if kind.startswith(k)), kind)
            first_of_type = prefix not in seen_types
            seen_types.add(prefix)
            if not first_of_type:
                identity += "\x00again"  # only its per-definition overhead
        pending = _tool_source(body, server, first_of_type, kind, ctx)
        yield None, identity, pending, tool.get("cache_control")


def _message_blocks(params: dict[str, Any], tools: bool, ctx: Media | None) -> Iterator[Block]:
    """The messages' blocks, after the tool-use system prompt when the request has tools."""
    messages = params.get("messages")
    settings: Any = (params.get("tool_choice"), params.get("thinking"))
    settings = json.dumps(settings, sort_keys=True) if settings != (None, None) else ""
    messages = messages if isinstance(messages, list) else []
    if tools:
        # The tool-use system prompt (added once per request with tools) depends on the
        # tool_choice class, yet a tool_choice change invalidates only the message cache, not
        # the tools or system entries (prompt-caching page, "what invalidates the cache"): so
        # it is billed after them, as the first block of the messages, under the same boundary.
        cls = _choice_class(params.get("tool_choice"))
        prompt = None if ctx is None else _tool_prompt_source(cls, params, ctx)
        yield ("messages", settings, None), TOOL_PROMPT + cls, prompt, None
        settings = ""
    last_tool_turn = _last_tool_turn(messages) if ctx is not None else None
    for m, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        boundary: Any = ("messages", settings, message.get("role"))
        settings = ""
        content = message.get("content")
        if isinstance(content, str):
            yield boundary, content, content, None
        elif isinstance(content, list):
            # Kept in this loop, not a call per block: see blocks().
            for block in content:
                if not isinstance(block, dict):
                    continue
                kind = block.get("type")
                cc = block.get("cache_control")
                if kind == "text":
                    text = str(block.get("text", ""))
                    yield boundary, text, text, cc
                elif kind == "tool_use" or (kind == "tool_result" and _all_text(block)):
                    # A tool_use is identified by its whole content (id, name, input), not its
                    # input alone; a tool_result by its tool_use_id as well as its content.
                    body = without_cc(block)
                    yield boundary, body, body, cc
                elif ctx is None:
                    yield boundary, without_cc(block), None, cc
                else:
                    yield _other_block(boundary, block, ctx, m == last_tool_turn)
                boundary = None


def _other_block(boundary: Any, block: dict[str, Any], ctx: Media, last: bool) -> Block:
    """A non-text block of a message (`last`: in the last assistant turn of a tool loop)."""
    body = without_cc(block)
    kept = block.get("type") in _THINKING and last
    if kept:
        # Thinking of earlier turns is stripped and not counted; that of the last assistant
        # turn of a tool loop is sent back and counted
        # (https://platform.claude.com/docs/en/build-with-claude/extended-thinking).
        body += "\x00last_tool_turn"
    return boundary, body, _content_source(block, ctx, kept), block.get("cache_control")


def _choice_class(choice: Any) -> str:
    kind = choice.get("type") if isinstance(choice, dict) else choice
    if kind in ("any", "tool"):
        return "any"
    return "auto" if kind in (None, "auto", "none") else f"unknown:{kind}"


def _all_text(block: dict[str, Any]) -> bool:
    content = block.get("content")
    return not isinstance(content, list) or all(
        isinstance(b, dict) and b.get("type") == "text" for b in content
    )


def _last_tool_turn(messages: list[Any]) -> int | None:
    """The last assistant turn of a tool loop (the final message carries tool results), whose
    thinking is sent back and counted on every model
    (https://platform.claude.com/docs/en/build-with-claude/extended-thinking)."""
    if not messages or not media._ends_in_tool_results(messages[-1]):
        return None
    return max(
        (i for i, m in enumerate(messages) if isinstance(m, dict) and m.get("role") == "assistant"),
        default=None,
    )


def _tool_prompt_source(cls: str, params: dict[str, Any], ctx: Media) -> Pending:
    """The tool-use system prompt's tokens for this tool_choice class: one figure for auto and
    none, another for any and tool
    (https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview)."""

    def resolve() -> Resolved:
        problems: list[tuple[str, str]] = []
        if cls == "auto":
            chosen = ctx.tool_prompt
        elif cls == "any":
            chosen = ctx.tool_prompt_any
        else:  # an unknown tool_choice: either number may apply
            lo = min(ctx.tool_prompt[0], ctx.tool_prompt_any[0])
            hi = max(ctx.tool_prompt[2], ctx.tool_prompt_any[2])
            chosen = (lo, hi, hi)
            problems.append(("tool_choice_unknown", str(params.get("tool_choice"))[:40]))
        if ctx.tool_prompt_problem and chosen[0] != chosen[2]:
            problems.append((ctx.tool_prompt_problem, "tool_prompt"))
        return chosen, problems

    return Pending(resolve)


def _tool_source(
    body: str,
    server: bool,
    first_of_type: bool,
    kind: Any,
    ctx: Media,
) -> Pending:
    def resolve() -> Resolved:
        parts: list[str | Band3] = [body]
        problems: list[tuple[str, str]] = []
        if server:
            table = ctx.server_tools
            key = next((k for k in table if str(kind).startswith(k)), None)
            if key is None:
                problems.append(("server_tool_overhead_unknown", str(kind)))
            else:
                o = table[key]
                lo = o.per_definition + (o.system_low if first_of_type else 0)
                hi = o.per_definition + (o.system_high if first_of_type else 0)
                parts.append((lo, hi, hi))
        return (parts if len(parts) > 1 else body), problems

    return Pending(resolve)


def _content_source(block: dict[str, Any], ctx: Media, kept: bool) -> Pending:
    def resolve() -> Resolved:
        kind = block.get("type")
        parts: list[str | Band3] = []
        if kind == "tool_result":
            # Its id and text as text; its images and documents as images and documents.
            head = {k: v for k, v in block.items() if k not in ("cache_control", "content")}
            parts.append(json.dumps(head, sort_keys=True))
            found = media.content_parts(block.get("content"), ctx.limits, ctx.central)
        elif kind in _KNOWN:
            found = media.content_parts([block], ctx.limits, ctx.central, in_last_tool_turn=kept)
        else:
            # A block type costcalc does not know: its JSON text is the best offline guess, as
            # a range from 0 (it may be free) to that, and flagged ("uncounted").
            n = ctx.central(without_cc(block))
            return (0, n, n), [("uncounted", str(kind))]
        parts += found.texts
        problems = []
        for label, counted in found.counted:
            b = counted.band
            parts.append((b.low, b.central, b.high))
            code = counted.code
            if code == "not_measurable_offline":
                code = "pdf_not_measurable" if label == "pdf" else "image_not_measurable"
            elif code == "block_estimated":
                code = "uncounted"
            if code and code != "thinking_estimated":
                problems.append((code, label))
        return parts, problems

    return Pending(resolve)


# Figures of the problems a block can raise (codes from media.py, some renamed above; their
# text is in the messages package).
BLOCK_FIGURES: dict[str, dict[str, str]] = {"uncounted": {"source": "unknown_block"}}
