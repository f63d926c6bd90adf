"""Opening a results file for reading: a path (or `-`, a FIFO: read once, front to back), or
results given in memory (the Python API) read as the lines of the same JSONL file. What each
line holds is read/results.py's; pricing the lines is compute/actual.py's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from costcalc.files.inmemory import InMemory
from costcalc.files.inputs import open_binary
from costcalc.read.results import ResultLine, result_lines


@contextmanager
def result_stream(source: Path | InMemory) -> Iterator[Iterator[ResultLine]]:
    """The lines of a results file, in a `with` block that closes the file."""
    f: Any = source.open_lines() if isinstance(source, InMemory) else open_binary(source)
    with f:
        yield result_lines(f)


__all__ = ["result_stream"]
