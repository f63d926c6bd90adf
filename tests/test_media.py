"""Non-text blocks: image headers on real files, the resize rule, PDFs, documents, thinking, tools.

Images and PDFs are generated here (Pillow is a test-only dependency; the PDF with object streams
and a compressed cross-reference stream is built by hand so the page objects are hidden from a
byte search). Expected numbers come from Anthropic's vision, PDF, tool-use and thinking pages
(https://platform.claude.com/docs/en/build-with-claude/vision, ...), worked out in comments.
"""

from __future__ import annotations

import base64
import io
import zlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costcalc.tokens.count import Band
from costcalc.tokens.media import (
    Counted,
    PageTokens,
    ServerToolOverhead,
    document_texts,
    image_block,
    image_size,
    image_tokens,
    keeps_prior_thinking,
    pdf_block,
    pdf_pages,
    resized,
    server_tool_overheads,
    thinking_block,
    tool_system_prompt,
)

Image = pytest.importorskip("PIL.Image")

STANDARD = (1568, 1568)  # vision page, "Other models": <= 1568 px, 1,568 tok
HIGH_RES = (2576, 4784)  # vision page: Opus 4.7 and later, <= 2576 px, 4,784 tok


def encode(img, fmt: str, **kw) -> bytes:
    out = io.BytesIO()
    img.save(out, fmt, **kw)
    return out.getvalue()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# ----------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("fmt", "kw", "mode"),
    [
        ("PNG", {}, "RGB"),
        ("JPEG", {}, "RGB"),
        ("JPEG", {"progressive": True}, "RGB"),
        ("GIF", {}, "P"),
        ("WEBP", {"lossless": False}, "RGB"),  # VP8
        ("WEBP", {"lossless": True}, "RGB"),  # VP8L
        ("WEBP", {"lossless": False}, "RGBA"),  # VP8X (lossy with alpha)
    ],
)
def test_header_sizes_of_real_files(fmt, kw, mode):
    img = Image.new(mode, (301, 157))
    data = encode(img, fmt, **kw)
    found = image_size(b64(data))
    assert found is not None and found[1:] == (301, 157)
    assert image_size(data, is_base64=False)[1:] == (301, 157)


def test_webp_extended_chunk_is_read():
    data = encode(Image.new("RGBA", (640, 3)), "WEBP", lossless=False)
    assert data[12:16] == b"VP8X"  # the case under test
    assert image_size(b64(data)) == ("webp", 640, 3)


def test_jpeg_with_a_large_exif_segment_decodes_only_a_prefix():
    # A 60 kB APP1 (EXIF) segment before the frame header (a JPEG segment's length is 16 bits,
    # so up to 64 kB: ITU-T T.81, https://www.w3.org/Graphics/JPEG/itu-t81.pdf), then a long
    # tail of base64 that is not valid: the reader must stop at the SOF marker.
    exif = b"Exif\x00\x00" + b"\x00" * 60_000
    data = encode(Image.new("RGB", (1234, 567)), "JPEG", exif=exif)
    assert data.find(b"\xff\xc0") > 60_000
    text = b64(data) + "!!!not base64!!!" * 100_000
    assert image_size(text) == ("jpeg", 1234, 567)


def test_progressive_jpeg_uses_sof2():
    data = encode(Image.new("RGB", (99, 1001)), "JPEG", progressive=True)
    assert b"\xff\xc2" in data
    assert image_size(b64(data)) == ("jpeg", 99, 1001)


def test_animated_gif_gives_the_screen_size():
    frames = [Image.new("P", (120, 80), i) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:])
    assert image_size(b64(out.getvalue())) == ("gif", 120, 80)


