"""Rates is declared once (pricing.py) and validated by pydantic over that runtime type; the
other pricing models are still declared twice (runtime dataclasses in pricing.py, pydantic
models in schema.py). Until they are unified too, the fields of the types that have the same
shape in both must agree, so a field added to one is not lost by the other."""

from __future__ import annotations

import dataclasses

import pytest

from costcalc import pricing, schema

# Runtime-only fields that are not in the YAML: the key an entry is filed under.
SAME_SHAPE = {
    "LongContextTier": set(),
    "DatedRates": set(),
    "ToolPromptTokens": set(),
    "ToolOverhead": set(),
    "PdfPage": set(),
    "ImageTier": {"name"},
}


@pytest.mark.parametrize("name", sorted(SAME_SHAPE))
def test_runtime_and_schema_fields_agree(name):
    runtime = {f.name for f in dataclasses.fields(getattr(pricing, name))}
    validated = set(getattr(schema, name).model_fields)
    assert runtime - SAME_SHAPE[name] == validated


def test_rates_are_validated_over_the_runtime_type():
    from decimal import Decimal

    from pydantic import TypeAdapter

    from costcalc.schema import PricingFile, Rates

    assert issubclass(Rates, pricing.Rates)
    # Opus 4.7's row (facts section 1): $5 input, $6.25 5m write, $10 1h write, $0.50 read, $25.
    row = {"input": "5", "cache_write_5m": "6.25", "cache_write_1h": "10", "cache_read": "0.50"}
    row["output"] = "25"
    rates = TypeAdapter(Rates).validate_python(row)
    assert isinstance(rates, pricing.Rates) and rates.cache_read == Decimal("0.50")
    with pytest.raises(Exception, match="Unexpected keyword argument"):
        TypeAdapter(Rates).validate_python({**row, "cache_write_2h": "1"})
    with pytest.raises(Exception, match="not floats"):
        TypeAdapter(Rates).validate_python({**row, "output": 25.0})
    assert "Rates" in PricingFile.model_json_schema()["$defs"]
