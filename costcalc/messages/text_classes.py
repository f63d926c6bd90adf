"""The names people read for the token classes (costcalc.names.TokenClass), in billing order:
every table row, chart series and workbook label that names a class asks for `class.<class>`.
JSON and CSV carry the classes' identifiers, never these words."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "class.input": "uncached input",
    "class.cache_write_5m": "cache write (5m)",
    "class.cache_write_1h": "cache write (1h)",
    "class.cache_read": "cache read",
    "class.output": "output",
}
