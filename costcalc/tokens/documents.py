"""Tokens of PDF and text document blocks. A PDF page is billed as a page image plus its
extracted text (https://platform.claude.com/docs/en/build-with-claude/pdf-support); a text document
as its text, title and context
(https://platform.claude.com/docs/en/build-with-claude/citations). pypdf is imported only when
a PDF is present."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass
from typing import Any

from costcalc.tokens.nontext import Counted, span

# ------------------------------------------------------------------------------------- PDFs


@dataclass(frozen=True)
class PageTokens:
    """Tokens per PDF page: page image + extracted text, as a range (pdf-support page)."""

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
    most `max_pages` (the API's per-request page limit, pdf-support page), central one page.
    """
    unknown = span(per_page.low, per_page.central, per_page.high * max_pages)
    kind = source.get("type") if isinstance(source, dict) else None
    if kind in ("url", "file"):
        return Counted(unknown, "not_measurable_offline")
    data = source.get("data") if kind == "base64" else None
    if not isinstance(data, str):
        return Counted(unknown, "pdf_unreadable")  # no base64 data
    try:
        raw = base64.b64decode(data, validate=True)
    except (binascii.Error, ValueError):
        return Counted(unknown, "pdf_unreadable")  # not valid base64
    pages, problem = pdf_pages(raw)
    if pages == 0:  # a page tree with no pages: damaged, not free
        pages, problem = None, "pdf_unreadable"
    if pages is None:
        # An encrypted PDF is rejected by the API (pdf-support page: "no encryption"), but the
        # request is not priced at 0 here: the caller decides; the range stands until it does.
        return Counted(unknown, problem)
    band = span(pages * per_page.low, pages * per_page.central, pages * per_page.high)
    code = "pdf_too_many_pages" if pages > max_pages else None
    return Counted(band, code)


# ---------------------------------------------------------------------------- text documents


def document_texts(block: dict[str, Any]) -> tuple[list[str], str | None]:
    """The texts of a text document block that are billed as text (citations page): its title and
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
