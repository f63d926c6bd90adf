"""Warnings under a table, one "warning: ..." line each."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from costcalc.messages import render as render_message
from costcalc.messages.text import text
from costcalc.notices import Notice
from costcalc.safe import plain_inert


def warnings_text(warnings: Iterable[Notice]) -> Text | None:
    items = [render_message(w) for w in warnings]
    if not items:
        return None
    label = text("notices.warning")
    out = Text()
    for i, warning in enumerate(items):
        out.append(("\n" if i else "") + f"{label} ", style="bold yellow")
        out.append(plain_inert(warning))
    return out
