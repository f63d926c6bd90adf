"""Human-readable output with rich: small renderers that lay out what the engine computed.

Nothing here does arithmetic. Colour is decoration only (every fact is also in the text), so the
output reads the same with NO_COLOR, in a pipe, or in a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from rich import box
from rich.console import Console, Group, JustifyMethod, RenderableType
from rich.table import Table
from rich.text import Text

from costcalc import fmt
from costcalc.compute.engine import BudgetCheck, Estimate, StackedRate, batch_rates
from costcalc.compute.outcomes import (
    ActualResult,
    CheckResult,
    EstimateResult,
    ModelsResult,
    PlanResult,
    SweepResult,
    TokensResult,
    WarmupResult,
)
from costcalc.compute.planning import Analysis, SweepPoint, scenario_total, share_of_largest
from costcalc.messages import render as render_message
from costcalc.messages import ttl_reason
from costcalc.names import CLASS_LABELS, TOKEN_CLASSES
from costcalc.notices import Notice
from costcalc.prices.model import ModelPrice
from costcalc.safe import plain_inert

BAR_WIDTH = 20
BAR_EIGHTHS = " ▏▎▍▌▋▊▉"


def make_console(file=None, *, width: int | None = None) -> Console:
    """A console for stdout (colour when it is a terminal) or a plain one for a file."""
    if file is None:
        return Console(highlight=False, emoji=False)
    return Console(
        file=file,
        width=width or 100,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
    )


def _plural(n: int, word: str) -> str:
    return f"{fmt.tokens(n)} {word}{'' if n == 1 else 's'}"


def bar(fraction) -> str:
    """A horizontal bar of BAR_WIDTH cells at most, in eighths of a cell."""
    eighths = int(fraction * BAR_WIDTH * 8)
    return "█" * (eighths // 8) + (BAR_EIGHTHS[eighths % 8] if eighths % 8 else "")


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
    return Table(
        title=Text(plain_inert(title)),  # titles name files: plain text, not markup
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        padding=(0, 1),
        collapse_padding=True,
    )


def _cell(value: str | RenderableType) -> RenderableType:
    """Cells are plain text, never markup: job names, file names and ids come from files."""
    return Text(plain_inert(value)) if isinstance(value, str) else value


Row = tuple[list[str], bool]  # cells, and whether a section ends after the row


class _Grid:
    """A table laid out for the console it is printed on.

    Right-aligned (number) columns reserve their widest cell when all of them fit, so that
    rich narrows the label columns first; when they cannot all fit, numbers fold onto a
    second line. Either way no digit is ever cut off.
    """

    def __init__(
        self,
        title: str,
        columns: list[tuple[str, str]],
        rows: list[Row],
        highlight: int | None = None,
    ):
        self.title, self.columns, self.rows, self.highlight = title, columns, rows, highlight

    def _widest(self, i: int) -> int:
        name = self.columns[i][0]
        return max([len(cells[i]) for cells, _ in self.rows] + [len(w) for w in name.split()])

    def _longest_word(self, i: int) -> int:
        """The narrowest a label column gets: its longest word, so a scenario name or a file
        name is never broken inside (the header and cells wrap at spaces only)."""
        texts = [cells[i] for cells, _ in self.rows] + [self.columns[i][0]]
        return max((len(word) for text in texts for word in text.split()), default=0)

    def __rich_console__(self, console: Console, options):
        widths = [self._widest(i) for i in range(len(self.columns))]
        fits = sum(widths) + 2 * len(self.columns) <= options.max_width
        # The bar column is decoration: the first thing to go when the table does not fit.
        keep = [i for i, (name, _) in enumerate(self.columns) if fits or name]
        table = _table(self.title)
        for i in keep:
            name, justify = self.columns[i]
            if not name:  # the bar column, when it fits: never wrapped
                table.add_column(name, no_wrap=True, overflow="crop")
            else:
                table.add_column(name, justify=_JUSTIFY[justify], overflow="fold")
        for r, (cells, end_section) in enumerate(self.rows):
            table.add_row(
                *(_cell(cells[i]) for i in keep),
                end_section=end_section,
                style="bold" if r == self.highlight else None,
            )
        if not fits:
            sized = self._sized(table, keep, widths, options.max_width)
            if sized is None and console.is_terminal:
                # Too narrow for whole numbers and whole words in columns: a folded
                # "$4,000.00" reads as two amounts, so show each row as "column: value" lines.
                yield from self._records(console, options)
                return
            if sized is None:
                # Piped or written to a file: nobody resizes that, and a folded money figure
                # reads as two numbers to grep or a diff. Lay the table out wider instead.
                sized = [self._least(i, widths) for i in keep]
                overhead = self._overhead(table)
                options = options.update(width=sum(sized) + overhead)
            for column, width in zip(table.columns, sized):
                column.width = width
            # rich measures collapsed padding as one cell per column but renders the first
            # column with its left pad too: give that column the cell it will lose.
            table.columns[0].width = sized[0] + 1
        yield from console.render(table, options)

    def _least(self, i: int, widths: list[int]) -> int:
        """A number column's whole width; a label column's longest word."""
        return widths[i] if self.columns[i][1] == "right" else self._longest_word(i)

    @staticmethod
    def _overhead(table: Table) -> int:
        # What rich adds around the cells: column padding, the dividers between columns, and
        # the first column's left pad (see __rich_console__). rich has no public measure.
        pads = sum(table._get_padding_width(i) for i in range(len(table.columns)))
        return table._extra_width + pads + 1

    def _sized(
        self, table: Table, keep: list[int], widths: list[int], max_width: int
    ) -> list[int] | None:
        """Content widths for the kept columns within `max_width`: numbers whole, labels at
        least their longest word and then as wide as the room allows; None when even that
        does not fit. Set here, not left to rich, whose last-resort squeeze cuts words."""
        sized = [self._least(i, widths) for i in keep]
        room = max_width - self._overhead(table) - sum(sized)
        if room < 0:
            return None
        # The room goes first to number headers on one line ("Hit rate"), then to labels.
        wanted = [
            (k, max(widths[i], len(self.columns[i][0])))
            for k, i in enumerate(keep)
            if self.columns[i][1] == "right"
        ] + [(k, widths[i]) for k, i in enumerate(keep) if self.columns[i][1] != "right"]
        for k, want in wanted:
            grow = max(0, min(room, want - sized[k]))
            sized[k] += grow
            room -= grow
        return sized

    def _records(self, console: Console, options):
        out = Text()
        if self.title:
            out.append(self.title + "\n", style="bold")
        for r, (cells, end_section) in enumerate(self.rows):
            style = "bold" if r == self.highlight else None
            if cells and cells[0]:
                out.append(plain_inert(cells[0]) + "\n", style=style)
            for (name, _), cell in zip(self.columns[1:], cells[1:]):
                if name and cell:
                    out.append(f"  {name}: {plain_inert(cell)}\n", style=style)
            if end_section:
                out.append("\n")
        yield from console.render(out, options)


# Column alignments as the tables spell them, narrowed to the ones rich accepts.
_JUSTIFY: dict[str, JustifyMethod] = {"left": "left", "right": "right", "center": "center"}


def _grid(
    title: str, columns: list[tuple[str, str]], rows: list[Row], highlight: int | None = None
) -> _Grid:
    return _Grid(title, columns, rows, highlight)


def summary_table(est: Estimate) -> _Grid:
    rows: list[Row] = []
    shares = share_of_largest([s.total for s in est.scenarios])
    for s, share in zip(est.scenarios, shares):
        is_standard = s.name == "standard"
        rows.append(
            (
                [
                    s.name,
                    fmt.usd_auto(s.total),
                    fmt.usd_small(s.per_request),
                    "—" if is_standard else fmt.usd_auto(s.savings),
                    "—" if is_standard else fmt.pct(s.savings_pct),
                    bar(share),
                ],
                False,
            )
        )
    columns = [
        ("Scenario", "left"),
        ("Total", "right"),
        ("Per request", "right"),
        ("Savings", "right"),
        ("%", "right"),
        ("", "left"),
    ]
    return _grid(
        "Cost by scenario, savings against standard", columns, rows, highlight=len(rows) - 1
    )


def lines_table(est: Estimate) -> _Grid:
    rows: list[Row] = []
    for s in est.scenarios:
        shown = [line for line in s.lines if line.tokens] or list(s.lines[:1])
        for i, line in enumerate(shown):
            rows.append(
                (
                    [
                        s.name if i == 0 else "",
                        CLASS_LABELS[line.token_class],
                        fmt.tokens(line.tokens),
                        fmt.rate(line.rate),
                        fmt.usd_auto(line.cost),
                    ],
                    i == len(shown) - 1,
                )
            )
    columns = [
        ("Scenario", "left"),
        ("Token class", "left"),
        ("Tokens", "right"),
        ("$/MTok", "right"),
        ("Cost", "right"),
    ]
    return _grid("Line items", columns, rows)


def warnings_text(warnings: Iterable[Notice]) -> Text | None:
    items = [render_message(w) for w in warnings]
    if not items:
        return None
    text = Text()
    for i, warning in enumerate(items):
        text.append(("\n" if i else "") + "warning: ", style="bold yellow")
        text.append(plain_inert(warning))
    return text


def cache_range_table(a: Analysis) -> _Grid:
    cached, uncached = a.cached_scenario, a.uncached_scenario
    labels = {
        "best": "best: one write",
        "per_batch": "one write per batch",
        "expected": "expected",
        "worst": "worst: 0% hits",
    }
    rows: list[Row] = []
    for c in a.cache_range:
        rows.append(
            (
                [
                    labels[c.name],
                    fmt.tokens(c.writes),
                    fmt.tokens(c.reads),
                    fmt.pct(c.hit_rate * 100, 2),
                    fmt.usd_auto(c.cached_total),
                    "costs MORE than no caching" if c.costs_more_than_uncached else "",
                ],
                False,
            )
        )
    columns = [
        ("Case", "left"),
        ("Writes", "right"),
        ("Reads", "right"),
        ("Hit rate", "right"),
        (cached, "right"),
        ("Note", "left"),
    ]
    title = (
        f"Cache hits, best to worst ({uncached} without caching: "
        f"{fmt.usd_auto(a.cache_range[0].uncached_total)})"
    )
    return _grid(title, columns, rows)


def planning_text(a: Analysis) -> Text:
    text = Text()
    ttl = a.estimate.workload.ttl
    if a.break_even_hit_rate is not None and a.estimate.workload.shared_tokens:
        text.append("Break-even: ", style="bold")
        text.append(
            f"caching beats no caching above a {fmt.pct(a.break_even_hit_rate * 100)} "
            f"hit rate ({ttl} TTL)"
        )
        if a.min_requests_for_caching is not None:
            text.append(
                f", and from {_plural(a.min_requests_for_caching, 'request')} with one write"
            )
        text.append("\n")
    plan = a.batch_plan
    if plan is not None:
        text.append("Batches: ", style="bold")
        if plan.batches == 1:
            text.append(
                f"fits one batch (~{fmt.size(plan.total_bytes)} at "
                f"{fmt.number(plan.bytes_per_token)} bytes/token)\n"
            )
        else:
            text.append(
                f"{plan.batches} batches of up to {fmt.tokens(plan.requests_per_batch)} requests"
                f" (the last {fmt.tokens(plan.last_batch_requests)}); ~{fmt.size(plan.total_bytes)}"
                f" at {fmt.number(plan.bytes_per_token)} bytes/token, limits "
                f"{fmt.tokens(plan.limits.max_requests)} requests and "
                f"{fmt.size(plan.limits.max_bytes)} per batch\n"
            )
    t = a.ttl_advice
    if t is not None:
        text.append("TTL: ", style="bold")
        text.append(f"use {t.recommended}. ", style="bold")
        text.append(
            f"With {fmt.pct(t.hit_rate * 100)} cache hits, {a.cached_scenario} costs "
            f"{fmt.usd_auto(t.cost_5m)} with 5m and {fmt.usd_auto(t.cost_1h)} with 1h "
            f"(+{fmt.usd_auto(t.extra_for_1h)}); {ttl_reason(t)}.\n"
        )
    text.rstrip()
    return text


def token_text(a: Analysis) -> Text | None:
    t = a.tokens
    if t is None:
        return None
    text = Text()
    if t.exact:
        text.append("Token counts: exact, from Anthropic's count_tokens\n", style="bold")
    else:
        text.append("Token counts: estimated", style="bold")
        text.append(
            f" (tiktoken cl100k_base x the {t.tokenizer} tokenizer's ratio for each "
            "text's kind: prose, code, structured or scripts; low-high is its band)\n"
        )
    from costcalc.tokens.count import band_text

    if t.shared is not None:
        text.append(f"  shared prefix: {band_text(t.shared)} tokens\n")
    if t.unique is not None:
        many = f" over {t.unique_texts:,} files" if t.unique_texts > 1 else ""
        text.append(f"  unique per request{many}: {band_text(t.unique)} tokens")
        if t.unique_max is not None and t.unique_texts > 1:
            text.append(f", largest {band_text(t.unique_max)}")
        text.append("\n")
    text.rstrip()
    return text


def cost_band_table(a: Analysis) -> _Grid:
    rows: list[Row] = [
        (
            [
                name,
                fmt.usd_auto(low),
                fmt.usd_auto(a.estimate.scenario(name).total),
                fmt.usd_auto(high),
            ],
            False,
        )
        for name, low, high in a.cost_band
    ]
    columns = [
        ("Scenario", "left"),
        ("Low count", "right"),
        ("Central", "right"),
        ("High count", "right"),
    ]
    return _grid("Cost at the low, central and high token counts", columns, rows)


def analysis_view(a: Analysis) -> RenderableType:
    est = a.estimate
    parts: list[RenderableType] = [estimate_header(est)]
    tokens = token_text(a)
    if tokens is not None:
        parts.append(tokens)
    parts += ["", summary_table(est), ""]
    if a.cost_band:
        parts += [cost_band_table(a), ""]
    parts += [lines_table(est), ""]
    if a.cache_range:
        parts += [cache_range_table(a), ""]
    parts.append(planning_text(a))
    warned = warnings_text(a.warnings)
    if warned is not None:
        parts.append(warned)
    return Group(*parts)


def comparison_view(analyses: list[Analysis]) -> RenderableType:
    first = analyses[0].estimate
    names = [s.name for s in first.scenarios]
    rows: list[Row] = []
    for a in analyses:
        est = a.estimate
        best = est.scenario(a.cached_scenario)
        rows.append(
            (
                [
                    est.model.short_name,
                    *(fmt.usd_auto(est.scenario(n).total) for n in names),
                    fmt.usd_small(best.per_request),
                    fmt.pct(best.savings_pct),
                ],
                False,
            )
        )
    columns = [
        ("Model", "left"),
        *((n, "right") for n in names),
        ("per request", "right"),
        ("saved", "right"),
    ]
    title = f"Models compared (per request and saved: {analyses[0].cached_scenario})"
    parts: list[RenderableType] = [estimate_header(first), "", _grid(title, columns, rows)]
    for a in analyses:
        warned = warnings_text(a.warnings)
        if warned is not None:
            parts += ["", Text(a.estimate.model.name, style="bold"), warned]
    return Group(*parts)


def _param_text(value: object) -> str:
    if isinstance(value, int):
        return fmt.tokens(value)
    if value is None:
        return "—"
    return str(value)


def sweep_view(points: list[SweepPoint], names: list[str]) -> RenderableType:
    scenarios = [s.name for s in points[0].analysis.estimate.scenarios]
    rows: list[Row] = []
    for p in points:
        est = p.analysis.estimate
        rows.append(
            (
                [
                    *(_param_text(p.params[n]) for n in names),
                    *(fmt.usd_auto(est.scenario(s).total) for s in scenarios),
                    fmt.pct(est.scenario(scenarios[-1]).savings_pct),
                ],
                False,
            )
        )
    columns = [
        *((n, "right") for n in names),
        *((s, "right") for s in scenarios),
        ("saved", "right"),
    ]
    parts: list[RenderableType] = [_grid("Sweep: total cost of every combination", columns, rows)]
    # Warnings about the prices themselves (unconfirmed_price), once per model.
    price_warnings = {
        (w.code, p.analysis.estimate.model.id): w
        for p in points
        for w in p.analysis.estimate.warnings
        if w.code == "unconfirmed_price"
    }
    warned = warnings_text(price_warnings.values())
    if warned is not None:
        parts.append(warned)
    seen: set[tuple[str, str]] = set()
    notes = Text()
    for p in points:
        a = p.analysis
        key = (a.estimate.model.id, a.estimate.workload.ttl)
        if key in seen or a.min_requests_for_caching is None:
            continue
        seen.add(key)
        notes.append(
            f"{a.estimate.model.short_name}: caching pays off from "
            f"{_plural(a.min_requests_for_caching, 'request')} with one write, "
            f"above a {fmt.pct((a.break_even_hit_rate or Decimal(0)) * 100)} hit rate "
            f"({key[1]} TTL)\n"
        )
    notes.rstrip()
    parts += ["", notes]
    return Group(*parts)


def tokens_view(rows, total, columns, distinct: int) -> RenderableType:
    from costcalc.tokens.count import band_text

    def cells(r) -> list[str]:
        return [
            r.label,
            fmt.tokens(r.size),
            fmt.tokens(r.cl100k),
            r.kind,
            *(band_text(b) for b in r.counts),
        ]

    body: list[Row] = [(cells(r), False) for r in rows]
    body[-1] = (body[-1][0], True)
    body.append((cells(total), False))
    columns_spec = [
        ("File", "left"),
        ("Bytes", "right"),
        ("cl100k", "right"),
        ("Kind", "left"),
        *((c.label, "right") for c in columns),
    ]
    note = Text()
    for c in columns:
        t = c.tokenizer
        if c.model_id:
            note.append(f"{c.label}: exact, from Anthropic's count_tokens\n")
        else:
            kinds = "; ".join(
                f"{k} {fmt.plain(lo)}-{fmt.plain(hi)}" for k, (lo, _, hi) in t.by_kind.items()
            )
            note.append(
                f"{c.label}: estimated as cl100k_base x the ratio of each file's kind"
                f" ({kinds or 'one ratio'}; other text {fmt.plain(t.low)}-{fmt.plain(t.high)},"
                f" measured on sample texts); {t.description}\n"
            )
    note.append(
        f"{_plural(len(rows), 'file')}, {_plural(distinct, 'distinct text')} "
        "(identical texts counted once). Only count_tokens (--exact) is exact."
    )
    return Group(_grid("Tokens per file", columns_spec, body, highlight=len(body) - 1), "", note)


def plan_view(jobs: list[tuple[str, Analysis]], totals: dict) -> RenderableType:
    names = list(totals)
    rows: list[Row] = []
    for job, a in jobs:
        est = a.estimate
        rows.append(
            (
                [job, est.model.short_name, *(fmt.usd_auto(scenario_total(a, n)) for n in names)],
                False,
            )
        )
    rows[-1] = (rows[-1][0], True)
    rows.append((["total", "", *(fmt.usd_auto(totals[n]) for n in names)], False))
    columns = [("Job", "left"), ("Model", "left"), *((n, "right") for n in names)]
    parts: list[RenderableType] = [
        _grid("Plan: cost of each job by scenario", columns, rows, highlight=len(rows) - 1)
    ]
    for job, a in jobs:
        warned = warnings_text(a.warnings)
        if warned is not None:
            parts += ["", Text(plain_inert(job), style="bold"), warned]
    return Group(*parts)


def budget_message(check: BudgetCheck) -> str:
    if check.within:
        money = (
            f"within budget: {check.scenario} costs {fmt.usd_auto(check.total)} "
            f"of a {fmt.usd_auto(check.budget)} budget"
        )
    else:
        money = (
            f"over budget: {check.scenario} costs {fmt.usd_auto(check.total)}, budget "
            f"{fmt.usd_auto(check.budget)}, over by {fmt.usd_auto(check.over_by)}"
        )
    if not check.errors:
        return money
    n = len(check.errors)
    return (
        f"budget check failed: {n} error{'s' if n != 1 else ''} reported above "
        f"({', '.join(check.errors)}) fail{'s' if n == 1 else ''} the gate whatever the cost; "
        + money
    )


def _label(m: ModelPrice) -> str:
    return m.name.removeprefix("Claude ") + ("*" if m.unconfirmed else "")


STATUS_GROUPS = (
    ("active", "Active"),
    ("legacy", "Legacy (still served)"),
    ("retired", "Retired"),
)


def status_group(m: ModelPrice, on: date) -> str:
    """active, legacy (legacy or deprecated, still served) or retired, as of `on`."""
    if not m.is_current(on):
        return "retired"
    return "active" if m.status == "active" else "legacy"


def _grouped(models: list[ModelPrice], on: date) -> list[tuple[str, list[ModelPrice]]]:
    groups = [
        (title, [m for m in models if status_group(m, on) == key]) for key, title in STATUS_GROUPS
    ]
    return [(title, ms) for title, ms in groups if ms]


def prices_table(models: list[ModelPrice], on: date | None = None) -> Table:
    on = on or date.today()
    table = _table(f"Prices on {on.isoformat()}, USD per million tokens (* unconfirmed)")
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
    table = _table("Prompt-length tiers and dated prices, USD per million tokens")
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
    table = _table("Names, status and limits (tokens; ? = not in our sources)")
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
    table = _table("Modifiers (--region us, --fast); models not listed have neither")
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


def _lines(lines: list[int], count: int, shown: int = 6) -> str:
    """The first `shown` of a problem's lines, and how many more of its `count` there are."""
    head = ", ".join(f"{n:,}" for n in lines[:shown])
    more = f" and {count - shown:,} more" if count > shown else ""
    return f"line{'s' if count > 1 else ''} {head}{more}"


