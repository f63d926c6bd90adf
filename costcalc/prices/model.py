"""Price data at run time: the plain dataclasses the engine reads, and model lookup.

Prices are `Decimal` USD per million tokens. pydantic validates these same dataclasses when a file
is loaded (costcalc.prices.schema), through the markers below; this module never imports pydantic,
so that the start-up path stays cheap.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any

from costcalc.errors import UnknownModelError

# What the markers below mean to validation, installed by costcalc.prices.schema when it is imported
# (only that module asks pydantic to validate these types), so that this module imports nothing
# above it and never pydantic.
VALIDATION: dict[str, Callable[..., Any]] = {}


class About:
    """A field's description in pricing.schema.json. Markers like this one sit in the field types
    below, where pydantic finds them through its hooks when costcalc.prices.schema validates a file;
    this module never imports pydantic. Annotations are not evaluated at run time (`from
    __future__ import annotations`), so the markers cost start-up nothing."""

    def __init__(self, about: str = "") -> None:
        self.about = about

    def __get_pydantic_json_schema__(self, core_schema: Any, handler: Any) -> Any:
        schema = handler(core_schema)
        if self.about:
            schema["description"] = self.about
        return schema


class Rule(About):
    """A constraint on a field, named here, defined once in costcalc.prices.schema (which says what
    each rule is to validation). On an optional field (`int | None`) it constrains the value;
    None stays allowed."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return VALIDATION["rule"](self, source, handler)


class Positive(Rule):
    """A count or size above zero."""


class NotNegative(Rule):
    """A count that may be zero."""


class NotEmpty(Rule):
    """A table with at least one entry."""


class Price(About):
    """Marks a field as a price, USD per million tokens, with its description. What a price is
    to validation (exact, finite, not negative; never a float) is said once, in
    costcalc.prices.schema, which pydantic asks through these hooks; this module never imports
    pydantic."""

    def __get_pydantic_core_schema__(self, source: Any, handler: Any) -> Any:
        return VALIDATION["price"](handler)


# pydantic validates the dataclasses that carry this in place of models of its own
# (costcalc.prices.schema): unknown keys are errors.
STRICT: dict[str, Any] = {"extra": "forbid"}


@dataclass(frozen=True)
class Rates:
    """USD per million tokens for each token class."""

    __pydantic_config__ = STRICT

    input: Annotated[Decimal, Price("Base input, uncached (USD/MTok)")]
    cache_write_5m: Annotated[Decimal, Price("5-minute cache write (USD/MTok)")]
    cache_write_1h: Annotated[Decimal, Price("1-hour cache write (USD/MTok)")]
    cache_read: Annotated[Decimal, Price("Cache hits and refreshes (USD/MTok)")]
    output: Annotated[Decimal, Price("Output (USD/MTok)")]

    def rate(self, token_class: str) -> Decimal:
        return getattr(self, token_class)


def in_span(on: date, start: date | None, until: date | None) -> bool:
    """`on` is in [start, until); a missing end is open."""
    return (start is None or on >= start) and (until is None or on < until)


@dataclass(frozen=True)
class LongContextTier:
    """A prompt-length tier: rates for the whole request (every class, output included) once its
    prompt (input + cache writes + cache reads) is over `threshold`.

    One mechanism for Claude's old >200K long-context premium and Haiku 5.5's >100K row.
    """

    __pydantic_config__ = STRICT

    threshold: Annotated[int, Positive("Total input tokens above which the tier applies")]
    prices: Rates
    effective_from: Annotated[date | None, About("First day the tier applies")] = None
    effective_until: Annotated[date | None, About("First day it no longer applies")] = None
    max_input_tokens: Annotated[
        int | None, Positive("Context window while the tier is in effect, if larger than usual")
    ] = None

    def in_effect(self, on: date) -> bool:
        return in_span(on, self.effective_from, self.effective_until)


@dataclass(frozen=True)
class DatedRates:
    """A model's rates between two dates (a price that changed); outside, `prices` applies."""

    __pydantic_config__ = STRICT

    prices: Rates
    effective_from: Annotated[date | None, About("First day these prices apply")] = None
    effective_until: Annotated[date | None, About("First day they no longer apply")] = None

    def in_effect(self, on: date) -> bool:
        return in_span(on, self.effective_from, self.effective_until)


@dataclass(frozen=True)
class ToolPromptTokens:
    """System-prompt tokens that tool use adds, by tool choice (null/None = not found)."""

    __pydantic_config__ = STRICT

    auto_none: Annotated[int | None, NotNegative("tool_choice auto or none")]
    any_tool: Annotated[int | None, NotNegative("tool_choice any or tool")]
    effective_from: date | None = None
    effective_until: date | None = None

    def in_effect(self, on: date) -> bool:
        return in_span(on, self.effective_from, self.effective_until)


