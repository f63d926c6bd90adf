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
    batch.requests.finish()  # as the walk does once every count is in
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


def test_requests_arrays_grown_ahead_are_cut_to_the_requests_read(monkeypatch) -> None:
    from costcalc.read import batchfile

    monkeypatch.setattr(batchfile, "_CHUNK", 3)  # grown every 3 requests
    req = Requests()
    for line in range(1, 8):
        assert req.append(line, 10 * line, 100, 0, line == 2, line == 3) == line - 1
        # Room ahead holds the starting values: no entry, no tokens.
        assert req.room >= len(req) and req.c[len(req) - 1] == -1 and req.tail[len(req) - 1] == 0
    req.tail[6] = 5
    req.finish()
    assert len(req) == 7
    for name in (*req.FIELDS, "tail", "tail_low", "tail_high"):
        assert len(getattr(req, name)) == 7, name
    assert list(req.a) == list(req.b0) == [-1] * 7
    assert list(req.tail) == [0] * 6 + [5]
    assert list(req.rejected) == [0, 1, 0, 0, 0, 0, 0] and list(req.us) == [0, 0, 1, 0, 0, 0, 0]
    req.append(8, 80, 100, 0, False)  # appending after finish() grows again
    req.finish()
    assert len(req.tail) == len(req.c) == 8 and req.c[7] == -1
