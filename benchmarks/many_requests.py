"""`costcalc check` on many small requests, against floors computed in the same run (issue 19).

    python benchmarks/many_requests.py                       # 100,000 requests, ~250 MB
    python benchmarks/many_requests.py --runs 3              # repeat, report each run
    python benchmarks/many_requests.py --million             # + 1,000,000 through a pipe
    python benchmarks/many_requests.py --generate N > FILE   # just write N requests
    python benchmarks/many_requests.py --runs 3 --baseline SRC   # + another tree, same runs

The file: every request shares a 2-block system prompt (a cache breakpoint on the second
block) and has a unique ~60-word user turn, ~2.5 kB a line (the shape of a classification or
grading batch; check_speed.py measures the other shape, few requests with a large prefix).
Measured in one run, so machine noise hits all alike (compare the ratios):
- parse floor: stdlib json.loads of every line;
- parse + count floor: the same plus one tiktoken encode_ordinary of each distinct text block
  (the two system blocks once, every user turn);
- `costcalc check FILE` (table) and `check FILE --format json`, as commands (start-up
  included), with peak memory (max RSS).
Target: check <= 1.5x the parse + count floor, table and JSON alike. With several runs the
minimum and median ratios are printed. --baseline SRC measures another source tree's check
(a folder holding a `costcalc` package, e.g. a `git archive` of main) in the same runs.

--million: 1,000,000 such requests (2.5 GB) written straight into `costcalc check -` through a
pipe (nothing on disk), every custom_id invalid so a problem fires on every line: the time, the
peak memory (target < 200 MB) and the exit status (the file is split into batches, so entries
are played again from the spooled record; reading everything and then failing is the bug).
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
from collections.abc import Iterator
from pathlib import Path

from common import costcalc_exe, parse_only

WORDS = (
    "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november "
    "oscar papa quebec romeo sierra tango uniform victor whiskey xray yankee zulu the a of to "
    "and in is it that for on with as was by be this are or an at from which have has not"
).split()


def lines(n: int, bad_ids: bool = False, seed: int = 19) -> Iterator[str]:
    rng = random.Random(seed)
    rules = " ".join(rng.choice(WORDS) for _ in range(250))  # ~1,300 chars
    labels = " ".join(rng.choice(WORDS) for _ in range(150))  # ~800 chars
    system = [
        {"type": "text", "text": "You label support tickets. Rules: " + rules},
        {
            "type": "text",
            "text": "Labels and examples: " + labels,
            "cache_control": {"type": "ephemeral"},
        },
    ]
    for i in range(n):
        turn = f"Ticket {i}: " + " ".join(rng.choice(WORDS) for _ in range(60))
        params = {
            "model": "claude-haiku-4-5",
            "max_tokens": 256,
            "system": system,
            "messages": [{"role": "user", "content": turn}],
        }
        custom_id = f"ticket.{i}" if bad_ids else f"ticket-{i}"  # a dot: custom_id_invalid
        yield json.dumps({"custom_id": custom_id, "params": params}) + "\n"


def parse_and_count(path: Path) -> tuple[float, float]:
    """The parse floor plus one encode_ordinary of each distinct text block: (seconds, CPU
    seconds)."""
    from costcalc.tokens.count import load_cl100k  # tiktoken's cl100k_base, bundled

    encoding = load_cl100k()
    encoding.encode_ordinary("warm")  # the rank table is built outside the timing
    start, cpu = time.perf_counter(), time.process_time()
    seen: set[str] = set()
    with path.open("rb") as f:
        for line in f:
            params = json.loads(line)["params"]
            for block in params["system"]:
                if block["text"] not in seen:
                    seen.add(block["text"])
                    encoding.encode_ordinary(block["text"])
            encoding.encode_ordinary(params["messages"][0]["content"])
    return time.perf_counter() - start, time.process_time() - cpu


def parse_cpu(path: Path) -> tuple[float, float]:
    """The parse floor: (seconds, CPU seconds)."""
    cpu = time.process_time()
    elapsed = parse_only(path)
    return elapsed, time.process_time() - cpu


def command(args: list[str], stdin=None, src: str | None = None) -> tuple[float, float, int, float]:
    """Seconds, peak memory (MB), exit status and CPU seconds (user + system) of a costcalc
    command, in a fresh probe process (RUSAGE_CHILDREN reports the largest child so far).
    `src`: another source tree's costcalc (a folder holding the package) instead."""
    exe = [costcalc_exe()] if src is None else [sys.executable, "-m", "costcalc"]
    env = None if src is None else {**os.environ, "PYTHONPATH": src}
    probe = (
        "import resource, subprocess, sys; "
        "done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL); "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(u.ru_maxrss, done.returncode, u.ru_utime + u.ru_stime)"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe, *exe, *args],
        stdin=stdin,
        capture_output=True,
        text=True,
        env=env,
        # `python -m` puts the working directory first on sys.path: run from a checkout, the
        # baseline would import the checkout's costcalc instead of SRC's.
        cwd=src,
    )
    elapsed = time.perf_counter() - start
    rss, status, cpu = done.stdout.split()
    return elapsed, int(rss) / 1024, int(status), float(cpu)


