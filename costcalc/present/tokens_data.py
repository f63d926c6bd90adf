"""`costcalc tokens` as CSV and JSON, and the low/central/high token band every command's
JSON shares.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from costcalc.compute.outcomes import TokensResult
from costcalc.fmt import plain
from costcalc.present.csv_writer import to_csv
from costcalc.version import __version__

if TYPE_CHECKING:
    from costcalc.prices.model import Tokenizer
    from costcalc.tokens.bands import Band
    from costcalc.tokens.count import Row


def band_dict(b: Band | None) -> dict[str, Any] | None:
    if b is None:
        return None
    return {"low": b.low, "central": b.central, "high": b.high, "exact": b.exact}


def _ratio_method(t: Tokenizer) -> dict[str, Any]:
    """An estimated column: cl100k_base counts times the tokenizer's ratio band, for text of
    unknown kind and for each content kind with a band of its own."""

    def band(low: Any, central: Any, high: Any) -> dict[str, str]:
        return {"low": plain(low), "central": plain(central), "high": plain(high)}

    return {
        "method": "estimate",
        "base": "cl100k_base",
        "ratio": band(t.low, t.central, t.high),
        "ratio_by_kind": {kind: band(*b) for kind, b in t.by_kind.items()},
    }


def tokens_json(result: TokensResult) -> dict[str, Any]:
    columns = result.columns

    def row(r: Row) -> dict[str, Any]:
        return {
            "file": r.label,
            "bytes": r.size,
            "cl100k_base": r.cl100k,
            "counts": {c.label: band_dict(b) for c, b in zip(columns, r.counts)},
            # Content kind that picked each estimate's ratio band (costcalc.tokens.textkind).
            "kind": r.kind,
        }

    doc = {
        "costcalc_version": __version__,
        "method": {
            c.label: {"method": "count_tokens"} if c.model_id else _ratio_method(c.tokenizer)
            for c in columns
        },
        "files": [row(r) for r in result.rows],
        "total": row(result.total),
        "distinct_texts": result.distinct,
    }
    return doc


def tokens_csv(result: TokensResult) -> str:
    rows, total, columns = result.rows, result.total, result.columns
    header = ["file", "bytes", "cl100k_base"] + [
        f"{c.label}_{end}" for c in columns for end in ("low", "central", "high")
    ]
    header.append("kind")  # last, so existing column positions keep their meaning
    lines = [
        [r.label, r.size, r.cl100k]
        + [v for b in r.counts for v in (b.low, b.central, b.high)]
        + [r.kind]
        for r in [*rows, total]
    ]
    return to_csv(header, lines)
