"""Tokens of non-text input blocks: images, PDFs, text documents, thinking, tool overheads.

Pure functions (facts section 11, items 43-55; section 6, items 26-27). Each returns a `Counted`:
a token band and, when the block could not be measured exactly, a stable problem `code`. Nothing
unmeasurable is ever 0: it gets a range up to the documented cap.

Image sizes come from the header bytes only (no pixel decoding, no third-party reader): base64
data is decoded in small chunks until the header is complete. pypdf is imported only when a PDF
is present.
"""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from costcalc.tokens.bands import Band

PATCH = 28  # px per visual-token side (facts 43)
MAX_IMAGE_PX = 8000  # facts 46: 8000 x 8000 px per image
MAX_IMAGE_BASE64 = 10 * 1024 * 1024  # facts 46: "10 MB (base64-encoded)" on the API


@dataclass(frozen=True)
class Counted:
    """Tokens of one block: a band, and a problem code when it is not measured exactly."""

    band: Band
    code: str | None = None  # e.g. "not_measurable_offline", "image_unreadable"
    detail: str = ""


def _range(low: int, central: int, high: int) -> Band:
    return Band(low, central, high, False)


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
    """(format, width, height) from the header (facts 47), or None when unreadable."""
    if not r.need(30):
        r.need(2)  # a JPEG can be shorter than 30 bytes in principle; GIF needs 10
    b = r.buf
    if b[:8] == b"\x89PNG\r\n\x1a\n" and len(b) >= 24 and b[12:16] == b"IHDR":
        w, h = int.from_bytes(b[16:20], "big"), int.from_bytes(b[20:24], "big")
        return ("png", w, h) if w and h else None
    if b[:6] in (b"GIF87a", b"GIF89a") and len(b) >= 10:
        # Animated GIFs: the logical screen size; the API uses the first frame only (facts 46).
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
    """The size Claude resizes an image to (facts 45): unchanged when it fits, else the largest
    aspect-preserving size whose sides, rounded up to 28 px, are <= max_edge and whose patch
    count is <= budget. As in the docs' reference code: a binary search on the long edge, the
    short side being round(long / aspect)
    (https://platform.claude.com/docs/en/build-with-claude/vision-coordinates, "How Claude
    resizes and pads images"). Reproduces every facts-45 vector."""
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
    """Visual tokens of a width x height image: ⌈w/28⌉ × ⌈h/28⌉ after the resize (facts 43)."""
    w, h = resized(width, height, max_edge, budget)
    return math.ceil(w / PATCH) * math.ceil(h / PATCH)


def image_block(source: Any, max_edge: int, budget: int) -> Counted:
    """Tokens of an image block's `source` for a model whose tier is (max_edge, budget).

    base64: measured from the header. url / file: not measurable offline (count_tokens rejects
    them too), 0 up to the per-image cap, central the cap (facts 48). Unreadable data: the same
    range with a problem code, never 0.
    """
    unknown = _range(0, budget, budget)
    kind = source.get("type") if isinstance(source, dict) else None
    if kind in ("url", "file"):
        return Counted(unknown, "not_measurable_offline", f"image from a {kind} source")
    data = source.get("data") if kind == "base64" else None
    if not isinstance(data, str):
        return Counted(unknown, "image_unreadable", "image source has no base64 data")
    found = image_size(data)
    if found is None:
        return Counted(unknown, "image_unreadable", "not a PNG, JPEG, GIF or WebP header")
    fmt, w, h = found
    n = image_tokens(w, h, max_edge, budget)
    # The patch count is the documented rule; a wrapper of ~8 tokens per image message was
    # measured once (facts 43, 55), so the high end allows for it.
    band = _range(n, n, n + 8)
    detail = f"{fmt} {w}x{h}"
    # Requests the API rejects (facts 46): still counted, but said.
    if max(w, h) > MAX_IMAGE_PX:
        return Counted(band, "image_too_large", f"{detail}: over {MAX_IMAGE_PX} px")
    if len(data) > MAX_IMAGE_BASE64:
        return Counted(band, "image_too_large", f"{detail}: over 10 MB of base64")
    declared = source.get("media_type")
    if isinstance(declared, str) and declared != f"image/{fmt}":
        return Counted(band, "image_media_type_mismatch", f"{detail}, declared {declared}")
    return Counted(band, None, detail)


