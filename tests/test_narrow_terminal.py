"""On a terminal too narrow for a table, money is never folded across lines."""

import io
import re

from rich.console import Console

from costcalc.compute.engine import Workload
from costcalc.compute.planning import analyze
from costcalc.present.estimate_table import analysis_view


def test_narrow_terminal_shows_records_with_whole_amounts(pricing):
    model = pricing.resolve("opus-4.7")
    a = analyze(model, Workload(10_000, 80_000), limits=pricing.batch_limits)
    buf = io.StringIO()
    Console(file=buf, width=40, force_terminal=True, color_system=None).print(analysis_view(a))
    text = buf.getvalue()
    # $4,000.00 standard, $200.23 batch + cache (the README's example, worked by hand in
    # tests/test_engine.py): each on one line, never split by a fold.
    assert "Total: $4,000.00" in text and "Total: $200.23" in text
    for line in text.splitlines():
        assert len(line) <= 40
        assert not re.search(r"\$[\d,]*\.?\d*$", line) or re.search(r"\$[\d,]+\.\d{2,}", line)


# --- issue 18: 60 columns, whole words, whole file names, no trailing spaces ---

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
SCENARIOS = ("standard", "batch", "cache", "batch_cache")


def _piped(*argv: str, columns: int, cwd: Path | None = None) -> str:
    got = subprocess.run(
        [sys.executable, "-m", "costcalc", *argv],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(REPO), "COLUMNS": str(columns), "NO_COLOR": "1"},
    )
    assert got.returncode == 0, got.stderr
    return got.stdout


def test_estimate_at_60_columns_fits_with_whole_scenario_names():
    out = _piped(
        "estimate", "--model", "opus-4.7", "--shared", "80k", "--requests", "10k", columns=60
    )
    lines = out.splitlines()
    assert max(map(len, lines)) <= 60
    assert all(line == line.rstrip() for line in lines)  # piped: no trailing spaces
    # Each scenario's row starts with its whole name and its whole total (the README's
    # example: $4,000.00 standard; $2,000.00 batch; $400.46 cache = 0.50 write + 399.96 reads;
    # $200.23 batch_cache = 0.25 + 199.98).
    for name, total in zip(SCENARIOS, ("$4,000.00", "$2,000.00", "$400.46", "$200.23")):
        assert any(line.split()[:2] == [name, total] for line in lines if line.split()), name
    for broken in ("stand\n", "batch_c\n", "Scena\n"):
        assert broken not in out


def test_terminal_at_60_columns_drops_the_bar_not_the_words(pricing):
    model = pricing.resolve("opus-4.7")
    a = analyze(model, Workload(10_000, 80_000), limits=pricing.batch_limits)
    buf = io.StringIO()
    Console(file=buf, width=60, force_terminal=True, color_system=None).print(analysis_view(a))
    text = buf.getvalue()
    assert max(map(len, text.splitlines())) <= 60
    assert "█" not in text  # the bar is the first thing to go
    assert re.search(r"^ batch_cache +\$200\.23 ", text, re.M)


def _long_names(tmp_path: Path) -> list[str]:
    names = []
    for stem in ("quarterly_review_rubric_final", "customer_support_transcripts_2026"):
        path = tmp_path / "inputs" / f"{stem}.md"
        path.parent.mkdir(exist_ok=True)
        path.write_text("Hello world.\n")
        names.append(f"inputs/{stem}.md")
    return names


def test_file_names_are_never_broken_at_80_columns(tmp_path):
    names = _long_names(tmp_path)
    out = _piped("tokens", *names, columns=80, cwd=tmp_path)
    for name in names:
        assert any(line.split()[:1] == [name] for line in out.splitlines()), out
    assert all(line == line.rstrip() for line in out.splitlines())


def test_file_names_on_an_80_column_terminal_become_records(tmp_path, monkeypatch):
    from costcalc.compute import outcomes
    from costcalc.present.tokens_table import tokens_table
    from costcalc.prices.load import load_pricing
    from costcalc.tokens.count import Column, tabulate_counted
    from costcalc.tokens.stream import Counted

    pricing = load_pricing()
    columns = [Column(t.name, t) for t in pricing.tokenizers.values()]
    names = [f"inputs/{'x' * 40}_{i}.md" for i in range(2)]
    counted = [Counted(n, 13, str(i), 3, "prose") for i, n in enumerate(names)]
    rows, total = tabulate_counted(counted, columns)
    buf = io.StringIO()
    console = Console(file=buf, width=80, force_terminal=True, color_system=None)
    console.print(tokens_table(outcomes.TokensResult(rows, total, columns, 2)))
    text = buf.getvalue()
    assert max(map(len, text.splitlines())) <= 80
    for name in names:
        assert name in text.splitlines() or f" {name}" in text  # whole, on one line
