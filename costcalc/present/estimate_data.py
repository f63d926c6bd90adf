"""`costcalc estimate` as CSV and JSON (one row per model and scenario; one document per
model).

Money is a decimal string in JSON and a plain number in CSV, both at full precision; nothing is
computed here, only laid out.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from costcalc.compute.engine import BudgetCheck, Estimate, Scenario, Workload
from costcalc.compute.outcomes import EstimateResult
from costcalc.compute.planning import Analysis
from costcalc.fmt import plain
from costcalc.messages import render as render_message
from costcalc.present.budget import budget_dict
from costcalc.present.csv_writer import to_csv
from costcalc.present.notices_data import notices_list
from costcalc.present.tokens_data import band_dict
from costcalc.version import __version__

LINE_COLUMNS = (
    ("uncached_input", "input"),
    ("cache_write", None),
    ("cache_read", "cache_read"),
    ("output", "output"),
)

if TYPE_CHECKING:
    from costcalc.compute.engine import Line
    from costcalc.tokens.count import TokenSource


ESTIMATE_CSV_HEADER = [
    "model",
    "scenario",
    "requests",
    "shared_tokens_per_request",
    "unique_tokens_per_request",
    "output_tokens_per_request",
    "ttl",
    "cache_writes",
    "hit_rate",
    "region",
    "fast",
    *(f"{name}_{part}" for name, _ in LINE_COLUMNS for part in ("tokens", "rate", "usd")),
    "total_usd",
    "per_request_usd",
    "savings_usd",
    "savings_pct",
]


def _line_for(s: Scenario, key: str | None, ttl: str) -> Line:
    return s.line(key or f"cache_write_{ttl}")


def workload_dict(w: Workload) -> dict[str, Any]:
    """A workload as estimate's JSON `workload` (and actual's plan comparison) holds it."""
    return {
        "requests": w.requests,
        "shared_tokens": w.shared_tokens,
        "unique_tokens": w.unique_tokens,
        "output_tokens": w.output_tokens,
        "ttl": w.ttl,
        "cache_writes": w.cache_writes,
    }


def estimate_dict(est: Estimate, budget: BudgetCheck | None = None) -> dict[str, Any]:
    w = est.workload
    return {
        "costcalc_version": __version__,
        "model": est.model.id,
        "model_name": est.model.name,
        "priced_on": est.on.isoformat(),
        "pricing": {"source": est.model.source, "checked": est.model.checked.isoformat()},
        "workload": workload_dict(w),
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
        "warnings": [render_message(w) for w in est.warnings],
        "notices": notices_list(est.warnings),
        "budget": budget_dict(budget) if budget else None,
    }


def analysis_rows(a: Analysis) -> Iterable[list[Any]]:
    est = a.estimate
    w, mods = est.workload, est.modifiers
    for s in est.scenarios:
        cells: list[Any] = [
            est.model.id,
            s.name,
            w.requests,
            w.shared_tokens,
            w.unique_tokens,
            w.output_tokens,
            w.ttl,
            w.cache_writes,
            "" if a.hit_rate is None else plain(a.hit_rate),
            mods.region,
            "true" if mods.fast else "false",
        ]
        for _, key in LINE_COLUMNS:
            line = _line_for(s, key, w.ttl)
            cells += [line.tokens, plain(line.rate), plain(line.cost)]
        cells += [plain(s.total), plain(s.per_request), plain(s.savings), plain(s.savings_pct)]
        yield cells


def analyses_csv(analyses: list[Analysis]) -> str:
    return to_csv(ESTIMATE_CSV_HEADER, (row for a in analyses for row in analysis_rows(a)))


def _opt(value: Decimal | None) -> str | None:
    return None if value is None else plain(value)


def analysis_dict(a: Analysis, budget: BudgetCheck | None = None) -> dict[str, Any]:
    doc = estimate_dict(a.estimate, budget)
    plan = a.batch_plan
    doc["modifiers"] = {"region": a.estimate.modifiers.region, "fast": a.estimate.modifiers.fast}
    doc["hit_rate"] = _opt(a.hit_rate)
    doc["expected_hit_rate"] = plain(a.expected_hit_rate)
    doc["batch_plan"] = (
        None
        if plan is None
        else {
            "batches": plan.batches,
            "requests_per_batch": plan.requests_per_batch,
            "last_batch_requests": plan.last_batch_requests,
            "bytes_per_request": plan.bytes_per_request,
            "total_bytes": plan.total_bytes,
            "bytes_per_token": plain(plan.bytes_per_token),
            "limited_by": plan.limited_by,
            "max_requests": plan.limits.max_requests,
            "max_bytes": plan.limits.max_bytes,
        }
    )
    doc["cache_range"] = [
        {
            "case": c.name,
            "cache_writes": c.writes,
            "cache_reads": c.reads,
            "hit_rate": plain(c.hit_rate),
            f"{a.cached_scenario}_usd": plain(c.cached_total),
            f"{a.uncached_scenario}_usd": plain(c.uncached_total),
            "cache_usd": plain(c.cache_total),
            "costs_more_than_uncached": c.costs_more_than_uncached,
        }
        for c in a.cache_range
    ]
    doc["break_even"] = {
        "hit_rate": _opt(a.break_even_hit_rate),
        "min_requests_with_one_write": a.min_requests_for_caching,
    }
    t = a.ttl_advice
    doc["ttl_advice"] = (
        None
        if t is None
        else {
            "recommended": t.recommended,
            "at_hit_rate": plain(t.hit_rate),
            "cost_5m_usd": plain(t.cost_5m),
            "cost_1h_usd": plain(t.cost_1h),
            "extra_for_1h_usd": plain(t.extra_for_1h),
            "hit_rate_for_1h_to_match": _opt(t.hit_rate_for_1h_to_match),
            "code": t.code,
        }
    )
    doc["token_counts"] = None if a.tokens is None else token_source_dict(a.tokens)
    doc["cost_at_token_band"] = {
        name: {"low_usd": plain(low), "high_usd": plain(high)} for name, low, high in a.cost_band
    } or None
    doc["warnings"] = [render_message(w) for w in a.warnings]
    doc["notices"] = notices_list(a.warnings)
    # Kept for compatibility (the codes are also in `notices`).
    doc["warning_codes"] = [w.code for w in a.warnings]
    return doc


def token_source_dict(t: TokenSource) -> dict[str, Any]:
    return {
        "method": t.method,
        "tokenizer": t.tokenizer,
        "shared": band_dict(t.shared),
        "unique_per_request": band_dict(t.unique),
        "unique_max": band_dict(t.unique_max),
        "unique_texts": t.unique_texts,
        "shared_bytes": t.shared_bytes,
        "unique_bytes_per_request": t.unique_bytes,
    }


def estimate_csv(result: EstimateResult) -> str:
    return analyses_csv(result.analyses)


def estimate_json(result: EstimateResult) -> dict[str, Any]:
    analyses, budgets = result.analyses, result.budgets
    if len(analyses) == 1:
        doc = analysis_dict(analyses[0], budgets[0] if budgets else None)
    else:
        checks: list[BudgetCheck | None] = list(budgets) or [None] * len(analyses)
        doc = {
            "costcalc_version": __version__,
            "comparison": [analysis_dict(a, b) for a, b in zip(analyses, checks)],
        }
    return doc
