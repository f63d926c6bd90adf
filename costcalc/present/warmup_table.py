"""`costcalc warmup` as a table: what the primer batch costs, and the steps to follow."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from costcalc import fmt
from costcalc.compute.outcomes import WarmupResult
from costcalc.present.cells import plural
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
        steps.append(f"Wrote {plural(written, 'primer request')} to {plain_inert(out)}.\n")
    steps.append("Steps:\n", style="bold")
    steps.append(
        "  1. submit the primer batch"
        + (f" ({plain_inert(out)})" if out is not None else " (--out PRIMER.jsonl writes it)")
        + "\n  2. wait until it has ended (processing_status: ended)\n"
        "  3. submit the batch within the hour (the primed entries live 1h)\n"
    )
    if w.five_minute:
        steps.append(
            "The file's own breakpoints use the 5m TTL: a batch can run longer than 5 minutes, "
            "so its writes expire early; "
        )
        if ttl_copy is not None:
            steps.append(f"a copy with every breakpoint at 1h is in {plain_inert(ttl_copy)}.\n")
        else:
            steps.append("--ttl-1h OUT.jsonl writes a copy with every breakpoint at 1h.\n")
    steps.rstrip()
    return steps


def warmup_view(
    r: CheckReport, written: int | None, out: Path | None, ttl_copy: Path | None
) -> RenderableType:
    """What `costcalc warmup` did and what it costs, with the steps to follow."""
    w = r.warm
    assert w is not None  # a warmup report always carries its warm-up case
    text = Text()
    text.append(plain_inert(r.batch.path), style="bold")
    text.append(
        f": {r.entry_count:,} distinct cache entr{'ies' if r.entry_count != 1 else 'y'}; "
        f"{plural(len(w.primers), 'primer request')} "
        f"warm{'s' if len(w.primers) == 1 else ''} {w.primed:,} of them\n"
    )
    if w.skipped_unread:
        text.append(
            f"  {w.skipped_unread:,} entr{'ies' if w.skipped_unread != 1 else 'y'} no other "
            "request reads: not primed (priming adds a 1h write and still costs a read; the "
            "request writing it itself is cheaper)\n"
        )
    if w.skipped_small:
        text.append(
            f"  {w.skipped_small:,} entr{'ies' if w.skipped_small != 1 else 'y'} under the "
            "model's minimum cacheable length: not cached, not primed\n"
        )
    nested = sum(len(p.covers) for p in w.primers)
    if nested:
        text.append(
            f"  {nested:,} shorter entr{'ies' if nested != 1 else 'y'} written by the primer "
            "of a longer one (its breakpoint is kept): no primer of "
            f"{'its' if nested == 1 else 'their'} own\n"
        )
    if not w.primers:
        text.append("Nothing to warm: no cache entry is shared by two requests.\n")
        return text
    rows: list[Row] = [
        (
            [
                "primer batch (1h batch writes, max_tokens of output, a 1-character user turn)",
                fmt.usd_auto(w.primer_cost),
            ],
            False,
        ),
        (["the batch with every primed entry read", fmt.usd_auto(w.batch_cost)], False),
        (["warm-up total", fmt.usd_auto(w.total)], True),
        (
            [
                f"without warm-up: expected ({fmt.pct(r.hit_rate * 100)} hits)",
                fmt.usd_auto(r.expected),
            ],
            False,
        ),
        (["without warm-up: worst (0% hits)", fmt.usd_auto(r.worst)], False),
    ]
    table = grid("Cost", [("Case", "left"), ("Total", "right")], rows)
    steps = _steps_text(w, written, out, ttl_copy)
    warned = warnings_text(r.warnings)
    if warned is not None:
        return Group(text, table, steps, warned)
    return Group(text, table, steps)


def warmup_table(result: WarmupResult) -> RenderableType:
    r = result.report
    view = warmup_view(r, result.written, result.out, result.ttl_copy)
    if r.unpriced.count:
        return Group(unpriced_view(r.unpriced.count, list(r.warm_notices)), view)
    return view
