"""Number cells shared by the tables: counted nouns and the bars beside a cost.

Plain strings, no rich: a cell is laid out by `grid`.
"""

from __future__ import annotations

from decimal import Decimal

from costcalc import fmt

BAR_WIDTH = 20


BAR_EIGHTHS = " ▏▎▍▌▋▊▉"


def plural(n: int, word: str) -> str:
    return f"{fmt.tokens(n)} {word}{'' if n == 1 else 's'}"


def bar(fraction: Decimal) -> str:
    """A horizontal bar of BAR_WIDTH cells at most, in eighths of a cell."""
    eighths = int(fraction * BAR_WIDTH * 8)
    return "█" * (eighths // 8) + (BAR_EIGHTHS[eighths % 8] if eighths % 8 else "")
