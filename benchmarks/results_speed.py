"""Pricing 100,000 batch result lines against merely JSON-parsing them (target: under 2x).

    python benchmarks/results_speed.py [--lines 100000]

Generates a results file shaped like Anthropic's (mixed result types, cache writes and reads,
usage with the cache_creation breakdown) and measures, in one run: json.loads of every line,
costcalc's results reader in-process, and the `costcalc actual` command (start-up included).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from common import costcalc_exe, parse_only


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


def priced(path: Path) -> float:
    from costcalc.compute.actual import read_results
    from costcalc.prices.load import load_pricing

    pricing = load_pricing()
    start = time.perf_counter()
    read_results(path, pricing, date.today())
    return time.perf_counter() - start


def command(path: Path) -> float:
    cmd = [costcalc_exe(), "actual", str(path), "--format", "json"]
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "results.jsonl"
        generate(path, args.lines, random.Random(5))
        parse_only(path)
        runs = [(parse_only(path), priced(path)) for _ in range(5)]
        parse = statistics.median(p for p, _ in runs)
        inside = statistics.median(q for _, q in runs)
        whole = statistics.median(command(path) for _ in range(3))
    print(f"{args.lines:,} result lines: parse only {parse:.3f} s")
    print(f"  priced in-process   {inside:.3f} s = {inside / parse:.2f}x parse (target < 2x)")
    print(f"  costcalc actual     {whole:.3f} s = {whole / parse:.2f}x parse, start-up included")
    return 0


if __name__ == "__main__":
    sys.exit(main())
