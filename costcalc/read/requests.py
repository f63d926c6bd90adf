"""Reading a Message Batches request file: streamed, checked, and turned into cache entries.

Accepts JSONL (one {"custom_id", "params"} per line) and the API body {"requests": [...]}.
This module is the walk: for each request, in file order, the checks (requestrules.py,
requestids.py), its blocks (blocks.py), their counts (counting.py) and its cache play
(cachesim.py, which states the cache rules). The result is a BatchFile (batchfile.py).

Memory is per distinct block and entry, not per request: each request leaves a few ints in
arrays. Text is counted once per distinct block before the last breakpoint (an 80,000-token rubric
repeated in every request is counted once); text after it is counted straight into the request's
total, on a worker thread while parsing goes on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from costcalc.read import requestrules
from costcalc.read.batchfile import (
    MAX_PROBLEM_LINES,
    NONE,
    BatchFile,
    Entry,
    Problem,
    Requests,
)
from costcalc.read.blocks import BLOCK_FIGURES, cache_ttl
from costcalc.read.blocks import blocks as _blocks
from costcalc.read.cachesim import (
    LOOKBACK,
    CachePlay,
    near_duplicates,
    primer_max_tokens,
    replay,
    truncated,
)
from costcalc.read.counting import (
    Band3,
    Counter,
    CountQueue,
    Media,
    Pending,
    Resolved,
    Source,
    queue_counts,
)
from costcalc.read.jsonstream import Item, Trailing, iter_array, iter_jsonl, sniff_form
from costcalc.read.prefixwalk import Identified, PrefixMemo
from costcalc.read.requestids import CUSTOM_ID, CustomIds
from costcalc.read.requestrules import (
    MAX_BREAKPOINTS,
    MAX_OUTPUT_TOKENS,
    Breakpoints,
    breakpoint_rules,
    is_api_name,
)

if TYPE_CHECKING:
    from costcalc.files.inmemory import InMemory

# What other modules import from here (their homes are the modules named above).
__all__ = [
    "BLOCK_FIGURES",
    "CUSTOM_ID",
    "LOOKBACK",
    "MAX_BREAKPOINTS",
    "MAX_OUTPUT_TOKENS",
    "MAX_PROBLEM_LINES",
    "NONE",
    "Band3",
    "BatchFile",
    "Counter",
    "Entry",
    "Media",
    "Pending",
    "Problem",
    "Requests",
    "Source",
    "cache_ttl",
    "is_api_name",
    "primer_max_tokens",
    "read",
    "replay",
    "truncated",
]


def read(
    path: Path | InMemory,
    count: Counter | None,
    known_models: Callable[[str], str | None],
    exact: Any = None,
    media_for: Callable[[str], Media] | None = None,
    describe: Callable[[str], Any] | None = None,
    spool: Any = None,
    group_of: Callable[[Any, str], int] | None = None,
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
    `group_of(custom_id, model id)` names each request's group by an index, kept in
    Requests.group (check --group-by).

    New blocks are counted on a worker thread while parsing goes on. (A forked worker process
    was tried: with deduplicated blocks the counting left is small, and forking and pickling
    cost more.) Checks that need counts are made by the caller once counts are known.
    """
    from costcalc.files.inmemory import InMemory
    from costcalc.files.inputs import open_binary

    pool = ThreadPoolExecutor(max_workers=1)
    options = _Options(pool, count, known_models, exact, media_for, describe, group_of)
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
                options,
                spool,
            )
        else:
            f = open_binary(path)
            with f:
                batch = _read(f, path, options, spool)
    finally:
        pool.shutdown(wait=True)
    return batch


def _counted(items: Iterator[Item], seen: list[int]) -> Iterator[Item]:
    for number, size, item in items:
        seen[0] += size
        yield number, size, item


@dataclass(frozen=True)
class _Options:
    """How read() was asked to count and check (see its docstring)."""

    pool: Executor
    count: Counter | None
    known_models: Callable[[str], str | None]
    exact: Any
    media_for: Callable[[str], Media] | None
    describe: Callable[[str], Any] | None
    group_of: Callable[[Any, str], int] | None = None


def _read(f: BinaryIO, path: Path, options: _Options, spool: Any) -> BatchFile:
    form = sniff_form(f, path)
    seen = [0]
    trailing: list[Trailing] = []
    items = (
        iter_jsonl(f, seen)
        if form == "jsonl"
        else iter_array(f, seen, bare=form == "array", trailing=trailing)
    )
    return _walk(items, path, form, seen, trailing, options, spool)


def _walk(
    items: Iterator[Item],
    path: Any,
    form: str,
    seen: list[int],
    trailing: list[Trailing],
    options: _Options,
    spool: Any,
) -> BatchFile:
    """Check and play every (number, size, item) of a request file, or of requests given in
    memory (`path` is then an inmemory.InMemory)."""
    batch = BatchFile(path, form, 0, Requests(), {}, 0, spool=spool)
    batch.exact_totals = options.exact is not None
    reader = _Reader(batch, options)
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
        batch.problem("trailing_data", last + 1, reason=trailing[0].reason, found=trailing[0].found)
    batch.size = seen[0]
    reader.blocks.wait()
    batch.requests.finish()
    reader.ids.duplicates(batch)
    near_duplicates(batch)
    return batch


