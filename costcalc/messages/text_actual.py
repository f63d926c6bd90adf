"""The words of actual, reconcile and the many-file report's table (present/actual_table, reconcile,
reportview) and the commands' own words.

By code; messages.text says how an entry is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {}
