"""Guard a batch before it is submitted, then price what came back: costcalc's Python API.

Builds 500 code-review requests that share a rubric behind a cache breakpoint (the dicts
client.messages.batches.create(requests=...) takes), checks them against a budget, works out
the warm-up, and prices results made up here in the shape client.messages.batches.results(id)
yields. No network: the lines that would call the API are shown as comments.
Run: python examples/guard_batch.py
"""

from datetime import date
from decimal import Decimal

import costcalc

ON = date(2026, 6, 1)  # prices in force on this date (default: today)
RUBRIC = "Review the code for correctness, naming, tests and error handling. " * 300


def requests():
    """The batch, one request at a time (a generator: costcalc never holds it whole)."""
    for i in range(500):
        yield {
            "custom_id": f"review-{i}",
            "params": {
                "model": "claude-opus-4-7",
                "max_tokens": 1024,
                "system": [
                    {"type": "text", "text": RUBRIC, "cache_control": {"type": "ephemeral"}}
                ],
                "messages": [{"role": "user", "content": f"def f{i}(x):\n    return x * {i}\n"}],
            },
        }


# 1. The guard: raises costcalc.OverBudget (with .report) over $20 in the worst case.
report = costcalc.ensure_within_budget(requests(), budget=20, on=ON)
print(
    f"worst ${report.worst.total:.2f}, expected ${report.expected.total:.2f}, "
    f"best ${report.best.total:.2f}: within the $20 budget"
)
# client.messages.batches.create(requests=list(requests()))

try:
    costcalc.ensure_within_budget(requests(), budget=5, on=ON)
except costcalc.OverBudget as exc:
    print(f"a $5 budget stops it: {exc}")

# 2. The warm-up: a primer batch first, so that every request reads the rubric.
primer = costcalc.warmup(requests(), on=ON)
print(
    f"warm-up: {len(primer.requests)} primer request(s), then the batch: "
    f"${primer.total:.2f} against ${primer.expected:.2f} expected "
    f"({'worth it' if primer.worth_it else 'not worth it'}, saves ${primer.saving:.2f})"
)
# client.messages.batches.create(requests=primer.requests); wait until it has ended, then
# client.messages.batches.create(requests=primer.ttl_1h) within the hour.


# 3. After the batch: price the results (here made up: the first request wrote the rubric,
#    the others read it; one expired and is not billed).
def results():
    for i in range(500):
        if i == 499:
            yield {"custom_id": f"review-{i}", "result": {"type": "expired"}}
            continue
        usage = {"input_tokens": 30, "output_tokens": 400, "service_tier": "batch"}
        if i == 0:
            usage["cache_creation"] = {
                "ephemeral_5m_input_tokens": 3_900,
                "ephemeral_1h_input_tokens": 0,
            }
            usage["cache_creation_input_tokens"] = 3_900
        else:
            usage["cache_read_input_tokens"] = 3_900
        yield {
            "custom_id": f"review-{i}",
            "result": {
                "type": "succeeded",
                "message": {"model": "claude-opus-4-7", "usage": usage},
            },
        }


# results = client.messages.batches.results(batch.id)   # the SDK's objects work as they are
priced = costcalc.price_results(results(), requests=requests(), on=ON)
print(
    f"billed ${priced.total:.4f} for {priced.counts['succeeded']} requests "
    f"({priced.counts['expired']} expired, not billed)"
)
for token_class, (tokens, usd) in priced.by_class.items():
    print(f"  {token_class:<15} {tokens:>9,} tokens  ${usd:.4f}")

# By hand, at Opus 4.7 batch rates: input 499 x 30 x $2.50/M, one 5m write of 3,900 x $3.125/M,
# 498 reads of 3,900 x $0.25/M, output 499 x 400 x $12.50/M.
by_hand = (
    499 * 30 * Decimal("2.50")
    + 3_900 * Decimal("3.125")
    + 498 * 3_900 * Decimal("0.25")
    + 499 * 400 * Decimal("12.50")
) / 1_000_000
assert priced.total == by_hand, (priced.total, by_hand)
print(f"matches the hand calculation: ${by_hand}")
