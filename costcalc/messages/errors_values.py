"""The English of errors raised as ValueError (costcalc.errors.CodedValueError) where a ValueError
is the contract: the parsers of what people type (units, the command line's argument types,
the Python API's options), the pydantic validators of pricing and plan files, and the shared
exceptions of costcalc.errors. One line naming the problem and the fix."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from costcalc.messages.common import F, _clip, counted
from costcalc.messages.errors_read import _plan_where

# The command line's decimal arguments (cli/args.py): what each is, and the values it takes.
_DECIMALS: dict[str, tuple[str, str]] = {
    "hit_rate": ("a hit rate", "between 0 and 1, e.g. 0.9"),
    "output_ratio": ("an output ratio", "between 0 and 1, e.g. 0.3"),
    "bytes_per_token": ("a number", "a positive number up to 1000"),
}

# The order every rate table of a pricing file keeps (prices/schema.py), each broken rule.
_CACHE_RULES: dict[str, str] = {
    "write_5m_below_input": "cache_write_5m is below input",
    "write_1h_below_input": "cache_write_1h is below input",
    "read_above_input": "cache_read is above input",
    "write_1h_below_write_5m": "cache_write_1h is below cache_write_5m",
}


def _noun(f: F) -> str:
    """What a count counts, from its code: tokens, requests, cache_writes -> 'cache writes'."""
    return str(f["what"]).replace("_", " ")


def _unknown_model(f: F) -> str:
    name, suggestions = f["name"], f["suggestions"]
    if f["dated_form_of"] is not None:
        dated = f["dated_form_of"]
        return (
            f"unknown model {name!r}: Anthropic publishes no snapshot with this date; "
            f"the model's id is {dated!r} (use --model {dated})"
        )
    if f["checked"] is not None:
        hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else "."
        return (
            f"unknown model {name!r}{hint} If it is a Claude model newer than the price "
            f"table (checked {f['checked']}), copy the table ('costcalc models' ends with its "
            "path), add an entry for it under models: and pass the copy with --pricing FILE"
        )
    hint = f"; did you mean {', '.join(suggestions)}?" if suggestions else ""
    return f"unknown model {name!r}{hint} ('costcalc models' lists every model and alias)"


# What a field of a plan or pricing file takes, by the kind costcalc.fieldproblems names.
_KIND_WORDS = {
    "int": "a whole number",
    "number": "a number",
    "text": "text",
    "bool": "true or false",
    "date": "a date (YYYY-MM-DD)",
    "mapping": "a mapping (key: value)",
    "list": "a list",
}

# A bound of a number: the words before the limit.
_BOUND_WORDS = {"gt": "above", "ge": "at least", "lt": "below", "le": "at most"}


def _shown(value: Any) -> str:
    """A value read from a YAML file, as the file would write it (cut short)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float, Decimal)):
        return _clip(str(value))
    if isinstance(value, str):
        return _clip(repr(value))
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, (list, tuple, set)):
        return "a list"
    return _clip(str(value))


def _one_of(choices: list[str]) -> str:
    return choices[0] if len(choices) == 1 else ", ".join(choices[:-1]) + " or " + choices[-1]


def _length(f: F) -> str:
    return counted(f["limit"], "character") if f["text"] else counted(f["limit"], "item")


# A plan or pricing file's field problem (costcalc.fieldproblems), after the field's place.
_FIELD_PROBLEMS: dict[str, Callable[[F], str]] = {
    "missing": lambda f: "required, but missing",
    "unknown_key": lambda f: "not a known key here; check its spelling",
    "wrong_kind": lambda f: f"expected {_KIND_WORDS[f['kind']]}, got {_shown(f['value'])}",
    "bound": lambda f: f"must be {_BOUND_WORDS[f['bound']]} {f['limit']}, got {_shown(f['value'])}",
    "too_short": lambda f: (
        "must not be empty" if f["limit"] == 1 else f"needs at least {_length(f)}"
    ),
    "too_long": lambda f: f"takes at most {_length(f)}",
    "too_many_decimals": lambda f: (
        f"takes at most {f['places']} decimals (got {_shown(f['value'])})"
    ),
    "not_finite": lambda f: f"must be a finite number, got {_shown(f['value'])}",
    "not_a_choice": lambda f: f"must be {_one_of(f['choices'])}, got {_shown(f['value'])}",
    "invalid": lambda f: f"{_shown(f['value'])} is not a valid value here",
}


