"""The words of the command line's --help: descriptions, option help, epilogs with examples (cli/).

By code; messages.text says how an entry is written. argparse %-formats option help (a literal
percent sign is written %% there), but not descriptions and epilogs, which are shown as written.
Codes: help.costcalc.* (the top-level help), help.<command>.* (one command's summary,
description, epilog and options), and help.output.*, help.budget.*, help.workload.*,
help.text.*, help.type.* (the options and argument types several commands share)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def _exit_status(f: Mapping[str, Any]) -> str:
    """The exit-status section of a command's --help: status 1 is listed only for a command that
    has --budget or --strict, naming the one it has; under --budget of estimate, plan and check
    an error-severity notice fails the gate too (`errors_fail`)."""
    budget, strict = f["budget"], f["strict"]
    if budget and strict:
        one = "  1  over budget, or problems found under --strict\n"
    elif budget:
        one = "  1  over budget (--budget)\n"
    elif strict:
        one = "  1  problems found under --strict\n"
    else:
        one = ""
    if f["errors_fail"] and budget:
        one += (
            "     or an error under --budget (a retired model, no price on the date, a request\n"
            "     the API refuses), whatever the cost\n"
        )
    fine = "0  fine (within budget, or no budget given)" if budget else "0  fine"
    return (
        "exit status:\n"
        f"  {fine}\n"
        f"{one}"
        "  2  bad input or usage: one line on stderr naming the problem and the fix; also\n"
        "     output that cannot be written (the OS's reason; a closed pipe ends quietly)\n"
        "  3  internal error: one line; rerun with --debug for the traceback\n"
    )


def _format_help(f: Mapping[str, Any]) -> str:
    """--format's help: what csv holds, and xlsx and html where the command writes them."""
    words = f"table (default, for people), csv ({f['csv']}), json"
    if f["xlsx"]:
        words += f", xlsx ({f['xlsx']}; needs --out FILE.xlsx)"
    if f["html"]:
        words += f", html ({f['html']})"
    return words


_Entry = str | Callable[[Mapping[str, Any]], str]

_COSTCALC: dict[str, _Entry] = {
    "help.costcalc.description": "What a Claude batch job will cost with the Message Batches "
    "discount and prompt caching, before you submit it.",
    "help.costcalc.epilog": "Run 'costcalc COMMAND --help' for the options and examples of each "
    "command.",
    "help.costcalc.debug": "show the traceback of an internal error",
    # figures: budget, strict (the command has the option), errors_fail
    "help.exit_status": _exit_status,
}

# The options several commands share (cli/args.py).
_SHARED: dict[str, _Entry] = {
    "help.output.group": "output and data",
    # figures: csv (what a row is), xlsx and html (what those hold; "" where not written)
    "help.output.format": _format_help,
    "help.output.out": "write to FILE instead of stdout (written whole or not at all)",
    "help.output.pricing": "use this pricing YAML instead of the bundled pricing.yaml",
    "help.output.pricing_yaml": "pricing YAML",
    "help.output.date": "price as of this date (long-context tiers, model status); default today",
    "help.output.xlsx_values": "totals and breakdowns as values",
    "help.output.html_page": "a self-contained page with --out FILE",
    "help.group_by": "cost by group: model, file, tier, custom_id:REGEX (the first capture group) "
    "or tags:FILE.csv (custom_id,tag rows); twice for two levels",
    "help.budget.group": "budget gate",
    "help.budget.budget": "exit 1 when {what} costs more than this",
    "help.budget.scenario": "scenario the budget applies to (default batch_cache; cache in fast "
    "mode)",
    "help.hit_rate_from": "use the hit rate measured in an earlier run's results file (instead "
    "of --hit-rate)",
    # The names of argument types (argparse names one in "invalid ... value").
    "help.type.tokens": "tokens",
    "help.type.requests": "requests",
    "help.type.cache_writes": "cache writes",
    "help.type.usd": "USD",
    "help.type.hit_rate": "hit rate",
    "help.type.output_ratio": "output ratio",
    "help.type.bytes_per_token": "bytes per token",
    "help.type.models": "models",
}

