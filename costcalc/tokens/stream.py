"""Counting a text file's tokens as a stream: memory stays flat whatever the file's size.

`tokens` used to read every file whole and keep all of them (about ten times the input in
memory), so `tokens /dev/zero` ran until memory was gone. Here a file is read in blocks of
BLOCK bytes: each block is checked (a NUL byte means binary input, refused at once with its
offset), hashed, decoded incrementally, and the text is tokenized in pieces cut where a whole-text
tokenization has a boundary too, so the count is the whole text's count. In UTF-16 and UTF-32
NUL bytes are part of ordinary characters, so there each block's decoded text is checked for
the NUL character instead (nul_byte_is_binary); /dev/zero is refused at its first block either
way. The cuts:

- cl100k_base splits text into pieces before byte-pair merging, and no piece holds a newline
  followed by a non-space character (the pattern's newline alternatives end at the newline,
  the others never contain one). Tokenizing the text up to such a newline and the rest apart
  gives exactly the whole text's tokens. That is the usual cut.
- A text without such a newline in CUT_SEARCH characters (minified JSON, one long line) is cut
  before a space that follows a non-space and precedes a letter: a letter run after one space
  is one piece (" word"), and the piece before it ends there. Also exact.
- Only text with neither in LIMIT characters (a base64 blob, a million "a"s) is counted in
  slices of RUN_SLICE characters. Such a cut can move a piece boundary: a token or two per
  16,384 characters at most, far inside every ratio band. Byte-pair merging of one such long
  piece is what made the whole-text count crawl (minutes for 20 MB of one letter), so it is
  never attempted.

The content kind (costcalc.tokens.textkind) looks at three windows: the first, the middle and
the last WINDOW characters. A regular file's middle window is read in a second, decode-only
pass, so its kind is the whole-text kind. Standard input or a pipe cannot be read twice, and
keeping it to find its middle would keep it all: its middle window is the one nearest the
middle among windows taken at 1.5, 3, 6, 12, ... windows from the start (within a factor of
two of the middle); the count itself is exact either way.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from costcalc.errors import CodedError
from costcalc.files.inputs import BOM
from costcalc.tokens.textkind import WINDOW, classify_sample

if TYPE_CHECKING:  # types only: tiktoken is imported when a text is counted
    from costcalc.tokens.subtable import Encoder

BLOCK = 1 << 20  # bytes read at a time
CUT_SEARCH = 1 << 20  # characters searched (from the end) for a newline to cut at
LIMIT = 4 << 20  # characters held at most before a cut is forced
RUN_SLICE = 1 << 14  # characters per slice of a forced cut

_NEWLINE_CUT = re.compile(r"\n(?=\S)")
_SPACE_CUT = re.compile(r"(?<=\S) (?=[^\W\d_])")


@dataclass(frozen=True)
class Counted:
    """One file's cl100k count, content kind, size in bytes and SHA-256."""

    label: str
    size: int
    digest: str
    cl100k: int
    kind: str


def safe_cut(text: str) -> int:
    """Where `text` may be cut with the whole text's tokens on both sides (module docstring);
    0 when no such place is found in its last CUT_SEARCH characters."""
    start = max(0, len(text) - CUT_SEARCH)
    at = text.rfind("\n", start, len(text) - 1)
    while at >= start:
        if not text[at + 1].isspace():
            return at + 1
        at = text.rfind("\n", start, at)
    last = deque(_SPACE_CUT.finditer(text, start), maxlen=1)  # the last one, in one scan
    return last[0].start() if last else 0


class _Windows:
    """The first 3 x WINDOW characters, the last WINDOW, and (for a stream) candidate middle
    windows at 1.5, 3, 6, ... windows from the start."""

    def __init__(self, stream: bool) -> None:
        self.chars = 0
        self.head = ""
        self.tail = ""
        self._next = 3 * WINDOW // 2 if stream else None  # centre of the next candidate
        self.middles: dict[int, str] = {}  # centre -> its window (filled as text arrives)

    def add(self, text: str) -> None:
        start, end = self.chars, self.chars + len(text)
        self.chars = end
        if len(self.head) < 3 * WINDOW:
            self.head += text[: 3 * WINDOW - len(self.head)]
        self.tail = (self.tail + text[-WINDOW:])[-WINDOW:]
        if self._next is None:
            return
        # A candidate is registered when the text reaches its window, so it fills from `start`.
        while self._next - WINDOW // 2 < end:
            self.middles[self._next] = ""
            self._next *= 2
        for centre, have in self.middles.items():
            lo = centre - WINDOW // 2 + len(have)
            hi = centre + WINDOW // 2
            if lo < hi and lo < end:
                self.middles[centre] = have + text[lo - start : hi - start]

    def nearest_middle(self) -> str:
        mid = self.chars // 2
        centre = min(self.middles, key=lambda c: abs(c - mid))
        return self.middles[centre]


