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
from costcalc.names import CLASS_LABELS
from costcalc.present.barchart import paired_bars, rate_bars, stacked_bars
from costcalc.present.htmltable import group_table
from costcalc.safe import page_inert

CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; "
    "form-action 'none'"
)
CHART_ROWS = 20  # groups drawn; the rest are one "others" bar (the table lists them all)
STYLE = """
body{font-family:system-ui,sans-serif;margin:2em auto;max-width:1000px;color:#111;padding:0 1em}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #999}
dl.head{display:grid;grid-template-columns:max-content auto;gap:.2em 1.5em}
dt{font-weight:bold}dd{margin:0;font-variant-numeric:tabular-nums}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{border:1px solid #999;padding:.2em .5em}td.n{text-align:right}th{background:#eee}
tr.sub td{font-weight:bold}.fail{font-weight:bold}.fail::before{content:"FAILED: "}
.pass::before{content:"passed: "}svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}svg,table{break-inside:avoid}
th{background:none}}
"""


def report_html(result: ReportResult) -> str:
    r: Report = result.report
    body = [
        "<h1>Batch cost report</h1>",
        _headline(r),
    ]
    if r.gates:
        body.append(_gates(r))
    groups = r.subtotals or r.groups
    names, charted = _charted(groups)
    if charted:
        series = [CLASS_LABELS[c] for c in USAGE_CLASSES] + ["web search"]
        values = [[g.class_cost[c] for c in USAGE_CLASSES] + [g.web_search_cost] for g in charted]
        by = " then ".join(r.group_by[:1]) or "group"
        body.append("<h2>Where the money went</h2>")
        body.append(stacked_bars(f"Cost by {by} and token class (USD)", names, series, values))
        body.append("<h2>Savings against standard rates</h2>")
        body.append(
            paired_bars(
                "Billed against standard rates (USD)",
                names,
                [g.cost for g in charted],
                [g.standard for g in charted],
            )
        )
        body.append("<h2>Cache hit rate</h2>")
        body.append(rate_bars(f"Cache hit rate by {by}", names, [g.hit_rate for g in charted]))
    body.append(_warnings(r))
    if r.group_by:
        body.append(f"<h2>By {escape(' then '.join(r.group_by))}</h2>")
        body.append(_groups_table(r))
    body.append("<h2>Per file</h2>")
    body.append(_files_table(r))
    return page("Batch cost report", body)


def _charted(groups: tuple[Group, ...]) -> tuple[list[str], list[Any]]:
    """The largest CHART_ROWS groups, and one bar for the rest. A group none of whose
    requests could be priced has no cost to draw (a bar would read as $0): the groups table
    shows it as not priced."""
    groups = tuple(g for g in groups if g.totals.cost_known)
    shown = list(groups[:CHART_ROWS])
    names = [" / ".join(g.key) or "all" for g in shown]
    totals = [g.totals for g in shown]
    rest = groups[CHART_ROWS:]
    if rest:
        names.append(f"({len(rest):,} others)")
        totals.append(total_of(g.totals for g in rest))
    # A bar with unpriced requests in it is what the priced ones cost: the label says so.
    names = [n + (" (at least)" if t.cost_is_lower_bound else "") for n, t in zip(names, totals)]
    return names, totals


def _usd(value: Decimal) -> str:
    return escape(fmt.usd_auto(value))


def _headline(r: Report) -> str:
    t = r.total
    rate = t.hit_rate
    rows = [
        ("Results files", f"{len(r.files):,}", ""),
        ("Succeeded requests", f"{t.requests:,}", "requests"),
        ("Billed", _usd(r.total_usd), "total-usd"),
        ("At standard rates", _usd(t.standard), "standard-usd"),
        ("Saving", _usd(t.saving), "saving-usd"),
        ("Cache hit rate", "no cached tokens" if rate is None else fmt.pct(rate * 100), ""),
        ("Priced as", "batch" if r.batch else "real-time (unless a line says batch)", ""),
    ]
    if t.unpriced:
        rows.insert(3, ("Unpriced requests (not in the total)", f"{t.unpriced:,}", "unpriced"))
    if r.cold is not None:
        rows.append(("Cold-start misses", f"{t.misses:,}", "cold-misses"))
        rows.append(("Cold-start misses cost beyond reads", _usd(t.miss_cost), "cold-extra-usd"))
    exact = {"total-usd": r.total_usd, "standard-usd": t.standard, "saving-usd": t.saving}
    exact["cold-extra-usd"] = t.miss_cost
    return _head_list(rows, exact)


def _gates(r: Report) -> str:
    from costcalc.present.reportview import gate_text

    out = ["<h2>Budget</h2><ul>"]
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
    if not items:
        return "<h2>Warnings</h2><p>None.</p>"
    rows = "".join(f"<li><b>{escape(f)}</b>: {escape(text)}</li>" for f, text in items)
    return f"<h2>Warnings</h2><ul>{rows}</ul>"