# The workload options of estimate and sweep, and their token counts from text (cli/workload.py);
# {many} is help.workload.listed for sweep, "" for estimate.
_WORKLOAD: dict[str, _Entry] = {
    "help.workload.group": "workload",
    "help.workload.listed": " (a comma-separated list to sweep)",
    "help.workload.model": "model id or alias, e.g. opus-4.7; several, comma-separated, to compare",
    "help.workload.requests": "number of requests in the job{many}",
    "help.workload.requests_unique_dir": " (default with --unique-dir: one per file)",
    "help.workload.shared": "shared prefix per request, the part that is cached (default 0){many}",
    "help.workload.unique": "unique input per request after the prefix (default 0){many}",
    "help.workload.output": "output tokens per request (default 0){many}",
    "help.workload.ttl": "cache lifetime; 1h writes cost 2x input, 5m writes 1.25x (default 5m)",
    "help.workload.cache_writes": "requests that write the cache; the other N-W read it "
    "(default 1)",
    "help.workload.hit_rate": "share of requests that read the cache, 0 to 1; the rest write it "
    "(the range's expected case otherwise assumes 0.9){many}",
    "help.workload.modifiers": "modifiers",
    "help.workload.region": "us: US-only inference, 1.1x on every class (Claude 4.6 and later)",
    "help.workload.fast": "fast mode (real-time only: no batch scenarios), where the model has it",
    "help.workload.bytes_per_token": "request size estimate for the batch split (default 4)",
    "help.text.group": "token counts from text (instead of --shared / --unique)",
    "help.text.shared_file": "text of the shared prefix; repeat to join several files in order",
    "help.text.unique_file": "one request's unique text",
    "help.text.unique_dir": "one request per file; the mean and the largest are used",
    "help.text.encoding": "text encoding of the files (default utf-8)",
    "help.text.exact": (
        "exact counts from Anthropic's count_tokens (network; needs "
        "ANTHROPIC_API_KEY and pip install 'costcalc[anthropic]')"
    ),
}

# costcalc estimate (cli/planning.py).
_ESTIMATE: dict[str, _Entry] = {
    "help.estimate.summary": "compare standard, batch, cache and batch+cache costs of a workload",
    "help.estimate.description": (
        "Estimate a workload of N requests that share a cached prefix, in four scenarios "
        "(standard, batch, cache, batch_cache), with the cache-hit range and the batch split."
    ),
    "help.estimate.budget": "the chosen scenario (of any model compared)",
    "help.estimate.csv": "one row per model x scenario",
    "help.estimate.xlsx": "a workbook whose costs are live formulas",
    "help.estimate.epilog": """\
examples:
  # a code review: 10,000 requests sharing an 80,000-token rubric
  costcalc estimate --model opus-4.7 --shared 80k --requests 10k

  # with 2,000 unique input and 800 output tokens per request, 1-hour cache, 70% hits
  costcalc estimate --model sonnet-4.6 --shared 80k --unique 2k --output 800 \\
      --requests 10k --ttl 1h --hit-rate 0.7

  # three models side by side
  costcalc estimate --model opus-4.7,sonnet-4.6,haiku-4.5 --shared 80k --requests 10k

  # a row per scenario for a spreadsheet; in CI, exit 1 when batch+cache is over $250
  costcalc estimate --model opus-4.7 --shared 80k --requests 10k --format csv --out plan.csv
  costcalc estimate --model opus-4.7 --shared 80k --requests 10k --budget 250

  # a workbook whose costs are live formulas (edit requests or hit_rate; totals follow)
  costcalc estimate --model opus-4.7 --shared 80k --requests 10k --hit-rate 0.9 \\
      --format xlsx --out estimate.xlsx

Token counts accept 80000, 80_000, 80,000, 80k, 1.5M. Scenarios: standard (no batch, no
cache), batch, cache (real-time with caching), batch_cache. Caching is modelled as W cache
writes of the shared prefix and N-W reads: --cache-writes W (default 1), or --hit-rate R
(round(R x N) reads, the rest writes). The table also shows the range from one write to
0% hits, the batch split, the break-even hit rate and which TTL to use.
""",
}

