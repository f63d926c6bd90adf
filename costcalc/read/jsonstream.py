"""A request file's items, streamed: JSONL lines, or the items of {"requests": [...]} or of a
bare JSON array decoded one at a time, each with its number and its size in bytes.

Nothing here knows what a request is; a line that is not JSON is yielded as a ValueError, so
the walk can count it and go on.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from costcalc.errors import CodedError

# (item number, size in bytes, decoded value or ValueError)
Item = tuple[int, int, Any]
_REQUESTS_KEY = re.compile(r'"requests"\s*:\s*\[')


@dataclass(frozen=True)
class Trailing:
    """What follows the requests array that the API would refuse: data (another key, damaged
    bytes; `found` holds its first characters as read), or, for {"requests": [...]}, the end of
    the file where the closing brace should be (`found` is None: nothing was there)."""

    reason: Literal["data_after_array", "no_closing_brace"]
    found: str | None = None


def sniff_form(f: BinaryIO, path: Path) -> str:
    """ "jsonl", "json" ({"requests": [...]}) or "array", from the buffered head, without
    consuming it: stdin, FIFOs and process substitution cannot seek back, and their size is
    unknown until they end."""
    peek = getattr(f, "peek", None)
    head = peek(4096) if peek is not None else b""
    first = head.lstrip()[:1]
    if first == b"[":
        return "array"
    if re.match(rb'\s*\{\s*"requests"\s*:', head) is not None:
        return "json"
    if first in (b"{", b""):
        return "jsonl"
    raise CodedError("request_file_form_unknown", file=str(path), start=first)


def no_constant(name: str) -> Any:
    """json's parse_constant: NaN, Infinity and -Infinity are not JSON (RFC 8259, section 6:
    https://www.rfc-editor.org/rfc/rfc8259#section-6), and a NaN max_tokens or token count
    must never be read as a number. The error carries only the constant's name: the item is
    counted as malformed (code not_json), and messages word that."""
    raise ValueError(name)


def iter_jsonl(f: BinaryIO, seen: list[int]) -> Iterator[Item]:
    # What json.loads(raw, parse_constant=no_constant) does, with one decoder for the file
    # instead of one built per line (loads builds a JSONDecoder per call when given options).
    decode = json.JSONDecoder(parse_constant=no_constant).decode
    detect = json.detect_encoding
    for number, raw in enumerate(f, start=1):
        seen[0] += len(raw)
        # Only short lines can be blank; strip() would copy every 300 kB line.
        if len(raw) < 8 and not raw.strip():
            continue
        # A line that starts with "{" and no NUL byte after it has no BOM and is not UTF-16 or
        # UTF-32: detect_encoding() would say UTF-8 (the usual line, without the call).
        utf8 = raw[:1] == b"{" and raw[1:2] != b"\x00"
        try:
            yield (
                number,
                len(raw),
                decode(raw.decode("utf-8" if utf8 else detect(raw), "surrogatepass")),
            )
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            yield number, len(raw), ValueError(str(exc))


def iter_array(
    f: BinaryIO,
    seen: list[int],
    chunk: int = 1 << 20,
    bare: bool = False,
    trailing: list[Trailing] | None = None,
) -> Iterator[Item]:
    """Items of the "requests" array of {"requests": [...]} (or of a bare array), decoded one
    at a time. The bytes go through an incremental UTF-8 decoder, so a character split
    between two reads stays whole; an item's size is its length in bytes, as the API counts.
    Anything after the array but the closing brace (other keys, trailing data), or a missing
    closing brace, is put in `trailing`."""
    decoder = json.JSONDecoder(parse_constant=no_constant)
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

    def rest() -> str:
        data = f.read(chunk)
        seen[0] += len(data)
        return text.decode(data, final=not data)

    while not started:
        match = re.match(r"\s*\[", buf) if bare else _REQUESTS_KEY.search(buf)
        if match:
            buf = buf[match.end() :]
            started = True
        elif not more():
            raise CodedError("requests_array_missing")
    while True:
        buf = buf.lstrip(" \t\r\n,")
        if buf.startswith("]"):
            if trailing is not None:
                _after_array(buf[1:], rest, bare, trailing)
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


def _after_array(rest: str, more: Callable[[], str], bare: bool, out: list[Trailing]) -> None:
    """What follows the requests array must be whitespace, and for {"requests": [...]} one
    closing brace: the API takes no other keys, and trailing data means a damaged file.
    `more()` is the next decoded text, "" at the end."""
    closing = not bare
    while True:
        rest = rest.lstrip(" \t\r\n")
        if closing and rest.startswith("}"):
            closing, rest = False, rest[1:]
            continue
        if rest:
            out.append(Trailing("data_after_array", rest[:40]))
            return
        rest = more()
        if not rest:
            if closing:
                out.append(Trailing("no_closing_brace"))
            return
