"""pricing.yaml against Anthropic's published price table, aliases, and the errors a broken
file gets."""

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest

from costcalc.errors import PricingError, UnknownModelError
from costcalc.prices.load import (
    DIGEST_PATH,
    SCHEMA_PATH,
    SNAPSHOT_PATH,
    bundled_pricing_path,
    load_pricing,
)
from costcalc.prices.schema import digest, json_schema

REPO = Path(__file__).resolve().parent.parent


# Transcribed by hand from Anthropic's pricing page
# (https://platform.claude.com/docs/en/about-claude/pricing; the Oct 2025 copy at
# https://docs.claude.com/en/docs/about-claude/pricing for the older models) and the models'
# overview pages (https://platform.claude.com/docs/en/models/<id>/overview):
# id: (input, 5m write, 1h write, cache read, output, batch in, batch out)
FACT_SHEET = {
    "claude-opus-4-7": ("5", "6.25", "10", "0.50", "25", "2.50", "12.50"),
    "claude-opus-4-6": ("5", "6.25", "10", "0.50", "25", "2.50", "12.50"),
    "claude-opus-4-5-20251101": ("5", "6.25", "10", "0.50", "25", "2.50", "12.50"),
    "claude-opus-4-1-20250805": ("15", "18.75", "30", "1.50", "75", "7.50", "37.50"),
    "claude-opus-4-20250514": ("15", "18.75", "30", "1.50", "75", "7.50", "37.50"),
    "claude-sonnet-4-6": ("3", "3.75", "6", "0.30", "15", "1.50", "7.50"),
    "claude-sonnet-4-5-20250929": ("3", "3.75", "6", "0.30", "15", "1.50", "7.50"),
    "claude-sonnet-4-20250514": ("3", "3.75", "6", "0.30", "15", "1.50", "7.50"),
    "claude-3-7-sonnet-20250219": ("3", "3.75", "6", "0.30", "15", "1.50", "7.50"),
    "claude-haiku-4-5-20251001": ("1", "1.25", "2", "0.10", "5", "0.50", "2.50"),
    "claude-3-5-haiku-20241022": ("0.80", "1", "1.6", "0.08", "4", "0.40", "2"),
    "claude-3-haiku-20240307": ("0.25", "0.30", "0.50", "0.03", "1.25", "0.125", "0.625"),
    "claude-3-opus-20240229": ("15", "18.75", "30", "1.50", "75", "7.50", "37.50"),
    "claude-3-5-sonnet-20241022": ("3", "3.75", "6", "0.30", "15", "1.50", "7.50"),
    "claude-3-5-sonnet-20240620": ("3", "3.75", "6", "0.30", "15", "1.50", "7.50"),
    "claude-opus-4-8": ("5", "6.25", "10", "0.50", "25", "2.50", "12.50"),
    "claude-opus-5": ("5", "6.25", "10", "0.50", "25", "2.50", "12.50"),
    # Models released from May 2026, read on the pricing page and the models' overview pages
    # on 2026-11-25. Sonnet 5.5: its cache read dropped from $0.20 to $0.10 on 2026-10-07 (the
    # newer row); Haiku 5.5: the row for prompts up to 100,000 tokens; Fable/Mythos 5.2: input
    # and output from Anthropic's release note of 2026-11-09
    # (https://platform.claude.com/docs/ja/release-notes/overview.md), the cache and batch
    # prices from third parties only (flagged unconfirmed).
    "claude-opus-5-5": ("4", "5", "8", "0.20", "20", "2", "10"),
    "claude-sonnet-5": ("2", "2.50", "4", "0.20", "10", "1", "5"),
    "claude-sonnet-5-5": ("2", "2.50", "4", "0.10", "10", "1", "5"),
    "claude-fable-5": ("10", "12.50", "20", "1", "50", "5", "25"),
    "claude-mythos-5": ("10", "12.50", "20", "1", "50", "5", "25"),
    "claude-fable-5-1": ("10", "12.50", "20", "0.25", "50", "5", "25"),
    "claude-mythos-5-1": ("10", "12.50", "20", "0.25", "50", "5", "25"),
    "claude-haiku-5-5": ("0.10", "0.125", "0.20", "0.01", "0.50", "0.05", "0.25"),
    "claude-fable-5-2": ("8", "10", "16", "0.20", "40", "4", "20"),
    "claude-mythos-5-2": ("8", "10", "16", "0.20", "40", "4", "20"),
}