@dataclass(frozen=True)
class ImageLimits:
    """The largest image a model takes before resizing, and its token cap: an image tier as
    pricing.yaml states it (under its name)."""

    __pydantic_config__ = STRICT

    max_long_edge: Annotated[int, Positive("Pixels on the long edge")]
    max_tokens: Annotated[int, Positive("Token cap for one image")]


@dataclass(frozen=True)
class ImageTier(ImageLimits):
    """An image tier with the name it is filed under (a model's `image_tier`)."""

    name: str


@dataclass(frozen=True)
class ModelPrice:
    """One Claude model as the engine sees it."""

    id: str
    name: str
    status: str
    tokenizer: str
    prices: Rates
    batch_multiplier: Decimal
    min_cache_tokens: int
    context_window: int | None
    max_output: int | None
    source: str
    checked: date
    aliases: tuple[str, ...] = ()
    long_context: tuple[LongContextTier, ...] = ()
    released: date | None = None
    deprecated: date | None = None
    retired: date | None = None
    note: str = ""
    us_inference_multiplier: Decimal | None = None
    fast: Rates | None = None
    fast_from: date | None = None  # first day fast mode is offered
    fast_deprecated: date | None = None
    fast_until: date | None = None  # first day `speed: fast` is rejected
    dated_prices: tuple[DatedRates, ...] = ()
    unconfirmed: bool = False
    # Which prices are unconfirmed (UNCONFIRMABLE names); every one when the data says `true`.
    unconfirmed_parts: tuple[str, ...] = ()
    max_output_batch: int | None = None
    max_output_batch_beta: str | None = None
    image_tier: str | None = None  # key into Pricing.image_tiers
    tool_use_system_prompt: tuple[ToolPromptTokens, ...] = ()

    def prices_on(self, on: date) -> Rates:
        """The standard row on this date: a dated row in effect, else `prices`."""
        for row in self.dated_prices:
            if row.in_effect(on):
                return row.prices
        return self.prices

    def rates_for(self, on: date, prompt_tokens: int) -> Rates:
        """The row one request pays on this date: its prompt-length tier's, else the standard
        row. `prompt_tokens` is the request's input + cache writes + cache reads."""
        tier = self.tier_on(on, prompt_tokens)
        return tier.prices if tier else self.prices_on(on)

    def fast_offered(self, on: date) -> bool:
        return self.fast is not None and in_span(on, self.fast_from, self.fast_until)

    def tool_prompt_tokens_on(self, on: date) -> ToolPromptTokens | None:
        """Tool-use system prompt tokens on this date (None when the data has no row)."""
        return next((t for t in self.tool_use_system_prompt if t.in_effect(on)), None)

    def tier_on(self, on: date, total_input_tokens: int) -> LongContextTier | None:
        """The long-context tier that prices a request of this size on this date, if any."""
        for tier in self.long_context:
            if total_input_tokens > tier.threshold and tier.in_effect(on):
                return tier
        return None

    def input_limit_on(self, on: date) -> int | None:
        """The largest total input accepted on this date (None when unknown)."""
        limit = self.context_window
        for tier in self.long_context:
            if tier.max_input_tokens and tier.in_effect(on):
                limit = max(limit or 0, tier.max_input_tokens)
        return limit

    def is_current(self, on: date) -> bool:
        """Still served by the Claude API on this date."""
        return self.status != "retired" and (self.retired is None or on < self.retired)

    @property
    def short_name(self) -> str:
        """The friendliest accepted name (first alias without a 'claude' prefix)."""
        return next((a for a in self.aliases if not a.startswith(("claude", "anthropic"))), self.id)


# The groups of a model's prices that pricing data can mark unconfirmed, in display order.
UNCONFIRMABLE = ("input", "output", "cache", "batch", "fast")


def unconfirmed_parts(value: Any) -> tuple[str, ...]:
    """`unconfirmed: true` is every price; a list names the groups still unconfirmed."""
    if value is True:
        return UNCONFIRMABLE
    if not value:
        return ()
    return tuple(p for p in UNCONFIRMABLE if p in value)


def normalize_name(name: str) -> str:
    return name.strip().lower()


