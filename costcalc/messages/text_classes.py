"""The names people read for the token classes (costcalc.names.TokenClass), in billing order:
every table row, chart series and workbook label that names a class asks for `class.<class>`.
JSON and CSV carry the classes' identifiers, never these words.

Also the names of the places costcalc reads from that are not a path: standard input (`-`) and
the Anthropic API when the SDK client names no base URL."""

from __future__ import annotations

TEXTS: dict[str, str] = {
    "class.input": "uncached input",
    "class.cache_write_5m": "cache write (5m)",
    "class.cache_write_1h": "cache write (1h)",
    "class.cache_read": "cache read",
    "class.output": "output",
    "place.standard_input": "standard input",
    "place.anthropic_api": "the Anthropic API",
}
