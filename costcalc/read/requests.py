"""Reading a Message Batches request file: streamed, checked, and turned into cache entries.

Accepts JSONL (one {"custom_id", "params"} per line) and the API body {"requests": [...]}.

The cache is modelled the way the API bills it (pricing facts §4 items 13-17): a request's cache
entries are its breakpoints (each explicit `cache_control`, plus automatic caching's breakpoint on
the last block); an entry is the prefix tools -> system -> messages up to its block, identified by
a running hash of every block and setting that changes it. In file order, within each batch, a
request reads the longest entry already written that ends at one of its breakpoints or at most 19
blocks before one, and writes the breakpoints after that (A/B/C rule, item 14).

Memory is per distinct block and entry, not per request: each request leaves a few ints in
arrays. Text is counted once per distinct block before the last breakpoint (an 80,000-token rubric
repeated in every request is counted once); text after it is counted straight into the request's
total, on a worker thread while parsing goes on.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Generator, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from costcalc.errors import CostcalcError
from costcalc.notices import SEVERITY, Notice
from costcalc.read import requestrules
from costcalc.tokens import media

if TYPE_CHECKING:
    from costcalc.files.inmemory import InMemory

CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
MAX_BREAKPOINTS = 4
# A sanity ceiling, not a model's limit (those are far lower): larger max_tokens values are
# corrupt and would push totals beyond exact Decimal arithmetic.
MAX_OUTPUT_TOKENS = 10**7
LOOKBACK = 20  # positions checked per breakpoint, the breakpoint itself first (§4 item 13)
# Digits and long hex runs (ids, dates, timestamps, UUIDs) masked to spot prefixes that differ
# only in such details.
_VOLATILE = re.compile(rb"[0-9a-fA-F]{8,}|[0-9]+")
_CHUNK = 512  # blocks sent to the counting thread at a time
# Ints of play record held in memory (4 MB); beyond that the record goes on to a temporary file,
# so a split file is played again from the record, never by reading the input again (a pipe
# can be read once).
REPLAY_LIMIT = 1_000_000
MAX_PROBLEM_LINES = 100  # line numbers kept per problem (its count is always exact)
WRITTEN_KEY = 1 << 20  # more batches than a file can be split into

# A block's tokens: text to count, a precomputed Claude-token band (low, central, high) for
# blocks such as images that text counting cannot price, or a list of both (a tool_result with
# an image, a document's title and its pages, a tool definition with its prompt overhead).
Band3 = tuple[int, int, int]
Source = str | Band3 | list[str | Band3]
# (model id, text) -> tokens: an exact count (int), or an estimate's band (low, central, high)
Counter = Callable[[str, str], Any]
NONE = -1


@dataclass(frozen=True)
class Media:
    """What one model's non-text blocks cost (from pricing data, see check.py), for _blocks."""

    limits: media.Limits
    tool_prompt: Band3  # the tool-use system prompt for tool_choice auto/none (facts 26)
    tool_prompt_any: Band3  # ... for tool_choice any/tool
    tool_prompt_problem: str | None  # set when the model's numbers are not known
    server_tools: dict[str, media.ServerToolOverhead]
    central: Callable[[str], int]  # Claude tokens of a text (central), for texts inside bands


class Pending:
    """A non-text block whose tokens are worked out once per distinct block, when first needed:
    resolve() -> (source, [(problem code, what)])."""

    __slots__ = ("resolve",)

    def __init__(self, resolve: Callable[[], tuple[Source, list[tuple[str, str]]]]) -> None:
        self.resolve = resolve


@dataclass(slots=True)
class Entry:
    """One distinct cache entry: a prefix ending at a breakpoint, on one model."""

    model: str
    ttl: str
    line: int  # first request that has it
    keys: tuple  # block keys of the prefix (token counts by block)
    exact: Future | None = None  # count_tokens of the truncated request (--exact)
    writes: int = 0  # best case
    reads: int = 0  # best case
    batch: int = NONE  # last batch that wrote it (a written entry is readable within its batch)
    fresh: int = 0  # writes that extend no other entry (best case)
    last_uses: int = 0  # requests whose last breakpoint it is
    masked: bytes = b""
    # Digest of the blocks unmasked, and hashes of the settings that invalidate the message
    # cache (tool_choice, thinking): what tells a varying id from varying settings.
    plain: bytes = b""
    settings: tuple[int, int] = (0, 0)
    # A primer for this entry keeps the request's thinking settings (they are part of the
    # message cache, §4 item 17), so it may think up to its budget: output it may be billed.
    primer_output: int = 1
    us: bool = False  # written by inference_geo "us" requests (a separate entry, see _blocks)


class Requests:
    """Per-request state as compact arrays (a million requests cost a few tens of MB)."""

    FIELDS = ("line", "size", "max_tokens", "model", "rejected", "us", "a", "b", "c", "first", "b0")

    def __init__(self) -> None:
        self.line = array("i")
        self.size = array("i")
        self.max_tokens = array("i")
        self.model = array("h")  # index into BatchFile.models
        self.rejected = array("b")
        self.us = array("b")  # inference_geo "us": every token class at the US multiplier
        # Entry indices (NONE when absent): a = the entry read (best case); b = the last 1h
        # breakpoint written after it (else a); c = the last breakpoint; first = the first
        # breakpoint; b0 = the last 1h breakpoint (the worst case writes everything).
        self.a = array("i")
        self.b = array("i")
        self.c = array("i")
        self.first = array("i")
        self.b0 = array("i")
        # Tokens after the last breakpoint (Claude tokens: central, low, high; all three the
        # same when counted exactly), or the whole request's exact count (--exact).
        self.tail = array("q")
        self.tail_low = array("q")
        self.tail_high = array("q")

    def __len__(self) -> int:
        return len(self.line)

    def append(
        self, line: int, size: int, max_tokens: int, model: int, rejected: bool, us: bool = False
    ) -> int:
        self.line.append(line)
        self.size.append(size)
        self.max_tokens.append(max_tokens)
        self.model.append(model)
        self.rejected.append(rejected)
        self.us.append(us)
        self.a.append(NONE)
        self.b.append(NONE)
        self.c.append(NONE)
        self.first.append(NONE)
        self.b0.append(NONE)
        self.tail.append(0)
        self.tail_low.append(0)
        self.tail_high.append(0)
        return len(self.line) - 1


