"""The Python API's memory: `costcalc.check` on a generator of requests against the same
requests as a file (issue 21: "a generator of 100,000 requests is checked with the same memory
as the file path").

    python benchmarks/api_memory.py                  # 100,000 requests
    python benchmarks/api_memory.py --requests 20000

Each case runs in its own process, measured by its peak resident memory (max RSS) and its time:
- file: costcalc.check(PATH) on a JSONL file of the requests;
- generator: costcalc.check(a generator that builds each request as it is asked for);
- list: the same requests built into a list first (the list is the caller's memory, shown for
  scale: that is what "not materialising" saves);
- baseline: the interpreter with costcalc and tiktoken imported and cl100k loaded, nothing
  checked.
The requests share a ~2,500-token rubric behind a cache breakpoint and have a unique ~40-word
user message each. Compare the ratios within one run; the machine is shared and noisy.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
from datetime import date
import costcalc
from costcalc.tokens.count import load_cl100k

mode, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
RUBRIC = "Review each function for correctness, naming, tests and error handling. " * 220

def request(i):
    words = " ".join(f"w{(i * 7 + k) % 9973}" for k in range(40))
    return {
        "custom_id": f"r{i}",
        "params": {
            "model": "claude-opus-4-7",
            "max_tokens": 1000,
            "system": [{"type": "text", "text": RUBRIC, "cache_control": {"type": "ephemeral"}}],
            "messages": [{"role": "user", "content": f"Sample {i}: {words}"}],
        },
    }

if mode == "write":
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(request(i), separators=(",", ":")) + "\n")
    sys.exit(0)
load_cl100k()
start = time.perf_counter()
total = None
if mode == "file":
    total = costcalc.check(path, on=date(2026, 6, 1)).worst.total
elif mode == "generator":
    total = costcalc.check((request(i) for i in range(n)), on=date(2026, 6, 1)).worst.total
elif mode == "list":
    items = [request(i) for i in range(n)]
    total = costcalc.check(items, on=date(2026, 6, 1)).worst.total
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"mode": mode, "peak_mb": round(peak, 1), "seconds": round(seconds, 2),
                  "worst": str(total)}))
"""


def run(mode: str, n: int, path: Path) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(n), str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return json.loads(out) if out.strip() else {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "batch.jsonl"
        run("write", args.requests, path)
        size = path.stat().st_size / 1e6
        print(f"{args.requests:,} requests, {size:,.0f} MB as JSONL")
        rows = [
            run(mode, args.requests, path) for mode in ("baseline", "file", "generator", "list")
        ]
    base = rows[0]["peak_mb"]
    print(f"{'case':<10} {'peak MB':>8} {'over baseline':>14} {'seconds':>8}  worst case")
    for r in rows:
        print(
            f"{r['mode']:<10} {r['peak_mb']:>8.1f} {r['peak_mb'] - base:>14.1f} "
            f"{r['seconds']:>8.2f}  {r['worst']}"
        )
    file_row, gen_row = rows[1], rows[2]
    assert file_row["worst"] == gen_row["worst"], "the generator and the file priced differently"
    print(
        f"generator / file, peak over baseline: "
        f"{(gen_row['peak_mb'] - base) / max(file_row['peak_mb'] - base, 0.1):.2f}x"
    )


if __name__ == "__main__":
    main()
