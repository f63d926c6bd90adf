"""Tokens of non-text input blocks: images, PDFs, text documents, thinking, tool overheads.

Pure functions, each rule with its public source in its family module. Each returns a `Counted`:
a token band and, when the block could not be measured exactly, a stable problem `code`. Nothing
unmeasurable is ever 0: it gets a range up to the documented cap. The rules live by family in
costcalc.tokens.images, .documents and .tools; this module splits whole requests into parts and
re-exports the families' names, so callers import from one place.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from costcalc.tokens.bands import Band
from costcalc.tokens.documents import PageTokens, document_texts, pdf_block, pdf_pages
from costcalc.tokens.images import (
    MAX_IMAGE_BASE64,
    MAX_IMAGE_PX,
    PATCH,
    image_block,
    image_size,
    image_tokens,
    resized,
)
from costcalc.tokens.nontext import Counted, span
from costcalc.tokens.tools import (
    ServerToolOverhead,
    keeps_prior_thinking,
    server_tool_overheads,
    server_tool_table,
    signature_estimate,
    thinking_block,
    tool_system_prompt,
)

__all__ = [
    "MAX_IMAGE_BASE64",
    "MAX_IMAGE_PX",
    "PATCH",
    "Counted",
    "Limits",
    "PageTokens",
    "Parts",
    "ServerToolOverhead",
    "content_parts",
    "document_texts",
    "image_block",
    "image_size",
    "image_tokens",
    "keeps_prior_thinking",
    "pdf_block",
    "pdf_pages",
    "request_parts",
    "resized",
    "server_tool_overheads",
    "server_tool_table",
    "signature_estimate",
    "thinking_block",
    "tool_system_prompt",
]


# ------------------------------------------------------------------------- whole requests


@dataclass(frozen=True)
class Limits:
    """What a model's non-text blocks cost, from pricing data (so callers pass numbers)."""

    max_edge: int  # image tier: long-edge limit in px (vision page)
    budget: int  # image tier: tokens per image
    page: PageTokens  # tokens per PDF page (pdf-support page)
    max_pages: int  # PDF pages per request (pdf-support page)
    keeps_prior_thinking: bool | None  # keeps_prior_thinking(model_id)
    # The request's context window is under 1M tokens: the lower page limit applies.
    small_window: bool = False


