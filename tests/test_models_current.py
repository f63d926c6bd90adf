"""The models released from May 2026 (Opus 4.8 to Fable/Mythos 5.2): prices by hand, the new
pricing shapes, listing.

Every expected figure below is worked out by hand from Anthropic's pricing page
(https://platform.claude.com/docs/en/about-claude/pricing) and the models' overview pages
(https://platform.claude.com/docs/en/models/<id>/overview), with the arithmetic in comments;
none is read back from the engine.
"""

import csv
import io
import json
from datetime import date
from decimal import Decimal as D

import pytest

from costcalc.compute.engine import (
    Modifiers,
    Workload,
    estimate,
    price_tokens,
    request_rates,
    stacked_rate,
)
from costcalc.compute.planning import analyze, break_even_hit_rate, min_requests_for_caching
from costcalc.errors import UnknownModelError, WorkloadError

TODAY = date(2026, 11, 25)  # the day these models' prices were read
RECHECKED = date(2026, 12, 6)  # Fable/Mythos 5.2 input and output confirmed by the release notes
SEED = Workload(requests=10_000, shared_tokens=80_000, ttl="5m", cache_writes=1)

# The README's example job: 10,000 requests x 80,000 shared tokens, 0 unique, 0 output, 5m TTL,
# one write.
#   standard    = 10,000 x 80,000 = 800,000,000 tokens = 800 MTok at the input price
#   batch       = standard x 0.5
#   cache       = 1 write of 80,000 (0.08 MTok) at the 5m write price
#                 + 9,999 reads x 80,000 = 799,920,000 (799.92 MTok) at the cache read price
#   batch_cache = cache x 0.5
# model: (standard, batch, cache, batch_cache), prices from the pricing and overview pages.
SEED_BY_HAND = {
    # Opus 5.5: in 4, 5m write 5, read 0.20 (0.05x).
    # 800 x 4 = 3,200; 0.08 x 5 = 0.40 + 799.92 x 0.20 = 159.984 -> 160.384
    "opus-5.5": ("3200", "1600", "160.384", "80.192"),
    # Opus 5 and Opus 4.8: in 5, write 6.25, read 0.50.
    # 800 x 5 = 4,000; 0.08 x 6.25 = 0.50 + 799.92 x 0.50 = 399.96 -> 400.46
    "opus-5": ("4000", "2000", "400.46", "200.23"),
    "opus-4.8": ("4000", "2000", "400.46", "200.23"),
    # Sonnet 5: in 2, write 2.50, read 0.20. 800 x 2 = 1,600; 0.08 x 2.5 = 0.20 + 159.984
    "sonnet-5": ("1600", "800", "160.184", "80.092"),
    # Sonnet 5.5 on 2026-11-25 (read 0.10 since 2026-10-07): 0.20 + 799.92 x 0.10 = 79.992
    "sonnet-5.5": ("1600", "800", "80.192", "40.096"),
    # Fable 5 / Mythos 5: in 10, write 12.50, read 1.
    # 800 x 10 = 8,000; 0.08 x 12.5 = 1.00 + 799.92 x 1 = 799.92 -> 800.92
    "fable-5": ("8000", "4000", "800.92", "400.46"),
    "mythos-5": ("8000", "4000", "800.92", "400.46"),
    # Fable 5.1 / Mythos 5.1: read 0.25 (0.025x): 1.00 + 799.92 x 0.25 = 199.98 -> 200.98
    "fable-5.1": ("8000", "4000", "200.98", "100.49"),
    "mythos-5.1": ("8000", "4000", "200.98", "100.49"),
    # Fable 5.2 / Mythos 5.2 (M): in 8, write 10, read 0.20.
    # 800 x 8 = 6,400; 0.08 x 10 = 0.80 + 159.984 = 160.784
    "fable-5.2": ("6400", "3200", "160.784", "80.392"),
    "mythos-5.2": ("6400", "3200", "160.784", "80.392"),
    # Haiku 5.5: prompt 80,000 <= 100,000, the lower row: in 0.10, write 0.125, read 0.01.
    # 800 x 0.10 = 80; 0.08 x 0.125 = 0.01 + 799.92 x 0.01 = 7.9992 -> 8.0092
    "haiku-5.5": ("80", "40", "8.0092", "4.0046"),
}