# costcalc sweep (cli/planning.py).
_SWEEP: dict[str, _Entry] = {
    "help.sweep.summary": "vary one or two parameters and price every combination",
    "help.sweep.description": "Price every combination of one or two swept parameters in every "
    "scenario.",
    "help.sweep.csv": "one row per combination x scenario",
    "help.sweep.xlsx": "the grid as live formulas",
    "help.sweep.chart": "also write an SVG chart of cost against the first numeric swept parameter",
    "help.sweep.epilog": """\
examples:
  # cost against the number of requests, with an SVG chart
  costcalc sweep --model opus-4.7 --shared 80k --requests 100,1k,10k,100k --chart cost.svg

  # hit rate x model grid for a spreadsheet
  costcalc sweep --model opus-4.7,sonnet-4.6 --shared 80k --requests 10k \\
      --hit-rate 0,0.3,0.6,0.9,1 --format csv --out grid.csv

Give one or two of --model, --requests, --shared, --unique, --output, --hit-rate as
comma-separated lists (write thousands as 80_000 or 80k inside lists). Every combination is
priced in every scenario.
""",
}

# costcalc plan (cli/planning.py).
_PLAN: dict[str, _Entry] = {
    "help.plan.summary": "price several jobs from a plan file, with totals",
    "help.plan.description": "Price every job of a YAML plan file in every scenario, with totals.",
    "help.plan.file": "the plan file",
    "help.plan.budget": "the plan's total in the chosen scenario",
    "help.plan.csv": "one row per job x scenario, then totals",
    "help.plan.xlsx": "one row of live formulas per job",
    "help.plan.epilog": """\
examples:
  costcalc plan examples/plan.yaml
  costcalc plan examples/plan.yaml --format csv --out plan.csv
  costcalc plan examples/plan.yaml --budget 2000        # exit 1 when the total is over

A plan file lists jobs; each has name, model, requests, and optionally shared, unique,
output (tokens per request), ttl (5m/1h), hit_rate or cache_writes, region (global/us),
fast (true/false) and bytes_per_token. Token counts accept 80k, 1.5M. A fast-mode job has no
batch scenarios; the totals count its real-time cost there instead.
""",
}

# costcalc check (cli/checking.py).
_CHECK: dict[str, _Entry] = {
    "help.check.summary": "check a batch request file before submitting it: cost, problems, limits",
    "help.check.description": (
        "Check a Message Batches request file: what it will cost, what is wrong with it, and "
        "whether it fits the batch limits."
    ),
    "help.check.file": 'JSONL, {{"requests": [...]}} or a JSON array; - for standard input',
    "help.check.expected": "expected case",
    "help.check.output": "expected output tokens per request (default: max_tokens)",
    "help.check.output_ratio": "expected output as a share of max_tokens, 0 to 1",
    "help.check.hit_rate": "expected cache hit rate, 0 to 1 (default 0.9)",
    "help.check.exact": "exact counts from Anthropic's count_tokens (network; ANTHROPIC_API_KEY)",
    "help.check.gate": "gate",
    "help.check.budget": "exit 1 when the file costs more than this (worst case by default)",
    "help.check.against": "which case the budget is compared with (default worst)",
    "help.check.budget_per_group": (
        "exit 1 when any group (the first --group-by level) costs more than this, in the "
        "case --budget uses (--against)"
    ),
    "help.check.strict": "exit 1 when any problem is found",
    "help.check.allow_unpriced": (
        "let the budget pass although some requests could not be priced (by default "
        "any unpriced request fails the budget)"
    ),
    "help.check.problem_lines": (
        "write every line of every problem here (CSV: code,line); the report keeps "
        "each problem's count and its first 100 lines"
    ),
    "help.check.csv": "one row per case and scenario; with --group-by one per group",
    "help.check.epilog": """\
examples:
  costcalc check batch_requests.jsonl
  costcalc check batch_requests.jsonl --output 600 --budget 300        # gate on the worst case
  costcalc check batch_requests.jsonl --output-ratio 0.3 --budget 300 --against expected
  costcalc check batch_requests.jsonl --strict --format json           # any problem: exit 1
  costcalc check batch_requests.jsonl --problem-lines problems.csv     # every problem line
  costcalc check batch_requests.jsonl --group-by 'custom_id:^([a-z]+)-' # cost by team prefix
  costcalc check batch_requests.jsonl --group-by tags:teams.csv --budget-per-group 50

Reads JSONL ({{"custom_id", "params"}} per line), the API body {{"requests": [...]}} or a JSON
array of requests, streamed; FILE may be - (standard input), a FIFO or <(command).
Requests that cannot be priced are reported first and fail --budget unless --allow-unpriced.
Costs: best (as submitted, one cache write per distinct prefix), expected (--output or
--output-ratio, and --hit-rate, default 0.9) and worst (max_tokens of output, 0% cache hits,
the high end of the token estimate). Token counts are offline estimates unless --exact.
--group-by splits every figure by group; the groups add up to the file. A cache write is billed
to the group of the request that makes it (the first in file order); check prices a batch, so
tier is always "batch".
""",
}

