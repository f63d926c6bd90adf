"""The prompt cache, simulated the way the API bills it, in file order.

The rules, from the prompt-caching page
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching):
- A request has up to 4 cache breakpoints (requestrules.py checks that): each explicit
  `cache_control`, plus automatic caching's (a top-level `cache_control`), which takes one of
  the 4 slots and sits on the last block. Writes happen only at a breakpoint.
- An entry is the prefix tools -> system -> messages up to a breakpoint's block, identified by
  a running hash of every block and of the settings that invalidate it.
- The lookback window is 20 blocks: for each breakpoint the API checks at most 20 positions,
  the breakpoint itself first, for an entry already written.
- Billing uses three positions: A, the highest cache hit, is read; the blocks up to B, the last
  1-hour breakpoint after A, are written at the 1-hour rate; those up to C, the last breakpoint,
  at the 5-minute rate. Everything after C is plain input.

Within a Message Batch, an entry written by an earlier request is taken as readable (the best
case; compute/check.py prices the worst case too). Entries are kept per batch, so a file split
into several batches is played again batch by batch (replay()) from a record of the first play,
spooled to a temporary file beyond REPLAY_LIMIT ints: a pipe can be read only once.

Why this is in read/ and not compute/: it is computing, but it runs inside the streaming walk,
request by request, as each is parsed (keeping a request's blocks only while it is read is
what keeps memory flat over a million requests), and the walk is read/. compute/ sits above
read/ and read/ may not import it; the simulation holds no price, only positions and counts,
which compute/check.py turns into money.
"""

from __future__ import annotations

import hashlib
import json
import re
from array import array
from collections import defaultdict
from collections.abc import Generator
from concurrent.futures import Executor
from typing import Any

from costcalc.read.batchfile import NONE, BatchFile, Entry
from costcalc.read.blocks import TOOL_PROMPT, blocks
from costcalc.read.requestrules import MAX_OUTPUT_TOKENS, Breakpoints

LOOKBACK = 20  # positions checked per breakpoint, the breakpoint itself first
# Ints of play record held in memory (4 MB); beyond that the record goes on to a temporary file,
# so a split file is played again from the record, never by reading the input again (a pipe
# can be read once).
REPLAY_LIMIT = 1_000_000
WRITTEN_KEY = 1 << 20  # more batches than a file can be split into
# Digits and long hex runs (ids, dates, timestamps, UUIDs) masked to spot prefixes that differ
# only in such details.
_VOLATILE = re.compile(rb"[0-9a-fA-F]{8,}|[0-9]+")


def primer_max_tokens(params: dict[str, Any]) -> int:
    """max_tokens of a request that only writes the cache: 1, or one over the thinking budget
    when extended thinking is on: max_tokens must exceed thinking's budget_tokens
    (https://platform.claude.com/docs/en/build-with-claude/extended-thinking)."""
    thinking = params.get("thinking")
    budget = thinking.get("budget_tokens") if isinstance(thinking, dict) else None
    return budget + 1 if type(budget) is int and 1 <= budget < MAX_OUTPUT_TOKENS else 1


def truncated(params: dict[str, Any], n: int) -> dict[str, Any]:
    """The request cut after its first `n` blocks (in blocks() order), with the settings that
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
        left -= 1  # the tool-use system prompt, first of the messages (see blocks.py)
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


class _PlayRecorder:
    """Appends play records, making each breakpoint's entry on first sight: the part of a play
    that runs only for a request whose record differs from the last one's (CachePlay.same)."""

    def __init__(self, batch: BatchFile, exact: Any, pool: Executor) -> None:
        self.batch, self.exact, self.pool = batch, exact, pool

    def _entry(
        self,
        pid: int,
        model: str,
        ttl: str,
        number: int,
        keys: list[int],
        n: int,
        params: dict[str, Any],
        us: bool,
    ) -> int:
        """The index of the entry with prefix id `pid`, made on first sight."""
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

    def record(
        self,
        number: int,
        model: str,
        params: dict[str, Any],
        keys: list[int],
        pids: list[int],
        bps: Breakpoints,
        us: bool,
    ) -> None:
        """Append the request's play record: per breakpoint its entry (made on first sight), its
        TTL, its position and the entries already written within its lookback."""
        batch = self.batch
        index = batch.entry_index
        rec = batch.replay
        rec.append(len(bps))
        candidates: list[list[int]] = []
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


