"""pydantic's problems with a plan or pricing file, as costcalc codes and figures.

pydantic words each problem in its own English ("Decimal input should be an integer, float,
string or Decimal object"); users read costcalc's words instead, from messages, so the readers
of plan files (read/plans.py) and pricing files (prices/schema.py) hand over what pydantic
found as data: a problem code and its figures. The codes, by pydantic's error `type` (its list:
https://docs.pydantic.dev/latest/errors/validation_errors/):

- `missing`: a required key is absent.
- `unknown_key`: a key the file format does not have (`extra_forbidden`, and
  `unexpected_keyword_argument` from the pydantic dataclasses of the price tables).
- `wrong_kind`: a value of the wrong kind (`int_type`, `decimal_parsing`, `bool_type`, ...);
  `kind` says what was expected.
- `bound`: a number past a limit (`greater_than`, `less_than_equal`, ...); `bound` says which
  (gt, ge, lt, le) and `limit` the limit.
- `too_short` / `too_long`: a list or text of the wrong length; `limit`, and `text` for text.
- `too_many_decimals`, `not_finite` (NaN or infinity), `not_a_choice` (with `choices`, each
  allowed value as Python writes it: '5m', 1).
- `coded`: costcalc's own validators raise CodedValueError (a code and figures from
  messages); its `code` and `figures` are passed on as they are.
- `invalid`: any other type; the message still names the field and shows the value.

Every problem but `missing` carries the `value` pydantic was given."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# What each kind of value is called, by the first word of pydantic's `*_type`/`*_parsing` type.
_KINDS = {
    "int": "int",
    "float": "number",
    "decimal": "number",
    "string": "text",
    "bool": "bool",
    "date": "date",
    "datetime": "date",
    "dict": "mapping",
    "model": "mapping",
    "model_attributes": "mapping",
    "dataclass": "mapping",
    "dataclass_exact": "mapping",
    "mapping": "mapping",
    "list": "list",
    "tuple": "list",
    "set": "list",
    "frozen_set": "list",
    "iterable": "list",
}
_WRONG_KIND = re.compile(
    r"(?P<kind>[a-z_]+?)_(?:type|parsing|parsing_size|from_float|from_datetime_parsing|"
    r"from_datetime_inexact)"
)
_BOUNDS = {
    "greater_than": "gt",
    "greater_than_equal": "ge",
    "less_than": "lt",
    "less_than_equal": "le",
}
_MISSING = {
    "missing",
    "missing_argument",
    "missing_keyword_only_argument",
    "missing_positional_only_argument",
}
_UNKNOWN_KEY = {"extra_forbidden", "unexpected_keyword_argument"}
# pydantic's `expected` for a Literal: the allowed values' reprs, "'5m' or '1h'", "1".
_CHOICE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|[^\s,'\"]+")


def field_problem(error: Mapping[str, Any]) -> tuple[str, dict[str, Any]]:
    """The problem code and figures of one of pydantic's errors (ValidationError.errors())."""
    kind = error["type"]
    ctx = error.get("ctx") or {}
    value = error.get("input")
    if kind in _MISSING:
        return "missing", {}
    if kind in ("value_error", "assertion_error"):
        inner = ctx.get("error")
        code, figures = getattr(inner, "code", None), getattr(inner, "figures", None)
        if isinstance(code, str) and isinstance(figures, Mapping):
            return "coded", {"code": code, "figures": dict(figures), "value": value}
        return "invalid", {"value": value}
    return _constraint(kind, ctx, value)


def _constraint(kind: str, ctx: Mapping[str, Any], value: Any) -> tuple[str, dict[str, Any]]:
    """A problem of a built-in constraint, from the type's name and its context."""
    figures: dict[str, Any] = {"value": value}
    if kind in _UNKNOWN_KEY:
        return "unknown_key", figures
    if kind in _BOUNDS:
        bound = _BOUNDS[kind]
        return "bound", {**figures, "bound": bound, "limit": ctx.get(bound)}
    if kind in ("too_short", "string_too_short"):
        return "too_short", {**figures, "limit": ctx.get("min_length"), "text": kind != "too_short"}
    if kind in ("too_long", "string_too_long"):
        return "too_long", {**figures, "limit": ctx.get("max_length"), "text": kind != "too_long"}
    if kind == "decimal_max_places":
        return "too_many_decimals", {**figures, "places": ctx.get("decimal_places")}
    if kind == "finite_number":
        return "not_finite", figures
    if kind == "literal_error":
        choices = [c for c in _CHOICE.findall(str(ctx.get("expected", ""))) if c != "or"]
        if choices:
            return "not_a_choice", {**figures, "choices": choices}
        return "invalid", figures
    wrong = _WRONG_KIND.fullmatch(kind)
    if wrong and wrong["kind"] in _KINDS:
        return "wrong_kind", {**figures, "kind": _KINDS[wrong["kind"]]}
    return "invalid", figures
