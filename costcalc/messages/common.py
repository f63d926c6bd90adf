"""What the message tables share: the shape of a coded item, counted nouns, line lists, and the
phrases of actual's result-line problems."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol

from costcalc import fmt
from costcalc.messages.text_classes import TEXTS as CLASSES


class Coded(Protocol):
    @property
    def code(self) -> str: ...

    @property
    def figures(self) -> Mapping[str, Any]: ...


F = Mapping[str, Any]


def _lines(lines: list[int] | tuple[int, ...], count: int) -> str:
    return ", ".join(map(str, lines[:5])) + (" ..." if count > 5 else "")


def counted(n: int, word: str, plural: str | None = None) -> str:
    """'1 line', '2 lines', '1,000 lines': a count with its noun in the right number."""
    return f"{n:,} {word if n == 1 else plural or word + 's'}"


def _batch_limit(f: F) -> str:
    if f["limited_by"] == "requests":
        why = f"{f['requests']:,} requests exceed the {f['max_requests']:,}-request limit"
    else:
        why = (
            f"~{fmt.size(f['total_bytes'])} of requests (~{fmt.size(f['bytes_per_request'])} "
            f"each at {fmt.number(f['bytes_per_token'])} bytes/token) exceed the "
            f"{fmt.size(f['max_bytes'])} batch limit"
        )
    return (
        f"{why}: this is {f['batches']} batches of up to {f['requests_per_batch']:,} "
        f"requests, and each batch may write the cache again (the per_batch case)"
    )


def _fast_deprecated(f: F) -> str:
    until = f", removed on {f['removed']}" if f.get("removed") else ""
    return f"{f['model']}'s fast mode is deprecated since {f['deprecated']}{until}"


def _tier_band(f: F) -> str:
    threshold = f"{f['threshold']:,}-token " if f.get("threshold") else ""
    return (
        f"the estimated prompt ({f['low_tokens']:,} to {f['high_tokens']:,} tokens) straddles "
        f"{f['model']}'s {threshold}price threshold: above it the whole request pays the higher "
        "row; count exactly (--exact) to know which row applies"
    )


# Phrases for the result-line problems of `actual` (JSON problems[].message); the warning about
# each says "N lines <phrase> (lines ...)".
RESULT_PROBLEMS: dict[str, str] = {
    "unknown_model_unpriced": "name a model that is not in the price table: they are left "
    "unpriced (not $0), so the total is a lower bound",
    "fast_mode_ended": "report speed fast on a model whose fast mode is not offered on the "
    "pricing date: the line proves it ran in fast mode, so it is priced at the model's last "
    "fast-mode rates (give --date with the day the batch ran to price it on that day)",
    "inference_geo_unknown": "report an inference_geo other than global or us (the API has only "
    "those two): priced at global rates, the lower of the two, so the total is a lower bound",
    "speed_unknown": "report a speed other than standard or fast (the API has only those "
    "two): priced at standard speed, the cheaper, so the total is a lower bound",
    "priority_tier": "report service_tier priority: Priority Tier has no public per-token "
    "price, so they are priced at standard rates, a lower bound",
    "fast_without_fast_prices": "report speed fast on a model with no fast-mode prices in the "
    "data: they are left unpriced (not $0), so the total is a lower bound",
    "fast_in_batch": "report speed fast with service_tier batch (fast mode cannot be batched): "
    "priced at fast rates without the batch discount",
    "us_inference_unsupported": "report inference_geo us on a model with no US multiplier in "
    "the data (the API rejects the parameter on it): priced at global rates",
    "duplicate_custom_id": "repeat a custom_id seen on an earlier line (custom_id must be "
    "unique in a batch); each line is priced as billed",
    "cache_creation_mismatch": "report cache_creation_input_tokens that differ from the sum of "
    "their 5m/1h breakdown; the breakdown is priced (a lower bound when the total is larger)",
    "unknown_service_tier": "report a service_tier other than standard, priority or batch: "
    "priced at standard rates (never batch), a lower bound",
}


# The words of RESULT_PROBLEMS that refer back to the lines, for a single line.
_SINGULAR = ((" they are ", " it is "), (" their ", " its "), ("each line is", "the line is"))


def _result_problem(code: str) -> Callable[[F], str]:
    def render(f: F) -> str:
        which = f" ({', '.join(f['models'])})" if f.get("models") else ""
        shown = _lines(f["shown_lines"], f["count"])
        what = RESULT_PROBLEMS[code]
        if f["count"] == 1:  # "1 line reports ... it is", "2 lines report ... they are"
            verb, _, rest = what.partition(" ")
            what = f"{verb}s {rest}"
            for many, one in _SINGULAR:
                what = what.replace(many, one)
        where = "line" if f["count"] == 1 else "lines"
        return f"{counted(f['count'], 'line')} {what}{which} ({where} {shown})"

    return render


def _clip(name: str, width: int = 60) -> str:
    """A name from a file, cut short for a message (JSON figures keep it whole)."""
    return name if len(name) <= width else name[: width - 3] + "..."


def _unknown_hint(unknown: list[F]) -> str:
    """Each unknown name with its nearest known id, and how to price it with `actual`: an
    alias in a copy of the price table (actual's --model names the plan's model, not this)."""
    names = ", ".join(
        f"{_clip(u['name'])} ({u['count']:,} line{'s' if u['count'] != 1 else ''}"
        + (f"; nearest known id {u['suggestion']}" if u.get("suggestion") else "")
        + ")"
        for u in unknown
    )
    return (
        f"unknown: {names}. To price them, copy the price table ('costcalc models' ends with "
        "its path), add the name to the right model's aliases: [...] (or a new entry under "
        "models:) and pass the copy with --pricing FILE"
    )


def _price_changed(f: F) -> str:
    changes = "; ".join(f"{c['model']} on {c['changed']}" for c in f["changes"])
    return (
        f"priced at the prices of {f['priced_on']} (today), but prices the results use changed "
        f"within the 29 days before it ({changes}); batch results are kept 29 days after the "
        "batch was created, so it may have run before a change: give --date YYYY-MM-DD, the "
        "day it ran"
    )


# token class group -> (its name, the word for "fewer", why there are more); a group of one
# class is named as the class is everywhere else.
_PLANNED = {
    "cache_write": (
        "cache writes",
        "fewer",
        " (batch requests run concurrently, so many miss the cache)",
    ),
    "cache_read": ("cache reads", "fewer", ""),
    "input": (CLASSES["class.input"], "less", ""),
    "output": (CLASSES["class.output"], "less", ""),
}


def _differs(f: F) -> str:
    what, fewer, cause = _PLANNED[f["token_class"]]
    more = f["direction"] == "more"
    return (
        f"{'more' if more else fewer} {what} than planned: {fmt.tokens(f['actual_tokens'])} "
        f"tokens per request against {fmt.tokens(f['planned_tokens'])}{cause if more else ''}"
    )


def _expected_output(f: F) -> str:
    if f.get("output") is not None:
        return f"expected output: {f['output']:,} tokens per request, at most max_tokens (--output)"
    if f.get("output_ratio") is not None:
        return f"expected output: {f['output_ratio']} x max_tokens (--output-ratio)"
    return "expected output: max_tokens (give --output or --output-ratio for a real expectation)"


_PRICE_GROUPS = {
    "input": "input",
    "output": "output",
    "cache": "cache write and read",
    "batch": "batch",
    "fast": "fast-mode",
}


def _unconfirmed(f: F) -> str:
    parts = f.get("prices") or list(_PRICE_GROUPS)
    if len(parts) == len(_PRICE_GROUPS):
        what = f"{f['model']}'s prices are"
    else:
        confirmed = [_PRICE_GROUPS[p] for p in _PRICE_GROUPS if p not in parts]
        names = [_PRICE_GROUPS[p] for p in parts]
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        what = (
            f"{f['model']}'s {' and '.join(confirmed)} prices are confirmed; its {listed} "
            "prices are"
        )
    provisional = "the cost" if len(parts) == len(_PRICE_GROUPS) else "the costs at those prices"
    return (
        f"{what} not yet confirmed by Anthropic's pricing page (the pricing data marks them "
        f"unconfirmed, checked {f['checked']}); treat {provisional} as provisional"
    )


def _const(text: str) -> Callable[[F], str]:
    return lambda f: text


_UNCOUNTED = {
    "no_offline_count": "non-text blocks (images, documents, thinking, ...) with no offline "
    "count (the estimate is low for these requests)",
    "unknown_block": "blocks of a type costcalc does not know: estimated from their JSON text as "
    "a range from 0, not measured",
}
_MALFORMED = {
    "not_json": "not valid JSON; the line is skipped",
    "not_request": 'not a request object ({"custom_id", "params"}); skipped',
}

# code -> (what it means, for the codes table of docs/output.md; the message from its figures)


def _cells(f: F) -> str:
    return f"{f['cells']:,} cell{'s' if f['cells'] != 1 else ''}"


def _names(f: F) -> str:
    """The models (or cost types) of a reconcile notice; None is a row the report sent with no
    model."""
    return ", ".join("a row with no model" if n is None else n for n in f["names"])


def _pct(fraction: Any) -> str:
    return fmt.pct(fraction * 100)
