"""Sizes a reader can hold (issue 20): no module over ~500 lines, no function or class body over
80 lines. A hot loop may stay whole where splitting it costs speed; it is listed in HOT and says
so next to itself, naming the benchmark that measured it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "costcalc"
MODULE_LINES = 520
BODY_LINES = 80

# (module, name) of a body allowed over BODY_LINES: its source must cite a benchmarks/ script.
HOT: set[tuple[str, str]] = set()


def _bodies() -> list[tuple[str, str, int, str]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        module = path.relative_to(PACKAGE).as_posix()
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                body = node.body
                first = body[0]
                docstring = isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                start = body[1].lineno if docstring and len(body) > 1 else first.lineno
                lines = (node.end_lineno or start) - start + 1
                found.append((module, node.name, lines, ast.get_source_segment(source, node) or ""))
    return found


def test_no_body_over_80_lines() -> None:
    over = []
    for module, name, lines, source in _bodies():
        if lines <= BODY_LINES:
            continue
        if (module, name) in HOT and "benchmarks/" in source:
            continue
        over.append(f"{module}:{name} {lines} lines")
    assert over == []


def test_hot_bodies_are_still_long_and_say_why() -> None:
    bodies = {(m, n): (lines, src) for m, n, lines, src in _bodies()}
    for key in HOT:
        assert key in bodies, f"{key} is gone: take it off the list"
    for key in HOT:
        lines, source = bodies[key]
        assert lines > BODY_LINES and "benchmarks/" in source, key


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: p.name)
def test_module_size(path: Path) -> None:
    assert path.read_text(encoding="utf-8").count("\n") <= MODULE_LINES