@pytest.mark.parametrize(
    "data", [b"", b"hello world", b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff\xd9", b"GIF89a"]
)
def test_unreadable_headers(data):
    assert image_size(b64(data)) is None


def test_bad_base64_is_unreadable():
    assert image_size("%%%%not-base64%%%%") is None


# -------------------------------------------------------------------------- resize rule


@pytest.mark.parametrize(
    ("w", "h", "standard", "high_res"),
    [
        # resize examples, standard -> high-res
        # (https://platform.claude.com/docs/en/build-with-claude/vision)
        (1920, 1080, 1560, 2691),
        (2000, 1500, 1564, 3888),
        (3840, 2160, 1560, 4784),
        # largest squares: 1092 = 39 x 28 -> 39^2 = 1,521; 1932 = 69 x 28 -> 4,761
        (1092, 1092, 1521, 1521),
        (1932, 1932, 1521, 4761),
        # patch rule: 200x200 -> ceil(200/28)^2 = 8^2 = 64; 1000x1000 -> 36^2 = 1,296
        (200, 200, 64, 64),
        (1000, 1000, 1296, 1296),
    ],
)
def test_documented_vectors(w, h, standard, high_res):
    assert image_tokens(w, h, *STANDARD) == standard
    assert image_tokens(w, h, *HIGH_RES) == high_res
    assert image_tokens(h, w, *STANDARD) == standard  # the rule is symmetric


def test_resize_of_1920x1080_by_hand():
    # Long edge 1456: ceil(1456/28) = 52, short round(1456 x 1080/1920) = 819 -> 30 patches:
    # 52 x 30 = 1,560 <= 1,568. Long edge 1457: 53 x 30 = 1,590 > 1,568.
    assert resized(1920, 1080, *STANDARD) == (1456, 819)


@given(st.integers(1, 9000), st.integers(1, 9000))
def test_resize_never_exceeds_the_tier(w, h):
    for edge, budget in (STANDARD, HIGH_RES):
        rw, rh = resized(w, h, edge, budget)
        assert rw <= w and rh <= h
        n = image_tokens(w, h, edge, budget)
        assert 1 <= n <= budget
        assert -(-rw // 28) * 28 <= edge and -(-rh // 28) * 28 <= edge


# ------------------------------------------------------------------------- image blocks


def test_base64_image_block():
    data = encode(Image.new("RGB", (1000, 1000)), "PNG")
    got = image_block({"type": "base64", "media_type": "image/png", "data": b64(data)}, *STANDARD)
    # 36 x 36 = 1,296 patches; + up to 8 wrapper tokens at the high end (measured once:
    # https://jackin.tailrocks.com/research/token-optimization/42-multimodal-token-economics)
    assert got.band == Band(1296, 1296, 1304) and got.code is None


@pytest.mark.parametrize("kind", ["url", "file"])
def test_unmeasurable_image_is_zero_to_cap(kind):
    got = image_block({"type": kind, "url": "https://x/y.png", "file_id": "f"}, *HIGH_RES)
    # not measurable offline (count_tokens rejects url and file sources too,
    # https://platform.claude.com/docs/en/build-with-claude/token-counting): 1 token up to
    # the cap, default the cap
    assert got == Counted(Band(0, 4784, 4784), "not_measurable_offline")


def test_corrupt_image_is_never_zero():
    got = image_block({"type": "base64", "data": b64(b"not an image at all")}, *STANDARD)
    assert got.code == "image_unreadable" and got.band.high == 1568 and got.band.central == 1568


# ------------------------------------------------------------------------------- PDFs

PAGE = PageTokens(1600, 2400, 4600)


def hidden_pages_pdf(pages: int) -> bytes:
    """A PDF 1.5 whose catalog, page tree and pages sit in a compressed object stream, indexed
    by a compressed cross-reference stream: no '/Type /Page' is visible in the bytes."""
    kids = " ".join(f"{3 + i} 0 R" for i in range(pages))
    objs = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode(),
    ]
    objs += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"] * pages
    body, header = b"", []
    for number, obj in enumerate(objs, start=1):
        header.append(f"{number} {len(body)}")
        body += obj + b"\n"
    head = (" ".join(header) + "\n").encode()
    stream_no, xref_no = len(objs) + 1, len(objs) + 2
    packed = zlib.compress(head + body)
    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += (
        (
            f"{stream_no} 0 obj\n<< /Type /ObjStm /N {len(objs)} /First {len(head)} "
            f"/Filter /FlateDecode /Length {len(packed)} >>\nstream\n"
        ).encode()
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_at = len(out)
    rows = [bytes([0]) + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    rows += [
        bytes([2]) + stream_no.to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(len(objs))
    ]
    rows += [bytes([1]) + stream_at.to_bytes(4, "big") + (0).to_bytes(2, "big")]
    rows += [bytes([1]) + xref_at.to_bytes(4, "big") + (0).to_bytes(2, "big")]
    table = zlib.compress(b"".join(rows))
    out += (
        (
            f"{xref_no} 0 obj\n<< /Type /XRef /Size {xref_no + 1} /W [1 4 2] /Root 1 0 R "
            f"/Filter /FlateDecode /Length {len(table)} >>\nstream\n"
        ).encode()
        + table
        + b"\nendstream\nendobj\n"
    )
    out += f"startxref\n{xref_at}\n%%EOF\n".encode()
    return bytes(out)


def test_pages_hidden_in_object_streams_are_counted():
    data = hidden_pages_pdf(3)
    assert b"/Type /Page" not in data
    assert pdf_pages(data) == (3, None)


def test_pdf_from_pillow():
    imgs = [Image.new("RGB", (50, 50)) for _ in range(4)]
    out = io.BytesIO()
    imgs[0].save(out, "PDF", save_all=True, append_images=imgs[1:])
    assert pdf_pages(out.getvalue()) == (4, None)


def test_pdf_block_by_hand():
    got = pdf_block({"type": "base64", "data": b64(hidden_pages_pdf(3))}, PAGE, 100)
    # 3 pages x (1,600 / 2,400 / 4,600) = 4,800 / 7,200 / 13,800
    assert got.band == Band(4800, 7200, 13800) and got.code is None


def test_encrypted_pdf_is_a_problem_with_a_range():
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.encrypt("secret")
    out = io.BytesIO()
    writer.write(out)
    got = pdf_block({"type": "base64", "data": b64(out.getvalue())}, PAGE, 100)
    # one page at least, at most 100 pages x 4,600 = 460,000
    assert got.code == "pdf_encrypted" and got.band == Band(1600, 2400, 460000)


@pytest.mark.parametrize("data", [b"%PDF-1.7\ngarbage", b"nothing"])
def test_corrupt_pdf(data):
    got = pdf_block({"type": "base64", "data": b64(data)}, PAGE, 100)
    assert got.code == "pdf_unreadable" and got.band.high == 460000


def test_url_pdf_is_flagged():
    got = pdf_block({"type": "url", "url": "https://x/a.pdf"}, PAGE, 600)
    assert got.code == "not_measurable_offline" and got.band == Band(1600, 2400, 600 * 4600)


# ----------------------------------------------------------------------- text documents


def test_text_document_with_title_and_context():
    block = {
        "type": "document",
        "source": {"type": "text", "media_type": "text/plain", "data": "The grass is green."},
        "title": "Facts",
        "context": "From a primer",
    }
    assert document_texts(block) == (["Facts", "From a primer", "The grass is green."], None)


def test_content_document():
    block = {
        "type": "document",
        "source": {
            "type": "content",
            "content": [{"type": "text", "text": "a"}, {"type": "text", "text": "b"}],
        },
    }
    assert document_texts(block) == (["a", "b"], None)


def test_content_document_with_an_image_is_flagged():
    block = {"source": {"type": "content", "content": [{"type": "image", "source": {}}]}}
    assert document_texts(block) == ([], "document_content_not_text")


# --------------------------------------------------------------------------- thinking


@pytest.mark.parametrize(
    ("model", "keeps"),
    [
        ("claude-opus-4-7", True),
        ("claude-opus-4-5-20251101", True),
        ("claude-opus-4-1-20250805", False),
        ("claude-sonnet-4-6", True),
        ("claude-sonnet-4-5-20250929", False),
        ("claude-haiku-4-5-20251001", False),
        ("claude-3-7-sonnet-20250219", False),
        ("some-future-model", None),
        ("claude-opus-5", True),
    ],
)
def test_which_models_keep_prior_thinking(model, keeps):
    assert keeps_prior_thinking(model) is keeps


def words(text: str) -> int:
    return len(text.split())


def test_stripped_thinking_is_zero():
    block = {"type": "thinking", "thinking": "a b c", "signature": "x" * 1600}
    got = thinking_block(block, keeps_prior=False, in_last_tool_turn=False, count=words)
    assert got.band == Band.of(0)


def test_kept_thinking_band_by_hand():
    block = {"type": "thinking", "thinking": "a b c", "signature": "x" * 1600}
    # visible 3 tokens (the word counter stands in); signature 1,600 x 3/16 = 300
    for keeps, last in ((True, False), (False, True)):
        got = thinking_block(block, keeps_prior=keeps, in_last_tool_turn=last, count=words)
        assert got.band == Band(3, 300, 300, False)


def test_redacted_thinking():
    block = {"type": "redacted_thinking", "data": "y" * 800}
    got = thinking_block(block, keeps_prior=True, in_last_tool_turn=False, count=words)
    assert got.band == Band(0, 150, 150, False)  # 800 x 3/16 = 150


# ------------------------------------------------------------------------------ tools


def test_tool_system_prompt():
    # Opus 4.7 in the tool-use system prompt table of
    # https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview: auto/none 675,
    # any/tool 804
    assert tool_system_prompt(675, 804, None, has_tools=False).band == Band.of(0)
    assert tool_system_prompt(675, 804, {"type": "none"}, has_tools=False).band == Band.of(0)
    assert tool_system_prompt(675, 804, {"type": "auto"}, has_tools=True).band == Band.of(675)
    assert tool_system_prompt(675, 804, None, has_tools=True).band == Band.of(675)
    assert tool_system_prompt(675, 804, {"type": "none"}, has_tools=True).band == Band.of(675)
    assert tool_system_prompt(675, 804, {"type": "any"}, has_tools=True).band == Band.of(804)
    got = tool_system_prompt(675, 804, {"type": "tool", "name": "x"}, has_tools=True)
    assert got.band == Band.of(804)


def test_server_tool_overheads():
    table = {
        "bash": ServerToolOverhead(325, 325),
        "text_editor": ServerToolOverhead(700, 700),
        "computer": ServerToolOverhead(466, 499, 735),
    }
    band, unknown = server_tool_overheads(
        ["bash_20250124", "computer_20250124", "web_search_20250305"], table
    )
    # 325 + (466..499) + 735 = 1,526..1,559
    assert band == Band(1526, 1559, 1559, False)
    assert unknown == ["web_search_20250305"]


def test_server_tool_table_from_pricing_data():
    from datetime import date

    from costcalc.prices.load import load_pricing
    from costcalc.tokens.media import server_tool_table

    overheads = load_pricing().token_overheads
    # the tool-use section of https://platform.claude.com/docs/en/about-claude/pricing:
    # bash 245 (Oct 2025-Mar 2026); Sep 2026 copy: 325 on Opus 4.7+, 244 before
    old = server_tool_table(overheads, "claude-4.7", date(2026, 3, 1))
    new = server_tool_table(overheads, "claude-4.7", date(2026, 11, 1))
    older_model = server_tool_table(overheads, "claude-3", date(2026, 11, 1))
    assert old["bash"] == ServerToolOverhead(245, 245)
    assert new["bash"] == ServerToolOverhead(325, 325)
    assert older_model["bash"] == ServerToolOverhead(244, 244)
    assert new["text_editor"] == ServerToolOverhead(700, 700)
    assert new["computer"] == ServerToolOverhead(466, 499, 735)
    page = overheads.pdf_page
    assert (page.low, page.central, page.high) == (1600, 2400, 4600)


# ----------------------------------------------------------------------- whole requests


def png(w: int, h: int) -> str:
    return b64(encode(Image.new("RGB", (w, h)), "PNG"))


def test_request_parts_by_hand():
    from costcalc.tokens.media import Limits, request_parts

    limits = Limits(*STANDARD, PAGE, 100, keeps_prior_thinking=False)
    thinking = {"type": "thinking", "thinking": "a b c", "signature": "s" * 1600}
    params = {
        "system": "You are terse.",
        "tools": [
            {"name": "get_weather", "description": "Weather", "input_schema": {"type": "object"}},
            {"type": "bash_20250124", "name": "bash"},
        ],
        "tool_choice": {"type": "any"},
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "hello"},
                    {"type": "image", "source": {"type": "base64", "data": png(200, 200)}},
                ],
            },
            {"role": "assistant", "content": [dict(thinking, thinking="old")]},
            {"role": "user", "content": "again"},
            {
                "role": "assistant",
                "content": [
                    thinking,
                    {"type": "tool_use", "id": "t1", "name": "get_weather", "input": {"c": 1}},
                ],
            },
            {
                "role": "user",
                "content": [
                    {
                        "type": "tool_result",
                        "tool_use_id": "t1",
                        "content": [
                            {
                                "type": "image",
                                "source": {"type": "base64", "data": png(1000, 1000)},
                            },
                            {
                                "type": "document",
                                "source": {"type": "text", "data": "doc body"},
                                "title": "T",
                            },
                        ],
                    }
                ],
            },
        ],
    }
    parts = request_parts(params, limits, words, (675, 804), {"bash": ServerToolOverhead(325, 325)})
    # image 200x200: 64 (+8 high); the thinking of the earlier turn is stripped (0); the last
    # tool-loop turn keeps its thinking: 3 visible .. 1,600 x 3/16 = 300; tool prompt for
    # tool_choice any: 804 (Opus 4.7, tool-use overview page); bash 325; the tool_result image
    # 1000x1000: 1,296 (+8 high), not its base64 text.
    # low 64 + 0 + 3 + 804 + 325 + 1,296 = 2,492; central 64 + 300 + 804 + 325 + 1,296 = 2,789;
    # high 72 + 300 + 804 + 325 + 1,304 = 2,805
    assert parts.non_text() == Band(2492, 2789, 2805, False)
    assert "You are terse." in parts.texts and "doc body" in parts.texts and "T" in parts.texts
    assert "hello" in parts.texts and "again" in parts.texts and '{"c":1}' in parts.texts
    assert max(len(t) for t in parts.texts) < 200  # no base64 counted as text
    assert parts.problems == [("thinking", "thinking_estimated")]