@pytest.mark.parametrize("name", sorted(SEED_BY_HAND))
def test_seed_job_in_all_four_scenarios(pricing, name):
    est = estimate(pricing.resolve(name), SEED, TODAY)
    expected = [D(v) for v in SEED_BY_HAND[name]]
    got = [est.scenario(s).total for s in ("standard", "batch", "cache", "batch_cache")]
    assert got == expected
    assert not est.long_context


def test_every_section_12_alias_resolves(pricing):
    ids = {
        "opus-5.5": "claude-opus-5-5",
        "sonnet-5": "claude-sonnet-5",
        "sonnet-5.5": "claude-sonnet-5-5",
        "haiku-5.5": "claude-haiku-5-5",
        "fable-5": "claude-fable-5",
        "mythos-5": "claude-mythos-5",
        "fable-5.1": "claude-fable-5-1",
        "mythos-5.1": "claude-mythos-5-1",
        "fable-5.2": "claude-fable-5-2",
        "mythos-5.2": "claude-mythos-5-2",
        "claude-haiku-5-5": "claude-haiku-5-5",
        "Opus-5-5": "claude-opus-5-5",
    }
    for alias, model_id in ids.items():
        assert pricing.resolve(alias).id == model_id


def test_lifecycle_and_limits_from_item_57_and_58(pricing):
    # 57: statuses as of the newest copies; 58: 1M context, 128K output, 300K batch option.
    status = {
        "claude-opus-4-8": "legacy",
        "claude-opus-5": "legacy",
        "claude-opus-5-5": "active",
        "claude-sonnet-5": "legacy",
        "claude-sonnet-5-5": "active",
        "claude-fable-5": "legacy",
        "claude-mythos-5": "legacy",
        "claude-fable-5-1": "active",
        "claude-mythos-5-1": "active",
        "claude-haiku-5-5": "active",
        "claude-fable-5-2": "active",
        "claude-mythos-5-2": "active",
    }
    batch_300k = {
        "claude-opus-4-8",
        "claude-opus-5",
        "claude-opus-5-5",
        "claude-sonnet-5",
        "claude-sonnet-5-5",
        "claude-haiku-5-5",
    }
    for model_id, expected in status.items():
        m = pricing.resolve(model_id)
        assert m.status == expected, model_id
        assert (m.context_window, m.max_output) == (1_000_000, 128_000), model_id
        assert m.tokenizer == "claude-4.7" and m.image_tier == "high_res", model_id
        assert m.us_inference_multiplier == D("1.1"), model_id
        # The 5.2 rows were checked again on 2026-12-06 (input and output confirmed).
        assert m.checked == (RECHECKED if "5-2" in model_id else TODAY), model_id
        if model_id in batch_300k:
            assert m.max_output_batch == 300_000
            assert m.max_output_batch_beta == "output-300k-2026-03-24"
        else:
            assert m.max_output_batch is None
    assert pricing.resolve("opus-5.5").released == date(2026, 9, 22)
    assert pricing.resolve("haiku-5.5").released == date(2026, 10, 7)
    assert pricing.resolve("opus-4.8").min_cache_tokens == 1024


# ------------------------------------------------------------ Haiku 5.5 prompt-length tier (59)


