"""The schema of pricing.yaml as pydantic models: validation, and the JSON Schema for editors.

Kept apart from `pricing` because importing pydantic's model machinery costs more than the whole
`estimate` command is allowed to take; it is imported only when a file has to be validated
(any --pricing file, and the bundled file whenever its content differs from the validated digest).

Maintenance (after editing pricing.yaml or these models):
    python -m costcalc.prices.refresh
rewrites costcalc/pricing.schema.json, costcalc/pricing.sha256 and costcalc/pricing.snapshot.json
(the validated data as JSON, which the bundled file loads from while the digest matches).

Each pricing model is declared once. Where the file and the run time hold the same shape (Rates,
LongContextTier, DatedRates, ToolPromptTokens, ToolOverhead, PdfPage, an image tier's limits),
the models here ARE the runtime dataclasses of costcalc.prices.model, validated by pydantic in
place: their fields, descriptions and constraints are declared there, as pydantic-free markers
(model.Price, model.Rule) that this module resolves. ModelEntry, PricingFile, Tokenizer and
TokenOverheads stay models of their own because they describe the file format, not the runtime
objects: an entry has a `batch` table (checked against the discount), alias lists, and tables
keyed by name, where pricing.ModelPrice has its id, the batch multiplier and resolved tuples;
load_pricing builds the runtime objects from the validated data.
"""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    PositiveInt,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic.dataclasses import dataclass as pydantic_dataclass

import costcalc.prices.model as pricing
from costcalc.errors import CodedValueError
from costcalc.fieldproblems import field_problem


def _no_float(value: Any) -> Any:
    # A float has already lost the exact price (0.1 is not 0.1); refuse it rather than round it.
    if isinstance(value, float):
        raise CodedValueError("price_is_float")
    return value


Money = Annotated[
    Decimal,
    BeforeValidator(_no_float),
    # Above zero: no Claude token class is free, and a zero price would make every figure
    # built on it $0 and pass any budget (fail closed).
    Field(gt=0, allow_inf_nan=False),
    # Stated by hand: pydantic's generated form for a wrapped Decimal is not valid JSON Schema.
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "exclusiveMinimum": 0},
                {"type": "string", "pattern": r"^(?!0+(\.0+)?$)[0-9]+(\.[0-9]+)?$"},
            ],
            "description": "USD per million tokens (above zero), written as a plain decimal",
        }
    ),
]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def price_core_schema(handler: GetCoreSchemaHandler) -> Any:
    """What a price field of the runtime types (prices.model, marked Price) validates as."""
    return handler.generate_schema(Money)


# What each rule the runtime types mark their fields with (costcalc.prices.model.Rule) means.
_RULES: dict[type[pricing.Rule], Any] = {
    pricing.Positive: Field(gt=0),
    pricing.NotNegative: Field(ge=0),
    pricing.NotEmpty: Field(min_length=1),
}


def rule_core_schema(rule: pricing.Rule, source: Any, handler: GetCoreSchemaHandler) -> Any:
    """What a field of the runtime types marked with `rule` validates as: `source` constrained
    by the rule; on `X | None`, X is constrained and None stays allowed."""
    constraint = _RULES[type(rule)]
    args = get_args(source)
    if type(None) in args:
        (value,) = (a for a in args if a is not type(None))
        return handler.generate_schema(Annotated[value, constraint] | None)
    return handler.generate_schema(Annotated[source, constraint])


pricing.VALIDATION.update(rule=rule_core_schema, price=price_core_schema)


# The runtime type, validated on construction (no floats) for callers of the Python API.
@pydantic_dataclass(frozen=True)
class Rates(pricing.Rates):
    """USD per million tokens for each token class."""


class BatchTable(_Strict):
    """The published batch prices; checked against prices x batch_discount."""

    input: Money
    output: Money


@pydantic_dataclass(frozen=True)
class FastRates(Rates):
    """Fast-mode prices (real-time only) and the dates fast mode is offered."""

    effective_from: date | None = Field(None, description="First day fast mode is offered")
    deprecated: date | None = Field(None, description="Day fast mode was deprecated")
    effective_until: date | None = Field(
        None, description="First day `speed: fast` is rejected (fast mode removed)"
    )


