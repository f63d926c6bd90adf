"""`costcalc actual` as JSON, and its per-request CSV streamed while the results file is read."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from costcalc.compute.outcomes import ActualResult
from costcalc.fmt import plain
from costcalc.messages import render as render_message
from costcalc.messages import result_problem_text
from costcalc.notices import SEVERITY
from costcalc.present.csv_writer import CsvWriter
from costcalc.present.estimate_data import workload_dict
from costcalc.present.notices_data import notices_list
from costcalc.version import __version__

if TYPE_CHECKING:
    from decimal import Decimal
    from pathlib import Path
    from types import TracebackType

    from costcalc.compute.actual import Comparison, ResultsReport, Usage
    from costcalc.compute.coldstart import ColdStart
    from costcalc.compute.comparison import EstimateSource
    from costcalc.compute.engine import Line

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

    def __init__(self, out: Path | None) -> None:
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

    def row(
        self,
        custom_id: str,
        model: str,
        usage: Usage,
        lines: tuple[Line, ...] | None,
        search_cost: Decimal,
    ) -> None:
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

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> bool | None:
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


def actual_dict(r: ResultsReport, comparison: Comparison | None = None) -> dict[str, Any]:
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
        doc["comparison"] = _comparison_dict(comparison)
    return doc


def _source_dict(source: EstimateSource) -> dict[str, Any]:
    """What the estimate came from, as a kind and its figures: the request file as submitted
    (check's best case), or the plan (estimate's workload on one model)."""
    if source.kind == "request_file":
        return {"kind": source.kind, "file": source.file}
    return {"kind": source.kind, "model": source.model.id, **workload_dict(source.workload)}


def _comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """actual's "comparison" object: the estimate against the actual bill."""
    return {
        "estimate": _source_dict(comparison.source),
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


def actual_json(result: ActualResult) -> dict[str, Any]:
    doc = actual_dict(result.report, result.comparison)
    doc["cold_start"] = cold_start_dict(result.cold)
    return doc


def cold_start_dict(c: ColdStart | None) -> dict[str, Any] | None:
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