@dataclass
class Problem:
    """One kind of problem in a request file: its code (`kind`), the figures its message is
    about (from the first line that raised it), how many lines raised it and the first
    MAX_PROBLEM_LINES of them, in order (memory stays flat when it fires on every line; the
    full list is streamed to BatchFile.spool when asked for)."""

    kind: str
    figures: dict[str, Any] = field(default_factory=dict)
    lines: list[int] = field(default_factory=list)
    count: int = 0

    @property
    def code(self) -> str:
        return self.kind

    def add(self, line: int) -> None:
        self.count += 1
        lines = self.lines
        if len(lines) < MAX_PROBLEM_LINES:
            if lines and line < lines[-1]:
                bisect.insort(lines, line)
            else:
                lines.append(line)
        elif line < lines[-1]:
            # Lines come in file order per kind; should one arrive late, the first are kept.
            bisect.insort(lines, line)
            lines.pop()

    def notice(self) -> Notice:
        return Notice(self.kind, SEVERITY[self.kind], self.figures, tuple(self.lines))


@dataclass
class BatchFile:
    path: Path
    form: str  # "jsonl", "json" ({"requests": [...]}) or "array" (a bare JSON array)
    size: int
    requests: Requests
    problems: dict[str, Problem]
    malformed: int
    models: list[str] = field(default_factory=list)  # canonical ids, indexed by Requests.model
    entries: list[Entry] = field(default_factory=list)
    entry_index: dict[int, int] = field(default_factory=dict)  # prefix id -> entries index
    # (entry, entry it extends) -> writes in the best case: what each write costs (writes that
    # extend no entry are counted in Entry.fresh)
    spans: dict[tuple[int, int], int] = field(default_factory=dict)
    counts: dict[int, Any] = field(default_factory=dict)  # block key -> tokens (int or band)
    exact_totals: bool = False  # Requests.tail holds the whole request (count_tokens)
    previous_blocks: list = field(default_factory=list)  # the last request's (identity, key)
    # What each request's cache play needs, to play a split file again (see _Reader._play).
    replay: array = field(default_factory=lambda: array("i"))  # the record's unspooled end
    replay_at: array = field(default_factory=lambda: array("q"))  # per request, NONE: no play
    replay_base: int = 0  # record position of replay[0]: what came before is in replay_spool
    replay_spool: Any = None  # a temporary file of the record's earlier parts, or None
    replay_parts: list[int] = field(default_factory=list)  # length of each spooled part
    looks_like: str = ""  # "results" when the first item is a batch results line
    unknown_models: dict[str, int] = field(default_factory=dict)  # name -> requests
    # Every problem line as "code,line" text rows, as found, when the full list is asked for.
    spool: Any = None

    def problem(self, kind: str, line: int, **figures: Any) -> None:
        entry = self.problems.get(kind)
        if entry is None:
            entry = self.problems[kind] = Problem(kind, figures)
        entry.add(line)
        if self.spool is not None:
            self.spool.write(f"{kind},{line}\n")

    @property
    def rejected(self) -> int:
        return sum(self.requests.rejected)

    def entry_tokens(self, e: int) -> tuple[int, tuple[int, int, int]]:
        """(exact tokens, band) of entry `e`'s whole prefix: its Claude tokens are the exact
        part plus the band; with --exact the count_tokens figure of the truncated request."""
        entry = self.entries[e]
        if entry.exact is not None:
            return entry.exact.result(), (0, 0, 0)
        text, lo, mid, hi = 0, 0, 0, 0
        counts = self.counts
        for k in entry.keys:
            n = counts[k]
            if isinstance(n, tuple):
                lo, mid, hi = lo + n[0], mid + n[1], hi + n[2]
            else:
                text += n
        return text, (lo, mid, hi)


def no_constant(name: str) -> Any:
    """json's parse_constant: NaN, Infinity and -Infinity are not JSON (RFC 8259 §6), and a
    NaN max_tokens or token count must never be read as a number."""
    raise ValueError(f"{name} is not valid JSON")


def _iter_jsonl(f: BinaryIO, seen: list[int]) -> Iterator[tuple[int, int, Any]]:
    # What json.loads(raw, parse_constant=no_constant) does, with one decoder for the file
    # instead of one built per line (loads builds a JSONDecoder per call when given options).
    decode = json.JSONDecoder(parse_constant=no_constant).decode
    detect = json.detect_encoding
    for number, raw in enumerate(f, start=1):
        seen[0] += len(raw)
        # Only short lines can be blank; strip() would copy every 300 kB line.
        if len(raw) < 8 and not raw.strip():
            continue
        try:
            yield number, len(raw), decode(raw.decode(detect(raw), "surrogatepass"))
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            yield number, len(raw), ValueError(str(exc))


_REQUESTS_KEY = re.compile(r'"requests"\s*:\s*\[')


