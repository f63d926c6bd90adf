"""The words of the HTML pages and SVG charts (present/htmlreport, htmltable, chart, barchart).

By code; messages.text says how an entry is written."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {}
