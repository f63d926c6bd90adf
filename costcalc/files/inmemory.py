"""Requests or results given in memory (the Python API) instead of as a file.

Each item is encoded as the SDK sends it (compact JSON, UTF-8) and decoded again, so the
readers see exactly what a JSONL file of the same items would hold: tuples become lists, the
SDK's pydantic objects become their wire form, NaN is not JSON. Item n is "line" n of that
file, and its size is that line's bytes (the newline included), as the batch limits count.
One item is held at a time: a generator of requests is read in the memory a file takes.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from costcalc.errors import CodedError, CostcalcError


class InMemory:
    """An iterable of request or result items standing in for a file; `name` labels it where
    a file's path would be shown ("file" in the JSON)."""

    def __init__(self, items: Iterable[Any], name: str) -> None:
        self.items = items
        self.name = name

    @property
    def rereadable(self) -> bool:
        """False for an iterator (a generator is read once); True for a list and the like."""
        return not isinstance(self.items, Iterator)

    def __str__(self) -> str:
        return self.name

    def numbered(self) -> Iterator[tuple[int, int, Any]]:
        """(number, size in bytes, item as decoded JSON or a ValueError) of each item."""
        for number, item in enumerate(self.items, start=1):
            try:
                text = encode(item)
            except (TypeError, ValueError, RecursionError) as exc:
                yield number, 0, ValueError(str(exc))
                continue
            data = text.encode("utf-8", "surrogatepass")
            yield number, len(data) + 1, json.loads(text)

    def open_lines(self) -> _Lines:
        """The items as the lines of a JSONL file, in a `with` block as a file would be."""
        return _Lines(self.lines())

    def lines(self) -> Iterator[bytes]:
        """The items as JSONL lines, for readers that read a file's lines; an item that is not
        JSON becomes a line that is not JSON (so it is reported, never skipped)."""
        for item in self.items:
            try:
                text = encode(item)
            except (TypeError, ValueError, RecursionError):
                text = "(not JSON)"
            yield text.encode("utf-8", "surrogatepass") + b"\n"


def encode(item: Any) -> str:
    """`item` as the SDK sends it: compact JSON with the SDK's objects in their wire form."""
    return json.dumps(
        item, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=_wire
    )


def _wire(value: Any) -> Any:
    """An SDK object (pydantic) as it was on the wire: only the fields the API sent (or the
    caller set), under their API names, so a result priced from it equals the JSONL line."""
    to_dict = getattr(value, "to_dict", None)
    if callable(to_dict):
        return to_dict(mode="json")
    dump = getattr(value, "model_dump", None)
    if callable(dump):
        return dump(mode="json", exclude_unset=True, by_alias=True)
    raise TypeError(f"{type(value).__name__} is not JSON (a request or result item)")


class _Lines:
    """An iterator of lines used as an open file (`with f: for line in f`)."""

    def __init__(self, lines: Iterator[bytes]) -> None:
        self._lines = lines

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def __iter__(self) -> Iterator[bytes]:
        return self._lines


@contextmanager
def on_disk(source: InMemory) -> Iterator[Path]:
    """`source` written once to a temporary JSONL file, for the readers that read their input
    twice (warm-up primers, cold-start misses); removed afterwards. On disk, not in memory. An
    error that names the temporary file names `source` instead."""
    import tempfile

    from costcalc.files.outputs import signals_unwind

    with signals_unwind():
        try:
            fd, tmp = tempfile.mkstemp(prefix="costcalc-", suffix=".jsonl")
        except OSError as exc:
            raise CodedError("temp_file_failed", reason=exc.strerror) from None
        try:
            try:
                with os.fdopen(fd, "wb") as f:
                    f.writelines(source.lines())
            except OSError as exc:
                raise CodedError(
                    "in_memory_spool_failed", source=str(source), reason=exc.strerror
                ) from None
            try:
                yield Path(tmp)
            except CostcalcError as exc:
                if tmp not in str(exc):
                    raise
                raise CostcalcError(str(exc).replace(tmp, str(source))) from None
        finally:
            if os.path.lexists(tmp):
                os.unlink(tmp)
