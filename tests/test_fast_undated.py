"""Opus 4.6 and 4.7 ran fast mode at $30 / $150 for a while, but no source states the days that
period began (nor, for Opus 4.6, when billing fell back to standard rates): see the comments
on those entries in pricing.yaml. So they carry no fast prices, and a result line that ran fast
on them is left unpriced with a problem, never priced at a guessed rate and never $0."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest

from costcalc.compute.actual import read_results


@pytest.mark.parametrize("model", ["claude-opus-4-6", "claude-opus-4-7"])
@pytest.mark.parametrize("day", [date(2026, 3, 1), date(2026, 6, 1), date(2026, 11, 24)])
def test_a_fast_line_on_opus_46_or_47_is_unpriced(pricing, tmp_path, model, day):
    assert pricing.resolve(model).fast is None
    usage = {"input_tokens": 1000, "output_tokens": 1000, "service_tier": "standard"}
    lines = [
        {"custom_id": "std", "result": {"type": "succeeded", "message": {"model": model, "usage": usage}}},
        {"custom_id": "fast", "result": {"type": "succeeded", "message": {"model": model, "usage": {**usage, "speed": "fast"}}}},
    ]  # fmt: skip
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    report = read_results(path, pricing, day, batch=False)
    # Line 1 at standard rates: 1,000 x $5 + 1,000 x $25 per million = $0.005 + $0.025.
    assert report.total == D("0.030")
    assert report.unpriced == 1
    assert {p.code: p.lines for p in report.problems} == {"fast_without_fast_prices": (2,)}
