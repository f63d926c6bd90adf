"""`costcalc check` as CSV and JSON: the cost of a request file by case, its cache entries and
its problems, and the warm-up case.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from costcalc.compute.engine import USAGE_CLASSES, BudgetCheck
from costcalc.compute.outcomes import CheckResult
from costcalc.fmt import plain
from costcalc.messages import render as render_message
from costcalc.notices import SEVERITY
from costcalc.present.budget import budget_dict
from costcalc.present.csv_writer import to_csv
from costcalc.present.notices_data import json_safe, notices_list
from costcalc.present.tokens_data import band_dict
from costcalc.version import __version__

if TYPE_CHECKING:
    from costcalc.compute.check import Report as CheckReport
    from costcalc.compute.checkgroups import CheckGroups, CheckTotals

GROUP_CSV_HEADER = [
    "group",
    "subgroup",
    "requests",
    "rejected_requests",
    *[f"{c}_tokens" for c in USAGE_CLASSES],
    "cost_usd",
    "expected_usd",
    "worst_usd",
    "standard_usd",
    "saving_usd",
    "cache_hit_rate",
]


def check_dict(r: CheckReport, budget: BudgetCheck | None = None) -> dict[str, Any]:
    b = r.batch
    return {
        "costcalc_version": __version__,
        "file": str(b.path),
        "form": b.form,
        "bytes": b.size,
        "requests": len(b.requests),
        "malformed_lines": b.malformed,
        "rejected_requests_not_priced": r.rejected,
        "token_counts": "count_tokens" if r.exact else "estimate",
        "models": [
            {
                "model": m.model.id,
                "requests": m.requests,
                "distinct_cached_prefixes": m.prefixes,
                "shared_tokens_per_prefix": band_dict(m.shared),
                "unique_tokens_mean": band_dict(m.unique_mean),
                "unique_tokens_max": band_dict(m.unique_max),
                "max_tokens_mean": m.max_tokens_mean,
            }
            for m in r.models
        ],
        "cost": {
            "best": {name: plain(total) for name, total in r.totals.items()},
            "expected": {"batch_cache": plain(r.expected), "hit_rate": plain(r.hit_rate)},
            "worst": {"batch_cache": plain(r.worst)},
            "output": render_message(r.output_note),
        },
        "problems": [
            {
                "kind": p.kind,
                "code": p.kind,
                "severity": SEVERITY[p.kind].value,
                "message": render_message(p),
                "figures": {k: json_safe(v) for k, v in p.figures.items()},
                "count": p.count,
                "lines": p.lines,
            }
            for p in b.problems.values()
        ],
        "notices": notices_list(
            [r.output_note, *r.warnings, *(p.notice() for p in b.problems.values())]
        ),
        "split": [{"requests": n, "bytes": size, "prefixes": k} for n, size, k in r.split],
        "budget": budget_dict(budget) if budget else None,
        "cache_entries_total": r.entry_count,
        "cache_entries": [
            {
                "model": e.model,
                "first_line": e.line,
                "tokens": e.tokens,
                "ttl": e.ttl,
                "cached": e.cached,
                "writes": e.writes,
                "reads": e.reads,
                "cost_usd": plain(e.cost),
            }
            for e in r.entries
        ],
        "cost_lines": {
            case: [
                {"token_class": c, "tokens": tokens, "cost_usd": plain(money)}
                for c, (tokens, money) in lines.items()
            ]
            for case, lines in r.cases.items()
        },
    }


def check_json(result: CheckResult) -> dict[str, Any]:
    r = result.report
    doc = check_dict(r, result.budget)
    doc["warm_up"] = warm_dict(r)
    # Requests left out of the cost because they cannot be priced: {count, reasons by kind};
    # fails_budget: the unpriced requests alone make the budget gate fail (exit 1).
    doc["unpriced"] = {**result.unpriced.as_dict(), "fails_budget": result.blocked}
    if r.groups is not None:
        doc.update(groups_dict(r.groups))
    return doc


def _rate(t: CheckTotals) -> str | None:
    rate = t.hit_rate
    return None if rate is None else plain(rate.quantize(Decimal("0.0001")))


def group_totals_dict(t: CheckTotals) -> dict[str, Any]:
    """One group's figures: cost_usd is the best case (batch_cache as submitted)."""
    return {
        "requests": t.requests,
        "rejected_requests": t.rejected,
        "tokens": dict(t.tokens),
        "cost_by_class_usd": {c: plain(v) for c, v in t.class_cost.items()},
        "cost_usd": plain(t.cost),
        "expected_usd": plain(t.expected),
        "worst_usd": plain(t.worst),
        "standard_usd": plain(t.standard),
        "saving_usd": plain(t.saving),
        "cache_hit_rate": _rate(t),
    }


def groups_dict(g: CheckGroups) -> dict[str, Any]:
    """check --group-by in JSON: the groups (leaves), the first-level subtotals of two levels
    and the --budget-per-group gates."""
    return {
        "group_by": list(g.group_by),
        "groups": [{"key": list(x.key), **group_totals_dict(x.totals)} for x in g.groups],
        "subtotals": [{"key": list(x.key), **group_totals_dict(x.totals)} for x in g.subtotals],
        "group_budgets": [
            {"group": gate.label, **budget_dict(gate.check), "unpriced_requests": gate.unpriced}
            | {"passes": gate.passed}
            for gate in g.gates
        ],
    }


def check_csv(result: CheckResult) -> str:
    r = result.report
    if r.groups is not None:
        # One row per group (the leaves); the groups add up to the file.
        return to_csv(
            GROUP_CSV_HEADER,
            [
                [
                    *g.key,
                    *([""] if len(g.key) < 2 else []),
                    g.totals.requests,
                    g.totals.rejected,
                    *g.totals.tokens.values(),
                    plain(g.totals.cost),
                    plain(g.totals.expected),
                    plain(g.totals.worst),
                    plain(g.totals.standard),
                    plain(g.totals.saving),
                    _rate(g.totals),
                ]
                for g in r.groups.groups
            ],
        )
    rows: list[list[Any]] = [["best", name, plain(total)] for name, total in r.totals.items()]
    rows += [
        ["expected", "batch_cache", plain(r.expected)],
        ["worst", "batch_cache", plain(r.worst)],
    ]
    return to_csv(["case", "scenario", "total_usd"], rows)


def warm_dict(r: CheckReport) -> dict[str, Any] | None:
    """The warm-up case of a check report (warmup.py), money as decimal strings."""
    w = getattr(r, "warm", None)
    if w is None:
        return None
    return {
        "primers": [
            {
                "custom_id": p.custom_id,
                "model": p.model,
                "line": p.line,
                "blocks": p.blocks,
                "tokens": p.tokens,
                "also_writes": len(p.covers),
                "cost_usd": plain(p.cost),
            }
            for p in w.primers[:100]  # the first 100 in file order; primer_count has all
        ],
        "primer_count": len(w.primers),
        "entries_primed": w.primed,
        "skipped_unread": w.skipped_unread,
        "skipped_under_minimum": w.skipped_small,
        "primer_cost_usd": plain(w.primer_cost),
        "batch_cost_usd": plain(w.batch_cost),
        "total_usd": plain(w.total),
        "expected_usd": plain(r.expected),
        "cheapest": r.cheapest,
        "five_minute_breakpoints": w.five_minute,
    }
