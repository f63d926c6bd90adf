"""The one JSON encoder: money at full precision as a decimal string, and `schema_version`
in every document.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any

from costcalc.fmt import plain
from costcalc.messages.text import text

# The JSON contract's version: every document carries it at the top level. Bump it only for a
# change a consumer must handle (a field renamed, removed or retyped); new fields do not.
SCHEMA_VERSION = 1


def _json_default(value: Any) -> Any:
    """What json cannot encode by itself: money at full precision as a decimal string."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(text("json.no_form", type=type(value).__name__))


def to_json(doc: dict[str, Any]) -> str:
    """The one JSON encoder: every command's document, with `schema_version` at the top level
    (after `costcalc_version`)."""
    if "schema_version" not in doc:
        items = list(doc.items())
        at = 1 if items and items[0][0] == "costcalc_version" else 0
        doc = dict([*items[:at], ("schema_version", SCHEMA_VERSION), *items[at:]])
    return json.dumps(doc, indent=2, default=_json_default) + "\n"
