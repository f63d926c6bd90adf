"""The words of the value workbooks of check and actual (present/xlsxbook, reportbook).

By code; messages.text says how an entry is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {}
