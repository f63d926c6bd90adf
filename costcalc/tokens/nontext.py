"""One non-text block's tokens: the `Counted` every rule of costcalc.tokens.images, .documents
and .tools returns (a token band, and a stable problem code when the block could not be
measured exactly). Nothing unmeasurable is ever 0: it gets a range up to the documented cap.
"""

from __future__ import annotations

from dataclasses import dataclass

from costcalc.tokens.bands import Band


@dataclass(frozen=True)
class Counted:
    """Tokens of one block: a band, and a problem code when it is not measured exactly."""

    band: Band
    code: str | None = None  # e.g. "not_measurable_offline", "image_unreadable"


def span(low: int, central: int, high: int) -> Band:
    """An estimated (inexact) band."""
    return Band(low, central, high, False)
