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
from costcalc.messages.text import text
from costcalc.present.grid import Grid, Row, grid
from costcalc.present.notices_table import warnings_text
from costcalc.safe import plain_inert

if TYPE_CHECKING:
    from costcalc.compute.actual import Comparison, ResultsReport
    from costcalc.compute.coldstart import ColdStart
    from costcalc.compute.comparison import EstimateSource


def _actual_head(r: ResultsReport) -> Text:
    """The file, its results by outcome, and the prices they were priced at."""
    head = Text()
    head.append(plain_inert(r.path), style="bold")
    c = r.counts
    counts = {k: fmt.tokens(c[k]) for k in ("succeeded", "errored", "canceled", "expired")}
    head.append(": " + text("actual.results", results=sum(c.values()), **counts))
    if r.malformed:
        head.append(text("actual.malformed_skipped", lines=len(r.malformed)), style="yellow")
    tiers = {k: n for k, n in r.service_tiers.items() if n}
    on = r.priced_on.isoformat() if r.priced_on is not None else None
    if set(tiers) <= {"batch" if r.batch else "standard"}:
        head.append("\n" + text("actual.priced_at", batch=r.batch, on=on))
    else:
        # Each line's usage.service_tier (and speed) chose its rates.
        counted = ", ".join(f"{fmt.tokens(n)} {k}" for k, n in sorted(tiers.items()))
        head.append("\n" + text("actual.priced_per_tier", on=on, tiers=counted))
    if r.unpriced:
        head.append("\n" + text("actual.unpriced_requests", requests=r.unpriced), style="yellow")
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
                    text(f"class.{line.token_class}"),
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
                    text("actual.web_searches", searches=fmt.tokens(r.web_searches)),
                    "",
                    "",
                    fmt.usd_auto(r.web_search_cost),
                    fmt.pct(r.share_of_total(r.web_search_cost)),
                ],
                False,
            )
        )
    rows[-1] = (rows[-1][0], True)
    rows.append(([text("actual.total_billed"), "", "", fmt.usd_auto(r.total), ""], False))
    table = grid(
        text("actual.money_title"),
        [
            (text("actual.col_token_class"), "left"),
            (text("actual.col_tokens"), "right"),
            (text("actual.col_average_rate"), "right"),
            (text("actual.col_cost"), "right"),
            (text("actual.col_share"), "right"),
        ],
        rows,
        highlight=len(rows) - 1,
    )
    return table


def _cache_text(r: ResultsReport) -> Text:
    """The cost per request, and how the cache was used."""
    cache = Text()
    cache.append(text("actual.per_request_label"), style="bold")
    cache.append(fmt.usd_small(r.per_request) if r.per_request is not None else "—")
    if len(r.per_model) > 1:
        models = ", ".join(
            text("actual.model_cost", model=m, cost=fmt.usd_auto(t), requests=n)
            for m, (n, t) in r.per_model.items()
        )
        cache.append(text("actual.by_model", models=models))
    cache.append("\n" + text("actual.cache_label"), style="bold")
    cache.append(
        text(
            "actual.cache_use",
            wrote=r.wrote,
            read=fmt.tokens(r.read),
            both=fmt.tokens(r.both),
            neither=fmt.tokens(r.neither),
        )
    )
    if r.read_share is not None:
        cache.append(text("actual.read_share", share=fmt.pct(r.read_share * 100)))
    if r.cache_miss_reasons:
        cache.append("\n" + text("actual.cache_misses_label"), style="bold")
        # The reasons are the API's diagnostics.cache_miss_reason types, shown as words.
        cache.append(
            ", ".join(
                text(
                    "actual.cache_miss",
                    requests=fmt.tokens(n),
                    reason=reason.replace("_", " "),
                    missed=fmt.tokens(missed) if missed else None,
                )
                for reason, (n, missed) in r.cache_miss_reasons.items()
            )
        )
    if r.effective_input_rate is not None:
        cache.append("\n" + text("actual.effective_rate_label"), style="bold")
        cache.append(text("actual.effective_rate", rate=fmt.pct(r.effective_input_rate * 100)))
    return cache


def _source_text(source: EstimateSource) -> str:
    """What the estimate came from, in words: the request file, or the plan's figures."""
    if source.kind == "request_file":
        return text("actual.source_file", file=source.file)
    w = source.workload
    return text(
        "actual.source_plan",
        requests=fmt.tokens(w.requests),
        shared=fmt.tokens(w.shared_tokens),
        unique=fmt.tokens(w.unique_tokens),
        output=fmt.tokens(w.output_tokens),
        writes=fmt.tokens(w.cache_writes),
        ttl=w.ttl,
        model=source.model.short_name,
    )


def _comparison_parts(comparison: Comparison) -> list[RenderableType]:
    """The estimate against the actual bill, and why they differ."""
    crow: list[Row] = [
        (
            [
                text(f"class.{d.token_class}"),
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
                text("actual.total"),
                "",
                "",
                fmt.usd_auto(comparison.estimated_total),
                fmt.usd_auto(comparison.actual_total),
            ],
            False,
        )
    )
    table = grid(
        text("actual.comparison_title", source=_source_text(comparison.source)),
        [
            (text("actual.col_token_class"), "left"),
            (text("actual.col_estimated_tokens"), "right"),
            (text("actual.col_actual_tokens"), "right"),
            (text("actual.col_estimated_cost"), "right"),
            (text("actual.col_actual_cost"), "right"),
        ],
        crow,
        highlight=len(crow) - 1,
    )
    why = Text()
    explained = [render_message(n) for n in comparison.explanations]
    for note in explained or [text("actual.estimate_matched")]:
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
    out = Text()
    if c is None:
        out.append(text("actual.cold_needs_batch"))
        return out
    out.append(text("actual.cold_label"), style="bold")
    out.append(
        text(
            "actual.cold_misses",
            misses=c.misses,
            matched=fmt.tokens(c.matched),
            tokens=fmt.tokens(c.tokens),
            extra=fmt.usd_auto(c.extra_cost),
        )
        + "\n"
    )
    warned = warnings_text(c.notices)
    if c.verdict is None:
        # Nothing matched the request file: no verdict on a run it does not describe.
        out.rstrip()
        return Group(out, warned) if warned is not None else out
    primer = fmt.usd_auto(c.primer_cost)
    if c.verdict == "would_pay":
        out.append(
            text(
                "actual.warmup_would_pay",
                primer=primer,
                tokens=fmt.tokens(c.primed_tokens),
                saved=fmt.usd_auto(c.saved),
            )
        )
    else:
        out.append(text("actual.warmup_would_not_pay", primer=primer))
    return Group(out, warned) if warned is not None else out


def actual_table(result: ActualResult) -> RenderableType:
    return Group(actual_view(result.report, result.comparison), cold_start_view(result.cold))
