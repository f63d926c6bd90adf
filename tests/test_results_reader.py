"""The results reader (read/results.py) and the custom_id table of `actual` (compute/routes.py):
what a line is, read by the C scanner or by decode, and duplicates found past the table's growth."""

from __future__ import annotations

import json

from costcalc.compute.routes import IdSet
from costcalc.read.results import MALFORMED, result_lines

USAGE = {
    "input_tokens": 10,
    "output_tokens": 5,
    "cache_creation_input_tokens": 3,
    "cache_creation": {"ephemeral_5m_input_tokens": 3, "ephemeral_1h_input_tokens": 0},
}
GOOD = json.dumps(
    {
        "custom_id": "a",
        "result": {"type": "succeeded", "message": {"model": "m", "usage": USAGE}},
    }
)


def kinds(*lines: str) -> list[str]:
    return [k for _, k, *_ in result_lines(line.encode() for line in lines)]


def test_a_line_is_one_json_value_with_json_whitespace_around_it():
    # JSON whitespace (space, tab, CR, LF) may surround the value; anything else is malformed.
    ok = [GOOD, GOOD + "\n", GOOD + "\r\n", "  " + GOOD + "\n", GOOD + " \t\n", "\t" + GOOD]
    assert kinds(*ok) == ["succeeded"] * len(ok)
    bad = [GOOD + " x\n", GOOD + GOOD + "\n", "\ufeff" + GOOD, GOOD + "\x0b\n", GOOD[:-1]]
    assert kinds(*bad) == [MALFORMED] * len(bad)


def test_usage_fields_in_order():
    ((number, kind, custom_id, model, usage, miss),) = result_lines([GOOD.encode()])
    assert (number, kind, custom_id, model, miss) == (1, "succeeded", "a", "m", None)
    # input, 5m, 1h, read, output, searches, fetches, TTL known, mismatch, tier, geo, speed
    assert usage == (10, 3, 0, 0, 5, 0, 0, True, False, None, None, None)


def test_cache_creation_total_against_its_breakdown():
    def mismatch(total: object) -> object:
        usage = {**USAGE, "cache_creation_input_tokens": total}
        line = GOOD.replace(json.dumps(USAGE), json.dumps(usage))
        ((_, kind, _, _, fields, _),) = result_lines([line.encode()])
        return kind if fields is None else fields[8]

    # 3 = 3 + 0 agrees (0); 4 is more than the breakdown (2: written tokens left unpriced, a
    # lower bound); null is no writes (0, less than the breakdown: 1); 2 is less (1);
    # true and 3.0 are not counts: the line is malformed.
    assert [mismatch(t) for t in (3, 4, None, 2, True, 3.0)] == [0, 2, 1, 1, MALFORMED, MALFORMED]


def test_id_table_finds_every_repeat_after_it_grows():
    ids = IdSet()
    n = 200_000  # past several doublings of the 65,536-slot table
    assert not any(ids.repeat(f"req_{i}") for i in range(n))
    assert all(ids.repeat(f"req_{i}") for i in range(0, n, 997))
    assert ids.size == n and ids.mask + 1 >= 2 * n
