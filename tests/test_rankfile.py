"""The packed cl100k_base rank table costcalc ships (costcalc.tokens.rankfile, .ci/pack_cl100k.py):
it holds exactly the official file's ranks, read by tiktoken's own reader, and is in the wheel."""

import fnmatch
import hashlib
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costcalc.errors import CostcalcError
from costcalc.tokens import cl100k
from costcalc.tokens.cl100k import (
    CL100K_SHA256,
    DATA_FILE,
    RANKS_SHA256,
    load_cl100k,
    load_packed,
    load_ranks,
)
from costcalc.tokens.rankfile import MAGIC, Packed, RankFileError, pack, unpack

ROOT = Path(__file__).resolve().parent.parent
OFFICIAL = Path(__file__).resolve().parent / "data" / "cl100k_base.tiktoken"


@pytest.fixture(scope="module")
def official_ranks():
    # tiktoken's own reader of the official text format (base64 token, rank per line), not
    # ours; an empty TIKTOKEN_CACHE_DIR stops it writing a cache copy anywhere.
    from tiktoken.load import load_tiktoken_bpe

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TIKTOKEN_CACHE_DIR", "")
        return load_tiktoken_bpe(str(OFFICIAL), expected_hash=CL100K_SHA256)


def test_the_official_file_is_the_one_tiktoken_pins():
    assert hashlib.sha256(OFFICIAL.read_bytes()).hexdigest() == CL100K_SHA256


def test_the_shipped_file_is_the_pinned_one():
    assert hashlib.sha256(DATA_FILE.read_bytes()).hexdigest() == RANKS_SHA256


def test_the_shipped_table_is_exactly_the_official_one(official_ranks):
    shipped = load_ranks()
    assert len(official_ranks) == 100_256  # cl100k_base's mergeable tokens, ranks 0-100,255
    assert shipped == official_ranks
    # Equal dicts: same tokens, same ranks. The encoder built from it is cl100k_base.
    assert load_cl100k()._mergeable_ranks == official_ranks


def test_packing_the_official_file_gives_the_shipped_bytes(official_ranks):
    assert pack(official_ranks) == DATA_FILE.read_bytes()


