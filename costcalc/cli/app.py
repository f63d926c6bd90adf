"""The `costcalc` command line: arguments, help with examples, and exit codes.

Exit status (the contract CI relies on, also in README and every --help): 0 ok; 1 over budget
(or an error-severity notice under --budget of estimate, plan, check), or problems under
--strict; 2 bad input or usage, one line on stderr, and output that cannot be written (a full
disk, a read-only file; a closed pipe ends quietly, still 2: the output was cut); 3 an internal
error, one line, the traceback only with --debug. Nothing else exits 1. What each command does
is in `commands`.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, TextIO

from costcalc.commands.actual import run_actual
from costcalc.commands.check import run_check
from costcalc.commands.estimate import run_estimate
from costcalc.commands.models import run_models
from costcalc.commands.plan import run_plan
from costcalc.commands.sweep import run_sweep
from costcalc.commands.tokens import run_tokens
from costcalc.errors import CostcalcError, OutputError
from costcalc.units import parse_count, parse_usd
from costcalc.version import __version__

SCENARIOS = ("standard", "batch", "cache", "batch_cache")
GATED_ON_ERRORS = ("estimate", "plan", "check")


# Under --budget of estimate, plan and check an error-severity notice fails the gate too.
_ERRORS_FAIL = (
    "     or an error under --budget (a retired model, no price on the date, a request\n"
    "     the API refuses), whatever the cost\n"
)


def exit_status(options: Sequence[str], errors_fail: bool = False) -> str:
    """The exit-status section of a command's --help: status 1 is listed only for a command
    that has --budget or --strict, and names the one it has."""
    gates = [g for g in ("--budget", "--strict") if g in options]
    one = {
        ("--budget",): "  1  over budget (--budget)\n",
        ("--strict",): "  1  problems found under --strict\n",
        ("--budget", "--strict"): "  1  over budget, or problems found under --strict\n",
    }.get(tuple(gates), "")
    if errors_fail and "--budget" in options:
        one += _ERRORS_FAIL
    fine = "0  fine (within budget, or no budget given)" if "--budget" in options else "0  fine"
    return (
        "exit status:\n"
        f"  {fine}\n"
        f"{one}"
        "  2  bad input or usage: one line on stderr naming the problem and the fix; also\n"
        "     output that cannot be written (the OS's reason; a closed pipe ends quietly)\n"
        "  3  internal error: one line; rerun with --debug for the traceback\n"
    )


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

TOKENS_EPILOG = """\
examples:
  costcalc tokens rubric.txt samples/*.py
  costcalc tokens samples/ --model opus-4.7 --format csv --out counts.csv
  ANTHROPIC_API_KEY=... costcalc tokens rubric.txt --model opus-4.7 --exact

Claude's tokenizers are not published: offline counts are tiktoken cl100k_base counts times a
ratio measured for each Claude tokenizer, shown as ~central (low-high). Only --exact is exact.
No network is used unless --exact is given.
"""

CHECK_EPILOG = """\
examples:
  costcalc check batch_requests.jsonl
  costcalc check batch_requests.jsonl --output 600 --budget 300        # gate on the worst case
  costcalc check batch_requests.jsonl --output-ratio 0.3 --budget 300 --against expected
  costcalc check batch_requests.jsonl --strict --format json           # any problem: exit 1
  costcalc check batch_requests.jsonl --problem-lines problems.csv     # every problem line

Reads JSONL ({"custom_id", "params"} per line), the API body {"requests": [...]} or a JSON
array of requests, streamed; FILE may be - (standard input), a FIFO or <(command).
Requests that cannot be priced are reported first and fail --budget unless --allow-unpriced.
Costs: best (as submitted, one cache write per distinct prefix), expected (--output or
--output-ratio, and --hit-rate, default 0.9) and worst (max_tokens of output, 0% cache hits,
the high end of the token estimate). Token counts are offline estimates unless --exact.
"""

ACTUAL_EPILOG = """\
examples:
  costcalc actual results.jsonl
  costcalc actual results.jsonl --batch batch_requests.jsonl        # compare with the file
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
"""

MODELS_EPILOG = """\
examples:
  costcalc models                       # prices, limits and the stacked batch+cache rate
  costcalc models --format csv --out prices.csv
  costcalc models --date 2026-10-01     # prices in force that day (dated prices, tiers)

Any name in the 'API id, then aliases' column works with --model (case-insensitive).
A model missing from the table: copy the file named at the end, add an entry under
models: and pass the copy with --pricing FILE.
"""


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str):  # type: ignore[override]
        from costcalc.safe import plain_inert

        hint = self._near_miss(message)
        line = plain_inert(f"{message}{hint}")  # arguments can hold escape sequences
        # argparse reports a command's unknown option from the top parser: name the command,
        # and point to its own --help, where its options are.
        prog = self._subcommands().get(getattr(self, "_command", None) or "", self).prog
        self.exit(2, f"{prog}: error: {line} (see '{prog} --help')\n")

    def parse_known_args(self, args=None, namespace=None):  # type: ignore[override]
        # Remember the command, so that a near miss is looked for among its own options.
        parsed, extras = super().parse_known_args(args, namespace)
        self._command = getattr(parsed, "command", None)
        return parsed, extras

    def _subcommands(self) -> dict[str, argparse.ArgumentParser]:
        for action in self._actions:
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict):
                return choices
        return {}

    def _near_miss(self, message: str) -> str:
        """'; did you mean --shared?' for a mistyped option or command: among the options of
        the command given (never the word itself); an option that belongs to another command
        is named as such."""
        import difflib

        words = re.findall(
            r"(?:unrecognized arguments: |invalid choice: ')(\S+?)'?(?: |$)", message
        )
        if not words:
            return ""
        word = words[0].split("=")[0]
        subs = self._subcommands()
        command = getattr(self, "_command", None)
        known: set[str] = set(self._option_string_actions)
        if "invalid choice" in message:
            known.update(subs)
            for action in self._actions:
                choices = getattr(action, "choices", None)
                if choices and not isinstance(choices, dict):
                    known.update(str(c) for c in choices)
        elif command in subs:
            known.update(subs[command]._option_string_actions)
            owners = [n for n, p in subs.items() if word in p._option_string_actions]
            if owners and word not in known:
                return f"; {word} is an option of {', '.join(owners)}, not of {command}"
        known.discard(word)
        close = difflib.get_close_matches(word, sorted(known), n=1)
        return f"; did you mean {close[0]}?" if close else ""


def _arg_type(parse: Callable[[str], Any], name: str) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = name
    return convert


def _decimal(text: str, what: str, ok: Callable[[Decimal], bool], rule: str) -> Decimal:
    try:
        if not text.isascii():  # Decimal reads any script's digits; people mean ASCII ones
            raise InvalidOperation
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"{text!r} is not {what} ({rule})") from None
    if not value.is_finite() or not ok(value):
        raise ValueError(f"{what} must be {rule}, got {text}")
    if value.as_tuple().exponent < -10:  # type: ignore[operator]
        # More digits would be rounded away by Decimal's 28-digit products, not used.
        raise ValueError(f"{what} takes at most 10 decimals (got {text})")
    return value


def _fraction(text: str) -> Decimal:
    return _decimal(text, "a hit rate", lambda v: 0 <= v <= 1, "between 0 and 1, e.g. 0.9")


def _ratio(text: str) -> Decimal:
    return _decimal(text, "an output ratio", lambda v: 0 <= v <= 1, "between 0 and 1, e.g. 0.3")


def _positive_decimal(text: str) -> Decimal:
    return _decimal(text, "a number", lambda v: 0 < v <= 1000, "a positive number up to 1000")


_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")


def _listed(parse: Callable[[str], Any]) -> Callable[[str], list[Any]]:
    """A comma-separated list of values, each read by `parse`."""

    def convert(text: str) -> list[Any]:
        if _THOUSANDS.match(text.strip()):
            raise ValueError(
                f"{text!r} is ambiguous here: commas separate values; write 80_000 or 80k"
            )
        items = [item.strip() for item in text.split(",")]
        if not text.strip() or any(not item for item in items):
            raise ValueError(f"{text!r} has an empty value; separate values with commas")
        return [parse(item) for item in items]

    return convert


def _names(text: str) -> list[str]:
    items = [item.strip() for item in text.split(",")]
    if any(not item for item in items):
        raise ValueError(f"{text!r} has an empty model name; separate names with commas")
    return items


TOKENS = _arg_type(parse_count, "tokens")
REQUESTS = _arg_type(lambda t: parse_count(t, "requests"), "requests")


def _writes(text: str) -> int:
    writes = parse_count(text, "cache writes")
    if writes < 1:
        # A cached prefix is read only after a request has written it.
        raise ValueError("at least one request writes the cache before any reads it; use 1 or more")
    return writes


WRITES = _arg_type(_writes, "cache writes")
USD = _arg_type(parse_usd, "USD")
HIT_RATE = _arg_type(_fraction, "hit rate")
OUTPUT_RATIO = _arg_type(_ratio, "output ratio")
BYTES_PER_TOKEN = _arg_type(_positive_decimal, "bytes per token")
MODELS = _arg_type(_names, "models")


class _AddModels(argparse.Action):
    """--model given more than once adds to the models (`--model a --model b` is
    `--model a,b`): keeping only the last would price, and gate, fewer models than named."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or ()), *values])


class _OneModel(argparse.Action):
    """--model where one model is meant: a second one (listed or repeated) is refused rather
    than silently dropped."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        names = [*(getattr(namespace, self.dest, None) or ()), *values]
        if len(names) > 1:
            parser.error(f"argument {option_string}: one model only, got {', '.join(names)}")
        setattr(namespace, self.dest, names)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _output_args(p: argparse.ArgumentParser, what: str, xlsx: str = "", html: str = "") -> None:
    out = p.add_argument_group("output and data")
    formats = ("table", "csv", "json", *(("xlsx",) if xlsx else ()), *(("html",) if html else ()))
    out.add_argument(
        "--format",
        choices=formats,
        default="table",
        help=f"table (default, for people), csv ({what}), json"
        + (f", xlsx ({xlsx}; needs --out FILE.xlsx)" if xlsx else "")
        + (f", html ({html})" if html else ""),
    )
    out.add_argument(
        "--out",
        metavar="FILE",
        type=Path,
        help="write to FILE instead of stdout (written whole or not at all)",
    )
    out.add_argument(
        "--pricing",
        metavar="FILE",
        type=Path,
        help="use this pricing YAML instead of the bundled pricing.yaml",
    )
    out.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        type=_date,
        help="price as of this date (long-context tiers, model status); default today",
    )


def _budget_args(p: argparse.ArgumentParser, what: str) -> None:
    gate = p.add_argument_group("budget gate")
    gate.add_argument(
        "--budget", type=USD, metavar="USD", help=f"exit 1 when {what} costs more than this"
    )
    gate.add_argument(
        "--scenario",
        choices=SCENARIOS,
        default=None,
        help="scenario the budget applies to (default batch_cache; cache in fast mode)",
    )


def _workload_args(p: argparse.ArgumentParser, listed: bool) -> argparse._ArgumentGroup:
    """The workload flags; with `listed`, the sweepable ones take comma-separated lists."""

    def kind(convert, name):
        return _arg_type(_listed(convert), name) if listed else _arg_type(convert, name)

    many = " (a comma-separated list to sweep)" if listed else ""
    work = p.add_argument_group("workload")
    work.add_argument(
        "--model",
        required=True,
        metavar="NAME",
        type=MODELS,
        action=_AddModels,
        help="model id or alias, e.g. opus-4.7; several, comma-separated, to compare",
    )
    work.add_argument(
        "--requests",
        required=listed,
        metavar="N",
        type=kind(lambda t: parse_count(t, "requests"), "requests"),
        help=f"number of requests in the job{many}"
        + ("" if listed else " (default with --unique-dir: one per file)"),
    )
    work.add_argument(
        "--shared",
        metavar="TOKENS",
        type=kind(parse_count, "tokens"),
        default=[0] if listed else None,
        help=f"shared prefix per request, the part that is cached (default 0){many}",
    )
    work.add_argument(
        "--unique",
        metavar="TOKENS",
        type=kind(parse_count, "tokens"),
        default=[0] if listed else None,
        help=f"unique input per request after the prefix (default 0){many}",
    )
    work.add_argument(
        "--output",
        metavar="TOKENS",
        type=kind(parse_count, "tokens"),
        default=[0] if listed else None,
        help=f"output tokens per request (default 0){many}",
    )
    work.add_argument(
        "--ttl",
        choices=("5m", "1h"),
        default="5m",
        help="cache lifetime; 1h writes cost 2x input, 5m writes 1.25x (default 5m)",
    )
    hits = work.add_mutually_exclusive_group()
    hits.add_argument(
        "--cache-writes",
        type=WRITES,
        metavar="W",
        help="requests that write the cache; the other N-W read it (default 1)",
    )
    hits.add_argument(
        "--hit-rate",
        metavar="R",
        type=kind(_fraction, "hit rate"),
        help="share of requests that read the cache, 0 to 1; the rest write it "
        f"(the range's expected case otherwise assumes 0.9){many}",
    )
    work.add_argument(
        "--hit-rate-from",
        metavar="RESULTS.jsonl",
        type=Path,
        help="use the hit rate measured in an earlier run's results file (instead of --hit-rate)",
    )
    mods = p.add_argument_group("modifiers")
    mods.add_argument(
        "--region",
        choices=("global", "us"),
        default="global",
        help="us: US-only inference, 1.1x on every class (Claude 4.6 and later)",
    )
    mods.add_argument(
        "--fast",
        action="store_true",
        help="fast mode (real-time only: no batch scenarios), where the model has it",
    )
    mods.add_argument(
        "--bytes-per-token",
        type=BYTES_PER_TOKEN,
        default=None,
        metavar="B",
        help="request size estimate for the batch split (default 4)",
    )
    return work


def _text_args(p: argparse.ArgumentParser) -> None:
    text = p.add_argument_group("token counts from text (instead of --shared / --unique)")
    text.add_argument(
        "--shared-file",
        metavar="FILE",
        type=Path,
        action="append",
        help="text of the shared prefix; repeat to join several files in order",
    )
    one = text.add_mutually_exclusive_group()
    one.add_argument("--unique-file", metavar="FILE", type=Path, help="one request's unique text")
    one.add_argument(
        "--unique-dir",
        metavar="DIR",
        type=Path,
        help="one request per file; the mean and the largest are used",
    )
    text.add_argument("--encoding", help="text encoding of the files (default utf-8)")
    text.add_argument(
        "--exact",
        action="store_true",
        help="exact counts from Anthropic's count_tokens (network; needs "
        "ANTHROPIC_API_KEY and pip install 'costcalc[anthropic]')",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="costcalc",
        description="What a Claude batch job will cost with the Message Batches discount and "
        "prompt caching, before you submit it.",
        epilog="Run 'costcalc COMMAND --help' for the options and examples of each command.",
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"costcalc {__version__}")
    parser.add_argument(
        "--debug", action="store_true", help="show the traceback of an internal error"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str, description: str, epilog: str):
        sub = commands.add_parser(
            name,
            help=help,
            description=textwrap.fill(description, 79),
            epilog=epilog.rstrip("\n"),
            formatter_class=argparse.RawDescriptionHelpFormatter,
            allow_abbrev=False,
        )
        # Also accepted after the command; SUPPRESS keeps a --debug given before it.
        sub.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
        return sub

    est = command(
        "estimate",
        "compare standard, batch, cache and batch+cache costs of a workload",
        "Estimate a workload of N requests that share a cached prefix, in four scenarios "
        "(standard, batch, cache, batch_cache), with the cache-hit range and the batch split.",
        ESTIMATE_EPILOG,
    )
    _workload_args(est, listed=False)
    _text_args(est)
    _budget_args(est, "the chosen scenario (of any model compared)")
    _output_args(est, "one row per model x scenario", "a workbook whose costs are live formulas")
    est.set_defaults(run=run_estimate)

    swp = command(
        "sweep",
        "vary one or two parameters and price every combination",
        "Price every combination of one or two swept parameters in every scenario.",
        SWEEP_EPILOG,
    )
    _workload_args(swp, listed=True)
    _output_args(swp, "one row per combination x scenario", "the grid as live formulas")
    swp.add_argument(
        "--chart",
        metavar="FILE.svg",
        type=Path,
        help="also write an SVG chart of cost against the first numeric swept parameter",
    )
    swp.set_defaults(run=run_sweep)

    pln = command(
        "plan",
        "price several jobs from a plan file, with totals",
        "Price every job of a YAML plan file in every scenario, with totals.",
        PLAN_EPILOG,
    )
    pln.add_argument("plan_file", metavar="PLAN.yaml", type=Path, help="the plan file")
    _budget_args(pln, "the plan's total in the chosen scenario")
    _output_args(pln, "one row per job x scenario, then totals", "one row of live formulas per job")
    pln.set_defaults(run=run_plan)

    tok = command(
        "tokens",
        "count the tokens of text files, per Claude tokenizer",
        "Count tokens of files offline (tiktoken cl100k_base times each Claude tokenizer's "
        "calibration, shown with its uncertainty band), or exactly with --exact.",
        TOKENS_EPILOG,
    )
    tok.add_argument(
        "files",
        metavar="FILE",
        type=Path,
        nargs="+",
        help="text files, or directories (read recursively)",
    )
    tok.add_argument(
        "--model",
        metavar="NAME",
        type=MODELS,
        action=_AddModels,
        help="only these models' tokenizers (default: every tokenizer)",
    )
    tok.add_argument("--encoding", default="utf-8", help="text encoding (default utf-8)")
    tok.add_argument(
        "--exact",
        action="store_true",
        help="exact counts from Anthropic's count_tokens for --model (network)",
    )
    _output_args(tok, "one row per file")
    tok.set_defaults(run=run_tokens)

    chk = command(
        "check",
        "check a batch request file before submitting it: cost, problems, limits",
        "Check a Message Batches request file: what it will cost, what is wrong with it, and "
        "whether it fits the batch limits.",
        CHECK_EPILOG,
    )
    chk.add_argument(
        "file",
        metavar="FILE",
        type=Path,
        help='JSONL, {"requests": [...]} or a JSON array; - for standard input',
    )
    expect = chk.add_argument_group("expected case")
    out = expect.add_mutually_exclusive_group()
    out.add_argument(
        "--output",
        type=TOKENS,
        metavar="TOKENS",
        help="expected output tokens per request (default: max_tokens)",
    )
    out.add_argument(
        "--output-ratio",
        type=OUTPUT_RATIO,
        metavar="R",
        help="expected output as a share of max_tokens, 0 to 1",
    )
    expect.add_argument(
        "--hit-rate",
        type=HIT_RATE,
        metavar="R",
        help="expected cache hit rate, 0 to 1 (default 0.9)",
    )
    expect.add_argument(
        "--hit-rate-from",
        metavar="RESULTS.jsonl",
        type=Path,
        help="use the hit rate measured in an earlier run's results file (instead of --hit-rate)",
    )
    chk.add_argument(
        "--exact",
        action="store_true",
        help="exact counts from Anthropic's count_tokens (network; ANTHROPIC_API_KEY)",
    )
    chk.add_argument("--encoding", default="utf-8", help=argparse.SUPPRESS)
    gate = chk.add_argument_group("gate")
    gate.add_argument(
        "--budget",
        type=USD,
        metavar="USD",
        help="exit 1 when the file costs more than this (worst case by default)",
    )
    gate.add_argument(
        "--against",
        choices=("worst", "expected"),
        help="which case the budget is compared with (default worst)",
    )
    gate.add_argument("--strict", action="store_true", help="exit 1 when any problem is found")
    gate.add_argument(
        "--allow-unpriced",
        action="store_true",
        help="let the budget pass although some requests could not be priced (by default "
        "any unpriced request fails the budget)",
    )
    chk.add_argument(
        "--problem-lines",
        metavar="FILE.csv",
        type=Path,
        help="write every line of every problem here (CSV: code,line); the report keeps "
        "each problem's count and its first 100 lines",
    )
    _output_args(
        chk,
        "one row per case and scenario",
        "totals and breakdowns as values",
        "a self-contained page with --out FILE",
    )
    chk.set_defaults(run=run_check)

    act = command(
        "actual",
        "price a batch results file, measure cache use, compare with the estimate",
        "Price a Message Batches results file exactly, show where the money went and how well "
        "the cache worked, and compare it with the estimate.",
        ACTUAL_EPILOG,
    )
    act.add_argument(
        "file",
        metavar="RESULTS",
        type=Path,
        nargs="*",
        help="batch results JSONL files, directories of them (*.jsonl) or globs; - for "
        "standard input. Several make one report with a subtotal per file",
    )
    grp = act.add_argument_group("report and gate")
    grp.add_argument(
        "--group-by",
        metavar="KEY",
        action="append",
        default=[],
        help="cost by group: model, file, tier, custom_id:REGEX (the first capture group) or "
        "tags:FILE.csv (custom_id,tag rows); twice for two levels",
    )
    grp.add_argument(
        "--budget",
        type=USD,
        metavar="USD",
        help="exit 1 when the real bill is over this (or any request could not be priced)",
    )
    grp.add_argument(
        "--budget-per-group",
        type=USD,
        metavar="USD",
        help="exit 1 when any group (the first --group-by level) costs more than this",
    )
    act.add_argument(
        "--batch-id",
        metavar="ID",
        help="fetch the results of batch msgbatch_... with the Anthropic SDK instead of a file "
        "(network; ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL; pip install 'costcalc[api]')",
    )
    act.add_argument(
        "--no-batch",
        action="store_true",
        help="price at real-time rates (usage exported from non-batch calls)",
    )
    plan = act.add_argument_group("compare with (either)")
    plan.add_argument(
        "--batch",
        dest="submitted",
        metavar="FILE",
        type=Path,
        help="the request file that was submitted (priced as `costcalc check` does)",
    )
    # The old spelling: --requests is a count in every other command.
    plan.add_argument(
        "--requests",
        dest="submitted",
        metavar="FILE",
        type=Path,
        action=_Deprecated,
        help=argparse.SUPPRESS,
    )
    plan.add_argument("--shared", type=TOKENS, metavar="TOKENS", help="planned shared prefix")
    plan.add_argument("--unique", type=TOKENS, metavar="TOKENS", help="planned unique input")
    plan.add_argument("--output", type=TOKENS, metavar="TOKENS", help="planned output tokens")
    plan.add_argument("--ttl", choices=("5m", "1h"), help="planned cache TTL (default 5m)")
    hits = plan.add_mutually_exclusive_group()
    hits.add_argument("--cache-writes", type=WRITES, metavar="W", help="planned cache writes")
    hits.add_argument("--hit-rate", type=HIT_RATE, metavar="R", help="planned hit rate")
    plan.add_argument(
        "--model",
        metavar="NAME",
        type=MODELS,
        action=_OneModel,
        help="model of the plan (default: the results' model)",
    )
    _output_args(
        act,
        "one row per succeeded request; with several files or --group-by one per file or group",
        "totals and breakdowns as values",
        "a self-contained page with --out FILE",
    )
    act.set_defaults(run=run_actual)

    _warmup_command(command)

    mod = command(
        "models",
        "list every model with its prices, limits and aliases",
        "Every model in the pricing data in three sections (active, legacy, retired) with "
        "its prices on --date, prompt-length tiers and dated prices, limits and modifiers; "
        "then the stacked batch + cache-read rate of the models the Claude API still serves. "
        "Models marked * have unconfirmed prices.",
        MODELS_EPILOG,
    )
    _output_args(mod, "one row per model")
    mod.set_defaults(run=run_models)
    from costcalc.cli.reconcile import add_reconcile

    add_reconcile(command, _date, USD, MODELS)
    _schema_command(command)
    for name, sub in commands.choices.items():
        # Last, from the options each command really has (a gate added later shows up).
        # reconcile gates Anthropic's billed total, which its notices do not make unknown.
        status = exit_status(list(sub._option_string_actions), name in GATED_ON_ERRORS)
        sub.epilog = f"{sub.epilog}\n\n{status}"
    return parser


SCHEMA_EPILOG = """\
examples:
  costcalc schema estimate > estimate.schema.json
  costcalc schema check > check.schema.json    # validate check --format json with it

Every JSON document carries "schema_version"; it changes only when a field is renamed, removed
or retyped. New fields may appear in any release, so validate with additional properties
allowed (as these schemas do).
"""


def _schema_command(command) -> None:
    from costcalc.commands.schema import SCHEMA_COMMANDS, run_schema

    sch = command(
        "schema",
        "print the JSON Schema of a command's --format json output",
        "Print the JSON Schema (draft 2020-12) that every --format json document of COMMAND "
        f"validates against. COMMAND is one of: {', '.join(SCHEMA_COMMANDS)}.",
        SCHEMA_EPILOG,
    )
    sch.add_argument("schema_command", metavar="COMMAND", nargs="?", help="the command")
    sch.set_defaults(run=run_schema)


WARMUP_EPILOG = """\
examples:
  costcalc warmup batch.jsonl                        # what a warm-up costs, and saves
  costcalc warmup batch.jsonl --out primer.jsonl     # write the primer batch
  costcalc warmup batch.jsonl --out primer.jsonl --ttl-1h batch-1h.jsonl

Submit the primer batch, wait until it has ended, then submit the batch within the hour.
Only entries another request reads get a primer; entries under the model's minimum are not
cached and get none. With --out and nothing to warm, exit 2 and no file is written.
"""


def _warmup_command(command) -> None:
    from costcalc.commands.warmup import run_warmup

    wup = command(
        "warmup",
        "write a primer batch that warms a request file's shared cache entries",
        "Write a primer batch: one request per shared cache entry of the request file, cut at "
        "its breakpoint with a 1h cache_control and max_tokens 1, and price the warm-up against "
        "the batch without it.",
        WARMUP_EPILOG,
    )
    wup.add_argument("file", metavar="FILE", type=Path, help="the batch request file")
    wup.add_argument(
        "--out", metavar="PRIMER.jsonl", type=Path, help="write the primer batch (JSONL) here"
    )
    wup.add_argument(
        "--ttl-1h",
        metavar="OUT.jsonl",
        type=Path,
        help="also write a copy of FILE with every cache breakpoint at 1h (FILE is not changed)",
    )
    wup.add_argument(
        "--hit-rate",
        type=HIT_RATE,
        metavar="R",
        help="hit rate of the case without warm-up (default 0.9)",
    )
    wup.add_argument(
        "--hit-rate-from",
        metavar="RESULTS.jsonl",
        type=Path,
        help="the case without warm-up at the hit rate measured in an earlier run's results",
    )
    wup.add_argument("--format", choices=("table", "json"), default="table")
    wup.add_argument("--pricing", metavar="FILE", type=Path, help="pricing YAML")
    wup.add_argument("--date", metavar="YYYY-MM-DD", type=_date, help="price as of this date")
    wup.set_defaults(run=run_warmup)


class _Deprecated(argparse.Action):
    """An old flag spelling: still stored, with a warning naming the new one."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(
            f"costcalc: warning: {option_string} FILE is deprecated; use --batch FILE",
            file=sys.stderr,
        )
        setattr(namespace, self.dest, values)


class _InertStream:
    """stderr for one run: every line costcalc writes there may quote text from a file or an
    argument (a model name, a custom_id), so control and bidi characters are shown as escapes
    wherever the line was built (a terminal must never receive them). A stderr that cannot be
    written (closed, a full disk) is ignored: there is nowhere left to report it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        from costcalc.safe import plain_inert

        with contextlib.suppress(OSError, ValueError):
            self._stream.write("\n".join(plain_inert(part) for part in text.split("\n")))
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _GuardedStdout:
    """stdout for one run: an OSError while writing it (ENOSPC, EPIPE, EIO, EBADF) becomes an
    OutputError, so every command and format reports it the same way (exit 2, the OS's
    reason) instead of as an internal error."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            buffer = getattr(self._stream, "buffer", None)
            if buffer is None:
                return self._stream.write(text)
            # Through the byte buffer, checking every count: a text stream drops the rest of
            # a large write silently when the reader of a pipe goes away part-way (the byte
            # layer returns a short count and TextIOWrapper ignores it), so `| head` would
            # look like a complete run.
            self._stream.flush()
            data = memoryview(text.encode(self._stream.encoding, self._stream.errors or "strict"))
            while data:
                written = buffer.write(data)
                if not written:
                    raise OSError(errno.EAGAIN, "standard output does not accept more data")
                data = data[written:]
            if self._stream.line_buffering:
                buffer.flush()
            return len(text)
        except OSError as exc:
            raise OutputError(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputError(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence_stdout() -> None:
    """Point the failed stream's descriptor at /dev/null, so the interpreter's own flush of
    what is still buffered neither fails again nor prints 'Exception ignored'."""
    stream = sys.stdout
    try:
        fd = stream.fileno()  # the stream that failed, not necessarily fd 1 (tests swap it)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    stderr, stdout = sys.stderr, sys.stdout
    sys.stderr = _InertStream(stderr)  # type: ignore[assignment]
    sys.stdout = _GuardedStdout(stdout)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stderr, sys.stdout = stderr, stdout


def _require_workbook_out(args: argparse.Namespace) -> None:
    """A workbook is a binary file: it needs --out, and XlsxWriter (checked before any work)."""
    if args.out is None:
        raise CostcalcError(
            "--format xlsx writes a binary workbook; name the file with --out FILE.xlsx"
        )
    from costcalc.present.xlsxbook import require_xlsxwriter

    require_xlsxwriter()


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            parser.print_help()
            sys.stdout.flush()
            return 0
    except OutputError as exc:  # --help or --version into a full disk or a closed pipe
        return _output_failed(exc, "costcalc")
    try:
        if getattr(args, "format", None) == "xlsx":
            _require_workbook_out(args)
        if getattr(args, "out", None) is not None or getattr(args, "chart", None) is not None:
            from costcalc.files.outputs import guard_output

            guard_output(args)
        status = args.run(args)
        sys.stdout.flush()  # a full disk shows here when the output was small
        return status
    except OutputError as exc:
        return _output_failed(exc, f"costcalc {args.command}")
    except CostcalcError as exc:
        from costcalc.safe import plain_inert

        print(f"costcalc {args.command}: error: {plain_inert(str(exc))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as exc:
        if args.debug:
            import traceback

            traceback.print_exc()
        from costcalc.safe import plain_inert

        what = plain_inert(f"{type(exc).__name__}: {exc}")[:300]
        print(
            f"costcalc {args.command}: internal error ({what}); this is a bug in costcalc: "
            "rerun with --debug for the traceback and report it",
            file=sys.stderr,
        )
        return 3


def _output_failed(exc: OutputError, prog: str) -> int:
    """Exit 2 when stdout could not be written. A closed pipe (`costcalc models | head -1`)
    ends quietly, as other command-line tools do, but still with status 2: the output was not
    delivered whole, and a gate whose report was cut must never read as a pass."""
    _silence_stdout()
    if exc.errno != errno.EPIPE:
        print(f"{prog}: error: {exc}", file=sys.stderr)
    return 2
