"""Keep the documentation's examples real: re-run every example of README.md and docs/*.md that
shows a command and its output, and compare.

    python .ci/readme_examples.py --check   # exit 1 if any example differs from a real run
    python .ci/readme_examples.py --write   # rewrite the examples with real output
    python .ci/readme_examples.py --diff    # --check, and how each differs
    python .ci/readme_examples.py --list    # every example: checked, or not run and why

Two kinds of example, found in any fence (```text, ```console, ```, ...):

- a shell session: lines starting with `$ ` are commands, the lines after each are its output.
  The commands of one block run in order in one bash, so a variable, `set -o pipefail` or a
  file made by one is there for the next. Each shows its standard output and standard error
  merged in the order they were written, as a terminal shows them.
- a Python session: lines starting with `>>> ` (and `... ` continuations), run as doctest
  runs them, one namespace per page, the value of an expression printed with repr(); an
  exception is shown as `Traceback (most recent call last):`, `  ...` and its last line.

An output line that is exactly `...` stands for any number of lines (an excerpt): the block is
checked, but --write cannot fill it in; it names the block, and the page is edited by hand.

Everything runs in a fresh temporary directory holding a copy of examples/ (so paths in the
output are relative and the same on every machine), at 80 columns, without colour, with
`costcalc` and `python` meaning this Python (`sys.executable -m costcalc`), whatever is on
PATH. A command without `--date` (or a call without `on=`) prices at today's date, so its output
is stable only while pricing.yaml has no price that starts after today; an example whose output
holds today's date or the install path (`costcalc models`) is an excerpt that leaves them out.

Examples that cannot run here are listed in NOT_RUN with the reason; their output was checked
by hand against the code. Any other fence that shows a `$ ` or `>>> ` line is run, so a new
example is checked unless it is added to NOT_RUN.
"""

from __future__ import annotations

import difflib
import doctest
import io
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import traceback
from contextlib import redirect_stdout
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
FENCE = re.compile(r"^```([a-z]*)\n(.*?)^```$", re.S | re.M)
ELLIPSIS = "..."

# (page, first command of the block) -> why it does not run in CI.
NOT_RUN: dict[tuple[str, str], str] = {
    ("docs/input-output.md", "$ chmod 444 ro.csv"): (
        "runs costcalc as another user (setpriv), which needs root"
    ),
    ("docs/input-output.md", "$ chmod 700 /tmp/io18/noread/sub     # owned by root"): (
        "runs costcalc as another user (setpriv), which needs root"
    ),
    (
        "docs/actual.md",
        "$ ANTHROPIC_BASE_URL=http://127.0.0.1:33233 costcalc actual --batch-id msgbatch_ended"
        " --date 2026-06-01",
    ): "network: fetches a batch from the Message Batches API (here a local fake server)",
    (
        "docs/python-api.md",
        "$ ANTHROPIC_BASE_URL=http://127.0.0.1:33233 costcalc actual --batch-id msgbatch_running",
    ): "network: fetches a batch from the Message Batches API (here a local fake server)",
    (
        "docs/reconcile.md",
        "$ ANTHROPIC_BASE_URL=http://127.0.0.1:33233 costcalc reconcile --from 2026-10-05"
        " --to 2026-10-07 results.jsonl",
    ): "network: reads the Admin API's usage and cost reports (here tests/fake_admin.py)",
}


@dataclass
class Outcome:
    checked: list[str] = field(default_factory=list)
    stale: list[str] = field(default_factory=list)
    by_hand: list[str] = field(default_factory=list)
    not_run: list[str] = field(default_factory=list)
    seen: set[tuple[str, str]] = field(default_factory=set)
    diffs: list[str] = field(default_factory=list)


def difference(label: str, shown: str, real: str) -> str:
    lines = difflib.unified_diff(
        shown.splitlines(keepends=True), real.splitlines(keepends=True), "shown", "real run"
    )
    return f"{label}\n" + "".join(lines)


def matches(want: str, got: str) -> bool:
    """`want` equals `got`, where a line `...` in `want` stands for any lines of `got`."""
    if ELLIPSIS not in want.splitlines():
        return want == got
    pattern = "".join(
        r"(?:.*\n)*?" if line == ELLIPSIS else re.escape(line + "\n") for line in want.splitlines()
    )
    return re.fullmatch(pattern, got) is not None


def clean(text: str) -> str:
    return "".join(line.rstrip() + "\n" for line in text.splitlines())


def workspace(tmp: Path) -> tuple[Path, dict[str, str]]:
    """A copy of examples/ in tmp/work, and an environment whose costcalc is this Python's."""
    work = tmp / "work"
    shutil.copytree(REPO / "examples", work / "examples")
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    python = shlex.quote(sys.executable)
    for name, command in (("costcalc", f"{python} -m costcalc"), ("python", python)):
        script = bin_dir / name
        script.write_text(f'#!/bin/sh\nexec {command} "$@"\n', encoding="utf-8")
        script.chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}",
        "COLUMNS": "80",
        "NO_COLOR": "1",
    }
    for name in ("ANTHROPIC_API_KEY", "ANTHROPIC_ADMIN_API_KEY", "ANTHROPIC_BASE_URL"):
        env.pop(name, None)
    return work, env


