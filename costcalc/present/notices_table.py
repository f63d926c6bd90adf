"""Warnings under a table, one "warning: ..." line each."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from costcalc.messages import render as render_message
from costcalc.notices import Notice
from costcalc.safe import plain_inert


def warnings_text(warnings: Iterable[Notice]) -> Text | None:
    items = [render_message(w) for w in warnings]
    if not items:
        return None
    text = Text()
    for i, warning in enumerate(items):
        text.append(("\n" if i else "") + "warning: ", style="bold yellow")
        text.append(plain_inert(warning))
    return text