def _note_unknown_model(batch: BatchFile, name: Any) -> None:
    key = name if isinstance(name, str) else repr(name)
    batch.unknown_models[key] = batch.unknown_models.get(key, 0) + 1


def _looks_like(item: Any) -> str:
    """What the first item says the file is: "results" for a batch results line, "request"
    otherwise (kept to explain a file with nothing to price)."""
    if isinstance(item, dict) and "result" in item and "params" not in item:
        return "results"
    return "request"


# Parameters that none of requestrules' per-request checks read (cache_control is read by
# breakpoint_rules, which runs on every request): with only these, a request's verdict depends
# on its model name and max_tokens alone.
_RULES_IGNORE = frozenset(
    (
        "model",
        "max_tokens",
        "system",
        "messages",
        "metadata",
        "stop_sequences",
        "tools",
        "tool_choice",
        "cache_control",
    )
)
_VERDICTS = 1024
Found = tuple[tuple[str, dict[str, Any]], ...]


class _Recorder:
    """The problems one request's rules find, to replay them on later requests (_rules)."""

    def __init__(self) -> None:
        self.found: list[tuple[str, dict[str, Any]]] = []

    def problem(self, kind: str, line: int, **figures: Any) -> None:
        self.found.append((kind, figures))


class _Reader:
    """Checks one request at a time and hands its blocks on (_Blocks)."""

    def __init__(self, batch: BatchFile, options: _Options) -> None:
        self.batch = batch
        self.all_rules = _AllRules(options.describe)
        self.known_models = options.known_models
        self.ids = CustomIds()
        self.model_index: dict[str, int] = {}
        self.model_names: dict[str, str] = {}  # known model name as written -> its id
        self.blocks = _Blocks(batch, options)
        self.group_of = options.group_of
        # (model name, model, max_tokens) -> (_rules' verdict, its problems), see _rules.
        self.verdicts: dict[tuple[str, str, int], tuple[tuple[bool, int, bool], Found]] = {}

    def one(self, number: int, size: int, item: Any) -> None:
        batch = self.batch
        if not isinstance(item, dict) or not isinstance(item.get("params"), dict):
            batch.malformed += 1
            batch.problem("malformed", number, reason="not_request")
            return
        self.ids.add(batch, item.get("custom_id"), number)
        params = item["params"]
        name = params.get("model")
        model = self.model_names.get(name) if isinstance(name, str) else None
        if model is None and isinstance(name, str):
            model = self.known_models(name)
            if model is not None:  # unknown names are not kept: they may all differ
                self.model_names[name] = model
        if model is None:
            batch.problem("unknown_model", number, name=name)
            _note_unknown_model(batch, name)
            return
        rejected, max_tokens, us = self._rules(number, name, model, params)
        m = self.model_index.get(model)
        if m is None:
            m = self.model_index[model] = len(batch.models)
            batch.models.append(model)
        r = batch.requests.append(number, min(size, 2**31 - 1), max_tokens, m, False, us)
        batch.replay_at.append(NONE)
        if self.group_of is not None:
            batch.requests.group.append(self.group_of(item.get("custom_id"), model))
        if not self.blocks.read(r, number, model, params, rejected, us):
            batch.requests.rejected[r] = 1

    def _rules(
        self, number: int, name: str, model: str, params: dict[str, Any]
    ) -> tuple[bool, int, bool]:
        """(refused by the API, max_tokens, inference_geo "us") of one request. A request that
        holds only parameters the rules do not read (besides its model and an integer
        max_tokens) and messages they have nothing to say about gets the verdict, and the
        problems, of the last such request with the same model name and max_tokens: the rules
        read nothing else of it."""
        max_tokens = params.get("max_tokens")
        if (
            type(max_tokens) is not int
            or not params.keys() <= _RULES_IGNORE
            or not requestrules.plain_messages(params.get("messages"))
        ):
            return self.all_rules.run(self.batch, number, name, model, params)
        shape = (name, model, max_tokens)
        known = self.verdicts.get(shape)
        if known is None:
            if len(self.verdicts) >= _VERDICTS:  # memory stays bounded by distinct shapes
                self.verdicts.clear()
            recorder = _Recorder()
            verdict = self.all_rules.run(recorder, number, name, model, params)
            known = self.verdicts[shape] = (verdict, tuple(recorder.found))
        for kind, figures in known[1]:
            self.batch.problem(kind, number, **figures)
        return known[0]