def test_request_without_tools_has_no_tool_prompt():
    from costcalc.tokens.media import Limits, request_parts

    limits = Limits(*HIGH_RES, PAGE, 600, keeps_prior_thinking=True)
    params = {"messages": [{"role": "user", "content": "hi"}]}
    parts = request_parts(params, limits, words, (675, 804), {})
    assert parts.counted == [] and parts.texts == ["hi"]


def test_url_document_and_unknown_server_tool_are_flagged():
    from costcalc.tokens.media import Limits, request_parts

    limits = Limits(*HIGH_RES, PAGE, 600, keeps_prior_thinking=True)
    params = {
        "tools": [{"type": "web_search_20250305", "name": "web_search"}],
        "messages": [
            {
                "role": "user",
                "content": [
                    {"type": "document", "source": {"type": "url", "url": "https://a/b.pdf"}}
                ],
            }
        ],
    }
    parts = request_parts(params, limits, words, None, {})
    assert sorted(code for _, code in parts.problems) == [
        "not_measurable_offline",
        "server_tool_overhead_unknown",
        "tool_prompt_unknown",
    ]
    # the PDF of unknown length: 1 page (1,600 / 2,400) up to 600 pages x 4,600 = 2,760,000
    assert parts.non_text() == Band(1600, 2400, 2_760_000, False)