def hundred_thousand(tmp: Path, n: int, runs: int, baseline: str | None = None) -> None:
    path = tmp / "many.jsonl"
    with path.open("w") as f:
        f.writelines(lines(n))
    size = path.stat().st_size
    print(f"{n:,} requests, {size / 1e6:.0f} MB")
    ratios: dict[str, list[float]] = {}
    for run in range(1, runs + 1):
        parse, parse_c = parse_cpu(path)
        floor, floor_c = parse_and_count(path)
        table, table_mb, s1, table_c = command(["check", str(path)])
        js, js_mb, s2, js_c = command(["check", str(path), "--format", "json"])
        assert s1 == s2 == 0, (s1, s2)
        # Wall-clock ratios, then CPU-time ratios (less disturbed by a busy machine).
        print(
            f"run {run}: parse {parse:.2f} s, parse+count {floor:.2f} s | "
            f"check {table:.2f} s ({table / floor:.2f}x, {table_mb:.0f} MB) | "
            f"--format json {js:.2f} s ({js / floor:.2f}x, {js_mb:.0f} MB)\n"
            f"       CPU: parse {parse_c:.2f} s, parse+count {floor_c:.2f} s | "
            f"check {table_c:.2f} s ({table_c / floor_c:.2f}x) | "
            f"--format json {js_c:.2f} s ({js_c / floor_c:.2f}x)"
        )
        measured = [
            ("table, wall", table / floor),
            ("table, CPU", table_c / floor_c),
            ("json, wall", js / floor),
            ("json, CPU", js_c / floor_c),
        ]
        if baseline:
            b_table, b_table_mb, _, b_table_c = command(["check", str(path)], src=baseline)
            b_js, b_js_mb, _, b_js_c = command(
                ["check", str(path), "--format", "json"], src=baseline
            )
            print(
                f"       baseline ({baseline}): check {b_table:.2f} s, CPU {b_table_c:.2f} s "
                f"({b_table_c / floor_c:.2f}x, {b_table_mb:.0f} MB) | --format json "
                f"{b_js:.2f} s, CPU {b_js_c:.2f} s ({b_js_c / floor_c:.2f}x, {b_js_mb:.0f} MB)"
            )
            measured += [("baseline table, CPU", b_table_c / floor_c)]
            measured += [("baseline json, CPU", b_js_c / floor_c)]
        for name, value in measured:
            ratios.setdefault(name, []).append(value)
    if runs > 1:
        # The other jobs on a shared machine only ever add time: the minimum is the fairest
        # figure, the median the typical one.
        for name, values in ratios.items():
            print(
                f"{name}: min {min(values):.2f}x, median {statistics.median(values):.2f}x "
                f"(target <= 1.5x)"
            )


def million(n: int) -> None:
    writer = subprocess.Popen(
        [sys.executable, __file__, "--generate", str(n), "--bad-ids"], stdout=subprocess.PIPE
    )
    elapsed, mb, status, cpu = command(["check", "-", "--format", "json"], stdin=writer.stdout)
    assert writer.stdout is not None
    writer.stdout.close()
    writer.wait()
    print(
        f"{n:,} requests through a pipe, custom_id_invalid on every line: check - {elapsed:.0f} s "
        f"(generation included; {cpu:.0f} s CPU in check), peak {mb:.0f} MB, exit {status}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--million", action="store_true", help="also 1,000,000 through a pipe")
    parser.add_argument("--generate", type=int, metavar="N", help="write N requests to stdout")
    parser.add_argument("--bad-ids", action="store_true", help="with --generate")
    parser.add_argument(
        "--baseline", metavar="SRC", help="also measure another source tree (before/after)"
    )
    args = parser.parse_args()
    if args.generate is not None:
        sys.stdout.writelines(lines(args.generate, args.bad_ids))
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        if args.requests:
            hundred_thousand(Path(tmp), args.requests, args.runs, args.baseline)
    if args.million:
        million(1_000_000)
    return 0


if __name__ == "__main__":
    sys.exit(main())
