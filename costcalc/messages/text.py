"""The words of every report: table titles, column headings, legends, headlines, sheet and page
text, and the command line's --help. Presenters and the parser ask for them by code with their
figures (`text("check.title_cost")`, `text("actual.per_request", cost=...)`); the English is
written once, here and in the family tables this module merges.

A table entry is a `str.format` template (figures by name; literal braces doubled) or, where the
words depend on the figures (a plural, an optional clause), a function of the figures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from costcalc.messages import (
    text_actual,
    text_book,
    text_check,
    text_classes,
    text_estimate,
    text_help,
    text_html,
    text_sheet,
)

Entry = str | Callable[[Mapping[str, Any]], str]

FAMILIES: tuple[Mapping[str, Entry], ...] = (
    text_classes.TEXTS,
    text_estimate.TEXTS,
    text_check.TEXTS,
    text_actual.TEXTS,
    text_html.TEXTS,
    text_book.TEXTS,
    text_sheet.TEXTS,
    text_help.TEXTS,
)

TEXTS: dict[str, Entry] = {code: entry for family in FAMILIES for code, entry in family.items()}


def text(code: str, **figures: Any) -> str:
    """The words for `code`, with its figures put in."""
    entry = TEXTS[code]
    if isinstance(entry, str):
        return entry.format_map(figures)
    return entry(figures)