# ------------------------------------------------------------------------------------- PDFs


@dataclass(frozen=True)
class PageTokens:
    """Tokens per PDF page (facts 49): page image + extracted text, as a range."""

    low: int
    central: int
    high: int


def pdf_pages(data: bytes) -> tuple[int | None, str | None]:
    """(page count, problem code) from PDF bytes, read with pypdf (object streams and
    compressed cross-reference tables included)."""
    try:
        from pypdf import PdfReader
        from pypdf.errors import PyPdfError
    except ImportError:  # pragma: no cover - pypdf is a dependency
        return None, "pdf_parser_missing"
    import io
    import logging

    # pypdf logs repairs of damaged files as warnings; they are not the user's output.
    log = logging.getLogger("pypdf")
    level = log.level
    log.setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            return None, "pdf_encrypted"
        return len(reader.pages), None
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError):
        return None, "pdf_unreadable"
    except RecursionError:  # deeply nested or cyclic page trees
        return None, "pdf_unreadable"
    finally:
        log.setLevel(level)


def pdf_block(source: Any, per_page: PageTokens, max_pages: int) -> Counted:
    """Tokens of a PDF document's `source`: pages × per-page range.

    Unknown page count (url / file source, encrypted or corrupt file): at least one page, at
    most `max_pages` (the API's per-request page limit, facts 49), central one page.
    """
    unknown = _range(per_page.low, per_page.central, per_page.high * max_pages)
    kind = source.get("type") if isinstance(source, dict) else None
    if kind in ("url", "file"):
        return Counted(unknown, "not_measurable_offline", f"PDF from a {kind} source")
    data = source.get("data") if kind == "base64" else None
    if not isinstance(data, str):
        return Counted(unknown, "pdf_unreadable", "PDF source has no base64 data")
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return Counted(unknown, "pdf_unreadable", "PDF data is not valid base64")
    pages, problem = pdf_pages(raw)
    if pages == 0:  # a page tree with no pages: damaged, not free
        pages, problem = None, "pdf_unreadable"
    if pages is None:
        # An encrypted PDF is rejected by the API (facts 49: "no encryption"), but the request
        # is not priced at 0 here: the caller decides; the range stands until it does.
        return Counted(unknown, problem, "PDF page count unknown")
    band = _range(pages * per_page.low, pages * per_page.central, pages * per_page.high)
    code = "pdf_too_many_pages" if pages > max_pages else None
    return Counted(band, code, f"{pages} pages")


# ---------------------------------------------------------------------------- text documents


def document_texts(block: dict[str, Any]) -> tuple[list[str], str | None]:
    """The texts of a text document block that are billed as text (facts 51): its title and
    context ("are passed to the model") and its text source or list of text blocks.
    Returns (texts, problem); non-text content inside a `content` source is a problem."""
    texts = [block[k] for k in ("title", "context") if isinstance(block.get(k), str)]
    source = block.get("source")
    kind = source.get("type") if isinstance(source, dict) else None
    problem = None
    if kind == "text" and isinstance(source.get("data"), str):  # type: ignore[union-attr]
        texts.append(source["data"])  # type: ignore[index]
    elif kind == "content":
        content = source.get("content")  # type: ignore[union-attr]
        if isinstance(content, str):
            texts.append(content)
        elif isinstance(content, list):
            for part in content:
                if isinstance(part, dict) and part.get("type") == "text":
                    texts.append(str(part.get("text", "")))
                else:
                    problem = "document_content_not_text"
        else:
            problem = "document_unreadable"
    else:
        problem = "document_unreadable"
    return texts, problem


