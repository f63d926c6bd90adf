"""Cold start of `costcalc estimate` vs importing its dependencies (target: at most 1.5x).

    python benchmarks/cold_start.py [--runs 30] [--check]

Runs the two commands alternately in one process, so machine noise hits both alike, and
compares medians. The baseline is the issue's: python -c "import pydantic, yaml, rich.console,
rich.table". costcalc runs as installed (the `costcalc` script beside this Python).
--check exits 1 when the ratio is over 1.5.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

from common import costcalc_exe

TARGET = 1.5
BASELINE = [sys.executable, "-c", "import pydantic, yaml, rich.console, rich.table"]
ARGS = ["estimate", "--model", "opus-4.7", "--shared", "80000", "--requests", "10000"]


def timed(cmd: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--check", action="store_true", help=f"exit 1 if the ratio is over {TARGET}"
    )
    args = parser.parse_args()
    cmd = [costcalc_exe(), *ARGS]
    for _ in range(3):  # warm the OS file cache for both
        timed(BASELINE), timed(cmd)
    base, ours = [], []
    for _ in range(args.runs):
        base.append(timed(BASELINE))
        ours.append(timed(cmd))
    b, o = statistics.median(base), statistics.median(ours)
    ratio = o / b
    print(f"baseline (import pydantic, yaml, rich.console, rich.table): median {b * 1000:.1f} ms")
    print(f"costcalc {' '.join(ARGS)}: median {o * 1000:.1f} ms")
    print(f"ratio {ratio:.2f}x (target <= {TARGET}x, {args.runs} alternating runs)")
    return 1 if args.check and ratio > TARGET else 0


if __name__ == "__main__":
    sys.exit(main())
