"""Start-up: `costcalc estimate` vs importing its dependencies, and `costcalc check` on a
one-request file vs `estimate` (issue 19). Target for both ratios: at most 1.5x.

    python benchmarks/cold_start.py [--runs 30] [--check] [--baseline SRC]

Every command runs in a process of its own, alternately in one loop, so machine noise hits all
alike; the script reports the minimum and the median of wall-clock seconds and of CPU seconds
(user + system, which other jobs on a shared machine disturb far less), and each command's
peak memory (maximum RSS). The import baseline is the issue's: python -c "import pydantic,
yaml, rich.console, rich.table". The one-request file is written to a temporary directory: a
system prompt of ~3,500 cl100k tokens with a cache breakpoint and a short user turn, so `check`
counts real text (the tokenizer's rank table is read, as in any real check). `tokens` on a
16 kB text file is shown against `estimate` too (no target of its own).

costcalc runs as `python -m costcalc`: the costcalc installed beside this Python (.ci/run
measures the installed wheel), else this checkout's. --baseline SRC
also runs `estimate` and the one-request `check` from another source tree (for example
`git worktree add /tmp/before main`) in the same loop, for before/after figures of one run.
--check exits 1 when a ratio of median CPU seconds is over 1.5.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGET = 1.5
ROOT = Path(__file__).resolve().parent.parent
IMPORTS = [sys.executable, "-c", "import pydantic, yaml, rich.console, rich.table"]
ESTIMATE = ["estimate", "--model", "opus-4.7", "--shared", "80000", "--requests", "10000"]
RUBRIC = (
    "Review the code sample against each section below. For every finding, quote the line, "
    "name the section, rate the severity (blocker, major, minor, nit) and suggest a concrete "
    "fix. Check that every branch returns a value of the documented type, that loop bounds "
    "cannot run off by one, and that errors name the input that caused them.\n"
)


def one_request(path: Path) -> None:
    """A one-request batch file: a cached ~3,000-token system prompt and a short user turn."""
    params = {
        "model": "claude-opus-4-7",
        "max_tokens": 1024,
        "system": [{"type": "text", "text": RUBRIC * 50, "cache_control": {"type": "ephemeral"}}],
        "messages": [{"role": "user", "content": "def add(a, b):\n    return a - b\n"}],
    }
    path.write_text(json.dumps({"custom_id": "req_0", "params": params}) + "\n")


class Command:
    """One command, run many times: wall and CPU seconds and peak MB of each process."""

    def __init__(self, name: str, cmd: list[str], env: dict[str, str], cwd: str) -> None:
        # cwd: `python -m` puts the working directory first on sys.path, so it must not be a
        # checkout (the one measured is chosen by PYTHONPATH or the installation).
        self.name, self.cmd, self.env, self.cwd = name, cmd, env, cwd
        self.wall: list[float] = []
        self.cpu: list[float] = []
        self.peak: list[float] = []

    def run(self) -> None:
        start = time.perf_counter()
        proc = subprocess.Popen(
            self.cmd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=self.env,
            cwd=self.cwd,
        )
        _, status, usage = os.wait4(proc.pid, 0)
        self.wall.append(time.perf_counter() - start)
        if os.waitstatus_to_exitcode(status) != 0:
            sys.exit(f"{self.name} exited {os.waitstatus_to_exitcode(status)}")
        self.cpu.append(usage.ru_utime + usage.ru_stime)
        self.peak.append(usage.ru_maxrss / 1024)  # KB on Linux

    def figures(self) -> dict[str, float]:
        return {
            "wall min": min(self.wall),
            "wall median": statistics.median(self.wall),
            "CPU min": min(self.cpu),
            "CPU median": statistics.median(self.cpu),
        }

    def show(self, against: Command | None) -> float:
        """Print one line; return the ratio of median CPU seconds to `against`'s (0 if none)."""
        mine = self.figures()
        cells = []
        base = against.figures() if against else None
        for key, value in mine.items():
            cell = f"{key} {value * 1000:5.0f} ms"
            if base:
                cell += f" = {value / base[key]:.2f}x"
            cells.append(cell)
        print(
            f"{self.name}\n  " + "; ".join(cells) + f"; peak {statistics.median(self.peak):.1f} MB"
        )
        return mine["CPU median"] / base["CPU median"] if base else 0.0


def environment(src: Path | None = None) -> dict[str, str]:
    """The children's environment: bytecode caches on, as in a user's installation (pip writes
    them; the warm-up runs write them here), and `src` first on PYTHONPATH if given."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return env


def tree(src: Path | None) -> tuple[list[str], dict[str, str]]:
    """`python -m costcalc` running the costcalc of source tree `src` (None: the installed one,
    else this checkout's)."""
    if src is None and importlib.util.find_spec("costcalc") is None:
        src = ROOT
    return [sys.executable, "-m", "costcalc"], environment(src)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--check", action="store_true", help=f"exit 1 if a ratio is over {TARGET}")
    parser.add_argument("--baseline", type=Path, help="another source tree, run in the same loop")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        one = Path(tmp) / "one_request.jsonl"
        one_request(one)
        rubric = Path(tmp) / "rubric.md"
        rubric.write_text(RUBRIC * 50)
        trees: list[tuple[str, Path | None]] = [("", None)] + (
            [("before: ", args.baseline)] if args.baseline else []
        )
        imports = Command(
            "import pydantic, yaml, rich.console, rich.table", IMPORTS, environment(), tmp
        )
        pairs = []
        for tag, src in trees:
            cmd, env = tree(src)
            estimate = Command(f"{tag}estimate", [*cmd, *ESTIMATE], env, tmp)
            check = Command(f"{tag}check (one request)", [*cmd, "check", str(one)], env, tmp)
            tokens = Command(
                f"{tag}tokens (one 16 kB file)", [*cmd, "tokens", str(rubric)], env, tmp
            )
            pairs.append((estimate, check, tokens))
        everything = [imports] + [c for pair in pairs for c in pair]
        for _ in range(3):  # warm the OS file cache and the bytecode caches
            for command in everything:
                command.run()
        for command in everything:
            command.wall.clear(), command.cpu.clear(), command.peak.clear()
        for _ in range(args.runs):
            for command in everything:
                command.run()
    print(
        f"{args.runs} alternating runs of each; ratios against the line above (target <= {TARGET}x)"
    )
    imports.show(None)
    worst = 0.0
    for estimate, check, tokens in pairs:
        worst = max(worst, estimate.show(imports))
        worst = max(worst, check.show(estimate))
        tokens.show(estimate)  # no target of its own
    return 1 if args.check and worst > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
