"""Loading pricing.yaml: the YAML read as exact Decimals, validated, built into runtime types.

Prices are `Decimal` USD per million tokens from the moment the YAML is parsed: the loader reads
YAML floats from their source text, so no binary float ever holds a price.

Every file is validated by the pydantic models in `costcalc.prices.schema` before use. The bundled
file skips that import (it costs more than the whole `estimate` command may take) only when its
bytes match `pricing.sha256`, the digest of the content that last passed validation; a test keeps
the digest current, so an edited file is always validated.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from costcalc.errors import CodedPricingError
from costcalc.messages import render_error
from costcalc.prices.model import (
    BatchLimits,
    DatedRates,
    ImageTier,
    LongContextTier,
    ModelPrice,
    PdfPage,
    Pricing,
    Rates,
    Tokenizer,
    TokenOverheads,
    ToolOverhead,
    ToolPromptTokens,
    unconfirmed_parts,
)

PACKAGE_DIR = Path(__file__).resolve().parents[1]
SCHEMA_PATH = PACKAGE_DIR / "pricing.schema.json"
DIGEST_PATH = PACKAGE_DIR / "pricing.sha256"
# The validated YAML's data as JSON (written by `python -m costcalc.prices.refresh`): parsing
# JSON costs a tenth of parsing the YAML, and start-up is the budget that matters here.
SNAPSHOT_PATH = PACKAGE_DIR / "pricing.snapshot.json"
_DATE_KEYS = frozenset(
    {"checked", "released", "deprecated", "retired", "effective_from", "effective_until"}
)

_LOADER: Any = None


def decimal_loader() -> Any:
    """A safe YAML loader that reads floats as exact Decimals from their source text.

    Built on first use: importing yaml costs more than the rest of `estimate`'s start-up, and
    the bundled file is read from its JSON snapshot without it.
    """
    global _LOADER
    if _LOADER is None:
        import yaml

        class DecimalLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
            def construct_mapping(self, node: Any, deep: bool = False) -> Any:
                _refuse_duplicate_keys(self, node)
                return super().construct_mapping(node, deep=deep)

        DecimalLoader.add_constructor("tag:yaml.org,2002:float", _construct_decimal)
        _LOADER = DecimalLoader
    return _LOADER


def _refuse_duplicate_keys(loader: Any, node: Any) -> None:
    """YAML says a mapping's keys are unique (https://yaml.org/spec/1.2.2/#mapping), but
    PyYAML keeps the last of two equal keys: a second `claude-opus-4-7:` entry would silently
    replace the first. Name both lines instead. Keys merged in with `<<` may be overridden."""
    import yaml  # lazy, as in decimal_loader: runs only while a YAML file is parsed

    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(key_node, yaml.ScalarNode):
            continue
        key = loader.construct_object(key_node)
        line = key_node.start_mark.line + 1
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                render_error("yaml_duplicate_key", {"key": key, "first": seen[key], "again": line}),
                key_node.start_mark,
            )
        seen[key] = line


def __getattr__(name: str) -> Any:
    # `from costcalc.prices.load import DecimalLoader` (prices/refresh.py) still works, built
    # lazily: yaml is imported only when a YAML file is parsed.
    if name == "DecimalLoader":
        return decimal_loader()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _construct_decimal(loader: Any, node: Any) -> Decimal:
    text = loader.construct_scalar(node).replace("_", "").lower()
    special = {".inf": "Infinity", "+.inf": "Infinity", "-.inf": "-Infinity", ".nan": "NaN"}
    # Infinity and NaN are kept so that validation can name the field that holds them.
    return Decimal(special.get(text, text))


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
        raise CodedPricingError("pricing_file_missing", file=str(file)) from None
    except OSError as exc:
        raise CodedPricingError(
            "pricing_file_unreadable", file=str(file), reason=exc.strerror
        ) from None
    content_digest = hashlib.sha256(content).hexdigest()
    validated = trust_digest and content_digest == _validated_digest()
    if validated:
        snapshot = _snapshot(content_digest)
        if snapshot is not None:
            return _build(snapshot, file)
    import yaml  # lazy: the bundled file loads from its JSON snapshot without it (start-up)

    try:
        raw = yaml.load(content.decode("utf-8"), Loader=decimal_loader())
    except UnicodeDecodeError:
        raise CodedPricingError("pricing_not_utf8", file=str(file)) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise CodedPricingError(
            "pricing_not_yaml",
            file=str(file),
            line=mark.line + 1 if mark is not None else None,
            problem=getattr(exc, "problem", None) or str(exc).splitlines()[0],
        ) from None

    if not validated:
        # Lazy: pydantic's import alone costs more than `costcalc estimate` may take, and the
        # bundled file, trusted by its digest, needs no validation.
        from costcalc.prices.schema import SchemaError, validate

        try:
            raw = validate(raw, file)
        except SchemaError as exc:
            raise CodedPricingError(exc.code, **exc.figures) from None
    return _build(raw, file)


def _snapshot(content_digest: str) -> dict[str, Any] | None:
    """The snapshot's data when it was written from exactly this content, else None."""
    try:
        doc = json.loads(SNAPSHOT_PATH.read_bytes(), object_hook=_dates)
    except (OSError, ValueError):
        return None
    return doc.get("data") if doc.get("sha256") == content_digest else None


