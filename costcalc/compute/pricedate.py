"""Which date's prices priced a results file, and whether that choice matters.

Batch results are available for 29 days after the batch was created
(https://platform.claude.com/docs/en/build-with-claude/batch-processing), and a batch ends
within 24 hours of its creation. So results priced today come from a batch that ran within the
29 days before today, and when a price they use changed inside that window, today's price may
not be the one billed: the notice names the changes, and the presenters the date to give.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from costcalc.notices import Notice, notice
from costcalc.prices.model import DatedRates, LongContextTier, ModelPrice

RESULTS_KEPT_DAYS = 29


def change_dates(model: ModelPrice, fast: bool) -> set[date]:
    """The days on which a price of `model` changed: its dated rows and prompt-length tiers
    begin or end, and (for fast-mode lines) its fast mode begins or ends; after its release."""
    days: set[date] = set()
    spans: list[DatedRates | LongContextTier] = [*model.dated_prices, *model.long_context]
    for span in spans:
        days.update(d for d in (span.effective_from, span.effective_until) if d is not None)
    if fast:
        days.update(d for d in (model.fast_from, model.fast_until) if d is not None)
    # A row that starts on the release day changed nothing: no batch ran on the model before.
    return {d for d in days if model.released is None or d > model.released}


def price_changes(models: Iterable[ModelPrice], on: date, *, fast: bool = False) -> Notice | None:
    """A notice when a price of `models` changed after the earliest day a batch whose results
    are still available could have run (on - 29 days) and on or before `on`; else None."""
    start = on - timedelta(days=RESULTS_KEPT_DAYS)
    changes = sorted(
        (changed, model.id)
        for model in models
        for changed in change_dates(model, fast)
        if start < changed <= on
    )
    if not changes:
        return None
    return notice(
        "price_changed_in_window",
        priced_on=on.isoformat(),
        window_days=RESULTS_KEPT_DAYS,
        changes=[{"model": m, "changed": d.isoformat()} for d, m in changes],
    )