# ---------------------------------------------------------------------------------- thinking

_VERSION = re.compile(r"claude-(opus|sonnet|haiku|fable|mythos)-(\d+)(?:-(\d))?(?:\b|-)")


def keeps_prior_thinking(model_id: str) -> bool | None:
    """Whether the model keeps thinking blocks of earlier assistant turns (facts 53).

    Opus 4.5+ keep them ("preserved in model context by default"); Sonnet 4.6+ too (M);
    Sonnet 4.5 and Haiku keep only the last tool-loop turn (M); older models strip them.
    Fable and Mythos are the newest families (facts 12) and are taken to keep them.
    None when the id does not say (the caller then uses the widest band).
    """
    if model_id.startswith("claude-3"):  # claude-3-x-family ids: all older models strip them
        return False
    m = _VERSION.match(model_id)
    if not m:
        return None
    family, major = m.group(1), int(m.group(2))
    minor = int(m.group(3)) if m.group(3) and len(m.group(3)) == 1 else 0
    version = (major, minor)
    if family in ("fable", "mythos"):
        return True
    if family == "opus":
        return version >= (4, 5)
    if family == "sonnet":
        return version >= (4, 6)
    return False  # haiku: only the last turn (M)


def signature_estimate(signature: str) -> int:
    """Thinking tokens rebuilt from an encrypted signature: len × 3/16 (headroom PR #3482, L)."""
    return len(signature) * 3 // 16


def thinking_block(
    block: dict[str, Any],
    *,
    keeps_prior: bool | None,
    in_last_tool_turn: bool,
    count: Callable[[str], int],
) -> Counted:
    """Input tokens of a thinking / redacted_thinking block sent back in an assistant turn.

    Stripped (older models, not the last tool-loop turn): 0, exactly as the API does.
    Kept: from the visible text's count (a summary, often empty on Opus 4.7+, so it undercounts)
    to the signature estimate, central the estimate. redacted_thinking has no visible text: 0
    to the estimate from its encrypted `data`. Unknown model behaviour: 0 to the kept estimate.
    """
    kept = in_last_tool_turn or keeps_prior
    if kept is False:
        return Counted(Band.of(0))
    if block.get("type") == "redacted_thinking":
        est = signature_estimate(str(block.get("data", "")))
        return Counted(_range(0, est, est), "thinking_estimated", "redacted thinking (opaque)")
    visible = count(str(block.get("thinking", "")))
    est = max(visible, signature_estimate(str(block.get("signature", ""))))
    if kept is None:
        return Counted(_range(0, est, est), "thinking_model_unknown")
    return Counted(_range(visible, est, est), "thinking_estimated")


# ----------------------------------------------------------------------------- tool overheads


def tool_system_prompt(auto_none: int, any_tool: int, tool_choice: Any, has_tools: bool) -> Counted:
    """The tool-use system prompt the API adds (facts 26), given the model's two numbers
    (tool_choice auto/none, and any/tool). No tools and tool_choice none (or absent): 0."""
    kind = tool_choice.get("type") if isinstance(tool_choice, dict) else tool_choice
    if not has_tools and kind in (None, "none"):
        return Counted(Band.of(0))
    if kind in ("any", "tool"):
        return Counted(Band.of(any_tool))
    if kind in (None, "auto", "none"):
        return Counted(Band.of(auto_none))
    # An unknown tool_choice: either number may apply.
    low, high = sorted((auto_none, any_tool))
    return Counted(_range(low, high, high), "tool_choice_unknown")


@dataclass(frozen=True)
class ServerToolOverhead:
    """Input tokens a server/built-in tool adds (facts 27), as data from pricing.yaml."""

    system_low: int  # tokens added once per request when the tool is present
    system_high: int
    per_definition: int = 0  # tokens per tool definition of this type


