"""Users have the repository, not costcalc's private research notes: the code, the docs and the
examples state each rule in their own words with its public source, never a numbered fact, a
section of a fact sheet or "the article" (issue 20)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = [
    p
    for pattern in ("costcalc/**/*.py", "docs/*.md", "examples/*.py", "examples/*.sh", "*.md")
    for p in sorted(ROOT.glob(pattern))
] + [ROOT / "pricing.yaml"]
PRIVATE = re.compile(
    r"\b[Ff]acts?( sheet)?\s*(§|#|item\s)?\s*\d|\bfact sheet\b|\bAppendix [A-C]\b|\bthe article\b"
    r"|\barticle's\b"
)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_private_citations(path: Path) -> None:
    found = [
        f"{n}: {line.strip()[:90]}"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if PRIVATE.search(line)
    ]
    assert found == []
