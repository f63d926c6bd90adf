"""English is written in one place (issue 20): every word a person reads in a report, a table, a
page, a workbook or --help comes from costcalc/messages by code, so presenters, commands and the
parser hold no prose of their own. The scan reads every string literal of those layers and fails
on one that reads as English (a capitalised word, or two words in a row) once markup is taken
away; codes, keys, styles and formats are not English."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from costcalc.messages import text as text_module
from costcalc.messages.text import FAMILIES, TEXTS, text

PACKAGE = Path(__file__).resolve().parent.parent / "costcalc"
SCANNED = sorted(
    p for layer in ("present", "commands", "cli") for p in (PACKAGE / layer).glob("*.py")
)

# rich's style words: how text looks, not what it says.
STYLE_WORDS = {
    "bold", "dim", "italic", "underline", "reverse", "not", "on", "red", "green", "yellow",
    "blue", "cyan", "magenta", "white", "black", "grey50", "bright_black", "default",
}  # fmt: skip

_TAG = re.compile(r"<[^<>]*>")
_ATTRIBUTE = re.compile(r"[\w:-]+=\"[^\"]*\"|[\w:-]+=\"|<[\w:/-]+")
_WORDY = re.compile(r"[A-Z][a-z]+|[A-Za-z][a-z]+[ ]+[A-Za-z][a-z]+")
_IDENTIFIER = re.compile(r"[a-z0-9_.:/*#%=+-]*")


def english(literal: str) -> bool:
    """Whether a literal reads as words for a person, once markup is gone."""
    words = (
        _ATTRIBUTE.sub(" ", _TAG.sub(" ", literal))
        if ("<" in literal or '="' in literal)
        else literal
    )
    if _IDENTIFIER.fullmatch(words.strip()):
        return False
    if set(words.split()) <= STYLE_WORDS:
        return False
    return bool(_WORDY.search(words))


def _skipped(tree: ast.Module) -> set[int]:
    """Literals that are not read by a person: docstrings, __all__, reprs, TypeVar names,
    getattr/hasattr names, and constants named for what they are (CSS, a content security
    policy, markup, a regular expression PATTERN, a spreadsheet FORMULA, a FONT)."""
    skip: set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = body[0] if body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        if isinstance(node, ast.FunctionDef) and node.name == "__repr__":
            skip.update(id(n) for n in ast.walk(node))
        if isinstance(node, ast.Assign):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            if any(
                n == "__all__" or re.search(r"CSS|CSP|STYLE|SCRIPT|MARKUP|PATTERN|FORMULA|FONT", n)
                for n in names
            ):
                skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in {"getattr", "hasattr", "setattr"}:
                skip.update(id(n) for n in node.args[1:2])
            elif node.func.id == "TypeVar":
                skip.update(id(n) for n in node.args[:1])
    return skip


def prose(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _skipped(tree)
    return [
        f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value[:70]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and english(node.value)
    ]


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_prose_outside_messages(path: Path) -> None:
    assert prose(path) == []


def test_the_scan_sees_english_and_passes_markup() -> None:
    assert english("Where the money went")
    assert english("Tokens")
    assert english("hit rate")
    assert english("<h2>Per file</h2>")
    assert english('" dominant-baseline="middle">no cached tokens</text>')
    assert not english('<rect width="')
    assert not english(')"><rect width="6" height="6" fill="')
    assert not english("total_usd")
    assert not english("bold red")
    assert not english("=SUM(")
    assert not english('"$"#,##0.00')


def test_each_code_is_in_one_family() -> None:
    codes = [code for family in FAMILIES for code in family]
    assert len(codes) == len(set(codes)) == len(TEXTS)


def _literals_outside_messages() -> tuple[set[str], set[str]]:
    whole: set[str] = set()
    prefixes: set[str] = set()
    for path in PACKAGE.rglob("*.py"):
        if "messages" in path.relative_to(PACKAGE).parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                whole.add(node.value)
            if isinstance(node, ast.JoinedStr) and node.values:
                first = node.values[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    prefixes.add(first.value)
    return whole, prefixes


def test_every_code_is_used() -> None:
    whole, prefixes = _literals_outside_messages()
    unused = [
        code
        for code in TEXTS
        if code not in whole and not any(p and code.startswith(p) for p in prefixes)
    ]
    assert unused == []


def test_templates_render_with_their_figures_named() -> None:
    """A template names each figure once in braces; rendering without one is a KeyError (an
    internal error), never a silent blank."""
    for code, entry in TEXTS.items():
        if isinstance(entry, str):
            names = {m.group(1) for m in re.finditer(r"(?<!\{)\{(\w+)", entry)}
            assert text(code, **{n: "X" for n in names}), code
    assert text_module.TEXTS is TEXTS


if __name__ == "__main__":  # python tests/test_words_in_messages.py FILE...: what the scan finds
    import sys

    for name in sys.argv[1:]:
        print("\n".join(prose(Path(name).resolve())))
