"""Parsing what people type for token counts and money: '80k', '1.5M', '80_000', '$1,200'."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

_SUFFIXES = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9}
# Far beyond any batch (100,000 requests x 1M tokens is 1e11); stops '1e999999' from
# becoming a million-digit integer.
MAX_COUNT = 10**15


def _number(text: str) -> Decimal:
    cleaned = text.strip().replace("_", "").replace(",", "")
    value = Decimal(cleaned)  # raises InvalidOperation
    if not value.is_finite():
        raise InvalidOperation(text)
    return value


def parse_count(text: str, what: str = "tokens") -> int:
    """A whole, non-negative count: '80000', '80_000', '80,000', '80k', '1.5M', '2b'."""
    raw = text.strip()
    suffix = raw[-1:].lower() if raw[-1:].isalpha() else ""
    if suffix not in _SUFFIXES:
        raise ValueError(f"{text!r} is not a number of {what} (use e.g. 80000, 80k or 1.5M)")
    try:
        value = _number(raw[: len(raw) - len(suffix)]) * _SUFFIXES[suffix]
    except InvalidOperation:
        raise ValueError(
            f"{text!r} is not a number of {what} (use e.g. 80000, 80k or 1.5M)"
        ) from None
    if value < 0:
        raise ValueError(f"{what} cannot be negative (got {text!r})")
    if value > MAX_COUNT:
        raise ValueError(f"{text!r} is too large for a number of {what}")
    if value != value.to_integral_value():
        raise ValueError(f"{text!r} is not a whole number of {what}")
    return int(value)


def parse_usd(text: str) -> Decimal:
    """A non-negative USD amount: '250', '250.50', '$1,200', '1_000'."""
    raw = text.strip().removeprefix("$").strip()
    try:
        value = _number(raw)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount in USD (use e.g. 250 or 1200.50)") from None
    if value < 0:
        raise ValueError(f"a budget cannot be negative (got {text!r})")
    return value