def test_the_maintenance_script_agrees():
    done = subprocess.run(
        [sys.executable, str(ROOT / ".ci" / "pack_cl100k.py")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_the_format_by_hand():
    # Every byte is a one-byte token (ranks 0-255), then "ab" (256) and "a\x00" (257). Byte 0
    # is in two tokens, "a" in three, "b" in two, every other byte only in its own token: the
    # separator is the first of those, byte 1, and its token (rank 1) is the one hole.
    ranks = {bytes([b]): b for b in range(256)} | {b"ab": 256, b"a\x00": 257}
    body = sorted(t for t in ranks if t != b"\x01")  # 257 tokens in byte order
    assert body[:3] == [b"\x00", b"\x02", b"\x03"] and body[96:99] == [b"a", b"a\x00", b"ab"]
    expected = (
        b"costcalc-ranks\x00v2\n"
        + struct.pack("<IIB", 258, 1, 1)  # count, holes, separator
        + struct.pack("<IB", 1, 1)  # the hole: rank 1, one byte long,
        + b"\x01"  # ... the byte itself
        + struct.pack("<257I", *(ranks[t] for t in body))  # 0, 2, 3, ... 97, 257, 256, ...
        + b"\x01".join(body)
    )
    assert pack(ranks) == expected
    assert unpack(expected) == ranks
    packed = Packed(expected)
    assert [packed.get(t) for t in (b"\x00", b"\x01", b"a", b"a\x00", b"ab", b"\xff")] == [
        0,
        1,
        97,
        257,
        256,
        255,
    ]
    assert [packed.get(t) for t in (b"", b"b\x00", b"abc", b"\xff\xff")] == [None] * 4


def test_binary_search_finds_every_cl100k_token_and_nothing_else(official_ranks):
    packed = load_packed()
    assert all(packed.get(t) == r for t, r in official_ranks.items())
    assert packed.get(b"") is None
    assert packed.get(b"hello world") is None  # two pieces: never one token
    assert packed.get(b" " * 129) is None  # longer than any token


@given(
    st.lists(st.binary(min_size=1, max_size=12), min_size=1, max_size=60, unique=True),
)
def test_pack_then_unpack_is_the_same_table(tokens):
    ranks = {t: i for i, t in enumerate(tokens)}
    assert unpack(pack(ranks)) == ranks


@given(st.lists(st.integers(0, 255), min_size=1, max_size=256, unique=True))
def test_every_separator_choice_survives(present):
    # Tables whose tokens hold many different bytes force holes for whichever byte separates.
    tokens = [bytes([b]) for b in present] + [bytes(present)] * (len(present) > 1)
    ranks = {t: i for i, t in enumerate(dict.fromkeys(tokens))}
    assert unpack(pack(ranks)) == ranks


@pytest.mark.parametrize(
    "ranks, problem",
    [
        ({b"a": 0, b"b": 2}, "without gaps"),
        ({b"a": 1}, "without gaps"),
        ({b"": 0}, "1 to 255 bytes"),
        ({b"x" * 256: 0}, "1 to 255 bytes"),
    ],
)
def test_pack_refuses_what_the_format_cannot_hold(ranks, problem):
    with pytest.raises(RankFileError, match=problem):
        pack(ranks)


def _damaged(data: bytes) -> list[bytes]:
    header = len(MAGIC)
    count, holes, sep = struct.unpack_from("<IIB", data, header)
    hole = header + 9  # one hole: rank (4 bytes), length (1), the byte
    ranks = hole + 6
    return [
        b"",
        b"IQ== 0\n",  # the official text format is not the packed one
        MAGIC,  # no header
        data[:-3],  # the last token and the separator before it cut off: one token short
        data[:hole] + data[ranks:],  # the hole's record dropped
        data[:header] + struct.pack("<IIB", count, 0, sep) + data[ranks:],  # no holes
        data[:header] + struct.pack("<IIB", count, holes + 1, sep) + data[hole:],
        data[:header] + struct.pack("<IIB", count + 10**6, holes, sep) + data[hole:],
        data[:header] + struct.pack("<IIB", count, holes, sep) + b"\x05\x00\x00\x00\x01a",
        data + bytes([sep]) + b"zz",  # one token too many
        data + bytes([sep]),  # an empty token
        MAGIC + struct.pack("<IIB", 5, 3, sep),  # three holes announced, none there
        # a "hole" that does not hold the separator (byte 1): token b"a", rank 1
        MAGIC + struct.pack("<IIB", 2, 1, 1) + struct.pack("<IB", 1, 1) + b"a" + bytes(4) + b"b",
    ]


def test_unpack_refuses_damaged_files():
    data = pack({bytes([b]): b for b in range(256)} | {b"ab": 256})
    for bad in _damaged(data):
        with pytest.raises(RankFileError):
            unpack(bad)


def test_unpack_refuses_duplicate_tokens():
    # Two pieces of the body are the same token: a table has each token once.
    data = MAGIC + struct.pack("<IIB", 2, 0, 0) + struct.pack("<2I", 0, 1) + b"a\x00a"
    with pytest.raises(RankFileError, match="duplicate"):
        unpack(data)


def test_a_tiktoken_expecting_another_file_is_refused(monkeypatch):
    # tiktoken's cl100k_base constructor names the official file's SHA-256; a release that
    # named another file would get a table that is not the one it expects.
    monkeypatch.setattr(cl100k, "CL100K_SHA256", "0" * 64)
    monkeypatch.setattr(cl100k, "_template", None)
    with pytest.raises(CostcalcError, match="this tiktoken expects cl100k_base 223921b7"):
        cl100k.cl100k_spec({b"a": 0})
    import tiktoken_ext.openai_public as public
    from tiktoken.load import load_tiktoken_bpe

    assert public.load_tiktoken_bpe is load_tiktoken_bpe  # tiktoken's own reader is back


def test_a_damaged_or_missing_file_is_refused(tmp_path):
    bad = tmp_path / "cl100k_base.ranks"
    bad.write_bytes(DATA_FILE.read_bytes()[:-1])
    with pytest.raises(CostcalcError, match=r"is damaged.*reinstall costcalc"):
        load_cl100k(bad)
    with pytest.raises(CostcalcError, match="cannot read the bundled encoding"):
        load_cl100k(tmp_path / "missing.ranks")


def test_the_packed_file_is_package_data_in_the_wheel():
    # hatch puts every file under the package into the wheel unless .gitignore or an exclude
    # drops it; .ci/run installs the wheel and counts tokens with it.
    assert DATA_FILE.parent == ROOT / "costcalc" / "data" and DATA_FILE.is_file()
    # (tomllib is Python 3.11+; costcalc supports 3.10: the section is read as text.)
    pyproject = (ROOT / "pyproject.toml").read_text()
    wheel = pyproject.split("[tool.hatch.build.targets.wheel]\n", 1)[1].split("\n[", 1)[0]
    assert wheel.strip() == 'packages = ["costcalc"]'
    relative = DATA_FILE.relative_to(ROOT).as_posix()
    for pattern in (ROOT / ".gitignore").read_text().split():
        assert not fnmatch.fnmatch(relative, pattern.rstrip("/"))
        assert not fnmatch.fnmatch(DATA_FILE.name, pattern.rstrip("/"))
