"""The README's code-review batch (10,000 reviews sharing an 80,000-token rubric), priced with the costcalc Python API.

10,000 code samples, each reviewed against the same 80,000-token rubric on Opus 4.7.
Run: python examples/code_review.py
"""

from costcalc import Workload, estimate, load_pricing

pricing = load_pricing()
opus = pricing.resolve("opus-4.7")

# The headline figure: the shared rubric alone.
rubric_only = estimate(opus, Workload(requests=10_000, shared_tokens=80_000))

# The whole job: each sample adds ~2,000 unique input tokens; we assume ~800 output tokens
# per review (the requests' max_tokens is 2,048, so the worst case is 2,048).
full_job = estimate(
    opus,
    Workload(requests=10_000, shared_tokens=80_000, unique_tokens=2_000, output_tokens=800),
)
worst_case = estimate(
    opus,
    Workload(requests=10_000, shared_tokens=80_000, unique_tokens=2_000, output_tokens=2_048),
)

print(f"{'scenario':<12} {'rubric only':>12} {'full job':>12} {'max_tokens':>12}")
for name in ("standard", "batch", "cache", "batch_cache"):
    a, b, c = (e.scenario(name).total for e in (rubric_only, full_job, worst_case))
    print(f"{name:<12} {a:>12,.2f} {b:>12,.2f} {c:>12,.2f}")

best = rubric_only.scenario("batch_cache")
print(
    f"\nrubric only, batch + cache: ${best.total:,.2f}, saving ${best.savings:,.2f} "
    f"({best.savings_pct:.1f}%) against standard rates"
)
for warning in full_job.warnings:
    print("warning:", warning)
