"""costcalc sweep: every combination of one or two swept parameters."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from costcalc.commands.common import apply_hit_rate_from, load, modifiers
from costcalc.compute import outcomes
from costcalc.compute.engine import Workload
from costcalc.compute.planning import Analysis, analyze, sweep
from costcalc.errors import CodedError, CostcalcError, Exit
from costcalc.files.outputs import write_text
from costcalc.messages import say
from costcalc.present.chart import sweep_chart
from costcalc.present.registry import present

SWEEP_FLAGS = {
    "model": "model",
    "requests": "requests",
    "shared": "shared",
    "unique": "unique",
    "output": "output",
    "hit_rate": "hit_rate",
}

# The cli imports a command's module only when that command runs (cli.args.LazyRun), so a
# command module imports what it uses at its top; the few imports left inside functions are
# for options most runs do not use (the optional Anthropic SDK), each with why.


def run_sweep(args: argparse.Namespace) -> int:

    if args.chart is not None and args.chart.suffix.lower() != ".svg":
        raise CodedError("chart_not_svg", path=args.chart)
    apply_hit_rate_from(args, listed=True)
    values = {name: getattr(args, flag) for name, flag in SWEEP_FLAGS.items()}
    if values["hit_rate"] is None:
        values["hit_rate"] = [None]
    swept = {name: v for name, v in values.items() if len(v) > 1}
    if not swept:
        raise CodedError("nothing_to_sweep")
    if len(swept) > 2:
        raise CodedError("sweep_too_many", swept=list(swept))
    pricing = load(args)
    models = {name: pricing.resolve(name) for name in values["model"]}
    fixed = {name: v[0] for name, v in values.items() if len(v) == 1}
    mods = modifiers(args.region, args.fast)
    on = args.date or date.today()
    extra = {"bytes_per_token": args.bytes_per_token} if args.bytes_per_token else {}

    def point(at: dict[str, Any]) -> Analysis:
        p = {**fixed, **at}
        workload = Workload(
            requests=p["requests"],
            shared_tokens=p["shared"],
            unique_tokens=p["unique"],
            output_tokens=p["output"],
            ttl=args.ttl,
            cache_writes=args.cache_writes if args.cache_writes is not None else 1,
        )
        try:
            return analyze(
                models[p["model"]],
                workload,
                limits=pricing.batch_limits,
                on=on,
                modifiers=mods,
                hit_rate=p["hit_rate"],
                **extra,
            )
        except CostcalcError as exc:
            raise CodedError("sweep_point_failed", at=dict(at), error=str(exc)) from None

    points = sweep(swept, point)
    chart = None
    if args.chart is not None:
        chart = sweep_chart(points, list(swept))
    present(outcomes.SweepResult(points, swept), args.format, args.out)
    if chart is not None:
        write_text(args.chart, chart)
        print(say("wrote", path=args.chart), file=sys.stderr)
    return Exit.OK