def _iter_array(
    f: BinaryIO,
    seen: list[int],
    chunk: int = 1 << 20,
    bare: bool = False,
    trailing: list[str] | None = None,
) -> Iterator[tuple[int, int, Any]]:
    """Items of the "requests" array of {"requests": [...]} (or of a bare array), decoded one
    at a time. The bytes go through an incremental UTF-8 decoder, so a character split
    between two reads stays whole; an item's size is its length in bytes, as the API counts.
    Anything after the array but the closing brace (other keys, trailing data) is put in
    `trailing` (its first characters)."""
    import codecs

    decoder = json.JSONDecoder(parse_constant=no_constant)
    text = codecs.getincrementaldecoder("utf-8")("replace")
    buf = ""
    item = 0
    started = False
    eof = False

    def more() -> bool:
        nonlocal buf, eof
        data = f.read(chunk)
        seen[0] += len(data)
        if not data:
            eof = True
            buf += text.decode(b"", final=True)
            return False
        buf += text.decode(data)
        return True

    def rest() -> str:
        data = f.read(chunk)
        seen[0] += len(data)
        return text.decode(data, final=not data)

    while not started:
        match = re.match(r"\s*\[", buf) if bare else _REQUESTS_KEY.search(buf)
        if match:
            buf = buf[match.end() :]
            started = True
        elif not more():
            raise CostcalcError(
                'no "requests" array found; expected JSONL, {"requests": [...]} or a JSON array'
            )
    while True:
        buf = buf.lstrip(" \t\r\n,")
        if buf.startswith("]"):
            if trailing is not None:
                _after_array(buf[1:], rest, bare, trailing)
            return
        if not buf:
            if not more():
                return
            continue
        try:
            value, end = decoder.raw_decode(buf)
        except (ValueError, RecursionError) as exc:
            if not eof and more():
                continue
            item += 1
            yield item, len(buf.encode("utf-8", "surrogatepass")), ValueError(str(exc))
            return
        item += 1
        yield item, len(buf[:end].encode("utf-8", "surrogatepass")), value
        buf = buf[end:]


def _after_array(rest: str, more: Callable[[], str], bare: bool, out: list[str]) -> None:
    """What follows the requests array must be whitespace, and for {"requests": [...]} one
    closing brace: the API takes no other keys, and trailing data means a damaged file.
    `more()` is the next decoded text, "" at the end."""
    closing = not bare
    while True:
        rest = rest.lstrip(" \t\r\n")
        if closing and rest.startswith("}"):
            closing, rest = False, rest[1:]
            continue
        if rest:
            out.append(rest[:40])
            return
        rest = more()
        if not rest:
            if closing:
                out.append("(no closing brace)")
            return


def cache_ttl(cc: Any) -> str | None:
    """'5m' or '1h' for a valid cache_control, None when absent, '' when the API rejects it:
    only {"type": "ephemeral"} with an optional "ttl" of "5m" or "1h" (§4 item 11)."""
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


def _without_cc(block: dict) -> str:
    return json.dumps({k: v for k, v in block.items() if k != "cache_control"}, sort_keys=True)


def _blocks(
    params: dict[str, Any], ctx: Media | None = None
) -> Iterator[tuple[Any, str, Source | Pending | None, Any]]:
    """(boundary, identity, token source, cache_control) for each block in prefix order: tools,
    system, messages. `boundary` (None inside a section) marks what changes the bytes or
    invalidates the cache between blocks: the start of the messages with the settings that
    invalidate the message cache (tool_choice, thinking; §4 item 17), and each message's role.

    Without `ctx` (identities only) non-text blocks have no source. With it every billed input
    has one (facts 11, 6 (26-27)): images and PDFs by media.py, inside tool_result too (never
    their base64 as text), text documents by their text, thinking by the model's rule, and the
    tool overheads on the tool blocks. Blocks of a type costcalc does not know are estimated
    from their JSON text and flagged ("uncounted"), never 0."""
    raw_tools = params.get("tools")
    tools = [t for t in raw_tools if isinstance(t, dict)] if isinstance(raw_tools, list) else []
    seen_types: set[str] = set()
    for tool in tools:
        body = _without_cc(tool)
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
    system = params.get("system")
    boundary: Any = "system"
    if isinstance(system, str):
        yield boundary, system, system, None
    elif isinstance(system, list):
        for block in system:
            if isinstance(block, dict):
                text = str(block.get("text", ""))
                yield boundary, text, text, block.get("cache_control")
                boundary = None
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
        yield ("messages", settings, None), _TOOL_PROMPT + cls, prompt, None
        settings = ""
    last_tool_turn = _last_tool_turn(messages) if ctx is not None else None
    for m, message in enumerate(messages):
        if not isinstance(message, dict):
            continue
        boundary = ("messages", settings, message.get("role"))
        settings = ""
        content = message.get("content")
        if isinstance(content, str):
            yield boundary, content, content, None
        elif isinstance(content, list):
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
                    body = _without_cc(block)
                    yield boundary, body, body, cc
                else:
                    body = _without_cc(block)
                    if ctx is None:
                        yield boundary, body, None, cc
                    else:
                        kept = kind in _THINKING and m == last_tool_turn
                        if kept:
                            # Sent back and counted only as the last tool-loop turn (facts 53).
                            body += "\x00last_tool_turn"
                        yield boundary, body, _content_source(block, ctx, kept), cc
                boundary = None


_THINKING = ("thinking", "redacted_thinking")
_TOOL_PROMPT = "\x00tool_prompt:"  # identity of the tool-use system prompt block
_KNOWN = ("image", "document", "tool_result", "search_result", *_THINKING)
_BLOCK_WORDS = {"image": "an image", "pdf": "a PDF", "document": "a document"}


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
    thinking is sent back and counted on every model (facts 53)."""
    if not messages or not media._ends_in_tool_results(messages[-1]):
        return None
    return max(
        (i for i, m in enumerate(messages) if isinstance(m, dict) and m.get("role") == "assistant"),
        default=None,
    )


def _tool_prompt_source(cls: str, params: dict[str, Any], ctx: Media) -> Pending:
    """The tool-use system prompt's tokens for this tool_choice class (facts 26)."""

    def resolve() -> tuple[Source, list[tuple[str, str]]]:
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
            problems.append((ctx.tool_prompt_problem, "tool-use system prompt"))
        return chosen, problems

    return Pending(resolve)


