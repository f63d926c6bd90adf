"""custom_id checks: each request needs one of 1 to 64 letters, digits, "_" or "-", unique
within its batch (https://platform.claude.com/docs/en/build-with-claude/batch-processing).

Uniqueness is checked over the whole file by hashes, 12 bytes a request, never a set of every
id: a million requests must not cost a million strings.
"""

from __future__ import annotations

import itertools
import re
from array import array
from typing import Any

from costcalc.read.batchfile import BatchFile

CUSTOM_ID = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")


class CustomIds:
    """The custom_ids seen so far, as hashes with their line numbers."""

    def __init__(self) -> None:
        self.hashes = array("q")
        self.lines = array("i")

    def add(self, batch: BatchFile, custom_id: Any, line: int) -> None:
        """Check one request's custom_id and remember it for duplicates()."""
        if not isinstance(custom_id, str) or not custom_id:
            batch.problem("custom_id_missing", line)
            return
        if not CUSTOM_ID.match(custom_id):
            batch.problem("custom_id_invalid", line)
        self.hashes.append(hash(custom_id))
        self.lines.append(line)

    def duplicates(self, batch: BatchFile) -> None:
        """Record every custom_id seen before (once the whole file is read)."""
        _duplicate_ids(batch, self.hashes, self.lines)


def _duplicate_ids(batch: BatchFile, hashes: array[int], lines: array[int]) -> None:
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
