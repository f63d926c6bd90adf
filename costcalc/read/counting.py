"""What a block's tokens are made of, and the worker thread that counts them.

A block's tokens are text to count, a precomputed Claude-token band, or a list of both; blocks
whose count needs work of their own (images, PDFs, tool overheads) are `Pending` and worked out
once per distinct block. Text is counted on one worker thread while parsing goes on, in chunks
(one Future per chunk, not per block).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from typing import Any

from costcalc.read.batchfile import BatchFile
from costcalc.tokens import media

# A block's tokens: text to count, a precomputed Claude-token band (low, central, high) for
# blocks such as images that text counting cannot price, or a list of both (a tool_result with
# an image, a document's title and its pages, a tool definition with its prompt overhead).
Band3 = tuple[int, int, int]
Source = str | Band3 | list[str | Band3]
# (model id, text) -> tokens: an exact count (int), or an estimate's band (low, central, high)
Counter = Callable[[str, str], Any]
# What a Pending block resolves to: its source, and (problem code, what) pairs.
Resolved = tuple[Source, list[tuple[str, str]]]
_CHUNK = 512  # blocks sent to the counting thread at a time
# A chunk whose texts average under this many characters is counted on the reading thread.
# tiktoken releases the GIL while it encodes, so long texts are counted in parallel with the
# parsing; a short one takes ~20 us, and the worker then waits for the GIL (up to the 5 ms
# switch interval) while the parser holds it: measured on benchmarks/many_requests.py's
# 100,000 ~400-character turns, the worker cost 0.4 s more CPU (of 4.7 s) and saved no time.
_INLINE_MEAN = 2_000


@dataclass(frozen=True)
class Media:
    """What one model's non-text blocks cost (from pricing data, see compute/check.py)."""

    limits: media.Limits
    # The system prompt the API adds when a request has tools, for tool_choice auto/none and
    # for any/tool (https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview).
    tool_prompt: Band3
    tool_prompt_any: Band3
    tool_prompt_problem: str | None  # set when the model's numbers are not known
    server_tools: dict[str, media.ServerToolOverhead]
    central: Callable[[str], int]  # Claude tokens of a text (central), for texts inside bands


class Pending:
    """A non-text block whose tokens are worked out once per distinct block, when first needed:
    resolve() -> (source, [(problem code, what)])."""

    __slots__ = ("resolve",)

    def __init__(self, resolve: Callable[[], Resolved]) -> None:
        self.resolve = resolve


class CountQueue:
    """Texts to count, sent to the worker in chunks. A block before the last breakpoint is
    counted into BatchFile.counts by its key; one after it into its request's tail."""

    def __init__(self, pool: Executor, batch: BatchFile, count: Counter | None) -> None:
        self.pool, self.batch, self.count = pool, batch, count
        self.items: list[tuple[bool, int, str, Source]] = []
        self.chars = 0  # characters of the texts in items
        self.futures: list[Future[None]] = []

    def add(self, to_tail: bool, target: int, model: str, source: Source) -> None:
        self.items.append((to_tail, target, model, source))
        if isinstance(source, str):
            self.chars += len(source)
        if len(self.items) >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.items:
            return
        if self.chars < _INLINE_MEAN * len(self.items):
            # Counted here, once the worker is done: both write the same counts and totals.
            self.wait_worker()
            self._run(self.items)
        else:
            self.futures.append(self.pool.submit(self._run, self.items))
            # Back-pressure: texts waiting to be counted are held in memory, so parsing waits
            # when the worker falls behind (and its errors surface early).
            while len(self.futures) > 8:
                self.futures.pop(0).result()
        self.items, self.chars = [], 0

    def wait_worker(self) -> None:
        for f in self.futures:
            f.result()
        self.futures = []

    def _run(self, items: list[tuple[bool, int, str, Source]]) -> None:
        counts, req, count = self.batch.counts, self.batch.requests, self.count
        tail, low, high = req.tail, req.tail_low, req.tail_high
        assert count is not None
        for to_tail, target, model, source in items:
            n: Any
            if isinstance(source, str):
                n = count(model, source)
            elif isinstance(source, tuple):
                n = source
            else:
                n = 0
                for part in source:
                    n = plus(n, count(model, part) if isinstance(part, str) else part)
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
        self.wait_worker()


def plus(a: int | Band3, b: int | Band3) -> int | Band3:
    """The sum of two counts, each exact (int) or a band (low, central, high)."""
    if isinstance(a, int) and isinstance(b, int):
        return a + b
    a = (a, a, a) if isinstance(a, int) else a
    b = (b, b, b) if isinstance(b, int) else b
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2])


def queue_counts(
    queue: CountQueue, r: int, model: str, keys: list[int], sources: list[Source | None], cut: int
) -> None:
    """Queue request r's counts: its first `cut` blocks (up to the last breakpoint) once per
    distinct block, by key; the rest into the request's own total."""
    counts = queue.batch.counts
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
