"""Human-readable output with rich: small renderers that lay out what the engine computed.

Nothing here does arithmetic. Colour is decoration only (every fact is also in the text), so the
output reads the same with NO_COLOR, in a pipe, or in a file.
"""

from __future__ import annotations

from typing import Iterable, Optional

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

from . import fmt
from .engine import BudgetCheck, Estimate, StackedRate, batch_rates
from .pricing import ModelPrice

CLASS_LABELS = {
    "input": "uncached input",
    "cache_write_5m": "cache write (5m)",
    "cache_write_1h": "cache write (1h)",
    "cache_read": "cache read",
    "output": "output",
}


def make_console(file=None, *, width: Optional[int] = None) -> Console:
    """A console for stdout (colour when it is a terminal) or a plain one for a file."""
    if file is None:
        return Console(highlight=False, emoji=False)
    return Console(file=file, width=width or 100, color_system=None, force_terminal=False,
                   highlight=False, emoji=False)  # fmt: skip


def _plural(n: int, word: str) -> str:
    return f"{fmt.tokens(n)} {word}{'' if n == 1 else 's'}"


def estimate_header(est: Estimate) -> Text:
    w, m = est.workload, est.model
    text = Text()
    text.append(m.name, style="bold")
    text.append(f" ({m.id}), prices checked {m.checked.isoformat()}\n", style="dim")
    text.append(
        f"{_plural(w.requests, 'request')}, each {fmt.tokens(w.shared_tokens)} shared + "
        f"{fmt.tokens(w.unique_tokens)} unique input and {fmt.tokens(w.output_tokens)} output "
        f"tokens\nCache: TTL {w.ttl}, {_plural(w.cache_writes, 'write')}, "
        f"{_plural(w.cache_reads, 'read')} of the shared prefix"
    )
    if not est.caching_applies and w.shared_tokens:
        text.append(" (not cached: under the minimum)", style="yellow")
    return text


def _table(title: str) -> Table:
    # A light box and no outer padding so tables fit 80 columns; folding (never "…") keeps
    # every digit when the terminal is narrower still.
    return Table(title=title, title_justify="left", title_style="bold", box=box.SIMPLE_HEAD,
                 pad_edge=False)  # fmt: skip


Row = tuple[list[str], bool]  # cells, and whether a section ends after the row


def _grid(title: str, columns: list[tuple[str, str]], rows: list[Row],
          highlight: Optional[int] = None) -> Table:  # fmt: skip
    """A table whose right-aligned (number) columns reserve their widest cell, so that rich
    narrows the label columns first and folds a number only when nothing else is left."""
    table = _table(title)
    for i, (name, justify) in enumerate(columns):
        widest = max((len(cells[i]) for cells, _ in rows), default=0)
        table.add_column(name, justify=justify, overflow="fold",  # type: ignore[arg-type]
                         min_width=widest if justify == "right" else None)  # fmt: skip
    for r, (cells, end_section) in enumerate(rows):
        table.add_row(*cells, end_section=end_section, style="bold" if r == highlight else None)
    return table


def summary_table(est: Estimate) -> Table:
    rows: list[Row] = []
    for s in est.scenarios:
        is_standard = s.name == "standard"
        rows.append(([
            s.name,
            fmt.usd_auto(s.total),
            fmt.usd_small(s.per_request),
            "—" if is_standard else fmt.usd_auto(s.savings),
            "—" if is_standard else fmt.pct(s.savings_pct),
        ], False))  # fmt: skip
    columns = [("Scenario", "left"), ("Total", "right"), ("Per request", "right"),
               ("Savings", "right"), ("%", "right")]  # fmt: skip
    return _grid("Cost by scenario, savings against standard", columns, rows,
                 highlight=len(rows) - 1)  # fmt: skip


