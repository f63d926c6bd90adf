"""Users and contributors have the repository, not costcalc's private research notes: the code,
the docs, the examples, the tests, the benchmarks and the CI scripts state each rule in their own
words with its public source, never a numbered item or section of those notes, their file names
or paths (the notes and the design document live outside the repository), nor an unnamed
article (issue 20)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GLOBS = (
    "costcalc/**/*.py",
    "docs/*.md",
    "examples/*.py",
    "examples/*.sh",
    "*.md",
    "tests/**/*.py",
    "benchmarks/**/*.py",
    ".ci/*.py",
)
SCANNED = [p for pattern in GLOBS for p in sorted(ROOT.glob(pattern))] + [
    ROOT / "pricing.yaml",
    ROOT / ".ci" / "run",
]
PRIVATE = re.compile(
    r"\b[Ff]acts?( sheet)?\s*(§|#|item\s)?\s*\d|\bfact sheet\b|\bAppendix [A-C]\b|\bthe article\b"
    r"|\barticle's\b|§\s*\d|\b[Ss]ections? \d+ \(\d+|design\.md|pricing-facts|\.\./shared"
)
# A line that only holds a string literal (this file's pattern and its examples) or a regular
# expression (tests/test_docs.py's check of the docs) searches for these words; it cites nothing.
PATTERN_LINE = re.compile(r'^\s*r?"[^"]*",?\s*$|\bre\.(search|compile|match|fullmatch)\(r"')
# Files another change is rewording right now (issue 20); each leaves this list when it passes.
NOT_YET: set[str] = set()


def private_citations(path: Path) -> list[str]:
    return [
        f"{n}: {line.strip()[:90]}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if PRIVATE.search(line) and not PATTERN_LINE.search(line)
    ]


def _marked(path: Path) -> object:
    rel = path.relative_to(ROOT).as_posix()
    if rel in NOT_YET:
        return pytest.param(path, id=rel, marks=pytest.mark.xfail(strict=True, reason="NOT_YET"))
    return pytest.param(path, id=rel)


@pytest.mark.parametrize("path", [_marked(p) for p in SCANNED])
def test_no_private_citations(path: Path) -> None:
    assert private_citations(path) == []


@pytest.mark.parametrize(
    "line",
    [
        "# see facts §4 item 13",
        "# (pricing facts §1a)",
        "# Facts 12 (59, 61): Haiku 5.5",
        "# Section 12 (56), verified 2026-11-25",
        "US-only inference (§6 item 24)",
        "from ../shared/pricing-facts.md section 1",
        "# the contract is in design.md",
        "each Appendix C measurement",
        "the article's figures",
    ],
)
def test_the_pattern_catches_each_form(line: str) -> None:
    assert PRIVATE.search(line)


@pytest.mark.parametrize(
    "line",
    [
        "RFC 8259, section 6: NaN is not JSON",
        "https://www.rfc-editor.org/rfc/rfc8259#section-8.1",
        "ARTICLE = Workload(10_000, 80_000)",
        "def test_every_fact_sheet_model_is_present(pricing):",
        "examples/article_batch.jsonl",
    ],
)
def test_the_pattern_lets_public_references_through(line: str) -> None:
    assert not PRIVATE.search(line)
