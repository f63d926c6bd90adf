"""Machine-readable output: JSON and CSV, following the contract in the README.

Money is a decimal string in JSON and a plain number in CSV, both at full precision; nothing is
computed here, only laid out.
"""

from __future__ import annotations

import dataclasses
import io
import json
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from enum import Enum
from pathlib import PurePath
from typing import Any

from costcalc.compute.engine import BudgetCheck, Estimate, Scenario, StackedRate, batch_rates
from costcalc.compute.outcomes import (
    ActualResult,
    CheckResult,
    EstimateResult,
    ModelsResult,
    PlanResult,
    SweepResult,
    TokensResult,
    WarmupResult,
)
from costcalc.compute.planning import Analysis, SweepPoint
from costcalc.fmt import plain
from costcalc.messages import render as render_message
from costcalc.messages import result_problem_text, ttl_reason
from costcalc.names import TOKEN_CLASSES
from costcalc.notices import SEVERITY, Notice
from costcalc.prices.model import ModelPrice
from costcalc.safe import csv_cell
from costcalc.version import __version__


def _json_safe(value: Any) -> Any:
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    return value


def notice_dict(n: Notice) -> dict[str, Any]:
    """One warning or problem in JSON, the same shape in every command's `notices`:
    {"code", "severity", "message", "figures", "lines"}."""
    return {
        "code": n.code,
        "severity": n.severity.value,
        "message": render_message(n),
        "figures": {k: _json_safe(v) for k, v in n.figures.items()},
        "lines": list(n.lines),
    }


def notices_list(notices: Iterable[Notice]) -> list[dict[str, Any]]:
    return [notice_dict(n) for n in notices]


LINE_COLUMNS = (
    ("uncached_input", "input"),
    ("cache_write", None),
    ("cache_read", "cache_read"),
    ("output", "output"),
)

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


# The JSON contract's version: every document carries it at the top level. Bump it only for a
# change a consumer must handle (a field renamed, removed or retyped); new fields do not.
SCHEMA_VERSION = 1


def _json_default(value: Any) -> Any:
    """What json cannot encode by itself: money at full precision as a decimal string."""
    if isinstance(value, Decimal):
        return plain(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, PurePath):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"no JSON form for {type(value).__name__}")


def to_json(doc: dict[str, Any]) -> str:
    """The one JSON encoder: every command's document, with `schema_version` at the top level
    (after `costcalc_version`)."""
    if "schema_version" not in doc:
        items = list(doc.items())
        at = 1 if items and items[0][0] == "costcalc_version" else 0
        doc = dict([*items[:at], ("schema_version", SCHEMA_VERSION), *items[at:]])
    return json.dumps(doc, indent=2, default=_json_default) + "\n"


def _date(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _line_for(s: Scenario, key: str | None, ttl: str):
    return s.line(key or f"cache_write_{ttl}")


def estimate_dict(est: Estimate, budget: BudgetCheck | None = None) -> dict[str, Any]:
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
        "warnings": [render_message(w) for w in est.warnings],
        "notices": notices_list(est.warnings),
        "budget": budget_dict(budget) if budget else None,
    }