def unpriced_view(count: int, notes: list[Notice]) -> RenderableType:
    """The first thing a check report says when some requests could not be priced."""
    text = Text()
    text.append(
        f"{_plural(count, 'request')} could not be priced, so the cost below leaves "
        f"{'it' if count == 1 else 'them'} out:\n",
        style="bold red",
    )
    for note in notes:
        text.append(f"  {plain_inert(render_message(note))}\n")
    return text


def check_view(r) -> RenderableType:
    from costcalc.tokens.count import band_text

    b = r.batch
    head = Text()
    head.append(plain_inert(b.path), style="bold")
    head.append(f": {_plural(len(b.requests), 'request')} ({b.form}, {fmt.size(b.size)})")
    if b.malformed:
        head.append(f", {b.malformed:,} malformed skipped", style="yellow")
    if r.rejected:
        head.append(
            f", {r.rejected:,} the API would reject (not billed, left out of the cost)",
            style="yellow",
        )
    head.append(
        "\nToken counts: "
        + (
            "exact (count_tokens)"
            if r.exact
            else "estimated, ~central (low-high); --exact for exact counts"
        )
    )
    models = Text()
    for m in r.models:
        models.append(f"{m.model.name} ({m.model.id})", style="bold")
        models.append(
            f": {_plural(m.requests, 'request')}, {fmt.tokens(m.prefixes)} distinct "
            f"cache entr{'ies' if m.prefixes != 1 else 'y'}\n"
        )
        if m.shared is not None:
            models.append(
                f"  cached prefix    {band_text(m.shared)} tokens (to the last breakpoint)\n"
            )
        models.append(
            f"  after it, mean   {band_text(m.unique_mean)} tokens; largest "
            f"{band_text(m.unique_max)}\n"
        )
        models.append(f"  max_tokens, mean {fmt.tokens(m.max_tokens_mean)}\n")
    models.rstrip()
    cost_rows: list[Row] = [
        (
            [f"{name}{' (as submitted)' if name == 'batch_cache' else ''}", fmt.usd_auto(total)],
            False,
        )
        for name, total in r.totals.items()
    ]
    cost_rows[-1] = (cost_rows[-1][0], True)
    cost_rows.append(
        (
            [f"batch_cache, expected ({fmt.pct(r.hit_rate * 100)} hits)", fmt.usd_auto(r.expected)],
            False,
        )
    )
    cost_rows.append(
        (["batch_cache, worst (0% hits, max_tokens, high counts)", fmt.usd_auto(r.worst)], False)
    )
    cost_rows += warm_check_rows(r)
    cost = _grid(
        "Cost (best case: file order, each cache entry written once per batch, then read)",
        [("Scenario", "left"), ("Total", "right")],
        cost_rows,
    )
    parts: list[RenderableType] = [
        head,
        "",
        models,
        "",
        cost,
        Text(render_message(r.output_note), style="dim"),
        "",
    ]
    if r.entries:
        parts += [_entries_table(r), ""]
    warned = warnings_text(r.warnings)
    if warned is not None:
        parts += [warned, ""]
    problems = Text()
    if b.problems:
        problems.append(f"Problems ({_plural(len(b.problems), 'kind')})\n", style="bold")
        for p in b.problems.values():
            problems.append("✗ ", style="bold red")
            problems.append(f"{p.kind}: ", style="bold")
            problems.append(f"{plain_inert(render_message(p))} ({_lines(p.lines, p.count)})\n")
    else:
        problems.append("No problems found.\n", style="bold green")
    if r.split:
        max_requests, max_bytes = r.limits
        problems.append(
            f"Over the batch limits ({fmt.tokens(max_requests)} requests, "
            f"{fmt.size(max_bytes)}): split into {len(r.split)} batches that keep each "
            "prefix's requests together:\n",
            style="bold",
        )
        for i, (n, size, k) in enumerate(r.split, 1):
            problems.append(
                f"  batch {i}: {_plural(n, 'request')}, {fmt.size(size)}, "
                f"{fmt.tokens(k)} prefix group{'s' if k != 1 else ''}\n"
            )
    problems.rstrip()
    parts.append(problems)
    return Group(*parts)