# Minimum cacheable prompt length per model
# (https://platform.claude.com/docs/en/build-with-claude/prompt-caching); where the page changed
# over time, its newest value.
MIN_CACHE = {
    "claude-opus-4-7": 2048,
    "claude-opus-4-6": 4096,
    "claude-opus-4-5-20251101": 4096,
    "claude-sonnet-4-6": 1024,
    "claude-haiku-4-5-20251001": 4096,
    "claude-sonnet-4-5-20250929": 1024,
    "claude-opus-4-1-20250805": 1024,
    "claude-opus-4-20250514": 1024,
    "claude-sonnet-4-20250514": 1024,
    "claude-3-7-sonnet-20250219": 1024,
    "claude-3-5-sonnet-20241022": 1024,
    "claude-3-5-sonnet-20240620": 1024,
    "claude-3-opus-20240229": 1024,
    "claude-3-5-haiku-20241022": 2048,
    "claude-3-haiku-20240307": 2048,
    "claude-opus-4-8": 1024,
    "claude-opus-5": 512,
    # Models released from May 2026 (prompt-caching page, 2026-09 to 2026-10 copies); no page
    # gives Fable/Mythos 5.2's minimum: 512 as the family (flagged unconfirmed).
    "claude-opus-5-5": 512,
    "claude-sonnet-5": 1024,
    "claude-sonnet-5-5": 512,
    "claude-fable-5": 512,
    "claude-mythos-5": 512,
    "claude-fable-5-1": 512,
    "claude-mythos-5-1": 512,
    "claude-haiku-5-5": 512,
    "claude-fable-5-2": 512,
    "claude-mythos-5-2": 512,
}


def test_every_fact_sheet_model_is_present_with_table_values(pricing):
    assert {m.id for m in pricing.models} == set(FACT_SHEET)
    for model_id, row in FACT_SHEET.items():
        m = pricing.resolve(model_id)
        p = m.prices
        assert (p.input, p.cache_write_5m, p.cache_write_1h, p.cache_read, p.output) == tuple(
            D(v) for v in row[:5]
        ), model_id
        assert m.batch_multiplier == D("0.5")
        assert (p.input * m.batch_multiplier, p.output * m.batch_multiplier) == (
            D(row[5]),
            D(row[6]),
        ), model_id


def test_prices_are_decimals_never_floats(pricing):
    for m in pricing.models:
        for value in vars(m.prices).values():
            assert type(value) is D


def test_haiku_3_keeps_its_odd_table_values(pricing):
    p = pricing.resolve("haiku-3").prices
    assert p.cache_write_5m == D("0.30")  # 1.2x base, not 1.25x (0.3125)
    assert p.cache_read == D("0.03")  # 0.12x base, not 0.1x (0.025)
    assert p.cache_write_1h == D("0.50")  # litellm's $6 is wrong


def test_cache_minimums_are_the_newest_published(pricing):
    for model_id, minimum in MIN_CACHE.items():
        assert pricing.resolve(model_id).min_cache_tokens == minimum, model_id


def test_limits_from_section_9(pricing):
    assert (pricing.resolve("opus-4.7").context_window, pricing.resolve("opus-4.7").max_output) == (
        1_000_000,
        128_000,
    )
    assert pricing.resolve("haiku-4.5").context_window == 200_000
    assert pricing.resolve("haiku-4.5").max_output == 64_000
    assert pricing.resolve("opus-4.1").max_output == 32_000
    assert pricing.resolve("sonnet-3.7").context_window is None  # not in our sources