class ModelEntry(_Strict):
    """One Claude model: identity, status, prices and limits."""

    name: str = Field(description="Display name, e.g. 'Claude Opus 4.7'")
    aliases: list[str] = Field(default_factory=list, description="Other accepted names")
    status: Literal["active", "legacy", "deprecated", "retired"]
    released: date | None = None
    deprecated: date | None = None
    retired: date | None = None
    tokenizer: str = Field(description="Key into the top-level tokenizers table")
    prices: pricing.Rates
    dated_prices: list[pricing.DatedRates] = Field(
        default_factory=list, description="Prices that applied (or apply) only between dates"
    )
    unconfirmed: bool | list[Literal["input", "output", "cache", "batch", "fast"]] = Field(
        False,
        description="Prices not yet confirmed by Anthropic's pages (true: all of them; a list: "
        "those groups, cache = cache writes and reads); warn when used",
    )
    batch: BatchTable
    min_cache_tokens: PositiveInt = Field(description="Shortest prefix that is cached")
    context_window: PositiveInt | None = Field(description="Input tokens; null if unknown")
    max_output: PositiveInt | None = Field(description="Output tokens; null if unknown")
    max_output_batch: PositiveInt | None = Field(
        None, description="Output tokens on Message Batches with max_output_batch_beta"
    )
    max_output_batch_beta: str | None = Field(None, description="Beta header for it")
    image_tier: str | None = Field(None, description="Key into the top-level image_tiers table")
    tool_use_system_prompt: list[pricing.ToolPromptTokens] = Field(default_factory=list)
    long_context: list[pricing.LongContextTier] = Field(default_factory=list)
    us_inference_multiplier: Money | None = Field(
        None, description="Factor on every class for US-only inference; absent if unsupported"
    )
    fast: FastRates | None = Field(None, description="Fast-mode prices; absent if unavailable")
    source: str = Field(pattern=r"^https://", description="Where the prices were published")
    note: str = ""
    checked: date = Field(description="When this entry was last verified")


class BatchDiscount(_Strict):
    multiplier: Money = Field(description="Factor applied to every token class in a batch")
    source: str = Field(pattern=r"^https://")
    checked: date


class BatchLimits(_Strict):
    max_requests: PositiveInt
    max_bytes: PositiveInt
    source: str = Field(pattern=r"^https://")
    checked: date


class Ratio(_Strict):
    """Claude tokens per tiktoken cl100k_base token: the central estimate and its band."""

    low: Money
    central: Money
    high: Money

    @model_validator(mode="after")
    def _ordered(self) -> Ratio:
        if not 0 < self.low <= self.central <= self.high:
            raise CodedValueError("ratio_unordered")
        return self


class ServerTools(_Strict):
    web_search_per_1000: Money = Field(description="USD per 1,000 web searches")
    source: str = Field(pattern=r"^https://")
    checked: date


TextKind = Literal["prose", "code", "structured", "scripts"]


class Tokenizer(_Strict):
    description: str
    cl100k_ratio: Ratio
    by_kind: dict[TextKind, Ratio] = Field(
        default_factory=dict,
        description="cl100k ratio band per content kind (costcalc.tokens.textkind)",
    )


@pydantic_dataclass(frozen=True)
class PdfPage(pricing.PdfPage):
    """Tokens per PDF page and the per-request page limits."""

    @model_validator(mode="after")
    def _ordered(self) -> PdfPage:
        if not self.low <= self.central <= self.high:
            raise CodedValueError("pdf_page_unordered")
        return self


class TokenOverheads(_Strict):
    server_tools: dict[str, list[pricing.ToolOverhead]]
    pdf_page: PdfPage
    source: str = Field(pattern=r"^https://")
    checked: date


def _normalize_name(name: str) -> str:
    return name.strip().lower()


