"""Each pricing model is declared once. Where pricing.yaml and the run time hold the same shape,
the schema validates the runtime dataclasses of costcalc.prices.model in place (their fields,
descriptions and constraints are declared there, as pydantic-free markers that
costcalc.prices.schema resolves); ModelEntry, PricingFile, Tokenizer and TokenOverheads are
file-format models."""

from __future__ import annotations

import copy
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

import costcalc.prices.model as pricing
from costcalc.errors import PricingError
from costcalc.prices import schema
from costcalc.prices.load import decimal_loader, load_pricing

REPO = Path(__file__).resolve().parent.parent
FILE = Path("edited.yaml")


@pytest.fixture(scope="module")
def bundled():
    return yaml.load((REPO / "pricing.yaml").read_text(encoding="utf-8"), Loader=decimal_loader())


def field_type(model, name):
    return model.model_fields[name].annotation


def test_the_schema_validates_the_runtime_types():
    assert field_type(schema.ModelEntry, "prices") is pricing.Rates
    assert field_type(schema.ModelEntry, "dated_prices") == list[pricing.DatedRates]
    assert field_type(schema.ModelEntry, "long_context") == list[pricing.LongContextTier]
    tool_prompt = field_type(schema.ModelEntry, "tool_use_system_prompt")
    assert tool_prompt == list[pricing.ToolPromptTokens]
    tools = field_type(schema.TokenOverheads, "server_tools")
    assert tools == dict[str, list[pricing.ToolOverhead]]
    # Subclasses where the schema adds a check over the runtime fields, or a validating
    # constructor; the runtime ImageTier is the file's limits plus the name it is filed under.
    assert issubclass(field_type(schema.TokenOverheads, "pdf_page"), pricing.PdfPage)
    assert issubclass(schema.Rates, pricing.Rates) and issubclass(schema.FastRates, pricing.Rates)
    assert field_type(schema.PricingFile, "image_tiers") == dict[str, pricing.ImageLimits]
    assert issubclass(pricing.ImageTier, pricing.ImageLimits)


def test_validation_builds_runtime_objects(bundled):
    doc = schema.PricingFile.model_validate(bundled)
    haiku = doc.models["claude-haiku-5-5"]
    # Haiku 5.5's higher row is for prompts over 100,000 tokens, at $0.50 input
    # (https://platform.claude.com/docs/en/about-claude/pricing).
    (tier,) = haiku.long_context
    assert type(tier) is pricing.LongContextTier and type(tier.prices) is pricing.Rates
    assert tier.threshold == 100000 and tier.prices.input == Decimal("0.50")
    # https://platform.claude.com/docs/en/about-claude/pricing (as quoted 2026-10-08):
    # 286 tokens with tool_choice auto/none, 406 with any/tool.
    (tools,) = haiku.tool_use_system_prompt
    assert tools == pricing.ToolPromptTokens(auto_none=286, any_tool=406)
    assert isinstance(doc.token_overheads.pdf_page, pricing.PdfPage)
    assert type(doc.image_tiers["standard"]) is pricing.ImageLimits
    # The standard tier resizes past 1568 px on the long edge
    # (https://platform.claude.com/docs/en/build-with-claude/vision).
    assert doc.image_tiers["standard"].max_long_edge == 1568


def edited(raw, path, value):
    """`raw` with the value at `path` (keys and list indexes) replaced, or deleted if None."""
    raw = copy.deepcopy(raw)
    *parents, last = path
    node = raw
    for key in parents:
        node = node[key]
    if value is None:
        del node[last]
    else:
        node[last] = value
    return raw