def test_haiku_5_5_vectors_at_100000_and_100001(pricing):
    haiku = pricing.resolve("haiku-5.5")
    # 59: input 60,000 + cache read 40,000 = prompt 100,000: the lower row.
    #   60,000 x 0.10 = 6,000 + 40,000 x 0.01 = 400 + 1,000 x 0.50 = 500 -> 6,900 uUSD = $0.0069
    low = price_tokens(
        haiku,
        {"input": 60_000, "cache_read": 40_000, "output": 1_000},
        TODAY,
        batch=False,
        input_per_request=100_000,
    )
    assert sum(line.cost for line in low) == D("0.0069")
    # Prompt 100,001: the whole request, output included, at the higher row.
    #   60,001 x 0.50 = 30,000.5 + 40,000 x 0.05 = 2,000 + 1,000 x 2.50 = 2,500
    #   -> 34,500.5 uUSD = $0.0345005
    high = price_tokens(
        haiku,
        {"input": 60_001, "cache_read": 40_000, "output": 1_000},
        TODAY,
        batch=False,
        input_per_request=100_001,
    )
    assert sum(line.cost for line in high) == D("0.0345005")


def test_haiku_5_5_tier_through_estimate_and_warning(pricing):
    haiku = pricing.resolve("haiku-5.5")
    # One request, every prefix token read (no write): the same usage as the vectors.
    at = estimate(haiku, Workload(1, 40_000, 60_000, 1_000, cache_writes=0), TODAY)
    over = estimate(haiku, Workload(1, 40_000, 60_001, 1_000, cache_writes=0), TODAY)
    assert at.scenario("cache").total == D("0.0069")
    assert over.scenario("cache").total == D("0.0345005")
    # Batch halves the higher row too: 0.0345005 / 2
    assert over.scenario("batch_cache").total == D("0.01725025")
    # Standard at 100,001 uncached: 100,001 x 0.50 = 50,000.5 + 2,500 -> $0.0525005
    assert over.scenario("standard").total == D("0.0525005")
    assert not at.long_context and over.long_context
    assert "prompt_tier" not in [w.code for w in at.warnings]
    assert "prompt_tier" in [w.code for w in over.warnings]


def test_cache_range_and_break_even_use_the_row_in_force(pricing):
    haiku = pricing.resolve("haiku-5.5")
    # 100 requests, prompt 90,000 shared + 20,000 unique = 110,000 > 100,000: every request,
    # writer or reader, has the same prompt and pays the higher row.
    w = Workload(100, 90_000, 20_000, 0)
    a = analyze(haiku, w, limits=pricing.batch_limits, on=TODAY)
    best = a.cache_range[0]
    # input 100 x 20,000 = 2 MTok x 0.50 = 1.00; write 0.09 MTok x 0.625 = 0.05625;
    # reads 99 x 90,000 = 8.91 MTok x 0.05 = 0.4455; sum 1.50175; batched half = 0.750875
    assert (best.name, best.writes) == ("best", 1)
    assert best.cached_total == D("0.750875")
    # worst: 100 writes: 1.00 + 9 MTok x 0.625 = 5.625 -> 6.625, half 3.3125
    assert a.cache_range[-1].cached_total == D("3.3125")
    # break-even from the higher row: (0.625 - 0.50) / (0.625 - 0.05) = 0.125 / 0.575
    assert a.break_even_hit_rate == D("0.125") / D("0.575")
    assert request_rates(haiku, TODAY, 110_000).input == D("0.50")
    assert request_rates(haiku, TODAY, 100_000).input == D("0.10")


def test_break_even_and_stacked_rates_for_the_new_read_ratios(pricing):
    opus55 = pricing.resolve("opus-5.5").prices
    # (write - input) / (write - read) = (5 - 4) / (5 - 0.20) = 1 / 4.8
    assert break_even_hit_rate(opus55, "5m") == D(1) / D("4.8")
    # fewest requests: floor((5 - 0.20) / (4 - 0.20)) + 1 = floor(1.263...) + 1 = 2
    assert min_requests_for_caching(opus55, "5m") == 2
    fable51 = pricing.resolve("fable-5.1").prices
    # (12.50 - 10) / (12.50 - 0.25) = 2.5 / 12.25
    assert break_even_hit_rate(fable51, "5m") == D("2.5") / D("12.25")
    # 1h: (20 - 10) / (20 - 0.25) = 10 / 19.75
    assert break_even_hit_rate(fable51, "1h") == D(10) / D("19.75")
    # Stacked: batch + read as % of standard input.
    # Opus 5.5: 0.20 x 0.5 = 0.10 of 4 -> 2.5%; Fable 5.1: 0.125 of 10 -> 1.25%;
    # Sonnet 5.5 on 2026-11-25: 0.05 of 2 -> 2.5%, on 2026-10-01: 0.10 of 2 -> 5%.
    assert stacked_rate(pricing.resolve("opus-5.5"), TODAY).percent == D("2.5")
    assert stacked_rate(pricing.resolve("fable-5.1"), TODAY).percent == D("1.25")
    assert stacked_rate(pricing.resolve("sonnet-5.5"), TODAY).percent == D("2.5")
    assert stacked_rate(pricing.resolve("sonnet-5.5"), date(2026, 10, 1)).percent == 5
    assert stacked_rate(pricing.resolve("haiku-5.5"), TODAY).percent == 5