def budget_dict(b: BudgetCheck) -> dict[str, Any]:
    return {
        "scenario": b.scenario,
        "budget_usd": plain(b.budget),
        "total_usd": plain(b.total),
        "within": b.within,
        "over_by_usd": plain(b.over_by),
        # error-severity notice codes that fail the gate although the cost is within budget
        "failed_by": list(b.errors),
        "passes": b.passes,
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


class CsvWriter:
    """RFC 4180 rows ending in "\n", for spreadsheets: a cell holding a comma, quote, CR or LF
    is quoted (the csv module leaves a lone CR unquoted when the line ends in "\n", and a CR
    splits the row in most readers), and a text cell that a spreadsheet would run as a formula
    is made text (safe.csv_cell). Numbers, including negative ones, are written as they are."""

    def __init__(self, file: Any) -> None:
        self._write = file.write

    @staticmethod
    def _cell(value: Any) -> str:
        if value is None:
            return ""
        text = str(csv_cell(value))
        if any(c in text for c in ',"\r\n'):
            return '"' + text.replace('"', '""') + '"'
        return text

    def writerow(self, row: Iterable[Any]) -> None:
        self._write(",".join(self._cell(v) for v in row) + "\n")

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    writer = CsvWriter(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


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
            "reason": ttl_reason(t),
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


def band_dict(b) -> dict[str, Any] | None:
    if b is None:
        return None
    return {"low": b.low, "central": b.central, "high": b.high, "exact": b.exact}


def token_source_dict(t) -> dict[str, Any]:
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


def _ratio_method(t) -> str:
    kinds = "".join(
        f"; {kind} {plain(lo)}-{plain(hi)} (central {plain(mid)})"
        for kind, (lo, mid, hi) in t.by_kind.items()
    )
    return (
        f"cl100k_base x {t.name} ratio {plain(t.low)}-{plain(t.high)} "
        f"(central {plain(t.central)}){' for text of unknown kind' if kinds else ''}{kinds}"
    )


def tokens_json(result: TokensResult) -> dict[str, Any]:
    columns = result.columns

    def row(r) -> dict[str, Any]:
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
            c.label: "count_tokens" if c.model_id else _ratio_method(c.tokenizer) for c in columns
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


def _param(value: Any) -> Any:
    return plain(value) if isinstance(value, Decimal) else value


def sweep_json(result: SweepResult) -> dict[str, Any]:
    points, swept = result.points, result.swept
    return {
        "costcalc_version": __version__,
        "swept": {name: [_param(v) for v in values] for name, values in swept.items()},
        "points": [
            {"params": {k: _param(v) for k, v in p.params.items()}, **analysis_dict(p.analysis)}
            for p in points
        ],
    }


def sweep_csv(result: SweepResult) -> str:
    points: list[SweepPoint] = result.points
    names = list(result.swept)
    header = [f"swept_{n}" for n in names] + ESTIMATE_CSV_HEADER
    rows = (
        [_param(p.params[n]) for n in names] + row
        for p in points
        for row in analysis_rows(p.analysis)
    )
    return to_csv(header, rows)


def plan_json(result: PlanResult) -> dict[str, Any]:
    jobs, totals, budget = result.jobs, result.totals, result.budget
    return {
        "costcalc_version": __version__,
        "jobs": [{"job": name, **analysis_dict(a)} for name, a in jobs],
        "totals": {name: plain(total) for name, total in totals.items()},
        "budget": budget_dict(budget) if budget else None,
    }


def plan_csv(result: PlanResult) -> str:
    jobs, totals = result.jobs, result.totals
    header = ["job", *ESTIMATE_CSV_HEADER]
    rows: list[list[Any]] = [[name, *row] for name, a in jobs for row in analysis_rows(a)]
    # Total rows carry only the job, scenario and total columns.
    total_at = header.index("total_usd")
    for scenario, total in totals.items():
        row: list[Any] = [""] * len(header)
        row[0], row[header.index("scenario")], row[total_at] = "TOTAL", scenario, plain(total)
        rows.append(row)
    return to_csv(header, rows)


def _status_group(m: ModelPrice, on: date) -> str:
    if not m.is_current(on):
        return "retired"
    return "active" if m.status == "active" else "legacy"


def _span_dict(start: date | None, until: date | None) -> dict[str, Any]:
    return {"effective_from": _date(start), "effective_until": _date(until)}


def model_dict(m: ModelPrice, stacked: StackedRate, on: date | None = None) -> dict[str, Any]:
    on = on or date.today()
    b = batch_rates(m, on)
    p = m.prices_on(on)
    classes = TOKEN_CLASSES
    return {
        "id": m.id,
        "name": m.name,
        "aliases": list(m.aliases),
        "status": m.status,
        "released": _date(m.released),
        "deprecated": _date(m.deprecated),
        "retired": _date(m.retired),
        "tokenizer": m.tokenizer,
        "prices_per_mtok": {c: plain(p.rate(c)) for c in classes},
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
        "us_inference_multiplier": plain(m.us_inference_multiplier)
        if m.us_inference_multiplier
        else None,
        "fast_prices_per_mtok": {c: plain(m.fast.rate(c)) for c in classes} if m.fast else None,
        "source": m.source,
        "checked": m.checked.isoformat(),
        # Fields added with section 12's models (new fields only; the above keep their names).
        "status_group": _status_group(m, on),
        "prices_date": on.isoformat(),
        "unconfirmed": m.unconfirmed,
        # which price groups (input, output, cache, batch, fast) are unconfirmed
        "unconfirmed_prices": list(m.unconfirmed_parts),
        "dated_prices": [
            {
                **_span_dict(d.effective_from, d.effective_until),
                "prices_per_mtok": {c: plain(d.prices.rate(c)) for c in classes},
            }
            for d in m.dated_prices
        ],
        "fast_mode": None
        if m.fast is None
        else {**_span_dict(m.fast_from, m.fast_until), "deprecated": _date(m.fast_deprecated)},
        "max_output_batch": m.max_output_batch,
        "max_output_batch_beta": m.max_output_batch_beta,
        "image_tier": m.image_tier,
        "tool_use_system_prompt": [
            {
                **_span_dict(t.effective_from, t.effective_until),
                "auto_none": t.auto_none,
                "any_tool": t.any_tool,
            }
            for t in m.tool_use_system_prompt
        ],
    }


def models_json(result: ModelsResult) -> dict[str, Any]:
    models = [model_dict(m, s, result.on) for m, s in result.rows]
    return {"costcalc_version": __version__, "models": models}


MODELS_CSV_HEADER = [
    "id",
    "name",
    "status",
    "input",
    "cache_write_5m",
    "cache_write_1h",
    "cache_read",
    "output",
    "batch_input",
    "batch_cache_write_5m",
    "batch_cache_write_1h",
    "batch_cache_read",
    "batch_output",
    "batch_cache_read_pct_of_input",
    "min_cache_tokens",
    "context_window",
    "max_output",
    "us_inference_multiplier",
    "fast_input",
    "fast_output",
    "aliases",
    "source",
    "checked",
    # Added with section 12's models.
    "status_group",
    "unconfirmed",
    "max_output_batch",
    "image_tier",
    "fast_until",
    "prompt_tiers",
    "dated_prices",
]


def _rates_text(r) -> str:
    return "/".join(plain(r.rate(c)) for c in TOKEN_CLASSES)


def models_csv(result: ModelsResult) -> str:
    rows, on = result.rows, result.on

    def row(m: ModelPrice, s: StackedRate) -> list[Any]:
        b = batch_rates(m, on)
        p = m.prices_on(on)
        classes = TOKEN_CLASSES
        # Tiers and dated rows in one cell each: "condition:input/5m/1h/read/output; ...".
        tiers = "; ".join(
            f">{t.threshold} {_date(t.effective_from) or ''}..{_date(t.effective_until) or ''}:"
            f"{_rates_text(t.prices)}"
            for t in m.long_context
        )
        dated = "; ".join(
            f"{_date(d.effective_from) or ''}..{_date(d.effective_until) or ''}:"
            f"{_rates_text(d.prices)}"
            for d in m.dated_prices
        )
        return [
            m.id,
            m.name,
            m.status,
            *(plain(p.rate(c)) for c in classes),
            *(plain(b.rate(c)) for c in classes),
            plain(s.percent),
            m.min_cache_tokens,
            m.context_window or "",
            m.max_output or "",
            plain(m.us_inference_multiplier) if m.us_inference_multiplier else "",
            plain(m.fast.input) if m.fast else "",
            plain(m.fast.output) if m.fast else "",
            " ".join(m.aliases),
            m.source,
            m.checked.isoformat(),
            _status_group(m, on),
            "true" if m.unconfirmed else "false",
            m.max_output_batch or "",
            m.image_tier or "",
            _date(m.fast_until) or "",
            tiers,
            dated,
        ]

    return to_csv(MODELS_CSV_HEADER, (row(m, s) for m, s in rows))


def check_dict(r, budget: BudgetCheck | None = None) -> dict[str, Any]:
    b = r.batch
    return {
        "costcalc_version": __version__,
        "file": str(b.path),
        "form": b.form,
        "bytes": b.size,
        "requests": len(b.requests),
        "malformed_lines": b.malformed,
        "rejected_requests_not_priced": r.rejected,
        "token_counts": "count_tokens (exact)" if r.exact else "estimate (cl100k_base x ratio)",
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
                "figures": {k: _json_safe(v) for k, v in p.figures.items()},
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
    return doc


def check_csv(result: CheckResult) -> str:
    r = result.report
    rows: list[list[Any]] = [["best", name, plain(total)] for name, total in r.totals.items()]
    rows += [
        ["expected", "batch_cache", plain(r.expected)],
        ["worst", "batch_cache", plain(r.worst)],
    ]
    return to_csv(["case", "scenario", "total_usd"], rows)


RESULTS_CSV_HEADER = [
    "custom_id",
    "model",
    "input_tokens",
    "cache_write_5m_tokens",
    "cache_write_1h_tokens",
    "cache_read_tokens",
    "output_tokens",
    "web_searches",
    "inference_geo_us",
    "cost_usd",
    "service_tier",  # as reported (empty when absent); appended so earlier columns keep place
    "speed",
]


class ResultsCsv:
    """Per-request CSV rows, streamed (a results file can be several GB) to a temporary file:
    renamed over --out, or copied to stdout, only when the whole file has been read, so a
    line that stops the run (exit 2) never leaves half a CSV behind. The stdout buffer is
    spooled to disk past a few MB, so memory does not grow with the number of requests."""

    def __init__(self, out) -> None:
        self.out = out

    def __enter__(self) -> ResultsCsv:
        import tempfile

        from costcalc.files.outputs import atomic_file

        self._target = None if self.out is None else atomic_file(self.out)
        self._file: Any
        if self._target is None:
            self._file = tempfile.SpooledTemporaryFile(
                max_size=8 << 20, mode="w+", encoding="utf-8", newline=""
            )
        else:
            self._file = self._target.__enter__()
        self._writer = CsvWriter(self._file)
        self._writer.writerow(RESULTS_CSV_HEADER)
        return self

    def row(self, custom_id, model, usage, lines, search_cost) -> None:
        t = usage.tokens
        # An unpriced request (no prices for its usage) gets an empty cost, never 0.
        total = None if lines is None else sum((line.cost for line in lines), search_cost)
        self._writer.writerow(
            [
                custom_id,
                model,
                t["input"],
                t["cache_write_5m"],
                t["cache_write_1h"],
                t["cache_read"],
                t["output"],
                usage.web_searches,
                "true" if usage.us else "false",
                "" if total is None else plain(total),
                usage.service_tier or "",
                "fast" if usage.fast else "standard",
            ]
        )

    def __exit__(self, kind, value, tb) -> bool | None:
        if self._target is None:
            import shutil
            import sys

            with self._file:
                if kind is None:
                    self._file.seek(0)
                    shutil.copyfileobj(self._file, sys.stdout)
                    sys.stdout.flush()
            return None
        return self._target.__exit__(kind, value, tb)


def actual_dict(r, comparison=None) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "costcalc_version": __version__,
        "file": str(r.path),
        "priced_as": "batch" if r.batch else "real-time",
        # The date whose prices were used (--date, else today).
        "priced_on": r.priced_on.isoformat() if r.priced_on is not None else None,
        "results": r.counts,
        "malformed_lines": r.malformed,
        "lines": [
            {
                "token_class": line.token_class,
                "tokens": line.tokens,
                "average_rate_per_mtok": plain(line.rate),
                "cost_usd": plain(line.cost),
            }
            for line in r.lines
        ],
        "web_searches": r.web_searches,
        "web_search_usd": plain(r.web_search_cost),
        "total_usd": plain(r.total),
        "per_request_usd": plain(r.per_request) if r.per_request is not None else None,
        "per_model": {
            m: {"requests": n, "total_usd": plain(t)} for m, (n, t) in r.per_model.items()
        },
        "cache": {
            "requests_that_wrote": r.wrote,
            "requests_that_read": r.read,
            "requests_that_did_both": r.both,
            "requests_that_did_neither": r.neither,
            "read_share_of_cached_prefix_tokens": plain(r.read_share)
            if r.read_share is not None
            else None,
            "effective_input_rate_vs_standard": plain(r.effective_input_rate)
            if r.effective_input_rate is not None
            else None,
        },
        "warnings": [render_message(w) for w in r.warnings],
        "notices": notices_list(r.warnings),
        "comparison": None,
        # Each line is priced by its own usage.service_tier / speed (results.py): requests per
        # tier as priced (batch, standard, priority at standard rates, fast, unpriced).
        "service_tiers": dict(r.service_tiers),
        "unpriced_requests": r.unpriced,
        "web_fetches": r.web_fetches,
        # diagnostics.cache_miss_reason of the succeeded lines that carry one, by its type.
        "cache_miss_reasons": {
            reason: {"requests": n, "missed_input_tokens": missed}
            for reason, (n, missed) in r.cache_miss_reasons.items()
        },
        "problems": [
            {
                "code": p.code,
                "severity": SEVERITY[p.code].value,
                "message": result_problem_text(p.code),
                "count": p.count,
                "lines": list(p.lines),
            }
            for p in r.problems
        ],
    }
    if comparison is not None:
        doc["comparison"] = {
            "estimate": comparison.source,
            "estimated_requests": comparison.estimated_requests,
            "lines": [
                {
                    "token_class": d.token_class,
                    "estimated_tokens": d.estimated_tokens,
                    "actual_tokens": d.actual_tokens,
                    "estimated_usd": plain(d.estimated_cost),
                    "actual_usd": plain(d.actual_cost),
                }
                for d in comparison.rows
            ],
            "estimated_total_usd": plain(comparison.estimated_total),
            "actual_total_usd": plain(comparison.actual_total),
            "explanations": [render_message(n) for n in comparison.explanations],
            "explanation_notices": notices_list(comparison.explanations),
        }
    return doc


def actual_json(result: ActualResult) -> dict[str, Any]:
    doc = actual_dict(result.report, result.comparison)
    doc["cold_start"] = cold_start_dict(result.cold)
    return doc


def warm_dict(r) -> dict[str, Any] | None:
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


def warmup_json(result: WarmupResult) -> dict[str, Any]:
    r, written, out, ttl_copy = result.report, result.written, result.out, result.ttl_copy
    return {
        "costcalc_version": __version__,
        "file": str(r.batch.path),
        "entries": r.entry_count,
        **(warm_dict(r) or {}),
        # Requests left out (never $0): the warm-up and `cheapest` cover the priced part only.
        "unpriced": r.unpriced.as_dict(),
        "notices": notices_list(r.warm_notices),
        "primer_file": None if out is None else str(out),
        "primer_requests_written": written,
        "ttl_1h_copy": None if ttl_copy is None else str(ttl_copy),
        "steps": [
            "submit the primer batch",
            "wait until it has ended",
            "submit the batch within the hour",
        ],
    }


def cold_start_dict(c) -> dict[str, Any] | None:
    """actual's "cold_start" object (null without --batch)."""
    return (
        None
        if c is None
        else {
            "matched_requests": c.matched,
            "misses": c.misses,
            "tokens_written_again": c.tokens,
            "extra_cost_usd": plain(c.extra_cost),
            "primer_cost_usd": plain(c.primer_cost),
            "warm_up_would_save_usd": plain(c.saved),
            # Added later: every write of a primed entry (the first writer's too), the results
            # not in the request file, and the verdict (null when none matched it).
            "unmatched_requests": c.unmatched,
            "primed_tokens_written": c.primed_tokens,
            "primed_extra_cost_usd": plain(c.primed_extra_cost),
            "verdict": c.verdict,
            "notices": notices_list(c.notices),
        }
    )
