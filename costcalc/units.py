"""Parsing what people type for token counts and money: '80k', '1.5M', '80_000', '$1,200'.

Strict on purpose (a typo must not become a different number): commas only as thousands
separators in groups of three ('1,200', not '100,1000' or '1,2,3'); underscores only between
digits; a count is whole ('80.000' is not 80 tokens; '1.5M' is 1,500,000); and every value has a
ceiling far above anything real, so that money stays exact (see MAX_USD).
"""

from __future__ import annotations

import re
from decimal import Decimal

from costcalc.errors import CodedValueError

_SUFFIXES = {"": 1, "k": 10**3, "m": 10**6, "b": 10**9}
# Ceilings: far beyond any real job (a batch holds 100,000 requests; the largest context
# window is about 1M tokens), low enough that a total (requests x tokens x a rate with a few
# decimals) stays well inside Decimal's 28 significant digits: 1e10 x 1e9 x $75/MTok is
# $7.5e14, 15 digits before the point and at most ~10 after it.
MAX_REQUESTS = 10**10
MAX_TOKENS = 10**9
MAX_COUNT = MAX_TOKENS  # kept for callers that imported it
MAX_USD = Decimal(10) ** 15
MAX_USD_PLACES = 10

_BODY = re.compile(
    r"""^(?:
        \d{1,3}(?:,\d{3})+        # 1,200  12,345,678
      | \d+(?:_\d+)*              # 1200   1_200
    )(?:\.\d+)?$""",
    re.VERBOSE | re.ASCII,  # ASCII digits only: "１２" is not 12
)
_LIMITS = {"requests": MAX_REQUESTS, "cache_writes": MAX_REQUESTS}


def _number(text: str) -> Decimal | None:
    """The value of digits with optional separators and decimals, or None when malformed."""
    if not _BODY.match(text):
        return None
    return Decimal(text.replace(",", "").replace("_", ""))


def parse_count(text: str, what: str = "tokens") -> int:
    """A whole, non-negative count: '80000', '80_000', '80,000', '80k', '1.5M', '0.2b'. `what`
    names what is counted (tokens, requests, cache_writes) for its ceiling and the messages."""
    raw = text.strip()
    suffix = raw[-1:].lower() if raw[-1:].isalpha() else ""
    if raw.startswith("-") and _number(raw[1 : len(raw) - len(suffix)]) is not None:
        raise CodedValueError("count_text_negative", what=what, text=text)
    value = _number(raw[: len(raw) - len(suffix)]) if suffix in _SUFFIXES else None
    if value is None:
        raise CodedValueError("count_text_not_number", what=what, text=text)
    if not suffix and "." in raw:
        raise CodedValueError("count_text_has_decimals", what=what, text=text)
    value *= _SUFFIXES[suffix]
    if value != value.to_integral_value():
        raise CodedValueError("count_text_not_whole", what=what, text=text)
    limit = _LIMITS.get(what, MAX_TOKENS)
    if value > limit:
        raise CodedValueError("count_text_too_large", what=what, text=text, limit=limit)
    return int(value)


def check_count(value: int, what: str = "tokens") -> int:
    """A count that came as a number (a plan file): the same ceiling as parse_count."""
    limit = _LIMITS.get(what, MAX_TOKENS)
    if value > limit:
        raise CodedValueError("count_too_large", what=what, value=value, limit=limit)
    return value


def parse_usd(text: str) -> Decimal:
    """A non-negative USD amount: '250', '250.50', '$1,200', '1_000'."""
    raw = text.strip().removeprefix("$").strip()
    if raw.startswith("-") and _number(raw[1:].lstrip("$")) is not None:
        raise CodedValueError("usd_negative", text=text)
    value = _number(raw)
    if value is None:
        raise CodedValueError("usd_not_number", text=text)
    if value > MAX_USD:
        raise CodedValueError("usd_too_large", text=text)
    if -value.as_tuple().exponent > MAX_USD_PLACES:  # type: ignore[operator]
        raise CodedValueError("usd_too_many_decimals", text=text, places=MAX_USD_PLACES)
    return value
