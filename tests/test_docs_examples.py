"""The checker of the documentation's examples (.ci/readme_examples.py) finds every example,
runs it as a reader would, and says which it does not run and why.

The full re-run of every page is CI's job (`.ci/readme_examples.py --check` in `.ci/run`); these
tests pin the rules it applies."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location(
    "readme_examples", REPO / ".ci" / "readme_examples.py"
)
assert _spec is not None and _spec.loader is not None
examples = importlib.util.module_from_spec(_spec)
sys.modules.setdefault("readme_examples", examples)
_spec.loader.exec_module(examples)

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


def test_a_line_of_three_dots_stands_for_any_lines():
    assert examples.matches("a\nb\n", "a\nb\n")
    assert not examples.matches("a\nb\n", "a\nb\nc\n")
    assert examples.matches("...\nc\n", "a\nb\nc\n")
    assert examples.matches("a\n...\n", "a\nb\nc\n")
    assert examples.matches("a\n...\nc\n", "a\nc\n")
    assert examples.matches("a\n...\nc\n...\n", "a\nx\nc\ny\n")
    # the kept lines must appear in order, whole
    assert not examples.matches("...\nc\n...\na\n", "a\nb\nc\n")
    assert not examples.matches("...\nb\n", "a\nbb\n")
    # three dots inside a line are text, not an excerpt
    assert not examples.matches("a [...] b\n", "a x b\n")


def test_a_session_is_split_into_commands_and_their_output():
    body = "$ one\nout 1\n\n$ two\n$ three\nout 3\n"
    assert examples.split_session(body) == [("one", "out 1\n\n"), ("two", ""), ("three", "out 3\n")]


def test_commands_of_a_block_share_one_shell_and_show_both_streams_in_order():
    outputs = examples.run_session(
        ["X=41", 'echo "$((X + 1))"; echo warned >&2; echo after', "ls", 'echo "[exit $?]"']
    )
    assert outputs == ["", "42\nwarned\nafter\n", "examples\n", "[exit 0]\n"]


def test_costcalc_and_python_are_this_interpreter_whatever_is_on_path():
    version = subprocess.run(
        [sys.executable, "-m", "costcalc", "--version"], capture_output=True, text=True
    )
    shown, python = examples.run_session(
        ["costcalc --version", "python -c 'import sys; print(sys.executable)'"]
    )
    assert shown == version.stdout + version.stderr
    assert python == sys.executable + "\n"


def test_python_examples_share_a_namespace_and_show_exceptions_as_the_interpreter_does(tmp_path):
    body = ">>> x = 6\n>>> x * 7\n42\n>>> {}['k']\nwrong\n"
    real, ok = examples.python_block(body, {}, tmp_path)
    assert not ok
    assert real == (
        ">>> x = 6\n>>> x * 7\n42\n>>> {}['k']\n"
        "Traceback (most recent call last):\n  ...\nKeyError: 'k'\n"
    )
    assert examples.python_block(real, {}, tmp_path) == (real, True)


def test_every_example_is_in_a_block_the_checker_reads():
    # A `$ ` or `>>> ` line is only found as the first line of its fence; one further down
    # would never be run.
    for page in PAGES:
        for match in examples.FENCE.finditer(page.read_text(encoding="utf-8")):
            body = match.group(2)
            first = body.split("\n", 1)[0]
            if any(re.match(r"(\$|>>>) ", line) for line in body.splitlines()):
                assert re.match(r"(\$|>>>) ", first), f"{page.name}: {first!r} ..."


@pytest.mark.parametrize("key", sorted(examples.NOT_RUN), ids=lambda k: k[0])
def test_each_example_not_run_exists_and_says_why(key):
    page, first = key
    fences = examples.FENCE.findall((REPO / page).read_text(encoding="utf-8"))
    assert any(body.split("\n", 1)[0] == first for _, body in fences), key
    assert len(examples.NOT_RUN[key]) > 20