class _AllRules:
    """Every per-request rule run on one request (no verdict reused): the path _Reader._rules
    takes for a request it cannot match to an earlier one of the same shape."""

    def __init__(self, describe: Callable[[str], Any] | None) -> None:
        self.describe = describe
        self.api_names: dict[str, bool] = {}  # model name as written -> the API takes it

    def run(
        self,
        batch: requestrules.Problems,
        number: int,
        name: str,
        model: str,
        params: dict[str, Any],
    ) -> tuple[bool, int, bool]:
        """(refused by the API, max_tokens, inference_geo "us") of one request."""
        max_tokens, rejected = requestrules.max_tokens_of(batch, params, number)
        us = False
        info = self.describe(model) if self.describe is not None else None
        if info is not None:
            api_name = self.api_names.get(name)
            if api_name is None:
                api_name = self.api_names[name] = is_api_name(info, name)
            checks = requestrules.model_checks(batch, info, name, api_name, max_tokens, number)
            rejected = checks or rejected
            geo = requestrules.inference_geo(batch, info, params, number)
            rejected = rejected or geo is None
            us = geo == "us"
        checks = requestrules.param_checks(batch, model, name, params, max_tokens, number)
        return checks or rejected, max_tokens, us


class _Blocks:
    """A checked request's blocks: identified, their counts queued, the cache played."""

    def __init__(self, batch: BatchFile, options: _Options) -> None:
        self.batch, self.exact, self.pool = batch, options.exact, options.pool
        # count_tokens counts every block itself (--exact): nothing to price here.
        self.media_for = options.media_for if options.exact is None else None
        self.media: dict[str, Media] = {}
        # Non-text blocks worked out so far, by block key: (source, problems).
        self.resolved: dict[int, Resolved] = {}
        self.queue = CountQueue(options.pool, batch, options.count)
        self.exact_futures: list[Future[None]] = []
        self.cache = CachePlay(batch, options.exact, options.pool)
        self.prefix = PrefixMemo()  # the last reusable prefix walked (prefixwalk.py)

    def read(
        self, r: int, number: int, model: str, params: dict[str, Any], rejected: bool, us: bool
    ) -> bool:
        """Identify the blocks and breakpoints, queue the counts, play the cache; False when the
        API would reject the request."""
        walked = self.prefix.walk(model, us, params)
        if walked is None:
            walked = _identify(self.batch, self.resolved, model, params, self._context(model), us)
            self.prefix.remember(model, us, params, walked)
        keys, pids, sources, bps, invalid, uncounted, found = walked
        rejected = breakpoint_rules(self.batch, number, params, keys, bps, invalid) or rejected
        if uncounted and self.exact is None:
            self.batch.problem("uncounted", number, source="no_offline_count")
        if found:
            ctx = self._context(model)
            rejected = _block_problems(self.batch, number, found, ctx) or rejected
        if rejected:
            return False
        if self.exact is None:
            queue_counts(self.queue, r, model, keys, sources, bps[-1][0] + 1 if bps else 0)
        else:
            self._count_exact(r, model, params)
        if bps:
            self.cache.play(r, number, model, params, keys, pids, bps, us)
        return True

    def _context(self, model: str) -> Media | None:
        """What the model's non-text blocks cost, worked out once per model."""
        if self.media_for is None:
            return None
        ctx = self.media.get(model)
        if ctx is None:
            ctx = self.media[model] = self.media_for(model)
        return ctx

    def _count_exact(self, r: int, model: str, params: dict[str, Any]) -> None:
        """The whole request by count_tokens (--exact), on the worker."""
        exact, tail = self.exact, self.batch.requests.tail

        def total(r: int = r) -> None:
            tail[r] = exact.request(model, params)

        self.exact_futures.append(self.pool.submit(total))

    def wait(self) -> None:
        """Until every count is in."""
        self.queue.wait()
        for fut in self.exact_futures:
            fut.result()


def _identify(
    batch: BatchFile,
    resolved: dict[int, Resolved],
    model: str,
    params: dict[str, Any],
    ctx: Media | None,
    us: bool,
) -> Identified:
    """Each block's key and prefix id, its token source, and the explicit breakpoints. The walk's
    hot loop: it runs once per block of every request."""
    # Keys are per model (counts differ by tokenizer, image tier, thinking rule): the
    # previous request's keys are reused only when it is on the same model.
    previous = batch.previous_blocks if batch.previous_model == model else []
    batch.previous_model = model
    current: list[tuple[str, int]] = []
    keys: list[int] = []
    pids: list[int] = []
    sources: list[Source | None] = []
    bps: Breakpoints = []
    invalid = uncounted = False
    # US-only and global requests never share an entry. Anthropic's pages say only that US-only
    # inference costs 1.1x (https://platform.claude.com/docs/en/build-with-claude/data-residency),
    # nothing of whether caches cross inference locations; reading a global entry from a US
    # request would be the cheaper assumption, so each location writes its own (the
    # conservative one).
    h = hash((model, "us")) if us else hash(model)
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
            done = resolved.get(key)
            if done is None:
                done = resolved[key] = source.resolve()
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
    return keys, pids, sources, bps, invalid, uncounted, block_problems


def _block_problems(
    batch: BatchFile, number: int, found: set[tuple[str, str]], ctx: Media | None
) -> bool:
    """Records the problems of the request's non-text blocks; True when one is certain to make
    the API refuse it."""
    rejected = False
    for code in sorted({code for code, _ in found}) if found else ():
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
    return rejected
