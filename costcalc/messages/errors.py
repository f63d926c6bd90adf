"""The English of coded errors (exit status 2): one line naming the problem and the fix."""

from __future__ import annotations

import shlex
from collections.abc import Callable

from costcalc.messages.common import F, _unknown_hint

# Errors (exit status 2) raised as CodedError: one line naming the problem and the fix. The
# layers' families (errors_read, errors_core, errors_commands, errors_values) join this table
# on the first error rendered (load_error_families).
ERRORS: dict[str, Callable[[F], str]] = {
    "all_rejected": lambda f: (
        f"{f['file']}: nothing can be priced: every request would be rejected by the API"
        + (f" ({_first_lines(f['rejected'])})" if f["rejected"] else "")
        + (f" or cannot be priced ({_first_lines(f['unpriced'])})" if f["unpriced"] else "")
        + "; fix those lines and check again"
    ),
    "no_fast_mode": lambda f: (
        f"{f['model']} has no fast mode in the pricing data ('costcalc "
        "models' shows which models have one); price it at standard speed (without --fast)"
    ),
    "fast_mode_not_offered": lambda f: (
        f"{f['model']}'s fast mode "
        + (
            f"was removed on {f['removed']} (requests with speed fast are rejected)"
            if f.get("removed")
            else f"starts on {f.get('starts') or '?'}"
        )
        + f", so it cannot be priced on {f['on']}; price it at standard speed (without "
        "--fast) or as of a date when fast mode was offered (--date)"
    ),
    "no_us_inference": lambda f: (
        f"{f['model']} does not support US-only inference (the API "
        "returns 400 for inference_geo on models before Claude 4.6); drop --region us"
    ),
    "nothing_priced_in_results": lambda f: (
        f"{f['file']}: none of its {f['requests']:,} succeeded results can be priced"
        + (
            f" ({f['reasons']['fast_without_fast_prices']:,} in fast mode on a model without "
            "fast-mode prices)"
            if f["reasons"].get("fast_without_fast_prices")
            else ""
        )
        + ("; " + _unknown_hint(f["unknown"]) if f["unknown"] else "")
    ),
    "group_by_not_a_regex": lambda f: (
        f"--group-by {f['spec']}: not a regular expression ({f['error']})"
    ),
    "group_by_no_capture_group": lambda f: (
        f"--group-by {f['spec']}: the pattern needs a capture group, the part that names the "
        "group, e.g. custom_id:^([a-z]+)-"
    ),
    "group_by_unknown": lambda f: (
        f"--group-by {f['spec']!r} is not a grouping; use model, file, tier, custom_id:REGEX "
        "(the first capture group names the group) or tags:FILE.csv (custom_id,tag rows)"
    ),
    "group_by_too_many": lambda f: f"--group-by at most {f['levels']} times (two levels)",
    "no_hit_rate_measurable": lambda f: (
        f"{f['file']} has no cache reads or writes in its "
        "succeeded requests, so no hit rate can be measured from it; give --hit-rate R instead"
    ),
    "reconcile_range_reversed": lambda f: (
        f"--to {f['end']} is before --from {f['start']}; swap them"
    ),
    "reconcile_budget_priority": lambda f: (
        "budget not passed: Priority Tier usage is not in the billed total (the cost report "
        "leaves it out)"
    ),
    "reconcile_range_too_long": lambda f: (
        f"{f['days']} days from --from to --to; reconcile at most {f['most']} days per run"
    ),
    "reconcile_date_out_of_range": lambda f: (
        f"--to {f['day']} is the last day a date can have: the reports need the day after "
        "--to; give an earlier day"
    ),
    "admin_key_missing": lambda f: (
        f"no Admin API key: set {f['env']} to an Admin API key (sk-ant-admin..., created by an "
        "organisation admin in the Console)"
    ),
    "admin_base_url_invalid": lambda f: (
        f"{f['env']} is {f['url']!r}, not an http(s) URL; set it to the API's base URL or unset it"
    ),
    "admin_key_rejected": lambda f: (
        f"the Admin API refused the key (HTTP {f['status']}): {f['env']} must be an Admin API "
        "key (sk-ant-admin...) of an organisation admin, not a regular API key"
    ),
    "admin_rate_limited": lambda f: (
        f"the Admin API kept answering 429 (rate limited) after {f['tries']} tries; "
        "wait a minute and run reconcile again, or ask for fewer days"
    ),
    "admin_api_failed": lambda f: (
        f"the Admin API failed (HTTP {f['status']}) {f['tries']} times for {f['path']}; "
        "nothing was reconciled: try again later"
    ),
    "admin_api_status": lambda f: (
        f"the Admin API answered HTTP {f['status']} for {f['path']}; nothing was reconciled"
    ),
    "admin_unreachable": lambda f: (
        f"cannot reach the Admin API at {f['url']} ({f['reason']}); check the network or "
        "ANTHROPIC_BASE_URL"
    ),
    "admin_page_malformed": lambda f: (
        f"the Admin API sent a page costcalc cannot read ({f['path']}: bad {f['what']}); "
        "nothing was reconciled"
    ),
}


