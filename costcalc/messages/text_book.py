"""The words of the planning workbooks (present/workbook, planbook, valuebook).

By code; messages.text says how an entry is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {}