def test_jpeg_thumbnail_sof_inside_exif_is_skipped():
    # An APP1 segment whose payload holds a thumbnail's own SOF0 (16x16): a byte search would
    # find it first; walking segments by their lengths finds the real frame header.
    real = encode(Image.new("RGB", (640, 480)), "JPEG")
    thumb_sof = b"\xff\xc0\x00\x11\x08\x00\x10\x00\x10\x03" + b"\x00" * 9
    payload = b"Exif\x00\x00" + b"\xff\xd8" + thumb_sof
    app1 = b"\xff\xe1" + (len(payload) + 2).to_bytes(2, "big") + payload
    data = real[:2] + app1 + real[2:]
    assert data.find(b"\xff\xc0") < data.find(b"\xff\xc0", data.find(b"\xff\xc0") + 1)
    assert image_size(b64(data)) == ("jpeg", 640, 480)


def test_jpeg_fill_bytes_before_a_marker():
    real = encode(Image.new("RGB", (33, 44)), "JPEG")
    data = real[:2] + b"\xff\xff\xff" + real[2:]  # fill bytes (T.81 B.1.1.2)
    assert image_size(data, is_base64=False) == ("jpeg", 33, 44)


@given(
    st.text(max_size=50),
    st.text(alphabet="abcdef0123456789+/", max_size=4000),
    st.booleans(),
    st.sampled_from([True, False, None]),
)
def test_thinking_band_is_ordered(visible, signature, last, keeps):
    block = {"type": "thinking", "thinking": visible, "signature": signature}
    got = thinking_block(block, keeps_prior=keeps, in_last_tool_turn=last, count=len)
    assert 0 <= got.band.low <= got.band.central <= got.band.high


