"""Reading a Message Batches request file: streamed, checked, and turned into engine workloads.

Accepts JSONL (one {"custom_id", "params"} per line) and the API body {"requests": [...]}. Only a
small record per request is kept; each content block is hashed, and only blocks not seen
before are tokenized, so an 80,000-token rubric repeated in every request is counted once.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from .errors import CostcalcError

CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
MAX_BREAKPOINTS = 4
# A sanity ceiling, not a model's limit (those are far lower): larger max_tokens values are
# corrupt and would push totals beyond exact Decimal arithmetic.
MAX_OUTPUT_TOKENS = 10**7
# Digits and long hex runs (ids, dates, timestamps, UUIDs) masked to spot prefixes that differ
# only in such details.
_VOLATILE = re.compile(rb"[0-9a-fA-F]{8,}|[0-9]+")


@dataclass
class Request:
    """What is kept of one request (not its text)."""

    line: int
    custom_id: str | None
    model: str
    max_tokens: int
    size: int  # bytes of the request in the file
    prefix: str  # hash of the cached prefix ("" when nothing is cached)
    ttl: str  # TTL of the last breakpoint
    breakpoints: int
    uncounted_blocks: int  # images and documents: no offline count
    rejected: bool = False  # the API would refuse it (and not bill it)
    # Blocks up to the last breakpoint and after it, as keys into the block counts; resolved
    # into token counts once every distinct block is counted.
    prefix_keys: tuple = ()
    rest_keys: tuple = ()
    prefix_tokens: int = 0  # counted tokens up to the last breakpoint
    unique_tokens: int = 0  # counted tokens after it


@dataclass
class Problem:
    kind: str
    message: str
    lines: list[int] = field(default_factory=list)


@dataclass
class BatchFile:
    path: Path
    form: str  # "jsonl", "json" ({"requests": [...]}) or "array" (a bare JSON array)
    size: int
    requests: list[Request]
    problems: dict[str, Problem]
    malformed: int
    prefix_volatile: dict[str, bytes]  # prefix hash -> masked digest, for unshared prefixes
    counts: dict = field(default_factory=dict)  # block key -> future token count (while reading)
    previous_blocks: list = field(default_factory=list)  # the last request's (text, key) pairs
    looks_like: str = ""  # "results" when the first item is a batch results line
    unknown_models: dict[str, int] = field(default_factory=dict)  # name -> requests

    def problem(self, kind: str, message: str, line: int) -> None:
        entry = self.problems.setdefault(kind, Problem(kind, message))
        entry.lines.append(line)


Counter = Callable[[str, str], int]  # (model id, text) -> tokens

_ZERO: Future = Future()
_ZERO.set_result(0)


def _blocks(params: dict[str, Any]) -> Iterator[tuple[str, dict | None, bool]]:
    """(text, cache_control, countable) for each block in prefix order: tools, system, messages."""
    tools = params.get("tools")
    for tool in tools if isinstance(tools, list) else ():
        if isinstance(tool, dict):
            cc = tool.get("cache_control")
            body = {k: v for k, v in tool.items() if k != "cache_control"}
            yield json.dumps(body, sort_keys=True), cc, True
    system = params.get("system")
    if isinstance(system, str):
        yield system, None, True
    elif isinstance(system, list):
        for block in system:
            if isinstance(block, dict):
                yield str(block.get("text", "")), block.get("cache_control"), True
    messages = params.get("messages")
    for message in messages if isinstance(messages, list) else ():
        if not isinstance(message, dict):
            continue
        content = message.get("content")
        if isinstance(content, str):
            yield content, None, True
        elif isinstance(content, list):
            for block in content:
                if not isinstance(block, dict):
                    continue
                kind = block.get("type")
                cc = block.get("cache_control")
                if kind == "text":
                    yield str(block.get("text", "")), cc, True
                elif kind == "tool_use":
                    yield json.dumps(block.get("input", {}), sort_keys=True), cc, True
                elif kind == "tool_result":
                    inner = block.get("content")
                    text = inner if isinstance(inner, str) else json.dumps(inner, sort_keys=True)
                    yield text, cc, True
                else:  # image, document, ...: no offline token count
                    yield json.dumps(block, sort_keys=True), cc, False


def _iter_jsonl(f: BinaryIO, seen: list[int]) -> Iterator[tuple[int, int, Any]]:
    for number, raw in enumerate(f, start=1):
        seen[0] += len(raw)
        # Only short lines can be blank; strip() would copy every 300 kB line.
        if len(raw) < 8 and not raw.strip():
            continue
        try:
            yield number, len(raw), json.loads(raw)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            yield number, len(raw), ValueError(str(exc))


_REQUESTS_KEY = re.compile(r'"requests"\s*:\s*\[')


def _iter_array(
    f: BinaryIO, seen: list[int], chunk: int = 1 << 20, bare: bool = False
) -> Iterator[tuple[int, int, Any]]:
    """Items of the "requests" array of {"requests": [...]} (or of a bare array), decoded one
    at a time. The bytes go through an incremental UTF-8 decoder, so a character split
    between two reads stays whole; an item's size is its length in bytes, as the API counts."""
    import codecs

    decoder = json.JSONDecoder()
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


