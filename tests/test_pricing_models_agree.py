"""The pricing models are still declared twice (runtime dataclasses in pricing.py, pydantic
models in schema.py; issue 13 part A did not unify them). Until they are, the fields of the
types that have the same shape in both must agree, so a field added to one is not lost by the
other."""

from __future__ import annotations

import dataclasses

import pytest

from costcalc import pricing, schema

# Runtime-only fields that are not in the YAML: the key an entry is filed under.
SAME_SHAPE = {
    "Rates": set(),
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
