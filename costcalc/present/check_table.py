"""`costcalc check` as tables: the request file, its cost by case, its cache entries and its
problems.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from costcalc import fmt
from costcalc.compute.outcomes import CheckResult
from costcalc.messages import render as render_message
from costcalc.messages.text import text
from costcalc.notices import Notice
from costcalc.present.grid import Grid, Row, grid
from costcalc.present.notices_table import warnings_text
from costcalc.safe import plain_inert

if TYPE_CHECKING:
    from costcalc.compute.check import Report as CheckReport
    from costcalc.compute.checkgroups import CheckGroups, CheckTotals


def _lines(lines: list[int], count: int, shown: int = 6) -> str:
    """The first `shown` of a problem's lines, and how many more of its `count` there are."""
    head = ", ".join(f"{n:,}" for n in lines[:shown])
    return text("check.problem_lines", lines=head, count=count, more=count - shown)


def unpriced_view(count: int, notes: list[Notice]) -> RenderableType:
    """The first thing a check report says when some requests could not be priced."""
    said = Text()
    said.append(text("check.unpriced", count=count) + "\n", style="bold red")
    for note in notes:
        said.append(f"  {plain_inert(render_message(note))}\n")
    return said


def warm_check_rows(r: CheckReport) -> list[Row]:
    """check's warm-up case: primer batch + the batch with every primed entry read."""
    w = getattr(r, "warm", None)
    if w is None or not w.primers:
        return []
    case = text(
        "check.case_warm_up",
        primers=len(w.primers),
        primer_cost=fmt.usd_auto(w.primer_cost),
        batch_cost=fmt.usd_auto(w.batch_cost),
        warm_up_cheapest=r.cheapest == "warm_up",
    )
    return [([case, fmt.usd_auto(w.total)], False)]


def _check_head(r: CheckReport) -> Text:
    """The file, its requests and how its tokens were counted."""
    b = r.batch
    head = Text()
    head.append(plain_inert(b.path), style="bold")
    head.append(
        text("check.head_requests", requests=len(b.requests), form=b.form, size=fmt.size(b.size))
    )
    if b.malformed:
        head.append(text("check.head_malformed", malformed=f"{b.malformed:,}"), style="yellow")
    if r.rejected:
        head.append(text("check.head_rejected", rejected=f"{r.rejected:,}"), style="yellow")
    counts = text("check.token_counts_exact" if r.exact else "check.token_counts_estimated")
    head.append("\n" + counts)
    return head


def _models_text(r: CheckReport) -> Text:
    """Each model's requests, cache entries and token counts."""
    from costcalc.tokens.count import band_text

    models = Text()
    for m in r.models:
        models.append(f"{m.model.name} ({m.model.id})", style="bold")
        models.append(text("check.model_counts", requests=m.requests, entries=m.prefixes) + "\n")
        if m.shared is not None:
            models.append(f"  {text('check.model_cached_prefix', tokens=band_text(m.shared))}\n")
        after = text(
            "check.model_after_prefix",
            mean=band_text(m.unique_mean),
            largest=band_text(m.unique_max),
        )
        models.append(f"  {after}\n")
        mean = fmt.tokens(m.max_tokens_mean)
        models.append(f"  {text('check.model_max_tokens', mean=mean)}\n")
    models.rstrip()
    return models


def _cost_grid(r: CheckReport) -> Grid:
    """The cost by case: best, expected, worst and (when it applies) warm-up."""
    cost_rows: list[Row] = [
        (
            [
                text("check.case_as_submitted", name=name) if name == "batch_cache" else name,
                fmt.usd_auto(total),
            ],
            False,
        )
        for name, total in r.totals.items()
    ]
    cost_rows[-1] = (cost_rows[-1][0], True)
    expected = text("check.case_expected", hit_rate=fmt.pct(r.hit_rate * 100))
    cost_rows.append(([expected, fmt.usd_auto(r.expected)], False))
    cost_rows.append(([text("check.case_worst"), fmt.usd_auto(r.worst)], False))
    cost_rows += warm_check_rows(r)
    return grid(
        text("check.title_cost"),
        [(text("check.col_scenario"), "left"), (text("check.col_total"), "right")],
        cost_rows,
    )