def lines_table(est: Estimate) -> Table:
    rows: list[Row] = []
    for s in est.scenarios:
        shown = [line for line in s.lines if line.tokens] or list(s.lines[:1])
        for i, line in enumerate(shown):
            rows.append(([
                s.name if i == 0 else "",
                CLASS_LABELS[line.token_class],
                fmt.tokens(line.tokens),
                fmt.rate(line.rate),
                fmt.usd_auto(line.cost),
            ], i == len(shown) - 1))  # fmt: skip
    columns = [("Scenario", "left"), ("Token class", "left"), ("Tokens", "right"),
               ("$/MTok", "right"), ("Cost", "right")]  # fmt: skip
    return _grid("Line items", columns, rows)


def warnings_text(warnings: Iterable[str]) -> Optional[Text]:
    items = list(warnings)
    if not items:
        return None
    text = Text()
    for i, warning in enumerate(items):
        text.append(("\n" if i else "") + "warning: ", style="bold yellow")
        text.append(warning)
    return text


def estimate_view(est: Estimate) -> RenderableType:
    parts: list[RenderableType] = [estimate_header(est), "", summary_table(est), "",
                                   lines_table(est)]  # fmt: skip
    warned = warnings_text(est.warnings)
    if warned is not None:
        parts.append(warned)
    return Group(*parts)


def budget_message(check: BudgetCheck) -> str:
    if check.within:
        return (
            f"within budget: {check.scenario} costs {fmt.usd_auto(check.total)} "
            f"of a {fmt.usd_auto(check.budget)} budget"
        )
    return (
        f"over budget: {check.scenario} costs {fmt.usd_auto(check.total)}, budget "
        f"{fmt.usd_auto(check.budget)}, over by {fmt.usd_auto(check.over_by)}"
    )


def _label(m: ModelPrice) -> str:
    return m.name.removeprefix("Claude ")


def prices_table(models: list[ModelPrice]) -> Table:
    table = _table("Prices, USD per million tokens")
    table.add_column("Model", no_wrap=True)
    for name in ("Input", "5m write", "1h write", "Cache read", "Output", "Batch in", "Batch out"):
        table.add_column(name, justify="right", overflow="fold")
    for m in models:
        p, b = m.prices, batch_rates(m)
        table.add_row(
            _label(m), fmt.plain(p.input), fmt.plain(p.cache_write_5m),
            fmt.plain(p.cache_write_1h), fmt.plain(p.cache_read), fmt.plain(p.output),
            fmt.plain(b.input), fmt.plain(b.output),
        )  # fmt: skip
    return table


def _limit(value: Optional[int]) -> str:
    return fmt.tokens(value) if value else "?"


def limits_table(models: list[ModelPrice]) -> Table:
    table = _table("Names, status and limits (tokens; ? = not in our sources)")
    table.add_column("API id, then aliases", no_wrap=False, overflow="fold", min_width=26)
    table.add_column("Status", no_wrap=True)
    table.add_column("Min cache", justify="right", no_wrap=True)
    table.add_column("Context", justify="right", no_wrap=True)
    table.add_column("Max output", justify="right", no_wrap=True)
    for m in models:
        names = Text(m.id, style="bold")
        if m.aliases:
            names.append("\n" + ", ".join(m.aliases), style="dim")
        status = m.status + (f"\n{m.retired.isoformat()}" if m.retired else "")
        table.add_row(
            names, status, fmt.tokens(m.min_cache_tokens), _limit(m.context_window),
            _limit(m.max_output), end_section=True,
        )  # fmt: skip
    return table


def stacked_table(rates: list[StackedRate]) -> Table:
    table = _table("Stacked rate for cached batch reads (models still served)")
    table.add_column("Model", no_wrap=True)
    table.add_column("Standard input", justify="right")
    table.add_column("Batch + cache read", justify="right")
    table.add_column("Effective rate", justify="right")
    for r in rates:
        table.add_row(
            _label(r.model),
            fmt.rate(r.standard_input) + "/MTok",
            fmt.rate(r.batch_cache_read) + "/MTok",
            fmt.pct(r.percent),
        )
    return table


def models_view(models: list[ModelPrice], current: list[StackedRate]) -> RenderableType:
    return Group(prices_table(models), "", limits_table(models), "", stacked_table(current))
