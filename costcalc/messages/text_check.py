"""The words of check and warmup (present/check_table, check_html_groups, warmup_table,
warmup_data).

By code; messages.text says how an entry is written. A count that a noun follows arrives as an
integer, so the noun can agree with it (`counted`); every other figure arrives as text the
presenter formatted (money, sizes, percentages, token bands: costcalc.fmt), and HTML figures
arrive escaped."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from costcalc.messages.common import counted

F = Mapping[str, Any]


def _unpriced(f: F) -> str:
    them = "it" if f["count"] == 1 else "them"
    requests = counted(f["count"], "request")
    return f"{requests} could not be priced, so the cost below leaves {them} out:"


def _problem_lines(f: F) -> str:
    """'line 4', 'lines 1, 2, 3 and 9 more': the `lines` shown of a problem's `count`, and how
    many `more` there are."""
    more = f" and {f['more']:,} more" if f["more"] > 0 else ""
    return f"line{'s' if f['count'] > 1 else ''} {f['lines']}{more}"


def _case_warm_up(f: F) -> str:
    best = "warm-up" if f["warm_up_cheapest"] else "no warm-up (expected case)"
    return (
        f"batch_cache, warm-up ({counted(f['primers'], 'primer')} {f['primer_cost']} + batch "
        f"{f['batch_cost']}; cheapest here: {best})"
    )


def _split_batch(f: F) -> str:
    return (
        f"batch {f['number']}: {counted(f['requests'], 'request')}, {f['size']}, "
        f"{counted(f['groups'], 'prefix group')}"
    )


def _warmup_head(f: F) -> str:
    warm = "warms" if f["primers"] == 1 else "warm"
    return (
        f": {counted(f['entries'], 'distinct cache entry', 'distinct cache entries')}; "
        f"{counted(f['primers'], 'primer request')} {warm} {f['primed']:,} of them"
    )


def _nested(f: F) -> str:
    its = "its" if f["count"] == 1 else "their"
    return (
        f"{counted(f['count'], 'shorter entry', 'shorter entries')} written by the primer of a "
        f"longer one (its breakpoint is kept): no primer of {its} own"
    )


TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    # check as a table: the head
    "check.unpriced": _unpriced,
    "check.head_requests": lambda f: (
        f": {counted(f['requests'], 'request')} ({f['form']}, {f['size']})"
    ),
    "check.head_malformed": ", {malformed} malformed skipped",
    "check.head_rejected": ", {rejected} the API would reject (not billed, left out of the cost)",
    "check.token_counts_exact": "Token counts: exact (count_tokens)",
    "check.token_counts_estimated": (
        "Token counts: estimated, ~central (low-high); --exact for exact counts"
    ),
    # each model
    "check.model_counts": lambda f: (
        f": {counted(f['requests'], 'request')}, "
        f"{counted(f['entries'], 'distinct cache entry', 'distinct cache entries')}"
    ),
    "check.model_cached_prefix": "cached prefix    {tokens} tokens (to the last breakpoint)",
    "check.model_after_prefix": "after it, mean   {mean} tokens; largest {largest}",
    "check.model_max_tokens": "max_tokens, mean {mean}",
    # the cost by case
    "check.title_cost": (
        "Cost (best case: file order, each cache entry written once per batch, then read)"
    ),
    "check.col_scenario": "Scenario",
    "check.col_total": "Total",
    "check.case_as_submitted": "{name} (as submitted)",
    "check.case_expected": "batch_cache, expected ({hit_rate} hits)",
    "check.case_worst": "batch_cache, worst (0% hits, max_tokens, high counts)",
    "check.case_warm_up": _case_warm_up,
    # problems and the split
    "check.problems_title": lambda f: f"Problems ({counted(f['kinds'], 'kind')})",
    "check.problem_lines": _problem_lines,
    "check.no_problems": "No problems found.",
    "check.split_title": (
        "Over the batch limits ({max_requests} requests, {max_size}): split into {batches} "
        "batches that keep each prefix's requests together:"
    ),
    "check.split_batch": _split_batch,
    # the cost by group (--group-by)
    "check.group_levels": lambda f: " then ".join(f["levels"]),
    "check.title_groups": (
        "By {levels} (batch_cache; best as submitted, standard: real time without cache; "
        "hit rate: reads over reads and writes, best case)"
    ),
    "check.col_group": "Group",
    "check.col_subgroup": "Subgroup",
    "check.col_requests": "Requests",
    "check.col_best": "Best",
    "check.col_expected": "Expected",
    "check.col_worst": "Worst",
    "check.col_standard": "Standard",
    "check.col_saving": "Saving",
    "check.col_hit_rate": "Hit rate",
    "check.group_all": "(all)",
    "check.group_requests_rejected": "{requests} ({rejected} rejected)",
    # the cache entries
    "check.title_entries": "Cache entries ({count} distinct; best case, batch rates)",
    "check.title_entries_top": (
        "Cache entries ({count} distinct; best case, batch rates; top {shown} by cost, {more} more)"
    ),
    "check.col_first_line": "First line",
    "check.col_tokens": "Tokens",
    "check.col_ttl": "TTL",
    "check.col_writes": "Writes",
    "check.col_reads": "Reads",
    "check.col_cost": "Cost",
    "check.entry_under_minimum": "{tokens} (under minimum)",
    # check's page, --group-by section (HTML)
    "check.html_by": "By {levels}",
    "check.html_chart_cost": "Best case by {level} and token class (USD)",
    "check.html_chart_hit_rate": "Cache hit rate by {level} (best case)",
    "check.html_others": "({count} others)",
    "check.html_col_requests": "requests",
    "check.html_col_rejected": "rejected",
    "check.html_col_best": "best",
    "check.html_col_expected": "expected",
    "check.html_col_worst": "worst",
    "check.html_col_standard": "at standard",
    "check.html_col_saving": "saving",
    "check.html_col_hit_rate": "hit rate",
    "check.html_budget_per_group": "Budget per group",
    # warmup as a table
    "warmup.head": _warmup_head,
    "warmup.skipped_unread": lambda f: (
        f"{counted(f['count'], 'entry', 'entries')} no other request reads: not primed "
        "(priming adds a 1h write and still costs a read; the request writing it itself is "
        "cheaper)"
    ),
    "warmup.skipped_small": lambda f: (
        f"{counted(f['count'], 'entry', 'entries')} under the model's minimum cacheable length: "
        "not cached, not primed"
    ),
    "warmup.nested": _nested,
    "warmup.nothing_to_warm": "Nothing to warm: no cache entry is shared by two requests.",
    "warmup.title_cost": "Cost",
    "warmup.col_case": "Case",
    "warmup.col_total": "Total",
    "warmup.case_primer": (
        "primer batch (1h batch writes, max_tokens of output, a 1-character user turn)"
    ),
    "warmup.case_batch": "the batch with every primed entry read",
    "warmup.case_total": "warm-up total",
    "warmup.case_expected": "without warm-up: expected ({hit_rate} hits)",
    "warmup.case_worst": "without warm-up: worst (0% hits)",
    "warmup.wrote": lambda f: f"Wrote {counted(f['count'], 'primer request')} to {f['path']}.",
    "warmup.steps_title": "Steps:",
    "warmup.step_submit_primer_at": "submit the primer batch ({path})",
    "warmup.step_submit_primer": "submit the primer batch (--out PRIMER.jsonl writes it)",
    "warmup.step_wait": "wait until it has ended (processing_status: ended)",
    "warmup.step_submit_batch": "submit the batch within the hour (the primed entries live 1h)",
    "warmup.five_minute_copied": (
        "The file's own breakpoints use the 5m TTL: a batch can run longer than 5 minutes, so "
        "its writes expire early; a copy with every breakpoint at 1h is in {path}."
    ),
    "warmup.five_minute": (
        "The file's own breakpoints use the 5m TTL: a batch can run longer than 5 minutes, so "
        "its writes expire early; --ttl-1h OUT.jsonl writes a copy with every breakpoint at 1h."
    ),
    # warmup as JSON: the steps, shorter (a program shows them as a list)
}