def _tool_source(
    body: str,
    server: bool,
    first_of_type: bool,
    kind: Any,
    ctx: Media,
) -> Pending:
    def resolve() -> tuple[Source, list[tuple[str, str]]]:
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
    def resolve() -> tuple[Source, list[tuple[str, str]]]:
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
            n = ctx.central(_without_cc(block))
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
# text is in messages.py).
BLOCK_FIGURES: dict[str, dict[str, str]] = {"uncounted": {"source": "unknown_block"}}


def primer_max_tokens(params: dict[str, Any]) -> int:
    """max_tokens of a request that only writes the cache: 1, or one over the thinking budget
    when extended thinking is on (max_tokens must exceed budget_tokens, §11 item 53)."""
    thinking = params.get("thinking")
    budget = thinking.get("budget_tokens") if isinstance(thinking, dict) else None
    return budget + 1 if type(budget) is int and 1 <= budget < MAX_OUTPUT_TOKENS else 1


def truncated(params: dict[str, Any], n: int) -> dict[str, Any]:
    """The request cut after its first `n` blocks (in _blocks order), with the settings that
    count_tokens takes: what an entry ending at block n holds."""
    out: dict[str, Any] = {k: params[k] for k in ("model", "thinking") if k in params}
    left = n
    tools = [t for t in params.get("tools") or () if isinstance(t, dict)]
    if tools and left:
        out["tools"] = tools[:left]
        left -= len(out["tools"])
        if "tool_choice" in params:
            out["tool_choice"] = params["tool_choice"]
    system = params.get("system")
    if isinstance(system, str) and left:
        out["system"], left = system, left - 1
    elif isinstance(system, list) and left:
        kept = [b for b in system if isinstance(b, dict)][:left]
        out["system"], left = kept, left - len(kept)
    if tools and left:
        left -= 1  # the tool-use system prompt, first of the messages (see _blocks)
    messages = []
    for message in params.get("messages") or ():
        if not left:
            break
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if isinstance(content, str):
            messages.append(message)
            left -= 1
        elif isinstance(content, list):
            kept = [b for b in content if isinstance(b, dict)][:left]
            messages.append({**message, "content": kept})
            left -= len(kept)
    if messages:
        out["messages"] = messages
    return out


def read(
    path: Path | InMemory,
    count: Counter | None,
    known_models: Callable[[str], str | None],
    exact: Any = None,
    media_for: Callable[[str], Media] | None = None,
    describe: Callable[[str], Any] | None = None,
    spool: Any = None,
) -> BatchFile:
    """Stream `path`, check every request and simulate the cache in file order.

    `count` counts the text of a block (once per distinct block); with `exact` (an ExactCounter)
    each entry and each request is counted by count_tokens instead. The file is read once:
    when it must be split, replay() plays it again batch by batch from a record of the first
    play (spooled to a temporary file beyond REPLAY_LIMIT). `media_for(model)`
    prices the non-text blocks (without it they are flagged "uncounted"). `describe(model id)`
    gives the model's pricing entry (ModelPrice) for the per-model checks: the model names the
    API takes, inference_geo, max_tokens against the output limit. `spool` (a text file)
    receives every problem line as a "code,line" row as it is found (BatchFile.spool).

    New blocks are counted on a worker thread while parsing goes on. (A forked worker process
    was tried: with deduplicated blocks the counting left is small, and forking and pickling
    cost more.) Checks that need counts are made by the caller once counts are known.
    """
    from costcalc.files.inmemory import InMemory
    from costcalc.files.inputs import open_binary

    pool = ThreadPoolExecutor(max_workers=1)
    try:
        if isinstance(path, InMemory):
            # Requests given in memory (the Python API): the same walk as a JSONL file's lines.
            seen = [0]
            batch = _walk(
                _counted(path.numbered(), seen),
                path,
                "jsonl",
                seen,
                [],
                pool,
                count,
                known_models,
                exact,
                media_for,
                describe,
                spool,
            )
        else:
            f = open_binary(path)
            with f:
                batch = _read(f, path, pool, count, known_models, exact, media_for, describe, spool)
    finally:
        pool.shutdown(wait=True)
    return batch


def _counted(
    items: Iterator[tuple[int, int, Any]], seen: list[int]
) -> Iterator[tuple[int, int, Any]]:
    for number, size, item in items:
        seen[0] += size
        yield number, size, item


class _Queue:
    """Texts to count, sent to the worker in chunks (one Future per chunk, not per block)."""

    def __init__(self, pool: Executor, batch: BatchFile, count: Counter | None) -> None:
        self.pool, self.batch, self.count = pool, batch, count
        self.items: list[tuple[bool, int, str, Source]] = []
        self.futures: list[Future] = []

    def add(self, to_tail: bool, target: int, model: str, source: Source) -> None:
        self.items.append((to_tail, target, model, source))
        if len(self.items) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if self.items:
            self.futures.append(self.pool.submit(self._run, self.items))
            self.items = []
            # Back-pressure: texts waiting to be counted are held in memory, so parsing waits
            # when the worker falls behind (and its errors surface early).
            while len(self.futures) > 8:
                self.futures.pop(0).result()

    def _run(self, items: list) -> None:
        counts, req, count = self.batch.counts, self.batch.requests, self.count
        tail, low, high = req.tail, req.tail_low, req.tail_high
        assert count is not None
        for to_tail, target, model, source in items:
            if isinstance(source, str):
                n = count(model, source)
            elif isinstance(source, tuple):
                n = source
            else:
                n = 0
                for part in source:
                    n = _plus(n, count(model, part) if isinstance(part, str) else part)
            if not to_tail:
                counts[target] = n
            elif isinstance(n, int):
                tail[target] += n
                low[target] += n
                high[target] += n
            else:
                low[target] += n[0]
                tail[target] += n[1]
                high[target] += n[2]

    def wait(self) -> None:
        self.flush()
        for f in self.futures:
            f.result()


