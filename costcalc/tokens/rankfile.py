"""The packed rank file: a BPE rank table (token bytes -> rank) in a form Python loads fast.

tiktoken publishes its tables as text, one base64 token and its rank per line
(https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken, read by
tiktoken.load.load_tiktoken_bpe). Turning 100,000 such lines into a dict decodes and parses
every line in Python, and every command that counts text pays that at start-up. The packed
form stores the same table so that one `bytes.split` (in C) yields every token, in byte order,
so that a few lookups can also be answered by binary search without building the dict:

    magic  b"costcalc-ranks\x00v2\n"                       18 bytes
    header count, holes (uint32 little-endian), separator    9 bytes
    holes  per hole: rank (uint32 LE), length (uint8), bytes
    ranks  count - holes ranks (uint32 LE), in the order of the body
    body   the other tokens, sorted by their bytes, joined by the separator byte

A hole is a token that contains the separator; the separator is the byte that occurs in the
fewest tokens (for cl100k_base only the one-byte token itself). No token is empty, and ranks
run 0 .. count-1 without gaps (true of tiktoken's tables; `pack` refuses others). Written by
.ci/pack_cl100k.py from the official file; tests/test_rankfile.py proves that the shipped file
decodes to exactly the official file's ranks.
"""

from __future__ import annotations

import bisect
import struct
import sys
from array import array

MAGIC = b"costcalc-ranks\x00v2\n"
_HEADER = struct.Struct("<IIB")
_HOLE = struct.Struct("<IB")


class RankFileError(ValueError):
    """The bytes are not a packed rank file (wrong magic, truncated, inconsistent)."""


def pack(ranks: dict[bytes, int]) -> bytes:
    """The packed form of a rank table whose ranks run 0 .. len(ranks)-1 (module docstring)."""
    if sorted(ranks.values()) != list(range(len(ranks))):
        raise RankFileError("ranks must run 0 .. count-1 without gaps")
    if any(not 0 < len(t) < 256 for t in ranks):
        raise RankFileError("every token must be 1 to 255 bytes")
    separator = min(range(256), key=lambda b: sum(b in t for t in ranks))
    sep = bytes([separator])
    holes = sorted((rank, t) for t, rank in ranks.items() if sep in t)
    body = sorted(t for t in ranks if sep not in t)
    order = array("I", (ranks[t] for t in body))
    if sys.byteorder == "big":
        order.byteswap()
    out = [MAGIC, _HEADER.pack(len(ranks), len(holes), separator)]
    out += [_HOLE.pack(rank, len(t)) + t for rank, t in holes]
    out += [order.tobytes(), sep.join(body)]
    return b"".join(out)


class Packed:
    """A packed rank file, parsed: its tokens in byte order and their ranks (module docstring).
    `get` answers a few lookups by binary search; `to_dict` builds the whole table."""

    def __init__(self, data: bytes) -> None:
        if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _HEADER.size:
            raise RankFileError("not a packed rank file")
        count, nholes, separator = _HEADER.unpack_from(data, len(MAGIC))
        at = len(MAGIC) + _HEADER.size
        self.holes: dict[bytes, int] = {}
        for _ in range(nholes):  # a handful at most: the tokens that hold the separator
            if at + _HOLE.size > len(data):
                raise RankFileError("truncated")
            rank, length = _HOLE.unpack_from(data, at)
            at += _HOLE.size
            self.holes[data[at : at + length]] = rank
            at += length
        rest = count - nholes
        self.ranks = array("I")
        if rest < 0 or self.ranks.itemsize != 4 or at + 4 * rest > len(data):
            raise RankFileError("truncated")
        self.ranks.frombytes(data[at : at + 4 * rest])
        if sys.byteorder == "big":
            self.ranks.byteswap()
        # One split in C: every token but the holes (100,255 of them for cl100k_base).
        self.tokens = data[at + 4 * rest :].split(bytes([separator]))
        if len(self.tokens) != rest or len(self.holes) != nholes or b"" in self.tokens:
            raise RankFileError("truncated or inconsistent")
        if any(bytes([separator]) not in t for t in self.holes):
            raise RankFileError("a hole without the separator")
        self.count = count

    def get(self, token: bytes) -> int | None:
        """The rank of `token`, None if it is not in the table (a binary search)."""
        at = bisect.bisect_left(self.tokens, token)
        if at < len(self.tokens) and self.tokens[at] == token:
            return self.ranks[at]
        return self.holes.get(token)

    def to_dict(self) -> dict[bytes, int]:
        """The whole table, token bytes -> rank (built in C: one zip of the two lists)."""
        ranks = dict(zip(self.tokens, self.ranks))
        ranks.update(self.holes)
        if len(ranks) != self.count:
            raise RankFileError("duplicate tokens")
        return ranks


def unpack(data: bytes) -> dict[bytes, int]:
    """The rank table of a packed rank file (module docstring); RankFileError if it is not one."""
    return Packed(data).to_dict()
