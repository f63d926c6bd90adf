"""Golden snapshots: the table, CSV and JSON output of every `$ costcalc ...` command in the
README, run at 80 columns without colour and priced on a fixed --date, compared with
tests/golden/. After a deliberate output change, refresh them and review the diff:

    python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest

from costcalc.cli.app import main

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
DATE = "2026-11-25"


def readme_commands() -> list[str]:
    """Each `$ costcalc ...` line of the code blocks in the README and docs/, without a shell
    redirection and without --format (every format is run)."""
    commands = []
    in_block = False
    pages = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    text = "\n".join(page.read_text(encoding="utf-8") for page in pages)
    for line in text.splitlines():
        if line.startswith("```"):
            in_block = not in_block
        elif in_block and line.startswith("$ costcalc "):
            argv = shlex.split(line[2:].split(" > ")[0])[1:]
            while "--format" in argv:
                at = argv.index("--format")
                del argv[at : at + 2]
            if argv not in commands:
                commands.append(argv)
    return [shlex.join(argv) for argv in commands]


def slug(command: str) -> str:
    return re.sub(r"[^A-Za-z0-9.]+", "_", command).strip("_")[:90]


def run(argv: list[str], capsys) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    # The models table names the pricing file by its absolute path; rich pads table lines with
    # spaces, which editors strip.
    out, err = (
        "".join(line.rstrip() + "\n" for line in text.replace(str(REPO), "<repo>").splitlines())
        for text in (out, err)
    )
    return code, out, err


def snapshot(command: str, capsys) -> dict[str, str]:
    """File name -> content for each format the command has (a usage error, exit 2, in CSV or
    JSON means the command has no such format, or it is a README error example: table only)."""
    argv = shlex.split(command)
    files = {}
    for fmt, ext in (("table", "txt"), ("csv", "csv"), ("json", "json")):
        code, out, err = run([*argv, "--date", DATE, "--format", fmt], capsys)
        if code == 2 and fmt != "table":
            continue
        files[f"{slug(command)}.{ext}"] = f"$ costcalc {command}\n[exit {code}]\n{err}---\n{out}"
    return files


@pytest.fixture
def examples_dir(tmp_path, monkeypatch):
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    return tmp_path


def test_readme_has_example_commands():
    commands = readme_commands()
    assert len(commands) >= 10
    assert "estimate --model opus-4.7 --shared 80000 --requests 10000" in commands


@pytest.mark.parametrize("command", readme_commands())
def test_golden(command, examples_dir, capsys, request):
    files = snapshot(command, capsys)
    if request.config.getoption("--update-golden"):
        GOLDEN.mkdir(exist_ok=True)
        for name, text in files.items():
            (GOLDEN / name).write_text(text, encoding="utf-8")
        return
    for name, text in files.items():
        path = GOLDEN / name
        assert path.exists(), f"no golden {name}: run pytest --update-golden"
        assert text == path.read_text(encoding="utf-8"), f"{name} differs (--update-golden)"


def test_no_stale_golden_files():
    expected = {slug(c) for c in readme_commands()}
    stale = [p.name for p in GOLDEN.iterdir() if p.name.rsplit(".", 1)[0] not in expected]
    assert not stale, f"golden files for no README command: {stale}"
