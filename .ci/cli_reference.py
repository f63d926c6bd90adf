"""Write docs/cli.md from the program's own --help, so the reference cannot drift.

    python .ci/cli_reference.py --write   # regenerate docs/cli.md
    python .ci/cli_reference.py --check   # exit 1 when docs/cli.md differs (tests/test_docs.py)

Help is rendered at 100 columns without colour, in the running interpreter's costcalc.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

DOC = Path(__file__).resolve().parent.parent / "docs" / "cli.md"

HEADER = """# CLI reference

Generated from `costcalc --help` and each command's `--help` by `.ci/cli_reference.py`
(a test fails when this page is stale). Task pages: [contents](index.md).

Numbers: token counts accept `80000`, `80_000`, `80,000`, `80k`, `1.5M`. They are read strictly,
so a typo is an error rather than another number: commas only as thousands separators in groups
of three (`1,200` is fine, `100,1000` is an error); token and request counts are whole (`80.000`
is an error, `1.5M` is 1,500,000); amounts in USD take at most 10 decimals. Every value has a
ceiling far above anything real (10^9 tokens per request, 10^10 requests, $10^15), which keeps
every total exact. `--model` takes an API id (`claude-opus-4-7`) or an alias (`opus-4.7`,
`opus-4-7`), case-insensitive; `costcalc models` lists them. Tables drop colour with `NO_COLOR`,
in pipes and in files.
"""


def commands() -> list[str]:
    from costcalc.cli.app import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return list(sub.choices)


def help_text(argv: list[str]) -> str:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "costcalc", *argv, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return "".join(line.rstrip() + "\n" for line in done.stdout.splitlines())


def render() -> str:
    parts = [HEADER, "## costcalc\n\n```text\n" + help_text([]) + "```\n"]
    for name in commands():
        parts.append(f"## costcalc {name}\n\n```text\n" + help_text([name]) + "```\n")
    return "\n".join(parts)


def main() -> int:
    mode = sys.argv[1:] or ["--check"]
    text = render()
    if mode == ["--write"]:
        DOC.write_text(text, encoding="utf-8")
        print(f"wrote {DOC}")
        return 0
    if DOC.read_text(encoding="utf-8") != text:
        print("docs/cli.md is stale: run python .ci/cli_reference.py --write", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
