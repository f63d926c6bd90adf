"""The walk of a request's shared prefix, kept from one request to the next.

Most requests of a batch share everything but their last message (the system prompt, the
few-shot turns) and differ in a unique last turn. Walking the shared blocks again for every
request (each block's identity, key, running prefix id) is most of the per-request work of a
100,000-request file; here it is done once and reused while the prefix stays the same, and only
the last message is walked.

The reuse is exact, never a guess: a request's blocks are reused only when its prefix compares
equal (==) to the remembered one, and only for prefixes made of text alone (a system prompt
and messages whose text is a string, no tools, no automatic caching): there, equal values give
the same identities, keys and breakpoints. (JSON equality is looser than identity for numbers,
1 == 1.0 == true; a string is equal only to the same string, and a tool or an image is
identified by its JSON text, where 1 and 1.0 differ: such requests take the full walk.)
"""

from __future__ import annotations

import json
from typing import Any

from costcalc.read.counting import Source
from costcalc.read.requestrules import Breakpoints

# What the walk found in one request: block keys, prefix ids, token sources, breakpoints, whether
# a cache_control is invalid, whether a block has no source, and its non-text blocks' problems.
Identified = tuple[
    list[int], list[int], list[Source | None], Breakpoints, bool, bool, set[tuple[str, str]]
]


def settings_of(params: dict[str, Any]) -> str:
    """What the messages' first boundary carries: tool_choice and thinking, which invalidate the
    message cache (https://platform.claude.com/docs/en/build-with-claude/prompt-caching); the
    same text as blocks.py's walk builds."""
    settings: Any = (params.get("tool_choice"), params.get("thinking"))
    return json.dumps(settings, sort_keys=True) if settings != (None, None) else ""


def _texts(content: Any, tail: bool) -> list[str] | None:
    """The texts of a message's blocks when each is text held in a string (the blocks walk skips
    what is not a dict), else None. In the last message (`tail`) no block may carry a
    cache_control: its blocks are then all after the last breakpoint."""
    if isinstance(content, str):
        return [content]
    if not isinstance(content, list):
        return None if tail else []
    out = []
    for block in content:
        if not isinstance(block, dict):
            continue
        text = block.get("text", "")
        if block.get("type") != "text" or not isinstance(text, str):
            return None
        if tail and block.get("cache_control") is not None:
            return None
        out.append(text)
    return out


def _plain_system(system: Any) -> bool:
    if system is None or isinstance(system, str):
        return True
    if not isinstance(system, list):
        return False
    return all(not isinstance(b, dict) or isinstance(b.get("text", ""), str) for b in system)


def _plain_head(head: list[Any]) -> bool:
    return all(not isinstance(m, dict) or _texts(m.get("content"), False) is not None for m in head)


def _reusable(params: dict[str, Any], found: Identified) -> int | None:
    """How many of a fully walked request's blocks make its reusable prefix (all but its last
    message's), or None when its prefix is not one that can be reused (the module docstring)."""
    keys, _, _, bps, invalid, uncounted, problems = found
    messages = params.get("messages")
    if (
        invalid
        or uncounted
        or problems
        or "tools" in params
        or "cache_control" in params
        or not isinstance(messages, list)
        or not messages
        or not isinstance(messages[-1], dict)
    ):
        return None
    tail = _texts(messages[-1].get("content"), True)
    if tail is None:
        return None
    cut = len(keys) - len(tail)
    if (
        (bps and bps[-1][0] >= cut)
        or not _plain_system(params.get("system"))
        or not _plain_head(messages[:-1])
    ):
        return None
    return cut


class PrefixMemo:
    """One remembered prefix: its values and the walk's results for its blocks."""

    __slots__ = ("bps", "head", "keys", "model", "pids", "settings", "sources", "system", "us")

    def __init__(self) -> None:
        self.model = ""
        self.us = False
        self.system: Any = None
        self.head: list[Any] = []  # the messages before the last
        self.settings: str | None = None  # None: the first message is the last one
        self.keys: list[int] = []
        self.pids: list[int] = []
        self.sources: list[Source | None] = []
        self.bps: Breakpoints = []

    def remember(self, model: str, us: bool, params: dict[str, Any], found: Identified) -> None:
        """Keep a fully walked request's prefix, when it is one that can be reused."""
        cut = _reusable(params, found)
        if cut is None:
            return
        keys, pids, sources, bps = found[:4]
        head = params["messages"][:-1]
        self.model, self.us, self.system, self.head = model, us, params.get("system"), head
        first_in_head = any(isinstance(m, dict) for m in head)
        self.settings = settings_of(params) if first_in_head else None
        self.keys, self.pids, self.sources = keys[:cut], pids[:cut], sources[:cut]
        self.bps = list(bps)

    def walk(self, model: str, us: bool, params: dict[str, Any]) -> Identified | None:
        """The request's blocks from the remembered prefix and a walk of its last message, or
        None when its prefix is not the remembered one."""
        messages = params.get("messages")
        if (
            model != self.model
            or us != self.us
            or "tools" in params
            or "cache_control" in params
            or not isinstance(messages, list)
            or len(messages) != len(self.head) + 1
            or not self.keys
        ):
            return None
        last = messages[-1]
        if not isinstance(last, dict) or params.get("system") != self.system:
            return None
        if self.head and messages[:-1] != self.head:
            return None
        if self.settings is None:
            settings = settings_of(params)  # on the last message's boundary, its first
        elif settings_of(params) != self.settings:
            return None
        else:
            settings = ""  # on the first message's boundary, in the prefix
        tail = _texts(last.get("content"), True)
        if tail is None:
            return None
        return self._with_tail(model, tail, ("messages", settings, last.get("role")))

    def _with_tail(self, model: str, tail: list[str], boundary: Any) -> Identified:
        # Each block's key and the running prefix id, as requests.py's walk makes them.
        keys, pids = list(self.keys), list(self.pids)
        h = pids[-1]
        for text in tail:
            key = hash((model, len(text), hash(text)))
            h = hash((h, boundary, key))
            keys.append(key)
            pids.append(h)
            boundary = None
        return keys, pids, [*self.sources, *tail], list(self.bps), False, False, set()


__all__ = ["Identified", "PrefixMemo", "settings_of"]
