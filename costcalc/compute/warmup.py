"""Cache warm-up: a primer batch that writes a request file's shared cache entries before the
batch runs, what it costs, and what the batch then costs with every primed entry read.

Why: inside a batch, cache hits are best-effort, as requests run concurrently and an entry is
readable only once the response that writes it begins
(https://platform.claude.com/docs/en/build-with-claude/batch-processing); cold batches have
been measured at 0% hits (https://github.com/Bike4Mind/bike4mind/pull/2741). Anthropic's advice
(the prompt-caching FAQ, https://platform.claude.com/docs/en/build-with-claude/prompt-caching)
is one batch of a single request with the shared prefix and a 1h cache block, then the rest once
it has ended; priming from the real-time API has been measured at 0-16% (the same pull request,
and https://github.com/anthropics/skills/issues/1475). `max_tokens: 0` is rejected inside
batches (batch-processing page), so a primer asks for 1.

Which entries get a primer (decisions; docs/warmup.md explains them for users):
- only entries that reach the model's minimum cacheable length (shorter ones are not cached);
- only entries read by at least one other request in the best case. An entry no other request
  reads is written once either way: priming it adds a 1h batch write and turns the request's own
  write into a read, which costs more than the request writing it itself;
- nested entries (a shared system entry inside a longer shared entry): one primer for the
  longest writes the shorter ones too, as breakpoints kept at their blocks (at most 4 in all),
  so they get no primer of their own.
Nesting is judged by the entries' block keys (same model, one a prefix of the other).

The warm case prices each request as reading the longest primed entry its last breakpoint's
prefix starts with, and writing from there on as the file asks. Primers are priced cold: each
writes its whole prefix at the 1h batch rate even where primers share a part (they run
concurrently too), plus its max_tokens of output (1, or one over the thinking budget: a
primer keeps the thinking settings, so it may think that long) and an allowance for an
appended user turn.

The primer requests and the 1h copy are made here from the request file's items as data
(`primer_requests`, `ttl_1h_requests`); read/requestitems.py reads the items again and
present/primer_files.py writes the files, so nothing here opens a file.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from costcalc.compute.engine import cost, rates_in_force
from costcalc.compute.failclosed import Unpriced
from costcalc.errors import CodedError
from costcalc.notices import Notice, notice
from costcalc.prices.model import ModelPrice
from costcalc.read.requests import (
    LOOKBACK,
    MAX_BREAKPOINTS,
    NONE,
    Entry,
    cache_ttl,
    primer_max_tokens,
    truncated,
)

ZERO = Decimal(0)
ONE_HOUR = {"type": "ephemeral", "ttl": "1h"}
# The user turn appended after a primer's breakpoint when the cut ends without one: a one-
# character text. Priced as this many input tokens, a ceiling for the character and the turn's
# framing (it is after the breakpoint, so it is uncached input and changes no cached byte).
APPENDED_TOKENS = 10
APPENDED_TEXT = "."


@dataclass(frozen=True)
class Primer:
    entry: int  # the entry it warms (index into BatchFile.entries)
    covers: tuple[int, ...]  # shorter primed entries it writes too
    model: str
    line: int  # the request it is cut from (the entry's first request)
    blocks: int  # blocks kept (the entry's breakpoint is the last)
    tokens: int  # the prefix, central estimate
    cost: Decimal  # 1h batch write of the prefix + appended input + max_tokens of output

    @property
    def custom_id(self) -> str:
        return f"warm-{self.line}-{self.blocks}"


@dataclass(frozen=True)
class WarmCase:
    primers: tuple[Primer, ...]
    primed: int  # entries written by the primers (own and covered)
    skipped_unread: int  # cached entries no other request reads: no primer
    skipped_small: int  # entries under the model's minimum: not cached, no primer
    primer_cost: Decimal
    batch_cost: Decimal  # the batch (batch_cache) with every primed entry read
    five_minute: bool  # the file's own breakpoints include 5m ones

    @property
    def total(self) -> Decimal:
        return self.primer_cost + self.batch_cost


def decision_notices(left_out: Unpriced, priced: int) -> tuple[Notice, ...]:
    """Fail closed: requests that cannot be priced get no primer and are in no total (never
    $0). Cache entries are kept per model, so priming the priced requests changes nothing for
    the others: whether a warm-up pays is decided on the priced part, and the notices say so
    (how many were left out and why, then the part the decision covers)."""
    if not left_out.count:
        return ()
    return (
        *left_out.notes,
        notice("warm_up_priced_part", priced=priced, unpriced=left_out.count),
    )


def choose(entries: list[Entry], cached: Any) -> tuple[list[tuple[int, tuple[int, ...]]], int]:
    """The primers as (entry, covered entries), and how many cached entries are left unread.

    Longest entries first, so that a primer for a long entry takes the shorter primed entries it
    starts with along (up to MAX_BREAKPOINTS breakpoints in one primer)."""
    worth = [e for e, entry in enumerate(entries) if cached[e] and entry.reads > 0]
    unread = sum(1 for e, entry in enumerate(entries) if cached[e] and entry.reads == 0)
    worth.sort(key=lambda e: -len(entries[e].keys))
    # Looked up by (model, keys) at the lengths that occur: linear in the primed entries, not
    # quadratic (a file can hold many thousands of shared groups).
    index = {(entries[e].model, entries[e].keys): e for e in worth}
    lengths = sorted({len(entries[e].keys) for e in worth}, reverse=True)
    done: set[int] = set()
    chosen: list[tuple[int, tuple[int, ...]]] = []
    for p in worth:
        if p in done:
            continue
        done.add(p)
        entry = entries[p]
        covers: list[int] = []
        for n in lengths:
            if len(covers) == MAX_BREAKPOINTS - 1:
                break
            if n >= len(entry.keys):
                continue
            q = index.get((entry.model, entry.keys[:n]))
            if q is not None and q not in done:
                covers.append(q)
                done.add(q)
        chosen.append((p, tuple(covers)))
    return chosen, unread


def warm_reads(entries: list[Entry], primed: set[int]) -> dict[int, tuple[int, ...]]:
    """For each last-breakpoint entry, the primed entries its prefix starts with, longest
    first (the caller takes the first one the request can reach, see `reachable`)."""
    index: dict[tuple[str, tuple[Any, ...]], int] = {}
    lengths: dict[str, list[int]] = {}
    for p in primed:
        entry = entries[p]
        index[(entry.model, entry.keys)] = p
        lengths.setdefault(entry.model, []).append(len(entry.keys))
    for sizes in lengths.values():
        sizes.sort(reverse=True)
    out: dict[int, tuple[int, ...]] = {}
    for c, entry in enumerate(entries):
        if not entry.last_uses:
            continue
        keys = entry.keys
        found: list[int] = []
        for n in lengths.get(entry.model, ()):
            if n <= len(keys):
                hit = index.get((entry.model, keys[:n]))
                if hit is not None and hit not in found:
                    found.append(hit)
        if found:
            out[c] = tuple(found)
    return out


def reachable(
    entries: list[Entry], candidates: tuple[int, ...], c: int, own: tuple[int, ...]
) -> int:
    """The longest candidate a request whose last breakpoint is `c` reads: one of its own
    breakpoints (`own`: those the request arrays keep), or within the 20-block lookback of its
    last one (the API checks at most 20 positions per breakpoint, the breakpoint itself first:
    https://platform.claude.com/docs/en/build-with-claude/prompt-caching). A breakpoint
    further back that the arrays do not keep is not counted: the warm case then errs towards a
    write, never towards a read."""
    end = len(entries[c].keys)
    for p in candidates:
        if p in own or end - len(entries[p].keys) < LOOKBACK:
            return p
    return NONE


def primer_cost(
    model: ModelPrice, on: date, tokens: int, output: int = 1, us: bool = False
) -> Decimal:
    rb = rates_in_force(model, on, tokens + APPENDED_TOKENS, batch=True, us=us)
    return (
        cost(tokens, rb.cache_write_1h) + cost(APPENDED_TOKENS, rb.input) + cost(output, rb.output)
    )


def primers(
    entries: list[Entry], cached: Any, central: Any, models: dict[str, ModelPrice], on: date
) -> tuple[list[Primer], set[int], int, int]:
    """The primers, the entries they write, and the entries skipped (unread, under minimum)."""
    chosen, unread = choose(entries, cached)
    small = sum(1 for e in range(len(entries)) if not cached[e])
    out = []
    primed: set[int] = set()
    for p, covers in chosen:
        entry = entries[p]
        primed.add(p)
        primed.update(covers)
        out.append(
            Primer(
                entry=p,
                covers=covers,
                model=entry.model,
                line=entry.line,
                blocks=len(entry.keys),
                tokens=central[p],
                cost=primer_cost(
                    models[entry.model], on, central[p], entry.primer_output, us=entry.us
                ),
            )
        )
    out.sort(key=lambda x: (x.line, x.blocks))
    return out, primed, unread, small


# The primer requests and the 1h copy, as data (present/primer_files.py writes them) -------


def _slots(params: dict[str, Any]) -> list[tuple[Any, Any]]:
    """(container, key) of each block, in the order read.blocks.blocks yields them."""
    out: list[tuple[Any, Any]] = []
    tools = params.get("tools")
    for i, tool in enumerate(tools if isinstance(tools, list) else ()):
        if isinstance(tool, dict):
            out.append((tools, i))
    system = params.get("system")
    if isinstance(system, str):
        out.append((params, "system"))
    elif isinstance(system, list):
        out.extend((system, i) for i, b in enumerate(system) if isinstance(b, dict))
    if any(isinstance(t, dict) for t in (tools if isinstance(tools, list) else ())):
        # The tool-use system prompt: a block that read.blocks.blocks yields but the request
        # does not hold, so it never carries a breakpoint.
        out.append((None, None))
    messages = params.get("messages")
    for message in messages if isinstance(messages, list) else ():
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if isinstance(content, str):
            out.append((message, "content"))
        elif isinstance(content, list):
            out.extend((content, i) for i, b in enumerate(content) if isinstance(b, dict))
    return out


def _mark(container: Any, key: Any) -> None:
    """Put a 1h breakpoint on a block. A string (system or message content) becomes one text
    block: the Messages API treats a string as shorthand for exactly that block, so the
    prompt's content does not change."""
    block = container[key]
    if isinstance(block, str):
        block = {"type": "text", "text": block}
        container[key] = [block]
    block["cache_control"] = dict(ONE_HOUR)


def primer_params(
    params: dict[str, Any], blocks: int, also: tuple[int, ...] = ()
) -> dict[str, Any]:
    """The request cut after `blocks` blocks with 1h breakpoints at its last block and at the
    (1-based) block counts in `also`, every other cache_control removed, max_tokens 1."""
    out = copy.deepcopy(truncated(params, blocks))
    if "inference_geo" in params:
        # A US entry is written only by a US request (check keeps the two apart).
        out["inference_geo"] = params["inference_geo"]
    if "tool_choice" in params and "tool_choice" not in out and "tools" in out:
        out["tool_choice"] = copy.deepcopy(params["tool_choice"])
    slots = _slots(out)
    for container, key in slots:
        if container is None:
            continue
        block = container[key]
        if isinstance(block, dict):
            block.pop("cache_control", None)
    for n in sorted({blocks, *also}):
        _mark(*slots[n - 1])
        slots = _slots(out)  # a string turned into a list moves no other block
    messages = out.setdefault("messages", [])
    last = messages[-1] if messages else None
    if not isinstance(last, dict) or last.get("role") != "user":
        # The API needs a conversation that ends with a user turn (an assistant turn last would
        # be continued as a prefill). The turn comes after the breakpoint, so the cached prefix
        # is the same bytes; an assistant tool_use needs its tool_result first.
        content: list[dict[str, Any]] = []
        if isinstance(last, dict) and isinstance(last.get("content"), list):
            content += [
                {"type": "tool_result", "tool_use_id": b.get("id"), "content": APPENDED_TEXT}
                for b in last["content"]
                if isinstance(b, dict) and b.get("type") == "tool_use"
            ]
        content.append({"type": "text", "text": APPENDED_TEXT})
        messages.append({"role": "user", "content": content})
    # With extended thinking max_tokens must exceed budget_tokens
    # (https://platform.claude.com/docs/en/build-with-claude/extended-thinking); changing the
    # thinking settings invalidates the message cache (prompt-caching page), so they stay.
    out["max_tokens"] = primer_max_tokens(out)
    return out


def primer_requests(
    items: Iterable[tuple[int, Any]], chosen: list[Primer], entries: list[Entry], name: str
) -> list[dict[str, Any]]:
    """The primer batch's requests for `chosen`, in order (one per primer: held in memory, as
    the primers are), cut from `items`: the (number, request) pairs of the checked file, read
    again. `name` is the input as the user gave it, for the error when a request is gone."""
    wanted: dict[int, list[Primer]] = {}
    for p in chosen:
        wanted.setdefault(p.line, []).append(p)
    found: dict[str, dict[str, Any]] = {}
    for number, item in items:
        group = wanted.get(number)
        if not group or not isinstance(item, dict) or not isinstance(item.get("params"), dict):
            continue
        for p in group:
            also = tuple(len(entries[q].keys) for q in p.covers)
            params = primer_params(item["params"], p.blocks, also)
            found[p.custom_id] = {"custom_id": p.custom_id, "params": params}
    missing = [p.custom_id for p in chosen if p.custom_id not in found]
    if missing:
        raise CodedError("changed_while_read", file=name, missing=missing[0])
    return [found[p.custom_id] for p in chosen]


def set_ttl_1h(params: dict[str, Any]) -> None:
    """Every valid cache_control of a request (and automatic caching's) at 1h, in place."""
    if cache_ttl(params.get("cache_control")):
        params["cache_control"] = dict(ONE_HOUR)
    for container, key in _slots(params):
        block = None if container is None else container[key]
        if isinstance(block, dict) and cache_ttl(block.get("cache_control")):
            block["cache_control"] = dict(ONE_HOUR)


def ttl_1h_requests(items: Iterable[tuple[int, Any]], name: str) -> Iterator[dict[str, Any]]:
    """Each request of `items` with every breakpoint at 1h (changed in place), in order, for
    the 1h copy of the request file; an item that is not a request stops the copy (`name`
    labels the file in that error)."""
    for number, item in items:
        if isinstance(item, Exception) or not isinstance(item, dict):
            raise CodedError("warmup_item_not_a_request", file=name, item=number)
        params = item.get("params")
        if isinstance(params, dict):
            set_ttl_1h(params)
        yield item


__all__ = [
    "NONE",
    "Primer",
    "WarmCase",
    "choose",
    "decision_notices",
    "primer_params",
    "primer_requests",
    "primers",
    "set_ttl_1h",
    "ttl_1h_requests",
    "warm_reads",
]
