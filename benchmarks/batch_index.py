"""Memory of `actual RESULTS... --batch REQUESTS...`'s custom_id index (compute/coldstart.py).

    python benchmarks/batch_index.py              # 100,000 requests in two request files
    python benchmarks/batch_index.py --requests N

The request files are many_requests.py's (a shared cached system prompt, a unique user turn;
split in two files, ticket-0.. and ticket-N/2..). Measured with tracemalloc, in bytes per
request:
- the index alone: custom_id -> request number over both files (the dict and the id strings)
  and the one-byte-per-request bitmap of answered requests;
- everything ColdIndex keeps after planning both files (the index, plus check's per-request
  arrays and cache entries of each file that counting misses needs), and the peak while
  planning (check's own, one file at a time).
Memory is per request and never per results file: reading the results adds only the groups.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
import tracemalloc
from datetime import date
from pathlib import Path

from many_requests import lines


def index_alone(ids: list[str]) -> int:
    """Bytes of what ColdIndex.add builds for `ids`: the dict, its keys, the bitmap."""
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    # The ids are copied, as request_ids reads them from the file (not the caller's strings).
    index = {"".join(i): n for n, i in enumerate(ids)}
    answered = bytearray(len(ids))
    size = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    del index, answered
    return size


def planned(files: list[Path]) -> tuple[int, int, float]:
    """(bytes ColdIndex keeps, peak bytes while planning, seconds) over `files`."""
    from costcalc.commands.batches import plan_batches
    from costcalc.prices.load import load_pricing

    pricing = load_pricing(None)
    # Imports, the tokenizer's tables and price data are loaded once per run, not per request:
    # planning a small file first keeps them out of the figures.
    warm = files[0].with_name("warm.jsonl")
    warm.write_text("".join(lines(10)))
    plan_batches([warm], pricing, date(2026, 11, 25), True)
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    start = time.perf_counter()
    index = plan_batches(files, pricing, date(2026, 11, 25), True)
    seconds = time.perf_counter() - start
    gc.collect()
    kept, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert len(index.index) == sum(1 for f in files for _ in f.open("rb"))
    return kept - before, peak - before, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=100_000)
    n = parser.parse_args().requests
    with tempfile.TemporaryDirectory() as d:
        files = [Path(d) / "a.jsonl", Path(d) / "b.jsonl"]
        with files[0].open("w") as a, files[1].open("w") as b:
            for i, line in enumerate(lines(n)):
                (a if i < n // 2 else b).write(line)
        ids = [f"ticket-{i}" for i in range(n)]
        alone = index_alone(ids)
        kept, peak, seconds = planned(files)
    print(f"{n:,} requests in 2 request files")
    print(
        f"  custom_id index + answered bitmap: {alone / n:,.0f} B/request ({alone / 2**20:.1f} MiB)"
    )
    print(
        f"  kept by ColdIndex after planning:  {kept / n:,.0f} B/request ({kept / 2**20:.1f} MiB)"
    )
    print(
        f"  peak while planning (traced):      {peak / n:,.0f} B/request ({peak / 2**20:.1f} MiB)"
    )
    print(f"  planning time under tracemalloc:   {seconds:.1f} s")


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).parent))
    main()
