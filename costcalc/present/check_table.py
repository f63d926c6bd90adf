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
from costcalc.notices import Notice
from costcalc.present.cells import plural
from costcalc.present.grid import Grid, Row, grid
from costcalc.present.notices_table import warnings_text
from costcalc.safe import plain_inert

if TYPE_CHECKING:
    from costcalc.compute.check import Report as CheckReport
    from costcalc.compute.checkgroups import CheckGroups, CheckTotals


def _lines(lines: list[int], count: int, shown: int = 6) -> str:
    """The first `shown` of a problem's lines, and how many more of its `count` there are."""
    head = ", ".join(f"{n:,}" for n in lines[:shown])
    more = f" and {count - shown:,} more" if count > shown else ""
    return f"line{'s' if count > 1 else ''} {head}{more}"


def unpriced_view(count: int, notes: list[Notice]) -> RenderableType:
    """The first thing a check report says when some requests could not be priced."""
    text = Text()
    text.append(
        f"{plural(count, 'request')} could not be priced, so the cost below leaves "
        f"{'it' if count == 1 else 'them'} out:\n",
        style="bold red",
    )
    for note in notes:
        text.append(f"  {plain_inert(render_message(note))}\n")
    return text


def warm_check_rows(r: CheckReport) -> list[Row]:
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


def _check_head(r: CheckReport) -> Text:
    """The file, its requests and how its tokens were counted."""
    b = r.batch
    head = Text()
    head.append(plain_inert(b.path), style="bold")
    head.append(f": {plural(len(b.requests), 'request')} ({b.form}, {fmt.size(b.size)})")
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
    return head


def _models_text(r: CheckReport) -> Text:
    """Each model's requests, cache entries and token counts."""
    from costcalc.tokens.count import band_text

    models = Text()
    for m in r.models:
        models.append(f"{m.model.name} ({m.model.id})", style="bold")
        models.append(
            f": {plural(m.requests, 'request')}, {fmt.tokens(m.prefixes)} distinct "
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
    return models


def _cost_grid(r: CheckReport) -> Grid:
    """The cost by case: best, expected, worst and (when it applies) warm-up."""
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
    cost = grid(
        "Cost (best case: file order, each cache entry written once per batch, then read)",
        [("Scenario", "left"), ("Total", "right")],
        cost_rows,
    )
    return cost


def _problems_text(r: CheckReport) -> Text:
    """The problems found, by kind, and the split when the file is over the batch limits."""
    b = r.batch
    problems = Text()
    if b.problems:
        problems.append(f"Problems ({plural(len(b.problems), 'kind')})\n", style="bold")
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
                f"  batch {i}: {plural(n, 'request')}, {fmt.size(size)}, "
                f"{fmt.tokens(k)} prefix group{'s' if k != 1 else ''}\n"
            )
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
    requests = fmt.tokens(t.requests) + (f" ({t.rejected:,} rejected)" if t.rejected else "")
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
    names = [("Group", "left"), ("Subgroup", "left")] if two else [("Group", "left")]
    numbers = ("Requests", "Best", "Expected", "Worst", "Standard", "Saving", "Hit rate")
    subtotal = {g.key[0]: g.totals for g in groups.subtotals}
    rows: list[Row] = []
    shown = None
    for g in groups.groups:
        if two and g.key[0] != shown:
            if rows:
                rows[-1] = (rows[-1][0], True)
            shown = g.key[0]
            rows.append(([shown, "(all)", *_group_cells(subtotal[shown])], False))
        keys = ["", g.key[1]] if two else [" / ".join(g.key)]
        rows.append(([*keys, *_group_cells(g.totals)], False))
    title = (
        f"By {' then '.join(groups.group_by)} (batch_cache; best as submitted, standard: "
        "real time without cache; hit rate: reads over reads and writes, best case)"
    )
    return grid(title, [*names, *((n, "right") for n in numbers)], rows)


ENTRY_ROWS = 10


def _entries_table(r: CheckReport) -> RenderableType:
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
    return grid(title, columns, rows)


def check_table(result: CheckResult) -> RenderableType:
    view = check_view(result.report)
    missing = result.unpriced
    if missing.count:
        return Group(unpriced_view(missing.count, missing.notes), view)
    return view
