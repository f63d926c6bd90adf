"""costcalc warmup: a primer batch that warms a request file's shared cache entries."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from costcalc.commands.common import apply_hit_rate_from, load
from costcalc.compute import outcomes
from costcalc.compute.check import check
from costcalc.compute.failclosed import require_something_to_price
from costcalc.compute.warmup import Primer, primer_requests, ttl_1h_requests
from costcalc.errors import CodedError, Exit
from costcalc.files.inputs import label, rereadable
from costcalc.files.outputs import check_target
from costcalc.present.primer_files import write_primer_files
from costcalc.present.registry import present
from costcalc.read.batchfile import Entry
from costcalc.read.requestitems import request_items
from costcalc.tokens.count import load_cl100k

# The cli imports a command's module only when that command runs (cli.args.LazyRun), so a
# command module imports what it uses at its top; the few imports left inside functions are
# for options most runs do not use (the optional Anthropic SDK), each with why.


def run_warmup(args: argparse.Namespace) -> int:
    """Price the warm-up of a request file and write its primer batch (warmup.py)."""

    if args.ttl_1h is not None:
        check_target(args.ttl_1h, [args.file], "--ttl-1h")
        if args.out is not None and args.ttl_1h.resolve() == args.out.resolve():
            raise CodedError("same_file", first="--out", second="--ttl-1h")
    apply_hit_rate_from(args)
    pricing = load(args)
    on = args.date or date.today()
    encoding = load_cl100k()
    # The file is read again to write the primer and the 1h copy (and by check, when it is too
    # large to keep its record): standard input, a FIFO or <(...) is saved once to a temporary
    # file for that.
    with rereadable(args.file) as source:
        report = check(
            source,
            pricing,
            on,
            counter=lambda text: len(encoding.encode_ordinary(text)),
            hit_rate=args.hit_rate,
        )
        report.batch.path = args.file
        require_something_to_price(report.batch, label(args.file), pricing)
        warm = report.warm
        assert warm is not None
        if not warm.primers and args.out is not None:
            why = "no_breakpoints" if not report.entry_count else "nothing_shared"
            raise CodedError("nothing_to_warm", file=label(args.file), why=why)
        written = None
        if args.out is not None or args.ttl_1h is not None:
            written = _write_files(args, source, list(warm.primers), report.batch.entries)
    # --out names the primer file here, so the report always goes to stdout.
    result = outcomes.WarmupResult(report, written, args.out, args.ttl_1h)
    present(result, args.format, None)
    return Exit.OK


def _write_files(
    args: argparse.Namespace, source: Path, chosen: list[Primer], entries: list[Entry]
) -> int | None:
    """The primer batch (--out) and the 1h copy (--ttl-1h), both or neither: the request file
    is read again for each (read.requestitems), the requests made by compute.warmup, the
    files written by present.primer_files. Returns how many primer requests were written."""
    name = label(args.file)
    if args.ttl_1h is not None:
        check_target(args.ttl_1h, [source])
    primers: list[dict[str, Any]] = []
    if args.out is not None:
        # Read and cut before any file is opened: a request gone since `check` read the file
        # stops the command with nothing written.
        primers = primer_requests(request_items(source), chosen, entries, name)
    copy = ttl_1h_requests(request_items(source), name)
    return write_primer_files(args.out, primers, args.ttl_1h, copy)
