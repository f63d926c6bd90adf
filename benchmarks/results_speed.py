"""Pricing 100,000 batch result lines against merely JSON-parsing them (issue 19's target: at
most 1.6x the stdlib parse floor and ~21 MB peak).

    python benchmarks/results_speed.py [--lines 100000] [--baseline SRC] [--group-by model]

Generates a results file shaped like Anthropic's (mixed result types, cache writes and reads,
usage with the cache_creation breakdown) and measures, in one run (ratios: machines are noisy):
- the floor: json.loads of every line, in this process and as a process of its own;
- costcalc's results reader in-process (read_results), and with a per-request callback (the
  path `actual --group-by` and the per-request CSV take);
- the `costcalc actual` command, start-up included, and its peak memory (maximum RSS).
Times are CPU seconds (user + system), not wall time: on a shared machine, wall time measures
the neighbours.
--baseline SRC measures another source tree (a folder holding a `costcalc` package, e.g. a
`git archive` of main) the same way, in the same run, for a before/after.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path


def parse_only(path: Path) -> float:
    """CPU seconds to json.loads every line of `path`: the floor any reader of the file pays."""
    start = time.process_time()
    with path.open("rb") as f:
        for line in f:
            json.loads(line)
    return time.process_time() - start


PARSE = (
    "import json, sys\n"
    "with open(sys.argv[1], 'rb') as f:\n"
    "    for line in f:\n"
    "        json.loads(line)\n"
)
READER = (
    "import sys, time\n"
    "from datetime import date\n"
    "from costcalc.compute.actual import read_results\n"
    "from costcalc.prices.load import load_pricing\n"
    "pricing = load_pricing()\n"
    "hook = (lambda *a: None) if sys.argv[2] == 'hook' else None\n"
    "start = time.process_time()\n"
    "read_results(__import__('pathlib').Path(sys.argv[1]), pricing, date.today(), "
    "on_request=hook)\n"
    "print(time.process_time() - start)\n"
)


def generate(path: Path, lines: int, rng: random.Random) -> None:
    with path.open("w") as f:
        for i in range(lines):
            if rng.random() < 0.02:
                result = {"type": rng.choice(["errored", "canceled", "expired"])}
            else:
                writes = rng.random() < 0.1
                result = {
                    "type": "succeeded",
                    "message": {
                        "id": f"msg_{i}",
                        "type": "message",
                        "role": "assistant",
                        "model": rng.choice(["claude-opus-4-7", "claude-sonnet-4-6"]),
                        "content": [{"type": "text", "text": "ok"}],
                        "stop_reason": "end_turn",
                        "usage": {
                            "input_tokens": rng.randint(50, 3000),
                            "cache_creation_input_tokens": 80_000 if writes else 0,
                            "cache_read_input_tokens": 0 if writes else 80_000,
                            "cache_creation": {
                                "ephemeral_5m_input_tokens": 80_000 if writes else 0,
                                "ephemeral_1h_input_tokens": 0,
                            },
                            "output_tokens": rng.randint(100, 2000),
                            "service_tier": "batch",
                            "inference_geo": "global",
                        },
                    },
                }
            f.write(json.dumps({"custom_id": f"req_{i}", "result": result}) + "\n")


def timed(cmd: list[str], env: dict[str, str] | None = None) -> tuple[float, float, str]:
    """(CPU seconds, peak RSS in MB, stdout) of one process."""
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    assert proc.stdout is not None
    out = proc.stdout.read().decode()
    proc.stdout.close()
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = usage.ru_utime + usage.ru_stime
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode not in (0, 1) or (cmd[1] == "-c" and not out and "json" not in cmd[2]):
        sys.exit(f"{cmd[-3:]} exited {proc.returncode}")
    return seconds, usage.ru_maxrss / 1024, out  # ru_maxrss is in KB on Linux


class Tree:
    """One costcalc source tree (None: the installed one) measured in processes of its own."""

    def __init__(self, src: str | None) -> None:
        self.name = src or "this tree"
        self.env = dict(os.environ)
        if src:
            self.env["PYTHONPATH"] = src
        self.reader: list[float] = []
        self.hooked: list[float] = []
        self.command: list[tuple[float, float]] = []
        self.grouped: list[float] = []

    def run(self, path: Path, group_by: str) -> None:
        for kind, into in (("plain", self.reader), ("hook", self.hooked)):
            into.append(float(timed([sys.executable, "-c", READER, str(path), kind], self.env)[2]))
        cli = [sys.executable, "-m", "costcalc", "actual", str(path)]
        seconds, peak, _ = timed([*cli, "--format", "json"], self.env)
        self.command.append((seconds, peak))
        self.grouped.append(timed([*cli, "--group-by", group_by], self.env)[0])

    def show(self, parse: float) -> None:
        reader, hooked = statistics.median(self.reader), statistics.median(self.hooked)
        whole = statistics.median(s for s, _ in self.command)
        peak = max(m for _, m in self.command)
        grouped = statistics.median(self.grouped)
        print(f"{self.name}:")
        print(f"  read_results        {reader:.3f} s = {reader / parse:.2f}x parse (in-process)")
        print(f"  with a callback     {hooked:.3f} s = {hooked / parse:.2f}x parse")
        print(
            f"  costcalc actual     {whole:.3f} s = {whole / parse:.2f}x parse, {peak:.1f} MB peak"
        )
        print(f"  actual --group-by   {grouped:.3f} s = {grouped / parse:.2f}x parse")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--baseline", help="another source tree to measure alongside")
    parser.add_argument("--group-by", default="model")
    args = parser.parse_args()
    trees = [Tree(None)] + ([Tree(args.baseline)] if args.baseline else [])
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "results.jsonl"
        generate(path, args.lines, random.Random(5))
        parse_only(path)
        parses, processes = [], []
        for _ in range(args.runs):  # interleaved, so that load on the machine hits all alike
            parses.append(parse_only(path))
            processes.append(timed([sys.executable, "-c", PARSE, str(path)]))
            for tree in trees:
                tree.run(path, args.group_by)
    parse = statistics.median(parses)
    alone = statistics.median(s for s, _, _ in processes)
    floor_peak = max(m for _, m, _ in processes)
    print(f"{args.lines:,} result lines, median of {args.runs} runs ({date.today()}):")
    print(f"  parse only          {parse:.3f} s in-process (the floor)")
    print(f"  parse process       {alone:.3f} s = {alone / parse:.2f}x, {floor_peak:.1f} MB peak")
    for tree in trees:
        tree.show(parse)
    return 0


if __name__ == "__main__":
    sys.exit(main())
