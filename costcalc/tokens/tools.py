"""Tokens of thinking blocks and tool overheads: earlier turns' thinking
(https://platform.claude.com/docs/en/build-with-claude/extended-thinking), the tool-use system
prompt (https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview) and server-tool
definitions (https://platform.claude.com/docs/en/about-claude/pricing, tool-use section)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from costcalc.tokens.bands import Band
from costcalc.tokens.nontext import Counted, span

# ---------------------------------------------------------------------------------- thinking

_VERSION = re.compile(r"claude-(opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d))?(?:\b|-)")


def keeps_prior_thinking(model_id: str) -> bool | None:
    """Whether the model keeps thinking blocks of earlier assistant turns (extended-thinking page).

    Opus 4.5+ keep them ("preserved in model context by default"); Sonnet 4.6+ too and Sonnet
    4.5 and Haiku keep only the last tool-loop turn (third-party reports, not Anthropic's
    pages); older models strip them. Fable and Mythos are the newest families (released from
    2026-06) and are taken to keep them.
    None when the id does not say (the caller then uses the widest band).
    """
    if model_id.startswith("claude-3"):  # claude-3-x-family ids: all older models strip them
        return False
    m = _VERSION.match(model_id)
    if not m:
        return None
    family, major = m.group(1), int(m.group(2))
    minor = int(m.group(3)) if m.group(3) and len(m.group(3)) == 1 else 0
    version = (major, minor)
    if family in ("fable", "mythos"):
        return True
    if family == "opus":
        return version >= (4, 5)
    if family == "sonnet":
        return version >= (4, 6)
    return False  # haiku: only the last turn (third-party reports)


def signature_estimate(signature: str) -> int:
    """Thinking tokens rebuilt from an encrypted signature: len × 3/16, a third-party heuristic
    (https://github.com/headroomlabs-ai/headroom/pull/3482)."""
    return len(signature) * 3 // 16


def thinking_block(
    block: dict[str, Any],
    *,
    keeps_prior: bool | None,
    in_last_tool_turn: bool,
    count: Callable[[str], int],
) -> Counted:
    """Input tokens of a thinking / redacted_thinking block sent back in an assistant turn.

    Stripped (older models, not the last tool-loop turn): 0, exactly as the API does.
    Kept: from the visible text's count (a summary, often empty on Opus 4.7+, so it undercounts)
    to the signature estimate, central the estimate. redacted_thinking has no visible text: 0
    to the estimate from its encrypted `data`. Unknown model behaviour: 0 to the kept estimate.
    """
    kept = in_last_tool_turn or keeps_prior
    if kept is False:
        return Counted(Band.of(0))
    if block.get("type") == "redacted_thinking":
        est = signature_estimate(str(block.get("data", "")))
        return Counted(span(0, est, est), "thinking_estimated")  # redacted: opaque
    visible = count(str(block.get("thinking", "")))
    est = max(visible, signature_estimate(str(block.get("signature", ""))))
    if kept is None:
        return Counted(span(0, est, est), "thinking_model_unknown")
    return Counted(span(visible, est, est), "thinking_estimated")


# ----------------------------------------------------------------------------- tool overheads


def tool_system_prompt(auto_none: int, any_tool: int, tool_choice: Any, has_tools: bool) -> Counted:
    """The tool-use system prompt the API adds (tool-use overview), given the model's two numbers
    (tool_choice auto/none, and any/tool). No tools and tool_choice none (or absent): 0."""
    kind = tool_choice.get("type") if isinstance(tool_choice, dict) else tool_choice
    if not has_tools and kind in (None, "none"):
        return Counted(Band.of(0))
    if kind in ("any", "tool"):
        return Counted(Band.of(any_tool))
    if kind in (None, "auto", "none"):
        return Counted(Band.of(auto_none))
    # An unknown tool_choice: either number may apply.
    low, high = sorted((auto_none, any_tool))
    return Counted(span(low, high, high), "tool_choice_unknown")


@dataclass(frozen=True)
class ServerToolOverhead:
    """Input tokens a server/built-in tool adds (pricing page, tool-use section), as data from
    pricing.yaml."""

    system_low: int  # tokens added once per request when the tool is present
    system_high: int
    per_definition: int = 0  # tokens per tool definition of this type


def server_tool_overheads(
    tool_types: Iterable[str], table: dict[str, ServerToolOverhead]
) -> tuple[Band, list[str]]:
    """Summed overheads of the server tools in a request, by tool `type` prefix (e.g.
    "bash_20250124" matches "bash"); returns the band and the types with no known overhead
    (web search, fetch and code execution: no published figure)."""
    low = high = 0
    seen: set[str] = set()
    unknown = []
    for tool_type in tool_types:
        key = next((k for k in table if tool_type.startswith(k)), None)
        if key is None:
            unknown.append(tool_type)
            continue
        o = table[key]
        if key not in seen:
            seen.add(key)
            low += o.system_low
            high += o.system_high
        low += o.per_definition
        high += o.per_definition
    return span(low, high, high), unknown


def server_tool_table(overheads: Any, tokenizer: str, on: Any) -> dict[str, ServerToolOverhead]:
    """The server-tool overheads in effect on `on` for a tokenizer, from pricing's
    `token_overheads` (a costcalc.prices.model.TokenOverheads)."""
    table = {}
    for tool in overheads.server_tools:
        found = overheads.server_tool(tool, tokenizer, on)
        if found is not None:
            low, high, per_definition = found
            table[tool] = ServerToolOverhead(low, high, per_definition)
    return table
