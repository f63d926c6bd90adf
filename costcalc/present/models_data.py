"""`costcalc models` as CSV and JSON: every model's prices, limits and dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from costcalc.compute.engine import StackedRate, batch_rates
from costcalc.compute.outcomes import ModelsResult
from costcalc.fmt import plain
from costcalc.names import TOKEN_CLASSES
from costcalc.present.csv_writer import to_csv
from costcalc.prices.model import ModelPrice, Rates
from costcalc.version import __version__


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def status_group(m: ModelPrice, on: date) -> str:
    """active, legacy (legacy or deprecated, still served) or retired, as of `on`."""
    if not m.is_current(on):
        return "retired"
    return "active" if m.status == "active" else "legacy"


def _span_dict(start: date | None, until: date | None) -> dict[str, Any]:
    return {"effective_from": _date(start), "effective_until": _date(until)}


def model_dict(m: ModelPrice, stacked: StackedRate, on: date | None = None) -> dict[str, Any]:
    on = on or date.today()
    b = batch_rates(m, on)
    p = m.prices_on(on)
    classes = TOKEN_CLASSES
    return {
        "id": m.id,
        "name": m.name,
        "aliases": list(m.aliases),
        "status": m.status,
        "released": _date(m.released),
        "deprecated": _date(m.deprecated),
        "retired": _date(m.retired),
        "tokenizer": m.tokenizer,
        "prices_per_mtok": {c: plain(p.rate(c)) for c in classes},
        "batch_prices_per_mtok": {c: plain(b.rate(c)) for c in classes},
        "batch_cache_read_pct_of_input": plain(stacked.percent),
        "min_cache_tokens": m.min_cache_tokens,
        "context_window": m.context_window,
        "max_output": m.max_output,
        "long_context": [
            {
                "threshold": t.threshold,
                "effective_from": _date(t.effective_from),
                "effective_until": _date(t.effective_until),
                "prices_per_mtok": {c: plain(t.prices.rate(c)) for c in classes},
            }
            for t in m.long_context
        ],
        "us_inference_multiplier": plain(m.us_inference_multiplier)
        if m.us_inference_multiplier
        else None,
        "fast_prices_per_mtok": {c: plain(m.fast.rate(c)) for c in classes} if m.fast else None,
        "source": m.source,
        "checked": m.checked.isoformat(),
        # Fields added with the models Anthropic released in late 2026 (listed at
        # https://platform.claude.com/docs/en/about-claude/models/overview): new fields only;
        # the above keep their names.
        "status_group": status_group(m, on),
        "prices_date": on.isoformat(),
        "unconfirmed": m.unconfirmed,
        # which price groups (input, output, cache, batch, fast) are unconfirmed
        "unconfirmed_prices": list(m.unconfirmed_parts),
        "dated_prices": [
            {
                **_span_dict(d.effective_from, d.effective_until),
                "prices_per_mtok": {c: plain(d.prices.rate(c)) for c in classes},
            }
            for d in m.dated_prices
        ],
        "fast_mode": None
        if m.fast is None
        else {**_span_dict(m.fast_from, m.fast_until), "deprecated": _date(m.fast_deprecated)},
        "max_output_batch": m.max_output_batch,
        "max_output_batch_beta": m.max_output_batch_beta,
        "image_tier": m.image_tier,
        "tool_use_system_prompt": [
            {
                **_span_dict(t.effective_from, t.effective_until),
                "auto_none": t.auto_none,
                "any_tool": t.any_tool,
            }
            for t in m.tool_use_system_prompt
        ],
    }


def models_json(result: ModelsResult) -> dict[str, Any]:
    models = [model_dict(m, s, result.on) for m, s in result.rows]
    return {"costcalc_version": __version__, "models": models}


MODELS_CSV_HEADER = [
    "id",
    "name",
    "status",
    "input",
    "cache_write_5m",
    "cache_write_1h",
    "cache_read",
    "output",
    "batch_input",
    "batch_cache_write_5m",
    "batch_cache_write_1h",
    "batch_cache_read",
    "batch_output",
    "batch_cache_read_pct_of_input",
    "min_cache_tokens",
    "context_window",
    "max_output",
    "us_inference_multiplier",
    "fast_input",
    "fast_output",
    "aliases",
    "source",
    "checked",
    # Added with the models of late 2026 (appended, so earlier columns keep their place).
    "status_group",
    "unconfirmed",
    "max_output_batch",
    "image_tier",
    "fast_until",
    "prompt_tiers",
    "dated_prices",
]


def _rates_text(r: Rates) -> str:
    return "/".join(plain(r.rate(c)) for c in TOKEN_CLASSES)


def models_csv(result: ModelsResult) -> str:
    rows, on = result.rows, result.on

    def row(m: ModelPrice, s: StackedRate) -> list[Any]:
        b = batch_rates(m, on)
        p = m.prices_on(on)
        classes = TOKEN_CLASSES
        # Tiers and dated rows in one cell each: "condition:input/5m/1h/read/output; ...".
        tiers = "; ".join(
            f">{t.threshold} {_date(t.effective_from) or ''}..{_date(t.effective_until) or ''}:"
            f"{_rates_text(t.prices)}"
            for t in m.long_context
        )
        dated = "; ".join(
            f"{_date(d.effective_from) or ''}..{_date(d.effective_until) or ''}:"
            f"{_rates_text(d.prices)}"
            for d in m.dated_prices
        )
        return [
            m.id,
            m.name,
            m.status,
            *(plain(p.rate(c)) for c in classes),
            *(plain(b.rate(c)) for c in classes),
            plain(s.percent),
            m.min_cache_tokens,
            m.context_window or "",
            m.max_output or "",
            plain(m.us_inference_multiplier) if m.us_inference_multiplier else "",
            plain(m.fast.input) if m.fast else "",
            plain(m.fast.output) if m.fast else "",
            " ".join(m.aliases),
            m.source,
            m.checked.isoformat(),
            status_group(m, on),
            "true" if m.unconfirmed else "false",
            m.max_output_batch or "",
            m.image_tier or "",
            _date(m.fast_until) or "",
            tiers,
            dated,
        ]

    return to_csv(MODELS_CSV_HEADER, (row(m, s) for m, s in rows))
