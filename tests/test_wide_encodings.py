"""UTF-16 and UTF-32 files: their NUL bytes are text, so binary input is judged after decoding.

A NUL byte marks binary input only where the NUL character is the single byte 0 (UTF-8,
Latin-1, ...). In UTF-16 every ASCII character holds a NUL byte ("a" is 61 00 in utf-16-le),
so there the decoded text is checked for the NUL character (U+0000) instead, block by block,
and /dev/zero is still refused at its first block. A byte order mark is never text.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import costcalc.tokens.stream as ts
from costcalc.errors import CostcalcError
from costcalc.tokens.cl100k import load_cl100k
from costcalc.tokens.count import read_text

TEXT = "Grade this answer against the rubric.\nCafé, naïve, 東京: 3 points each.\n" * 40

# (encoding passed to --encoding, the file's bytes): each starts with a byte order mark.
WIDE = [
    ("utf-16", TEXT.encode("utf-16")),
    ("utf-16-le", b"\xff\xfe" + TEXT.encode("utf-16-le")),
    ("utf-16-be", b"\xfe\xff" + TEXT.encode("utf-16-be")),
    ("utf-32", TEXT.encode("utf-32")),
]


def _csv_row(out: str) -> list[str]:
    return out.splitlines()[1].split(",")


@pytest.mark.parametrize(("encoding", "data"), WIDE, ids=[e for e, _ in WIDE])
def test_a_wide_file_counts_as_its_text(cli, tmp_path, monkeypatch, encoding, data):
    # The count is cl100k's count of the text itself (no mark, no NUL bytes), with blocks of an
    # odd size so code units and the mark straddle block ends.
    monkeypatch.setattr(ts, "BLOCK", 997)
    expected = len(load_cl100k().encode_ordinary(TEXT))
    path = tmp_path / f"{encoding}.txt"
    path.write_bytes(data)
    code, out, err = cli("tokens", "--encoding", encoding, str(path), "--format", "csv")
    assert code == 0, err
    row = _csv_row(out)
    assert row[1] == str(len(data))  # bytes on disk, mark included
    assert row[2] == str(expected)
    assert row[-1] == "prose"
    got = read_text(path, encoding)
    assert got.text == TEXT and got.size == len(data)


def test_estimate_reads_a_utf16_shared_file_as_the_utf8_one(cli, tmp_path):
    utf8 = tmp_path / "rubric8.txt"
    utf8.write_text(TEXT, encoding="utf-8")
    utf16 = tmp_path / "rubric16.txt"
    utf16.write_bytes(TEXT.encode("utf-16"))
    args = ("estimate", "--model", "opus-4.7", "--requests", "100", "--format", "json")
    code8, out8, _ = cli(*args, "--shared-file", str(utf8))
    code16, out16, err16 = cli(*args, "--shared-file", str(utf16), "--encoding", "utf-16")
    assert (code8, code16) == (0, 0), err16
    assert out16.replace(str(utf16), "F") == out8.replace(str(utf8), "F")


def test_a_nul_character_in_wide_text_is_binary(cli, tmp_path, monkeypatch):
    # 2,500 characters of text, then U+0000: refused with its character offset. It lies in the
    # sixth block of 997 bytes, and every earlier block held NUL bytes that were text.
    monkeypatch.setattr(ts, "BLOCK", 997)
    path = tmp_path / "late.txt"
    path.write_bytes(b"\xff\xfe" + ("x" * 2_500 + "\0tail").encode("utf-16-le"))
    code, _, err = cli("tokens", "--encoding", "utf-16-le", str(path))
    assert code == 2
    assert f"{path} looks binary (a NUL character at character 2,500)" in err
    with pytest.raises(CostcalcError, match="a NUL character at character 2,500"):
        read_text(path, "utf-16-le")


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
@pytest.mark.parametrize(
    ("encoding", "message"),
    [
        ("utf-16-le", "/dev/zero looks binary (a NUL character at character 0)"),
        ("utf-32-be", "/dev/zero looks binary (a NUL character at character 0)"),
        ("utf-16", "/dev/zero is not valid utf-16 (it does not start with a byte order mark)"),
        ("utf-8", "/dev/zero looks binary (a NUL byte at offset 0)"),
        ("latin-1", "/dev/zero looks binary (a NUL byte at offset 0)"),
        ("utf-8-sig", "/dev/zero looks binary (a NUL byte at offset 0)"),
    ],
)
def test_dev_zero_is_refused_at_its_first_block_in_every_encoding(cli, encoding, message):
    # An endless stream: reading it whole would never return (both readers stop at block one).
    code, _, err = cli("tokens", "--encoding", encoding, "/dev/zero")
    assert code == 2 and message in err
    code, _, err = cli(
        "estimate", "--model", "opus-4.7", "--requests", "2",
        "--shared-file", "/dev/zero", "--encoding", encoding,
    )  # fmt: skip
    assert code == 2 and message in err


def test_binary_files_stay_refused_in_narrow_encodings(tmp_path):
    png = tmp_path / "image.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR")
    for encoding in ("utf-8", "latin-1", "cp1252", "ascii"):
        with pytest.raises(CostcalcError, match=r"looks binary \(a NUL byte at offset 8\)"):
            read_text(png, encoding)


def test_a_wide_file_without_a_mark_names_the_fix(cli, tmp_path):
    path = tmp_path / "nomark.txt"
    path.write_bytes("plain".encode("utf-16-le"))
    code, _, err = cli("tokens", "--encoding", "utf-16", str(path))
    assert code == 2
    assert "pass --encoding utf-16-le or --encoding utf-16-be" in err
    code, out, _ = cli("tokens", "--encoding", "utf-16-le", str(path), "--format", "csv")
    assert code == 0 and _csv_row(out)[2] == str(len(load_cl100k().encode_ordinary("plain")))


def test_unknown_encodings_are_named(tmp_path):
    path = Path(tmp_path / "a.txt")
    path.write_bytes(b"abc")
    with pytest.raises(CostcalcError, match="unknown text encoding 'klingon'"):
        read_text(path, "klingon")