def _plus(a: Any, b: Any) -> Any:
    """The sum of two counts, each exact (int) or a band (low, central, high)."""
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    a = (a, a, a) if isinstance(a, int) else a
    b = (b, b, b) if isinstance(b, int) else b
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def _read(
    f: BinaryIO,
    path: Path,
    pool: Executor,
    count: Counter | None,
    known_models,
    exact: Any = None,
    media_for: Callable[[str], Media] | None = None,
    describe: Callable[[str], Any] | None = None,
    spool: Any = None,
) -> BatchFile:
    # Sniff the form from the buffered head without consuming it: stdin, FIFOs and process
    # substitution cannot seek back, and their size is unknown until they end.
    peek = getattr(f, "peek", None)
    head = peek(4096) if peek is not None else b""
    first = head.lstrip()[:1]
    if first == b"[":
        form = "array"
    elif re.match(rb'\s*\{\s*"requests"\s*:', head) is not None:
        form = "json"
    elif first in (b"{", b""):
        form = "jsonl"
    else:
        raise CostcalcError(
            f"{path} is not a request file (it starts with {first!r}); expected JSONL, "
            '{"requests": [...]} or a JSON array of requests'
        )
    seen = [0]
    trailing: list[str] = []
    items = (
        _iter_jsonl(f, seen)
        if form == "jsonl"
        else _iter_array(f, seen, bare=form == "array", trailing=trailing)
    )
    return _walk(
        items,
        path,
        form,
        seen,
        trailing,
        pool,
        count,
        known_models,
        exact,
        media_for,
        describe,
        spool,
    )


def _walk(
    items: Iterator[tuple[int, int, Any]],
    path: Any,
    form: str,
    seen: list[int],
    trailing: list[str],
    pool: Executor,
    count: Counter | None,
    known_models,
    exact: Any = None,
    media_for: Callable[[str], Media] | None = None,
    describe: Callable[[str], Any] | None = None,
    spool: Any = None,
) -> BatchFile:
    """Check and play every (number, size, item) of a request file, or of requests given in
    memory (`path` is then an inmemory.InMemory)."""
    batch = BatchFile(path, form, 0, Requests(), {}, 0, spool=spool)
    batch.exact_totals = exact is not None
    reader = _Reader(batch, pool, count, known_models, exact, media_for, describe)
    last = 0
    for number, size, item in items:
        if not batch.looks_like:
            batch.looks_like = _looks_like(item)
        if isinstance(item, Exception):
            batch.malformed += 1
            batch.problem("malformed", number, reason="not_json")
            continue
        reader.one(number, size, item)
        last = number
    if trailing:
        batch.problem("trailing_data", last + 1, found=trailing[0])
    batch.size = seen[0]
    reader.queue.wait()
    for fut in reader.exact_futures:
        fut.result()
    _duplicate_ids(batch, reader.id_hashes, reader.id_lines)
    _near_duplicates(batch)
    return batch


def _note_unknown_model(batch: BatchFile, name: Any) -> None:
    key = name if isinstance(name, str) else repr(name)
    batch.unknown_models[key] = batch.unknown_models.get(key, 0) + 1


def _api_limits(batch: BatchFile, params: dict[str, Any], max_tokens: int, line: int) -> bool:
    """Limits the API enforces on one request that the other checks do not cover; True when
    the API would refuse it: max_tokens beyond any model's output (which would also price a
    corrupt number), thinking.budget_tokens not below max_tokens."""
    if max_tokens > MAX_OUTPUT_TOKENS:
        batch.problem("max_tokens_too_large", line, limit=MAX_OUTPUT_TOKENS)
        return True
    thinking = params.get("thinking")
    if not isinstance(thinking, dict) or thinking.get("type") != "enabled":
        return False
    budget = thinking.get("budget_tokens")
    if type(budget) is int and max_tokens >= 1 and budget < max_tokens:
        return False
    batch.problem("thinking_budget", line)
    return True


def is_api_name(model: Any, name: str) -> bool:
    """Whether the Claude API takes `name` for `model`: its id or an alias Anthropic publishes
    (those start with "claude-" and have no "@"; pricing.yaml also lists costcalc's own and
    other platforms' names). Letter case is not judged: whether the API takes
    "Claude-Opus-4-7" is not in the fact sheet, and refusing it would drop a billed request."""
    names = (model.id, *(a for a in model.aliases if a.startswith("claude-") and "@" not in a))
    return name.lower() in {n.lower() for n in names}


def _model_checks(
    batch: BatchFile, model: Any, name: str, api_name: bool, max_tokens: int, line: int
) -> bool:
    """The model name the Batches API takes, and max_tokens against the model's output limit;
    True when the API would refuse the request."""
    rejected = False
    if not api_name:
        # costcalc's own aliases (opus-4.7) and other platforms' ids (Bedrock anthropic.*,
        # Vertex ...@date) name a known model, but the Claude API does not take them (§1, §9
        # item 42): the request would fail, so it is not billed.
        batch.problem("model_not_api_id", line, name=name, model=model.id)
        rejected = True
    limit, beta = model.max_output, model.max_output_batch
    # Over MAX_OUTPUT_TOKENS is its own problem (_api_limits).
    if limit is not None and limit < max_tokens <= MAX_OUTPUT_TOKENS:
        if beta is not None and max_tokens <= beta:
            # The beta header is set per batch (§5 item 19), outside the file: not rejected,
            # but the batch needs it (§5 item 23, §12 item 58).
            batch.problem(
                "needs_output_300k_beta",
                line,
                limit=limit,
                beta=model.max_output_batch_beta or "extended-output",
                batch_limit=beta,
            )
        else:
            batch.problem("max_tokens_over_limit", line, limit=beta or limit)
            rejected = True
    return rejected