def _problems_text(r: CheckReport) -> Text:
    """The problems found, by kind, and the split when the file is over the batch limits."""
    b = r.batch
    problems = Text()
    if b.problems:
        problems.append(text("check.problems_title", kinds=len(b.problems)) + "\n", style="bold")
        for p in b.problems.values():
            problems.append("✗ ", style="bold red")
            problems.append(f"{p.kind}: ", style="bold")
            problems.append(f"{plain_inert(render_message(p))} ({_lines(p.lines, p.count)})\n")
    else:
        problems.append(text("check.no_problems") + "\n", style="bold green")
    if r.split:
        max_requests, max_bytes = r.limits
        over = text(
            "check.split_title",
            max_requests=fmt.tokens(max_requests),
            max_size=fmt.size(max_bytes),
            batches=len(r.split),
        )
        problems.append(over + "\n", style="bold")
        for i, (n, size, k) in enumerate(r.split, 1):
            batch = text("check.split_batch", number=i, requests=n, size=fmt.size(size), groups=k)
            problems.append(f"  {batch}\n")
    problems.rstrip()
    return problems


def check_view(r: CheckReport) -> RenderableType:
    head, models, cost = _check_head(r), _models_text(r), _cost_grid(r)
    parts: list[RenderableType] = [
        head,
        "",
        models,
        "",
        cost,
        Text(render_message(r.output_note), style="dim"),
        "",
    ]
    if r.groups is not None:
        parts += [groups_grid(r.groups), ""]
    if r.entries:
        parts += [_entries_table(r), ""]
    warned = warnings_text(r.warnings)
    if warned is not None:
        parts += [warned, ""]
    parts.append(_problems_text(r))
    return Group(*parts)


def _group_cells(t: CheckTotals) -> list[str]:
    requests = fmt.tokens(t.requests)
    if t.rejected:
        requests = text(
            "check.group_requests_rejected", requests=requests, rejected=f"{t.rejected:,}"
        )
    rate = t.hit_rate
    return [
        requests,
        fmt.usd_auto(t.cost),
        fmt.usd_auto(t.expected),
        fmt.usd_auto(t.worst),
        fmt.usd_auto(t.standard),
        fmt.usd_auto(t.saving),
        "-" if rate is None else fmt.pct(rate * 100),
    ]


def groups_grid(groups: CheckGroups) -> Grid:
    """The cost by group (check --group-by): each group's best, expected and worst case, at
    standard rates and its saving; with two levels each first-level group's subtotal first."""
    two = len(groups.group_by) > 1
    group = (text("check.col_group"), "left")
    names = [group, (text("check.col_subgroup"), "left")] if two else [group]
    numbers = (
        text("check.col_requests"),
        text("check.col_best"),
        text("check.col_expected"),
        text("check.col_worst"),
        text("check.col_standard"),
        text("check.col_saving"),
        text("check.col_hit_rate"),
    )
    every = text("check.group_all")
    subtotal = {g.key[0]: g.totals for g in groups.subtotals}
    rows: list[Row] = []
    shown = None
    for g in groups.groups:
        if two and g.key[0] != shown:
            if rows:
                rows[-1] = (rows[-1][0], True)
            shown = g.key[0]
            rows.append(([shown, every, *_group_cells(subtotal[shown])], False))
        keys = ["", g.key[1]] if two else [" / ".join(g.key)]
        rows.append(([*keys, *_group_cells(g.totals)], False))
    levels = text("check.group_levels", levels=groups.group_by)
    title = text("check.title_groups", levels=levels)
    return grid(title, [*names, *((n, "right") for n in numbers)], rows)


ENTRY_ROWS = 10


def _entries_table(r: CheckReport) -> RenderableType:
    """Where the cache money goes: the distinct entries that cost most in the best case."""
    rows: list[Row] = []
    for e in r.entries[:ENTRY_ROWS]:
        tokens = fmt.tokens(e.tokens)
        rows.append(
            (
                [
                    str(e.line),
                    tokens if e.cached else text("check.entry_under_minimum", tokens=tokens),
                    e.ttl,
                    fmt.tokens(e.writes),
                    fmt.tokens(e.reads),
                    fmt.usd_auto(e.cost),
                ],
                False,
            )
        )
    more = r.entry_count - len(rows)
    count = fmt.tokens(r.entry_count)
    if more > 0:
        title = text("check.title_entries_top", count=count, shown=len(rows), more=fmt.tokens(more))
    else:
        title = text("check.title_entries", count=count)
    columns = [
        (text("check.col_first_line"), "right"),
        (text("check.col_tokens"), "right"),
        (text("check.col_ttl"), "left"),
        (text("check.col_writes"), "right"),
        (text("check.col_reads"), "right"),
        (text("check.col_cost"), "right"),
    ]
    return grid(title, columns, rows)


def check_table(result: CheckResult) -> RenderableType:
    view = check_view(result.report)
    missing = result.unpriced
    if missing.count:
        return Group(unpriced_view(missing.count, missing.notes), view)
    return view