def _dates(obj: dict[str, Any]) -> dict[str, Any]:
    for key in _DATE_KEYS.intersection(obj):
        if isinstance(obj[key], str):
            obj[key] = date.fromisoformat(obj[key])
    return obj


def snapshot_json(raw: dict[str, Any], content_digest: str) -> str:
    """The snapshot file for parsed, validated YAML: Decimals as strings, dates as ISO text."""

    def encode(value: Any) -> str:
        if isinstance(value, (Decimal, date)):
            return str(value)
        raise TypeError(f"cannot store {type(value).__name__} in the snapshot")

    return json.dumps({"sha256": content_digest, "data": raw}, default=encode) + "\n"


def _rates(raw: dict[str, Any]) -> Rates:
    return Rates(**{k: Decimal(raw[k]) for k in Rates.__dataclass_fields__})


def _build(raw: dict[str, Any], file: Path) -> Pricing:
    """Runtime objects from validated data (normalized by pydantic, or the digest-checked YAML)."""
    multiplier = Decimal(raw["batch_discount"]["multiplier"])
    models = [_model(model_id, entry, multiplier) for model_id, entry in raw["models"].items()]
    limits = raw["batch_limits"]
    tokenizers = {name: _tokenizer(name, t) for name, t in raw["tokenizers"].items()}
    return Pricing(
        path=file,
        models=models,
        batch_limits=BatchLimits(limits["max_requests"], limits["max_bytes"]),
        tokenizers=tokenizers,
        web_search_per_1000=Decimal(raw["server_tools"]["web_search_per_1000"]),
        image_tiers={
            name: ImageTier(name=name, max_long_edge=t["max_long_edge"], max_tokens=t["max_tokens"])
            for name, t in (raw.get("image_tiers") or {}).items()
        },
        token_overheads=_overheads(raw.get("token_overheads")),
    )


def _model(model_id: str, entry: dict[str, Any], batch_multiplier: Decimal) -> ModelPrice:
    """One `models:` entry."""
    fast = entry.get("fast")
    return ModelPrice(
        id=model_id,
        name=entry["name"],
        status=entry["status"],
        tokenizer=entry["tokenizer"],
        prices=_rates(entry["prices"]),
        batch_multiplier=batch_multiplier,
        min_cache_tokens=entry["min_cache_tokens"],
        context_window=entry["context_window"],
        max_output=entry["max_output"],
        source=entry["source"],
        checked=entry["checked"],
        aliases=tuple(entry.get("aliases") or ()),
        long_context=_tiers(entry.get("long_context") or ()),
        released=entry.get("released"),
        deprecated=entry.get("deprecated"),
        retired=entry.get("retired"),
        note=entry.get("note") or "",
        us_inference_multiplier=_decimal_or_none(entry.get("us_inference_multiplier")),
        fast=_rates(fast) if fast else None,
        fast_from=fast.get("effective_from") if fast else None,
        fast_deprecated=fast.get("deprecated") if fast else None,
        fast_until=fast.get("effective_until") if fast else None,
        dated_prices=tuple(
            DatedRates(_rates(d["prices"]), d.get("effective_from"), d.get("effective_until"))
            for d in entry.get("dated_prices") or ()
        ),
        unconfirmed=bool(entry.get("unconfirmed")),
        unconfirmed_parts=unconfirmed_parts(entry.get("unconfirmed")),
        max_output_batch=entry.get("max_output_batch"),
        max_output_batch_beta=entry.get("max_output_batch_beta"),
        image_tier=entry.get("image_tier"),
        tool_use_system_prompt=tuple(
            ToolPromptTokens(
                t.get("auto_none"),
                t.get("any_tool"),
                t.get("effective_from"),
                t.get("effective_until"),
            )
            for t in entry.get("tool_use_system_prompt") or ()
        ),
    )


def _tiers(rows: Iterable[dict[str, Any]]) -> tuple[LongContextTier, ...]:
    """A model's `long_context` rows (prompt-length tiers)."""
    return tuple(
        LongContextTier(
            threshold=t["threshold"],
            prices=_rates(t["prices"]),
            effective_from=t.get("effective_from"),
            effective_until=t.get("effective_until"),
            max_input_tokens=t.get("max_input_tokens"),
        )
        for t in rows
    )


def _tokenizer(name: str, t: dict[str, Any]) -> Tokenizer:
    """One `tokenizers:` entry: its cl100k ratio band and the bands by content kind."""
    return Tokenizer(
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
