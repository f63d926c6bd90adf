"""The `costcalc` command: argument parsing, wiring and exit codes (no arithmetic here).

Exit status: 0 ok; 1 a check failed (over budget); 2 bad input, with one line on stderr.
rich is imported only when a table is printed, so CSV/JSON runs skip its cost.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from datetime import date
from pathlib import Path
from typing import Callable, Optional, Sequence

from . import __version__
from .errors import CostcalcError
from .units import parse_count, parse_usd

SCENARIOS = ("standard", "batch", "cache", "batch_cache")

ESTIMATE_EPILOG = """\
examples:
  # the article's code review: 10,000 requests sharing an 80,000-token rubric
  costcalc estimate --model opus-4.7 --shared 80k --requests 10k

  # with 2,000 unique input and 800 output tokens per request, 1-hour cache
  costcalc estimate --model sonnet-4.6 --shared 80k --unique 2k --output 800 \\
      --requests 10k --ttl 1h

  # a row per scenario for a spreadsheet
  costcalc estimate --model opus-4.7 --shared 80k --requests 10k --format csv --out plan.csv

  # in CI: exit 1 when the batch+cache total is over $250
  costcalc estimate --model opus-4.7 --shared 80k --requests 10k --budget 250

Token counts accept 80000, 80_000, 80,000, 80k, 1.5M. Scenarios: standard (no batch, no
cache), batch, cache (real-time with caching), batch_cache. Caching is modelled as W cache
writes of the shared prefix and N-W reads; --cache-writes sets W (default 1).

exit status: 0 ok, 1 over budget, 2 bad input
"""

MODELS_EPILOG = """\
examples:
  costcalc models                       # prices, limits and the stacked batch+cache rate
  costcalc models --format csv --out prices.csv