def _field_problem(f: F) -> str:
    """What is wrong with a field: costcalc's own validator's line (`coded`), or the words of
    the problem pydantic found."""
    problem, detail = f["problem"], f["detail"]
    if problem == "coded":
        own = ERRORS.get(detail["code"])
        if own is not None:
            return own(detail["figures"])
        problem = "invalid"
    return _FIELD_PROBLEMS[problem](detail)


def _pricing_invalid(f: F) -> str:
    """The first problem with a pricing file, where it is, and how many more there are."""
    where = f" {f['loc']}:" if f["loc"] else ""
    more = f["more"]
    tail = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return f"{f['file']}:{where} {_field_problem(f)}{tail}"


def _cache_rates_unordered(f: F) -> str:
    return (
        f"{f['where']}.{f['table']}: {_CACHE_RULES[f['rule']]} (input {f['input']}, "
        f"cache_write_5m {f['cache_write_5m']}, cache_write_1h {f['cache_write_1h']}, "
        f"cache_read {f['cache_read']} USD/MTok); a cache write costs at least input, a read at "
        "most input, a 1h write at least a 5m write: check for a typo"
    )


ERRORS: dict[str, Callable[[F], str]] = {
    # errors.py
    "stdout_unwritable": lambda f: f"cannot write standard output: {f['reason']}",
    "unknown_model": _unknown_model,
    # units.py: token counts ('80k', '1.5M') and USD amounts ('$1,200')
    "count_text_negative": lambda f: f"{_noun(f)} cannot be negative (got {f['text']!r})",
    "count_text_not_number": lambda f: (
        f"{f['text']!r} is not a number of {_noun(f)} (use e.g. 80000, 80,000, 80k or 1.5M)"
    ),
    "count_text_has_decimals": lambda f: (
        f"{f['text']!r} is not a whole number of {_noun(f)} (a count has no decimals; "
        "for thousands write 80,000, 80_000 or 80k)"
    ),
    "count_text_not_whole": lambda f: f"{f['text']!r} is not a whole number of {_noun(f)}",
    "count_text_too_large": lambda f: (
        f"{f['text']!r} is too large for a number of {_noun(f)} (at most {f['limit']:,})"
    ),
    "count_too_large": lambda f: (
        f"{f['value']:,} is too large for a number of {_noun(f)} (at most {f['limit']:,})"
    ),
    "usd_negative": lambda f: f"a budget cannot be negative (got {f['text']!r})",
    "usd_not_number": lambda f: (
        f"{f['text']!r} is not an amount in USD (use e.g. 250, 1,200 or 1200.50; no exponents)"
    ),
    "usd_too_large": lambda f: f"{f['text']!r} is too large for an amount in USD (at most $1e15)",
    "usd_too_many_decimals": lambda f: (
        f"{f['text']!r} has too many decimals (at most {f['places']})"
    ),
    # cli/args.py: the command line's argument types (argparse shows the line)
    "decimal_not_number": lambda f: (
        f"{f['text']!r} is not {_DECIMALS[f['kind']][0]} ({_DECIMALS[f['kind']][1]})"
    ),
    "decimal_out_of_range": lambda f: (
        f"{_DECIMALS[f['kind']][0]} must be {_DECIMALS[f['kind']][1]}, got {f['text']}"
    ),
    "decimal_too_precise": lambda f: (
        f"{_DECIMALS[f['kind']][0]} takes at most 10 decimals (got {f['text']})"
    ),
    "list_thousands_ambiguous": lambda f: (
        f"{f['text']!r} is ambiguous here: commas separate values; write 80_000 or 80k"
    ),
    "list_empty_value": lambda f: f"{f['text']!r} has an empty value; separate values with commas",
    "models_empty_name": lambda f: (
        f"{f['text']!r} has an empty model name; separate names with commas"
    ),
    "one_model_only": lambda f: (
        f"argument {f['option']}: one model only, got {', '.join(f['names'])}"
    ),
    "not_a_date": lambda f: f"{f['text']!r} is not a date (use YYYY-MM-DD)",
    # cli/args.py and read/plans.py: --cache-writes and a plan's cache_writes
    "cache_writes_zero": lambda f: (
        "at least one request writes the cache before any reads it; use 1 or more"
    ),
    # commands/apioptions.py: a number given to the Python API
    "api_value_not_number": lambda f: f"{f['value']!r} is not a number",
    # read/plans.py: a plan file's jobs
    "plan_count_not_whole": lambda f: (
        f"{str(f['value']).lower() if isinstance(f['value'], bool) else f['value']} is not a "
        f"whole number of {_noun(f)} (write e.g. 80000, 80_000 or 80k)"
    ),
    "plan_hit_rate_and_writes": lambda f: "give hit_rate or cache_writes, not both",
    "plan_job_names_repeat": lambda f: (
        f"two jobs are named {f['name']!r}; job names must be unique"
    ),
    # prices/schema.py: the pricing file's validators (pydantic quotes the line)
    "price_is_float": lambda f: "prices must be exact decimals (a str or Decimal), not floats",
    "ratio_unordered": lambda f: "need 0 < low <= central <= high",
    "pdf_page_unordered": lambda f: "need low <= central <= high",
    "batch_multiplier_out_of_range": lambda f: (
        f"batch_discount.multiplier must be in (0, 1], got {f['multiplier']}"
    ),
    "overhead_unknown_tokenizer": lambda f: (
        f"token_overheads.server_tools.{f['tool']}: unknown tokenizer {f['name']!r}"
    ),
    "model_unknown_tokenizer": lambda f: (
        f"{f['where']}.tokenizer: unknown tokenizer {f['tokenizer']!r}"
    ),
    "model_unknown_image_tier": lambda f: (
        f"{f['where']}.image_tier: unknown image tier {f['tier']!r}"
    ),
    "dated_prices_undated": lambda f: (
        f"{f['where']}.dated_prices.{f['row']}: give effective_from or effective_until "
        "(undated prices belong in `prices`)"
    ),
    "dated_prices_reversed": lambda f: (
        f"{f['where']}.dated_prices.{f['row']}: effective_until <= effective_from"
    ),
    "batch_price_mismatch": lambda f: (
        f"{f['where']}.batch.{f['cls']}: {f['published']} is not prices.{f['cls']} x "
        f"batch_discount ({f['expected']}); one of them is mistyped"
    ),
    "alias_taken": lambda f: (
        f"{f['where']}.aliases: {f['name']!r} is already a name of {f['owner']}"
    ),
    "cache_rates_unordered": _cache_rates_unordered,
    "pricing_not_mapping": lambda f: (
        f"{f['file']}: expected a mapping with 'models', got {f['got']}"
    ),
    "pricing_invalid": _pricing_invalid,
    # read/plans.py: the first problem with a plan file (its unknown keys are plan_unknown_key)
    "plan_field_invalid": lambda f: f"{f['file']}: {_plan_where(f)}{_field_problem(f)}",
    # prices/load.py: a key twice in one mapping of a YAML file (pydantic never sees it)
    "yaml_duplicate_key": lambda f: (
        f"the key {f['key']!r} is on line {f['first']} and again on line {f['again']}; a key may "
        "appear once in a mapping (the second would silently replace the first): keep one"
    ),
}
