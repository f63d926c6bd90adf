"""Presenting a many-file report (manyresults.Report): table, CSV (one row per group, or per
file without --group-by) and JSON. The HTML page is in htmlreport.py. No arithmetic here beyond
the properties the computing modules expose.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from costcalc import fmt
from costcalc.compute.engine import USAGE_CLASSES
from costcalc.compute.grouping import Group, Totals
from costcalc.compute.manyresults import FileRow, Gate, Report
from costcalc.compute.outcomes import ReportResult
from costcalc.fmt import plain
from costcalc.messages.text import text

if TYPE_CHECKING:
    from costcalc.compute.coldstart import ManyColdStart

GROUP_CSV_HEADER = [
    "group",
    "subgroup",
    "requests",
    "unpriced_requests",
    *[f"{c}_tokens" for c in USAGE_CLASSES],
    "web_searches",
    "cost_usd",
    # the cost leaves out unpriced requests or prices some at a lower bound: at least this
    "cost_is_lower_bound",
    "standard_usd",
    "saving_usd",
    "cache_hit_rate",
]
FILE_CSV_HEADER = [
    "file",
    "requests",
    "unpriced_requests",
    "errored",
    "canceled",
    "expired",
    "malformed_lines",
    *[f"{c}_tokens" for c in USAGE_CLASSES],
    "cost_usd",
    # the cost leaves out unpriced requests or prices some at a lower bound: at least this
    "cost_is_lower_bound",
    "standard_usd",
    "saving_usd",
    "cache_hit_rate",
]


# A cost with unpriced requests in it: what the priced ones cost, at least this much.
LOWER_BOUND_MARK = "+"
UNKNOWN_COST = text("report.unknown_cost")

# With request files (--batch): cold-start misses of each group or file, at the row's end.
COLD_CSV_HEADER = ["cold_start_misses", "cold_start_tokens_written_again", "cold_start_extra_usd"]


def _cold_cells(t: Totals) -> list[Any]:
    return [t.misses, t.miss_tokens, plain(t.miss_cost)]


def _cold_dict(t: Totals) -> dict[str, Any]:
    return dict(zip(COLD_CSV_HEADER, _cold_cells(t), strict=True))


def _rate(t: Totals) -> str | None:
    rate = t.hit_rate
    return None if rate is None else plain(rate.quantize(Decimal("0.0001")))


def _known(t: Totals, amount: Decimal) -> str | None:
    """An amount of `t` as a decimal string; None (JSON null, an empty CSV cell) when every
    request of `t` is unpriced: the cost is not known, never $0."""
    return plain(amount) if t.cost_known else None


def totals_dict(t: Totals) -> dict[str, Any]:
    return {
        "requests": t.requests,
        "unpriced_requests": t.unpriced,
        "tokens": dict(t.tokens),
        "cost_by_class_usd": {c: _known(t, v) for c, v in t.class_cost.items()},
        "web_searches": t.web_searches,
        "web_search_usd": _known(t, t.web_search_cost),
        "cost_usd": _known(t, t.cost),
        "standard_usd": _known(t, t.standard),
        "saving_usd": _known(t, t.saving),
        "cost_is_lower_bound": t.cost_is_lower_bound,
        "cache_hit_rate": _rate(t),
    }


def file_dict(f: FileRow, cold: bool = False) -> dict[str, Any]:
    from costcalc.messages import render
    from costcalc.present.notices_data import notices_list

    return {
        "file": f.file,
        "results": f.counts,
        "malformed_lines": f.malformed,
        **totals_dict(f.totals),
        **(_cold_dict(f.totals) if cold else {}),
        "total_usd": plain(f.total),
        "warnings": [render(w) for w in f.warnings],
        "notices": notices_list(f.warnings),
    }


def gate_dict(g: Gate) -> dict[str, Any]:
    return {
        "label": g.label,
        "budget_usd": plain(g.check.budget),
        # No priced request: the cost is not known (null), never $0 within budget.
        "cost_usd": plain(g.check.total) if g.cost_known else None,
        "within": g.check.within if g.cost_known else None,
        "over_by_usd": plain(g.check.over_by) if g.cost_known else None,
        "cost_is_lower_bound": g.cost_known and bool(g.unpriced or g.lower_bound),
        "unpriced_requests": g.unpriced,
        "lower_bound_requests": g.lower_bound,
        "malformed_lines": g.malformed,
        "passed": g.passed,
    }


def report_json(result: ReportResult) -> dict[str, Any]:
    from costcalc.present.notices_data import notices_list
    from costcalc.version import __version__

    r: Report = result.report
    cold = r.cold is not None

    def totals(t: Totals) -> dict[str, Any]:
        return {**totals_dict(t), **(_cold_dict(t) if cold else {})}

    return {
        "costcalc_version": __version__,
        "report": "results",
        "priced_as": "batch" if r.batch else "real-time",
        "files": [file_dict(f, cold) for f in r.files],
        "total_usd": plain(r.total_usd),
        "total": totals(r.total),
        "group_by": list(r.group_by),
        "groups": [{"key": list(g.key), **totals(g.totals)} for g in r.groups],
        "subtotals": [{"key": list(g.key), **totals(g.totals)} for g in r.subtotals],
        "budgets": [gate_dict(g) for g in r.gates],
        "notices": notices_list([*(w for f in r.files for w in f.warnings), *report_notices(r)]),
        # Only with --batch: without it the document is as it was before request files.
        **({"cold_start": _many_cold_dict(r.cold)} if cold else {}),
    }


def cold_notices(r: Report) -> tuple[Any, ...]:
    """The notices of pairing results with request files (none without --batch)."""
    return () if r.cold is None else r.cold.cold.notices


def report_notices(r: Report) -> tuple[Any, ...]:
    """The report's own notices: the grouping's, then cold_notices."""
    return (*r.notices, *cold_notices(r))


def _many_cold_dict(c: ManyColdStart | None) -> dict[str, Any] | None:
    """The report's "cold_start" object: actual's one-file object over every request file,
    with the files and the requests no result answered (null without --batch)."""
    from costcalc.present.actual_data import cold_start_dict

    if c is None:
        return None
    return {
        "request_files": list(c.request_files),
        **(cold_start_dict(c.cold) or {}),
        "requests_without_results": c.unanswered,
    }


def _group_cells(t: Totals) -> list[Any]:
    return [
        t.requests,
        t.unpriced,
        *t.tokens.values(),
        t.web_searches,
        _known(t, t.cost),
        _flag(t.cost_is_lower_bound),
        _known(t, t.standard),
        _known(t, t.saving),
        _rate(t),
    ]


def _flag(value: bool) -> str:
    return "true" if value else "false"


def report_csv(result: ReportResult) -> str:
    from costcalc.present.csv_writer import to_csv

    r: Report = result.report
    cold = COLD_CSV_HEADER if r.cold is not None else []
    if not r.group_by:
        rows = [
            [
                f.file,
                f.totals.requests,
                f.totals.unpriced,
                f.counts.get("errored", 0),
                f.counts.get("canceled", 0),
                f.counts.get("expired", 0),
                f.malformed,
                *f.totals.tokens.values(),
                plain(f.total),
                _flag(f.totals.cost_is_lower_bound),
                plain(f.totals.standard),
                plain(f.totals.saving),
                _rate(f.totals),
                *(_cold_cells(f.totals) if cold else []),
            ]
            for f in r.files
        ]
        return to_csv(FILE_CSV_HEADER + cold, rows)
    return to_csv(
        GROUP_CSV_HEADER + cold,
        [
            [
                *g.key,
                *([""] if len(g.key) < 2 else []),
                *_group_cells(g.totals),
                *(_cold_cells(g.totals) if cold else []),
            ]
            for g in r.groups
        ],
    )


def group_name(g: Group) -> str:
    return " / ".join(g.key) if g.key else text("report.all_groups")


def gate_text(g: Gate) -> str:
    """One stderr line for a budget gate."""
    from costcalc.messages import render_error
    from costcalc.present.budget import budget_message

    if g.unpriced or g.malformed or g.lower_bound:
        figures = {
            "scenario": g.check.scenario,
            "unpriced": g.unpriced,
            "malformed": g.malformed,
            "lower_bound": g.lower_bound,
            "check": g.check,
            "priced": g.cost_known,
        }
        return render_error("report_gate_cost_unknown", figures)
    return budget_message(g.check)


def report_table(result: ReportResult) -> Any:
    from rich.console import Group as Stack
    from rich.text import Text

    from costcalc.messages import render
    from costcalc.present.grid import Grid
    from costcalc.safe import plain_inert

    r: Report = result.report
    t = r.total
    head = text(
        "report.head",
        files=len(r.files),
        requests=fmt.tokens(t.requests),
        total=fmt.usd_auto(r.total_usd),
        unpriced=fmt.tokens(t.unpriced) if t.unpriced else None,
        standard=fmt.usd_auto(t.standard),
        saving=fmt.usd_auto(t.saving),
        hit_rate=fmt.pct(t.hit_rate * 100) if t.hit_rate is not None else None,
    )
    parts: list[Any] = [Text(head), Text(text("report.standard_legend"))]
    if t.unpriced:
        legend = text("report.unpriced_legend", mark=LOWER_BOUND_MARK, unknown=UNKNOWN_COST)
        parts.append(Text(legend))
    if r.cold is not None:
        parts.append(Text(plain_inert(_cold_head(r.cold))))
    cold = r.cold is not None
    # A Grid: a file name is never broken inside (it wraps at spaces only, or the table lays
    # out wider when piped, one record a file in a narrow terminal).
    columns = [(text("report.col_file"), "left")] + [
        (text(code), "right") for code in (*_COLUMNS, *(_COLD_COLUMNS if cold else ()))
    ]
    rows = [([f.file, *_money_cells(f.totals, f.total, cold)], False) for f in r.files]
    parts.append(Grid(text("report.per_file_title"), columns, rows))
    if r.group_by:
        parts.append(_groups_table(r))
    for f in r.files:
        for w in f.warnings:
            parts.append(
                Text(plain_inert(text("report.file_warning", file=f.file, text=render(w))))
            )
    for w in report_notices(r):
        parts.append(Text(plain_inert(text("report.warning", text=render(w)))))
    return Stack(*parts)


# The number columns of both tables, by code (messages/text_actual.py).
_COLUMNS = (
    "report.col_requests",
    "report.col_cost",
    "report.col_standard",
    "report.col_saving",
    "report.col_hit_rate",
)
# With --batch: requests that wrote cache entries another request of their batch also wrote,
# and what those writes cost beyond reading them (part of the cost).
_COLD_COLUMNS = ("report.col_cold_misses", "report.col_miss_extra")


def _cold_head(c: ManyColdStart) -> str:
    cold = c.cold
    return text(
        "report.cold_head",
        files=len(c.request_files),
        misses=cold.misses,
        tokens=fmt.tokens(cold.tokens),
        extra=fmt.usd_auto(cold.extra_cost),
    )


def money_text(t: Totals, amount: Decimal, usd: Any = fmt.usd_auto) -> str:
    """An amount of `t` for a table: "unknown" when every request is unpriced, marked as a
    lower bound ("$1.50+") when some are."""
    if not t.cost_known:
        return UNKNOWN_COST
    return usd(amount) + (LOWER_BOUND_MARK if t.cost_is_lower_bound else "")


def _money_cells(t: Totals, billed: Decimal | None = None, cold: bool = False) -> list[str]:
    requests = fmt.tokens(t.requests)
    if t.unpriced:
        requests = text(
            "report.requests_unpriced", requests=requests, unpriced=fmt.tokens(t.unpriced)
        )
    rate = t.hit_rate
    return [
        requests,
        money_text(t, t.cost if billed is None else billed),
        money_text(t, t.standard),
        fmt.usd_auto(t.saving) if t.cost_known else UNKNOWN_COST,
        "-" if rate is None else fmt.pct(rate * 100),
        *((f"{t.misses:,}", fmt.usd_auto(t.miss_cost)) if cold else ()),
    ]


def _groups_table(r: Report) -> Any:

    from costcalc.present.grid import Grid

    two = len(r.group_by) > 1
    cold = r.cold is not None
    names = ("report.col_group", "report.col_subgroup") if two else ("report.col_group",)
    columns = [(text(code), "left") for code in names] + [
        (text(code), "right") for code in (*_COLUMNS, *(_COLD_COLUMNS if cold else ()))
    ]
    everything = text("report.all_subgroups")
    subtotal = {g.key[0]: g for g in r.subtotals}
    rows: list[tuple[list[str], bool]] = []
    bold: set[int] = set()
    shown = None
    for g in r.groups:
        if two and g.key[0] != shown:
            shown = g.key[0]
            bold.add(len(rows))
            rows.append(
                ([shown, everything, *_money_cells(subtotal[shown].totals, cold=cold)], False)
            )
        names_shown = ["", g.key[1]] if two else [group_name(g)]
        rows.append(([*names_shown, *_money_cells(g.totals, cold=cold)], False))
    return Grid(text("report.by_title", keys=r.group_by), columns, rows, bold=frozenset(bold))
