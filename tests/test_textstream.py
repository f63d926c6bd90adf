"""tokens streams each file: its count is the whole text's count, binary input is refused at
once, and a stream's memory does not grow with its size (benchmarks/tokens_memory.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import costcalc.tokens.stream as ts
from costcalc.tokens.cl100k import load_cl100k
from costcalc.tokens.count import read_text
from costcalc.tokens.textkind import classify

REPO = Path(__file__).resolve().parent.parent
SAMPLES = sorted(
    p
    for p in [*REPO.glob("examples/**/*"), *REPO.glob("costcalc/**/*.py"), REPO / "README.md"]
    if p.is_file() and b"\0" not in p.read_bytes()
)


@pytest.fixture
def small_blocks(monkeypatch):
    # Tiny blocks force hundreds of cuts per file, at every kind of place a real file has.
    monkeypatch.setattr(ts, "BLOCK", 997)
    monkeypatch.setattr(ts, "CUT_SEARCH", 1500)
    monkeypatch.setattr(ts, "LIMIT", 6000)
    monkeypatch.setattr(ts, "RUN_SLICE", 512)


def test_streamed_count_is_the_whole_text_count_on_real_files(small_blocks):
    encoder = load_cl100k()
    assert len(SAMPLES) > 20
    for path in SAMPLES:
        try:
            whole = read_text(path)
        except Exception:
            continue  # not UTF-8 text: refused by both readers
        got = ts.count_file(path, "utf-8", encoder)
        assert got.cl100k == len(encoder.encode_ordinary(whole.text)), path
        assert (got.kind, got.size, got.digest) == (
            classify(whole.text),
            whole.size,
            whole.digest,
        ), path


_PIECES = st.sampled_from(
    ["\n", "\n\n", " ", "  ", "\t", "\r\n", "word", "Über", "'s", "123456", "{", "});", "é", "中文"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=60))
def test_a_safe_cut_keeps_the_whole_text_tokens(parts):
    encoder = load_cl100k()
    text = "".join(parts)
    cut = ts.safe_cut(text)
    if cut:
        n = len(encoder.encode_ordinary(text[:cut])) + len(encoder.encode_ordinary(text[cut:]))
        assert n == len(encoder.encode_ordinary(text))


def test_a_run_without_any_cut_is_counted_in_slices_within_a_token_per_slice(
    small_blocks, tmp_path
):
    # 20,000 letters: no newline, no space. Whole, cl100k makes 2,500 tokens of 8 "a"s; in
    # slices of 512 (a multiple of 8) the count is the same, 2,500. For 20,003 letters the
    # whole text is 2,500 tokens + one of 3 "a"s = 2,501, and so are the slices.
    encoder = load_cl100k()
    for n, want in ((20_000, 2_500), (20_003, 2_501)):
        f = tmp_path / "run.txt"
        f.write_text("a" * n)
        assert len(encoder.encode_ordinary("a" * n)) == want
        assert ts.count_file(f, "utf-8", encoder).cl100k == want


def test_stream_middle_window_is_near_the_middle(small_blocks, tmp_path):
    # A FIFO-like stream cannot be read twice: the middle window is the candidate nearest the
    # middle. 100,000 characters, middle at 50,000: candidates at 6,000 x 2^k -> 48,000.
    from costcalc.tokens.textkind import WINDOW

    w = ts._Windows(stream=True)
    text = "".join(f"{i:09d}\n" for i in range(10_000))  # 100,000 characters
    for i in range(0, len(text), 997):
        w.add(text[i : i + 997])
    centre = 3 * WINDOW // 2 * 8  # 48,000
    assert w.nearest_middle() == text[centre - WINDOW // 2 : centre + WINDOW // 2]


def _run(args, **kw):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run(
        [sys.executable, "-m", "costcalc", *args], capture_output=True, env=env, **kw
    )


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_dev_zero_is_refused_at_once():
    # An endless binary stream: refused at its first block (no timeout involved: the old
    # reader never returned at all).
    got = _run(["tokens", "/dev/zero"])
    assert got.returncode == 2
    assert got.stderr.decode() == (
        "costcalc tokens: error: /dev/zero looks binary (a NUL byte at offset 0); "
        "pass text files only\n"
    )


def test_binary_and_undecodable_bytes_name_the_file_and_the_offset(cli, tmp_path, monkeypatch):
    monkeypatch.setattr(ts, "BLOCK", 1000)
    late = tmp_path / "late.bin"
    late.write_bytes(b"x" * 2_500 + b"\0")
    code, _, err = cli("tokens", str(late))
    assert code == 2 and f"{late} looks binary (a NUL byte at offset 2,500)" in err
    # "é" is 2 bytes in UTF-8; the one at 999-1000 straddles the first block's end and is
    # fine. The lone 0xff at 1,500 is not UTF-8.
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"a" * 999 + "é".encode() + b"b" * 499 + b"\xff")
    code, _, err = cli("tokens", str(bad))
    assert code == 2 and "byte 0xff at offset 1500" in err
    code, _, err = cli("tokens", str(bad), "--encoding", "klingon")
    assert code == 2 and "unknown text encoding 'klingon'" in err


def test_standard_input_counts_as_the_file_does(tmp_path):
    sample = REPO / "README.md"
    by_file = _run(["tokens", str(sample), "--format", "csv"])
    by_pipe = _run(["tokens", "-", "--format", "csv"], input=sample.read_bytes())
    assert by_file.returncode == by_pipe.returncode == 0
    # Same cl100k count, bytes and bands: only the label differs.
    assert (
        by_file.stdout.decode().splitlines()[1].split(",")[1:]
        == (by_pipe.stdout.decode().splitlines()[1].split(",")[1:])
    )


def test_a_byte_order_mark_is_skipped_as_every_reader_does(tmp_path):
    # The BOM is not text: the count, size and digest are those of the text after it, as
    # read_text (costcalc.files.inputs) reports them.
    encoder = load_cl100k()
    plain, marked = tmp_path / "plain.txt", tmp_path / "marked.txt"
    plain.write_bytes(b"hello world\n")
    marked.write_bytes(b"\xef\xbb\xbfhello world\n")
    a, b = ts.count_file(plain, "utf-8", encoder), ts.count_file(marked, "utf-8", encoder)
    assert (
        (a.cl100k, a.size, a.digest)
        == (b.cl100k, b.size, b.digest)
        == (
            3,  # "hello", " world", "\n"
            12,
            read_text(marked).digest,
        )
    )
    only = tmp_path / "only.txt"
    only.write_bytes(b"\xef\xbb\xbf")
    assert ts.count_file(only, "utf-8", encoder).cl100k == 0


def test_a_mark_delivered_in_pieces_by_a_pipe(monkeypatch, tmp_path):
    # A pipe may hand over the three bytes of the mark one at a time.
    import io

    class Trickle(io.BytesIO):
        def read(self, size=-1):
            return super().read(1 if self.tell() < 3 else size)

    source = Trickle(b"\xef\xbb\xbfab\ncd\n")
    blocks = list(ts._blocks(source, "-", skip_bom=True))
    assert b"".join(blocks) == b"ab\ncd\n"


def test_standard_input_uses_the_nearest_middle_window(small_blocks, tmp_path, monkeypatch):
    # Through /dev/stdin (a stream): the count is the file's; only the kind's middle window
    # is the nearest candidate.
    encoder = load_cl100k()
    text = "".join(f"line {i}: some words here\n" for i in range(3000))
    f = tmp_path / "t.txt"
    f.write_text(text)
    with open(f, "rb") as stdin:
        got = subprocess.run(
            [sys.executable, "-m", "costcalc", "tokens", "-", "--format", "csv"],
            stdin=stdin,
            capture_output=True,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )
    assert got.returncode == 0, got.stderr
    assert got.stdout.decode().splitlines()[1].split(",")[2] == str(
        len(encoder.encode_ordinary(text))
    )
    monkeypatch.setattr("costcalc.files.inputs.is_stream", lambda path: True)
    assert ts.count_file(f, "utf-8", encoder).cl100k == len(encoder.encode_ordinary(text))
