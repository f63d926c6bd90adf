"""`actual --format html`: one self-contained page to hand to a person: headline totals, where
the money went (a stacked bar per group by token class), billed against standard rates, cache
hit rate per group, the budget gates, the warnings and the per-group and per-file tables.

Offline by construction: no script, font, image or stylesheet from anywhere, and a
Content-Security-Policy (default-src 'none') that forbids the browser to fetch anything should
a future edit add a reference by mistake. Every text from a file or an argument passes through
html.escape. Colour is decoration: each chart series also has a hatch and every figure is in a
table, so it reads in greyscale and prints (@media print).
"""

from __future__ import annotations

from decimal import Decimal
from html import escape
from typing import Any

from costcalc import fmt
from costcalc.compute.engine import USAGE_CLASSES
from costcalc.compute.grouping import Group, total_of
from costcalc.compute.manyresults import Report
from costcalc.compute.outcomes import ReportResult
from costcalc.messages.text import text
from costcalc.names import TOKEN_CLASSES
from costcalc.present.barchart import paired_bars, rate_bars, stacked_bars
from costcalc.present.htmltable import group_table
from costcalc.safe import page_inert

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
CHART_ROWS = 20  # groups drawn; the rest are one "others" bar (the table lists them all)


def _css_string(words: str) -> str:
    """A quoted CSS string of `words` (a message): every character but a letter, a digit, a
    space or a colon is written as a CSS escape, so a message cannot end the string or the
    style sheet."""
    return '"' + "".join(c if c.isalnum() or c in " :" else f"\\{ord(c):x} " for c in words) + '"'


STYLE = (
    """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#111;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #999}
dl.head{display:grid;grid-template-columns:max-content auto;gap:.2em 1.5em}
dt{font-weight:bold}dd{margin:0;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{border:1px solid #999;padding:.2em .5em}td.n{text-align:right}th{background:#eee}
tr.sub td{font-weight:bold}.fail{font-weight:bold}.fail::before{content:"""
    + _css_string(text("html.gate.failed_mark"))
    + """}
.pass::before{content:"""
    + _css_string(text("html.gate.passed_mark"))
    + """}svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}svg,table{break-inside:avoid}
th{background:none}}
"""
)
# The words of a table's cells, looked up and escaped once (a table may have a row per group).
NOT_PRICED = escape(text("html.cell.not_priced"))
AT_LEAST = escape(text("html.cell.at_least"))


def report_html(result: ReportResult) -> str:
    r: Report = result.report
    title = escape(text("html.report.title"))
    body = [f"<h1>{title}</h1>", _headline(r)]
    if r.gates:
        body.append(_gates(r))
    groups = r.subtotals or r.groups
    names, charted = _charted(groups)
    if charted:
        series = [text(f"class.{c}") for c in USAGE_CLASSES] + [text("html.report.web_search")]
        values = [[g.class_cost[c] for c in USAGE_CLASSES] + [g.web_search_cost] for g in charted]
        by = r.group_by[0] if r.group_by else ""
        body.append(f"<h2>{escape(text('html.report.money_heading'))}</h2>")
        body.append(stacked_bars(text("html.report.money_chart", by=by), names, series, values))
        body.append(f"<h2>{escape(text('html.report.savings_heading'))}</h2>")
        body.append(
            paired_bars(
                text("html.report.savings_chart"),
                names,
                [g.cost for g in charted],
                [g.standard for g in charted],
            )
        )
        body.append(f"<h2>{escape(text('html.report.rate_heading'))}</h2>")
        rates = [g.hit_rate for g in charted]
        body.append(rate_bars(text("html.report.rate_chart", by=by), names, rates))
    body.append(_warnings(r))
    if r.group_by:
        body.append(f"<h2>{escape(text('html.report.groups_heading', group_by=r.group_by))}</h2>")
        body.append(_groups_table(r))
    body.append(f"<h2>{escape(text('html.report.files_heading'))}</h2>")
    body.append(_files_table(r))
    return page(text("html.report.title"), body)


def _charted(groups: tuple[Group, ...]) -> tuple[list[str], list[Any]]:
    """The largest CHART_ROWS groups, and one bar for the rest. A group none of whose
    requests could be priced has no cost to draw (a bar would read as $0): the groups table
    shows it as not priced."""
    groups = tuple(g for g in groups if g.totals.cost_known)
    shown = list(groups[:CHART_ROWS])
    every = text("html.report.all")
    names = [" / ".join(g.key) or every for g in shown]
    totals = [g.totals for g in shown]
    rest = groups[CHART_ROWS:]
    if rest:
        names.append(text("html.report.others", count=f"{len(rest):,}"))
        totals.append(total_of(g.totals for g in rest))
    # A bar with unpriced requests in it is what the priced ones cost: the label says so.
    mark = text("html.report.lower_bound_mark")
    names = [n + (mark if t.cost_is_lower_bound else "") for n, t in zip(names, totals)]
    return names, totals


def _usd(value: Decimal) -> str:
    return escape(fmt.usd_auto(value))