def server_tool_overheads(
    tool_types: Iterable[str], table: dict[str, ServerToolOverhead]
) -> tuple[Band, list[str]]:
    """Summed overheads of the server tools in a request, by tool `type` prefix (e.g.
    "bash_20250124" matches "bash"); returns the band and the types with no known overhead
    (web search, fetch and code execution: "not found", facts 54)."""
    low = high = 0
    seen: set[str] = set()
    unknown = []
    for tool_type in tool_types:
        key = next((k for k in table if tool_type.startswith(k)), None)
        if key is None:
            unknown.append(tool_type)
            continue
        o = table[key]
        if key not in seen:
            seen.add(key)
            low += o.system_low
            high += o.system_high
        low += o.per_definition
        high += o.per_definition
    return _range(low, high, high), unknown


def server_tool_table(overheads: Any, tokenizer: str, on: Any) -> dict[str, ServerToolOverhead]:
    """The server-tool overheads in effect on `on` for a tokenizer, from pricing's
    `token_overheads` (a costcalc.pricing.TokenOverheads)."""
    table = {}
    for tool in overheads.server_tools:
        found = overheads.server_tool(tool, tokenizer, on)
        if found is not None:
            low, high, per_definition = found
            table[tool] = ServerToolOverhead(low, high, per_definition)
    return table


# ------------------------------------------------------------------------- whole requests


@dataclass(frozen=True)
class Limits:
    """What a model's non-text blocks cost, from pricing data (so callers pass numbers)."""

    max_edge: int  # image tier: long-edge limit in px (facts 44)
    budget: int  # image tier: tokens per image
    page: PageTokens  # tokens per PDF page (facts 49)
    max_pages: int  # PDF pages per request (facts 49)
    keeps_prior_thinking: bool | None  # keeps_prior_thinking(model_id)
    # The request's context window is under 1M tokens: the lower page limit applies.
    small_window: bool = False


@dataclass
class Parts:
    """A request's input split for counting: texts (for the caller's text counter, which knows
    their kind) and bands for everything else, each labelled by block type."""

    texts: list[str]
    counted: list[tuple[str, Counted]]

    def non_text(self) -> Band:
        bands = [c.band for _, c in self.counted]
        return Band(
            sum(b.low for b in bands),
            sum(b.central for b in bands),
            sum(b.high for b in bands),
            bool(bands) and all(b.exact for b in bands),
        )

    @property
    def problems(self) -> list[tuple[str, str]]:
        """(block type, code) of every block that was not measured exactly."""
        return [(label, c.code) for label, c in self.counted if c.code]


