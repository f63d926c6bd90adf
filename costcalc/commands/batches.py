"""actual --batch with several request files: each planned as `costcalc check` plans it, one
at a time, and indexed by custom_id for the cold-start misses of a many-file report
(compute/coldstart.ColdIndex, compute/manyresults.read_many)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from costcalc.compute.check import check
from costcalc.compute.coldstart import ColdIndex
from costcalc.compute.failclosed import require_something_to_price
from costcalc.compute.manyresults import expand
from costcalc.errors import CodedError, CostcalcError
from costcalc.files.inputs import label, open_binary, rereadable
from costcalc.read.requestitems import request_ids
from costcalc.tokens.count import Counter, text_of

if TYPE_CHECKING:
    from costcalc.compute.coldstart import ColdIndex
    from costcalc.prices.model import Pricing


def plan_batches(paths: list[Path], pricing: Pricing, on: date, batch: bool) -> ColdIndex:
    """The request files given with --batch (files, directories, globs), planned one at a time
    as `costcalc check` plans them and indexed by custom_id (coldstart.ColdIndex). A stream (a
    FIFO, standard input) is copied once to a temporary file, removed when its file is done."""

    index = ColdIndex(pricing, on, batch=batch)
    tokens = Counter()  # one for every file: their shared prefixes are counted once
    for path in expand(paths, "batch_dir_empty"):
        name = label(path)
        with rereadable(path) as source:
            _refuse_results(source, name)
            planned = check(source, pricing, on, counter=lambda t: tokens.count(text_of(t)))
            require_requests(planned, name, pricing)
            ids = request_ids(source, planned.batch.requests.line)
        index.add(name, planned, ids)
        del planned, ids  # the index keeps what it needs; the rest goes before the next file
    return index


def _refuse_results(path: Path, name: str) -> None:
    """A results file given as a request file: its first line says so (a "result" member and
    no "params"); check would call every line a bad request instead."""

    with open_binary(path) as f:
        first = f.readline(1 << 20)
    try:
        item = json.loads(first)
    except ValueError:
        return  # check names what is wrong with it
    if isinstance(item, dict) and "result" in item and "params" not in item:
        raise CodedError("batch_file_is_results", file=name)


def require_requests(planned: Any, name: str, pricing: Pricing) -> None:
    """A request file with nothing to price (empty, or every request refused) cannot be what
    was submitted: exit 2 naming it, never a comparison with $0 or a silent file."""

    try:
        require_something_to_price(planned.batch, name, pricing)
    except CostcalcError as exc:
        raise CodedError("actual_batch_not_submitted", error=str(exc)) from None