def read(
    path: Path,
    count: Counter,
    known_models: Callable[[str], str | None],
    context_limit: Callable[[str], int | None],
    min_cache: Callable[[str], int | None],
    to_tokens: Callable[[str, int], int] = lambda model, n: n,
) -> BatchFile:
    """Stream `path` and check every request; `count` tokenizes text, once per distinct block.

    known_models maps a model name to its canonical id (None when unknown); context_limit and
    min_cache give a canonical id's limits in Claude tokens, and to_tokens turns a count from
    `count` into (central) Claude tokens for those checks.

    New blocks are counted on a worker thread while parsing goes on; the checks that need
    counts run once every block is counted. (A forked worker process was tried: with
    deduplicated blocks the counting left is small, and forking and pickling cost more.)
    """
    from .infile import open_binary

    f = open_binary(path)
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        with f:
            batch = _read(f, path, pool, count, known_models)
        counts = {key: future.result() for key, future in batch.counts.items()}
    finally:
        pool.shutdown(cancel_futures=True)
    for req in batch.requests:
        req.prefix_tokens = sum(counts[k] for k in req.prefix_keys)
        req.unique_tokens = sum(counts[k] for k in req.rest_keys)
        _check_counts(batch, req, context_limit, min_cache, to_tokens)
    batch.counts = {}
    for problem in batch.problems.values():
        problem.lines.sort()
    return batch


def _read(f: BinaryIO, path: Path, pool: Executor, count: Counter, known_models) -> BatchFile:
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
    elif head.startswith(b"\xef\xbb\xbf"):
        raise CostcalcError(
            f"{path} starts with a byte order mark (BOM), which JSON does not allow; save it "
            "as UTF-8 without BOM"
        )
    else:
        raise CostcalcError(
            f"{path} is not a request file (it starts with {first!r}); expected JSONL, "
            '{"requests": [...]} or a JSON array of requests'
        )
    seen = [0]
    items = _iter_jsonl(f, seen) if form == "jsonl" else _iter_array(f, seen, bare=form == "array")
    batch = BatchFile(path, form, 0, [], {}, 0, {})
    seen_ids: dict[str, int] = {}
    last_prefix = ""
    prefix_seen_before: set[str] = set()
    prefix_count: dict[str, int] = defaultdict(int)
    for number, size, item in items:
        if not batch.looks_like:
            batch.looks_like = _looks_like(item)
        if isinstance(item, Exception):
            batch.malformed += 1
            batch.problem("malformed", "not valid JSON; the line is skipped", number)
            continue
        req = _check_one(batch, number, size, item, pool, count, seen_ids, known_models)
        if req is None:
            continue
        batch.requests.append(req)
        if req.prefix:
            prefix_count[req.prefix] += 1
            if req.prefix != last_prefix and req.prefix in prefix_seen_before:
                batch.problem(
                    "interleaved",
                    "requests with the same cached prefix are not together; group them so "
                    "the batch processor can reuse each cache entry",
                    number,
                )
            prefix_seen_before.add(req.prefix)
        last_prefix = req.prefix
    batch.size = seen[0]
    _near_duplicates(batch, prefix_count)
    return batch


