"""The words of estimate, sweep, plan, models, tokens and notices tables (present/estimate_table and
the other small tables).

By code; messages.text says how an entry is written. Counts that choose a noun's number arrive as
integers (a function entry writes them with thousands separators, as costcalc.fmt.tokens does);
every other number arrives already formatted by the presenter."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    # warnings under a table, and the JSON encoder's internal error
    "notices.warning": "warning:",
    "json.no_form": "no JSON form for {type}",
}