# costcalc warmup (cli/checking.py).
_WARMUP: dict[str, _Entry] = {
    "help.warmup.summary": "write a primer batch that warms a request file's shared cache entries",
    "help.warmup.description": (
        "Write a primer batch: one request per shared cache entry of the request file, cut at "
        "its breakpoint with a 1h cache_control and max_tokens 1, and price the warm-up against "
        "the batch without it."
    ),
    "help.warmup.file": "the batch request file",
    "help.warmup.out": "write the primer batch (JSONL) here",
    "help.warmup.ttl_1h": "also write a copy of FILE with every cache breakpoint at 1h (FILE is "
    "not changed)",
    "help.warmup.hit_rate": "hit rate of the case without warm-up (default 0.9)",
    "help.warmup.hit_rate_from": "the case without warm-up at the hit rate measured in an "
    "earlier run's results",
    "help.warmup.date": "price as of this date",
    "help.warmup.epilog": """\
examples:
  costcalc warmup batch.jsonl                        # what a warm-up costs, and saves
  costcalc warmup batch.jsonl --out primer.jsonl     # write the primer batch
  costcalc warmup batch.jsonl --out primer.jsonl --ttl-1h batch-1h.jsonl

Submit the primer batch, wait until it has ended, then submit the batch within the hour.
Only entries another request reads get a primer; entries under the model's minimum are not
cached and get none. With --out and nothing to warm, exit 2 and no file is written.
""",
}

