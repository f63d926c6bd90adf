"""Price data at run time: loading pricing.yaml, model lookup, and the objects the engine reads.

Prices are `Decimal` USD per million tokens from the moment the YAML is parsed: the loader reads
YAML floats from their source text, so no binary float ever holds a price.

Every file is validated by the pydantic models in `costcalc.schema` before use. The bundled file
skips that import (it costs more than the whole `estimate` command may take) only when its bytes
match `pricing.sha256`, the digest of the content that last passed validation; a test keeps the
digest current, so an edited file is always validated.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from .errors import PricingError, UnknownModelError

PACKAGE_DIR = Path(__file__).resolve().parent
SCHEMA_PATH = PACKAGE_DIR / "pricing.schema.json"
DIGEST_PATH = PACKAGE_DIR / "pricing.sha256"


@dataclass(frozen=True)
class Rates:
    """USD per million tokens for each token class."""

    input: Decimal
    cache_write_5m: Decimal
    cache_write_1h: Decimal
    cache_read: Decimal
    output: Decimal

    def rate(self, token_class: str) -> Decimal:
        return getattr(self, token_class)


@dataclass(frozen=True)
class LongContextTier:
    """Premium rates for the whole request once its total input passes `threshold`."""

    threshold: int
    prices: Rates
    effective_from: date | None = None  # inclusive
    effective_until: date | None = None  # exclusive
    max_input_tokens: int | None = None

    def in_effect(self, on: date) -> bool:
        if self.effective_from is not None and on < self.effective_from:
            return False
        return self.effective_until is None or on < self.effective_until


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
    # Per content kind (costcalc.textkind): kind -> (low, central, high); empty when unknown.
    # hash=False: a dict is unhashable, and Tokenizer (and Column, which holds it) stay hashable.
    by_kind: dict[str, tuple[Decimal, Decimal, Decimal]] = field(default_factory=dict, hash=False)

    def ratios(self, kind: str | None = None) -> tuple[Decimal, Decimal, Decimal]:
        """The (low, central, high) ratio for text of this kind; the overall band otherwise."""
        return self.by_kind.get(kind or "", (self.low, self.central, self.high))


@dataclass(frozen=True)
class ToolOverhead:
    """Input tokens a server tool adds from `effective_from` on (facts 27)."""

    effective_from: date
    tokens: dict[str, int]  # by tokenizer: the low end
    high: int | None = None  # upper end when the source gives a range
    per_definition: int = 0


@dataclass(frozen=True)
class PdfPage:
    """Tokens per PDF page (facts 49) and the per-request page limits."""

    low: int
    central: int
    high: int
    max_pages_small_context: int
    max_pages: int


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
            raise UnknownModelError(name, self.suggest(name))
        return model

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Close names, at most one per model."""
        matches = difflib.get_close_matches(normalize_name(name), self._names, n=12, cutoff=0.6)
        picked: dict[str, str] = {}
        for match in matches:
            picked.setdefault(self._names[match].id, match)
        return list(picked.values())[:limit]


class DecimalLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML loader that reads floats as exact Decimals from their source text."""


def _construct_decimal(loader: Any, node: Any) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "").lower()
    special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    # Infinity and NaN are kept so that validation can name the field that holds them.
    return Decimal(special.get(text, text))


DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)


def yaml_problem(file: Path, exc: Exception) -> str:
    """One line saying where a YAML file is broken."""
    mark = getattr(exc, "problem_mark", None)
    where = f" line {mark.line + 1}:" if mark is not None else ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    return f"{file}:{where} not valid YAML: {problem}"


def bundled_pricing_path() -> Path:
    # Inside a wheel the file sits beside this module; in a source checkout, at the repo root.
    packaged = PACKAGE_DIR / "pricing.yaml"
    return packaged if packaged.exists() else PACKAGE_DIR.parent / "pricing.yaml"


def _validated_digest() -> str:
    try:
        return DIGEST_PATH.read_text(encoding="ascii").strip()
    except OSError:
        return ""


def load_pricing(path: Path | str | None = None, *, trust_digest: bool = True) -> Pricing:
    """Load and validate a pricing file (the bundled one when `path` is None)."""
    file = Path(path) if path is not None else bundled_pricing_path()
    try:
        content = file.read_bytes()
    except FileNotFoundError:
        raise PricingError(f"pricing file {file} not found; check the --pricing path") from None
    except OSError as exc:
        raise PricingError(f"cannot read pricing file {file}: {exc.strerror}") from None
    try:
        raw = yaml.load(content.decode("utf-8"), Loader=DecimalLoader)
    except UnicodeDecodeError:
        raise PricingError(f"{file} is not UTF-8 text; save it as UTF-8") from None
    except yaml.YAMLError as exc:
        raise PricingError(yaml_problem(file, exc)) from None

    validated = trust_digest and hashlib.sha256(content).hexdigest() == _validated_digest()
    if not validated:
        from .schema import SchemaError, validate

        try:
            raw = validate(raw, file)
        except SchemaError as exc:
            raise PricingError(str(exc)) from None
    return _build(raw, file)


def _rates(raw: dict[str, Any]) -> Rates:
    return Rates(**{k: Decimal(raw[k]) for k in Rates.__dataclass_fields__})


def _build(raw: dict[str, Any], file: Path) -> Pricing:
    """Runtime objects from validated data (normalized by pydantic, or the digest-checked YAML)."""
    multiplier = Decimal(raw["batch_discount"]["multiplier"])
    models = []
    for model_id, entry in raw["models"].items():
        tiers = tuple(
            LongContextTier(
                threshold=t["threshold"],
                prices=_rates(t["prices"]),
                effective_from=t.get("effective_from"),
                effective_until=t.get("effective_until"),
                max_input_tokens=t.get("max_input_tokens"),
            )
            for t in entry.get("long_context") or ()
        )
        models.append(
            ModelPrice(
                id=model_id,
                name=entry["name"],
                status=entry["status"],
                tokenizer=entry["tokenizer"],
                prices=_rates(entry["prices"]),
                batch_multiplier=multiplier,
                min_cache_tokens=entry["min_cache_tokens"],
                context_window=entry["context_window"],
                max_output=entry["max_output"],
                source=entry["source"],
                checked=entry["checked"],
                aliases=tuple(entry.get("aliases") or ()),
                long_context=tiers,
                released=entry.get("released"),
                deprecated=entry.get("deprecated"),
                retired=entry.get("retired"),
                note=entry.get("note") or "",
                us_inference_multiplier=_decimal_or_none(entry.get("us_inference_multiplier")),
                fast=_rates(entry["fast"]) if entry.get("fast") else None,
            )
        )
    limits = raw["batch_limits"]
    tokenizers = {
        name: Tokenizer(
            name,
            t["description"],
            Decimal(t["cl100k_ratio"]["low"]),
            Decimal(t["cl100k_ratio"]["central"]),
            Decimal(t["cl100k_ratio"]["high"]),
            by_kind={
                kind: (Decimal(r["low"]), Decimal(r["central"]), Decimal(r["high"]))
                for kind, r in (t.get("by_kind") or {}).items()
            },
        )
        for name, t in raw["tokenizers"].items()
    }
    return Pricing(
        path=file,
        models=models,
        batch_limits=BatchLimits(limits["max_requests"], limits["max_bytes"]),
        tokenizers=tokenizers,
        web_search_per_1000=Decimal(raw["server_tools"]["web_search_per_1000"]),
        token_overheads=_overheads(raw.get("token_overheads")),
    )


def _overheads(raw: dict[str, Any] | None) -> TokenOverheads | None:
    if not raw:
        return None
    tools = {
        name: tuple(
            ToolOverhead(
                effective_from=v["effective_from"],
                tokens=dict(v["tokens"]),
                high=v.get("high"),
                per_definition=v.get("per_definition") or 0,
            )
            for v in versions
        )
        for name, versions in raw["server_tools"].items()
    }
    p = raw["pdf_page"]
    page = PdfPage(p["low"], p["central"], p["high"], p["max_pages_small_context"], p["max_pages"])
    return TokenOverheads(tools, page)


def _decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(value)