ENTRY_ROWS = 10


def _entries_table(r) -> RenderableType:
    """Where the cache money goes: the distinct entries that cost most in the best case."""
    rows: list[Row] = []
    for e in r.entries[:ENTRY_ROWS]:
        rows.append(
            (
                [
                    str(e.line),
                    fmt.tokens(e.tokens) + ("" if e.cached else " (under minimum)"),
                    e.ttl,
                    fmt.tokens(e.writes),
                    fmt.tokens(e.reads),
                    fmt.usd_auto(e.cost),
                ],
                False,
            )
        )
    more = r.entry_count - len(rows)
    title = f"Cache entries ({fmt.tokens(r.entry_count)} distinct; best case, batch rates"
    title += f"; top {len(rows)} by cost, {fmt.tokens(more)} more)" if more > 0 else ")"
    columns = [
        ("First line", "right"),
        ("Tokens", "right"),
        ("TTL", "left"),
        ("Writes", "right"),
        ("Reads", "right"),
        ("Cost", "right"),
    ]
    return _grid(title, columns, rows)


def actual_view(r, comparison=None) -> RenderableType:
    head = Text()
    head.append(plain_inert(r.path), style="bold")
    c = r.counts
    head.append(
        f": {_plural(sum(c.values()), 'result')}: {c['succeeded']:,} succeeded, {c['errored']:,} "
        f"errored, {c['canceled']:,} canceled, {c['expired']:,} expired (not billed)"
    )
    if r.malformed:
        head.append(f"; {_plural(len(r.malformed), 'malformed line')} skipped", style="yellow")
    tiers = {k: n for k, n in r.service_tiers.items() if n}
    on = f" of {r.priced_on.isoformat()}" if r.priced_on is not None else ""
    if set(tiers) <= {"batch" if r.batch else "standard"}:
        head.append(
            f"\nPriced at {'batch' if r.batch else 'real-time'} prices{on}"
            + (" (--no-batch for real-time usage)" if r.batch else "")
        )
    else:
        # Each line's usage.service_tier (and speed) chose its rates.
        head.append(
            f"\nPriced per line by its service tier, at prices{on}: "
            + ", ".join(f"{fmt.tokens(n)} {k}" for k, n in sorted(tiers.items()))
        )
    if r.unpriced:
        head.append(
            f"\n{_plural(r.unpriced, 'succeeded request')} could not be priced and "
            f"{'is' if r.unpriced == 1 else 'are'} not in the total (see the warnings)",
            style="yellow",
        )
    rows: list[Row] = []
    for line in r.lines:
        rows.append(
            (
                [
                    CLASS_LABELS[line.token_class],
                    fmt.tokens(line.tokens),
                    fmt.rate(line.rate) if line.tokens else "—",
                    fmt.usd_auto(line.cost),
                    fmt.pct(r.share_of_total(line.cost)),
                ],
                False,
            )
        )
    if r.web_searches:
        rows.append(
            (
                [
                    f"web searches ({fmt.tokens(r.web_searches)})",
                    "",
                    "",
                    fmt.usd_auto(r.web_search_cost),
                    fmt.pct(r.share_of_total(r.web_search_cost)),
                ],
                False,
            )
        )
    rows[-1] = (rows[-1][0], True)
    rows.append((["total billed", "", "", fmt.usd_auto(r.total), ""], False))
    table = _grid(
        "Where the money went",
        [
            ("Token class", "left"),
            ("Tokens", "right"),
            ("Avg $/MTok", "right"),
            ("Cost", "right"),
            ("Share", "right"),
        ],
        rows,
        highlight=len(rows) - 1,
    )
    cache = Text()
    cache.append("Per succeeded request: ", style="bold")
    cache.append(fmt.usd_small(r.per_request) if r.per_request is not None else "—")
    if len(r.per_model) > 1:
        cache.append(
            "; by model: "
            + ", ".join(
                f"{m} {fmt.usd_auto(t)} ({_plural(n, 'request')})"
                for m, (n, t) in r.per_model.items()
            )
        )
    cache.append("\nCache: ", style="bold")
    cache.append(
        f"{_plural(r.wrote, 'request')} wrote the cache, {fmt.tokens(r.read)} read it "
        f"({fmt.tokens(r.both)} both), {fmt.tokens(r.neither)} neither"
    )
    if r.read_share is not None:
        cache.append(f"; reads were {fmt.pct(r.read_share * 100)} of cached-prefix tokens")
    if r.cache_miss_reasons:
        cache.append("\nCache misses (diagnostics): ", style="bold")
        cache.append(
            ", ".join(
                f"{fmt.tokens(n)} {reason.replace('_', ' ')}"
                + (f" (~{fmt.tokens(missed)} input tokens)" if missed else "")
                for reason, (n, missed) in r.cache_miss_reasons.items()
            )
        )
    if r.effective_input_rate is not None:
        cache.append("\nEffective input rate: ", style="bold")
        cache.append(
            f"{fmt.pct(r.effective_input_rate * 100)} of the standard input price "
            "(batch + cache at its best: 5%)"
        )
    parts: list[RenderableType] = [head, "", table, cache]
    if comparison is not None:
        crow: list[Row] = [
            (
                [
                    CLASS_LABELS[d.token_class],
                    fmt.tokens(d.estimated_tokens),
                    fmt.tokens(d.actual_tokens),
                    fmt.usd_auto(d.estimated_cost),
                    fmt.usd_auto(d.actual_cost),
                ],
                False,
            )
            for d in comparison.rows
        ]
        crow[-1] = (crow[-1][0], True)
        crow.append(
            (
                [
                    "total",
                    "",
                    "",
                    fmt.usd_auto(comparison.estimated_total),
                    fmt.usd_auto(comparison.actual_total),
                ],
                False,
            )
        )
        parts += [
            "",
            _grid(
                f"Estimate ({comparison.source}) against actual",
                [
                    ("Token class", "left"),
                    ("Est. tokens", "right"),
                    ("Actual tokens", "right"),
                    ("Est. cost", "right"),
                    ("Actual cost", "right"),
                ],
                crow,
                highlight=len(crow) - 1,
            ),
        ]
        why = Text()
        explained = [render_message(n) for n in comparison.explanations]
        for note in explained or ["the estimate matched within 5% on every class"]:
            why.append("• " + note + "\n")
        why.rstrip()
        parts.append(why)
    warned = warnings_text(r.warnings)
    if warned is not None:
        parts += ["", warned]
    return Group(*parts)


