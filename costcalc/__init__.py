"""costcalc: what a Claude batch job will cost, with the Batches discount and prompt caching.

from costcalc import load_pricing, Workload, estimate
model = load_pricing().resolve("opus-4.7")
result = estimate(model, Workload(requests=10_000, shared_tokens=80_000))
result.scenario("batch_cache").total   # Decimal('200.23...')
"""

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
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str):
    if name in _EXPORTS:
        import importlib

        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'costcalc' has no attribute {name!r}")