def _request_rules(batch: BatchFile, model_id: str, name: str, params: dict, line: int) -> bool:
    """Parameters and shapes the API refuses (requestrules); True when it surely would."""
    rejected = False
    for code, figures in requestrules.sampling_problems(model_id, params):
        batch.problem(code, line, **figures)
        rejected = rejected or code == "temperature_rejected"
    if requestrules.rejected_on_2026_10_21(params):
        batch.problem("rejected_on_api_2026_10_21", line)
    if requestrules.wrong_case(name):
        batch.problem("model_id_case", line, name=name, model=model_id)
    return rejected


def _inference_geo(batch: BatchFile, model: Any, params: dict[str, Any], line: int) -> str | None:
    """The request's inference location ("global" or "us"), None when the API would refuse it:
    a value other than those two, or "us" on a model before Claude 4.6 (§6 item 24: 400)."""
    geo = params.get("inference_geo", "global")
    if not isinstance(geo, str) or geo not in ("global", "us"):
        batch.problem("inference_geo_invalid", line)
        return None
    if geo == "us" and model.us_inference_multiplier is None:
        batch.problem("inference_geo_unsupported", line, model=model.id)
        return None
    return geo


def _looks_like(item: Any) -> str:
    """What the first item says the file is: "results" for a batch results line, "request"
    otherwise (kept to explain a file with nothing to price)."""
    if isinstance(item, dict) and "result" in item and "params" not in item:
        return "results"
    return "request"


def _duplicate_ids(batch: BatchFile, hashes: array, lines: array) -> None:
    """custom_ids seen before, found by sorting their hashes: 8 bytes a request instead of a
    dict of every id."""
    # Sorted a sixteenth at a time: a sorted list of every hash would cost 40 bytes an id.
    parts = [array("q") for _ in range(16)]
    for h in hashes:
        parts[h & 15].append(h)
    repeated: set[int] = set()
    for part in parts:
        repeated.update(a for a, b in itertools.pairwise(sorted(part)) if a == b)
    del parts
    if not repeated:
        return
    seen: set[int] = set()
    for i, h in enumerate(hashes):
        if h in repeated:
            if h in seen:
                batch.problem("custom_id_duplicate", lines[i])
            seen.add(h)


