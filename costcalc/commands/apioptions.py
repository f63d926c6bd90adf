"""The Python API's options read and checked: each wrong value is one CostcalcError that names
the Python parameter (never a CLI flag), so a caller sees what to fix where they wrote it."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.errors import CostcalcError, PricingError

if TYPE_CHECKING:
    from costcalc.prices.model import Pricing


def source(items: Any, name: str) -> Any:
    """A Path for a path, an InMemory for an iterable of items."""
    from costcalc.files.inmemory import InMemory

    if isinstance(items, (str, os.PathLike)):
        return Path(items)
    if isinstance(items, (bytes, bytearray, Mapping)) or not isinstance(items, Iterable):
        what = "one dict" if isinstance(items, Mapping) else type(items).__name__
        param = name.strip("<>")
        raise CostcalcError(
            f"{param}: expected an iterable of {param} (dicts, as the Batches API takes "
            f"them) or a file path, got {what}"
            + ("; wrap it in a list" if what == "one dict" else "")
        )
    return InMemory(items, name)


def pricing_of(pricing: Any) -> Pricing:
    """A Pricing as given, or loaded from a pricing file path (None: the bundled prices)."""
    from costcalc.prices.load import load_pricing
    from costcalc.prices.model import Pricing

    if isinstance(pricing, Pricing):
        return pricing
    if pricing is not None and not isinstance(pricing, (str, os.PathLike)):
        raise CostcalcError(
            f"pricing: expected a costcalc.Pricing or a pricing file path, got "
            f"{type(pricing).__name__}"
        )
    try:
        return load_pricing(None if pricing is None else Path(pricing))
    except PricingError as exc:
        # The loader's advice names the CLI's flag; here the caller wrote pricing=.
        raise PricingError(str(exc).replace("--pricing", "pricing=")) from None


def _text(value: Any) -> str:
    # A float is read from its shortest repr (0.9 -> "0.9"), as the user wrote it: never
    # through binary arithmetic.
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise ValueError(f"{value!r} is not a number")
    return str(value)


def share(value: Any, name: str) -> Decimal | None:
    """A share from 0 to 1 (hit rate, output ratio), read as the CLI reads it."""
    if value is None:
        return None
    from decimal import InvalidOperation

    try:
        share = Decimal(_text(value).strip())
    except (ValueError, InvalidOperation):
        raise CostcalcError(f"{name}: {value!r} is not a number from 0 to 1") from None
    if not share.is_finite() or not 0 <= share <= 1:
        raise CostcalcError(f"{name} must be from 0 to 1, got {value!r}")
    if share.as_tuple().exponent < -10:  # type: ignore[operator]
        # More digits would be rounded away by Decimal's 28-digit products, not used.
        raise CostcalcError(f"{name} takes at most 10 decimals (got {value!r})")
    return share


def usd(value: Any) -> Decimal | None:
    if value is None:
        return None
    from costcalc.units import parse_usd

    try:
        return parse_usd(_text(value))
    except ValueError as exc:
        raise CostcalcError(f"budget: {exc}") from None


def tokens(value: Any, name: str) -> int | None:
    if value is None:
        return None
    from costcalc.units import check_count

    if type(value) is not int or value < 0:
        raise CostcalcError(f"{name}: {value!r} is not a whole number of tokens (0 or more)")
    try:
        return check_count(value)
    except ValueError as exc:
        raise CostcalcError(f"{name}: {exc}") from None


def day(value: Any, name: str = "on") -> date | None:
    """The date whose prices apply: a date, a datetime (its date) or an ISO date string
    ("2026-06-01"); None is today, decided by the caller."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise CostcalcError(
        f"{name}: {value!r} is not a date; give a datetime.date or an ISO date such as '2026-06-01'"
    )


def flag(value: Any, name: str) -> bool:
    """A yes/no option: True or False only (a string "no" is truthy, so it is refused)."""
    if not isinstance(value, bool):
        raise CostcalcError(f"{name} is True or False, not {value!r}")
    return value


def choice(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        listed = " or ".join(repr(a) for a in allowed)
        raise CostcalcError(f"{name} is {listed}, not {value!r}")
    return value


def text(value: Any, name: str) -> str:
    """A non-empty string (a batch id)."""
    if not isinstance(value, str) or not value.strip():
        raise CostcalcError(f"{name}: {value!r} is not a non-empty string")
    return value.strip()


def client(value: Any, batch_id: str | None) -> Any:
    """An SDK client for fetching results: anything with `.messages.batches` (anthropic's
    Anthropic or a client built the same way); only meaningful with a batch_id."""
    if value is None:
        return None
    if batch_id is None:
        raise CostcalcError("client is used to fetch the results of a batch_id; give batch_id")
    if not hasattr(getattr(value, "messages", None), "batches"):
        raise CostcalcError(
            "client: expected an anthropic.Anthropic() client (with .messages.batches), got "
            f"{type(value).__name__}"
        )
    return value
