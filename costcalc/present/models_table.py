"""`costcalc models` as tables: prices, prompt-length tiers, limits, modifiers and stacked
rates.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from costcalc import fmt
from costcalc.compute.engine import StackedRate, batch_rates
from costcalc.compute.outcomes import ModelsResult
from costcalc.names import TOKEN_CLASSES
from costcalc.present.grid import titled_table
from costcalc.present.models_data import status_group
from costcalc.prices.model import ModelPrice
from costcalc.safe import plain_inert


def _label(m: ModelPrice) -> str:
    return m.name.removeprefix("Claude ") + ("*" if m.unconfirmed else "")


STATUS_GROUPS = (
    ("active", "Active"),
    ("legacy", "Legacy (still served)"),
    ("retired", "Retired"),
)


def _grouped(models: list[ModelPrice], on: date) -> list[tuple[str, list[ModelPrice]]]:
    groups = [
        (title, [m for m in models if status_group(m, on) == key]) for key, title in STATUS_GROUPS
    ]
    return [(title, ms) for title, ms in groups if ms]


def prices_table(models: list[ModelPrice], on: date | None = None) -> Table:
    on = on or date.today()
    table = titled_table(f"Prices on {on.isoformat()}, USD per million tokens (* unconfirmed)")
    table.add_column("Model", no_wrap=True)
    for name in ("Input", "5m write", "1h write", "Cache read", "Output", "Batch in", "Batch out"):
        table.add_column(name, justify="right", overflow="fold")
    for title, group in _grouped(models, on):
        table.add_row(Text(title, style="bold"))
        for m in group:
            p, b = m.prices_on(on), batch_rates(m, on)
            table.add_row(
                "  " + _label(m),
                fmt.plain(p.input),
                fmt.plain(p.cache_write_5m),
                fmt.plain(p.cache_write_1h),
                fmt.plain(p.cache_read),
                fmt.plain(p.output),
                fmt.plain(b.input),
                fmt.plain(b.output),
            )
        table.add_section()
    return table


def _span(start: date | None, until: date | None) -> str:
    if start and until:
        return f"{start.isoformat()} to {(until - timedelta(days=1)).isoformat()}"
    if until:
        return f"until {(until - timedelta(days=1)).isoformat()}"
    return f"from {start.isoformat()}" if start else "always"


def tiers_table(models: list[ModelPrice]) -> Table | None:
    """Every prompt-length tier and dated price row; None when no model has one."""
    table = titled_table("Prompt-length tiers and dated prices, USD per million tokens")
    table.add_column("Model", no_wrap=True)
    table.add_column("Applies", overflow="fold")
    for name in ("Input", "5m write", "1h write", "Cache read", "Output"):
        table.add_column(name, justify="right", overflow="fold")
    classes = TOKEN_CLASSES
    for m in models:
        rows = [
            (
                f"prompt > {t.threshold:,}"
                + (
                    f", {_span(t.effective_from, t.effective_until)}"
                    if t.effective_from or t.effective_until
                    else ""
                ),
                t.prices,
            )
            for t in m.long_context
        ]
        rows += [(_span(d.effective_from, d.effective_until), d.prices) for d in m.dated_prices]
        if m.dated_prices:
            rows.append(("other dates", m.prices))
        for when, rates in rows:
            table.add_row(_label(m), when, *(fmt.plain(rates.rate(c)) for c in classes))
    return table if table.row_count else None


def _limit(value: int | None) -> str:
    return fmt.tokens(value) if value else "?"


def limits_table(models: list[ModelPrice], on: date | None = None) -> Table:
    on = on or date.today()
    table = titled_table("Names, status and limits (tokens; ? = not in our sources)")
    table.add_column("API id, then aliases", no_wrap=False, overflow="fold", min_width=26)
    table.add_column("Status", no_wrap=True)
    table.add_column("Min cache", justify="right", no_wrap=True)
    table.add_column("Context", justify="right", no_wrap=True)
    table.add_column("Max output", justify="right", no_wrap=True)
    for _, group in _grouped(models, on):
        for m in group:
            names = Text(m.id, style="bold")
            if m.aliases:
                names.append("\n" + ", ".join(m.aliases), style="dim")
            status = m.status + (f"\n{m.retired.isoformat()}" if m.retired else "")
            batch = f"\n{fmt.tokens(m.max_output_batch)} batch" if m.max_output_batch else ""
            table.add_row(
                names,
                status,
                fmt.tokens(m.min_cache_tokens),
                _limit(m.context_window),
                _limit(m.max_output) + batch,
                end_section=True,
            )
    return table


def _fast(m: ModelPrice) -> str:
    if not m.fast:
        return "—"
    text = f"{fmt.plain(m.fast.input)} / {fmt.plain(m.fast.output)}"
    if m.fast_until:
        text += f" until {(m.fast_until - timedelta(days=1)).isoformat()}"
    return text


def modifiers_table(models: list[ModelPrice]) -> Table:
    table = titled_table("Modifiers (--region us, --fast); models not listed have neither")
    table.add_column("Model", no_wrap=True)
    table.add_column("US-only inference", justify="right")
    table.add_column("Fast mode in / out, $/MTok", justify="right")
    for m in models:
        if m.us_inference_multiplier or m.fast:
            table.add_row(
                _label(m),
                f"{fmt.number(m.us_inference_multiplier)}x" if m.us_inference_multiplier else "—",
                _fast(m),
            )
    return table


def stacked_table(rates: list[StackedRate]) -> Table:
    table = titled_table("Stacked rate for cached batch reads (models still served)")
    table.add_column("Model", no_wrap=True)
    table.add_column("Standard input", justify="right")
    table.add_column("Batch + cache read", justify="right")
    table.add_column("Effective rate", justify="right")
    for r in rates:
        table.add_row(
            _label(r.model),
            fmt.rate(r.standard_input) + "/MTok",
            fmt.rate(r.batch_cache_read) + "/MTok",
            _exact_pct(r.percent),
        )
    return table


def _exact_pct(value: Decimal) -> str:
    # A 0.025x read stacks to 1.25%: never round a published ratio to "1.3%".
    one_place = fmt.pct(value)
    return one_place if Decimal(one_place[:-1]) == value else fmt.number(value) + "%"


def models_view(
    models: list[ModelPrice],
    current: list[StackedRate],
    on: date | None = None,
    source: str | None = None,
) -> RenderableType:
    on = on or date.today()
    parts: list[RenderableType] = [prices_table(models, on)]
    # One footnote per set of unconfirmed prices, naming them (input and output may be
    # confirmed while cache, batch and fast prices are not).
    groups: dict[tuple[str, ...], list[str]] = {}
    for m in models:
        if m.unconfirmed:
            groups.setdefault(m.unconfirmed_parts, []).append(m.name.removeprefix("Claude "))
    for prices, names in groups.items():
        which = "prices" if len(prices) == 5 else f"{', '.join(prices)} prices"
        parts.append(
            Text(
                f"* {', '.join(names)}: {which} not yet confirmed by Anthropic's pricing "
                "page; every command that prices them warns (unconfirmed_price).",
                style="dim",
            )
        )
    tiers = tiers_table(models)
    if tiers is not None:
        parts += ["", tiers]
    parts += ["", limits_table(models, on), "", modifiers_table(models), "", stacked_table(current)]
    if source is not None and models:
        checked = max(m.checked for m in models).isoformat()
        parts += [
            "",
            Text(
                f"Prices checked {checked}. A model missing here: copy the price table, add an "
                "entry under models: and pass the copy with --pricing FILE. The table:",
                style="dim",
            ),
            # A path is one word to copy: never folded, whatever the width.
            Text(plain_inert(source), style="dim", no_wrap=True, overflow="ignore"),
        ]
    return Group(*parts)


def models_table(result: ModelsResult) -> RenderableType:
    on = result.on
    current = [s for m, s in result.rows if m.is_current(on)]
    return models_view([m for m, _ in result.rows], current, on, result.source)
