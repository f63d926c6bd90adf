"""What reading a request file leaves: per-request arrays, the distinct cache entries, the
problems found, and the record that lets a split file be played again.

Plain data with no reading or pricing in it: the walk (requests.py) fills it, the cache
simulation (cachesim.py) updates the entries' counters, and compute/check.py prices it.
"""

from __future__ import annotations

import bisect
from array import array
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from costcalc.notices import SEVERITY, Notice

NONE = -1  # an absent entry index in the int arrays
_CHUNK = 4096  # requests' room added at a time to Requests' arrays filled later
MAX_PROBLEM_LINES = 100  # line numbers kept per problem (its count is always exact)


@dataclass(slots=True)
class Entry:
    """One distinct cache entry: a prefix ending at a breakpoint, on one model."""

    model: str
    ttl: str
    line: int  # first request that has it
    keys: tuple[int, ...]  # block keys of the prefix (token counts by block)
    exact: Future[int] | None = None  # count_tokens of the truncated request (--exact)
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
    # A primer for this entry keeps the request's thinking settings (changing them invalidates
    # the message cache: https://platform.claude.com/docs/en/build-with-claude/prompt-caching),
    # so it may think up to its budget: output it may be billed.
    primer_output: int = 1
    us: bool = False  # written by inference_geo "us" requests (a separate entry, see requests.py)


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
        # The group of each request (check --group-by), filled only when grouping: an index
        # into the caller's list of group names, so no custom_id is kept.
        self.group = array("i")
        # The arrays above that start at NONE or 0 grow _CHUNK requests at a time, ahead of
        # the requests read (8 appends a request were 4% of `check` on 100,000 short
        # requests); finish() cuts them to the requests read.
        self.room = 0

    def __len__(self) -> int:
        return len(self.line)

    def append(
        self, line: int, size: int, max_tokens: int, model: int, rejected: bool, us: bool = False
    ) -> int:
        r = len(self.line)
        if r >= self.room:
            self._grow(r + _CHUNK)
        self.line.append(line)
        self.size.append(size)
        self.max_tokens.append(max_tokens)
        self.model.append(model)
        self.rejected.append(rejected)
        self.us.append(us)
        return r

    def _later(self) -> tuple[array[int], ...]:
        """The arrays filled after a request is appended (by the cache play and the counts)."""
        return self.a, self.b, self.c, self.first, self.b0, self.tail, self.tail_low, self.tail_high

    def _grow(self, room: int) -> None:
        for values in self._later():
            start = NONE if values.typecode == "i" else 0
            values.extend(array(values.typecode, [start]) * (room - len(values)))
        self.room = room

    def finish(self) -> None:
        """Cut the arrays grown ahead to the requests read (once every count is in)."""
        n = len(self.line)
        for values in self._later():
            del values[n:]
        self.room = n


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
    """One request file as read: its requests, cache entries, block counts and problems."""

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
    # The last request's blocks as (identity, key) and its model, to reuse the keys of the
    # same blocks.
    previous_blocks: list[tuple[str, int]] = field(default_factory=list)
    previous_model: str = ""
    # What each request's cache play needs, to play a split file again (see cachesim.py).
    replay: array[int] = field(default_factory=lambda: array("i"))  # the record's unspooled end
    replay_at: array[int] = field(default_factory=lambda: array("q"))  # per request, NONE: no play
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