# costcalc actual (cli/actual.py).
_ACTUAL: dict[str, _Entry] = {
    "help.actual.summary": "price a batch results file, measure cache use, compare with the "
    "estimate",
    "help.actual.description": (
        "Price a Message Batches results file exactly, show where the money went and how well "
        "the cache worked, and compare it with the estimate."
    ),
    "help.actual.files": (
        "batch results JSONL files, directories of them (*.jsonl) or globs; - for "
        "standard input. Several make one report with a subtotal per file"
    ),
    "help.actual.report": "report and gate",
    "help.actual.budget": (
        "exit 1 when the real bill is over this (or any request could not be priced, or "
        "any result line could not be read)"
    ),
    "help.actual.budget_per_group": (
        "exit 1 when any group (the first --group-by level) costs more than this (a request "
        "that could not be priced fails its group; a line that could not be read fails every "
        "group)"
    ),
    "help.actual.batch_id": (
        "fetch the results of batch msgbatch_... with the Anthropic SDK instead of a file "
        "(network; ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL; pip install 'costcalc[api]')"
    ),
    "help.actual.no_batch": "price at real-time rates (usage exported from non-batch calls)",
    "help.actual.csv": "one row per succeeded request; with several files or --group-by one per "
    "file or group",
    "help.actual.compare": "compare with (either)",
    "help.actual.batch": (
        "the request file that was submitted (priced as `costcalc check` does); with "
        "several results files, the request files (files, directories, globs) whose results "
        "they are: cold-start misses per group and file"
    ),
    "help.actual.shared": "planned shared prefix",
    "help.actual.unique": "planned unique input",
    "help.actual.output": "planned output tokens",
    "help.actual.ttl": "planned cache TTL (default 5m)",
    "help.actual.cache_writes": "planned cache writes",
    "help.actual.hit_rate": "planned hit rate",
    "help.actual.model": "model of the plan (default: the results' model)",
    "help.actual.epilog": """\
examples:
  costcalc actual results.jsonl
  costcalc actual results.jsonl --batch batch_requests.jsonl        # compare with the file
  costcalc actual results/ --batch requests/ --group-by model   # cold-start misses per group
  costcalc actual results.jsonl --shared 80k --unique 2k --output 800   # compare with a plan
  costcalc actual results.jsonl --format csv --out per_request.csv
  costcalc actual results/ --group-by 'custom_id:^([a-z]+)-'       # cost by team prefix
  costcalc actual 'results/*.jsonl' --group-by tags:teams.csv --group-by model
  costcalc actual results/ --budget 500 --budget-per-group 100 --group-by tags:teams.csv
  costcalc actual results/ --group-by model --format html --out report.html
  costcalc actual results.jsonl --date 2026-11-20   # prices of the day the batch ran
  costcalc actual --batch-id msgbatch_01...      # fetch the results (ANTHROPIC_API_KEY)

Prices every succeeded result exactly (errored, canceled and expired ones are not billed), at
batch rates unless --no-batch. 5m and 1h cache writes are priced apart when the usage has the
cache_creation breakdown. US-only inference (inference_geo "us") costs 1.1x; web searches
$10 per 1,000. Prices are today's unless --date (results are kept 29 days; a price change in
that window is warned). A line whose model is not in the price table is left unpriced, never
$0; the rest is still priced.

--batch with several results files (or --group-by, or --format html) takes one or more request
files (files, directories of *.jsonl, globs) and counts cold-start misses per group and per
file: each result is paired with its request by custom_id in whichever request file holds it
(a custom_id in two request files is an error). Results with no request are still priced from
their usage and counted in a notice; requests with no result are counted in a notice. A miss
is judged within the request's own file (its batch), as `costcalc check` plans it.
""",
}

# costcalc tokens (cli/listing.py).
_TOKENS: dict[str, _Entry] = {
    "help.tokens.summary": "count the tokens of text files, per Claude tokenizer",
    "help.tokens.description": (
        "Count tokens of files offline (tiktoken cl100k_base times each Claude tokenizer's "
        "calibration, shown with its uncertainty band), or exactly with --exact."
    ),
    "help.tokens.files": "text files, or directories (read recursively)",
    "help.tokens.model": "only these models' tokenizers (default: every tokenizer)",
    "help.tokens.encoding": "text encoding (default utf-8)",
    "help.tokens.exact": "exact counts from Anthropic's count_tokens for --model (network)",
    "help.tokens.csv": "one row per file",
    "help.tokens.epilog": """\
examples:
  costcalc tokens rubric.txt samples/*.py
  costcalc tokens samples/ --model opus-4.7 --format csv --out counts.csv
  ANTHROPIC_API_KEY=... costcalc tokens rubric.txt --model opus-4.7 --exact

Claude's tokenizers are not published: offline counts are tiktoken cl100k_base counts times a
ratio measured for each Claude tokenizer, shown as ~central (low-high). Only --exact is exact.
No network is used unless --exact is given.
""",
}