@dataclass
class Parts:
    """A request's input split for counting: texts (for the caller's text counter, which knows
    their kind) and bands for everything else, each labelled by block type."""

    texts: list[str]
    counted: list[tuple[str, Counted]]

    def non_text(self) -> Band:
        bands = [c.band for _, c in self.counted]
        return Band(
            sum(b.low for b in bands),
            sum(b.central for b in bands),
            sum(b.high for b in bands),
            bool(bands) and all(b.exact for b in bands),
        )

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(block type, code) of every block that was not measured exactly."""
        return [(label, c.code) for label, c in self.counted if c.code]


def _json_text(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def content_parts(
    content: Any,
    limits: Limits,
    count: Callable[[str], int],
    parts: Parts | None = None,
    *,
    in_last_tool_turn: bool = False,
) -> Parts:
    """Split one message's (or system's, or tool_result's) content into texts and bands.

    Images and documents inside tool_result are counted as images and documents, not as their
    base64 text (the docs give no separate rule; field reports show images billed as images,
    e.g. https://github.com/headroomlabs-ai/headroom/pull/2057). Blocks of unknown type are
    counted as their JSON text and flagged.
    `count` gives the Claude tokens of a text (e.g. the central estimate of its kind's band);
    it is used only for the few texts that end up inside a band (thinking, unknown blocks).
    """
    parts = parts if parts is not None else Parts([], [])
    if isinstance(content, str):
        parts.texts.append(content)
        return parts
    if not isinstance(content, list):
        return parts
    for block in content:
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "text":
            parts.texts.append(str(block.get("text", "")))
        elif kind == "image":
            parts.counted.append(
                ("image", image_block(block.get("source"), limits.max_edge, limits.budget))
            )
        elif kind == "document":
            _document(block, limits, parts)
        elif kind == "tool_result":
            content_parts(block.get("content"), limits, count, parts)
        elif kind == "tool_use":
            parts.texts.append(str(block.get("name", "")))
            parts.texts.append(_json_text(block.get("input", {})))
        elif kind in ("thinking", "redacted_thinking"):
            parts.counted.append(
                (
                    kind,
                    thinking_block(
                        block,
                        keeps_prior=limits.keeps_prior_thinking,
                        in_last_tool_turn=in_last_tool_turn,
                        count=count,
                    ),
                )
            )
        elif kind == "search_result":
            parts.texts += [str(block.get(k, "")) for k in ("source", "title")]
            content_parts(block.get("content"), limits, count, parts)
        else:
            # Server tool results and newer block types: their JSON text is the best offline
            # guess, flagged so it is not taken as measured.
            n = count(_json_text(block))
            parts.counted.append((str(kind), Counted(span(0, n, n), "block_estimated")))
    return parts


def _document(block: dict[str, Any], limits: Limits, parts: Parts) -> None:
    source = block.get("source")
    kind = source.get("type") if isinstance(source, dict) else None
    if kind in ("text", "content"):
        texts, problem = document_texts(block)
        parts.texts += texts
        if problem:
            parts.counted.append(("document", Counted(Band.of(0), problem)))
        return
    # base64 / url / file documents are PDFs (or, for file, any uploaded document).
    parts.texts += [block[k] for k in ("title", "context") if isinstance(block.get(k), str)]
    parts.counted.append(("pdf", pdf_block(source, limits.page, limits.max_pages)))


def _ends_in_tool_results(message: Any) -> bool:
    content = message.get("content") if isinstance(message, dict) else None
    return isinstance(content, list) and any(
        isinstance(b, dict) and b.get("type") == "tool_result" for b in content
    )


def request_parts(
    params: dict[str, Any],
    limits: Limits,
    count: Callable[[str], int],
    tool_prompt: tuple[int, int] | None,
    server_tools: dict[str, ServerToolOverhead],
) -> Parts:
    """Every billed input of one Messages request (`params`), split for counting.

    `tool_prompt` is the model's (auto/none, any/tool) tool-use system prompt size (tool-use
    overview), None when unknown for the model (then a flagged 0..max band over those tables is the
    caller's choice: this function flags `tool_prompt_unknown` with 0 tokens, never silently).
    """
    parts = Parts([], [])
    content_parts(params.get("system"), limits, count, parts)
    raw_tools = params.get("tools")
    tools: list[Any] = raw_tools if isinstance(raw_tools, list) else []
    custom: list[dict[str, Any]] = []
    server: list[dict[str, Any]] = []
    for tool in tools:
        if not isinstance(tool, dict):
            continue
        kind = tool.get("type")
        (server if kind and kind != "custom" else custom).append(tool)
    for tool in custom:  # names, descriptions and schemas are billed as input (tool-use overview)
        parts.texts.append(_json_text(tool))
    if tools or params.get("tool_choice") not in (None, {"type": "none"}, "none"):
        if tool_prompt is None:
            parts.counted.append(("tool_prompt", Counted(Band.of(0), "tool_prompt_unknown")))
        else:
            got = tool_system_prompt(*tool_prompt, params.get("tool_choice"), bool(tools))
            parts.counted.append(("tool_prompt", got))
    if server:
        band, unknown = server_tool_overheads((str(t.get("type")) for t in server), server_tools)
        parts.counted.append(("server_tools", Counted(band)))
        for tool_type in unknown:
            parts.counted.append((tool_type, Counted(Band.of(0), "server_tool_overhead_unknown")))
    raw_messages = params.get("messages")
    messages: list[Any] = raw_messages if isinstance(raw_messages, list) else []
    # The last assistant turn of a tool loop: the final message carries tool results.
    last_assistant = None
    if messages and _ends_in_tool_results(messages[-1]):
        last_assistant = max(
            (
                i
                for i, m in enumerate(messages)
                if isinstance(m, dict) and m.get("role") == "assistant"
            ),
            default=None,
        )
    for i, message in enumerate(messages):
        if isinstance(message, dict):
            content_parts(
                message.get("content"),
                limits,
                count,
                parts,
                in_last_tool_turn=i == last_assistant,
            )
    return parts
