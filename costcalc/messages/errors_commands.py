"""The English of coded errors raised by commands/, cli/ and presenters:
one line naming the problem and the fix."""

from __future__ import annotations

from collections.abc import Callable

from costcalc.messages.common import F, counted
from costcalc.messages.status import budget_subject, priced_alone

# Why a request's price can only be a lower bound (compute/routes.py, compute/actual.py).
_LOWER_BOUND_WHY = (
    "Priority Tier, an unknown service_tier, inference_geo or speed, or cache writes the 5m/1h "
    "breakdown leaves out"
)

ERRORS: dict[str, Callable[[F], str]] = {
    # costcalc tokens
    "tokens_exact_needs_model": lambda f: "--exact counts for a model: add --model NAME",
    "tokens_no_files": lambda f: (
        "no files to count (directories are read recursively; hidden files are skipped)"
    ),
    # costcalc actual over many files (the report)
    "report_xlsx_one_file": lambda f: (
        "--format xlsx takes one results file without --group-by; for several files or "
        "groups use --format csv, json or html"
    ),
    "report_budget_per_group_needs_group_by": lambda f: (
        "--budget-per-group needs --group-by KEY (what a group is)"
    ),
    "report_html_needs_out": lambda f: "--format html writes a page: add --out report.html",
    "group_by_near_miss": lambda f: (
        f"--group-by {f['spec']!r} is not a grouping; did you mean {f['suggestion']!r}? "
        "(model, file, tier, custom_id:REGEX or tags:FILE.csv)"
    ),
    # A budget gate on the real bill whose cost is not known or only a lower bound (not an
    # error: the gate's verdict); the priced requests' figures are left out when there are none.
    "report_gate_cost_unknown": lambda f: (
        f"budget check failed: {budget_subject(f['check'])}: "
        + ("the cost is not known: " if f["unpriced"] or f["malformed"] else "the cost is ")
        + "; ".join(
            part
            for part in (
                f"{counted(f['unpriced'], 'succeeded request')} could not be priced"
                if f["unpriced"]
                else "",
                f"{counted(f['malformed'], 'result line')} could not be read (each may be a "
                "billed request of any group)"
                if f["malformed"]
                else "",
                f"a lower bound: {counted(f['lower_bound'], 'succeeded request')} priced at "
                f"a lower bound ({_LOWER_BOUND_WHY})"
                if f.get("lower_bound") and not (f["unpriced"] or f["malformed"])
                else f"{counted(f['lower_bound'], 'succeeded request')} priced at a lower bound "
                f"({_LOWER_BOUND_WHY})"
                if f.get("lower_bound")
                else "",
                priced_alone(
                    f["check"],
                    at_least=bool(f.get("lower_bound")),
                    subject="the priced requests alone"
                    if f["unpriced"] or f["malformed"]
                    else "the requests",
                )
                if f.get("priced", True)
                else "",
            )
            if part
        )
    ),
    # costcalc check --group-by
    # costcalc estimate
    "estimate_requests_required": lambda f: (
        "--requests is required (or --unique-dir, one request per file)"
    ),
    "estimate_model_failed": lambda f: (
        f"{f['model']}: {f['error']}" if f["model"] is not None else f["error"]
    ),
    "estimate_exact_needs_files": lambda f: (
        "--exact counts text: add --shared-file, --unique-file or --unique-dir"
    ),
    "estimate_encoding_needs_files": lambda f: (
        "--encoding reads text: add --shared-file, --unique-file or --unique-dir"
    ),
    "estimate_shared_twice": lambda f: "give --shared or --shared-file, not both",
    "estimate_unique_twice": lambda f: "give --unique or --unique-file/--unique-dir, not both",
    # costcalc actual
    "actual_files_and_batch_id": lambda f: "give results files or --batch-id, not both",
    "actual_ttl_without_plan": lambda f: (
        "--ttl describes the plan: give it with --shared, --output, ..."
    ),
    "actual_batch_and_plan": lambda f: "compare with --batch FILE or with estimate flags, not both",
    "actual_csv_no_comparison": lambda f: (
        "--format csv has no comparison with the estimate; use table or json, or drop "
        "--batch and the estimate flags"
    ),
    "actual_no_results": lambda f: (
        "give the results file (- for standard input), or --batch-id msgbatch_... to "
        "fetch the results with the Anthropic SDK"
    ),
    "actual_file_and_batch_id": lambda f: "give a results file or --batch-id, not both",
    "actual_batch_not_submitted": lambda f: (
        f"--batch wants the request file that was submitted: {f['error']}"
    ),
    "actual_several_models": lambda f: (
        "the results hold several models; name the plan's with --model"
    ),
    # costcalc schema
    "schema_no_command": lambda f: (
        ("name a command" if f["name"] is None else f"no JSON output for {f['name']!r}")
        + f": costcalc schema {{{','.join(f['commands'])}}}"
    ),
    # costcalc plan, sweep
    "plan_job_failed": lambda f: f"{f['file']}: job {f['job']!r}: {f['error']}",
    "sweep_point_failed": lambda f: (
        f"at {', '.join(f'{k}={v}' for k, v in f['at'].items())}: {f['error']}"
    ),
    # the Python API (names its parameters, never a CLI flag)
    "api_output_and_ratio": lambda f: "give output or output_ratio, not both",
    "api_ensure_needs_budget": lambda f: "ensure_within_budget needs a budget in USD",
    "api_ensure_unknown_option": lambda f: (
        f"ensure_within_budget has no option {f['option']!r}; it takes " + ", ".join(f["options"])
    ),
    "api_over_budget_unpriced": lambda f: (
        f"budget check failed: {f['n']:,} request{'s' if f['n'] != 1 else ''} could not be "
        f"priced, so the cost is not known; the priced requests alone: {f['money']} "
        "(allow_unpriced=True to gate on them)"
    ),
    "api_over_budget_errors": lambda f: (
        f"budget check failed: {len(f['errors'])} error-severity "
        f"problem{'s' if len(f['errors']) != 1 else ''} ({', '.join(f['errors'])}, in "
        f".report.problems) fail{'s' if len(f['errors']) == 1 else ''} the gate whatever the "
        f"cost; {f['money']}"
    ),
    "api_results_or_batch_id": lambda f: "give the results or a batch_id, one of them",
    "api_requests_not_submitted": lambda f: (
        f"requests= wants the requests that were submitted: {f['error']}"
    ),
    "api_not_iterable": lambda f: (
        f"{f['param']}: expected an iterable of {f['param']} (dicts, as the Batches API takes "
        f"them) or a file path, got {'one dict' if f['one'] else f['got']}"
        + ("; wrap it in a list" if f["one"] else "")
    ),
    "api_pricing_type": lambda f: (
        f"pricing: expected a costcalc.Pricing or a pricing file path, got {f['got']}"
    ),
    "api_pricing_failed": lambda f: f["error"].replace("--pricing", "pricing="),
    "api_share_not_number": lambda f: f"{f['name']}: {f['value']!r} is not a number from 0 to 1",
    "api_share_out_of_range": lambda f: f"{f['name']} must be from 0 to 1, got {f['value']!r}",
    "api_share_too_precise": lambda f: (
        f"{f['name']} takes at most 10 decimals (got {f['value']!r})"
    ),
    "api_budget_invalid": lambda f: f"budget: {f['error']}",
    "api_tokens_not_whole": lambda f: (
        f"{f['name']}: {f['value']!r} is not a whole number of tokens (0 or more)"
    ),
    "api_tokens_invalid": lambda f: f"{f['name']}: {f['error']}",
    "api_not_a_date": lambda f: (
        f"{f['name']}: {f['value']!r} is not a date; give a datetime.date or an ISO date such "
        "as '2026-06-01'"
    ),
    "api_not_bool": lambda f: f"{f['name']} is True or False, not {f['value']!r}",
    "api_not_a_choice": lambda f: (
        f"{f['name']} is {' or '.join(repr(a) for a in f['allowed'])}, not {f['value']!r}"
    ),
    "api_not_text": lambda f: f"{f['name']}: {f['value']!r} is not a non-empty string",
    "api_client_without_batch_id": lambda f: (
        "client is used to fetch the results of a batch_id; give batch_id"
    ),
    "api_client_type": lambda f: (
        f"client: expected an anthropic.Anthropic() client (with .messages.batches), got {f['got']}"
    ),
    # workbooks and charts
    "xlsx_needs_out": lambda f: (
        "--format xlsx writes a binary workbook; name the file with --out FILE.xlsx"
    ),
    "xlsx_not_installed": lambda f: (
        f"--format xlsx needs the XlsxWriter package, which is not installed: {f['install']}"
    ),
    "xlsx_too_many_rows": lambda f: (
        f"--format xlsx: {f['rows']:,} rows do not fit in one sheet (at most {f['limit']:,}); "
        "use --format csv or json, or group by fewer values"
    ),
    "xlsx_one_model": lambda f: (
        "--format xlsx writes one model's workbook; to compare models in one workbook use "
        "'costcalc sweep --model a,b ... --format xlsx --out FILE.xlsx'"
    ),
    "chart_needs_numeric": lambda f: (
        "--chart needs a numeric swept parameter (requests, shared, unique, output or "
        "hit-rate); sweeping only models, compare them with 'costcalc estimate --model a,b'"
    ),
    # actual --batch with several request files (commands/actual.py, compute/coldstart.py)
    "batch_id_in_two_files": lambda f: (
        f"custom_id {f['custom_id']!r} is in two request files, {f['first']} and "
        f"{f['second']}: its result cannot be paired with one request; give the request "
        "files of distinct batches (custom_ids unique across them)"
    ),
    "batch_file_is_results": lambda f: (
        f'{f["file"]} is a results file (lines with "result"), not a request file: --batch '
        "wants the request files that were submitted; give the results files as RESULTS"
    ),
    "actual_results_after_batch": lambda f: (
        "no results file: --batch takes every file after it as a request file; put the "
        "results files first (costcalc actual RESULTS... --batch REQUESTS...)"
    ),
    "actual_batch_id_one_request_file": lambda f: (
        "--batch-id fetches one batch: give the one request file it was submitted as"
    ),
    "batch_dir_empty": lambda f: (
        f"{f['dir']} is a directory with no request files (*.jsonl) in it; give the files"
    ),
    "batch_plan_one_file": lambda f: (
        "comparing with a plan (--shared, --unique, --output, --model, --ttl, --cache-writes, "
        "--hit-rate) works on one results file without --group-by or --format html; "
        "run it per file"
    ),
}
