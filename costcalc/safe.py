"""Making untrusted text inert: names, ids and messages from files and arguments pass through
here before they reach a terminal, and through `csv_cell` before they reach a CSV file (which
is read in a terminal too, and in a spreadsheet).

render.py puts such text into rich `Text` objects (never parsed as markup) after `plain_inert`;
`inert` also escapes markup, for the rare string that must be interpolated into markup.

A file name or custom_id must not be read as rich markup (`[link=...]` becomes a live link),
move the cursor, rewrite a line with a carriage return, or reorder text with a bidi override.
JSON output needs none of this: the JSON encoder escapes what it must and keeps the text exact.
"""

from __future__ import annotations

import re

# C0 controls (tab and newline included: a name is one line), DEL, C1 controls, and the
# Unicode bidi embeddings, overrides and isolates (Trojan Source, CVE-2021-42574), plus the
# line and paragraph separators that some terminals treat as newlines.
_CONTROLS = re.compile(
    "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]"
)


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def inert(text: object) -> str:
    """`text` with control and bidi characters shown as escapes and rich markup escaped."""
    shown = _CONTROLS.sub(_visible, str(text))
    if "[" not in shown and not shown.endswith("\\"):
        return shown
    # rich reads "[" as the start of a tag unless an odd number of backslashes precede it:
    # double each run of backslashes before a "[" and add one. A trailing backslash would
    # escape whatever markup follows the interpolated text, so it is doubled too.
    shown = _BRACKET.sub(lambda m: m.group(1) * 2 + "\\[", shown)
    return _TRAILING.sub(lambda m: m.group(1) * 2, shown)


_BRACKET = re.compile(r"(\\*)\[")
_TRAILING = re.compile(r"(\\+)$")


def plain_inert(text: object) -> str:
    """`text` with control and bidi characters shown as escapes, for output that is not
    interpreted as markup (stderr lines, rich Text objects)."""
    return _CONTROLS.sub(_visible, str(text))


# The same characters less tab and newline, which an HTML page's own markup uses.
_PAGE_CONTROLS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c\u2028\u2029]"
)


def page_inert(text: str) -> str:
    """A whole page (HTML, SVG) with control and bidi characters shown as escapes: html.escape
    leaves an ESC or BEL in place, and `cat report.html` would then run it in a terminal."""
    return _PAGE_CONTROLS.sub(_visible, text)


# OWASP "CSV injection": a cell a spreadsheet would read as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def csv_cell(value: object) -> object:
    """A CSV cell a spreadsheet shows as text and a terminal shows as it is (`cat out.csv`):
    control and bidi characters become escapes as in the tables (plain_inert), and a text cell
    starting with = + - @ is prefixed with a single quote. Numbers (ints, Decimals, and text
    that is a plain number such as '-0.50') are left alone so spreadsheets still parse them.
    JSON keeps the exact text."""
    if not isinstance(value, str):
        return value
    value = plain_inert(value)
    if not value.startswith(_FORMULA_START):
        return value
    if _NUMBER.match(value):
        return value
    return "'" + value
