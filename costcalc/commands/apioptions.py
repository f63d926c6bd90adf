"""The Python API's options read and checked: each wrong value is one CostcalcError that names
the Python parameter (never a CLI flag), so a caller sees what to fix where they wrote it."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from costcalc.errors import CodedError, CodedPricingError, CodedValueError, PricingError
from costcalc.files.inmemory import InMemory
from costcalc.prices.load import load_pricing
from costcalc.prices.model import Pricing
from costcalc.units import check_count, parse_usd


def source(items: Any, name: str) -> Any:
    """A Path for a path, an InMemory for an iterable of items."""

    if isinstance(items, (str, os.PathLike)):
        return Path(items)
    if isinstance(items, (bytes, bytearray, Mapping)) or not isinstance(items, Iterable):
        param = name.strip("<>")
        mapping = isinstance(items, Mapping)
        raise CodedError("api_not_iterable", param=param, got=type(items).__name__, one=mapping)
    return InMemory(items, name)


def pricing_of(pricing: Any) -> Pricing:
    """A Pricing as given, or loaded from a pricing file path (None: the bundled prices)."""

    if isinstance(pricing, Pricing):
        return pricing
    if pricing is not None and not isinstance(pricing, (str, os.PathLike)):
        raise CodedError("api_pricing_type", got=type(pricing).__name__)
    try:
        return load_pricing(None if pricing is None else Path(pricing))
    except PricingError as exc:
        # The loader's advice names the CLI's flag; here the caller wrote pricing=.
        raise CodedPricingError("api_pricing_failed", error=str(exc)) from None


def _text(value: Any) -> str:
    # A float is read from its shortest repr (0.9 -> "0.9"), as the user wrote it: never
    # through binary arithmetic.
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise CodedValueError("api_value_not_number", value=value)
    return str(value)


def share(value: Any, name: str) -> Decimal | None:
    """A share from 0 to 1 (hit rate, output ratio), read as the CLI reads it."""
    if value is None:
        return None

    try:
        share = Decimal(_text(value).strip())
    except (ValueError, InvalidOperation):
        raise CodedError("api_share_not_number", name=name, value=value) from None
    if not share.is_finite() or not 0 <= share <= 1:
        raise CodedError("api_share_out_of_range", name=name, value=value)
    if share.as_tuple().exponent < -10:  # type: ignore[operator]
        # More digits would be rounded away by Decimal's 28-digit products, not used.
        raise CodedError("api_share_too_precise", name=name, value=value)
    return share


def usd(value: Any) -> Decimal | None:
    if value is None:
        return None

    try:
        return parse_usd(_text(value))
    except ValueError as exc:
        raise CodedError("api_budget_invalid", error=str(exc)) from None


def tokens(value: Any, name: str) -> int | None:
    if value is None:
        return None

    if type(value) is not int or value < 0:
        raise CodedError("api_tokens_not_whole", name=name, value=value)
    try:
        return check_count(value)
    except ValueError as exc:
        raise CodedError("api_tokens_invalid", name=name, error=str(exc)) from None


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
    raise CodedError("api_not_a_date", name=name, value=value)


def flag(value: Any, name: str) -> bool:
    """A yes/no option: True or False only (a string "no" is truthy, so it is refused)."""
    if not isinstance(value, bool):
        raise CodedError("api_not_bool", name=name, value=value)
    return value


def choice(value: Any, name: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise CodedError("api_not_a_choice", name=name, allowed=list(allowed), value=value)
    return value


def text(value: Any, name: str) -> str:
    """A non-empty string (a batch id)."""
    if not isinstance(value, str) or not value.strip():
        raise CodedError("api_not_text", name=name, value=value)
    return value.strip()


def client(value: Any, batch_id: str | None) -> Any:
    """An SDK client for fetching results: anything with `.messages.batches` (anthropic's
    Anthropic or a client built the same way); only meaningful with a batch_id."""
    if value is None:
        return None
    if batch_id is None:
        raise CodedError("api_client_without_batch_id")
    if not hasattr(getattr(value, "messages", None), "batches"):
        raise CodedError("api_client_type", got=type(value).__name__)
    return value