def _headline(r: Report) -> str:
    t = r.total
    rate = t.hit_rate
    shown_rate = text("html.head.no_cached_tokens") if rate is None else fmt.pct(rate * 100)
    priced_as = text("html.head.priced_batch" if r.batch else "html.head.priced_real_time")
    rows = [
        (text("html.head.files"), f"{len(r.files):,}", ""),
        (text("html.head.requests"), f"{t.requests:,}", "requests"),
        (text("html.head.billed"), _usd(r.total_usd), "total-usd"),
        (text("html.head.standard"), _usd(t.standard), "standard-usd"),
        (text("html.head.saving"), _usd(t.saving), "saving-usd"),
        (text("html.head.hit_rate"), escape(shown_rate), ""),
        (text("html.head.priced_as"), escape(priced_as), ""),
    ]
    if t.unpriced:
        rows.insert(3, (text("html.head.unpriced"), f"{t.unpriced:,}", "unpriced"))
    if r.cold is not None:
        rows.append((text("html.head.cold_misses"), f"{t.misses:,}", "cold-misses"))
        rows.append((text("html.head.cold_extra"), _usd(t.miss_cost), "cold-extra-usd"))
    exact = {"total-usd": r.total_usd, "standard-usd": t.standard, "saving-usd": t.saving}
    exact["cold-extra-usd"] = t.miss_cost
    return _head_list(rows, exact)


def _gates(r: Report) -> str:
    from costcalc.present.reportview import gate_text

    out = [f"<h2>{escape(text('html.budget_heading'))}</h2><ul>"]
    for g in r.gates:
        cls = "pass" if g.passed else "fail"
        out.append(f'<li class="{cls}">{escape(gate_text(g))}</li>')
    out.append("</ul>")
    return "".join(out)


def _warnings(r: Report) -> str:
    from costcalc.messages import render
    from costcalc.present.reportview import cold_notices

    items = [(f.file, render(w)) for f in r.files for w in f.warnings]
    items += [("--group-by", render(w)) for w in r.notices]
    items += [("--batch", render(w)) for w in cold_notices(r)]
    heading = f"<h2>{escape(text('html.warnings_heading'))}</h2>"
    if not items:
        return f"{heading}<p>{escape(text('html.none'))}</p>"
    rows = "".join(f"<li><b>{escape(f)}</b>: {escape(words)}</li>" for f, words in items)
    return f"{heading}<ul>{rows}</ul>"


def _head(r: Report) -> tuple[str, ...]:
    """The figures' column headings. With request files, two more: requests that wrote cache
    entries another request of their batch wrote, and what those writes cost beyond reading
    them."""
    head: tuple[str, ...] = (
        text("html.col.requests"),
        text("html.col.unpriced"),
        text("html.col.cost"),
        text("html.col.standard"),
        text("html.col.saving"),
        text("html.col.hit_rate"),
    )
    if r.cold is not None:
        head += (text("html.col.cold_misses"), text("html.col.cold_extra"))
    return head


def _priced(t: Any, amount: Decimal) -> str:
    """An amount of a row: "not priced" when no request of it could be priced (never $0),
    "at least" it when some could not."""
    if not t.cost_known:
        return NOT_PRICED
    return (AT_LEAST if t.cost_is_lower_bound else "") + _usd(amount)


def _cells(t: Any, billed: Decimal | None = None, cold: bool = False) -> str:
    rate = t.hit_rate
    values: tuple[str, ...] = (
        f"{t.requests:,}",
        f"{t.unpriced:,}",
        _priced(t, t.cost if billed is None else billed),
        _priced(t, t.standard),
        _usd(t.saving) if t.cost_known else NOT_PRICED,
        "-" if rate is None else fmt.pct(rate * 100),
    )
    if cold:
        values += (f"{t.misses:,}", _usd(t.miss_cost))
    return "".join(f'<td class="n">{v}</td>' for v in values)


def _groups_table(r: Report) -> str:
    cold = r.cold is not None
    return group_table(
        "groups",
        len(r.group_by),
        r.groups,
        r.subtotals,
        _head(r),
        lambda totals: _cells(totals, cold=cold),
    )


def _files_table(r: Report) -> str:
    names = (text("html.col.file"), *_head(r), text("html.col.not_billed"))
    head = "".join(f"<th>{escape(h)}</th>" for h in names)
    rows = []
    for f in r.files:
        skipped = sum(n for k, n in f.counts.items() if k != "succeeded")
        not_billed = text(
            "html.cell.not_billed", skipped=f"{skipped:,}", malformed=f"{f.malformed:,}"
        )
        rows.append(
            f"<tr><td>{escape(f.file)}</td>{_cells(f.totals, f.total, r.cold is not None)}"
            f'<td class="n">{escape(not_billed)}</td></tr>'
        )
    return f'<table id="files"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _head_list(rows: list[tuple[str, str, str]], exact: dict[str, Decimal]) -> str:
    """The headline figures as a definition list; `exact` gives the figures a test or a script
    reads back (data-usd, the exact decimal) by the row's id."""
    out = ['<dl class="head">']
    for name, value, ident in rows:
        attrs = f' id="{ident}"' if ident else ""
        if ident in exact:
            attrs += f' data-usd="{fmt.plain(exact[ident])}"'
        out.append(f"<dt>{escape(name)}</dt><dd{attrs}>{value}</dd>")
    out.append("</dl>")
    return "".join(out)


