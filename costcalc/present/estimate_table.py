"""`costcalc estimate` as tables: one model's analysis, or several models compared."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from costcalc import fmt
from costcalc.compute.engine import Estimate
from costcalc.compute.outcomes import EstimateResult
from costcalc.compute.planning import Analysis, share_of_largest
from costcalc.messages import ttl_reason
from costcalc.names import CLASS_LABELS
from costcalc.present.cells import bar, plural
from costcalc.present.grid import Grid, Row, grid
from costcalc.present.notices_table import warnings_text


def estimate_header(est: Estimate) -> Text:
    w, m = est.workload, est.model
    text = Text()
    text.append(m.name, style="bold")
    text.append(f" ({m.id}), prices checked {m.checked.isoformat()}\n", style="dim")
    text.append(
        f"{plural(w.requests, 'request')}, each {fmt.tokens(w.shared_tokens)} shared + "
        f"{fmt.tokens(w.unique_tokens)} unique input and {fmt.tokens(w.output_tokens)} output "
        f"tokens\nCache: TTL {w.ttl}, {plural(w.cache_writes, 'write')}, "
        f"{plural(w.cache_reads, 'read')} of the shared prefix"
    )
    if not est.caching_applies and w.shared_tokens:
        text.append(" (not cached: under the minimum)", style="yellow")
    return text


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
        ("Scenario", "left"),
        ("Total", "right"),
        ("Per request", "right"),
        ("Savings", "right"),
        ("%", "right"),
        ("", "left"),
    ]
    return grid(
        "Cost by scenario, savings against standard", columns, rows, highlight=len(rows) - 1
    )


def lines_table(est: Estimate) -> Grid:
    rows: list[Row] = []
    for s in est.scenarios:
        shown = [line for line in s.lines if line.tokens] or list(s.lines[:1])
        for i, line in enumerate(shown):
            rows.append(
                (
                    [
                        s.name if i == 0 else "",
                        CLASS_LABELS[line.token_class],
                        fmt.tokens(line.tokens),
                        fmt.rate(line.rate),
                        fmt.usd_auto(line.cost),
                    ],
                    i == len(shown) - 1,
                )
            )
    columns = [
        ("Scenario", "left"),
        ("Token class", "left"),
        ("Tokens", "right"),
        ("$/MTok", "right"),
        ("Cost", "right"),
    ]
    return grid("Line items", columns, rows)


def cache_range_table(a: Analysis) -> Grid:
    cached, uncached = a.cached_scenario, a.uncached_scenario
    labels = {
        "best": "best: one write",
        "per_batch": "one write per batch",
        "expected": "expected",
        "worst": "worst: 0% hits",
    }
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
                    "costs MORE than no caching" if c.costs_more_than_uncached else "",
                ],
                False,
            )
        )
    columns = [
        ("Case", "left"),
        ("Writes", "right"),
        ("Reads", "right"),
        ("Hit rate", "right"),
        (cached, "right"),
        ("Note", "left"),
    ]
    title = (
        f"Cache hits, best to worst ({uncached} without caching: "
        f"{fmt.usd_auto(a.cache_range[0].uncached_total)})"
    )
    return grid(title, columns, rows)


def planning_text(a: Analysis) -> Text:
    text = Text()
    ttl = a.estimate.workload.ttl
    if a.break_even_hit_rate is not None and a.estimate.workload.shared_tokens:
        text.append("Break-even: ", style="bold")
        text.append(
            f"caching beats no caching above a {fmt.pct(a.break_even_hit_rate * 100)} "
            f"hit rate ({ttl} TTL)"
        )
        if a.min_requests_for_caching is not None:
            text.append(
                f", and from {plural(a.min_requests_for_caching, 'request')} with one write"
            )
        text.append("\n")
    plan = a.batch_plan
    if plan is not None:
        text.append("Batches: ", style="bold")
        if plan.batches == 1:
            text.append(
                f"fits one batch (~{fmt.size(plan.total_bytes)} at "
                f"{fmt.number(plan.bytes_per_token)} bytes/token)\n"
            )
        else:
            text.append(
                f"{plan.batches} batches of up to {fmt.tokens(plan.requests_per_batch)} requests"
                f" (the last {fmt.tokens(plan.last_batch_requests)}); ~{fmt.size(plan.total_bytes)}"
                f" at {fmt.number(plan.bytes_per_token)} bytes/token, limits "
                f"{fmt.tokens(plan.limits.max_requests)} requests and "
                f"{fmt.size(plan.limits.max_bytes)} per batch\n"
            )
    t = a.ttl_advice
    if t is not None:
        text.append("TTL: ", style="bold")
        text.append(f"use {t.recommended}. ", style="bold")
        text.append(
            f"With {fmt.pct(t.hit_rate * 100)} cache hits, {a.cached_scenario} costs "
            f"{fmt.usd_auto(t.cost_5m)} with 5m and {fmt.usd_auto(t.cost_1h)} with 1h "
            f"(+{fmt.usd_auto(t.extra_for_1h)}); {ttl_reason(t)}.\n"
        )
    text.rstrip()
    return text


def token_text(a: Analysis) -> Text | None:
    t = a.tokens
    if t is None:
        return None
    text = Text()
    if t.exact:
        text.append("Token counts: exact, from Anthropic's count_tokens\n", style="bold")
    else:
        text.append("Token counts: estimated", style="bold")
        text.append(
            f" (tiktoken cl100k_base x the {t.tokenizer} tokenizer's ratio for each "
            "text's kind: prose, code, structured or scripts; low-high is its band)\n"
        )
    from costcalc.tokens.count import band_text

    if t.shared is not None:
        text.append(f"  shared prefix: {band_text(t.shared)} tokens\n")
    if t.unique is not None:
        many = f" over {t.unique_texts:,} files" if t.unique_texts > 1 else ""
        text.append(f"  unique per request{many}: {band_text(t.unique)} tokens")
        if t.unique_max is not None and t.unique_texts > 1:
            text.append(f", largest {band_text(t.unique_max)}")
        text.append("\n")
    text.rstrip()
    return text


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
        ("Scenario", "left"),
        ("Low count", "right"),
        ("Central", "right"),
        ("High count", "right"),
    ]
    return grid("Cost at the low, central and high token counts", columns, rows)


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
        ("Model", "left"),
        *((n, "right") for n in names),
        ("per request", "right"),
        ("saved", "right"),
    ]
    title = f"Models compared (per request and saved: {analyses[0].cached_scenario})"
    parts: list[RenderableType] = [estimate_header(first), "", grid(title, columns, rows)]
    for a in analyses:
        warned = warnings_text(a.warnings)
        if warned is not None:
            parts += ["", Text(a.estimate.model.name, style="bold"), warned]
    return Group(*parts)


def estimate_table(result: EstimateResult) -> RenderableType:
    analyses = result.analyses
    return analysis_view(analyses[0]) if len(analyses) == 1 else comparison_view(analyses)
