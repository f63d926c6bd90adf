"""Tokens of image blocks: ⌈width / 28⌉ × ⌈height / 28⌉ visual tokens after the model's resize,
up to its tier's cap (https://platform.claude.com/docs/en/build-with-claude/vision, the
"vision page" below, read 2026-11-25).

Image sizes come from the header bytes only (no pixel decoding, no third-party reader): base64
data is decoded in small chunks until the header is complete.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any

from costcalc.tokens.nontext import Counted, span

PATCH = 28  # px per visual-token side (vision page)
MAX_IMAGE_PX = 8000  # 8000 x 8000 px per image at most (vision page)
MAX_IMAGE_BASE64 = 10 * 1024 * 1024  # "10 MB (base64-encoded)" per image on the API (vision page)


# ------------------------------------------------------------------------- image dimensions


class _Bytes:
    """The decoded prefix of base64 data (or raw bytes), grown on demand in chunks."""

    CHUNK = 4096  # base64 characters per step (3 kB decoded)

    def __init__(self, data: str | bytes, is_base64: bool) -> None:
        self._src = data
        self._b64 = is_base64
        self._pos = 0  # base64 characters consumed
        self.buf = b"" if is_base64 else bytes(data)  # type: ignore[arg-type]

    def need(self, end: int) -> bool:
        """Make buf hold at least `end` bytes; False when the data is shorter (or bad base64)."""
        if not self._b64:
            return len(self.buf) >= end
        src = self._src
        parts = [self.buf]
        have = len(self.buf)
        while have < end and self._pos < len(src):
            # Grow geometrically so a 64 kB EXIF segment takes a few steps, not sixteen.
            step = max(self.CHUNK, (end - have) * 4 // 3 + 4)
            step -= step % 4
            piece = src[self._pos : self._pos + step]
            self._pos += len(piece)
            try:
                decoded = base64.b64decode(piece, validate=True)
            except (binascii.Error, ValueError):
                self._pos = len(src)
                break
            parts.append(decoded)
            have += len(decoded)
        self.buf = b"".join(parts)
        return len(self.buf) >= end


def _u16be(b: bytes, i: int) -> int:
    return (b[i] << 8) | b[i + 1]


def _u16le(b: bytes, i: int) -> int:
    return b[i] | (b[i + 1] << 8)


def _u24le(b: bytes, i: int) -> int:
    return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16)


def _jpeg_size(r: _Bytes) -> tuple[int, int] | None:
    # ITU-T T.81 B.1.1.2 / B.2.2: walk marker segments to the first SOFn; APPn (EXIF, up to
    # 64 kB) and the rest are skipped by their length fields. C4 (DHT), C8 (JPG) and CC (DAC)
    # share the SOF range but are not frame headers.
    i = 2
    while True:
        if not r.need(i + 2):
            return None
        b = r.buf
        if b[i] != 0xFF:
            return None
        marker = b[i + 1]
        if marker == 0xFF:  # fill byte before a marker
            i += 1
            continue
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # TEM, RSTn: no length
            i += 2
            continue
        if marker in (0xD8, 0xD9, 0xDA):  # SOI again, EOI or SOS before any frame header
            return None
        if not r.need(i + 4):
            return None
        length = _u16be(r.buf, i + 2)
        if length < 2:
            return None
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if not r.need(i + 9):
                return None
            height, width = _u16be(r.buf, i + 5), _u16be(r.buf, i + 7)
            return (width, height) if width and height else None
        i += 2 + length


def _size(r: _Bytes) -> tuple[str, int, int] | None:
    """(format, width, height) from the header, or None when unreadable. Where each format keeps
    its size: PNG IHDR (https://www.w3.org/TR/png/#11IHDR), JPEG SOFn (ITU-T T.81 B.2.2), GIF
    logical screen (https://www.w3.org/Graphics/GIF/spec-gif89a.txt), WebP VP8/VP8L/VP8X
    (https://developers.google.com/speed/webp/docs/riff_container)."""
    if not r.need(30):
        r.need(2)  # a JPEG can be shorter than 30 bytes in principle; GIF needs 10
    b = r.buf
    if b[:8] == b"\x89PNG\r\n\x1a\n" and len(b) >= 24 and b[12:16] == b"IHDR":
        w, h = int.from_bytes(b[16:20], "big"), int.from_bytes(b[20:24], "big")
        return ("png", w, h) if w and h else None
    if b[:6] in (b"GIF87a", b"GIF89a") and len(b) >= 10:
        # Animated GIFs: the logical screen size; the API uses the first frame only (vision page).
        w, h = _u16le(b, 6), _u16le(b, 8)
        return ("gif", w, h) if w and h else None
    if b[:4] == b"RIFF" and b[8:12] == b"WEBP" and len(b) >= 30:
        chunk = b[12:16]
        if chunk == b"VP8 " and b[23:26] == b"\x9d\x01\x2a":
            return ("webp", _u16le(b, 26) & 0x3FFF, _u16le(b, 28) & 0x3FFF)
        if chunk == b"VP8L" and b[20] == 0x2F:
            bits = int.from_bytes(b[21:25], "little")
            return ("webp", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        if chunk == b"VP8X":
            return ("webp", _u24le(b, 24) + 1, _u24le(b, 27) + 1)
        return None
    if b[:2] == b"\xff\xd8":
        found = _jpeg_size(r)
        return ("jpeg", *found) if found else None
    return None


def image_size(data: str | bytes, *, is_base64: bool = True) -> tuple[str, int, int] | None:
    """(format, width, height) of a PNG, JPEG, GIF or WebP image, reading only its header."""
    found = _size(_Bytes(data, is_base64))
    # A zero side is a damaged header, not a free image.
    return found if found is not None and found[1] >= 1 and found[2] >= 1 else None


# ------------------------------------------------------------------------- resize and tokens


def _fits(w: int, h: int, max_edge: int, budget: int) -> bool:
    pw, ph = math.ceil(w / PATCH), math.ceil(h / PATCH)
    return pw * PATCH <= max_edge and ph * PATCH <= max_edge and pw * ph <= budget


def resized(width: int, height: int, max_edge: int, budget: int) -> tuple[int, int]:
    """The size Claude resizes an image to: unchanged when it fits, else the largest
    aspect-preserving size whose sides, rounded up to 28 px, are <= max_edge and whose patch
    count is <= budget. As in the docs' reference code: a binary search on the long edge, the
    short side being round(long / aspect)
    (https://platform.claude.com/docs/en/build-with-claude/vision-coordinates, "How Claude
    resizes and pads images"). Reproduces every example size on that page."""
    if _fits(width, height, max_edge, budget):
        return width, height
    long, short = max(width, height), min(width, height)
    aspect = long / short

    def size(n: int) -> tuple[int, int]:
        return n, max(1, round(n / aspect))

    lo, hi = 1, long  # size(lo) always fits (one patch); find the largest n that fits
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if _fits(*size(mid), max_edge, budget):
            lo = mid
        else:
            hi = mid - 1
    n, m = size(lo)
    return (n, m) if width >= height else (m, n)


def image_tokens(width: int, height: int, max_edge: int, budget: int) -> int:
    """Visual tokens of a width x height image: ⌈w/28⌉ × ⌈h/28⌉ after the resize (vision page)."""
    w, h = resized(width, height, max_edge, budget)
    return math.ceil(w / PATCH) * math.ceil(h / PATCH)


def image_block(source: Any, max_edge: int, budget: int) -> Counted:
    """Tokens of an image block's `source` for a model whose tier is (max_edge, budget).

    base64: measured from the header. url / file: not measurable offline (count_tokens rejects
    them too, https://platform.claude.com/docs/en/build-with-claude/token-counting), 0 up to the
    per-image cap, central the cap. Unreadable data: the same
    range with a problem code, never 0.
    """
    unknown = span(0, budget, budget)
    kind = source.get("type") if isinstance(source, dict) else None
    if kind in ("url", "file"):
        return Counted(unknown, "not_measurable_offline")
    data = source.get("data") if kind == "base64" else None
    if not isinstance(data, str):
        return Counted(unknown, "image_unreadable")  # no base64 data
    found = image_size(data)
    if found is None:
        return Counted(unknown, "image_unreadable")  # not a PNG, JPEG, GIF or WebP header
    fmt, w, h = found
    n = image_tokens(w, h, max_edge, budget)
    # The patch count is the documented rule; a wrapper of ~8 tokens per image message was
    # measured once (https://jackin.tailrocks.com/research/token-optimization/42-multimodal-token-economics),
    # so the high end allows for it.
    band = span(n, n, n + 8)
    # Requests the API rejects (over the vision page's pixel or 10 MB size limit): still
    # counted, but said.
    if max(w, h) > MAX_IMAGE_PX or len(data) > MAX_IMAGE_BASE64:
        return Counted(band, "image_too_large")
    declared = source.get("media_type")
    if isinstance(declared, str) and declared != f"image/{fmt}":
        return Counted(band, "image_media_type_mismatch")
    return Counted(band)