def test_ttl_advice_with_a_0_05x_read(pricing):
    a = analyze(pricing.resolve("opus-5.5"), SEED, limits=pricing.batch_limits, on=TODAY)
    # At 90% hits the 5m price per prefix token is 0.1 x 5 + 0.9 x 0.20 = 0.68; 1h matches it
    # at (8 - 0.68) / (8 - 0.20) = 7.32 / 7.8 hits.
    assert a.ttl_advice.hit_rate_for_1h_to_match == D("7.32") / D("7.8")


# ------------------------------------------------------------ dated prices (60)


def test_sonnet_5_5_cache_read_before_and_after_2026_10_07(pricing):
    sonnet = pricing.resolve("sonnet-5.5")
    # 2026-10-06 (last day at $0.20): the example job's cache = 0.20 + 799.92 x 0.20 = 160.184
    before = estimate(sonnet, SEED, date(2026, 10, 6))
    # 2026-10-07 (first day at $0.10): 0.20 + 799.92 x 0.10 = 80.192
    after = estimate(sonnet, SEED, date(2026, 10, 7))
    assert before.scenario("cache").total == D("160.184")
    assert before.scenario("batch_cache").total == D("80.092")
    assert after.scenario("cache").total == D("80.192")
    assert after.scenario("batch_cache").total == D("40.096")
    # The other classes did not change: standard is 800 x 2 on both dates.
    assert before.scenario("standard").total == after.scenario("standard").total == 1600


def test_sonnet_5_is_2_dollars_on_every_date(pricing):
    # 60: the announced $3 / $15 from 2026-09-01 was cancelled.
    sonnet5 = pricing.resolve("sonnet-5")
    for day in (date(2026, 7, 1), date(2026, 9, 1), TODAY):
        assert estimate(sonnet5, SEED, day).scenario("standard").total == 1600


def test_sonnet_5_5_dated_price_by_cli_date(cli):
    args = ("estimate", "--model", "sonnet-5.5", "--shared", "80k", "--requests", "10k")
    code, out, _ = cli(*args, "--date", "2026-10-01", "--format", "json")
    doc = json.loads(out)
    total = {s["name"]: s["total_usd"] for s in doc["scenarios"]}
    assert code == 0 and D(total["batch_cache"]) == D("80.092")
    code, out, _ = cli(*args, "--date", "2026-10-07", "--format", "json")
    total = {s["name"]: s["total_usd"] for s in json.loads(out)["scenarios"]}
    assert D(total["batch_cache"]) == D("40.096")


# ------------------------------------------------------------ fast mode dates (57, 61)


