"""The cache hit rate an earlier run measured, for planning the next one (`--hit-rate-from`):
cache-read tokens over cache-read plus cache-write tokens of the succeeded lines."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from costcalc.compute.actual import read_results
from costcalc.errors import CodedError
from costcalc.files.inputs import label
from costcalc.prices.model import Pricing


def measured_hit_rate(path: Path, pricing: Pricing, on: date) -> tuple[Decimal, int, int]:
    """(hit rate, succeeded requests, requests with cached tokens) of an earlier run's results:
    cache-read tokens over cache-read plus cache-write tokens, over the succeeded lines, to four
    places. A run without cached tokens measures nothing: an error, never a rate of 0 or 1."""
    report = read_results(path, pricing, on)
    share = report.read_share
    if share is None:
        raise CodedError("no_hit_rate_measurable", file=label(path))
    cached = report.wrote + report.read - report.both
    return share.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP), report.succeeded, cached
