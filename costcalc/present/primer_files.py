"""The files `costcalc warmup` writes: the primer batch (--out) and the request file's copy with
every breakpoint at 1h (--ttl-1h), as JSONL of compact JSON in UTF-8, one request a line, as the
Message Batches API takes requests
(https://platform.claude.com/docs/en/build-with-claude/batch-processing).

What each request holds is compute/warmup.py's (`primer_requests`, `ttl_1h_requests`); the
requests come in here as data and go out as lines. The two files are written together or not at
all (files/outputs.atomic_files): a request the copy cannot take leaves no primer behind either,
and no file but the ones asked for is touched.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

from costcalc.files.outputs import atomic_files


def jsonl_line(request: Any) -> str:
    """One request as a JSONL line's text (no newline): compact, non-ASCII kept as UTF-8."""
    return json.dumps(request, ensure_ascii=False, separators=(",", ":"))


def primer_lines(requests: Iterable[Any]) -> list[str]:
    """The primer batch's lines, in order (held in memory, as the primers are)."""
    return [jsonl_line(request) for request in requests]


def write_jsonl(f: IO[str], requests: Iterable[Any]) -> int:
    """Write each request as a line of `f`, streamed; returns how many were written."""
    n = 0
    for request in requests:
        f.write(jsonl_line(request) + "\n")
        n += 1
    return n


def write_primer_files(
    out: Path | None,
    primers: Iterable[Any],
    ttl_1h: Path | None,
    copy: Iterable[Any],
) -> int | None:
    """Write the primer batch `primers` to `out` and the requests `copy` (streamed) to
    `ttl_1h`: both or neither, so an error in either leaves both paths as they were. A path
    that is None is not written (its requests are then not read). Returns how many primer
    requests were written (None without `out`)."""
    lines = primer_lines(primers) if out is not None else None
    with atomic_files([p for p in (out, ttl_1h) if p is not None]) as files:
        it = iter(files)
        if lines is not None:
            f = next(it)
            for line in lines:
                f.write(line + "\n")
        if ttl_1h is not None:
            write_jsonl(next(it), copy)
    return None if lines is None else len(lines)


__all__ = ["jsonl_line", "primer_lines", "write_jsonl", "write_primer_files"]