def test_declared_media_type_must_match():
    data = b64(encode(Image.new("RGB", (10, 10)), "PNG"))
    got = image_block({"type": "base64", "media_type": "image/jpeg", "data": data}, *STANDARD)
    # 1 x 1 patch = 1 token, still counted; the API would reject the mismatch
    assert got.code == "image_media_type_mismatch" and got.band.central == 1
    ok = image_block({"type": "base64", "media_type": "image/png", "data": data}, *STANDARD)
    assert ok.code is None


def test_oversized_image_is_flagged():
    # A PNG header only: 9000 x 10 px (over the vision page's 8000 px); resized to the 1568 tier:
    # long 1568 -> short round(1568 / 900) = 2: 56 x 1 = 56 patches
    header = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + (9000).to_bytes(4, "big")
    header += (10).to_bytes(4, "big") + b"\x08\x02\x00\x00\x00"
    got = image_block({"type": "base64", "data": b64(header)}, *STANDARD)
    assert got.code == "image_too_large" and got.band.central == 56


def test_cyclic_page_tree_is_unreadable_not_a_hang():
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, obj in enumerate(objs, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 3\n0000000000 65535 f \n"
    out += b"".join(f"{o:010} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    assert pdf_pages(bytes(out)) == (None, "pdf_unreadable")


def test_animated_webp_is_extended():
    frames = [Image.new("RGB", (90, 70), (i * 40, 0, 0)) for i in range(3)]
    out = io.BytesIO()
    frames[0].save(out, "WEBP", save_all=True, append_images=frames[1:])
    assert out.getvalue()[12:16] == b"VP8X"
    assert image_size(b64(out.getvalue())) == ("webp", 90, 70)


MAGIC = [b"", b"\x89PNG\r\n\x1a\n", b"\xff\xd8", b"GIF89a", b"RIFF\x00\x00\x00\x00WEBPVP8 "]


@given(st.sampled_from(MAGIC), st.binary(max_size=200))
def test_random_headers_never_raise(magic, rest):
    found = image_size(magic + rest, is_base64=False)
    assert found is None or (found[1] >= 1 and found[2] >= 1)
    got = image_block({"type": "base64", "data": b64(magic + rest)}, *STANDARD)
    assert got.band.high >= 1 and got.band.central >= 1  # never 0: measured or the cap


def test_zero_width_webp_is_unreadable():
    data = bytearray(encode(Image.new("RGB", (20, 20)), "WEBP", lossless=False))
    assert data[12:16] == b"VP8 "
    data[26:28] = b"\x00\x00"  # width 0
    assert image_size(bytes(data), is_base64=False) is None


def test_pdf_without_pages_is_not_free():
    from pypdf import PdfWriter

    out = io.BytesIO()
    PdfWriter().write(out)
    got = pdf_block({"type": "base64", "data": b64(out.getvalue())}, PAGE, 100)
    assert got.code == "pdf_unreadable" and got.band.low == 1600


def test_unknown_blocks_are_counted_as_json_and_flagged():
    from costcalc.tokens.media import Limits, content_parts

    limits = Limits(*STANDARD, PAGE, 100, keeps_prior_thinking=False)
    block = {"type": "web_search_tool_result", "content": [{"title": "a b"}]}
    search = {
        "type": "search_result",
        "source": "s",
        "title": "t",
        "content": [{"type": "text", "text": "body"}],
    }
    parts = content_parts([block, search], limits, len)
    n = len('{"type":"web_search_tool_result","content":[{"title":"a b"}]}')  # len stands in
    assert parts.counted == [
        ("web_search_tool_result", Counted(Band(0, n, n, False), "block_estimated"))
    ]
    assert parts.texts == ["s", "t", "body"]


def test_unknown_tool_choice_spans_both_numbers():
    got = tool_system_prompt(675, 804, {"type": "something_new"}, has_tools=True)
    assert got.band == Band(675, 804, 804, False) and got.code == "tool_choice_unknown"