class CachePlay:
    """Plays each request against the entries written so far, in file order, and records what
    the play needed for replay()."""

    def __init__(self, batch: BatchFile, exact: Any, pool: Executor) -> None:
        self.batch = batch
        self.recorder = _PlayRecorder(batch, exact, pool)
        self.last_c = NONE  # the last breakpoint's entry of the previous request
        # The last record made: (entries then, its position, breakpoints, lookback ids).
        self.same: tuple[int, int, Breakpoints, list[int]] | None = None
        self.last_at, self.last_r = NONE, NONE  # the last record played, by which request

    def play(
        self,
        r: int,
        number: int,
        model: str,
        params: dict[str, Any],
        keys: list[int],
        pids: list[int],
        bps: Breakpoints,
        us: bool = False,
    ) -> None:
        """Best case, in file order within the batch: read the longest written entry within
        reach, write every breakpoint after it (the A/B/C rule above).

        What the play needs is recorded (each breakpoint's entry, and the entries that existed
        within its lookback), so that a split file is played again per batch without reading
        it again."""
        batch = self.batch
        rec = batch.replay
        # The prefix ids the lookbacks can reach: the same ids, breakpoints and entries as the
        # previous record's make the same record (most requests of a batch share their prefix),
        # kept once: the record grows with distinct prefixes, not requests.
        window = pids[max(bps[0][0] - LOOKBACK + 1, 0) : bps[-1][0] + 1]
        same = self.same
        if (
            same is not None
            and same[0] == len(batch.entries)
            and same[1] >= batch.replay_base
            and same[2] == bps
            and same[3] == window
        ):
            at = same[1]
        else:
            at, made = batch.replay_base + len(rec), len(batch.entries)
            self.recorder.record(number, model, params, keys, pids, bps, us)
            # A record that made an entry differs from the next one's, whose lookbacks find it.
            self.same = (made, at, bps, window) if made == len(batch.entries) else None
        batch.replay_at[r] = at
        if at == self.last_at:
            _again(batch, r, self.last_r)
        else:
            _simulate(batch, rec, r, at - batch.replay_base, 0, None)
            self.last_at, self.last_r = at, r
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
    import tempfile  # only for files of over REPLAY_LIMIT ints of record

    rec = batch.replay
    if batch.replay_spool is None:
        batch.replay_spool = tempfile.TemporaryFile()  # noqa: SIM115 (closed with the BatchFile)
    rec.tofile(batch.replay_spool)
    batch.replay_parts.append(len(rec))
    batch.replay_base += len(rec)
    del rec[:]


def _record_parts(batch: BatchFile) -> Generator[tuple[int, array[int]], None, None]:
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
    batch: BatchFile, rec: array[int], r: int, at: int, bid: int, written: set[int] | None
) -> None:
    """Play request r (its record at rec[at]) in batch `bid`. `written` holds
    entry * WRITTEN_KEY + batch for entries written in each batch (None: Entry.batch is used,
    enough while batches are played one after another)."""
    entries, req = batch.entries, batch.requests
    n, i = rec[at], at + 1
    a_pos, a = NONE, NONE
    bps: list[tuple[int, int, int]] = []
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


def _again(batch: BatchFile, r: int, r0: int) -> None:
    """Play request r, whose record is that of request r0, played before it in the same batch:
    r0 wrote its last breakpoint's entry (or read it), and r's lookback finds it there first
    (a shared record made no entry, so that entry is in it), so r reads it and writes nothing.
    What _simulate would work out, without walking the record."""
    req = batch.requests
    c = req.c[r0]
    req.a[r] = req.b[r] = req.c[r] = c
    req.first[r], req.b0[r] = req.first[r0], req.b0[r0]
    batch.entries[c].reads += 1


def replay(batch: BatchFile, assign: array[int]) -> None:
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
    last = (NONE, NONE, NONE)  # the last record played: its position, batch, request
    for r in range(len(req)):
        at = batch.replay_at[r]
        if at == NONE or req.rejected[r]:
            continue
        if at == last[0] and assign[r] == last[1]:
            _again(batch, r, last[2])
            continue
        while at >= end:
            base, part = next(parts)
            end = base + len(part)
        _simulate(batch, part, r, at - base, assign[r], written)
        last = (at, assign[r], r)
    parts.close()


def _masked(params: dict[str, Any], n: int) -> tuple[bytes, bytes]:
    """Digests of the first n blocks with digits and ids masked, and as they are (see
    near_duplicates)."""
    h = hashlib.blake2b(digest_size=16)
    plain = hashlib.blake2b(digest_size=16)
    for i, (_, identity, _, _) in enumerate(blocks(params)):
        if i >= n:
            break
        if identity.startswith(TOOL_PROMPT):
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


def near_duplicates(batch: BatchFile) -> None:
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
