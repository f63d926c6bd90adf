"""Turning exact Decimals into text: the only place money is rounded, and only for display."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext

CENT = Decimal("0.01")


def _rounded(value: Decimal, places: int) -> Decimal:
    """`value` half-up to `places` decimals, exactly: quantize in the default 28-digit context
    fails (InvalidOperation) when the result needs more digits, so give it enough."""
    with localcontext() as ctx:
        ctx.prec = max(28, value.adjusted() + places + 2)
        return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """Full precision, no exponent, at least two decimals: '200.23', '0.020023', '4000.00'."""
    text = format(value.normalize(), "f")
    whole, _, frac = text.partition(".")
    if whole == "-0" and not frac.strip("0"):
        whole = "0"
    return f"{whole}.{frac.ljust(2, '0')}"


def usd(value: Decimal, places: int = 2) -> str:
    """'$4,000.00'; half-up, as people round money by hand."""
    rounded = _rounded(value, places)
    sign = "-" if rounded < 0 else ""
    return f"{sign}${abs(rounded):,.{places}f}"


def usd_small(value: Decimal) -> str:
    """A per-request amount: four decimals, more when needed to show three significant digits."""
    places = 4
    while places < 8 and value and abs(value) < Decimal(1).scaleb(2 - places):
        places += 1
    return usd(value, places)


def usd_auto(value: Decimal) -> str:
    """Cents for a dollar or more; below that up to four decimals, more only for tiny amounts
    (three significant digits), never padded: '$0.50', '$0.4626', '$0.00375'."""
    if abs(value) >= 1 or not value:
        return usd(value)
    text = usd_small(value)
    whole, _, frac = text.partition(".")
    return f"{whole}.{frac.rstrip('0').ljust(2, '0')}"


def rate(value: Decimal) -> str:
    """A price per MTok as published: '$6.25', '$3.125', '$0.015'."""
    return "$" + plain(value)


def pct(value: Decimal, places: int = 1) -> str:
    """A percentage (0-100) with `places` decimals: '95.0%'."""
    return f"{_rounded(value, places)}%"


def number(value: Decimal) -> str:
    """A plain quantity without padding: '4', '3.5'."""
    return format(value.normalize(), "f")


def size(n: int) -> str:
    """Bytes in decimal units, as the batch limit is stated: '3.2 GB', '256.0 MB'."""
    for unit, scale in (("GB", 9), ("MB", 6), ("kB", 3)):
        if n >= 10**scale:
            shown = _rounded(Decimal(n).scaleb(-scale), 1)
            return f"{shown} {unit}"
    return f"{n} bytes"


def tokens(value: int) -> str:
    return f"{value:,}"