def _json_text(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def content_parts(
    content: Any,
    limits: Limits,
    count: Callable[[str], int],
    parts: Parts | None = None,
    *,
    in_last_tool_turn: bool = False,
) -> Parts:
    """Split one message's (or system's, or tool_result's) content into texts and bands.

    Images and documents inside tool_result are counted as images and documents, not as their
    base64 text (facts 52). Blocks of unknown type are counted as their JSON text and flagged.
    `count` gives the Claude tokens of a text (e.g. the central estimate of its kind's band);
    it is used only for the few texts that end up inside a band (thinking, unknown blocks).
    """
    parts = parts if parts is not None else Parts([], [])
    if isinstance(content, str):
        parts.texts.append(content)
        return parts
    if not isinstance(content, list):
        return parts
    for block in content:
        kind = block.get("type") if isinstance(block, dict) else None
        if kind == "text":
            parts.texts.append(str(block.get("text", "")))
        elif kind == "image":
            parts.counted.append(
                ("image", image_block(block.get("source"), limits.max_edge, limits.budget))
            )
        elif kind == "document":
            _document(block, limits, parts)
        elif kind == "tool_result":
            content_parts(block.get("content"), limits, count, parts)
        elif kind == "tool_use":
            parts.texts.append(str(block.get("name", "")))
            parts.texts.append(_json_text(block.get("input", {})))
        elif kind in ("thinking", "redacted_thinking"):
            parts.counted.append(
                (
                    kind,
                    thinking_block(
                        block,
                        keeps_prior=limits.keeps_prior_thinking,
                        in_last_tool_turn=in_last_tool_turn,
                        count=count,
                    ),
                )
            )
        elif kind == "search_result":
            parts.texts += [str(block.get(k, "")) for k in ("source", "title")]
            content_parts(block.get("content"), limits, count, parts)
        else:
            # Server tool results and newer block types: their JSON text is the best offline
            # guess, flagged so it is not taken as measured.
            n = count(_json_text(block))
            parts.counted.append((str(kind), Counted(_range(0, n, n), "block_estimated")))
    return parts


def _document(block: dict[str, Any], limits: Limits, parts: Parts) -> None:
    source = block.get("source")
    kind = source.get("type") if isinstance(source, dict) else None
    if kind in ("text", "content"):
        texts, problem = document_texts(block)
        parts.texts += texts
        if problem:
            parts.counted.append(("document", Counted(Band.of(0), problem)))
        return
    # base64 / url / file documents are PDFs (or, for file, any uploaded document).
    parts.texts += [block[k] for k in ("title", "context") if isinstance(block.get(k), str)]
    parts.counted.append(("pdf", pdf_block(source, limits.page, limits.max_pages)))


def _ends_in_tool_results(message: Any) -> bool:
    content = message.get("content") if isinstance(message, dict) else None
    return isinstance(content, list) and any(
        isinstance(b, dict) and b.get("type") == "tool_result" for b in content
    )


def request_parts(
    params: dict[str, Any],
    limits: Limits,
    count: Callable[[str], int],
    tool_prompt: tuple[int, int] | None,
    server_tools: dict[str, ServerToolOverhead],
) -> Parts:
    """Every billed input of one Messages request (`params`), split for counting.

    `tool_prompt` is the model's (auto/none, any/tool) tool-use system prompt size (facts 26),
    None when unknown for the model (then a flagged 0..max band over the facts-26 tables is the
    caller's choice: this function flags `tool_prompt_unknown` with 0 tokens, never silently).
    """
    parts = Parts([], [])
    content_parts(params.get("system"), limits, count, parts)
    raw_tools = params.get("tools")
    tools: list[Any] = raw_tools if isinstance(raw_tools, list) else []
    custom: list[dict[str, Any]] = []
    server: list[dict[str, Any]] = []
    for tool in tools:
        if not isinstance(tool, dict):
            continue
        kind = tool.get("type")
        (server if kind and kind != "custom" else custom).append(tool)
    for tool in custom:  # names, descriptions and schemas are billed as input (facts 54)
        parts.texts.append(_json_text(tool))
    if tools or params.get("tool_choice") not in (None, {"type": "none"}, "none"):
        if tool_prompt is None:
            parts.counted.append(("tool_prompt", Counted(Band.of(0), "tool_prompt_unknown")))
        else:
            got = tool_system_prompt(*tool_prompt, params.get("tool_choice"), bool(tools))
            parts.counted.append(("tool_prompt", got))
    if server:
        band, unknown = server_tool_overheads((str(t.get("type")) for t in server), server_tools)
        parts.counted.append(("server_tools", Counted(band)))
        for tool_type in unknown:
            parts.counted.append((tool_type, Counted(Band.of(0), "server_tool_overhead_unknown")))
    raw_messages = params.get("messages")
    messages: list[Any] = raw_messages if isinstance(raw_messages, list) else []
    # The last assistant turn of a tool loop: the final message carries tool results.
    last_assistant = None
    if messages and _ends_in_tool_results(messages[-1]):
        last_assistant = max(
            (
                i
                for i, m in enumerate(messages)
                if isinstance(m, dict) and m.get("role") == "assistant"
            ),
            default=None,
        )
    for i, message in enumerate(messages):
        if isinstance(message, dict):
            content_parts(
                message.get("content"),
                limits,
                count,
                parts,
                in_last_tool_turn=i == last_assistant,
            )
    return parts
