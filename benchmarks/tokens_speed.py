"""Token counting speed: tokens per second on 1 MB of text, and `costcalc tokens` on 1,000 files.

    python benchmarks/tokens_speed.py

Generates its inputs (deterministic English-like prose and Python-like code) in a temporary
directory. The encoding's load time is reported apart from counting; the 1,000-file run is
the whole command, start-up included, beside `costcalc estimate` for scale.
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import costcalc_exe

WORDS = [
    "the",
    "rubric",
    "asks",
    "each",
    "reviewer",
    "to",
    "check",
    "that",
    "every",
    "public",
    "function",
    "documents",
    "its",
    "arguments",
    "return",
    "values",
    "and",
    "errors",
    "and",
    "that",
    "tests",
    "cover",
    "the",
    "edge",
    "cases",
]


def prose(rng: random.Random, size: int) -> str:
    out, n = [], 0
    while n < size:
        line = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 16))) + ".\n"
        out.append(line)
        n += len(line)
    return "".join(out)[:size]


def code(rng: random.Random, i: int) -> str:
    body = "".join(
        f"    total += item_{k} * {rng.randint(1, 99)}\n" for k in range(rng.randint(5, 40))
    )
    return f"def sample_{i}(items):\n    total = 0\n{body}    return total\n"


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    from costcalc.tokens.count import Counter, Text, load_cl100k

    rng = random.Random(7)
    start = time.perf_counter()
    load_cl100k()
    load = time.perf_counter() - start
    text = prose(rng, 1_000_000)
    counter = Counter()
    runs = []
    for i in range(5):
        # A fresh digest each run, so the content-hash cache does not answer.
        t = Text("1mb", text, len(text), f"run-{i}")
        start = time.perf_counter()
        n = counter.count(t)
        runs.append(time.perf_counter() - start)
    per_run = statistics.median(runs)
    print(f"encoding load (bundled cl100k_base): {load * 1000:.0f} ms")
    print(
        f"1 MB of prose: {n:,} cl100k tokens in {per_run * 1000:.0f} ms "
        f"= {n / per_run:,.0f} tokens/s ({len(text) / per_run / 1e6:.1f} MB/s)"
    )

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "samples"
        folder.mkdir()
        for i in range(1_000):
            (folder / f"sample_{i:04}.py").write_text(code(rng, i))
        cmd = [costcalc_exe(), "tokens", str(folder), "--format", "csv"]
        est = [
            costcalc_exe(),
            "estimate",
            "--model",
            "opus-4.7",
            "--shared",
            "80k",
            "--requests",
            "10k",
        ]
        timed(cmd)
        files = statistics.median(timed(cmd) for _ in range(5))
        plain = statistics.median(timed(est) for _ in range(5))
    print(
        f"costcalc tokens on 1,000 small files: {files * 1000:.0f} ms "
        f"(costcalc estimate, for scale: {plain * 1000:.0f} ms)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