# Cache warm-up (warmup.py) ---------------------------------------------------------------


def warm_check_rows(r) -> list[Row]:
    """check's warm-up case: primer batch + the batch with every primed entry read."""
    w = getattr(r, "warm", None)
    if w is None or not w.primers:
        return []
    n = len(w.primers)
    best = "warm-up" if r.cheapest == "warm_up" else "no warm-up (expected case)"
    return [
        (
            [
                f"batch_cache, warm-up ({n:,} primer{'s' if n != 1 else ''} "
                f"{fmt.usd_auto(w.primer_cost)} + batch {fmt.usd_auto(w.batch_cost)}; "
                f"cheapest here: {best})",
                fmt.usd_auto(w.total),
            ],
            False,
        )
    ]


def warmup_view(r, written: int | None, out, ttl_copy) -> RenderableType:
    """What `costcalc warmup` did and what it costs, with the steps to follow."""
    w = r.warm
    text = Text()
    text.append(plain_inert(r.batch.path), style="bold")
    text.append(
        f": {r.entry_count:,} distinct cache entr{'ies' if r.entry_count != 1 else 'y'}; "
        f"{_plural(len(w.primers), 'primer request')} "
        f"warm{'s' if len(w.primers) == 1 else ''} {w.primed:,} of them\n"
    )
    if w.skipped_unread:
        text.append(
            f"  {w.skipped_unread:,} entr{'ies' if w.skipped_unread != 1 else 'y'} no other "
            "request reads: not primed (priming adds a 1h write and still costs a read; the "
            "request writing it itself is cheaper)\n"
        )
    if w.skipped_small:
        text.append(
            f"  {w.skipped_small:,} entr{'ies' if w.skipped_small != 1 else 'y'} under the "
            "model's minimum cacheable length: not cached, not primed\n"
        )
    nested = sum(len(p.covers) for p in w.primers)
    if nested:
        text.append(
            f"  {nested:,} shorter entr{'ies' if nested != 1 else 'y'} written by the primer "
            "of a longer one (its breakpoint is kept): no primer of "
            f"{'its' if nested == 1 else 'their'} own\n"
        )
    if not w.primers:
        text.append("Nothing to warm: no cache entry is shared by two requests.\n")
        return text
    rows: list[Row] = [
        (
            [
                "primer batch (1h batch writes, max_tokens of output, a 1-character user turn)",
                fmt.usd_auto(w.primer_cost),
            ],
            False,
        ),
        (["the batch with every primed entry read", fmt.usd_auto(w.batch_cost)], False),
        (["warm-up total", fmt.usd_auto(w.total)], True),
        (
            [
                f"without warm-up: expected ({fmt.pct(r.hit_rate * 100)} hits)",
                fmt.usd_auto(r.expected),
            ],
            False,
        ),
        (["without warm-up: worst (0% hits)", fmt.usd_auto(r.worst)], False),
    ]
    table = _grid("Cost", [("Case", "left"), ("Total", "right")], rows)
    steps = Text()
    if written is not None:
        steps.append(f"Wrote {_plural(written, 'primer request')} to {plain_inert(out)}.\n")
    steps.append("Steps:\n", style="bold")
    steps.append(
        "  1. submit the primer batch"
        + (f" ({plain_inert(out)})" if out is not None else " (--out PRIMER.jsonl writes it)")
        + "\n  2. wait until it has ended (processing_status: ended)\n"
        "  3. submit the batch within the hour (the primed entries live 1h)\n"
    )
    if w.five_minute:
        steps.append(
            "The file's own breakpoints use the 5m TTL: a batch can run longer than 5 minutes, "
            "so its writes expire early; "
        )
        if ttl_copy is not None:
            steps.append(f"a copy with every breakpoint at 1h is in {plain_inert(ttl_copy)}.\n")
        else:
            steps.append("--ttl-1h OUT.jsonl writes a copy with every breakpoint at 1h.\n")
    steps.rstrip()
    warned = warnings_text(r.warnings)
    if warned is not None:
        return Group(text, table, steps, warned)
    return Group(text, table, steps)


