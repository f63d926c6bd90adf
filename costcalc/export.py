"""Machine-readable output: JSON and CSV, following the contract in the README.

Money is a decimal string in JSON and a plain number in CSV, both at full precision; nothing is
computed here, only laid out.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any, Iterable, Optional

from . import __version__
from .engine import BudgetCheck, Estimate, Scenario, StackedRate, batch_rates
from .fmt import plain
from .pricing import ModelPrice

LINE_COLUMNS = (("uncached_input", "input"), ("cache_write", None), ("cache_read", "cache_read"),
                ("output", "output"))

ESTIMATE_CSV_HEADER = [
    "model", "scenario", "requests", "shared_tokens_per_request", "unique_tokens_per_request",
    "output_tokens_per_request", "ttl", "cache_writes",
    *(f"{name}_{part}" for name, _ in LINE_COLUMNS for part in ("tokens", "rate", "usd")),
    "total_usd", "per_request_usd", "savings_usd", "savings_pct",
]  # fmt: skip


def _date(value: Optional[date]) -> Optional[str]:
    return value.isoformat() if value else None


def _line_for(s: Scenario, key: Optional[str], ttl: str):
    return s.line(key or f"cache_write_{ttl}")


def estimate_dict(est: Estimate, budget: Optional[BudgetCheck] = None) -> dict[str, Any]:
    w = est.workload
    return {
        "costcalc_version": __version__,
        "model": est.model.id,
        "model_name": est.model.name,
        "priced_on": est.on.isoformat(),
        "pricing": {"source": est.model.source, "checked": est.model.checked.isoformat()},
        "workload": {
            "requests": w.requests,
            "shared_tokens": w.shared_tokens,
            "unique_tokens": w.unique_tokens,
            "output_tokens": w.output_tokens,
            "ttl": w.ttl,
            "cache_writes": w.cache_writes,
        },
        "caching_applies": est.caching_applies,
        "long_context": est.long_context,
        "scenarios": [
            {
                "name": s.name,
                "batch": s.batch,
                "cached": s.cached,
                "total_usd": plain(s.total),
                "per_request_usd": plain(s.per_request),
                "savings_usd": plain(s.savings),
                "savings_pct": plain(s.savings_pct),
                "lines": [
                    {
                        "token_class": line.token_class,
                        "tokens": line.tokens,
                        "rate_per_mtok": plain(line.rate),
                        "cost_usd": plain(line.cost),
                    }
                    for line in s.lines
                ],
            }
            for s in est.scenarios
        ],
        "warnings": list(est.warnings),
        "budget": budget_dict(budget) if budget else None,
    }


def budget_dict(b: BudgetCheck) -> dict[str, Any]:
    return {
        "scenario": b.scenario,
        "budget_usd": plain(b.budget),
        "total_usd": plain(b.total),
        "within": b.within,
        "over_by_usd": plain(b.over_by),
    }


def estimate_json(est: Estimate, budget: Optional[BudgetCheck] = None) -> str:
    return json.dumps(estimate_dict(est, budget), indent=2) + "\n"


def estimate_rows(est: Estimate) -> Iterable[list[Any]]:
    w = est.workload
    for s in est.scenarios:
        cells: list[Any] = [
            est.model.id, s.name, w.requests, w.shared_tokens, w.unique_tokens, w.output_tokens,
            w.ttl, w.cache_writes,
        ]  # fmt: skip
        for _, key in LINE_COLUMNS:
            line = _line_for(s, key, w.ttl)
            cells += [line.tokens, plain(line.rate), plain(line.cost)]
        cells += [plain(s.total), plain(s.per_request), plain(s.savings), plain(s.savings_pct)]
        yield cells


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def estimate_csv(est: Estimate) -> str:
    return to_csv(ESTIMATE_CSV_HEADER, estimate_rows(est))


def model_dict(m: ModelPrice, stacked: StackedRate) -> dict[str, Any]:
    b = batch_rates(m)
    classes = ("input", "cache_write_5m", "cache_write_1h", "cache_read", "output")
    return {
        "id": m.id,
        "name": m.name,
        "aliases": list(m.aliases),
        "status": m.status,
        "released": _date(m.released),
        "deprecated": _date(m.deprecated),
        "retired": _date(m.retired),
        "tokenizer": m.tokenizer,
        "prices_per_mtok": {c: plain(m.prices.rate(c)) for c in classes},
        "batch_prices_per_mtok": {c: plain(b.rate(c)) for c in classes},
        "batch_cache_read_pct_of_input": plain(stacked.percent),
        "min_cache_tokens": m.min_cache_tokens,
        "context_window": m.context_window,
        "max_output": m.max_output,
        "long_context": [
            {
                "threshold": t.threshold,
                "effective_from": _date(t.effective_from),
                "effective_until": _date(t.effective_until),
                "prices_per_mtok": {c: plain(t.prices.rate(c)) for c in classes},
            }
            for t in m.long_context
        ],
        "source": m.source,
        "checked": m.checked.isoformat(),
    }


def models_json(rows: list[tuple[ModelPrice, StackedRate]]) -> str:
    doc = {"costcalc_version": __version__, "models": [model_dict(m, s) for m, s in rows]}
    return json.dumps(doc, indent=2) + "\n"


MODELS_CSV_HEADER = [
    "id", "name", "status", "input", "cache_write_5m", "cache_write_1h", "cache_read", "output",
    "batch_input", "batch_cache_write_5m", "batch_cache_write_1h", "batch_cache_read",
    "batch_output", "batch_cache_read_pct_of_input", "min_cache_tokens", "context_window",
    "max_output", "aliases", "source", "checked",
]  # fmt: skip


def models_csv(rows: list[tuple[ModelPrice, StackedRate]]) -> str:
    def row(m: ModelPrice, s: StackedRate) -> list[Any]:
        b = batch_rates(m)
        classes = ("input", "cache_write_5m", "cache_write_1h", "cache_read", "output")
        return [
            m.id, m.name, m.status, *(plain(m.prices.rate(c)) for c in classes),
            *(plain(b.rate(c)) for c in classes), plain(s.percent), m.min_cache_tokens,
            m.context_window or "", m.max_output or "", " ".join(m.aliases), m.source,
            m.checked.isoformat(),
        ]  # fmt: skip

    return to_csv(MODELS_CSV_HEADER, (row(m, s) for m, s in rows))