Any name in the 'API id and aliases' column works with --model (case-insensitive).
"""


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> "NoReturn":  # type: ignore[name-defined]  # noqa: F821
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _arg_type(parse: Callable[[str], object], name: str) -> Callable[[str], object]:
    def convert(text: str) -> object:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = name  # argparse names the type in some messages
    return convert


TOKENS = _arg_type(parse_count, "tokens")
REQUESTS = _arg_type(lambda t: parse_count(t, "requests"), "requests")
WRITES = _arg_type(lambda t: parse_count(t, "cache writes"), "cache writes")
USD = _arg_type(parse_usd, "USD")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (use YYYY-MM-DD)") from None


def _common(p: argparse.ArgumentParser, formats: Sequence[str]) -> None:
    out = p.add_argument_group("output and data")
    out.add_argument("--format", choices=formats, default="table",
                     help="table (default, for people), csv (one row per scenario), json")  # fmt: skip
    out.add_argument("--out", metavar="FILE", type=Path,
                     help="write to FILE instead of stdout (written whole or not at all)")  # fmt: skip
    out.add_argument("--pricing", metavar="FILE", type=Path,
                     help="use this pricing YAML instead of the bundled pricing.yaml")  # fmt: skip
    out.add_argument("--date", metavar="YYYY-MM-DD", type=_date,
                     help="price as of this date (long-context tiers, model status); default today")  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="costcalc",
        description="What a Claude batch job will cost with the Message Batches discount and "
        "prompt caching, before you submit it.",
        epilog="Run 'costcalc COMMAND --help' for the options and examples of each command.",
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"costcalc {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    est = commands.add_parser(
        "estimate",
        help="compare standard, batch, cache and batch+cache costs of a workload",
        description="Estimate a workload of N requests that share a cached prefix, in four "
        "scenarios: standard, batch, cache and batch_cache.",
        epilog=ESTIMATE_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    work = est.add_argument_group("workload")
    work.add_argument("--model", required=True, metavar="NAME",
                      help="model id or alias, e.g. opus-4.7, claude-sonnet-4-6, haiku-4.5")  # fmt: skip
    work.add_argument("--requests", required=True, type=REQUESTS, metavar="N",
                      help="number of requests in the job")  # fmt: skip
    work.add_argument("--shared", type=TOKENS, default=0, metavar="TOKENS",
                      help="shared prefix per request, the part that is cached (default 0)")  # fmt: skip
    work.add_argument("--unique", type=TOKENS, default=0, metavar="TOKENS",
                      help="unique input per request after the prefix (default 0)")  # fmt: skip
    work.add_argument("--output", type=TOKENS, default=0, metavar="TOKENS",
                      help="output tokens per request (default 0)")  # fmt: skip
    work.add_argument("--ttl", choices=("5m", "1h"), default="5m",
                      help="cache lifetime; 1h writes cost 2x input, 5m writes 1.25x (default 5m)")  # fmt: skip
    work.add_argument("--cache-writes", type=WRITES, default=1, metavar="W",
                      help="requests that write the cache; the other N-W read it (default 1)")  # fmt: skip
    gate = est.add_argument_group("budget gate")
    gate.add_argument("--budget", type=USD, metavar="USD",
                      help="exit 1 when the chosen scenario costs more than this")  # fmt: skip
    gate.add_argument("--scenario", choices=SCENARIOS, default=None,
                      help="scenario the budget applies to (default batch_cache)")  # fmt: skip
    _common(est, ("table", "csv", "json"))
    est.set_defaults(run=run_estimate)

    mod = commands.add_parser(
        "models",
        help="list every model with its prices, limits and aliases",
        description="Every model in the pricing data, and the stacked batch + cache-read rate "
        "of the models the Claude API still serves.",
        epilog=MODELS_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        allow_abbrev=False,
    )
    _common(mod, ("table", "csv", "json"))
    mod.set_defaults(run=run_models)
    return parser


def _load(args: argparse.Namespace):
    from .pricing import load_pricing

    return load_pricing(args.pricing)


def run_estimate(args: argparse.Namespace) -> int:
    from .engine import Workload, check_budget, estimate

    if args.scenario and args.budget is None:
        raise CostcalcError("--scenario chooses what --budget applies to; add --budget USD")
    pricing = _load(args)
    model = pricing.resolve(args.model)
    workload = Workload(
        requests=args.requests,
        shared_tokens=args.shared,
        unique_tokens=args.unique,
        output_tokens=args.output,
        ttl=args.ttl,
        cache_writes=args.cache_writes,
    )
    result = estimate(model, workload, on=args.date or date.today())
    budget = None
    if args.budget is not None:
        budget = check_budget(result, args.budget, args.scenario or "batch_cache")

    if args.format == "json":
        from .export import estimate_json

        _emit(estimate_json(result, budget), args.out)
    elif args.format == "csv":
        from .export import estimate_csv

        _emit(estimate_csv(result), args.out)
    else:
        from .render import estimate_view

        _emit_rich(estimate_view(result), args.out)

    if budget is not None:
        from .render import budget_message

        print(f"costcalc: {budget_message(budget)}", file=sys.stderr)
        return 0 if budget.within else 1
    return 0


def run_models(args: argparse.Namespace) -> int:
    from .engine import stacked_rate

    pricing = _load(args)
    on = args.date or date.today()
    rows = [(m, stacked_rate(m)) for m in pricing.models]
    if args.format == "json":
        from .export import models_json

        _emit(models_json(rows), args.out)
    elif args.format == "csv":
        from .export import models_csv

        _emit(models_csv(rows), args.out)
    else:
        from .render import models_view

        current = [s for m, s in rows if m.is_current(on)]
        _emit_rich(models_view(pricing.models, current), args.out)
    return 0


def _emit(text: str, out: Optional[Path]) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        write_atomic(out, text)


def _emit_rich(view: object, out: Optional[Path]) -> None:
    from .render import make_console

    if out is None:
        make_console().print(view)
        return
    import io

    buf = io.StringIO()
    make_console(buf).print(view)
    write_atomic(out, buf.getvalue())


def write_atomic(path: Path, text: str) -> None:
    """Write the whole text or nothing: a temp file beside `path`, then a rename."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CostcalcError(f"cannot write {path}: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise CostcalcError(f"cannot write {path}: {exc.strerror}") from None


def main(argv: Optional[Sequence[str]] = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except CostcalcError as exc:
        print(f"costcalc {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # The reader went away (e.g. `| head`); stop quietly, as other CLI tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130
