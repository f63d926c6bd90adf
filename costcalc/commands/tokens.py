"""costcalc tokens: token counts of text files, per Claude tokenizer."""

from __future__ import annotations

import argparse
from pathlib import Path

from costcalc.commands.common import load
from costcalc.compute import outcomes
from costcalc.errors import CodedError, Exit
from costcalc.present.registry import present
from costcalc.tokens.count import Column, Counter, expand, read_text, tabulate, tabulate_counted
from costcalc.tokens.stream import count_file
from costcalc.tokens.subtable import Cl100kCounter


def run_tokens(args: argparse.Namespace) -> int:
    if args.exact and not args.model:
        raise CodedError("tokens_exact_needs_model")
    # `-` is standard input; /dev/stdin reads it once, like any FIFO.
    files = expand([Path("/dev/stdin") if str(f) == "-" else f for f in args.files])
    if not files:
        raise CodedError("tokens_no_files")
    pricing = load(args)
    if args.model:
        columns = [
            Column(m.short_name, pricing.tokenizers[m.tokenizer], m.id if args.exact else None)
            for m in (pricing.resolve(n) for n in args.model)
        ]
    else:
        columns = [Column(t.name, t) for t in pricing.tokenizers.values()]
    if args.exact:
        # count_tokens takes the text whole (and the API caps its size): read it whole.
        # Lazy: --exact only; it needs the optional Anthropic SDK.
        from costcalc.tokens.exact import ExactCounter

        counter = Counter()
        texts = [read_text(f, args.encoding) for f in files]
        rows, total = tabulate(texts, columns, ExactCounter(), counter)
        distinct = counter.distinct
    else:
        # Offline: each file streamed, so memory stays flat whatever the input's size.

        encoder = Cl100kCounter()  # exact; builds the whole encoder only when it pays
        counted = [count_file(f, args.encoding, encoder) for f in files]
        rows, total = tabulate_counted(counted, columns)
        distinct = len({c.digest for c in counted})
    present(outcomes.TokensResult(rows, total, columns, distinct), args.format, args.out)
    return Exit.OK