class _Reader:
    """Checks one request at a time and plays it against the cache entries written so far."""

    def __init__(
        self,
        batch: BatchFile,
        pool: Executor,
        count,
        known_models,
        exact,
        media_for=None,
        describe=None,
    ):
        self.batch, self.pool, self.exact = batch, pool, exact
        self.describe = describe
        self.api_names: dict[str, bool] = {}  # model name as written -> the API takes it
        # count_tokens counts every block itself (--exact): nothing to price here.
        self.media_for = media_for if exact is None else None
        self.media: dict[str, Media] = {}
        # Non-text blocks worked out so far, by block key: (source, problems).
        self.resolved: dict[int, tuple[Source, list[tuple[str, str]]]] = {}
        self.known_models = known_models
        self.queue = _Queue(pool, batch, count)
        self.id_hashes = array("q")
        self.id_lines = array("i")
        self.model_index: dict[str, int] = {}
        self.exact_futures: list[Future] = []
        self.last_c = NONE
        self.previous_model = ""

    def one(self, number: int, size: int, item: Any) -> None:
        batch = self.batch
        if not isinstance(item, dict) or not isinstance(item.get("params"), dict):
            batch.malformed += 1
            batch.problem("malformed", number, reason="not_request")
            return
        custom_id = item.get("custom_id")
        if not isinstance(custom_id, str) or not custom_id:
            batch.problem("custom_id_missing", number)
            custom_id = None
        elif not CUSTOM_ID.match(custom_id):
            batch.problem("custom_id_invalid", number)
        if custom_id is not None:
            self.id_hashes.append(hash(custom_id))
            self.id_lines.append(number)
        params = item["params"]
        name = params.get("model")
        model = self.known_models(name) if isinstance(name, str) else None
        if model is None:
            batch.problem("unknown_model", number, name=name)
            _note_unknown_model(batch, name)
            return
        rejected = False
        max_tokens = params.get("max_tokens")
        if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
            batch.problem("max_tokens", number)
            max_tokens, rejected = 0, True
        max_tokens = min(max_tokens, 2**31 - 1)
        us = False
        info = self.describe(model) if self.describe is not None else None
        if info is not None:
            api_name = self.api_names.get(name)
            if api_name is None:
                api_name = self.api_names[name] = is_api_name(info, name)
            rejected = _model_checks(batch, info, name, api_name, max_tokens, number) or rejected
            geo = _inference_geo(batch, info, params, number)
            rejected = rejected or geo is None
            us = geo == "us"
        if params.get("stream") is True:
            batch.problem("stream", number)
            rejected = True
        rejected = _request_rules(batch, model, name, params, number) or rejected
        rejected = _api_limits(batch, params, max_tokens, number) or rejected
        if params.get("speed") == "fast":
            batch.problem("fast_mode", number)
            rejected = True
        messages = params.get("messages")
        if not isinstance(messages, list) or not messages:
            batch.problem("messages", number)
            rejected = True
        m = self.model_index.get(model)
        if m is None:
            m = self.model_index[model] = len(batch.models)
            batch.models.append(model)
        r = batch.requests.append(number, min(size, 2**31 - 1), max_tokens, m, False, us)
        batch.replay_at.append(NONE)
        if not self._blocks(r, number, model, params, rejected, us):
            batch.requests.rejected[r] = 1

    def _blocks(
        self, r: int, number: int, model: str, params: dict, rejected: bool, us: bool = False
    ) -> bool:
        """Identify the blocks and breakpoints, queue the counts, play the cache; False when the
        API would reject the request."""
        batch = self.batch
        # Keys are per model (counts differ by tokenizer, image tier, thinking rule): the
        # previous request's keys are reused only when it is on the same model.
        previous = batch.previous_blocks if self.previous_model == model else []
        self.previous_model = model
        current: list[tuple[str, int]] = []
        keys: list[int] = []
        pids: list[int] = []
        sources: list[Source | None] = []
        bps: list[tuple[int, str]] = []  # (position, ttl)
        invalid = uncounted = False
        # US-only and global requests never share an entry. The fact sheet (§6 item 24) says
        # only that inference runs elsewhere and costs 1.1x, nothing of whether caches cross
        # inference locations; reading a global entry from a US request would be the cheaper
        # assumption, so each location writes its own (the conservative one).
        h = hash((model, "us")) if us else hash(model)
        ctx = None
        if self.media_for is not None:
            ctx = self.media.get(model)
            if ctx is None:
                ctx = self.media[model] = self.media_for(model)
        block_problems: set[tuple[str, str]] = set()
        for position, (boundary, identity, source, cc) in enumerate(_blocks(params, ctx)):
            # The same block as the previous request's at this position (a memcmp) keeps its
            # key; otherwise identity is length and CPython's string hash: far cheaper than a
            # digest of each 300 kB rubric, and only compared within this process.
            if position < len(previous) and previous[position][0] == identity:
                key = previous[position][1]
            else:
                key = hash((model, len(identity), hash(identity)))
            current.append((identity, key))
            h = hash((h, boundary, key))
            keys.append(key)
            pids.append(h)
            if isinstance(source, Pending):
                done = self.resolved.get(key)
                if done is None:
                    done = self.resolved[key] = source.resolve()
                source = done[0]
                block_problems.update(done[1])
            sources.append(source)
            uncounted = uncounted or source is None
            ttl = cache_ttl(cc) if cc is not None else None
            if ttl:
                bps.append((position, ttl))
            elif ttl == "":
                invalid = True
        batch.previous_blocks = current
        slots = len(bps)
        auto = cache_ttl(params.get("cache_control"))
        if auto == "":
            invalid = True
        elif auto and keys:
            # Automatic caching: a breakpoint on the last block, in one of the 4 slots.
            slots += 1
            last = len(keys) - 1
            if bps and bps[-1][0] == last:
                if bps[-1][1] != auto:
                    batch.problem("auto_ttl_conflict", number)
            else:
                bps.append((last, auto))
        if invalid:
            batch.problem("cache_control_invalid", number)
            rejected = True
        if slots > MAX_BREAKPOINTS:
            batch.problem("breakpoints", number, max=MAX_BREAKPOINTS)
            rejected = True
        if len(bps) > 1 and any(a[1] == "5m" and b[1] == "1h" for a, b in itertools.pairwise(bps)):
            batch.problem("ttl_order", number)
        if uncounted and self.exact is None:
            batch.problem("uncounted", number, source="no_offline_count")
        for code in sorted({code for code, _ in block_problems}) if block_problems else ():
            figures: dict[str, Any] = BLOCK_FIGURES.get(code, {})
            if code == "pdf_too_many_pages" and ctx is not None:
                # The page limit and why it is that one (the request's context window).
                figures = {
                    "max_pages": ctx.limits.max_pages,
                    "small_window": ctx.limits.small_window,
                }
            batch.problem(code, number, **figures)
            # A page count is measured, so the refusal is certain: not billed.
            rejected = rejected or code == "pdf_too_many_pages"
        if rejected:
            return False
        self._count(r, model, params, keys, sources, bps)
        if bps:
            self._play(r, number, model, params, keys, pids, bps, us)
        return True

    def _count(self, r: int, model: str, params: dict, keys, sources, bps) -> None:
        batch, queue = self.batch, self.queue
        if self.exact is not None:
            exact, tail = self.exact, batch.requests.tail

            def total(r: int = r) -> None:
                tail[r] = exact.request(model, params)

            self.exact_futures.append(self.pool.submit(total))
            return
        cut = bps[-1][0] + 1 if bps else 0
        counts = batch.counts
        for i in range(cut):
            key = keys[i]
            if key not in counts:
                source = sources[i]
                if isinstance(source, tuple):
                    counts[key] = source
                elif source is None:
                    counts[key] = (0, 0, 0)  # flagged "uncounted"
                else:
                    counts[key] = 0
                    queue.add(False, key, model, source)
        for i in range(cut, len(keys)):
            source = sources[i]
            if source is not None:
                # Bands too go through the worker: it alone adds to the tail arrays.
                queue.add(True, r, model, source)

    def _entry(
        self, pid: int, model: str, ttl: str, number: int, keys, n: int, params, us: bool
    ) -> int:
        batch = self.batch
        e = batch.entry_index.get(pid)
        if e is None:
            e = batch.entry_index[pid] = len(batch.entries)
            entry = Entry(model, ttl, number, tuple(keys[:n]), us=us)
            entry.primer_output = primer_max_tokens(params)
            if self.exact is not None:
                entry.exact = self.pool.submit(self.exact.prefix, model, truncated(params, n))
            batch.entries.append(entry)
        return e

    def _play(
        self, r: int, number: int, model: str, params: dict, keys, pids, bps, us: bool = False
    ) -> None:
        """Best case, in file order within the batch: read the longest written entry within
        reach, write every breakpoint after it (A/B/C, §4 items 13-14).

        What the play needs is recorded (each breakpoint's entry, and the entries that existed
        within its lookback), so that a split file is played again per batch without reading
        it again."""
        batch = self.batch
        index = batch.entry_index
        rec = batch.replay
        start = len(rec)
        rec.append(len(bps))
        candidates = []
        for p, _ in bps:
            found: list[int] = []
            for q in range(p, max(p - LOOKBACK, NONE), -1):
                e = index.get(pids[q])
                if e is not None:
                    found += (q, e)
            candidates.append(found)
        for (p, ttl), found in zip(bps, candidates, strict=True):
            e = self._entry(pids[p], model, ttl, number, keys, p + 1, params, us)
            rec.extend((e, ttl == "1h", p, len(found) // 2))
            rec.extend(found)
        batch.replay_at[r] = batch.replay_base + start
        _simulate(batch, rec, r, start, 0, None)
        if len(rec) > REPLAY_LIMIT:
            _spool(batch)
        c = batch.requests.c[r]
        last = batch.entries[c]
        if c != self.last_c and last.last_uses:
            batch.problem("interleaved", number)
        if not last.last_uses:
            last.masked, last.plain = _masked(params, bps[-1][0] + 1)
            last.settings = (_setting(params, "tool_choice"), _setting(params, "thinking"))
        last.last_uses += 1
        self.last_c = c


def _spool(batch: BatchFile) -> None:
    """Move the play record held in memory to the temporary file (whole requests only)."""
    import tempfile

    rec = batch.replay
    if batch.replay_spool is None:
        batch.replay_spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the BatchFile)
    rec.tofile(batch.replay_spool)
    batch.replay_parts.append(len(rec))
    batch.replay_base += len(rec)
    del rec[:]


def _record_parts(batch: BatchFile) -> Generator[tuple[int, array], None, None]:
    """(record position, part) for the spooled parts in order, then the part in memory."""
    base, spool = 0, batch.replay_spool
    if spool is not None:
        spool.seek(0)
        for n in batch.replay_parts:
            part = array("i")
            part.fromfile(spool, n)
            yield base, part
            base += n
    yield base, batch.replay


def _simulate(
    batch: BatchFile, rec: array, r: int, at: int, bid: int, written: set[int] | None
) -> None:
    """Play request r (its record at rec[at]) in batch `bid`. `written` holds
    entry * WRITTEN_KEY + batch for entries written in each batch (None: Entry.batch is used,
    enough while batches are played one after another)."""
    entries, req = batch.entries, batch.requests
    n, i = rec[at], at + 1
    a_pos, a = NONE, NONE
    bps = []
    for _ in range(n):
        e, one_hour, p, k = rec[i], rec[i + 1], rec[i + 2], rec[i + 3]
        i += 4
        for j in range(i, i + 2 * k, 2):
            q, ce = rec[j], rec[j + 1]
            if q <= a_pos:
                break
            if written is None:
                if entries[ce].batch == bid:
                    a_pos, a = q, ce
                    break
            elif ce * WRITTEN_KEY + bid in written:
                a_pos, a = q, ce
                break
        i += 2 * k
        bps.append((p, e, one_hour))
    b, prev, b0 = a, a, NONE
    spans = batch.spans
    for p, e, one_hour in bps:
        if one_hour:
            b0 = e
        if p <= a_pos:
            continue
        entry = entries[e]
        entry.writes += 1
        entry.batch = bid
        if written is not None:
            written.add(e * WRITTEN_KEY + bid)
        if prev == NONE:
            entry.fresh += 1
        else:
            spans[(e, prev)] = spans.get((e, prev), 0) + 1
        prev = e
        if one_hour:
            b = e
    if a != NONE:
        entries[a].reads += 1
    req.a[r], req.b[r], req.c[r], req.first[r], req.b0[r] = a, b, bps[-1][1], bps[0][1], b0


def replay(batch: BatchFile, assign: array) -> None:
    """Play the file again with each request in its batch (`assign`) from what the first read
    recorded (requests are recorded in file order, each within one part of the record)."""
    for entry in batch.entries:
        entry.writes = entry.reads = entry.fresh = 0
        entry.batch = NONE
    batch.spans = {}
    written: set[int] = set()
    req = batch.requests
    parts = _record_parts(batch)
    base, part = next(parts)
    end = base + len(part)
    for r in range(len(req)):
        at = batch.replay_at[r]
        if at == NONE or req.rejected[r]:
            continue
        while at >= end:
            base, part = next(parts)
            end = base + len(part)
        _simulate(batch, part, r, at - base, assign[r], written)
    parts.close()


def _masked(params: dict[str, Any], n: int) -> tuple[bytes, bytes]:
    """Digests of the first n blocks with digits and ids masked, and as they are (see
    _near_duplicates)."""
    h = hashlib.blake2b(digest_size=16)
    plain = hashlib.blake2b(digest_size=16)
    for i, (_, identity, _, _) in enumerate(_blocks(params)):
        if i >= n:
            break
        if identity.startswith(_TOOL_PROMPT):
            continue  # follows tool_choice, which `settings` tells apart
        data = identity.encode("utf-8", errors="replace")
        plain.update(len(data).to_bytes(8, "little") + data)
        h.update(_VOLATILE.sub(b"#", data))
    return h.digest(), plain.digest()


def _setting(params: dict[str, Any], key: str) -> int:
    value = params.get(key)
    return 0 if value is None else hash(json.dumps(value, sort_keys=True, default=str))


# What varies between entries with the same blocks -> its problem code.
_SETTING_CODES = ("tool_choice_varies", "thinking_varies")


def _near_duplicates(batch: BatchFile) -> None:
    """Last-breakpoint entries used by one request each that become equal once digits and ids
    are masked: a date or id inside the "shared" text, so nothing is actually shared. When
    their blocks are the same byte for byte, what differs is a setting that invalidates the
    message cache (tool_choice or thinking), and the problem names it."""
    by_mask: dict[bytes, list[int]] = defaultdict(list)
    for e, entry in enumerate(batch.entries):
        if entry.last_uses == 1:
            by_mask[entry.masked].append(e)
    codes: dict[int, list[str]] = {}
    entries = batch.entries
    for group in by_mask.values():
        if len(group) < 2:
            continue
        found = ["prefix_varies"]
        if len({entries[e].plain for e in group}) == 1:
            found = [
                code
                for i, code in enumerate(_SETTING_CODES)
                if len({entries[e].settings[i] for e in group}) > 1
            ] or found
        for e in group:
            codes[e] = found
    if not codes:
        return
    req = batch.requests
    for r in range(len(req)):
        for code in codes.get(req.c[r], ()):
            batch.problem(code, req.line[r])
