"""What several commands share: the price table of --pricing, the modifiers, the budget
scenario and its verdicts on stderr, --hit-rate-from, warnings and written files."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING

from costcalc.errors import CostcalcError

if TYPE_CHECKING:  # types only: importing them would slow the start-up
    from costcalc.compute.engine import Modifiers
    from costcalc.notices import Notice
    from costcalc.prices.model import Pricing


def load(args: argparse.Namespace) -> Pricing:
    from costcalc.prices.load import load_pricing

    return load_pricing(args.pricing)


def modifiers(region: str, fast: bool) -> Modifiers:
    from costcalc.compute.engine import Modifiers

    return Modifiers(region=region, fast=fast)


def budget_scenario(args: argparse.Namespace, fast: bool) -> str:
    if args.scenario and args.budget is None:
        raise CostcalcError("--scenario chooses what --budget applies to; add --budget USD")
    if fast and args.scenario in ("batch", "batch_cache"):
        raise CostcalcError(
            f"fast mode cannot be batched, so there is no {args.scenario} scenario; "
            "use --scenario standard or cache"
        )
    return args.scenario or ("cache" if fast else "batch_cache")


def report_budgets(budgets: list, labels: list[str]) -> int:
    if not budgets:
        return 0
    from costcalc.present.tables import budget_message

    for label, check in zip(labels, budgets):
        prefix = f"{label}: " if len(budgets) > 1 else ""
        print(f"costcalc: {prefix}{budget_message(check)}", file=sys.stderr)
    return 0 if all(b.passes for b in budgets) else 1


def apply_hit_rate_from(args: argparse.Namespace, listed: bool = False) -> None:
    """--hit-rate-from RESULTS: the hit rate measured in an earlier run becomes --hit-rate."""
    source = getattr(args, "hit_rate_from", None)
    if source is None:
        return
    if args.hit_rate is not None:
        raise CostcalcError("give --hit-rate or --hit-rate-from, not both")
    if getattr(args, "cache_writes", None) is not None:
        raise CostcalcError("give --cache-writes or --hit-rate-from, not both")
    from costcalc.compute.actual import measured_hit_rate
    from costcalc.files.inputs import label

    rate, succeeded, cached = measured_hit_rate(
        source, load(args), getattr(args, "date", None) or date.today()
    )
    print(
        f"costcalc: hit rate {rate} measured from {label(source)}: cache reads over cache reads "
        f"and writes of {succeeded:,} succeeded request{'s' if succeeded != 1 else ''} "
        f"({cached:,} with cached tokens)",
        file=sys.stderr,
    )
    args.hit_rate = [rate] if listed else rate


def report_warnings(warnings: Iterable[Notice]) -> None:
    from costcalc.messages import render
    from costcalc.safe import plain_inert

    for warning in warnings:
        print(f"costcalc: warning: {plain_inert(render(warning))}", file=sys.stderr)
