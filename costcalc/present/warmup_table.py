"""`costcalc warmup` as a table: what the primer batch costs, and the steps to follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from costcalc import fmt
from costcalc.compute.outcomes import WarmupResult
from costcalc.messages.text import text
from costcalc.present.check_table import unpriced_view
from costcalc.present.grid import Row, grid
from costcalc.present.notices_table import warnings_text
from costcalc.safe import plain_inert

if TYPE_CHECKING:
    from pathlib import Path

    from costcalc.compute.check import Report as CheckReport
    from costcalc.compute.warmup import WarmCase


def _steps_text(w: WarmCase, written: int | None, out: Path | None, ttl_copy: Path | None) -> Text:
    """What was written, and the steps to follow to warm the cache before the batch."""
    steps = Text()
    if written is not None:
        steps.append(text("warmup.wrote", count=written, path=plain_inert(out)) + "\n")
    steps.append(text("warmup.steps_title") + "\n", style="bold")
    if out is not None:
        submit = text("warmup.step_submit_primer_at", path=plain_inert(out))
    else:
        submit = text("warmup.step_submit_primer")
    steps.append(
        f"  1. {submit}\n  2. {text('warmup.step_wait')}\n  3. {text('warmup.step_submit_batch')}\n"
    )
    if w.five_minute:
        if ttl_copy is not None:
            steps.append(text("warmup.five_minute_copied", path=plain_inert(ttl_copy)) + "\n")
        else:
            steps.append(text("warmup.five_minute") + "\n")
    steps.rstrip()
    return steps


def warmup_view(
    r: CheckReport, written: int | None, out: Path | None, ttl_copy: Path | None
) -> RenderableType:
    """What `costcalc warmup` did and what it costs, with the steps to follow."""
    w = r.warm
    assert w is not None  # a warmup report always carries its warm-up case
    head = Text()
    head.append(plain_inert(r.batch.path), style="bold")
    counts = text("warmup.head", entries=r.entry_count, primers=len(w.primers), primed=w.primed)
    head.append(counts + "\n")
    if w.skipped_unread:
        head.append(f"  {text('warmup.skipped_unread', count=w.skipped_unread)}\n")
    if w.skipped_small:
        head.append(f"  {text('warmup.skipped_small', count=w.skipped_small)}\n")
    nested = sum(len(p.covers) for p in w.primers)
    if nested:
        head.append(f"  {text('warmup.nested', count=nested)}\n")
    if not w.primers:
        head.append(text("warmup.nothing_to_warm") + "\n")
        return head
    expected = text("warmup.case_expected", hit_rate=fmt.pct(r.hit_rate * 100))
    rows: list[Row] = [
        ([text("warmup.case_primer"), fmt.usd_auto(w.primer_cost)], False),
        ([text("warmup.case_batch"), fmt.usd_auto(w.batch_cost)], False),
        ([text("warmup.case_total"), fmt.usd_auto(w.total)], True),
        ([expected, fmt.usd_auto(r.expected)], False),
        ([text("warmup.case_worst"), fmt.usd_auto(r.worst)], False),
    ]
    columns = [(text("warmup.col_case"), "left"), (text("warmup.col_total"), "right")]
    table = grid(text("warmup.title_cost"), columns, rows)
    steps = _steps_text(w, written, out, ttl_copy)
    warned = warnings_text(r.warnings)
    if warned is not None:
        return Group(head, table, steps, warned)
    return Group(head, table, steps)


def warmup_table(result: WarmupResult) -> RenderableType:
    r = result.report
    view = warmup_view(r, result.written, result.out, result.ttl_copy)
    if r.unpriced.count:
        return Group(unpriced_view(r.unpriced.count, list(r.warm_notices)), view)
    return view
