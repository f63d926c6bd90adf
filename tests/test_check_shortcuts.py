"""check's shortcuts for requests that share a prefix (issue 19) change nothing in the bill.

The shared-prefix walk (read/prefixwalk.py), the shared play record and the repeated play
(read/cachesim.py) and the billing of requests by shape (compute/checkprice.py) are each a
faster way to the same figures. Here a file mixing request shapes (shared and unique prefixes,
1h and 5m breakpoints, automatic caching, several models, US inference, a problem on some
lines) is checked with the shortcuts and with each of them turned off, split into batches of
3 and whole, record in memory and spooled: totals, cases, entries (writes, reads), per-request
entry indices and problems (counts and lines) must be equal. The figures themselves are worked
out by hand in tests/test_check_cache.py.
"""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import date
from typing import Any

import pytest

import costcalc.read.cachesim as cachesim
from costcalc.compute.check import check
from costcalc.read.prefixwalk import PrefixMemo

ON = date(2026, 11, 25)
EPHEMERAL = {"type": "ephemeral"}
ONE_HOUR = {"type": "ephemeral", "ttl": "1h"}


def per_word(model: str, text: str) -> int:
    return len(text.split())


def words(n: int, tag: str) -> str:
    return " ".join(f"{tag}{i % 5}" for i in range(n))


def requests(seed: int, n: int = 60) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    rubric = [words(2_500, "r"), words(5_000, "s")]
    docs = [words(1_200, d) for d in "abc"]
    out = []
    shape = (0, "claude-opus-4-7", 100)
    for i in range(n):
        if rng.random() < 0.3:  # runs of requests of one shape, as batches have them
            models = ["claude-opus-4-7", "claude-sonnet-4-5"]
            shape = (rng.randrange(2), rng.choice(models), rng.choice([100, 200]))
        system: Any = [{"type": "text", "text": rubric[shape[0]], "cache_control": ONE_HOUR}]
        if rng.random() < 0.1:
            system = words(100 + i, "u")  # a unique prefix
        turn: Any = f"question {i} " + words(rng.randint(1, 30), "q")
        if rng.random() < 0.3:
            turn = [{"type": "text", "text": rng.choice(docs), "cache_control": EPHEMERAL}, turn]
        params: dict[str, Any] = {
            "model": shape[1],
            "max_tokens": shape[2],
            "system": system,
            "messages": [{"role": "user", "content": turn}],
        }
        if rng.random() < 0.1:
            params["cache_control"] = EPHEMERAL
        if rng.random() < 0.1:
            params["inference_geo"] = "us"
        if rng.random() < 0.05:
            params["temperature"] = 0.5
        custom_id = f"r{i}" if rng.random() < 0.9 else f"r.{i}"
        out.append({"custom_id": custom_id, "params": params})
    return out


def figures(report: Any) -> Any:
    req = report.batch.requests
    return (
        report.split,
        report.totals,
        report.expected,
        report.worst,
        report.cases,
        report.warm,
        [(e.writes, e.reads, e.fresh, e.last_uses) for e in report.batch.entries],
        [list(getattr(req, f)) for f in req.FIELDS],
        {k: (p.count, p.lines, p.figures) for k, p in report.batch.problems.items()},
    )


def no_prefix_walk(self: Any, model: str, us: bool, params: Any) -> None:
    return None


def simulate_always(batch: Any, r: int, r0: int) -> None:
    raise AssertionError("unreachable once the record is not shared")


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("split", [True, False])
@pytest.mark.parametrize("limit", [None, 7])
def test_each_shortcut_off_gives_the_same_check(tmp_path, pricing, monkeypatch, seed, split, limit):
    if split:
        limits = dataclasses.replace(pricing.batch_limits, max_requests=3)
        pricing = dataclasses.replace(pricing, batch_limits=limits)
    if limit is not None:
        monkeypatch.setattr(cachesim, "REPLAY_LIMIT", limit)
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in requests(seed)))

    def run() -> Any:
        return figures(check(path, pricing, ON, claude_counter=per_word, output=50))

    fast = run()
    with monkeypatch.context() as m:
        m.setattr(PrefixMemo, "walk", no_prefix_walk)
        assert run() == fast
    with monkeypatch.context() as m:
        # No shared record (and so no repeated play): every request walks its lookback.
        no_record = property(lambda self: None, lambda self, v: None)
        m.setattr(cachesim.CachePlay, "same", no_record, raising=False)
        m.setattr(cachesim, "_again", simulate_always)
        assert run() == fast
