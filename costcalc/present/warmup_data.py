"""`costcalc warmup` as JSON: the primer batch, its cost, and the steps to follow."""

from __future__ import annotations

from typing import Any

from costcalc.compute.outcomes import WarmupResult
from costcalc.present.check_data import warm_dict
from costcalc.present.notices_data import notices_list
from costcalc.version import __version__


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
        # What to do, as codes (the table words them): submit the primer batch, wait until it
        # has ended, submit the batch within the hour its 1h entries live.
        "steps": ["submit_primer", "wait_until_ended", "submit_batch_within_1h"],
    }