def _note_unknown_model(batch: BatchFile, name: Any) -> None:
    key = name if isinstance(name, str) else repr(name)
    batch.unknown_models[key] = batch.unknown_models.get(key, 0) + 1


def _api_limits(batch: BatchFile, params: dict[str, Any], max_tokens: int, line: int) -> bool:
    """Limits the API enforces on one request that the other checks do not cover; True when
    the API would refuse it: max_tokens beyond any model's output (which would also price a
    corrupt number), thinking.budget_tokens not below max_tokens."""
    if max_tokens > MAX_OUTPUT_TOKENS:
        batch.problem(
            "max_tokens_too_large",
            f"max_tokens is over {MAX_OUTPUT_TOKENS:,}, beyond any model's output; the API "
            "would reject it",
            line,
        )
        return True
    thinking = params.get("thinking")
    if not isinstance(thinking, dict) or thinking.get("type") != "enabled":
        return False
    budget = thinking.get("budget_tokens")
    if type(budget) is int and max_tokens >= 1 and budget < max_tokens:
        return False
    batch.problem(
        "thinking_budget",
        "thinking.budget_tokens must be a whole number below max_tokens; the API would reject it",
        line,
    )
    return True


def _looks_like(item: Any) -> str:
    """What the first item says the file is: "results" for a batch results line, "request"
    otherwise (kept to explain a file with nothing to price)."""
    if isinstance(item, dict) and "result" in item and "params" not in item:
        return "results"
    return "request"


def _check_one(
    batch: BatchFile,
    number: int,
    size: int,
    item: Any,
    pool: Executor,
    count: Counter,
    seen_ids: dict,
    known_models,
) -> Request | None:
    if not isinstance(item, dict) or not isinstance(item.get("params"), dict):
        batch.malformed += 1
        batch.problem(
            "malformed", 'not a request object ({"custom_id", "params"}); skipped', number
        )
        return None
    custom_id = item.get("custom_id")
    if not isinstance(custom_id, str) or not custom_id:
        batch.problem("custom_id_missing", "custom_id is missing", number)
        custom_id = None
    else:
        if not CUSTOM_ID.match(custom_id):
            batch.problem("custom_id_invalid", "custom_id must match ^[a-zA-Z0-9_-]{1,64}$", number)
        if custom_id in seen_ids:
            batch.problem(
                "custom_id_duplicate",
                "custom_id repeats an earlier request's; ids must be unique",
                number,
            )
        seen_ids.setdefault(custom_id, number)
    params = item["params"]
    name = params.get("model")
    model = known_models(name) if isinstance(name, str) else None
    if model is None:
        batch.problem("unknown_model", f"unknown or missing model {name!r}", number)
        _note_unknown_model(batch, name)
        return None
    rejected = False
    max_tokens = params.get("max_tokens")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        batch.problem(
            "max_tokens", "max_tokens is missing or below 1 (batches require >= 1)", number
        )
        max_tokens, rejected = 0, True
    if params.get("stream") is True:
        batch.problem("stream", "stream: true is not allowed in a batch", number)
        rejected = True
    rejected = _api_limits(batch, params, max_tokens, number) or rejected
    if params.get("speed") == "fast":
        batch.problem("fast_mode", 'speed: "fast" (fast mode) cannot be batched', number)
        rejected = True
    messages = params.get("messages")
    if not isinstance(messages, list) or not messages:
        batch.problem("messages", "messages is missing or not a non-empty list", number)
        rejected = True

    hasher = hashlib.blake2b(digest_size=16)
    keys: list[tuple] = []
    prefix, prefix_at, ttl = "", 0, "5m"
    breakpoints = 0
    uncounted = 0
    ttls: list[str] = []
    previous = batch.previous_blocks
    current: list[tuple[str, tuple]] = []
    for position, (text, cc, countable) in enumerate(_blocks(params)):
        # The same block as the previous request's at this position (a memcmp) keeps its key;
        # otherwise identity is length and CPython's string hash: far cheaper than a digest
        # of each 300 kB rubric, and only compared within this process.
        if position < len(previous) and previous[position][0] == text:
            key = previous[position][1]
        else:
            key = (model, len(text), hash(text))
        current.append((text, key))
        if key not in batch.counts:
            batch.counts[key] = pool.submit(count, model, text) if countable else _ZERO
        if not countable:
            uncounted += 1
        keys.append(key)
        hasher.update(f"{key[1]}:{key[2]};".encode())
        if isinstance(cc, dict):
            breakpoints += 1
            ttl = cc.get("ttl", "5m") if cc.get("ttl") in ("5m", "1h") else "5m"
            ttls.append(ttl)
            prefix, prefix_at = hasher.hexdigest(), len(keys)
    if isinstance(params.get("cache_control"), dict):
        # Automatic caching: the whole prompt is the cached prefix; it uses a breakpoint slot.
        cc = params["cache_control"]
        breakpoints += 1
        ttl = cc.get("ttl", "5m") if cc.get("ttl") in ("5m", "1h") else "5m"
        ttls.append(ttl)
        prefix, prefix_at = hasher.hexdigest(), len(keys)
    batch.previous_blocks = current
    if breakpoints > MAX_BREAKPOINTS:
        batch.problem(
            "breakpoints",
            f"more than {MAX_BREAKPOINTS} cache breakpoints (automatic caching counts as one)",
            number,
        )
    if any(a == "5m" and b == "1h" for a, b in itertools.pairwise(ttls)):
        batch.problem(
            "ttl_order",
            "a 1h cache_control comes after a 5m one; longer TTLs must come first",
            number,
        )
    if uncounted:
        batch.problem(
            "uncounted",
            "image or document blocks: their tokens are not counted "
            "offline (the estimate is low for these requests)",
            number,
        )
    if prefix:
        prefix = f"{model}:{prefix}"
        if prefix not in batch.prefix_volatile:
            batch.prefix_volatile[prefix] = _masked(params, breakpoints)
    return Request(
        number,
        custom_id,
        model,
        max_tokens,
        size,
        prefix,
        ttl,
        breakpoints,
        uncounted,
        rejected,
        tuple(keys[:prefix_at]),
        tuple(keys[prefix_at:]),
    )


