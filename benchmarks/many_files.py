"""Memory of `actual` over many results files: what is kept per file is its subtotal row, a
few KiB whatever its size (target: under 4 KiB a file, the same with --lines 2000).

    python benchmarks/many_files.py [--lines 200]

Writes N results files of --lines lines each, reads them with manyresults.read_many (grouped
by model and a custom_id prefix, as a team report would be) and reports tracemalloc's peak
for 20 and for 200 files, and the time per file. Growth with --lines would mean something
per request is kept.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from costcalc.compute.grouping import parse_keys
from costcalc.compute.manyresults import read_many
from costcalc.prices.load import load_pricing


def write(path: Path, lines: int, rng: random.Random, n: int) -> None:
    with path.open("w") as f:
        for i in range(lines):
            usage = {
                "input_tokens": rng.randint(10, 5000),
                "cache_read_input_tokens": rng.choice([0, 20000]),
                "cache_creation_input_tokens": 0,
                "output_tokens": rng.randint(1, 2000),
                "service_tier": "batch",
            }
            model = rng.choice(["claude-opus-4-7", "claude-sonnet-4-6"])
            message = {"model": model, "usage": usage}
            team = rng.choice(["search", "ads", "infra", "ml"])
            item = {
                "custom_id": f"{team}-{n}-{i}",
                "result": {"type": "succeeded", "message": message},
            }
            f.write(json.dumps(item) + "\n")


def peak(paths: list[Path]) -> tuple[int, float]:
    pricing = load_pricing()
    keys = parse_keys(["custom_id:^([a-z]+)-", "model"])
    tracemalloc.start()
    start = time.perf_counter()
    read_many(paths, pricing, date(2026, 11, 24), keys, budget_per_group=None)
    elapsed = time.perf_counter() - start
    _, top = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return top, elapsed / len(paths)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200)
    args = parser.parse_args()
    rng = random.Random(23)
    with tempfile.TemporaryDirectory() as tmp:
        paths = [Path(tmp) / f"{n:03d}.jsonl" for n in range(200)]
        for n, path in enumerate(paths):
            write(path, args.lines, rng, n)
        peak(paths[:1])  # imports and caches first, so neither measurement holds them
        few, few_t = peak(paths[:20])
        many, many_t = peak(paths)
    per_file = (many - few) / 180 / 1024
    print(f"peak memory, 20 files:  {few / 1024:,.0f} KiB ({few_t * 1000:.1f} ms a file)")
    print(f"peak memory, 200 files: {many / 1024:,.0f} KiB ({many_t * 1000:.1f} ms a file)")
    print(f"kept per file: {per_file:.1f} KiB (target < 4, whatever --lines)")
    return 0 if per_file < 4 else 1


if __name__ == "__main__":
    sys.exit(main())