def test_opus_4_8_fast_mode_until_its_removal(pricing):
    opus48 = pricing.resolve("opus-4.8")
    fast = Modifiers(fast=True)
    # 57: $10 / $50; writes 1.25x = 12.50, reads 0.1x = 1.00 of the fast input.
    # standard: 800 x 10 = 8,000; cache: 0.08 x 12.5 = 1.00 + 799.92 x 1.00 -> 800.92
    est = estimate(opus48, SEED, date(2026, 11, 29), fast)
    assert est.scenario("standard").total == 8000
    assert est.scenario("cache").total == D("800.92")
    # Deprecated 2026-10-30: still priced, with a coded warning.
    assert "fast_mode_deprecated" in [w.code for w in est.warnings]
    ok = estimate(opus48, SEED, date(2026, 10, 1), fast)
    assert "fast_mode_deprecated" not in [w.code for w in ok.warnings]
    # Removed 2026-11-30: `speed: "fast"` is rejected, so it cannot be priced.
    with pytest.raises(WorkloadError, match="removed on 2026-11-30"):
        estimate(opus48, SEED, date(2026, 11, 30), fast)
    # Before the launch there was no fast mode either.
    with pytest.raises(WorkloadError, match="starts on 2026-05-28"):
        estimate(opus48, SEED, date(2026, 5, 1), fast)


def test_opus_5_5_fast_prices(pricing):
    # 57: $8 / $40; write 1.25 x 8 = 10; read 0.05 x 8 = 0.40.
    # cache: 0.08 x 10 = 0.80 + 799.92 x 0.40 = 319.968 -> 320.768
    est = estimate(pricing.resolve("opus-5.5"), SEED, TODAY, Modifiers(fast=True))
    assert est.scenario("standard").total == 6400
    assert est.scenario("cache").total == D("320.768")


# ------------------------------------------------------------ unconfirmed prices (56)


def test_unconfirmed_models_warn_when_used(pricing, cli):
    for name in ("fable-5.2", "mythos-5.2"):
        m = pricing.resolve(name)
        assert m.unconfirmed
        codes = [w.code for w in estimate(m, SEED, TODAY).warnings]
        assert codes.count("unconfirmed_price") == 1
    codes = [w.code for w in estimate(pricing.resolve("fable-5.1"), SEED, TODAY).warnings]
    assert "unconfirmed_price" not in codes
    code, out, _ = cli(
        "estimate",
        "--model",
        "fable-5.2",
        "--shared",
        "80k",
        "--requests",
        "10k",
        "--format",
        "json",
    )
    doc = json.loads(out)
    assert code == 0 and "unconfirmed_price" in doc["warning_codes"]
    assert any("not yet confirmed" in w for w in doc["warnings"])


# ------------------------------------------------------------ per-model data for issue 11


def test_image_tiers_and_tool_prompt_tokens(pricing):
    # 44: standard 1568 px / 1,568 tokens; high-res 2576 px / 4,784 tokens.
    assert pricing.image_tiers["standard"].max_long_edge == 1568
    assert pricing.image_tiers["standard"].max_tokens == 1568
    assert pricing.image_tiers["high_res"].max_long_edge == 2576
    assert pricing.image_tiers["high_res"].max_tokens == 4784
    for m in pricing.models:
        assert m.image_tier in pricing.image_tiers, m.id
    assert pricing.resolve("opus-4.7").image_tier == "high_res"
    assert pricing.resolve("opus-4.6").image_tier == "standard"
    assert pricing.resolve("haiku-4.5").image_tier == "standard"
    # 26: Opus 4.7 346 / 313 until the Opus 4.8 launch (2026-05-28), then 675 / 804.
    opus47 = pricing.resolve("opus-4.7")
    old = opus47.tool_prompt_tokens_on(date(2026, 5, 27))
    new = opus47.tool_prompt_tokens_on(date(2026, 5, 28))
    assert (old.auto_none, old.any_tool) == (346, 313)
    assert (new.auto_none, new.any_tool) == (675, 804)
    # 57: Opus 4.8 290 / 410; Sonnet 5 354 / 474; Opus 5.5 286 / not found; Sonnet 5.5 not found.
    t = pricing.resolve("opus-4.8").tool_prompt_tokens_on(TODAY)
    assert (t.auto_none, t.any_tool) == (290, 410)
    t = pricing.resolve("sonnet-5").tool_prompt_tokens_on(TODAY)
    assert (t.auto_none, t.any_tool) == (354, 474)
    t = pricing.resolve("opus-5.5").tool_prompt_tokens_on(TODAY)
    assert (t.auto_none, t.any_tool) == (286, None)
    t = pricing.resolve("sonnet-5.5").tool_prompt_tokens_on(TODAY)
    assert (t.auto_none, t.any_tool) == (None, None)
    # Haiku 3.5: 264 / 340 in the old table, 264 / 355 in the new.
    assert pricing.resolve("haiku-3.5").tool_prompt_tokens_on(TODAY).any_tool == 355