def _drain(encoder: Encoder, held: str, final: bool) -> tuple[int, str]:
    """Count what can be cut off `held` (all of it when `final`); return the count and the
    text still held."""
    count = 0
    while len(held) >= CUT_SEARCH:
        cut = safe_cut(held)
        if cut:
            count += len(encoder.encode_ordinary(held[:cut]))
            held = held[cut:]
        elif final or len(held) >= LIMIT:
            # Whole slices only, so the next block's text continues the same slicing.
            whole = len(held) if final else len(held) - len(held) % RUN_SLICE
            count += _count_run(encoder, held[:whole])
            held = held[whole:]
            if not final:
                break
        else:
            break
    if final and held:
        count += len(encoder.encode_ordinary(held))
        held = ""
    return count, held


def _count_run(encoder: Encoder, text: str) -> int:
    """A text with no safe cut, counted in slices of RUN_SLICE characters: byte-pair merging
    of one piece that long is what makes the tokenizer crawl (module docstring)."""
    return sum(
        len(encoder.encode_ordinary(text[i : i + RUN_SLICE]))
        for i in range(0, len(text), RUN_SLICE)
    )


def is_utf8(encoding: str) -> bool:
    """Whether `encoding` names UTF-8 itself (not utf-8-sig, which drops the mark on its own)."""
    return encoding.lower().replace("_", "-") in ("utf-8", "utf8")


def nul_byte_is_binary(encoding: str) -> bool:
    """Whether one NUL byte marks a file as binary in `encoding`: so where the NUL character is
    the single byte 0 (UTF-8, Latin-1, cp1252, ...). UTF-16 and UTF-32 text holds NUL bytes in
    nearly every character, so there the decoded text is checked for the NUL character instead."""
    try:
        # Compared after a first character, so a leading byte order mark (utf-8-sig) is not
        # taken for part of the NUL character.
        return "a\0".encode(encoding)[len("a".encode(encoding)) :] == b"\0"
    except LookupError:
        raise CodedError("unknown_encoding", encoding=encoding) from None


def _blocks(source: BinaryIO, label: str, skip_bom: bool, nul_rule: bool = True) -> Iterator[bytes]:
    """The file's blocks, checked for NUL bytes when `nul_rule` (nul_byte_is_binary); a leading
    UTF-8 byte order mark is not text (files.inputs: every reader skips it), and offsets count
    from after it."""
    offset = 0
    first = skip_bom
    while True:
        try:
            data = source.read(BLOCK)
            while first and len(data) < len(BOM) and data and BOM.startswith(data):
                more = source.read(BLOCK)  # a pipe may deliver the mark in pieces
                if not more:
                    break
                data += more
            if first and data.startswith(BOM):
                data = data[len(BOM) :] or source.read(BLOCK)
        except OSError as exc:
            raise CodedError("file_unreadable", file=label, reason=exc.strerror) from None
        first = False
        if not data:
            return
        nul = data.find(b"\0") if nul_rule else -1
        if nul >= 0:
            raise CodedError("binary_nul_byte", file=label, offset=offset + nul)
        offset += len(data)
        yield data


def decoded_blocks(source: BinaryIO, label: str, encoding: str) -> Iterator[tuple[bytes, str]]:
    """Each block of the file with its decoded text (the last pair holds what the decoder kept
    back, with no bytes). Binary input is refused at its first block either way: by a NUL byte
    where that marks binary, else by a NUL character in the decoded text, whose offset is then
    counted in characters. A byte order mark that the encoding leaves in the text (utf-16-le,
    utf-16-be, utf-32-le, ...) is not text either."""
    decoder = text_decoder(encoding)
    utf8 = is_utf8(encoding)
    by_byte = nul_byte_is_binary(encoding)
    size = chars = 0
    mark_possible = not utf8
    for data in _blocks(source, label, utf8, by_byte):
        text = decode_text(decoder, data, size, label, encoding)
        size += len(data)
        text, mark_possible = _without_mark(text, mark_possible)
        chars = _check_chars(text, chars, label, by_byte)
        yield data, text
    rest, _ = _without_mark(
        decode_text(decoder, b"", size, label, encoding, final=True), mark_possible
    )
    _check_chars(rest, chars, label, by_byte)
    yield b"", rest


