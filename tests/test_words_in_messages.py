"""English is written in one place (issue 20): every word a person reads in a report, a table, a
page, a workbook, an error line or --help comes from costcalc/messages by code, so no module
outside messages holds prose of its own. The scan reads every string literal of every module
outside messages/ and fails on one that reads as English (a capitalised word, two words in a
row, a word in parentheses) once markup is taken away; codes, keys, styles, formats, type names
and regular expressions are not English. What is not read by a user (internal errors, the pricing
file's schema descriptions) is skipped by rule or listed in NOT_READ with why."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from test_messages_values import INTERNAL

from costcalc.messages import text as text_module
from costcalc.messages.text import FAMILIES, TEXTS, text

PACKAGE = Path(__file__).resolve().parent.parent / "costcalc"
SCANNED = sorted(p for p in PACKAGE.rglob("*.py") if p.relative_to(PACKAGE).parts[0] != "messages")

# Literals outside messages that read as English but that no user reads as costcalc's words:
# module -> {literal: why}.
NOT_READ: dict[str, dict[str, str]] = {
    "prices/load.py": {
        "Infinity": "Decimal's spelling of YAML's .inf (a number, never shown as words)",
        "-Infinity": "Decimal's spelling of YAML's -.inf",
        "NaN": "Decimal's spelling of YAML's .nan",
        "DecimalLoader": "the name of a class built on first use (module __getattr__)",
    },
    "prices/schema.py": {
        "per million tokens": "the value pricing.yaml's `unit:` must hold: data the file "
        "carries (its schema's Literal), not a sentence of costcalc's",
    },
}

LABEL_KEYS: dict[str, set[str]] = {
    # The labels of requests outside every group are also the group's name in JSON and CSV
    # (`key`), so they are identifiers that read as words; a tag or capture equal to one is
    # refused (read/tags.py), so no user value is ever taken for them.
    "read/tags.py": {"(unmatched)", "(untagged)"},
}

# rich's style words: how text looks, not what it says.
STYLE_WORDS = {
    "bold", "dim", "italic", "underline", "reverse", "not", "on", "red", "green", "yellow",
    "blue", "cyan", "magenta", "white", "black", "grey50", "bright_black", "default",
}  # fmt: skip

_TAG = re.compile(r"<[^<>]*>")
_ATTRIBUTE = re.compile(r"[\w:-]+=\"[^\"]*\"|[\w:-]+=\"|<[\w:/-]+")
# A capitalised word; two words in a row (the first may be one letter, "x ratio"; the second may
# open a parenthesis, "count_tokens (exact)"); a word alone in parentheses, "(untagged)".
_WORDY = re.compile(r"[A-Z][a-z]+|\b[A-Za-z][a-z]*[ ]+\(?[A-Za-z][a-z]+|\([ ]*[a-z]{2,}[a-z ]*\)")
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


# The markers of prices/ whose text is a Field description of pricing.yaml's JSON Schema (for
# editors), and the calls that hold the schema's own words.
SCHEMA_CALLS = {
    "Field", "About", "Price", "Positive", "NotNegative", "NotEmpty", "WithJsonSchema", "ConfigDict"
}  # fmt: skip


def _type_expression(literal: str) -> bool:
    """A type written as a string ('str | None', 'tuple[Line, ...] | None'): Python, not words."""
    if not ("[" in literal or "|" in literal):
        return False
    try:
        tree = ast.parse(literal, mode="eval")
    except SyntaxError:
        return False
    allowed = (ast.Expression, ast.Name, ast.Attribute, ast.Subscript, ast.Tuple, ast.Load,
               ast.BinOp, ast.BitOr, ast.Constant, ast.List)  # fmt: skip
    return all(
        isinstance(n, allowed) and (not isinstance(n, ast.Constant) or n.value in (None, ...))
        for n in ast.walk(tree)
    )


def _call_name(node: ast.Call) -> str:
    func = node.func
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def _skipped(tree: ast.Module, module: str = "") -> set[int]:
    """Literals that are not read by a person: docstrings, __all__, reprs, TypeVar and type()
    names, getattr/hasattr names, regular expressions (re.compile and the like), assertion
    texts, the text of exceptions test_messages_values lists as INTERNAL (raised for a
    programmer's mistake, or caught before a user sees them), the pricing file's schema
    descriptions in prices/, and constants named for what they are (CSS, a content security
    policy, markup, a regular expression PATTERN, a spreadsheet FORMULA, a FONT, the package's
    lazy EXPORTS)."""
    skip: set[int] = set()
    internal = {name for (where, name) in INTERNAL if where == module}
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
                n == "__all__"
                or re.search(r"CSS|CSP|STYLE|SCRIPT|MARKUP|PATTERN|FORMULA|FONT|EXPORTS", n)
                for n in names
            ):
                skip.update(id(n) for n in ast.walk(node.value))
        if isinstance(node, ast.Assert) and node.msg is not None:
            skip.update(id(n) for n in ast.walk(node.msg))
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            if _call_name(node.exc) in internal:
                skip.update(id(n) for n in ast.walk(node.exc))
        if isinstance(node, ast.Call):
            name = _call_name(node)
            if name in {"getattr", "hasattr", "setattr"}:
                skip.update(id(n) for n in node.args[1:2])
            elif name in {"TypeVar", "type", "compile", "match", "fullmatch", "search", "sub"}:
                # a class's name; a regular expression (re.compile(PATTERN), re.sub(...))
                skip.update(id(n) for n in node.args[:1])
            elif name == "print" and "print" in internal:
                skip.update(id(n) for n in ast.walk(node))
            elif module.startswith("prices/") and name in SCHEMA_CALLS:
                skip.update(id(n) for n in ast.walk(node))
    return skip


def prose(path: Path) -> list[str]:
    module = path.relative_to(PACKAGE).as_posix()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _skipped(tree, module)
    known = NOT_READ.get(module, {}).keys() | LABEL_KEYS.get(module, set())
    return [
        f"{module}:{node.lineno}: {node.value[:70]!r}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and node.value not in known
        and not _type_expression(node.value)
        and english(node.value)
    ]


@pytest.mark.parametrize("path", SCANNED, ids=lambda p: p.relative_to(PACKAGE).as_posix())
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
    assert english("(untagged)")
    assert english("count_tokens (exact)")
    assert english("estimate (cl100k_base x ratio)")
    assert english("x ratio")
    assert not english("(?:")
    assert not english("IF(b<=a,0,")
    assert not english("cache_write_5m")


def test_the_scan_passes_python_that_is_not_words() -> None:
    """Type names in strings, regular expressions, assertion texts and internal exceptions."""
    tree = ast.parse(
        'X = tuple[int, "str | None"]\n'
        'import re\nP = re.compile(r"[ A-Za-z]+ words")\n'
        'assert x, "a programmer mistake"\n'
        'raise KeyError(f"no scenario {x}")\n'
        'Y = "Two words"\n'
    )
    skip = _skipped(tree, "compute/engine.py")
    found = [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant)
        and isinstance(n.value, str)
        and id(n) not in skip
        and not _type_expression(n.value)
        and english(n.value)
    ]
    assert found == ["Two words"]


def test_the_lists_name_literals_that_exist() -> None:
    """An entry of NOT_READ or LABEL_KEYS names a module and a literal it
    holds (an entry whose words have moved is dropped, not kept)."""
    lists = [*NOT_READ.items(), *LABEL_KEYS.items()]
    for module, literals in lists:
        path = PACKAGE / module
        held = {
            n.value
            for n in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(n, ast.Constant) and isinstance(n.value, str)
        }
        assert set(literals) <= held, (module, set(literals) - held)


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
