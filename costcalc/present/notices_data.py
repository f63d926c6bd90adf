"""Warnings and problems in JSON: the same object in every command's `notices`."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from costcalc.fmt import plain
from costcalc.messages import render as render_message
from costcalc.notices import Notice


def json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    return value


def notice_dict(n: Notice) -> dict[str, Any]:
    """One warning or problem in JSON, the same shape in every command's `notices`:
    {"code", "severity", "message", "figures", "lines"}."""
    return {
        "code": n.code,
        "severity": n.severity.value,
        "message": render_message(n),
        "figures": {k: json_safe(v) for k, v in n.figures.items()},
        "lines": list(n.lines),
    }


def notices_list(notices: Iterable[Notice]) -> list[dict[str, Any]]:
    return [notice_dict(n) for n in notices]