@pytest.mark.parametrize(
    "name, model_id",
    [
        ("opus-4.7", "claude-opus-4-7"),
        ("opus-4-7", "claude-opus-4-7"),
        ("claude-opus-4-7", "claude-opus-4-7"),
        ("OPUS-4.7", "claude-opus-4-7"),
        (" opus-4.7 ", "claude-opus-4-7"),
        ("claude-haiku-4-5-20251001", "claude-haiku-4-5-20251001"),
        ("claude-haiku-4-5", "claude-haiku-4-5-20251001"),
        ("haiku-4.5", "claude-haiku-4-5-20251001"),
        ("anthropic.claude-haiku-4-5-20251001-v1:0", "claude-haiku-4-5-20251001"),
        ("claude-haiku-4-5@20251001", "claude-haiku-4-5-20251001"),
        ("sonnet-4.6", "claude-sonnet-4-6"),
        ("claude-sonnet-4-5", "claude-sonnet-4-5-20250929"),
        ("claude-opus-4-5", "claude-opus-4-5-20251101"),
        ("claude-opus-4-0", "claude-opus-4-20250514"),
        ("claude-4-sonnet-20250514", "claude-sonnet-4-20250514"),
        ("claude-3-7-sonnet-latest", "claude-3-7-sonnet-20250219"),
        ("claude-3-5-haiku-latest", "claude-3-5-haiku-20241022"),
        ("claude-3-opus-latest", "claude-3-opus-20240229"),
        ("opus-5", "claude-opus-5"),
        ("opus-4.8", "claude-opus-4-8"),
    ],
)
def test_aliases_resolve(pricing, name, model_id):
    assert pricing.resolve(name).id == model_id


def test_every_alias_resolves_to_its_own_model(pricing):
    for m in pricing.models:
        for name in (m.id, *m.aliases):
            assert pricing.resolve(name) is m


def test_unknown_model_suggests_close_names(pricing):
    with pytest.raises(UnknownModelError) as err:
        pricing.resolve("opus-4.9")
    assert "opus-4.8" in err.value.suggestions
    assert "did you mean" in str(err.value)
    with pytest.raises(UnknownModelError) as err:
        pricing.resolve("sonet-4.6")
    assert err.value.suggestions[0] == "sonnet-4.6"


def test_unknown_model_far_from_everything_has_no_suggestion(pricing):
    with pytest.raises(UnknownModelError) as err:
        pricing.resolve("gpt-4o")
    assert err.value.suggestions == []


def test_retired_models_are_not_current(pricing):
    today = date(2026, 11, 24)
    assert not pricing.resolve("opus-4.1").is_current(today)
    assert pricing.resolve("opus-4.7").is_current(today)


def test_bundled_digest_and_schema_are_current():
    # The bundled file skips pydantic only while its bytes match the digest of content that
    # passed validation; refresh both with `python -m costcalc.prices.schema --refresh`.
    load_pricing(trust_digest=False)
    assert DIGEST_PATH.read_text().strip() == digest((REPO / "pricing.yaml").read_bytes()), (
        "pricing.yaml changed: run python -m costcalc.prices.schema --refresh"
    )
    assert json.loads(SCHEMA_PATH.read_text()) == json_schema(), (
        "schema models changed: run python -m costcalc.prices.schema --refresh"
    )


def test_fast_path_and_validated_path_agree():
    fast = load_pricing()
    slow = load_pricing(trust_digest=False)
    assert fast.models == slow.models
    assert fast.tokenizers == slow.tokenizers and fast.image_tiers == slow.image_tiers
    assert fast.batch_limits == slow.batch_limits
    assert fast.web_search_per_1000 == slow.web_search_per_1000


def test_snapshot_is_current_and_used_only_for_its_content(write_pricing):
    snapshot = json.loads(SNAPSHOT_PATH.read_text())
    assert snapshot["sha256"] == digest((REPO / "pricing.yaml").read_bytes()), (
        "pricing.yaml changed: run python -m costcalc.prices.schema --refresh"
    )
    # An edited file never takes its data from the snapshot.
    path = write_pricing(lambda t: t.replace("name: Claude Opus 5.5", "name: Edited", 1))
    assert load_pricing(path).resolve("opus-5.5").name == "Edited"


def test_an_edited_file_is_validated(write_pricing):
    path = write_pricing(lambda t: t.replace("cache_write_1h: 10,", "cache_write_1h: -10,", 1))
    with pytest.raises(PricingError) as err:
        load_pricing(path)
    message = str(err.value)
    assert str(path) in message
    assert "models.claude-opus-5.prices.cache_write_1h" in message
    assert "cache_write_1h: must be above 0, got -10" in message


