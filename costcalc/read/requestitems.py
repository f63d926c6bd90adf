"""A request file's items read again after `check` has walked it: each (number, decoded item),
numbered as `check` numbers them, for the commands that use the requests themselves (the warm-up's
primer batch and 1h copy, custom_id lookups of cold starts and batch reports).

The form is told from the buffered head as `check` tells it (a bare JSON array, the API body
{"requests": [...]}, else JSONL); a file `check` has read has a known form, so nothing is refused
here. An item that is not JSON is yielded as the ValueError that says why, as jsonstream does.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from costcalc.files.inputs import open_binary
from costcalc.read.jsonstream import Item, iter_array, iter_jsonl

_API_BODY = re.compile(rb'\s*\{\s*"requests"\s*:')


def request_items(path: Path) -> Iterator[tuple[int, Any]]:
    """(number, request) of each item of the request file at `path`, streamed; the file is
    closed when the iterator ends or is closed."""
    f = open_binary(path)
    with f:
        peek = getattr(f, "peek", None)
        head = peek(4096) if peek is not None else b""
        seen = [0]
        items: Iterator[Item]
        if head.lstrip()[:1] == b"[":
            items = iter_array(f, seen, bare=True)
        elif _API_BODY.match(head) is not None:
            items = iter_array(f, seen)
        else:
            items = iter_jsonl(f, seen)
        for number, _, item in items:
            yield number, item


def request_ids(path: Path, lines: Iterable[int]) -> dict[str, int]:
    """custom_id -> request index of a checked file (`lines`: its Requests.line, the item
    number of each request `check` kept); the first request of a repeated id wins."""
    index = {number: r for r, number in enumerate(lines)}
    out: dict[str, int] = {}
    for number, item in request_items(path):
        r = index.get(number)
        if r is not None and isinstance(item, dict) and isinstance(item.get("custom_id"), str):
            out.setdefault(item["custom_id"], r)
    return out


__all__ = ["request_ids", "request_items"]