def split_session(body: str) -> list[tuple[str, str]]:
    """[(command without `$ `, its output)] of a shell block."""
    steps: list[tuple[str, str]] = []
    for line in body.splitlines(keepends=True):
        if line.startswith("$ "):
            steps.append((line[2:].rstrip("\n"), ""))
        elif steps:
            steps[-1] = (steps[-1][0], steps[-1][1] + line)
    return steps


def run_session(commands: list[str]) -> list[str]:
    """Run the commands in one bash in a fresh workspace; the output of each."""
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        work, env = workspace(tmp)
        outputs = tmp / "outputs"
        outputs.mkdir()
        script = [f"cd {shlex.quote(str(work))}"]
        for number, command in enumerate(commands):
            out = shlex.quote(str(outputs / f"{number}.out"))
            script.append(f"{{ {command}\n}} >{out} 2>&1")
        subprocess.run(["bash", "-c", "\n".join(script)], env=env, check=False)
        texts = []
        for number in range(len(commands)):
            raw = (outputs / f"{number}.out").read_bytes()
            texts.append(clean(raw.decode("utf-8", "replace")))
    return texts


def run_python(examples: list[doctest.Example], names: dict[str, object], work: Path) -> list[str]:
    """What the interpreter prints for each example, run in `names` with `work` as cwd."""
    texts = []
    here = Path.cwd()
    os.chdir(work)
    try:
        for example in examples:
            printed = io.StringIO()
            try:
                with redirect_stdout(printed):
                    exec(compile(example.source, "<doc>", "single"), names)
            except Exception as error:
                last = traceback.format_exception_only(type(error), error)[-1]
                printed.write(f"Traceback (most recent call last):\n  ...\n{last}")
            texts.append(clean(printed.getvalue()))
    finally:
        os.chdir(here)
    return texts


def python_block(body: str, names: dict[str, object], work: Path) -> tuple[str, bool]:
    """(the block with real output, whether every shown output matched)."""
    examples = doctest.DocTestParser().get_examples(body)
    real = run_python(examples, names, work)
    lines, ok = [], True
    for example, got in zip(examples, real, strict=True):
        source = example.source.rstrip("\n").split("\n")
        lines += [">>> " + source[0], *("... " + line for line in source[1:])]
        ok = ok and matches(example.want, got)
        shown = example.want if matches(example.want, got) else got
        if shown:
            lines.append(shown.rstrip("\n"))
    return "\n".join(lines) + "\n", ok


def shell_block(body: str) -> tuple[str, bool]:
    steps = split_session(body)
    real = run_session([command for command, _ in steps])
    ok = all(matches(want, got) for (_, want), got in zip(steps, real, strict=True))
    text = "".join(
        f"$ {command}\n" + (want if matches(want, got) else got)
        for (command, want), got in zip(steps, real, strict=True)
    )
    return text, ok


def check_page(page: Path, outcome: Outcome, work: Path) -> str:
    """The page with every runnable example's real output; outcome records each example."""
    relative = page.relative_to(REPO).as_posix()
    text = page.read_text(encoding="utf-8")
    names: dict[str, object] = {"__name__": "__doc__"}

    def replace(match: re.Match[str]) -> str:
        language, body = match.group(1), match.group(2)
        first = body.split("\n", 1)[0]
        label = f"{relative}: {first}"
        if (relative, first) in NOT_RUN:
            outcome.seen.add((relative, first))
            outcome.not_run.append(f"{label}  [not run: {NOT_RUN[relative, first]}]")
            return match.group(0)
        if first.startswith(">>> "):
            real, ok = python_block(body, names, work)
        elif first.startswith("$ "):
            real, ok = shell_block(body)
        else:
            return match.group(0)
        outcome.checked.append(label)
        if not ok:
            outcome.stale.append(label)
            outcome.diffs.append(difference(label, body, real))
            if ELLIPSIS in body.splitlines():
                outcome.by_hand.append(label)
                return match.group(0)
        return f"```{language}\n{real}```"

    return FENCE.sub(replace, text)


def main() -> int:
    mode = (sys.argv[1:] or ["--check"])[0]
    outcome = Outcome()
    with tempfile.TemporaryDirectory() as name:
        work, _ = workspace(Path(name))
        for page in PAGES:
            updated = check_page(page, outcome, work)
            if mode == "--write" and updated != page.read_text(encoding="utf-8"):
                page.write_text(updated, encoding="utf-8")
    unused = [f"{page}: {first}" for page, first in NOT_RUN if (page, first) not in outcome.seen]
    for label in unused:
        print(f"NOT_RUN names an example that is not in the docs: {label}")
    if mode == "--list":
        print("\n".join(f"checked: {x}" for x in outcome.checked))
        print("\n".join(outcome.not_run))
    for label in outcome.by_hand:
        print(f"an excerpt (a `...` line) differs from a real run; edit it by hand: {label}")
    if mode == "--write":
        print(f"rewrote {len(outcome.stale) - len(outcome.by_hand)} example(s)")
        return 1 if outcome.by_hand or unused else 0
    for label in outcome.stale:
        if label not in outcome.by_hand:
            print(f"example output differs from a real run: {label}")
    if mode == "--diff":
        print("\n".join(outcome.diffs))
    return 1 if outcome.stale or unused else 0


if __name__ == "__main__":
    sys.exit(main())