def page(title: str, body: list[str]) -> str:
    """A whole offline page around `body` (HTML already escaped)."""
    # Text from files (tags, custom_id groups, file names) is escaped where it is put in;
    # control characters are shown as escapes here, once for the whole page.
    return page_inert(
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title>"
        f"<style>{STYLE}</style></head><body>\n" + "\n".join(body) + "\n</body></html>\n"
    )


def check_html(result: Any) -> str:
    """`check --format html`: a request file before submission, in the report's look: the
    cost in each case, by token class, the cache entries and the problems."""
    from costcalc.messages import render

    r = result.report
    b = r.batch
    counts = text("html.check.exact" if r.exact else "html.check.estimated")
    rows = [
        (text("html.check.file"), escape(str(b.path)), ""),
        (text("html.check.requests"), f"{len(b.requests):,}", "requests"),
        (text("html.check.best"), _usd(r.totals["batch_cache"]), "best-usd"),
        (
            text("html.check.expected", rate=fmt.pct(r.hit_rate * 100)),
            _usd(r.expected),
            "expected-usd",
        ),
        (text("html.check.worst"), _usd(r.worst), "worst-usd"),
        (text("html.check.token_counts"), escape(counts), ""),
        (text("html.check.entries"), f"{r.entry_count:,}", ""),
    ]
    exact = {"best-usd": r.totals["batch_cache"], "expected-usd": r.expected, "worst-usd": r.worst}
    title = text("html.check.title")
    body = [f"<h1>{escape(title)}</h1>", _head_list(rows, exact)]
    if result.budget is not None:
        from costcalc.present.budget import budget_message

        cls = "pass" if result.budget.passes and not result.blocked else "fail"
        body.append(f'<h2>{escape(text("html.budget_heading"))}</h2><ul><li class="{cls}">')
        body.append(f"{escape(budget_message(result.budget))}</li></ul>")
    cases = list(r.cases)
    series = [text(f"class.{c}") for c in USAGE_CLASSES]
    values = [[r.cases[case].get(c, (0, Decimal(0)))[1] for c in USAGE_CLASSES] for case in cases]
    body.append(f"<h2>{escape(text('html.check.money_heading'))}</h2>")
    body.append(stacked_bars(text("html.check.money_chart"), cases, series, values))
    body.append(_check_cases(r))
    if r.groups is not None:
        from costcalc.present.check_html_groups import check_groups_html

        body += check_groups_html(r.groups)
    body.append(f"<h2>{escape(text('html.check.problems_heading'))}</h2>")
    problems = list(b.problems.values())
    if result.unpriced.count:
        unpriced = text("html.check.unpriced", count=f"{result.unpriced.count:,}")
        body.append(f'<p class="fail">{escape(unpriced)}</p>')
    if problems:
        # One item per kind of problem (with how many lines have it), not per line.
        items = (
            text("html.check.problem", problem=render(p), lines=len(p.lines)) for p in problems
        )
        body.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
    else:
        body.append(f"<p>{escape(text('html.none'))}</p>")
    entries = text(
        "html.check.entries_heading", shown=f"{len(r.entries):,}", total=f"{r.entry_count:,}"
    )
    body.append(f"<h2>{escape(entries)}</h2>")
    body.append(_entries_table(r.entries))
    return page(title, body)


def _check_cases(r: Any) -> str:
    names = (
        text("html.col.case"),
        text("html.col.token_class"),
        text("html.col.tokens"),
        text("html.col.cost"),
    )
    head = "".join(f"<th>{escape(h)}</th>" for h in names)
    rows = []
    for case, lines in r.cases.items():
        for c, (tokens, money) in lines.items():
            label = text(f"class.{c}") if c in TOKEN_CLASSES else c
            rows.append(
                f"<tr><td>{escape(case)}</td><td>{escape(label)}</td>"
                f'<td class="n">{tokens:,}</td><td class="n">{_usd(money)}</td></tr>'
            )
    return f'<table id="cases"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _entries_table(entries: Any) -> str:
    names = (
        text("html.col.model"),
        text("html.col.first_line"),
        text("html.col.tokens"),
        text("html.col.ttl"),
        text("html.col.cached"),
        text("html.col.writes"),
        text("html.col.reads"),
        text("html.col.cost"),
    )
    head = "".join(f"<th>{escape(h)}</th>" for h in names)
    yes, no = text("html.cell.yes"), text("html.cell.no")
    rows = []
    for e in entries:
        cells = (e.model, f"{e.line:,}", f"{e.tokens:,}", e.ttl, yes if e.cached else no)
        rows.append(
            "<tr>"
            + "".join(f"<td>{escape(str(c))}</td>" for c in cells)
            + f'<td class="n">{e.writes:,}</td><td class="n">{e.reads:,}</td>'
            f'<td class="n">{_usd(e.cost)}</td></tr>'
        )
    return (
        f'<table id="entries"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
