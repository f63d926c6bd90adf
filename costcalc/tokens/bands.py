"""Token bands: a count with its low-high uncertainty, and Claude bands from cl100k counts.

Claude's tokenizers are not published: an offline count is a cl100k_base count times the
tokenizer's calibration ratio for the text's kind (pricing.yaml `tokenizers:`), always with a
low-high band; only /v1/messages/count_tokens (costcalc.tokens.exact) is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from costcalc.messages.text import text
from costcalc.prices.model import Tokenizer


@dataclass(frozen=True)
class Band:
    """A token count with its uncertainty; low == central == high when exact."""

    low: int
    central: int
    high: int
    exact: bool = False

    @classmethod
    def of(cls, n: int) -> Band:
        return cls(n, n, n, True)


def _scaled(n: int, ratio: Decimal) -> int:
    return int((n * ratio).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def band(cl100k: int, tokenizer: Tokenizer, kind: str | None = None) -> Band:
    """Estimated Claude tokens for a cl100k_base count: ratio low, central and high, from the
    band of the text's kind when known (pricing.yaml tokenizers.*.by_kind)."""
    low, central, high = tokenizer.ratios(kind)
    return Band(_scaled(cl100k, low), _scaled(cl100k, central), _scaled(cl100k, high))


def total(bands: Sequence[Band]) -> Band:
    """The band of a sum of texts (of possibly different kinds)."""
    return Band(
        sum(b.low for b in bands),
        sum(b.central for b in bands),
        sum(b.high for b in bands),
        bool(bands) and all(b.exact for b in bands),
    )


def mean_and_max_bands(bands: Sequence[Band]) -> tuple[Band, Band]:
    """Per-request mean band (each end rounded half up) and the largest band."""

    def mean(values: list[int]) -> int:
        return int((Decimal(sum(values)) / len(values)).quantize(Decimal(1), ROUND_HALF_UP))

    m = Band(
        mean([b.low for b in bands]),
        mean([b.central for b in bands]),
        mean([b.high for b in bands]),
    )
    return m, max(bands, key=lambda b: (b.central, b.high))


def mean_and_max(counts: Sequence[int]) -> tuple[int, int]:
    """Per-request mean (rounded half up) and max of a list of counts."""
    if not counts:
        return 0, 0
    mean = (Decimal(sum(counts)) / len(counts)).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return int(mean), max(counts)


def band_text(b: Band) -> str:
    """'~116,000 (100,000-126,000)', or '116,000 (exact)' (the word from messages)."""
    if b.exact:
        return text("estimate.band_exact", tokens=f"{b.central:,}")
    return f"~{b.central:,} ({b.low:,}-{b.high:,})"
