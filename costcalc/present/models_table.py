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
from costcalc.messages.text import text
from costcalc.names import TOKEN_CLASSES
from costcalc.present.grid import titled_table
from costcalc.present.models_data import status_group
from costcalc.prices.model import ModelPrice
from costcalc.safe import plain_inert


def _short(m: ModelPrice) -> str:
    """The model's name without the brand every name starts with."""
    return m.name.removeprefix(text("models.brand_prefix"))


def _label(m: ModelPrice) -> str:
    return _short(m) + ("*" if m.unconfirmed else "")


# Each status group and the code of its heading.
STATUS_GROUPS = (
    ("active", "models.group_active"),
    ("legacy", "models.group_legacy"),
    ("retired", "models.group_retired"),
)

# The price columns of the prices and tiers tables, in TOKEN_CLASSES order.
PRICE_COLUMNS = (
    "models.col_input",
    "models.col_write_5m",
    "models.col_write_1h",
    "models.col_cache_read",
    "models.col_output",
)


def _grouped(models: list[ModelPrice], on: date) -> list[tuple[str, list[ModelPrice]]]:
    groups = [
        (text(code), [m for m in models if status_group(m, on) == key])
        for key, code in STATUS_GROUPS
    ]
    return [(title, ms) for title, ms in groups if ms]


def prices_table(models: list[ModelPrice], on: date | None = None) -> Table:
    on = on or date.today()
    table = titled_table(text("models.prices_title", on=on.isoformat()))
    table.add_column(text("estimate.col_model"), no_wrap=True)
    for code in (*PRICE_COLUMNS, "models.col_batch_in", "models.col_batch_out"):
        table.add_column(text(code), justify="right", overflow="fold")
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
        end = (until - timedelta(days=1)).isoformat()
        return text("models.span_between", start=start.isoformat(), end=end)
    if until:
        return text("models.span_until", end=(until - timedelta(days=1)).isoformat())
    if start:
        return text("models.span_from", start=start.isoformat())
    return text("models.span_always")


def tiers_table(models: list[ModelPrice]) -> Table | None:
    """Every prompt-length tier and dated price row; None when no model has one."""
    table = titled_table(text("models.tiers_title"))
    table.add_column(text("estimate.col_model"), no_wrap=True)
    table.add_column(text("models.col_applies"), overflow="fold")
    for code in PRICE_COLUMNS:
        table.add_column(text(code), justify="right", overflow="fold")
    classes = TOKEN_CLASSES
    for m in models:
        rows = [
            (
                text(
                    "models.tier",
                    threshold=fmt.tokens(t.threshold),
                    span=(
                        _span(t.effective_from, t.effective_until)
                        if t.effective_from or t.effective_until
                        else None
                    ),
                ),
                t.prices,
            )
            for t in m.long_context
        ]
        rows += [(_span(d.effective_from, d.effective_until), d.prices) for d in m.dated_prices]
        if m.dated_prices:
            rows.append((text("models.other_dates"), m.prices))
        for when, rates in rows:
            table.add_row(_label(m), when, *(fmt.plain(rates.rate(c)) for c in classes))
    return table if table.row_count else None


def _limit(value: int | None) -> str:
    return fmt.tokens(value) if value else "?"


def limits_table(models: list[ModelPrice], on: date | None = None) -> Table:
    on = on or date.today()
    table = titled_table(text("models.limits_title"))
    table.add_column(text("models.col_names"), no_wrap=False, overflow="fold", min_width=26)
    table.add_column(text("models.col_status"), no_wrap=True)
    table.add_column(text("models.col_min_cache"), justify="right", no_wrap=True)
    table.add_column(text("models.col_context"), justify="right", no_wrap=True)
    table.add_column(text("models.col_max_output"), justify="right", no_wrap=True)
    for _, group in _grouped(models, on):
        for m in group:
            names = Text(m.id, style="bold")
            if m.aliases:
                names.append("\n" + ", ".join(m.aliases), style="dim")
            status = m.status + (f"\n{m.retired.isoformat()}" if m.retired else "")
            batch = (
                "\n" + text("models.max_output_batch", tokens=fmt.tokens(m.max_output_batch))
                if m.max_output_batch
                else ""
            )
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
    until = (m.fast_until - timedelta(days=1)).isoformat() if m.fast_until else None
    return text(
        "models.fast",
        input=fmt.plain(m.fast.input),
        output=fmt.plain(m.fast.output),
        until=until,
    )


def modifiers_table(models: list[ModelPrice]) -> Table:
    table = titled_table(text("models.modifiers_title"))
    table.add_column(text("estimate.col_model"), no_wrap=True)
    table.add_column(text("models.col_us_only"), justify="right")
    table.add_column(text("models.col_fast"), justify="right")
    for m in models:
        if m.us_inference_multiplier or m.fast:
            table.add_row(
                _label(m),
                f"{fmt.number(m.us_inference_multiplier)}x" if m.us_inference_multiplier else "—",
                _fast(m),
            )
    return table


def stacked_table(rates: list[StackedRate]) -> Table:
    table = titled_table(text("models.stacked_title"))
    table.add_column(text("estimate.col_model"), no_wrap=True)
    table.add_column(text("models.col_standard_input"), justify="right")
    table.add_column(text("models.col_batch_cache_read"), justify="right")
    table.add_column(text("models.col_effective"), justify="right")
    for r in rates:
        table.add_row(
            _label(r.model),
            text("models.per_mtok", rate=fmt.rate(r.standard_input)),
            text("models.per_mtok", rate=fmt.rate(r.batch_cache_read)),
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
            groups.setdefault(m.unconfirmed_parts, []).append(_short(m))
    for prices, names in groups.items():
        # All five price parts unconfirmed: the note says "prices" without naming them.
        which = None if len(prices) == 5 else ", ".join(prices)
        note = text("models.unconfirmed", names=", ".join(names), parts=which)
        parts.append(Text(note, style="dim"))
    tiers = tiers_table(models)
    if tiers is not None:
        parts += ["", tiers]
    parts += ["", limits_table(models, on), "", modifiers_table(models), "", stacked_table(current)]
    if source is not None and models:
        checked = max(m.checked for m in models).isoformat()
        parts += [
            "",
            Text(text("models.missing", checked=checked), style="dim"),
            # A path is one word to copy: never folded, whatever the width.
            Text(plain_inert(source), style="dim", no_wrap=True, overflow="ignore"),
        ]
    return Group(*parts)


def models_table(result: ModelsResult) -> RenderableType:
    on = result.on
    current = [s for m, s in result.rows if m.is_current(on)]
    return models_view([m for m, _ in result.rows], current, on, result.source)