# ------------------------------------------------------------ listing and unknown names


def test_models_listing_has_status_sections_tiers_and_dated_prices(cli):
    code, out, _ = cli("models", "--date", "2026-11-25")
    assert code == 0
    active, legacy, retired = (
        out.index("Active"),
        out.index("Legacy (still served)"),
        out.index("Retired"),
    )
    assert active < out.index("Opus 5.5") < legacy < out.index("Opus 4.8") < retired
    assert out.index("Opus 4.1") > retired
    assert "Fable 5.2*" in out and "unconfirmed_price" in out
    assert "prompt > 100,000" in out and "2026-09-28 to" in out and "2026-10-06" in out
    assert "1.25%" in out and "2.5%" in out
    assert "until 2026-11-29" in out  # Opus 4.8's fast mode, last day

    code, out, _ = cli("models", "--format", "json", "--date", "2026-11-25")
    doc = {m["id"]: m for m in json.loads(out)["models"]}
    assert doc["claude-opus-4-8"]["status_group"] == "legacy"
    assert doc["claude-opus-4-1-20250805"]["status_group"] == "retired"
    assert doc["claude-fable-5-2"]["unconfirmed"] is True
    assert doc["claude-sonnet-5-5"]["dated_prices"][0]["prices_per_mtok"]["cache_read"] == "0.20"
    assert doc["claude-sonnet-5-5"]["prices_per_mtok"]["cache_read"] == "0.10"
    assert doc["claude-haiku-5-5"]["long_context"][0]["threshold"] == 100_000
    assert doc["claude-opus-4-8"]["fast_mode"]["effective_until"] == "2026-11-30"
    assert doc["claude-fable-5-1"]["batch_cache_read_pct_of_input"] == "1.25"

    code, out, _ = cli("models", "--format", "csv", "--date", "2026-10-01")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(out))}
    # On 2026-10-01 Sonnet 5.5's read is $0.20 (batch 0.10).
    assert D(rows["claude-sonnet-5-5"]["cache_read"]) == D("0.20")
    assert D(rows["claude-sonnet-5-5"]["batch_cache_read"]) == D("0.10")
    assert rows["claude-mythos-5-2"]["unconfirmed"] == "true"
    assert rows["claude-haiku-5-5"]["prompt_tiers"].startswith(">100000")
    assert rows["claude-opus-5-5"]["max_output_batch"] == "300000"


@pytest.mark.parametrize("name", ["claude-opus-6", "claude-sonnet-5-7", "fable-6"])
def test_unknown_newer_model_says_how_to_add_it(pricing, cli, name):
    with pytest.raises(UnknownModelError) as err:
        pricing.resolve(name)
    message = str(err.value)
    assert "checked 2026-12-06" in message and "--pricing FILE" in message
    code, _, stderr = cli("estimate", "--model", name, "--shared", "80k", "--requests", "10")
    assert code == 2 and "checked 2026-12-06" in stderr and stderr.count("\n") == 1


def test_dated_id_of_a_known_model_names_the_published_id(pricing):
    with pytest.raises(UnknownModelError) as err:
        pricing.resolve("claude-opus-4-7-20260416")
    assert err.value.suggestions == ["claude-opus-4-7"]
    assert "use --model claude-opus-4-7" in str(err.value)
    # A wrong date on a dated id names the published one.
    with pytest.raises(UnknownModelError) as err:
        pricing.resolve("claude-haiku-4-5-20251231")
    assert err.value.suggestions == ["claude-haiku-4-5-20251001"]


