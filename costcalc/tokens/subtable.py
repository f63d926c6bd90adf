"""Exact cl100k_base counts of a few short texts without building the whole encoder.

tiktoken's encoder (its Rust CoreBPE) takes about 1 microsecond per rank-table entry to build:
some 50 ms for cl100k_base's 100,256 tokens, more than the rest of a one-request `check`. A
few short texts only ever use a few thousand of those tokens, and an encoder built from just
those counts them exactly, in a few milliseconds:

- tiktoken first splits a text into pieces with cl100k_base's pattern (tiktoken_ext/
  openai_public.py, https://github.com/openai/tiktoken): a contraction (an apostrophe and
  s, d, m, t, ll, ve or re), an optional non-letter, non-digit character followed by letters,
  one to three digits, punctuation runs, whitespace runs. Then it merges each piece's bytes
  pair by pair, always the adjacent pair whose joined bytes have the lowest rank, looking up
  only substrings of that piece (byte_pair_encode in tiktoken's src/lib.rs).
- So no piece holds a letter followed by a non-letter, or a digit followed by a non-digit. In
  ASCII text (where the pattern's letters are A-Z and a-z and its digits 0-9) cutting after
  every run of letters and every run of digits gives chunks made of whole pieces.
- A table holding every cl100k_base token that occurs inside a chunk, with its own rank,
  therefore makes exactly the merges the whole table makes, and the same token ids.

Texts that are not ASCII, hold a chunk over MAX_CHUNK bytes (long runs of spaces or
punctuation make the substring search slow), or come after BUDGET_BYTES or BUDGET_TEXTS of
them, are counted by the whole encoder, built once. tests/test_subtable.py compares the two
on generated and real texts.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Protocol

from costcalc.tokens.cl100k import cl100k_spec, load_cl100k, load_packed

if TYPE_CHECKING:
    from tiktoken import Encoding

    from costcalc.tokens.rankfile import Packed

# The longest cl100k_base token is 128 bytes (tests/test_subtable.py checks the table).
LONGEST_TOKEN = 128
# Beyond these, one whole encoder (~75 ms: the rank dict, then tiktoken's build) is cheaper
# than more small ones (each 2-5 ms to build, after a substring search of ~0.5 ms per kB of
# distinct chunks, a binary search in the packed table per substring).
BUDGET_BYTES = 64_000
BUDGET_TEXTS = 8
MAX_CHUNK = 512
# cl100k_base's split pattern (tiktoken_ext/openai_public.py) the reasoning above is about; if
# a tiktoken release ever splits differently, every text goes to the whole encoder.
PATTERN = (
    r"""'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+"""
    r"""|\s++$|\s*[\r\n]|\s+(?!\S)|\s"""
)
# A run of non-letters, non-digits ending in one run of letters or of digits, or a trailing
# run of non-letters, non-digits: every ASCII text is a sequence of these.
_CHUNK = re.compile(rb"[^A-Za-z0-9]*(?:[A-Za-z]+|[0-9]+)|[^A-Za-z0-9]+")


def _used_tokens(data: bytes, ranks: Packed) -> dict[bytes, int] | None:
    """Every token of `ranks` inside a chunk of `data` (module docstring), None if a chunk is
    too long to search."""
    used: dict[bytes, int] = {}
    for chunk in set(_CHUNK.findall(data)):
        n = len(chunk)
        if n > MAX_CHUNK:
            return None
        for start in range(n):
            for end in range(start + 1, min(n, start + LONGEST_TOKEN) + 1):
                piece = chunk[start:end]
                rank = ranks.get(piece)
                if rank is not None:
                    used[piece] = rank
    return used


class Encoder(Protocol):
    """What counting needs of an encoder: tiktoken's Encoding, or a Cl100kCounter."""

    def encode_ordinary(self, text: str) -> list[int]: ...


class Cl100kCounter:
    """cl100k_base token counts (a callable: text -> count) and token ids (encode_ordinary),
    exactly those of tiktoken's whole encoder (module docstring)."""

    def __init__(self) -> None:
        self._whole: Encoding | None = None
        self._bytes = 0
        self._texts = 0

    def __call__(self, text: str) -> int:
        return len(self.encode_ordinary(text))

    def encode_ordinary(self, text: str) -> list[int]:
        if self._whole is None:
            tokens = self._encode_small(text)
            if tokens is not None:
                return tokens
            self._whole = load_cl100k()
        return self._whole.encode_ordinary(text)

    def _encode_small(self, text: str) -> list[int] | None:
        if not text:
            return []
        if not text.isascii():
            return None
        self._bytes += len(text)
        self._texts += 1
        if self._bytes > BUDGET_BYTES or self._texts > BUDGET_TEXTS:
            return None
        used = _used_tokens(text.encode("ascii"), load_packed())
        if used is None:
            return None
        spec = cl100k_spec(used)
        if spec["pat_str"] != PATTERN:
            return None
        spec.pop("explicit_n_vocab", None)  # the vocabulary is a part of the whole one
        import tiktoken

        return tiktoken.Encoding(**spec).encode_ordinary(text)
