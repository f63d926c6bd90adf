"""`costcalc estimate` as tables: one model's analysis, or several models compared."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from costcalc import fmt
from costcalc.compute.engine import Estimate
from costcalc.compute.outcomes import EstimateResult
from costcalc.compute.planning import Analysis, share_of_largest
from costcalc.messages import ttl_reason
from costcalc.messages.text import text
from costcalc.present.cells import bar
from costcalc.present.grid import Grid, Row, grid
from costcalc.present.notices_table import warnings_text
from costcalc.tokens.bands import band_text


def estimate_header(est: Estimate) -> Text:
    w, m = est.workload, est.model
    out = Text()
    out.append(m.name, style="bold")
    checked = text("estimate.prices_checked", id=m.id, checked=m.checked.isoformat())
    out.append(f" {checked}\n", style="dim")
    workload = text(
        "estimate.workload",
        requests=w.requests,
        shared=fmt.tokens(w.shared_tokens),
        unique=fmt.tokens(w.unique_tokens),
        output=fmt.tokens(w.output_tokens),
    )
    cache = text("estimate.cache", ttl=w.ttl, writes=w.cache_writes, reads=w.cache_reads)
    out.append(f"{workload}\n{cache}")
    if not est.caching_applies and w.shared_tokens:
        out.append(f" {text('estimate.not_cached')}", style="yellow")
    return out


def summary_table(est: Estimate) -> Grid:
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
        (text("estimate.col_scenario"), "left"),
        (text("estimate.col_total"), "right"),
        (text("estimate.col_per_request"), "right"),
        (text("estimate.col_savings"), "right"),
        ("%", "right"),
        ("", "left"),
    ]
    return grid(text("estimate.summary_title"), columns, rows, highlight=len(rows) - 1)


def lines_table(est: Estimate) -> Grid:
    rows: list[Row] = []
    for s in est.scenarios:
        shown = [line for line in s.lines if line.tokens] or list(s.lines[:1])
        for i, line in enumerate(shown):
            rows.append(
                (
                    [
                        s.name if i == 0 else "",
                        text(f"class.{line.token_class}"),
                        fmt.tokens(line.tokens),
                        fmt.rate(line.rate),
                        fmt.usd_auto(line.cost),
                    ],
                    i == len(shown) - 1,
                )
            )
    columns = [
        (text("estimate.col_scenario"), "left"),
        (text("estimate.col_token_class"), "left"),
        (text("estimate.col_tokens"), "right"),
        (text("estimate.col_rate"), "right"),
        (text("estimate.col_cost"), "right"),
    ]
    return grid(text("estimate.lines_title"), columns, rows)


def cache_range_table(a: Analysis) -> Grid:
    cached, uncached = a.cached_scenario, a.uncached_scenario
    labels = {
        "best": text("estimate.case_best"),
        "per_batch": text("estimate.case_per_batch"),
        "expected": text("estimate.case_expected"),
        "worst": text("estimate.case_worst"),
    }
    costs_more = text("estimate.costs_more")
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
                    costs_more if c.costs_more_than_uncached else "",
                ],
                False,
            )
        )
    columns = [
        (text("estimate.col_case"), "left"),
        (text("estimate.col_writes"), "right"),
        (text("estimate.col_reads"), "right"),
        (text("estimate.col_hit_rate"), "right"),
        (cached, "right"),
        (text("estimate.col_note"), "left"),
    ]
    title = text(
        "estimate.cache_title",
        uncached=uncached,
        total=fmt.usd_auto(a.cache_range[0].uncached_total),
    )
    return grid(title, columns, rows)


def _label(out: Text, label: str) -> None:
    """A bold label that opens a planning line ("Break-even: ")."""
    out.append(f"{label} ", style="bold")


def planning_text(a: Analysis) -> Text:
    out = Text()
    ttl = a.estimate.workload.ttl
    if a.break_even_hit_rate is not None and a.estimate.workload.shared_tokens:
        _label(out, text("estimate.label_break_even"))
        rate = fmt.pct(a.break_even_hit_rate * 100)
        sentence = text(
            "estimate.break_even", rate=rate, ttl=ttl, min_requests=a.min_requests_for_caching
        )
        out.append(f"{sentence}\n")
    plan = a.batch_plan
    if plan is not None:
        _label(out, text("estimate.label_batches"))
        size, per_token = fmt.size(plan.total_bytes), fmt.number(plan.bytes_per_token)
        if plan.batches == 1:
            sentence = text("estimate.one_batch", size=size, bytes_per_token=per_token)
        else:
            sentence = text(
                "estimate.batches",
                batches=plan.batches,
                per_batch=fmt.tokens(plan.requests_per_batch),
                last=fmt.tokens(plan.last_batch_requests),
                size=size,
                bytes_per_token=per_token,
                max_requests=fmt.tokens(plan.limits.max_requests),
                max_bytes=fmt.size(plan.limits.max_bytes),
            )
        out.append(f"{sentence}\n")
    t = a.ttl_advice
    if t is not None:
        _label(out, text("estimate.label_ttl"))
        _label(out, text("estimate.ttl_use", ttl=t.recommended))
        sentence = text(
            "estimate.ttl_costs",
            rate=fmt.pct(t.hit_rate * 100),
            scenario=a.cached_scenario,
            cost_5m=fmt.usd_auto(t.cost_5m),
            cost_1h=fmt.usd_auto(t.cost_1h),
            extra=fmt.usd_auto(t.extra_for_1h),
            reason=ttl_reason(t),
        )
        out.append(f"{sentence}\n")
    out.rstrip()
    return out


def token_text(a: Analysis) -> Text | None:
    t = a.tokens
    if t is None:
        return None
    out = Text()
    if t.exact:
        out.append(f"{text('estimate.counts_exact')}\n", style="bold")
    else:
        out.append(text("estimate.counts_estimated"), style="bold")
        out.append(f" {text('estimate.counts_method', tokenizer=t.tokenizer)}\n")
    if t.shared is not None:
        out.append(f"  {text('estimate.band_shared', band=band_text(t.shared))}\n")
    if t.unique is not None:
        largest = (
            band_text(t.unique_max) if t.unique_max is not None and t.unique_texts > 1 else None
        )
        unique = text(
            "estimate.band_unique",
            texts=t.unique_texts,
            band=band_text(t.unique),
            largest=largest,
        )
        out.append(f"  {unique}\n")
    out.rstrip()
    return out


def cost_band_table(a: Analysis) -> Grid:
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
        (text("estimate.col_scenario"), "left"),
        (text("estimate.col_low"), "right"),
        (text("estimate.col_central"), "right"),
        (text("estimate.col_high"), "right"),
    ]
    return grid(text("estimate.band_title"), columns, rows)


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
        (text("estimate.col_model"), "left"),
        *((n, "right") for n in names),
        (text("estimate.col_per_request_short"), "right"),
        (text("estimate.col_saved"), "right"),
    ]
    title = text("estimate.compared_title", scenario=analyses[0].cached_scenario)
    parts: list[RenderableType] = [estimate_header(first), "", grid(title, columns, rows)]
    for a in analyses:
        warned = warnings_text(a.warnings)
        if warned is not None:
            parts += ["", Text(a.estimate.model.name, style="bold"), warned]
    return Group(*parts)


def estimate_table(result: EstimateResult) -> RenderableType:
    analyses = result.analyses
    return analysis_view(analyses[0]) if len(analyses) == 1 else comparison_view(analyses)
