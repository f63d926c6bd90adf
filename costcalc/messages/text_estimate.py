"""The words of estimate, sweep, plan, models, tokens and notices tables (present/estimate_table and
the other small tables).

By code; messages.text says how an entry is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {}
