"""On a terminal too narrow for a table, money is never folded across lines."""

import io
import re

from rich.console import Console

from costcalc.compute.engine import Workload
from costcalc.compute.planning import analyze
from costcalc.present.tables import analysis_view


def test_narrow_terminal_shows_records_with_whole_amounts(pricing):
    model = pricing.resolve("opus-4.7")
    a = analyze(model, Workload(10_000, 80_000), limits=pricing.batch_limits)
    buf = io.StringIO()
    Console(file=buf, width=40, force_terminal=True, color_system=None).print(analysis_view(a))
    text = buf.getvalue()
    # $4,000.00 standard, $200.23 batch + cache (the article's figures, worked by hand in
    # tests/test_engine.py): each on one line, never split by a fold.
    assert "Total: $4,000.00" in text and "Total: $200.23" in text
    for line in text.splitlines():
        assert len(line) <= 40
        assert not re.search(r"\$[\d,]*\.?\d*$", line) or re.search(r"\$[\d,]+\.\d{2,}", line)