def cold_start_view(c) -> RenderableType:
    """actual's cold-start misses (results.ColdStart), or what is needed to count them."""
    text = Text()
    if c is None:
        text.append(
            "Cold-start misses: give --batch FILE (the request file that was submitted) to "
            "count the cache writes an earlier request had already made."
        )
        return text
    text.append("Cold-start misses: ", style="bold")
    text.append(
        f"{_plural(c.misses, 'request')} of {c.matched:,} wrote cache entries an earlier request "
        f"had already written ({fmt.tokens(c.tokens)} tokens, {fmt.usd_auto(c.extra_cost)} "
        "more than reading them).\n"
    )
    warned = warnings_text(c.notices)
    if c.verdict is None:
        # Nothing matched the request file: no verdict on a run it does not describe.
        text.rstrip()
        return Group(text, warned) if warned is not None else text
    if c.verdict == "would_pay":
        text.append(
            f"A warm-up (primer batch {fmt.usd_auto(c.primer_cost)}) would have turned "
            f"{fmt.tokens(c.primed_tokens)} written tokens into reads and saved about "
            f"{fmt.usd_auto(c.saved)} on this run: costcalc warmup FILE --out primer.jsonl"
        )
    else:
        text.append(
            f"A warm-up (primer batch {fmt.usd_auto(c.primer_cost)}) would not have paid for "
            "itself on this run."
        )
    return Group(text, warned) if warned is not None else text


