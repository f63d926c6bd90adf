"""The words of check and warmup (present/check_table, check_html_groups, warmup_table,
warmup_data).

By code; messages.text says how an entry is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {}
