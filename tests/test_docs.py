"""The documentation stays whole: every link resolves, every option is in the CLI reference, the
README stays one page, and a reader needs nothing outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from costcalc.cli.app import build_parser

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", REPO / "CONTRIBUTING.md", *sorted((REPO / "docs").glob("*.md"))]


def _subcommands():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sub.choices


def test_readme_is_one_page():
    assert len((REPO / "README.md").read_bytes()) < 12_000


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_links_resolve(page):
    text = page.read_text(encoding="utf-8")
    for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text):
        if "://" in target:
            continue
        assert (page.parent / target).exists(), f"{page.name}: broken link {target}"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_no_references_a_reader_cannot_follow(page):
    # Rules are stated where they are used, with their public source; not by the number of an
    # item in research notes the reader does not have, nor by an unnamed article.
    text = page.read_text(encoding="utf-8")
    assert not re.search(r"\bfacts? (§|section |item )?\d|§\s?\d|the article", text, re.I)


def test_every_option_is_in_the_cli_reference():
    reference = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    for name, parser in _subcommands().items():
        assert f"## costcalc {name}\n" in reference, name
        for action in parser._actions:
            for option in action.option_strings:
                assert option in reference, f"{name} {option} missing from docs/cli.md"


def test_every_command_has_a_line_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    for name in _subcommands():
        assert f"`costcalc {name}" in readme, name
