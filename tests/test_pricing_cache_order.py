"""A --pricing file whose cache rates are out of the API's order (a write below input, a read
above input, a 1h write below the 5m write) is refused, naming the model and the rates; the
real table (Haiku 3's 1.2x write included) loads."""

from __future__ import annotations

from pathlib import Path

import pytest

from costcalc.prices.load import load_pricing

REPO = Path(__file__).resolve().parent.parent
OPUS_47 = (
    "prices: {input: 5, cache_write_5m: 6.25, cache_write_1h: 10, cache_read: 0.50, output: 25}"
)


def _opus_47(new: str):
    """An edit of pricing.yaml's text: Opus 4.7's base prices replaced (Opus 5 has the same)."""

    def edit(text: str) -> str:
        at = text.index(OPUS_47, text.index("\n  claude-opus-4-7:\n"))
        return text[:at] + new + text[at + len(OPUS_47) :]

    return edit


@pytest.mark.parametrize(
    "rates, rule",
    [
        # A write below input: caching would "beat no caching above a 0.0% hit rate".
        (
            "input: 5, cache_write_5m: 4, cache_write_1h: 10, cache_read: 0.50",
            "cache_write_5m is below input",
        ),
        (
            "input: 5, cache_write_5m: 6.25, cache_write_1h: 4.99, cache_read: 0.50",
            "cache_write_1h is below input",
        ),
        # A read above input.
        (
            "input: 5, cache_write_5m: 6.25, cache_write_1h: 10, cache_read: 5.01",
            "cache_read is above input",
        ),
        # 1h below 5m (both above input).
        (
            "input: 5, cache_write_5m: 10, cache_write_1h: 6.25, cache_read: 0.50",
            "cache_write_1h is below cache_write_5m",
        ),
    ],
)
def test_out_of_order_cache_rates_are_refused(cli, write_pricing, rates, rule):
    path = write_pricing(_opus_47(f"prices: {{{rates}, output: 25}}"))
    code, out, err = cli(
        "estimate", "--model", "opus-4.7", "--requests", "10", "--pricing", str(path)
    )
    assert code == 2, out
    assert "claude-opus-4-7" in err and rule in err
    assert "input 5" in err
    assert err.count("\n") == 1


def test_equal_rates_are_allowed(write_pricing):
    # Equal write and input (no premium) and read equal to input are odd, but not backwards.
    equal = "prices: {input: 5, cache_write_5m: 5, cache_write_1h: 5, cache_read: 5, output: 25}"
    pricing = load_pricing(write_pricing(_opus_47(equal)))
    assert pricing.resolve("opus-4.7").prices.cache_read == 5


def test_real_table_loads_with_haiku_3(write_pricing):
    """Haiku 3: input $0.25, 5m write $0.30 (1.2x, not the usual 1.25x), read $0.03: in order."""
    from decimal import Decimal as D

    haiku = load_pricing(write_pricing(), trust_digest=False).resolve("claude-3-haiku-20240307")
    assert (haiku.prices.input, haiku.prices.cache_write_5m) == (D("0.25"), D("0.30"))
    assert haiku.prices.cache_write_5m / haiku.prices.input == D("1.2")
