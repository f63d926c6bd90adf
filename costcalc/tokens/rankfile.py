"""The packed rank file: a BPE rank table (token bytes -> rank) in a form Python loads fast.

tiktoken publishes its tables as text, one base64 token and its rank per line
(https://openaipublic.blob.core.windows.net/encodings/cl100k_base.tiktoken, read by
tiktoken.load.load_tiktoken_bpe). Turning 100,000 such lines into a dict decodes and parses
every line in Python, and every command that counts text pays that at start-up. The packed
form stores the same table so that one `bytes.split` (in C) yields every token, ranked by its
position:

    magic  b"costcalc-ranks\\x00v1\\n"                       18 bytes
    header count, holes (uint32 little-endian), separator    9 bytes
    holes  per hole: rank (uint32 LE), length (uint8), bytes
    body   the tokens of ranks 0 .. count-1 in rank order, joined by the separator byte;
           a token that contains the separator is left empty there (a hole) and given above

Ranks must run 0 .. count-1 without gaps (true of tiktoken's tables; `pack` refuses others)
and no token is empty, so an empty piece of the body can only be a hole. The separator is the
byte that occurs in the fewest tokens (for cl100k_base only the one-byte token itself).
Written by .ci/pack_cl100k.py from the official file; tests/test_rankfile.py proves that the
shipped file decodes to exactly the official file's ranks.
"""

from __future__ import annotations

import struct

MAGIC = b"costcalc-ranks\x00v1\n"
_HEADER = struct.Struct("<IIB")
_HOLE = struct.Struct("<IB")


class RankFileError(ValueError):
    """The bytes are not a packed rank file (wrong magic, truncated, inconsistent)."""


def pack(ranks: dict[bytes, int]) -> bytes:
    """The packed form of a rank table whose ranks run 0 .. len(ranks)-1 (module docstring)."""
    ordered = sorted(ranks, key=ranks.__getitem__)
    if [ranks[t] for t in ordered] != list(range(len(ordered))):
        raise RankFileError("ranks must run 0 .. count-1 without gaps")
    if any(not 0 < len(t) < 256 for t in ordered):
        raise RankFileError("every token must be 1 to 255 bytes")
    separator = min(range(256), key=lambda b: sum(b in t for t in ordered))
    sep = bytes([separator])
    holes = [(rank, t) for rank, t in enumerate(ordered) if sep in t]
    out = [MAGIC, _HEADER.pack(len(ordered), len(holes), separator)]
    out += [_HOLE.pack(rank, len(t)) + t for rank, t in holes]
    out.append(sep.join(b"" if sep in t else t for t in ordered))
    return b"".join(out)


def unpack(data: bytes) -> dict[bytes, int]:
    """The rank table of a packed rank file (module docstring); RankFileError if it is not one."""
    if not data.startswith(MAGIC) or len(data) < len(MAGIC) + _HEADER.size:
        raise RankFileError("not a packed rank file")
    count, nholes, separator = _HEADER.unpack_from(data, len(MAGIC))
    at = len(MAGIC) + _HEADER.size
    holes: dict[bytes, int] = {}
    for _ in range(nholes):  # a handful at most: the tokens that hold the separator
        if at + _HOLE.size > len(data):
            raise RankFileError("truncated")
        rank, length = _HOLE.unpack_from(data, at)
        at += _HOLE.size
        holes[data[at : at + length]] = rank
        at += length
    # The hot path: one split and one dict built in C (100,256 tokens for cl100k_base).
    pieces = data[at:].split(bytes([separator]))
    if len(pieces) != count:
        raise RankFileError("truncated")
    if sorted(holes.values()) != _empty_positions(pieces):
        raise RankFileError("the holes do not match the body")
    ranks = dict(zip(pieces, range(count)))
    if nholes:
        del ranks[b""]
        ranks.update(holes)
    if len(ranks) != count:
        raise RankFileError("duplicate tokens")
    return ranks


def _empty_positions(pieces: list[bytes]) -> list[int]:
    """Where the body's empty pieces (its holes) are; each search runs in C."""
    found: list[int] = []
    try:
        while True:
            found.append(pieces.index(b"", found[-1] + 1 if found else 0))
    except ValueError:
        return found