def test_unrelated_unknown_name_keeps_the_plain_message(pricing):
    with pytest.raises(UnknownModelError) as err:
        pricing.resolve("gpt-4")
    assert "checked" not in str(err.value)


def test_a_new_model_added_with_pricing_file(write_pricing, cli):
    # The fix the message names: a copy of the table with one more entry, passed with --pricing.
    entry = (
        "models:\n  claude-opus-6:\n    name: Claude Opus 6\n    status: active\n"
        "    tokenizer: claude-4.7\n"
        "    prices: {input: 5, cache_write_5m: 6.25, cache_write_1h: 10, cache_read: 0.50,"
        " output: 25}\n    batch: {input: 2.50, output: 12.50}\n    min_cache_tokens: 512\n"
        "    context_window: 1000000\n    max_output: 128000\n"
        "    source: https://example.com/pricing\n    checked: 2026-12-01\n"
    )
    path = write_pricing(lambda t: t.replace("models:\n", entry, 1))
    code, out, _ = cli(
        "estimate",
        "--model",
        "claude-opus-6",
        "--shared",
        "80k",
        "--requests",
        "10k",
        "--pricing",
        str(path),
    )
    assert code == 0 and "$200.23" in out


def test_genai_prices_diff_says_when_the_package_is_missing():
    # The maintainer's script imports genai-prices lazily; without it: one line and exit 2.
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parent.parent / ".ci" / "genai_prices_diff.py"
    probe = subprocess.run([sys.executable, "-c", "import genai_prices"], capture_output=True)
    if probe.returncode == 0:
        pytest.skip("genai-prices is installed here")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True)
    assert done.returncode == 2 and "genai-prices is not installed" in done.stderr


def test_results_price_each_haiku_5_5_request_on_its_own_row(pricing, tmp_path):
    # Two real-time results: prompts of 100,000 and 100,001 tokens; Haiku 5.5 moves a prompt
    # of over 100,000 tokens to its higher row
    # (https://platform.claude.com/docs/en/about-claude/pricing), priced each on its own row:
    # $0.0069 + $0.0345005 = $0.0414005. Averaging them would put both in one row.
    from costcalc.compute.actual import read_results

    def item(custom_id, input_tokens):
        usage = {
            "input_tokens": input_tokens,
            "cache_creation_input_tokens": 0,
            "cache_read_input_tokens": 40_000,
            "output_tokens": 1_000,
        }
        message = {"model": "claude-haiku-5-5", "usage": usage}
        return {"custom_id": custom_id, "result": {"type": "succeeded", "message": message}}

    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(i) + "\n" for i in (item("a", 60_000), item("b", 60_001))))
    report = read_results(path, pricing, TODAY, batch=False)
    assert report.total == D("0.0414005")
    # Batched: half of each row, 0.00345 + 0.01725025 = 0.02070025
    assert read_results(path, pricing, TODAY, batch=True).total == D("0.02070025")


def test_estimated_prompt_straddling_the_haiku_threshold_warns(pricing):
    from costcalc.tokens.count import Band, TokenSource

    # Shared prefix estimated at 90,000-110,000 tokens (central 95,000): the low end pays the
    # lower row, the high end the higher one, so the estimate says which row is uncertain.
    tokens = TokenSource(
        "estimate", "claude-4.7", Band(90_000, 95_000, 110_000), None, None, 0, None, None
    )
    w = Workload(10, 95_000)
    a = analyze(
        pricing.resolve("haiku-5.5"), w, limits=pricing.batch_limits, on=TODAY, tokens=tokens
    )
    assert "prompt_tier_band" in [x.code for x in a.warnings]
    # 10 x 110,000 = 1.1 MTok at the higher row's 0.50 = 0.55 standard at the high end;
    # 10 x 90,000 = 0.9 MTok x 0.10 = 0.09 at the low end.
    band = {name: (low, high) for name, low, high in a.cost_band}
    assert band["standard"] == (D("0.09"), D("0.55"))