@pytest.mark.parametrize(
    "path, value, expected",
    [
        (
            ("models", "claude-haiku-5-5", "long_context", 0, "threshold"),
            0,
            "models.claude-haiku-5-5.long_context.0.threshold: must be above 0, got 0",
        ),
        (
            ("models", "claude-haiku-5-5", "long_context", 0, "max_input_tokens"),
            -1,
            "models.claude-haiku-5-5.long_context.0.max_input_tokens: must be above 0, got -1",
        ),
        (
            ("models", "claude-haiku-5-5", "long_context", 0, "prices", "output"),
            2.5,
            "models.claude-haiku-5-5.long_context.0.prices.output: prices must be exact",
        ),
        (
            ("models", "claude-haiku-5-5", "long_context", 0, "treshold"),
            1,
            "models.claude-haiku-5-5.long_context.0.treshold: not a known key here; check its "
            "spelling",
        ),
        (
            ("models", "claude-haiku-5-5", "tool_use_system_prompt", 0, "any_tool"),
            -406,
            "models.claude-haiku-5-5.tool_use_system_prompt.0.any_tool: must be at least 0, got "
            "-406",
        ),
        (
            ("models", "claude-haiku-5-5", "tool_use_system_prompt", 0, "auto_none"),
            None,
            "models.claude-haiku-5-5.tool_use_system_prompt.0.auto_none: required, but missing",
        ),
        (
            ("models", "claude-sonnet-5-5", "dated_prices", 0, "effective_from"),
            "someday",
            "models.claude-sonnet-5-5.dated_prices.0.effective_from: expected a date (YYYY-MM-DD), "
            "got 'someday'",
        ),
        (
            ("token_overheads", "server_tools", "bash", 0, "tokens"),
            {},
            "token_overheads.server_tools.bash.0.tokens: must not be empty",
        ),
        (
            ("token_overheads", "server_tools", "bash", 0, "per_definition"),
            -1,
            "token_overheads.server_tools.bash.0.per_definition: must be at least 0, got -1",
        ),
        (
            ("token_overheads", "pdf_page", "low"),
            5000,
            "token_overheads.pdf_page: need low <= central <= high",
        ),
        (
            ("token_overheads", "pdf_page", "max_pages"),
            0,
            "token_overheads.pdf_page.max_pages: must be above 0, got 0",
        ),
        (
            ("image_tiers", "standard", "max_tokens"),
            0,
            "image_tiers.standard.max_tokens: must be above 0, got 0",
        ),
        (
            ("image_tiers", "standard", "name"),
            "standard",
            "image_tiers.standard.name: not a known key here; check its spelling",
        ),
    ],
)
def test_errors_name_the_file_entry_and_field(bundled, path, value, expected):
    with pytest.raises(schema.SchemaError) as err:
        schema.validate(edited(bundled, path, value), FILE)
    assert str(err.value).startswith(f"{FILE}: {expected}")


def test_a_broken_runtime_field_in_a_file_is_reported_as_a_pricing_error(write_pricing):
    path = write_pricing(lambda t: t.replace("    low: 1600\n", "    low: 0\n", 1))
    with pytest.raises(PricingError) as err:
        load_pricing(path)
    assert str(err.value) == f"{path}: token_overheads.pdf_page.low: must be above 0, got 0"


def test_the_markers_reach_the_json_schema():
    defs = schema.json_schema()["$defs"]
    tier = defs["LongContextTier"]
    assert set(tier["required"]) == {"threshold", "prices"}
    assert tier["properties"]["threshold"]["exclusiveMinimum"] == 0
    assert tier["properties"]["threshold"]["description"].startswith("Total input tokens")
    assert tier["additionalProperties"] is False
    tokens = defs["ToolOverhead"]["properties"]["tokens"]
    assert tokens["minProperties"] == 1 and tokens["additionalProperties"]["minimum"] == 0
    any_tool = defs["ToolPromptTokens"]["properties"]["any_tool"]
    assert {"minimum": 0, "type": "integer"} in any_tool["anyOf"]
    assert set(defs["ImageLimits"]["required"]) == {"max_long_edge", "max_tokens"}


def test_rates_are_validated_over_the_runtime_type():
    from pydantic import TypeAdapter

    from costcalc.prices.schema import PricingFile, Rates

    assert issubclass(Rates, pricing.Rates)
    # Opus 4.7's row (pricing page): $5 input, $6.25 5m write, $10 1h write, $0.50 read, $25.
    row = {"input": "5", "cache_write_5m": "6.25", "cache_write_1h": "10", "cache_read": "0.50"}
    row["output"] = "25"
    rates = TypeAdapter(Rates).validate_python(row)
    assert isinstance(rates, pricing.Rates) and rates.cache_read == Decimal("0.50")
    with pytest.raises(Exception, match="Unexpected keyword argument"):
        TypeAdapter(Rates).validate_python({**row, "cache_write_2h": "1"})
    with pytest.raises(Exception, match="not floats"):
        TypeAdapter(Rates).validate_python({**row, "output": 25.0})
    assert "Rates" in PricingFile.model_json_schema()["$defs"]