def _without_mark(text: str, possible: bool) -> tuple[str, bool]:
    """`text` without a leading U+FEFF if it starts the file; whether one may still come."""
    if not possible or not text:
        return text, possible
    return (text[1:] if text[0] == "\ufeff" else text), False


def _check_chars(text: str, before: int, label: str, by_byte: bool) -> int:
    """Refuse a NUL character where NUL bytes are normal (nul_byte_is_binary); the characters
    read so far."""
    if not by_byte:
        nul = text.find("\0")
        if nul >= 0:
            raise CodedError("binary_nul_character", file=label, at=before + nul)
    return before + len(text)


def text_decoder(encoding: str) -> codecs.IncrementalDecoder:
    try:
        return codecs.getincrementaldecoder(encoding)("strict")
    except LookupError:
        raise CodedError("unknown_encoding", encoding=encoding) from None


def decode_text(
    decoder: codecs.IncrementalDecoder,
    data: bytes,
    offset: int,
    label: str,
    encoding: str,
    final: bool = False,
) -> str:
    """`data` decoded, naming the file and the byte offset of what cannot be decoded."""
    pending = len(decoder.getstate()[0])
    try:
        return decoder.decode(data, final)
    except UnicodeDecodeError as exc:
        at = offset - pending + exc.start
        bad = exc.object[exc.start : exc.start + 1].hex()
        raise CodedError(
            "not_valid_encoding", file=label, encoding=encoding, byte=bad, offset=at
        ) from None
    except UnicodeError:
        # utf-16 and utf-32 learn the byte order from a leading mark; Python's incremental
        # decoders refuse a file without one (https://docs.python.org/3/library/codecs.html#encodings-and-unicode).
        raise CodedError("encoding_needs_bom", file=label, encoding=encoding) from None


def open_binary(path: Path) -> BinaryIO:
    try:
        return open(path, "rb")
    except IsADirectoryError:
        raise CodedError("path_is_directory", path=str(path)) from None
    except OSError as exc:
        raise CodedError("file_unreadable", file=str(path), reason=exc.strerror) from None


def count_file(path: Path, encoding: str = "utf-8", encoder: Encoder | None = None) -> Counted:
    """The cl100k count, kind, size and digest of a file read as a stream (module docstring)."""
    from costcalc.files.inputs import is_stream
    from costcalc.tokens.cl100k import load_cl100k

    encoder = encoder or load_cl100k()
    label = str(path)
    stream = is_stream(path)
    windows = _Windows(stream)
    digest = hashlib.sha256()
    size = count = 0
    held = ""
    with open_binary(path) as source:
        for data, text in decoded_blocks(source, label, encoding):
            digest.update(data)
            size += len(data)
            windows.add(text)
            counted, held = _drain(encoder, held + text, final=False)
            count += counted
    count += _drain(encoder, held, final=True)[0]
    kind = classify_sample(_sample(path, encoding, windows, stream))
    return Counted(label, size, digest.hexdigest(), count, kind)


def _sample(path: Path, encoding: str, windows: _Windows, stream: bool) -> str:
    """textkind's sample of the whole text, from the windows kept while reading."""
    if windows.chars <= 3 * WINDOW:
        return windows.head
    mid = windows.chars // 2
    if stream:
        middle = windows.nearest_middle()
    else:
        middle = _chars_at(path, encoding, mid - WINDOW // 2, WINDOW)
    return "\n".join((windows.head[:WINDOW], middle, windows.tail))


def _chars_at(path: Path, encoding: str, start: int, length: int) -> str:
    """`length` characters of a regular file from character `start` (decoding only)."""
    seen = 0
    found = ""
    with open_binary(path) as source:
        for _, text in decoded_blocks(source, str(path), encoding):
            if seen + len(text) > start:
                found += text[max(start - seen, 0) : start + length - seen]
                if len(found) >= length:
                    return found[:length]
            seen += len(text)
    return found
