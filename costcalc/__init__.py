"""costcalc: what a Claude batch job will cost, with the Batches discount and prompt caching.

from costcalc import load_pricing, Workload, estimate
model = load_pricing().resolve("opus-4.7")
result = estimate(model, Workload(requests=10_000, shared_tokens=80_000))
result.scenario("batch_cache").total   # Decimal('200.23...')
"""

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
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'costcalc' has no attribute {name!r}")
