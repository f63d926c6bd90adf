"""The exit status contract is written once (costcalc.errors.Exit) and the README's table says
the same; commands return its members, never a bare number."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from costcalc.errors import Exit

ROOT = Path(__file__).resolve().parent.parent


def test_readme_table_lists_every_status() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Exit status", 1)[1].split("\n## ", 1)[0]
    assert sorted(int(n) for n in re.findall(r"^\| (\d+) \|", table, re.M)) == sorted(Exit)


def test_the_statuses() -> None:
    assert [int(e) for e in Exit] == [0, 1, 2, 3, 130]


def test_commands_return_no_bare_status() -> None:
    bare = []
    for layer in ("commands", "cli"):
        for path in sorted((ROOT / "costcalc" / layer).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                value = node.value if isinstance(node, ast.Return) else None
                values = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
                bare += [
                    f"{layer}/{path.name}:{node.lineno}"
                    for v in values
                    if isinstance(v, ast.Constant) and type(v.value) is int
                ]
    assert bare == []
