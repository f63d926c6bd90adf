"""Keep the documentation's example output real: re-run each `$ costcalc ...` block of README.md
and docs/*.md and compare.

    python .ci/readme_examples.py --check   # exit 1 if any block differs from a real run
    python .ci/readme_examples.py --write   # rewrite the blocks with real output

A block is a ```text fence whose first line is `$ costcalc ...` and that holds no other `$ `
line and no `...` (those show elided or several commands and are left alone). Commands run at
80 columns in a temporary directory holding a copy of examples/, with the installed
costcalc.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"```text\n(\$ costcalc [^\n]*)\n(.*?)```", re.S)


def run(command: str) -> str:
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(REPO / "examples", Path(tmp) / "examples")
        done = subprocess.run(
            shlex.split(command[2:]),
            cwd=tmp,
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "80", "NO_COLOR": "1"},
        )
    text = done.stdout + done.stderr
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def main() -> int:
    mode = sys.argv[1:] or ["--check"]
    stale = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")

        def replace(match: re.Match[str], page: Path = page) -> str:
            command, body = match.group(1), match.group(2)
            if "\n$ " in "\n" + body or "..." in body:
                return match.group(0)
            real = run(command)
            if real != body:
                stale.append(f"{page.relative_to(REPO)}: {command}")
            return f"```text\n{command}\n{real}```"

        updated = BLOCK.sub(replace, text)
        if mode == ["--write"] and updated != text:
            page.write_text(updated, encoding="utf-8")
    if mode == ["--write"]:
        print(f"rewrote {len(stale)} block(s)")
        return 0
    for command in stale:
        print(f"example output differs from a real run: {command}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
