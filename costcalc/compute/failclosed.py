"""What a request file holds that cannot be priced, and the limits the API enforces.

Fail closed: a request that cannot be priced is never counted as $0. When nothing in a file can
be priced the command stops with one line saying why (exit 2); when some requests cannot be
priced the report says how many and why, and a budget gate fails unless --allow-unpriced.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from costcalc.errors import CodedError, CostcalcError
from costcalc.notices import Notice, notice
from costcalc.prices.model import Pricing
from costcalc.read.requests import BatchFile

# Problem kinds whose requests are left out of the cost because they cannot be priced (the
# API-refused ones are left out too, but those are not billed either).
UNPRICED_KINDS = ("malformed", "unknown_model")
# Problem kinds that make the API refuse a request (batchfile, check): each such request is
# left out of the cost and is not billed.
REJECTING_KINDS = (
    "max_tokens",
    "max_tokens_too_large",
    "max_tokens_over_limit",
    "thinking_budget",
    "stream",
    "fast_mode",
    "messages",
    "cache_control_invalid",
    "breakpoints",
    "context_window",
    "model_not_api_id",
    "inference_geo_invalid",
    "inference_geo_unsupported",
    "temperature_rejected",
    "pdf_too_many_pages",
)
_DATED = re.compile(r"-(?:20\d{6}|latest)$")


@dataclass(frozen=True)
class Unpriced:
    count: int
    reasons: dict[str, int]  # problem kind -> requests
    notes: list[Notice]  # one per reason (unpriced_malformed, unpriced_unknown_model)

    def as_dict(self) -> dict[str, Any]:
        return {"count": self.count, "reasons": self.reasons}


def suggest_model(name: str, pricing: Pricing) -> str | None:
    """The nearest known id: a dated id ('claude-opus-4-7-20260416') first by its undated
    name, otherwise the closest spelling."""
    undated = _DATED.sub("", name.strip())
    if undated != name.strip():
        try:
            return pricing.resolve(undated).id
        except CostcalcError:
            pass
    close = pricing.suggest(name, limit=1)
    return close[0] if close else None


def _model_note(name: str, n: int, pricing: Pricing) -> Notice:
    hint = suggest_model(name, pricing)
    return notice("unpriced_unknown_model", name=name, count=n, suggestion=hint)


def unpriced(batch: BatchFile, pricing: Pricing) -> Unpriced:
    reasons = {
        kind: batch.problems[kind].count for kind in UNPRICED_KINDS if kind in batch.problems
    }
    notes = []
    if "malformed" in reasons:
        notes.append(notice("unpriced_malformed", count=reasons["malformed"]))
    notes += [_model_note(name, n, pricing) for name, n in batch.unknown_models.items()]
    return Unpriced(sum(reasons.values()), reasons, notes)


def require_something_to_price(batch: BatchFile, label: str, pricing: Pricing) -> None:
    """Raise the one-line reason when no request in the file can be priced."""
    req = batch.requests
    if len(req) > batch.rejected:
        # Requests the API would refuse are reported as problems (not billed, so not in the
        # cost; --strict fails on them) while another request can be priced.
        return
    if len(req):
        # Every request read would be refused: $0 "within budget" would pass a file that
        # cannot run at all. Rejecting problems are raised only on requests read (a known
        # model), so here every line they name is a refused request.
        # (count, problem code, first line) of each kind; messages words them.
        def kinds(among: tuple[str, ...]) -> list[tuple[int, str, int]]:
            found = batch.problems
            return [(found[k].count, k, found[k].lines[0]) for k in among if k in found]

        reasons, left = kinds(REJECTING_KINDS), kinds(UNPRICED_KINDS)
        raise CodedError("all_rejected", file=label, rejected=reasons, unpriced=left)
    if batch.looks_like == "results":
        stdin = str(batch.path) == "-"
        raise CodedError("results_not_requests", file=label, stdin=stdin, form=batch.form)
    if not batch.requests and not batch.problems:
        raise CodedError("requests_empty", file=label)
    if batch.unknown_models:
        # The first unknown model's figures (as its unpriced_unknown_model notice has them);
        # messages words them.
        name, n = next(iter(batch.unknown_models.items()))
        more = len(batch.unknown_models) - 1
        raise CodedError(
            "all_unknown_models", file=label, **_model_note(name, n, pricing).figures, more=more
        )
    first = min((p.lines[0] for p in batch.problems.values() if p.lines), default=1)
    raise CodedError("not_a_request_file", file=label, item=first)


def add_api_limit_problems(batch: BatchFile, pricing: Pricing, on: date) -> None:
    """Problems for the limits the Message Batches API enforces on the whole file and on
    models: more requests or bytes than one batch takes, and models retired on `on`."""
    limits = pricing.batch_limits
    req = batch.requests
    if len(req) > limits.max_requests:
        batch.problem(
            "too_many_requests", req.line[limits.max_requests], max_requests=limits.max_requests
        )
    if batch.size > limits.max_bytes:
        total = 0
        for r in range(len(req)):
            total += req.size[r]
            if total > limits.max_bytes:
                batch.problem("too_large", req.line[r], max_bytes=limits.max_bytes)
                break
    by_id = {m.id: m for m in pricing.models}
    retired = {i for i, name in enumerate(batch.models) if not by_id[name].is_current(on)}
    for r in range(len(req)) if retired else ():
        if req.model[r] in retired:
            model = by_id[batch.models[req.model[r]]]
            batch.problem("retired_model", req.line[r], model=model.id, retired=on.isoformat())
