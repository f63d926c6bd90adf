"""`check --format html --group-by`: where the money of a request file would go, by group: a
stacked bar per group by token class (best case, batch rates), drawn as `actual`'s page draws
its groups (barchart.py), the cache hit rate per group, and the per-group table.

Every group name comes from a file or an argument: it passes through html.escape (and the
chart's own escaping), so a tag like `<script>` is text on the page.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import TYPE_CHECKING

from costcalc import fmt
from costcalc.compute.engine import USAGE_CLASSES
from costcalc.messages.text import text
from costcalc.present.barchart import rate_bars, stacked_bars
from costcalc.present.htmltable import group_table

if TYPE_CHECKING:
    from costcalc.compute.checkgroups import CheckGroup, CheckGroups, CheckTotals

CHART_ROWS = 20  # groups drawn; the rest are one "others" bar (the table lists them all)
HEAD = (  # the table's column names, by code
    "check.html_col_requests",
    "check.html_col_rejected",
    "check.html_col_best",
    "check.html_col_expected",
    "check.html_col_worst",
    "check.html_col_standard",
    "check.html_col_saving",
    "check.html_col_hit_rate",
)


def _usd(value: Decimal) -> str:
    return escape(fmt.usd_auto(value))


def _name(g: CheckGroup) -> str:
    return " / ".join(g.key)


def check_groups_html(groups: CheckGroups) -> list[str]:
    """The section of the check page for --group-by (HTML, already escaped)."""
    from costcalc.compute.checkgroups import CheckTotals

    by = text("check.group_levels", levels=groups.group_by)
    shown = list((groups.subtotals or groups.groups)[:CHART_ROWS])
    rest = (groups.subtotals or groups.groups)[CHART_ROWS:]
    names = [_name(g) for g in shown]
    totals = [g.totals for g in shown]
    if rest:
        other = CheckTotals()
        for g in rest:
            other.add(g.totals)
        names.append(text("check.html_others", count=f"{len(rest):,}"))
        totals.append(other)
    first = groups.group_by[0]
    series = [text(f"class.{c}") for c in USAGE_CLASSES]
    values = [[t.class_cost[c] for c in USAGE_CLASSES] for t in totals]
    return [
        f"<h2>{escape(text('check.html_by', levels=by))}</h2>",
        stacked_bars(text("check.html_chart_cost", level=first), names, series, values),
        rate_bars(
            text("check.html_chart_hit_rate", level=first), names, [t.hit_rate for t in totals]
        ),
        _table(groups),
        _gates(groups),
    ]


def _cells(t: CheckTotals) -> str:
    rate = t.hit_rate
    values = (
        f"{t.requests:,}",
        f"{t.rejected:,}",
        f'<span data-usd="{fmt.plain(t.cost)}">{_usd(t.cost)}</span>',
        _usd(t.expected),
        _usd(t.worst),
        _usd(t.standard),
        _usd(t.saving),
        "-" if rate is None else fmt.pct(rate * 100),
    )
    return "".join(f'<td class="n">{v}</td>' for v in values)


def _table(groups: CheckGroups) -> str:
    head = [escape(text(code)) for code in HEAD]
    return group_table(
        "check-groups", len(groups.group_by), groups.groups, groups.subtotals, head, _cells
    )


def _gates(groups: CheckGroups) -> str:
    from costcalc.present.budget import budget_message

    if not groups.gates:
        return ""
    items = []
    for g in groups.gates:
        cls = "pass" if g.passed else "fail"
        items.append(f'<li class="{cls}">{escape(budget_message(g.check))}</li>')
    title = escape(text("check.html_budget_per_group"))
    return f"<h2>{title}</h2><ul>{''.join(items)}</ul>"
