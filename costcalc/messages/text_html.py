"""The words of the HTML pages and SVG charts (present/htmlreport, htmltable, chart, barchart).

By code; messages.text says how an entry is written. Counts come in already written
(`f"{n:,}"`), as every figure a template puts in is text. The presenters escape these words and wrap
them in tags, so a message holds words only, never markup."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def _by(figures: Mapping[str, Any]) -> str:
    """What the report's charts are drawn by: the first --group-by, else one bar per group."""
    return str(figures["by"]) or "group"


def _groups_heading(figures: Mapping[str, Any]) -> str:
    return "By " + " then ".join(figures["group_by"])


def _problem(figures: Mapping[str, Any]) -> str:
    lines = figures["lines"]
    return f"{figures['problem']} ({lines:,} line{'' if lines == 1 else 's'})"


def _sweep_title(figures: Mapping[str, Any]) -> str:
    """A sweep of two parameters draws the second as the lines' style."""
    title = f"Cost against {figures['x']}"
    if figures["by"]:
        title += f", by {figures['by'].replace('_', ' ')} (line style)"
    return title


def _x_axis(figures: Mapping[str, Any]) -> str:
    """The swept parameter; a logarithmic axis says so (and whether cost's axis is too)."""
    if figures["log_y"]:
        return f"{figures['label']} (log scale; cost too)"
    if figures["log"]:
        return f"{figures['label']} (log scale)"
    return str(figures["label"])


TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    # actual --format html: the page's title and sections.
    "html.report.title": "Batch cost report",
    "html.report.money_heading": "Where the money went",
    "html.report.money_chart": lambda f: f"Cost by {_by(f)} and token class (USD)",
    "html.report.savings_heading": "Savings against standard rates",
    "html.report.savings_chart": "Billed against standard rates (USD)",
    "html.report.rate_heading": "Cache hit rate",
    "html.report.rate_chart": lambda f: f"Cache hit rate by {_by(f)}",
    "html.report.web_search": "web search",
    "html.report.groups_heading": _groups_heading,
    "html.report.files_heading": "Per file",
    # The report's bars: the name of a group with no key, the bar of the groups not drawn, and
    # the mark after a bar's name when some of its requests could not be priced.
    "html.report.all": "all",
    "html.report.others": "({count} others)",
    "html.report.lower_bound_mark": " (at least)",
    # The report's headline figures.
    "html.head.files": "Results files",
    "html.head.requests": "Succeeded requests",
    "html.head.billed": "Billed",
    "html.head.standard": "At standard rates",
    "html.head.saving": "Saving",
    "html.head.hit_rate": "Cache hit rate",
    "html.head.no_cached_tokens": "no cached tokens",
    "html.head.priced_as": "Priced as",
    "html.head.priced_batch": "batch",
    "html.head.priced_real_time": "real-time (unless a line says batch)",
    "html.head.unpriced": "Unpriced requests (not in the total)",
    "html.head.cold_misses": "Cold-start misses",
    "html.head.cold_extra": "Cold-start misses cost beyond reads",
    # Sections both pages have.
    "html.budget_heading": "Budget",
    "html.warnings_heading": "Warnings",
    "html.none": "None.",
    # The words of the report's budget lines, put before each by the page's style sheet.
    "html.gate.failed_mark": "FAILED: ",
    "html.gate.passed_mark": "passed: ",
    # Column headings of the report's tables (per group, per file).
    "html.col.group": "group",
    "html.col.subgroup": "subgroup",
    "html.col.file": "file",
    "html.col.requests": "requests",
    "html.col.unpriced": "unpriced",
    "html.col.cost": "cost",
    "html.col.standard": "at standard",
    "html.col.saving": "saving",
    "html.col.hit_rate": "cache hit rate",
    "html.col.cold_misses": "cold-start misses",
    "html.col.cold_extra": "misses cost beyond reads",
    "html.col.not_billed": "not billed",
    # Cells: a first-level group's subtotal row, an amount none of whose requests could be
    # priced, and one some of whose requests could not (before the amount).
    "html.cell.all": "(all)",
    "html.cell.not_priced": "not priced",
    "html.cell.at_least": "at least ",
    "html.cell.not_billed": "{skipped} errored/canceled/expired, {malformed} malformed",
    # check --format html: the page.
    "html.check.title": "Batch request file check",
    "html.check.file": "File",
    "html.check.requests": "Requests",
    "html.check.best": "Best case (batch + cache)",
    "html.check.expected": "Expected (hit rate {rate})",
    "html.check.worst": "Worst case",
    "html.check.token_counts": "Token counts",
    "html.check.exact": "exact (count_tokens)",
    "html.check.estimated": "estimated",
    "html.check.entries": "Cache entries",
    "html.check.money_heading": "Where the money would go",
    "html.check.money_chart": "Cost by case and token class (USD)",
    "html.check.problems_heading": "Problems",
    "html.check.unpriced": "{count} request(s) could not be priced and are not in the cost.",
    "html.check.problem": _problem,
    "html.check.entries_heading": "Cache entries (the {shown} costliest of {total})",
    # Column headings and cells of the check page's tables (cases, cache entries).
    "html.col.case": "case",
    "html.col.token_class": "token class",
    "html.col.tokens": "tokens",
    "html.col.model": "model",
    "html.col.first_line": "first line",
    "html.col.ttl": "ttl",
    "html.col.cached": "cached",
    "html.col.writes": "writes",
    "html.col.reads": "reads",
    "html.cell.yes": "yes",
    "html.cell.no": "no",
    # sweep --chart: the line chart.
    "chart.sweep.title": _sweep_title,
    "chart.sweep.requests": "requests",
    "chart.sweep.shared": "shared tokens per request",
    "chart.sweep.unique": "unique input tokens per request",
    "chart.sweep.output": "output tokens per request",
    "chart.sweep.hit_rate": "cache hit rate",
    "chart.x_axis": _x_axis,
    "chart.y_axis": "total cost (USD)",
    # The report's bar charts: billed against standard rates, and a bar with no cache hit rate.
    "chart.billed": "billed",
    "chart.at_standard": "at standard rates",
    "chart.no_cached_tokens": "no cached tokens",
}