@dataclass(frozen=True)
class Tokenizer:
    """How to turn a tiktoken cl100k_base count into this tokenizer's count, with its band."""

    name: str
    description: str
    low: Decimal
    central: Decimal
    high: Decimal
    # Per content kind (costcalc.tokens.textkind): kind -> (low, central, high); empty when unknown.
    # hash=False: a dict is unhashable, and Tokenizer (and Column, which holds it) stay hashable.
    by_kind: dict[str, tuple[Decimal, Decimal, Decimal]] = field(default_factory=dict, hash=False)

    def ratios(self, kind: str | None = None) -> tuple[Decimal, Decimal, Decimal]:
        """The (low, central, high) ratio for text of this kind; the overall band otherwise."""
        return self.by_kind.get(kind or "", (self.low, self.central, self.high))


@dataclass(frozen=True)
class ToolOverhead:
    """Input tokens a server tool adds from `effective_from` on, by tokenizer (pricing page,
    https://platform.claude.com/docs/en/about-claude/pricing, tool-use section)."""

    __pydantic_config__ = STRICT

    effective_from: date
    tokens: Annotated[dict[str, Annotated[int, NotNegative()]], NotEmpty()]  # the low end
    high: Annotated[
        int | None,
        NotNegative("Upper end when the source gives a range (tokens is the low end)"),
    ] = None
    per_definition: Annotated[int, NotNegative()] = 0


@dataclass(frozen=True)
class PdfPage:
    """Tokens per PDF page and the per-request page limits
    (https://platform.claude.com/docs/en/build-with-claude/pdf-support)."""

    __pydantic_config__ = STRICT

    low: Annotated[int, Positive()]
    central: Annotated[int, Positive()]
    high: Annotated[int, Positive()]
    max_pages_small_context: Annotated[int, Positive()]
    max_pages: Annotated[int, Positive()]


@dataclass(frozen=True)
class TokenOverheads:
    server_tools: dict[str, tuple[ToolOverhead, ...]]
    pdf_page: PdfPage

    def server_tool(self, tool: str, tokenizer: str, on: date) -> tuple[int, int, int] | None:
        """(low, high, per_definition) for a server tool on this date, or None if unknown."""
        versions = [v for v in self.server_tools.get(tool, ()) if v.effective_from <= on]
        if not versions:
            return None
        v = max(versions, key=lambda v: v.effective_from)
        low = v.tokens.get(tokenizer)
        if low is None:
            return None
        return low, v.high if v.high is not None else low, v.per_definition


@dataclass(frozen=True)
class BatchLimits:
    max_requests: int
    max_bytes: int


@dataclass
class Pricing:
    """Validated price data with lookup by id or alias."""

    path: Path
    models: list[ModelPrice]
    batch_limits: BatchLimits
    tokenizers: dict[str, Tokenizer] = field(default_factory=dict)
    web_search_per_1000: Decimal = Decimal(0)
    image_tiers: dict[str, ImageTier] = field(default_factory=dict)
    token_overheads: TokenOverheads | None = None
    _names: dict[str, ModelPrice] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for model in self.models:
            for name in (model.id, *model.aliases):
                self._names[normalize_name(name)] = model

    def resolve(self, name: str) -> ModelPrice:
        """The model called `name` (its id or any alias, case-insensitive)."""
        model = self._names.get(normalize_name(name))
        if model is None:
            known = self._undated(name)
            if known is not None:
                raise UnknownModelError(name, [known.id], dated_form_of=known.id)
            newer = _looks_like_claude(name)
            raise UnknownModelError(
                name,
                self.suggest(name),
                checked=self.checked.isoformat() if newer and self.models else None,
            )
        return model

    @property
    def checked(self) -> date:
        """The newest date an entry was verified: how current the table is."""
        return max(m.checked for m in self.models)

    def _undated(self, name: str) -> ModelPrice | None:
        # A dated snapshot id (claude-opus-4-7-20260416, ...@20260416) of a model Anthropic
        # publishes only undated: name the id it does publish.
        base = _DATED.sub("", normalize_name(name))
        return self._names.get(base) if base != normalize_name(name) else None

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Close names, at most one per model."""
        matches = difflib.get_close_matches(normalize_name(name), self._names, n=12, cutoff=0.6)
        picked: dict[str, str] = {}
        for match in matches:
            picked.setdefault(self._names[match].id, match)
        return list(picked.values())[:limit]


_DATED = re.compile(r"[-@]\d{8}(-v\d+:\d+)?$")
_CLAUDE_LIKE = re.compile(
    r"^(anthropic\.)?(claude-)?((opus|sonnet|haiku|fable|mythos)[-.]?\d|\d[-.\d]*-?(opus|sonnet|haiku))"
)


def _looks_like_claude(name: str) -> bool:
    return bool(_CLAUDE_LIKE.match(normalize_name(name)))
