"""Presenting a many-file report (manyresults.Report): table, CSV (one row per group, or per
file without --group-by) and JSON. The HTML page is in htmlreport.py. No arithmetic here beyond
the properties the computing modules expose.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from costcalc import fmt
from costcalc.compute.engine import USAGE_CLASSES
from costcalc.compute.grouping import Group, Totals
from costcalc.compute.manyresults import FileRow, Gate, Report
from costcalc.compute.outcomes import ReportResult
from costcalc.fmt import plain

GROUP_CSV_HEADER = [
    "group",
    "subgroup",
    "requests",
    "unpriced_requests",
    *[f"{c}_tokens" for c in USAGE_CLASSES],
    "web_searches",
    "cost_usd",
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
    "standard_usd",
    "saving_usd",
    "cache_hit_rate",
]


def _rate(t: Totals) -> str | None:
    rate = t.hit_rate
    return None if rate is None else plain(rate.quantize(Decimal("0.0001")))


def totals_dict(t: Totals) -> dict[str, Any]:
    return {
        "requests": t.requests,
        "unpriced_requests": t.unpriced,
        "tokens": dict(t.tokens),
        "cost_by_class_usd": {c: plain(v) for c, v in t.class_cost.items()},
        "web_searches": t.web_searches,
        "web_search_usd": plain(t.web_search_cost),
        "cost_usd": plain(t.cost),
        "standard_usd": plain(t.standard),
        "saving_usd": plain(t.saving),
        "cache_hit_rate": _rate(t),
    }


def file_dict(f: FileRow) -> dict[str, Any]:
    from costcalc.messages import render
    from costcalc.present.notices_data import notices_list

    return {
        "file": f.file,
        "results": f.counts,
        "malformed_lines": f.malformed,
        **totals_dict(f.totals),
        "total_usd": plain(f.total),
        "warnings": [render(w) for w in f.warnings],
        "notices": notices_list(f.warnings),
    }


def gate_dict(g: Gate) -> dict[str, Any]:
    return {
        "label": g.label,
        "budget_usd": plain(g.check.budget),
        "cost_usd": plain(g.check.total),
        "within": g.check.within,
        "over_by_usd": plain(g.check.over_by),
        "unpriced_requests": g.unpriced,
        "passed": g.passed,
    }


def report_json(result: ReportResult) -> dict[str, Any]:
    from costcalc.present.notices_data import notices_list
    from costcalc.version import __version__

    r: Report = result.report
    return {
        "costcalc_version": __version__,
        "report": "results",
        "priced_as": "batch" if r.batch else "real-time",
        "files": [file_dict(f) for f in r.files],
        "total_usd": plain(r.total_usd),
        "total": totals_dict(r.total),
        "group_by": list(r.group_by),
        "groups": [{"key": list(g.key), **totals_dict(g.totals)} for g in r.groups],
        "subtotals": [{"key": list(g.key), **totals_dict(g.totals)} for g in r.subtotals],
        "budgets": [gate_dict(g) for g in r.gates],
        "notices": notices_list(w for f in r.files for w in f.warnings),
    }


def _group_cells(t: Totals) -> list[Any]:
    return [
        t.requests,
        t.unpriced,
        *t.tokens.values(),
        t.web_searches,
        plain(t.cost),
        plain(t.standard),
        plain(t.saving),
        _rate(t),
    ]


def report_csv(result: ReportResult) -> str:
    from costcalc.present.csv_writer import to_csv

    r: Report = result.report
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
                plain(f.totals.standard),
                plain(f.totals.saving),
                _rate(f.totals),
            ]
            for f in r.files
        ]
        return to_csv(FILE_CSV_HEADER, rows)
    return to_csv(
        GROUP_CSV_HEADER,
        [[*g.key, *([""] if len(g.key) < 2 else []), *_group_cells(g.totals)] for g in r.groups],
    )


def group_name(g: Group) -> str:
    return " / ".join(g.key) if g.key else "all"


def gate_text(g: Gate) -> str:
    """One stderr line for a budget gate."""
    from costcalc.present.budget import budget_message

    if g.unpriced:
        n = g.unpriced
        return (
            f"budget check failed: {g.check.scenario}: {n:,} request{'s' if n != 1 else ''} "
            f"could not be priced, so the cost is not known; the priced requests alone: "
            f"{budget_message(g.check)}"
        )
    return budget_message(g.check)


def report_table(result: ReportResult) -> Any:
    from rich.console import Group as Stack
    from rich.text import Text

    from costcalc.messages import render
    from costcalc.present.grid import titled_table as _table
    from costcalc.safe import plain_inert

    r: Report = result.report
    t = r.total
    n = len(r.files)
    head = Text(
        f"{n:,} results file{'s' if n != 1 else ''}, {fmt.tokens(t.requests)} succeeded "
        f"requests: {fmt.usd_auto(r.total_usd)} billed"
        + (f" ({t.unpriced:,} unpriced, not in the total)" if t.unpriced else "")
        + f"; {fmt.usd_auto(t.standard)} at standard rates, saving {fmt.usd_auto(t.saving)}"
        + (f"; cache hit rate {fmt.pct(t.hit_rate * 100)}" if t.hit_rate is not None else "")
    )
    parts: list[Any] = [head, Text("standard: the same tokens at standard rates, no cache")]
    files = _table("Per file")
    for col in ("file", "requests", "cost", "standard", "saving", "hit rate"):
        files.add_column(col, justify="left" if col == "file" else "right", overflow="fold")
    for f in r.files:
        files.add_row(Text(plain_inert(f.file)), *_money_cells(f.totals, f.total))
    parts.append(files)
    if r.group_by:
        parts.append(_groups_table(r))
    for f in r.files:
        for w in f.warnings:
            parts.append(Text(plain_inert(f"warning: {f.file}: {render(w)}")))
    return Stack(*parts)


def _money_cells(t: Totals, billed: Decimal | None = None) -> list[str]:
    requests = fmt.tokens(t.requests) + (f" ({t.unpriced:,} unpriced)" if t.unpriced else "")
    rate = t.hit_rate
    return [
        requests,
        fmt.usd_auto(t.cost if billed is None else billed),
        fmt.usd_auto(t.standard),
        fmt.usd_auto(t.saving),
        "-" if rate is None else fmt.pct(rate * 100),
    ]


def _groups_table(r: Report) -> Any:
    from rich.text import Text

    from costcalc.present.grid import titled_table as _table
    from costcalc.safe import plain_inert

    two = len(r.group_by) > 1
    table = _table("By " + " then ".join(r.group_by))
    names = ("group", "subgroup") if two else ("group",)
    for col in (*names, "requests", "cost", "standard", "saving", "hit rate"):
        table.add_column(col, justify="left" if col in names else "right", overflow="fold")
    subtotal = {g.key[0]: g for g in r.subtotals}
    shown = None
    for g in r.groups:
        if two and g.key[0] != shown:
            shown = g.key[0]
            head = subtotal[shown]
            cells = [Text(plain_inert(shown), style="bold"), Text("(all)", style="bold")]
            table.add_row(*cells, *_money_cells(head.totals), style="bold")
        names_shown = ["", plain_inert(g.key[1])] if two else [plain_inert(group_name(g))]
        table.add_row(*(Text(n) for n in names_shown), *_money_cells(g.totals))
    return table