def _first_lines(kinds: list[tuple[int, str, int]]) -> str:
    """'3 malformed, first on line 7; ...' from (count, problem code, first line) triples."""
    return "; ".join(f"{n:,} {code}, first on line {line:,}" for n, code, line in kinds)


def _results_not_requests(f: F) -> str:
    """check was given a batch results file: the `actual` command line that prices it. actual
    reads results as JSONL only, so a JSON array (or object) is first turned into lines."""
    source = "-" if f["stdin"] else shlex.quote(str(f["file"]))
    if f["form"] == "jsonl":
        again = " (give it the same standard input)" if f["stdin"] else ""
        return (
            f"{f['file']} looks like a batch results file; use costcalc actual {source} to "
            f"price it{again}"
        )
    where = "< FILE" if f["stdin"] else source
    items = ".[]" if f["form"] == "array" else ".requests[]"
    return (
        f"{f['file']} looks like batch results in one JSON document; costcalc actual reads "
        "results as JSONL (one result per line): convert it, e.g. "
        f"jq -c '{items}' {where} > results.jsonl, then use costcalc actual results.jsonl to "
        "price it"
    )


ERRORS["results_not_requests"] = _results_not_requests

# What an option that only qualifies the budget gate does (the needs_budget error).
_NEEDS_BUDGET = {
    "chooses_scenario": "chooses what --budget applies to",
    "qualifies_gate": "qualifies the budget gate",
}

# Why a request file has nothing to warm (the nothing_to_warm error).
_NOTHING_TO_WARM = {
    "no_breakpoints": "it has no cache breakpoints",
    "nothing_shared": "no cache entry is shared by two requests",
}

# Usage errors of the command line's own options (exit status 2).
ERRORS.update(
    {
        "needs_budget": lambda f: f"{f['flag']} {_NEEDS_BUDGET[f['what']]}; add --budget USD",
        "fast_not_batched": lambda f: (
            f"fast mode cannot be batched, so there is no {f['scenario']} scenario; "
            "use --scenario standard or cache"
        ),
        "not_both": lambda f: f"give {f['first']} or {f['second']}, not both",
        "same_file": lambda f: f"{f['first']} and {f['second']} name the same file; give two files",
        "nothing_to_warm": lambda f: (
            f"nothing to warm in {f['file']}: {_NOTHING_TO_WARM[f['why']]}; "
            "no primer file was written"
        ),
        "chart_not_svg": lambda f: f"--chart writes SVG; name the file .svg (got {f['path']})",
        "nothing_to_sweep": lambda f: (
            "nothing to sweep: give one parameter a list, e.g. --requests 1k,10k,100k"
        ),
        "sweep_too_many": lambda f: (
            f"sweep at most two parameters at a time (got {', '.join(f['swept'])}); fix the others"
        ),
    }
)


_families_loaded = False


def load_error_families() -> dict[str, Callable[[F], str]]:
    """ERRORS with every family's codes: each layer's coded errors live in a module of their
    own, merged here into one table on the first error rendered."""
    global _families_loaded
    if not _families_loaded:
        # Lazy for start-up: a run that succeeds renders no error, and importing the tables
        # costs about 5 ms of the ~120 ms `costcalc estimate` takes (benchmarks/cold_start.py).
        from costcalc.messages import errors_commands, errors_core, errors_read, errors_values

        for family in (errors_read, errors_core, errors_commands, errors_values):
            assert not set(family.ERRORS) & set(ERRORS), "an error code is defined twice"
            ERRORS.update(family.ERRORS)
        _families_loaded = True
    return ERRORS


def render_error(code: str, figures: F) -> str:
    return load_error_families()[code](figures)
