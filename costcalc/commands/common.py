"""What several commands share: the price table of --pricing, the modifiers, the budget
scenario and its verdicts on stderr, --hit-rate-from, warnings and written files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date

from costcalc.compute.engine import Modifiers
from costcalc.errors import CodedError, Exit
from costcalc.files.inputs import label
from costcalc.messages import render, say
from costcalc.notices import Notice
from costcalc.prices.load import load_pricing
from costcalc.prices.model import Pricing
from costcalc.safe import plain_inert

# The cli imports a command's module only when that command runs (cli.args.LazyRun), so a
# command module imports what it uses at its top; the few imports left inside functions are
# for options most runs do not use (the optional Anthropic SDK), each with why.


def load(args: argparse.Namespace) -> Pricing:
    return load_pricing(args.pricing)


def modifiers(region: str, fast: bool) -> Modifiers:
    return Modifiers(region=region, fast=fast)


def budget_scenario(args: argparse.Namespace, fast: bool) -> str:
    if args.scenario and args.budget is None:
        raise CodedError("needs_budget", flag="--scenario", what="chooses_scenario")
    if fast and args.scenario in ("batch", "batch_cache"):
        raise CodedError("fast_not_batched", scenario=args.scenario)
    return args.scenario or ("cache" if fast else "batch_cache")


def report_budgets(budgets: list, labels: list[str]) -> int:
    if not budgets:
        return Exit.OK
    for name, check in zip(labels, budgets):
        print(say("budget", label=name if len(budgets) > 1 else "", check=check), file=sys.stderr)
    return Exit.OK if all(b.passes for b in budgets) else Exit.GATE_FAILED


def apply_hit_rate_from(args: argparse.Namespace, listed: bool = False) -> None:
    """--hit-rate-from RESULTS: the hit rate measured in an earlier run becomes --hit-rate."""
    source = getattr(args, "hit_rate_from", None)
    if source is None:
        return
    if args.hit_rate is not None:
        raise CodedError("not_both", first="--hit-rate", second="--hit-rate-from")
    if getattr(args, "cache_writes", None) is not None:
        raise CodedError("not_both", first="--cache-writes", second="--hit-rate-from")
    # Lazy: the results reader and pricer (~50 ms), only for --hit-rate-from.
    from costcalc.compute.hitrate import measured_hit_rate

    rate, succeeded, cached = measured_hit_rate(
        source, load(args), getattr(args, "date", None) or date.today()
    )
    print(
        say("hit_rate_measured", rate=rate, file=label(source), succeeded=succeeded, cached=cached),
        file=sys.stderr,
    )
    args.hit_rate = [rate] if listed else rate


def report_warnings(warnings: Iterable[Notice]) -> None:
    for warning in warnings:
        print(say("warning", text=plain_inert(render(warning))), file=sys.stderr)