def _check_counts(batch: BatchFile, req: Request, context_limit, min_cache, to_tokens) -> None:
    """The checks that need token counts."""
    minimum = min_cache(req.model)
    if req.prefix and minimum and to_tokens(req.model, req.prefix_tokens) < minimum:
        batch.problem(
            "under_minimum",
            "cached prefix is under the model's minimum cacheable "
            f"length ({minimum:,} tokens): it is silently not cached",
            req.line,
        )
    limit = context_limit(req.model)
    if limit is not None and to_tokens(req.model, req.prefix_tokens + req.unique_tokens) > limit:
        batch.problem(
            "context_window",
            f"input is over the model's context window ({limit:,} tokens); the API would reject it",
            req.line,
        )
        req.rejected = True


def _masked(params: dict[str, Any], breakpoints: int) -> bytes:
    """A digest of the cached prefix with digits and ids masked (see _near_duplicates)."""
    h = hashlib.blake2b(digest_size=16)
    seen = 0
    for text, cc, _ in _blocks(params):
        h.update(_VOLATILE.sub(b"#", text.encode("utf-8", errors="replace")))
        if isinstance(cc, dict):
            seen += 1
            if seen == breakpoints:
                break
    return h.digest()


def _near_duplicates(batch: BatchFile, prefix_count: dict[str, int]) -> None:
    """Prefixes used by one request each that become equal once digits and ids are masked:
    a date or id inside the "shared" text, so nothing is actually shared."""
    by_mask: dict[bytes, list[str]] = defaultdict(list)
    for prefix, n in prefix_count.items():
        if n == 1:
            by_mask[batch.prefix_volatile[prefix]].append(prefix)
    suspects = {p for group in by_mask.values() if len(group) > 1 for p in group}
    for req in batch.requests:
        if req.prefix in suspects:
            batch.problem(
                "prefix_varies",
                "cached prefixes differ only in numbers or ids (a date or id inside the shared "
                "text?), so no request shares a cache entry; move the varying part after the "
                "cache breakpoint",
                req.line,
            )
