"""costcalc: what a Claude batch job will cost, with the Batches discount and prompt caching.

from costcalc import load_pricing, Workload, estimate
model = load_pricing().resolve("opus-4.7")
result = estimate(model, Workload(requests=10_000, shared_tokens=80_000))
result.scenario("batch_cache").total   # Decimal('200.23...')

costcalc.ensure_within_budget(requests, budget=300)   # before client.messages.batches.create
costcalc.price_results(client.messages.batches.results(batch_id)).total
(docs/python-api.md)
"""

from typing import TYPE_CHECKING, Any

from costcalc.version import __version__

# Imported lazily so that `import costcalc` stays cheap for the CLI.
_EXPORTS = {
    "load_pricing": "costcalc.prices.load",
    "Pricing": "costcalc.prices.model",
    "ModelPrice": "costcalc.prices.model",
    "Workload": "costcalc.compute.engine",
    "Modifiers": "costcalc.compute.engine",
    "Estimate": "costcalc.compute.engine",
    "estimate": "costcalc.compute.engine",
    "check_budget": "costcalc.compute.engine",
    "analyze": "costcalc.compute.planning",
    "Analysis": "costcalc.compute.planning",
    "plan_batches": "costcalc.compute.planning",
    "break_even_hit_rate": "costcalc.compute.planning",
    "min_requests_for_caching": "costcalc.compute.planning",
    "writes_for_hit_rate": "costcalc.compute.planning",
    "CostcalcError": "costcalc.errors",
    # The batch API (commands/api.py): requests and results in memory, with the SDK's own types.
    "check": "costcalc.commands.api",
    "ensure_within_budget": "costcalc.commands.api",
    "OverBudget": "costcalc.commands.api",
    "price_results": "costcalc.commands.api",
    "warmup": "costcalc.commands.api",
    "CheckReport": "costcalc.commands.api",
    "ResultsReport": "costcalc.commands.api",
    "Primer": "costcalc.commands.api",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'costcalc' has no attribute {name!r}")


if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    # ruff: noqa: F401
    from costcalc.commands.api import (
        CheckReport,
        OverBudget,
        Primer,
        ResultsReport,
        check,
        ensure_within_budget,
        price_results,
        warmup,
    )
    from costcalc.compute.engine import Estimate, Modifiers, Workload, check_budget, estimate
    from costcalc.compute.planning import (
        Analysis,
        analyze,
        break_even_hit_rate,
        min_requests_for_caching,
        plan_batches,
        writes_for_hit_rate,
    )
    from costcalc.errors import CostcalcError
    from costcalc.prices.load import load_pricing
    from costcalc.prices.model import ModelPrice, Pricing