@pytest.mark.parametrize(
    "edit, expected",
    [
        (
            lambda t: t.replace("output: 25}", "}", 1),
            "models.claude-opus-5.prices.output: required, but missing",
        ),
        (lambda t: t.replace("input: 5,", "input: five,", 1), "models.claude-opus-5.prices.input"),
        (
            lambda t: t.replace("min_cache_tokens: 512", "min_cache_tokens: 0"),
            "models.claude-opus-5-5.min_cache_tokens",
        ),
        (
            lambda t: t.replace("status: active", "status: alive", 1),
            "models.claude-opus-5-5.status",
        ),
        (
            lambda t: t.replace("    note: Pricing page, Oct 2025 version.\n", "    notes: x\n", 1),
            ".notes: not a known key here; check its spelling",
        ),
        (
            lambda t: t.replace(
                "batch: {input: 2.50, output: 12.50}", "batch: {input: 2.25, output: 12.50}", 1
            ),
            "models.claude-opus-5.batch.input: 2.25 is not prices.input x batch_discount",
        ),
        (
            lambda t: t.replace("aliases: [opus-4.8,", "aliases: [opus-4.7,", 1),
            "'opus-4.7' is already a name of",
        ),
        (
            lambda t: t.replace("tokenizer: claude-4.7", "tokenizer: gpt", 1),
            "unknown tokenizer 'gpt'",
        ),
        (lambda t: t.replace("input: 5,", "input: .inf,", 1), "models.claude-opus-5.prices.input"),
    ],
)
def test_broken_files_name_the_entry_and_field(write_pricing, edit, expected):
    path = write_pricing(edit)
    with pytest.raises(PricingError) as err:
        load_pricing(path)
    assert expected in str(err.value)
    assert str(path) in str(err.value)
    assert "\n" not in str(err.value)


def test_yaml_syntax_error_names_the_line(write_pricing):
    path = write_pricing(lambda t: t.replace("models:\n", "models:\n  - [unclosed\n", 1))
    with pytest.raises(PricingError, match=r"line \d+: not valid YAML"):
        load_pricing(path)


def test_missing_and_non_mapping_files(tmp_path):
    with pytest.raises(PricingError, match="not found"):
        load_pricing(tmp_path / "nope.yaml")
    (tmp_path / "list.yaml").write_text("- 1\n")
    with pytest.raises(PricingError, match="expected a mapping"):
        load_pricing(tmp_path / "list.yaml")


def test_floats_are_refused_from_the_python_api():
    from costcalc.prices.schema import Rates

    with pytest.raises(Exception, match="not floats"):
        Rates(input=0.1, cache_write_5m="1", cache_write_1h="1", cache_read="1", output="1")


def test_packaged_layout_finds_pricing_inside_the_package(tmp_path):
    # As in a wheel: pricing.yaml beside the modules, no repo around it.
    import shutil

    site = tmp_path / "site"
    shutil.copytree(
        REPO / "costcalc", site / "costcalc", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copy(REPO / "pricing.yaml", site / "costcalc" / "pricing.yaml")
    code = (
        f"import sys; sys.path.insert(0, {str(site)!r});"
        "from costcalc.prices.load import bundled_pricing_path, load_pricing;"
        "print(bundled_pricing_path()); print(load_pricing().resolve('opus-4.7').prices.input)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == [str(site / "costcalc" / "pricing.yaml"), "5"]
    assert bundled_pricing_path() == REPO / "pricing.yaml"


def test_a_zero_price_is_refused(write_pricing, cli):
    # A free token class would make every figure built on it $0 and pass any budget.
    zero = "prices: {input: 0, cache_write_5m: 0, cache_write_1h: 0, cache_read: 0, output: 0}"
    path = write_pricing(
        lambda t: t.replace(
            "prices: {input: 5, cache_write_5m: 6.25, cache_write_1h: 10, cache_read: 0.50, "
            "output: 25}",
            zero,
            1,
        ).replace("batch: {input: 2.50, output: 12.50}", "batch: {input: 0, output: 0}", 1)
    )
    assert zero in path.read_text()
    code, out, err = cli(
        "estimate",
        "--model",
        "opus-5",
        "--shared",
        "80k",
        "--requests",
        "10k",
        "--pricing",
        str(path),
        "--budget",
        "1",
    )
    assert code == 2 and out == ""
    assert "must be above 0, got 0" in err and "Traceback" not in err
