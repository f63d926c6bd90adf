"""costcalc estimate: one workload, every scenario, for one or more models."""

from __future__ import annotations

import argparse
from datetime import date

from costcalc.commands.common import (
    apply_hit_rate_from,
    budget_scenario,
    load,
    modifiers,
    report_budgets,
)
from costcalc.compute import outcomes
from costcalc.compute.engine import Workload, check_budget
from costcalc.compute.planning import analyze
from costcalc.errors import CodedError, CostcalcError
from costcalc.present.registry import present
from costcalc.tokens.count import Counter, TextInputs, measure, read_inputs

# The cli imports a command's module only when that command runs (cli.args.LazyRun), so a
# command module imports what it uses at its top; the few imports left inside functions are
# for options most runs do not use (the optional Anthropic SDK), each with why.


def run_estimate(args: argparse.Namespace) -> int:

    apply_hit_rate_from(args)
    scenario = budget_scenario(args, args.fast)
    inputs = _text_inputs(args)
    requests = args.requests
    if requests is None:
        if inputs is None or args.unique_dir is None:
            raise CodedError("estimate_requests_required")
        requests = len(inputs.uniques or ())
    pricing = load(args)
    models = [pricing.resolve(name) for name in args.model]
    mods = modifiers(args.region, args.fast)
    extra = {"bytes_per_token": args.bytes_per_token} if args.bytes_per_token else {}
    counter = exact = None
    if inputs is not None:
        if args.exact:
            # Lazy: --exact only; it needs the optional Anthropic SDK.
            from costcalc.tokens.exact import ExactCounter

            exact = ExactCounter()
        else:
            counter = Counter()
    analyses = []
    for model in models:
        try:
            tokens = None
            shared, unique = args.shared or 0, args.unique or 0
            if inputs is not None:
                tokens = measure(
                    inputs, model.id, pricing.tokenizers[model.tokenizer], counter, exact
                )
                shared = tokens.shared.central if tokens.shared else shared
                unique = tokens.unique.central if tokens.unique else unique
            workload = Workload(
                requests=requests,
                shared_tokens=shared,
                unique_tokens=unique,
                output_tokens=args.output or 0,
                ttl=args.ttl,
                cache_writes=args.cache_writes if args.cache_writes is not None else 1,
            )
            analyses.append(
                analyze(
                    model,
                    workload,
                    limits=pricing.batch_limits,
                    on=args.date or date.today(),
                    modifiers=mods,
                    hit_rate=args.hit_rate,
                    tokens=tokens,
                    **extra,
                )
            )
        except CostcalcError as exc:
            raise CodedError(
                "estimate_model_failed",
                model=model.short_name if len(models) > 1 else None,
                error=str(exc),
            ) from None
    budgets = (
        [check_budget(a.estimate, args.budget, scenario, a.warnings) for a in analyses]
        if args.budget is not None
        else []
    )

    present(outcomes.EstimateResult(analyses, budgets), args.format, args.out)
    return report_budgets(budgets, [a.estimate.model.short_name for a in analyses])


def _text_inputs(args: argparse.Namespace) -> TextInputs | None:
    """The texts given with --shared-file / --unique-file / --unique-dir, read once."""
    given = bool(args.shared_file) or args.unique_file is not None or args.unique_dir is not None
    if not given:
        if args.exact:
            raise CodedError("estimate_exact_needs_files")
        if args.encoding:
            raise CodedError("estimate_encoding_needs_files")
        return None
    if args.shared_file and args.shared is not None:
        raise CodedError("estimate_shared_twice")
    if (args.unique_file or args.unique_dir) and args.unique is not None:
        raise CodedError("estimate_unique_twice")
    encoding = args.encoding or "utf-8"
    return read_inputs(args.shared_file or [], args.unique_file, args.unique_dir, encoding)
