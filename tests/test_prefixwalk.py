"""The shared-prefix walk (read/prefixwalk.py) gives what the full walk gives, or steps aside.

Every ordered pair of request shapes below is walked both ways: the remembered prefix of the
first plus a walk of the second's last message must equal the full walk of the second (block
keys, prefix ids, sources, breakpoints), or the memo must decline (None). The shapes include
the hostile ones where JSON equality is looser than identity (1 == 1.0 == true), tools,
automatic caching, settings that invalidate the message cache and a cache_control in the last
message. The whole check (totals, entries, problems) is compared on a file mixing them in
tests/test_check_cache.py's split test and the golden files.
"""

from __future__ import annotations

import copy
import itertools
from typing import Any

import pytest

from costcalc.read.batchfile import BatchFile, Requests
from costcalc.read.prefixwalk import PrefixMemo
from costcalc.read.requests import _identify

RUBRIC = "Rules: label each ticket. " * 40
CC = {"type": "ephemeral"}


def system_blocks(first: Any = RUBRIC, cc: Any = CC) -> list[Any]:
    return [
        {"type": "text", "text": first},
        {"type": "text", "text": "Labels.", "cache_control": cc},
    ]


def req(last: Any = "Ticket 1: printer jam", **extra: Any) -> dict[str, Any]:
    params: dict[str, Any] = {
        "model": "claude-haiku-4-5",
        "max_tokens": 256,
        "system": system_blocks(),
        "messages": [{"role": "user", "content": last}],
    }
    params.update(extra)
    return params


FEW_SHOT = [
    {
        "role": "user",
        "content": [{"type": "text", "text": "Example: it is broken", "cache_control": CC}],
    },
    {"role": "assistant", "content": "hardware"},
]

SHAPES: list[dict[str, Any]] = [
    req(),
    req("Ticket 2: screen flickers and the fan is loud"),
    req([{"type": "text", "text": "Ticket 3"}, {"type": "text", "text": "details"}]),
    req([{"type": "text", "text": "Ticket 4"}, "not a block", {"type": "text"}]),
    req([{"type": "text", "text": "Ticket 5", "cache_control": CC}]),  # a breakpoint in the tail
    req([{"type": "text", "text": 5}]),  # a number where text belongs
    req([{"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": ""}}]),
    req(7),
    req([]),
    req(system="one system string"),
    req(system=None),
    req(system=system_blocks(first=1)),
    req(system=system_blocks(first=True)),
    req(system=system_blocks(first=1.0)),
    req(system=system_blocks(cc={"type": "ephemeral", "ttl": "1h"})),
    req(system=system_blocks(cc={"type": "nope"})),
    req(system=[3, *system_blocks()]),
    req(thinking={"type": "enabled", "budget_tokens": 1024}),
    req(thinking={"type": "enabled", "budget_tokens": 1024.0}),
    req(tool_choice={"type": "auto"}),
    req(cache_control=CC),
    req(tools=[{"name": "f", "description": "d", "input_schema": {"type": "object"}}]),
    req(model="claude-opus-4-7"),
    req(messages=[*FEW_SHOT, {"role": "user", "content": "Ticket 9: slow"}]),
    req(messages=[*FEW_SHOT, {"role": "user", "content": "Ticket 10: noisy"}]),
    req(messages=[*FEW_SHOT, {"role": 1, "content": "Ticket 11"}]),
    req(messages=[*FEW_SHOT, {"role": "user", "content": "Ticket 12"}], thinking={"type": "x"}),
    req(
        messages=[
            FEW_SHOT[0],
            {"role": "assistant", "content": "software"},
            {"role": "user", "content": "T"},
        ]
    ),
    req(messages=["junk", {"role": "user", "content": "Ticket 13"}]),
    req(
        messages=[
            {
                "role": "user",
                "content": [{"type": "tool_use", "id": "1", "name": "f", "input": {}}],
            },
            {"role": "user", "content": "x"},
        ]
    ),
]


def full_walk(params: dict[str, Any], us: bool = False) -> Any:
    batch = BatchFile("f", "jsonl", 0, Requests(), {}, 0)  # type: ignore[arg-type]
    return _identify(batch, {}, params["model"], params, None, us)


@pytest.mark.parametrize("us", [False, True])
def test_the_remembered_prefix_walks_as_the_full_walk_or_steps_aside(us: bool) -> None:
    reused = 0
    for first, second in itertools.product(SHAPES, repeat=2):
        memo = PrefixMemo()
        memo.remember(first["model"], us, first, full_walk(first, us))
        got = memo.walk(second["model"], us, copy.deepcopy(second))
        if got is not None:
            reused += 1
            assert got == full_walk(second, us), (first, second)
    # The common shapes (same system, a new last turn of text) are reused.
    assert reused >= 60


def test_a_prefix_is_reused_only_on_its_model_and_location() -> None:
    memo = PrefixMemo()
    memo.remember("claude-haiku-4-5", False, req(), full_walk(req()))
    assert memo.walk("claude-haiku-4-5", False, req("other")) is not None
    assert memo.walk("claude-haiku-4-5", True, req("other")) is None
    assert memo.walk("claude-opus-4-7", False, req("other")) is None


def test_prefixes_that_cannot_be_compared_by_value_are_not_remembered() -> None:
    # A number in a system text (1 and true are equal JSON values, their text is not), tools
    # (identified by their JSON text), automatic caching (its breakpoint is on the last block).
    for params in (
        req(system=system_blocks(first=1)),
        req(tools=[{"name": "f", "input_schema": {"type": "object"}}]),
        req(cache_control=CC),
    ):
        memo = PrefixMemo()
        memo.remember(params["model"], False, params, full_walk(params))
        assert not memo.keys
        assert memo.walk(params["model"], False, params) is None
