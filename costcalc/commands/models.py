"""costcalc models: every model with its prices, limits and aliases."""

from __future__ import annotations

import argparse
from datetime import date

from costcalc.commands.common import load
from costcalc.compute import outcomes
from costcalc.compute.engine import stacked_rate
from costcalc.errors import Exit
from costcalc.present.registry import present


def run_models(args: argparse.Namespace) -> int:
    pricing = load(args)
    on = args.date or date.today()
    rows = [(m, stacked_rate(m, on)) for m in pricing.models]
    present(outcomes.ModelsResult(rows, on, str(pricing.path)), args.format, args.out)
    return Exit.OK