# costcalc models (cli/listing.py).
_MODELS: dict[str, _Entry] = {
    "help.models.summary": "list every model with its prices, limits and aliases",
    "help.models.description": (
        "Every model in the pricing data in three sections (active, legacy, retired) with "
        "its prices on --date, prompt-length tiers and dated prices, limits and modifiers; "
        "then the stacked batch + cache-read rate of the models the Claude API still serves. "
        "Models marked * have unconfirmed prices."
    ),
    "help.models.csv": "one row per model",
    "help.models.epilog": """\
examples:
  costcalc models                       # prices, limits and the stacked batch+cache rate
  costcalc models --format csv --out prices.csv
  costcalc models --date 2026-10-01     # prices in force that day (dated prices, tiers)

Any name in the 'API id, then aliases' column works with --model (case-insensitive).
A model missing from the table: copy the file named at the end, add an entry under
models: and pass the copy with --pricing FILE.
""",
}

# costcalc schema (cli/listing.py); {commands} lists the commands that have one.
_SCHEMA: dict[str, _Entry] = {
    "help.schema.summary": "print the JSON Schema of a command's --format json output",
    "help.schema.command": "the command",
    "help.schema.description": "Print the JSON Schema (draft 2020-12) that every --format json "
    "document of COMMAND validates against. COMMAND is one of: {commands}.",
    "help.schema.epilog": """\
examples:
  costcalc schema estimate > estimate.schema.json
  costcalc schema check > check.schema.json    # validate check --format json with it

Every JSON document carries "schema_version"; it changes only when a field is renamed, removed
or retyped. New fields may appear in any release, so validate with additional properties
allowed (as these schemas do).
""",
}

# costcalc reconcile (cli/reconcile.py).
_RECONCILE: dict[str, _Entry] = {
    "help.reconcile.summary": "compare costcalc's prices with the organisation's usage and cost "
    "reports",
    "help.reconcile.description": (
        "Check the bill: price the organisation's usage report (Admin API) with costcalc's "
        "tables, day by day, and compare it with the cost report; with results files, show "
        "what share of the batch tier's bill they explain and the effective input rate."
    ),
    "help.reconcile.results": "batch results files to set beside the batch tier's bill (priced as "
    "of --to)",
    "help.reconcile.range": "range (UTC days, both included)",
    "help.reconcile.filters": "filters",
    "help.reconcile.model": "only these models (repeat or separate with commas for more)",
    "help.reconcile.tier": "only this service tier (repeat for more; default all)",
    "help.reconcile.workspace": "only this workspace id (repeatable)",
    "help.reconcile.by_workspace": "group both reports by workspace too",
    "help.reconcile.budget": "exit 1 when the billed total is over this",
    "help.reconcile.out": "write to FILE instead of stdout",
    "help.reconcile.epilog": """\
examples:
  export ANTHROPIC_ADMIN_API_KEY=sk-ant-admin...     # an organisation admin's key
  costcalc reconcile --from 2026-11-01 --to 2026-11-30
  costcalc reconcile --from 2026-11-01 --to 2026-11-30 --tier batch results.jsonl
  costcalc reconcile --from 2026-11-01 --to 2026-11-07 --format json --out bill.json
  costcalc reconcile --from 2026-11-01 --to 2026-11-30 --budget 500    # CI: exit 1 over

Reads the usage report and the cost report of the Admin API (network, opt-in: only this
command, only to https://api.anthropic.com or ANTHROPIC_BASE_URL), prices each day's usage with
costcalc's tables as of that day, and compares it with the bill per day, model, service tier
and token type. A cell agrees when the two are less than a cent apart after rounding costcalc's
figure to the cost report's own precision. Priority Tier usage (not in the cost report), code
execution and session usage (no usage rows) and usage costcalc cannot price are listed apart.
""",
}

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    **_COSTCALC,
    **_SHARED,
    **_WORKLOAD,
    **_ESTIMATE,
    **_SWEEP,
    **_PLAN,
    **_CHECK,
    **_WARMUP,
    **_ACTUAL,
    **_TOKENS,
    **_MODELS,
    **_SCHEMA,
    **_RECONCILE,
}