class PricingFile(_Strict):
    """The whole of pricing.yaml."""

    model_config = ConfigDict(
        extra="forbid", frozen=True, json_schema_extra={"title": "costcalc pricing file"}
    )

    version: Literal[1]
    currency: Literal["USD"]
    unit: Literal["per million tokens"]
    batch_discount: BatchDiscount
    batch_limits: BatchLimits
    server_tools: ServerTools
    token_overheads: TokenOverheads | None = None
    tokenizers: dict[str, Tokenizer]
    image_tiers: dict[str, pricing.ImageLimits] = Field(default_factory=dict)
    models: dict[str, ModelEntry] = Field(min_length=1)

    @model_validator(mode="after")
    def _cross_checks(self) -> PricingFile:
        multiplier = self.batch_discount.multiplier
        if not 0 < multiplier <= 1:
            raise CodedValueError("batch_multiplier_out_of_range", multiplier=multiplier)
        for tool, versions in (
            self.token_overheads.server_tools if self.token_overheads else {}
        ).items():
            for v in versions:
                for name in v.tokens:
                    if name not in self.tokenizers:
                        raise CodedValueError("overhead_unknown_tokenizer", tool=tool, name=name)
        seen: dict[str, str] = {}
        for model_id, model in self.models.items():
            where = f"models.{model_id}"
            if model.tokenizer not in self.tokenizers:
                raise CodedValueError(
                    "model_unknown_tokenizer", where=where, tokenizer=model.tokenizer
                )
            if model.image_tier is not None and model.image_tier not in self.image_tiers:
                raise CodedValueError(
                    "model_unknown_image_tier", where=where, tier=model.image_tier
                )
            for i, row in enumerate(model.dated_prices):
                start, end = row.effective_from, row.effective_until
                if start is None and end is None:
                    raise CodedValueError("dated_prices_undated", where=where, row=i)
                if start is not None and end is not None and end <= start:
                    raise CodedValueError("dated_prices_reversed", where=where, row=i)
            _check_cache_rates(where, model)
            for cls in ("input", "output"):
                published = getattr(model.batch, cls)
                expected = getattr(model.prices, cls) * multiplier
                if published != expected:
                    raise CodedValueError(
                        "batch_price_mismatch",
                        where=where,
                        cls=cls,
                        published=published,
                        expected=expected,
                    )
            for name in (model_id, *model.aliases):
                key = _normalize_name(name)
                if key in seen and seen[key] != model_id:
                    raise CodedValueError("alias_taken", where=where, name=name, owner=seen[key])
                seen[key] = model_id
        return self


def _check_cache_rates(where: str, model: ModelEntry) -> None:
    """Every rate table of a model keeps the order the API's prices have: a cache write costs at
    least the uncached input, a read at most that, a 1h write at least a 5m write (pricing page,
    https://platform.claude.com/docs/en/about-claude/pricing: writes 1.25x and 2x input, reads
    0.1x; Haiku 3's 5m write is 1.2x, still above input). A table out of that order is a typo:
    it would make caching look free or ruinous ("caching beats no caching above a 0.0% hit
    rate")."""
    tables: list[tuple[str, pricing.Rates]] = [("prices", model.prices)]
    tables += [(f"dated_prices.{i}.prices", row.prices) for i, row in enumerate(model.dated_prices)]
    tables += [(f"long_context.{i}.prices", t.prices) for i, t in enumerate(model.long_context)]
    if model.fast is not None:
        tables.append(("fast", model.fast))
    for name, r in tables:
        for ok, rule in (
            (r.cache_write_5m >= r.input, "write_5m_below_input"),
            (r.cache_write_1h >= r.input, "write_1h_below_input"),
            (r.cache_read <= r.input, "read_above_input"),
            (r.cache_write_1h >= r.cache_write_5m, "write_1h_below_write_5m"),
        ):
            if not ok:
                raise CodedValueError(
                    "cache_rates_unordered",
                    where=where,
                    table=name,
                    rule=rule,
                    input=r.input,
                    cache_write_5m=r.cache_write_5m,
                    cache_write_1h=r.cache_write_1h,
                    cache_read=r.cache_read,
                )


class SchemaError(CodedValueError):
    """Validation failed; the message is one line naming the entry and field."""


def validate(raw: Any, file: Path) -> dict[str, Any]:
    """Validate parsed YAML; return it normalized (defaults filled in) as plain data."""
    if not isinstance(raw, dict):
        raise SchemaError("pricing_not_mapping", file=file, got=type(raw).__name__)
    try:
        return PricingFile.model_validate(raw).model_dump()
    except ValidationError as exc:
        raise describe(file, exc) from None


def describe(file: Path, exc: ValidationError) -> SchemaError:
    """The first problem pydantic found (as a code and figures, worded by messages), where it
    is, and how many more there are."""
    errors = exc.errors(include_url=False)
    first = errors[0]
    problem, detail = field_problem(first)
    return SchemaError(
        "pricing_invalid",
        file=file,
        loc=".".join(str(part) for part in first["loc"]),
        problem=problem,
        detail=detail,
        more=len(errors) - 1,
    )


def json_schema() -> dict[str, Any]:
    """The JSON Schema of pricing.yaml, shipped as costcalc/pricing.schema.json."""
    return PricingFile.model_json_schema()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