HEAD = ("requests", "unpriced", "cost", "at standard", "saving", "cache hit rate")
# With request files: requests that wrote cache entries another request of their batch wrote,
# and what those writes cost beyond reading them.
COLD_HEAD = ("cold-start misses", "misses cost beyond reads")


def _head(r: Report) -> tuple[str, ...]:
    return HEAD + (COLD_HEAD if r.cold is not None else ())


def _priced(t: Any, amount: Decimal) -> str:
    """An amount of a row: "not priced" when no request of it could be priced (never $0),
    "at least" it when some could not."""
    if not t.cost_known:
        return "not priced"
    return ("at least " if t.cost_is_lower_bound else "") + _usd(amount)


def _cells(t: Any, billed: Decimal | None = None, cold: bool = False) -> str:
    rate = t.hit_rate
    values: tuple[str, ...] = (
        f"{t.requests:,}",
        f"{t.unpriced:,}",
        _priced(t, t.cost if billed is None else billed),
        _priced(t, t.standard),
        _usd(t.saving) if t.cost_known else "not priced",
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
    head = "".join(f"<th>{h}</th>" for h in ("file", *_head(r), "not billed"))
    rows = []
    for f in r.files:
        skipped = sum(n for k, n in f.counts.items() if k != "succeeded")
        rows.append(
            f"<tr><td>{escape(f.file)}</td>{_cells(f.totals, f.total, r.cold is not None)}"
            f'<td class="n">{skipped:,} errored/canceled/expired, '
            f"{f.malformed:,} malformed</td></tr>"
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
    rows = [
        ("File", escape(str(b.path)), ""),
        ("Requests", f"{len(b.requests):,}", "requests"),
        ("Best case (batch + cache)", _usd(r.totals["batch_cache"]), "best-usd"),
        (f"Expected (hit rate {fmt.pct(r.hit_rate * 100)})", _usd(r.expected), "expected-usd"),
        ("Worst case", _usd(r.worst), "worst-usd"),
        ("Token counts", "exact (count_tokens)" if r.exact else "estimated", ""),
        ("Cache entries", f"{r.entry_count:,}", ""),
    ]
    exact = {"best-usd": r.totals["batch_cache"], "expected-usd": r.expected, "worst-usd": r.worst}
    body = ["<h1>Batch request file check</h1>", _head_list(rows, exact)]
    if result.budget is not None:
        from costcalc.present.budget import budget_message

        cls = "pass" if result.budget.passes and not result.blocked else "fail"
        body.append(f'<h2>Budget</h2><ul><li class="{cls}">')
        body.append(f"{escape(budget_message(result.budget))}</li></ul>")
    cases = list(r.cases)
    series = [CLASS_LABELS[c] for c in USAGE_CLASSES]
    values = [[r.cases[case].get(c, (0, Decimal(0)))[1] for c in USAGE_CLASSES] for case in cases]
    body.append("<h2>Where the money would go</h2>")
    body.append(stacked_bars("Cost by case and token class (USD)", cases, series, values))
    body.append(_check_cases(r))
    if r.groups is not None:
        from costcalc.present.check_html_groups import check_groups_html

        body += check_groups_html(r.groups)
    body.append("<h2>Problems</h2>")
    problems = list(b.problems.values())
    if result.unpriced.count:
        n = result.unpriced.count
        body.append(
            f'<p class="fail">{n:,} request(s) could not be priced and are not in the cost.</p>'
        )
    if problems:
        body.append(
            "<ul>"
            + "".join(
                f"<li>{escape(render(p))} ({len(p.lines):,} line"
                f"{'' if len(p.lines) == 1 else 's'})</li>"
                for p in problems
            )
            + "</ul>"
        )
    else:
        body.append("<p>None.</p>")
    body.append(f"<h2>Cache entries (the {len(r.entries):,} costliest of {r.entry_count:,})</h2>")
    body.append(_entries_table(r.entries))
    return page("Batch request file check", body)


def _check_cases(r: Any) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in ("case", "token class", "tokens", "cost"))
    rows = []
    for case, lines in r.cases.items():
        for c, (tokens, money) in lines.items():
            rows.append(
                f"<tr><td>{escape(case)}</td><td>{escape(CLASS_LABELS.get(c, c))}</td>"
                f'<td class="n">{tokens:,}</td><td class="n">{_usd(money)}</td></tr>'
            )
    return f'<table id="cases"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _entries_table(entries: Any) -> str:
    names = ("model", "first line", "tokens", "ttl", "cached", "writes", "reads", "cost")
    head = "".join(f"<th>{h}</th>" for h in names)
    rows = []
    for e in entries:
        cells = (e.model, f"{e.line:,}", f"{e.tokens:,}", e.ttl, "yes" if e.cached else "no")
        rows.append(
            "<tr>"
            + "".join(f"<td>{escape(str(c))}</td>" for c in cells)
            + f'<td class="n">{e.writes:,}</td><td class="n">{e.reads:,}</td>'
            f'<td class="n">{_usd(e.cost)}</td></tr>'
        )
    return (
        f'<table id="entries"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'
    )
