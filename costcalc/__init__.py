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

__version__ = "0.1.0"

# Imported lazily so that `import costcalc` stays cheap for the CLI.
_EXPORTS = {
    "load_pricing": "costcalc.pricing",
    "Pricing": "costcalc.pricing",
    "ModelPrice": "costcalc.pricing",
    "Workload": "costcalc.engine",
    "Modifiers": "costcalc.engine",
    "Estimate": "costcalc.engine",
    "estimate": "costcalc.engine",
    "check_budget": "costcalc.engine",
    "analyze": "costcalc.planning",
    "Analysis": "costcalc.planning",
    "plan_batches": "costcalc.planning",
    "break_even_hit_rate": "costcalc.planning",
    "min_requests_for_caching": "costcalc.planning",
    "writes_for_hit_rate": "costcalc.planning",
    "CostcalcError": "costcalc.errors",
    # The batch API (api.py): requests and results in memory, with the SDK's own types.
    "check": "costcalc.api",
    "ensure_within_budget": "costcalc.api",
    "OverBudget": "costcalc.api",
    "price_results": "costcalc.api",
    "warmup": "costcalc.api",
    "CheckReport": "costcalc.api",
    "ResultsReport": "costcalc.api",
    "Primer": "costcalc.api",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'costcalc' has no attribute {name!r}")


if TYPE_CHECKING:  # what the lazy names are, for type checkers and editors
    from .api import (
        CheckReport,
        OverBudget,
        Primer,
        ResultsReport,
        check,
        ensure_within_budget,
        price_results,
        warmup,
    )
    from .engine import Estimate, Modifiers, Workload, check_budget, estimate
    from .errors import CostcalcError
    from .planning import (
        Analysis,
        analyze,
        break_even_hit_rate,
        min_requests_for_caching,
        plan_batches,
        writes_for_hit_rate,
    )
    from .pricing import ModelPrice, Pricing, load_pricing
