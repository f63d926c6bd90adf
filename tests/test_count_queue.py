"""The count queue (read/counting.py): chunks of short texts are counted on the reading thread,
chunks of long ones on the worker, and a request's total is the sum of its texts either way.

Counts are one token per word, so every total below is a sum of word counts by hand.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import costcalc.read.counting as counting
from costcalc.read.batchfile import BatchFile, Requests
from costcalc.read.counting import CountQueue


def per_word(model: str, text: str) -> int:
    return len(text.split())


def test_short_and_long_chunks_add_up_whichever_thread_counts_them(monkeypatch) -> None:
    monkeypatch.setattr(counting, "_CHUNK", 2)  # a chunk every 2 texts
    batch = BatchFile("f", "jsonl", 0, Requests(), {}, 0)  # type: ignore[arg-type]
    for line in range(3):
        batch.requests.append(line + 1, 10, 100, 0, False)
    long = "word " * 1_000  # 5,000 characters: a chunk of two goes to the worker
    texts = [
        (0, "one two"),
        (0, "three"),  # chunk 1 (short): request 0 has 3
        (1, long),
        (1, long),  # chunk 2 (long, the worker): request 1 has 2,000
        (1, "x y z"),
        (2, long),  # chunk 3 (mean 2,502 characters: the worker): request 1 +3, request 2 1,000
        (2, "a"),
        (2, "b c"),  # chunk 4 (short, here, once the worker is done): request 2 +3
        (0, "last"),  # flushed by wait(): request 0 +1
    ]
    with ThreadPoolExecutor(max_workers=1) as pool:
        queue = CountQueue(pool, batch, per_word)
        for r, text in texts:
            queue.add(True, r, "m", text)
        queue.wait()
    assert list(batch.requests.tail) == [3 + 1, 2_000 + 3, 1_000 + 3]
    assert list(batch.requests.tail_low) == list(batch.requests.tail_high) == [4, 2_003, 1_003]


def test_the_worker_is_kept_at_most_8_chunks_ahead(monkeypatch) -> None:
    monkeypatch.setattr(counting, "_CHUNK", 1)
    batch = BatchFile("f", "jsonl", 0, Requests(), {}, 0)  # type: ignore[arg-type]
    batch.requests.append(1, 10, 100, 0, False)
    with ThreadPoolExecutor(max_workers=1) as pool:
        queue = CountQueue(pool, batch, per_word)
        for _ in range(20):
            queue.add(True, 0, "m", "word " * 500)
            assert len(queue.futures) <= 8
        queue.wait()
    assert batch.requests.tail[0] == 20 * 500
