"""`costcalc check` on a maximal batch file, against merely parsing it and naive counting.

    python benchmarks/check_speed.py                 # a 256 MB file
    python benchmarks/check_speed.py --sizes 256,1024
    python benchmarks/check_speed.py --sizes 0 --distinct 1000000   # memory only

Generates JSONL requests that share an ~80,000-token rubric (~320 kB of text) with ~8 kB of
unique code each, up to the given size in MB, then measures in one run:
- parse: json.loads of every line (the floor any checker pays);
- check: `costcalc check FILE --format json` as a subprocess, start-up included;
- naive: tiktoken on every request's full text (what hashing and counting each block once
  avoids), on the first 25% of the file and scaled up;
- peak memory (max RSS) of the check process, per file size.
Targets (issue): check <= 3x parse, >= 20x faster than naive, memory flat (< 200 MB).

With --distinct N it also checks a file of N distinct small requests (a unique ~25-word user
message each, no shared prefix; --auto-cache adds automatic caching, so every request is its
own cache entry) and reports the check command's time and peak memory (issue 10: 1,000,000
requests under 200 MB; memory is per distinct cache entry, not per request).
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import parse_only

ROOT = Path(__file__).resolve().parent.parent

WORDS = [
    "the",
    "reviewer",
    "checks",
    "that",
    "each",
    "public",
    "function",
    "documents",
    "arguments",
    "return",
    "values",
    "errors",
    "tests",
    "edge",
    "cases",
    "naming",
    "style",
    "performance",
    "imports",
    "comments",
]


NAMES = (
    "total",
    "records",
    "result",
    "items",
    "config",
    "buffer",
    "index",
    "value",
    "errors",
    "batch",
    "prefix",
    "tokens",
    "cache",
    "request",
    "response",
    "limit",
)
CALLS = (
    "len",
    "sorted",
    "parse_amount",
    "read_config",
    "batch_ids",
    "average",
    "min",
    "max",
    "fetch_with_retry",
    "normalize",
    "validate",
)


def generate(path: Path, megabytes: int, rng: random.Random) -> int:
    rubric = " ".join(rng.choice(WORDS) for _ in range(56_000))  # ~320 kB
    target = megabytes * 1_000_000
    written = n = 0
    with path.open("w") as f:
        while written < target:
            code = f"def review_target_{n}(records, options):\n" + "".join(
                f"    {rng.choice(NAMES)} = {rng.choice(CALLS)}({rng.choice(NAMES)}, "
                f"options.{rng.choice(NAMES)})\n"
                for _ in range(180)
            )  # ~8 kB of ordinary code
            line = (
                json.dumps(
                    {
                        "custom_id": f"req_{n}",
                        "params": {
                            "model": "claude-opus-4-7",
                            "max_tokens": 2048,
                            "system": [
                                {
                                    "type": "text",
                                    "text": rubric,
                                    "cache_control": {"type": "ephemeral"},
                                }
                            ],
                            "messages": [{"role": "user", "content": f"Review this code:\n{code}"}],
                        },
                    }
                )
                + "\n"
            )
            f.write(line)
            written += len(line)
            n += 1
    return n


def naive(path: Path, share: float = 0.25) -> float:
    from costcalc.tokens.count import load_cl100k

    enc = load_cl100k()
    lines = sum(1 for _ in path.open("rb"))
    take = max(1, int(lines * share))
    start = time.perf_counter()
    with path.open("rb") as f:
        for i, line in enumerate(f):
            if i >= take:
                break
            p = json.loads(line)["params"]
            enc.encode_ordinary(p["system"][0]["text"] + p["messages"][0]["content"])
    return (time.perf_counter() - start) * lines / take


def check_in_process(path: Path) -> float:
    """The check itself, without interpreter start-up and the encoding's load."""
    from datetime import date

    sys.path.insert(0, str(ROOT))  # this checkout's costcalc when it is not installed
    from costcalc.compute.check import check as run_check
    from costcalc.prices.load import load_pricing
    from costcalc.tokens.count import load_cl100k

    pricing, encoding = load_pricing(), load_cl100k()
    start = time.perf_counter()
    run_check(path, pricing, date.today(), counter=lambda text: len(encoding.encode_ordinary(text)))
    return time.perf_counter() - start


def command() -> tuple[list[str], dict | None]:
    """The installed `costcalc` beside this Python, else this checkout's as `python -m`."""
    import os

    script = Path(sys.executable).with_name("costcalc")
    if script.exists():
        return [str(script)], None
    return [sys.executable, "-m", "costcalc"], {**os.environ, "PYTHONPATH": str(ROOT)}


def generate_distinct(path: Path, n: int, rng: random.Random, auto: bool) -> None:
    with path.open("w") as f:
        for i in range(n):
            params: dict = {
                "model": "claude-haiku-4-5",
                "max_tokens": 256,
                "messages": [
                    {
                        "role": "user",
                        "content": f"Classify item {i}: "
                        + " ".join(rng.choice(WORDS) for _ in range(20)),
                    }
                ],
            }
            if auto:
                params["cache_control"] = {"type": "ephemeral"}
            f.write(json.dumps({"custom_id": f"req_{i}", "params": params}) + "\n")


def check(path: Path) -> tuple[float, float]:
    """Seconds and peak memory (MB, max RSS) of the check command, in a fresh process each time
    (RUSAGE_CHILDREN would report the largest child so far)."""
    cmd, env = command()
    probe = (
        "import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
        "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", probe, *cmd, "check", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"check failed: {done.stderr}")
    return elapsed, int(done.stdout) / 1024


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="256", help="file sizes in MB, comma-separated")
    parser.add_argument("--distinct", type=int, default=0, help="N distinct small requests")
    parser.add_argument("--auto-cache", action="store_true", help="with --distinct")
    args = parser.parse_args()
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        if args.distinct:
            path = Path(tmp) / "distinct.jsonl"
            generate_distinct(path, args.distinct, rng, args.auto_cache)
            parse_only(path)
            parsed = parse_only(path)
            checked, peak = check(path)
            what = "automatic caching (one entry each)" if args.auto_cache else "no caching"
            print(f"{args.distinct:,} distinct small requests, {what}:")
            print(f"  parse only              {parsed:6.2f} s")
            print(
                f"  costcalc check command  {checked:6.2f} s = {checked / parsed:.2f}x parse; "
                f"peak memory {peak:.0f} MB (target < 200 MB)"
            )
            path.unlink()
        for mb in (int(x) for x in args.sizes.split(",") if int(x)):
            path = Path(tmp) / f"batch_{mb}.jsonl"
            n = generate(path, mb, rng)
            parse_only(path)  # warm the page cache
            parsed = parse_only(path)
            checked, peak = check(path)
            inside = check_in_process(path)
            counted = naive(path)
            print(f"{mb} MB, {n:,} requests sharing an ~80k-token prefix:")
            print(f"  parse only              {parsed:6.2f} s")
            print(
                f"  costcalc check command  {checked:6.2f} s = {checked / parsed:.2f}x parse "
                f"(target <= 3x), start-up included; peak memory {peak:.0f} MB (target < 200 MB)"
            )
            print(f"  check, in-process       {inside:6.2f} s = {inside / parsed:.2f}x parse")
            print(
                f"  naive tiktoken          {counted:6.2f} s -> the check is {counted / checked:.1f}x "
                f"faster as a command, {counted / inside:.1f}x in-process (target >= 20x)"
            )
            path.unlink()
    return 0


if __name__ == "__main__":
    sys.exit(main())
