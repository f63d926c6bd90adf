"""The arguments of `costcalc estimate`, `sweep` and `plan` (the commands are in
costcalc.commands.estimate, .sweep and .plan)."""

from __future__ import annotations

from pathlib import Path

from costcalc.cli.args import (
    Command,
    LazyRun,
    budget_args,
    output_args,
)
from costcalc.cli.workload import text_args, workload_args

ESTIMATE_EPILOG = """\
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
  costcalc estimate --model opus-4.7 --shared 80k --requests 10k --hit-rate 0.9 \
      --format xlsx --out estimate.xlsx

Token counts accept 80000, 80_000, 80,000, 80k, 1.5M. Scenarios: standard (no batch, no
cache), batch, cache (real-time with caching), batch_cache. Caching is modelled as W cache
writes of the shared prefix and N-W reads: --cache-writes W (default 1), or --hit-rate R
(round(R x N) reads, the rest writes). The table also shows the range from one write to
0% hits, the batch split, the break-even hit rate and which TTL to use.
"""


SWEEP_EPILOG = """\
examples:
  # cost against the number of requests, with an SVG chart
  costcalc sweep --model opus-4.7 --shared 80k --requests 100,1k,10k,100k --chart cost.svg

  # hit rate x model grid for a spreadsheet
  costcalc sweep --model opus-4.7,sonnet-4.6 --shared 80k --requests 10k \\
      --hit-rate 0,0.3,0.6,0.9,1 --format csv --out grid.csv

Give one or two of --model, --requests, --shared, --unique, --output, --hit-rate as
comma-separated lists (write thousands as 80_000 or 80k inside lists). Every combination is
priced in every scenario.
"""


PLAN_EPILOG = """\
examples:
  costcalc plan examples/plan.yaml
  costcalc plan examples/plan.yaml --format csv --out plan.csv
  costcalc plan examples/plan.yaml --budget 2000        # exit 1 when the total is over

A plan file lists jobs; each has name, model, requests, and optionally shared, unique,
output (tokens per request), ttl (5m/1h), hit_rate or cache_writes, region (global/us),
fast (true/false) and bytes_per_token. Token counts accept 80k, 1.5M. A fast-mode job has no
batch scenarios; the totals count its real-time cost there instead.
"""


def add_estimate(command: Command) -> None:
    est = command(
        "estimate",
        "compare standard, batch, cache and batch+cache costs of a workload",
        "Estimate a workload of N requests that share a cached prefix, in four scenarios "
        "(standard, batch, cache, batch_cache), with the cache-hit range and the batch split.",
        ESTIMATE_EPILOG,
    )
    workload_args(est, listed=False)
    text_args(est)
    budget_args(est, "the chosen scenario (of any model compared)")
    output_args(est, "one row per model x scenario", "a workbook whose costs are live formulas")
    est.set_defaults(run=LazyRun("costcalc.commands.estimate:run_estimate"))


def add_sweep(command: Command) -> None:
    swp = command(
        "sweep",
        "vary one or two parameters and price every combination",
        "Price every combination of one or two swept parameters in every scenario.",
        SWEEP_EPILOG,
    )
    workload_args(swp, listed=True)
    output_args(swp, "one row per combination x scenario", "the grid as live formulas")
    swp.add_argument(
        "--chart",
        metavar="FILE.svg",
        type=Path,
        help="also write an SVG chart of cost against the first numeric swept parameter",
    )
    swp.set_defaults(run=LazyRun("costcalc.commands.sweep:run_sweep"))


def add_plan(command: Command) -> None:
    pln = command(
        "plan",
        "price several jobs from a plan file, with totals",
        "Price every job of a YAML plan file in every scenario, with totals.",
        PLAN_EPILOG,
    )
    pln.add_argument("plan_file", metavar="PLAN.yaml", type=Path, help="the plan file")
    budget_args(pln, "the plan's total in the chosen scenario")
    output_args(pln, "one row per job x scenario, then totals", "one row of live formulas per job")
    pln.set_defaults(run=LazyRun("costcalc.commands.plan:run_plan"))