# Table presenters (present.PRESENTERS): one per command's result type.


def estimate_table(result: EstimateResult) -> RenderableType:
    analyses = result.analyses
    return analysis_view(analyses[0]) if len(analyses) == 1 else comparison_view(analyses)


def sweep_table(result: SweepResult) -> RenderableType:
    return sweep_view(result.points, list(result.swept))


def plan_table(result: PlanResult) -> RenderableType:
    return plan_view(result.jobs, result.totals)


def tokens_table(result: TokensResult) -> RenderableType:
    return tokens_view(result.rows, result.total, result.columns, result.distinct)


def check_table(result: CheckResult) -> RenderableType:
    view = check_view(result.report)
    missing = result.unpriced
    if missing.count:
        return Group(unpriced_view(missing.count, missing.notes), view)
    return view


def actual_table(result: ActualResult) -> RenderableType:
    return Group(actual_view(result.report, result.comparison), cold_start_view(result.cold))


def models_table(result: ModelsResult) -> RenderableType:
    on = result.on
    current = [s for m, s in result.rows if m.is_current(on)]
    return models_view([m for m, _ in result.rows], current, on, result.source)


def warmup_table(result: WarmupResult) -> RenderableType:
    r = result.report
    view = warmup_view(r, result.written, result.out, result.ttl_copy)
    if r.unpriced.count:
        return Group(unpriced_view(r.unpriced.count, list(r.warm_notices)), view)
    return view
