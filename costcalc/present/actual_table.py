"""`costcalc actual` as tables: where the money of a results file went, the estimate against
it, and the cold-start misses.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from costcalc import fmt
from costcalc.compute.outcomes import ActualResult
from costcalc.messages import render as render_message
from costcalc.names import CLASS_LABELS
from costcalc.present.cells import plural
from costcalc.present.grid import Grid, Row, grid
from costcalc.present.notices_table import warnings_text
from costcalc.safe import plain_inert

if TYPE_CHECKING:
    from costcalc.compute.actual import Comparison, ResultsReport
    from costcalc.compute.coldstart import ColdStart


def _actual_head(r: ResultsReport) -> Text:
    """The file, its results by outcome, and the prices they were priced at."""
    head = Text()
    head.append(plain_inert(r.path), style="bold")
    c = r.counts
    head.append(
        f": {plural(sum(c.values()), 'result')}: {c['succeeded']:,} succeeded, {c['errored']:,} "
        f"errored, {c['canceled']:,} canceled, {c['expired']:,} expired (not billed)"
    )
    if r.malformed:
        head.append(f"; {plural(len(r.malformed), 'malformed line')} skipped", style="yellow")
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
            f"\n{plural(r.unpriced, 'succeeded request')} could not be priced and "
            f"{'is' if r.unpriced == 1 else 'are'} not in the total (see the warnings)",
            style="yellow",
        )
    return head


def average_rate(value: Decimal) -> str:
    """An average price per MTok for display: as published when it has at most four decimals
    ('$3.125', '$0.0375'), else rounded to four decimals, more for three significant digits
    ('$3.6932', not the 28 digits of the exact quotient; the JSON keeps the exact value)."""
    if -value.normalize().as_tuple().exponent <= 4:  # type: ignore[operator]
        return fmt.rate(value)
    return fmt.usd_small(value)


def _money_grid(r: ResultsReport) -> Grid:
    """Where the money went: each token class, web searches, and the total billed."""
    rows: list[Row] = []
    for line in r.lines:
        rows.append(
            (
                [
                    CLASS_LABELS[line.token_class],
                    fmt.tokens(line.tokens),
                    average_rate(line.rate) if line.tokens else "—",
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
    table = grid(
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
    return table


def _cache_text(r: ResultsReport) -> Text:
    """The cost per request, and how the cache was used."""
    cache = Text()
    cache.append("Per succeeded request: ", style="bold")
    cache.append(fmt.usd_small(r.per_request) if r.per_request is not None else "—")
    if len(r.per_model) > 1:
        cache.append(
            "; by model: "
            + ", ".join(
                f"{m} {fmt.usd_auto(t)} ({plural(n, 'request')})"
                for m, (n, t) in r.per_model.items()
            )
        )
    cache.append("\nCache: ", style="bold")
    cache.append(
        f"{plural(r.wrote, 'request')} wrote the cache, {fmt.tokens(r.read)} read it "
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
    return cache


def _comparison_parts(comparison: Comparison) -> list[RenderableType]:
    """The estimate against the actual bill, and why they differ."""
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
    table = grid(
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
    )
    why = Text()
    explained = [render_message(n) for n in comparison.explanations]
    for note in explained or ["the estimate matched within 5% on every class"]:
        why.append("• " + note + "\n")
    why.rstrip()
    return ["", table, why]


def actual_view(r: ResultsReport, comparison: Comparison | None = None) -> RenderableType:
    parts: list[RenderableType] = [_actual_head(r), "", _money_grid(r), _cache_text(r)]
    if comparison is not None:
        parts += _comparison_parts(comparison)
    warned = warnings_text(r.warnings)
    if warned is not None:
        parts += ["", warned]
    return Group(*parts)


def cold_start_view(c: ColdStart | None) -> RenderableType:
    """actual's cold-start misses (results.ColdStart), or what is needed to count them."""
    text = Text()
    if c is None:
        text.append(
            "Cold-start misses: give --batch FILE (the request file that was submitted) to "
            "count the cache writes beyond the one each cache entry needs per batch."
        )
        return text
    text.append("Cold-start misses: ", style="bold")
    text.append(
        f"{plural(c.misses, 'request')} of {c.matched:,} wrote cache entries another request "
        f"of the batch also wrote ({fmt.tokens(c.tokens)} tokens, {fmt.usd_auto(c.extra_cost)} "
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


def actual_table(result: ActualResult) -> RenderableType:
    return Group(actual_view(result.report, result.comparison), cold_start_view(result.cold))
