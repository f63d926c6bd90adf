"""The budget verdict's three amounts agree with each other and show the budget as typed."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costcalc.compute.engine import compare_budget
from costcalc.messages.status import budget_verdict


@pytest.mark.parametrize(
    ("total", "budget", "said"),
    [
        # 0.15675 - 0.15674 = 0.00001: shown at five decimals, so X - Y = Z on the page.
        ("0.15675", "0.15674", "costs $0.15675, budget $0.15674, over by $0.00001"),
        ("150.5", "100", "costs $150.50, budget $100.00, over by $50.50"),
        # 1.23456 - 1.2 = 0.03456; at cents: 1.23 - 1.20 = 0.03.
        ("1.23456", "1.2", "costs $1.23, budget $1.20, over by $0.03"),
        ("0.0955", "100", "costs $0.0955 of a $100.00 budget"),
        ("2000.004", "2000", "costs $2,000.004, budget $2,000.00, over by $0.004"),
        # Each amount exact (at most 10 decimals): they subtract as shown.
        ("0.5498625", "0.5398625", "costs $0.5498625, budget $0.5398625, over by $0.01"),
    ],
)
def test_amounts_as_shown(total, budget, said):
    assert said in budget_verdict(compare_budget("x", D(total), D(budget)))


@given(
    st.decimals(min_value=0, max_value=10**6, places=9, allow_nan=False),
    st.decimals(min_value=D("0.01"), max_value=10**6, places=6, allow_nan=False),
)
def test_over_amounts_subtract(total, budget):
    text = budget_verdict(compare_budget("x", total, budget))
    if total <= budget:
        assert text.startswith("within budget")
        return
    parts = text.split("$")[1:]
    x, y, z = (D(p.split(" ")[0].rstrip(",").replace(",", "")) for p in parts)
    assert x - y == z and z > 0, text
