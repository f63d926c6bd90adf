"""costcalc check's cache model: hand-worked bills for each caching pattern, and invariants.

Counts are exact: one Claude token per word (a `claude_counter`), so the arithmetic is exact.
Opus 4.7 batch rates: input $2.50, 5m write $3.125, 1h write $5, read $0.25, output $12.50 per
MTok; real-time: $5, $6.25, $10, $0.50, $25. Minimum cacheable: 2,048 tokens
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching). The batch discount halves
every class, cache writes and reads included
(https://platform.claude.com/docs/en/build-with-claude/batch-processing).
"""

import copy
import dataclasses
import json
from datetime import date
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costcalc.compute.check import check
from costcalc.compute.engine import USAGE_CLASSES

ON = date(2026, 11, 25)
EPHEMERAL = {"type": "ephemeral"}
ONE_HOUR = {"type": "ephemeral", "ttl": "1h"}


def words(n, tag="w"):
    return " ".join(f"{tag}{i % 7}" for i in range(n))


def per_word(model, text):
    return len(text.split())


def text(t, cc=None):
    return {"type": "text", "text": t, **({"cache_control": cc} if cc else {})}


def req(i, system, user, max_tokens=200, **params):
    body = {
        "model": "claude-opus-4-7",
        "max_tokens": max_tokens,
        "system": system,
        "messages": [{"role": "user", "content": user}],
        **params,
    }
    return {"custom_id": f"r{i}", "params": body}


def run(tmp_path, requests, pricing, name="b.jsonl", **kw):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in requests))
    kw.setdefault("output", 100)
    return check(path, pricing, ON, claude_counter=per_word, **kw)


def kinds(report):
    return {p.kind: p.lines for p in report.batch.problems.values()}


SYSTEM = words(3_000, "s")  # 3,000 tokens: over the 2,048 minimum


def test_shared_system_breakpoint_and_a_breakpoint_on_each_unique_user_text(tmp_path, pricing):
    reqs = [
        req(i, [text(SYSTEM, EPHEMERAL)], [text(words(100, f"u{chr(97 + i)}x"), EPHEMERAL)])
        for i in range(3)
    ]
    r = run(tmp_path, reqs, pricing, hit_rate=D("0.5"))
    # Request 1 writes 3,000 + 100 at 5m; requests 2 and 3 read the system entry (one block
    # before their breakpoint, inside the lookback) and write their own 100.
    # best: 5m writes 3,300 x $3.125/M = 0.0103125; reads 6,000 x $0.25/M = 0.0015;
    # output 3 x 100 x $12.50/M = 0.00375 -> 0.0155625
    assert r.totals["batch_cache"] == D("0.0155625")
    # standard: input 9,300 x $5/M = 0.0465 + output 300 x $25/M = 0.0075 = 0.054
    assert r.totals["standard"] == D("0.054")
    # batch: 9,300 x $2.50/M = 0.02325 + 300 x $12.50/M = 0.00375 = 0.027
    assert r.totals["batch"] == D("0.027")
    # cache (real time): 3,300 x $6.25/M = 0.020625 + 6,000 x $0.50/M = 0.003 + 0.0075 = 0.031125
    assert r.totals["cache"] == D("0.031125")
    # expected at 50%: half of the two readers' 3,000-token reads become 5m writes:
    # 0.5 x 2 x 3,000 x ($3.125 - $0.25)/M = 0.5 x 0.01725 = 0.008625 -> 0.0241875
    assert r.expected == D("0.0241875")
    # worst: every request writes 3,100 at 5m: 9,300 x $3.125/M = 0.0290625;
    # max_tokens output 600 x $12.50/M = 0.0075 -> 0.0365625
    assert r.worst == D("0.0365625")
    assert r.entry_count == 4
    top = r.entries[0]
    # The system entry: 1 write of 3,000 x $3.125/M + 2 reads x 3,000 x $0.25/M = 0.010875
    assert (top.tokens, top.writes, top.reads, top.cost) == (3_000, 1, 2, D("0.010875"))
    assert kinds(r) == {}


def test_automatic_caching_with_a_unique_tail_never_reads(tmp_path, pricing):
    reqs = [
        req(i, SYSTEM, words(100, f"u{chr(97 + i)}x"), cache_control={"type": "ephemeral"})
        for i in range(3)
    ]
    r = run(tmp_path, reqs, pricing)
    # The breakpoint is on each unique user text; nothing else is ever written, so nobody reads.
    # best: 3 x 3,100 x $3.125/M = 0.0290625 + output 300 x $12.50/M = 0.00375 = 0.0328125
    assert r.totals["batch_cache"] == D("0.0328125")
    assert r.expected == r.totals["batch_cache"]  # no read to miss: 90% changes nothing
    # worst: 0.0290625 + max_tokens 600 x $12.50/M = 0.0075 -> 0.0365625
    assert r.worst == D("0.0365625")
    # and caching costs more than the batch alone: 9,300 x $2.50/M + 0.00375 = 0.027
    assert r.totals["batch"] == D("0.027") < r.totals["batch_cache"]
    assert kinds(r) == {"cache_never_read": [1, 2, 3]}


def test_one_hour_system_then_five_minute_messages(tmp_path, pricing):
    reqs = [
        req(i, [text(SYSTEM, ONE_HOUR)], [text(words(100, f"u{chr(97 + i)}x"), EPHEMERAL)])
        for i in range(3)
    ]
    r = run(tmp_path, reqs, pricing, hit_rate=D("0.5"))
    # best: request 1 writes 3,000 at 1h (B) and 100 at 5m (C - B); the others read 3,000 and
    # write 100 at 5m. 1h: 3,000 x $5/M = 0.015; 5m: 300 x $3.125/M = 0.0009375;
    # reads 6,000 x $0.25/M = 0.0015; output 0.00375 -> 0.0211875
    assert r.totals["batch_cache"] == D("0.0211875")
    # expected: 0.5 x 2 x 3,000 x ($5 - $0.25)/M = 0.5 x 0.0285 = 0.01425 -> 0.0354375
    assert r.expected == D("0.0354375")
    # worst: 3 x 3,000 at 1h = 9,000 x $5/M = 0.045 (not the 5m price: 0.028125);
    # 300 at 5m = 0.0009375; output 600 x $12.50/M = 0.0075 -> 0.0534375
    assert r.worst == D("0.0534375")


def test_mixed_ttls_bill_a_b_c(tmp_path, pricing):
    def one(i, doc):
        return req(
            i,
            [text(SYSTEM, ONE_HOUR), text(words(1_000, doc), ONE_HOUR)],
            [text(words(100, f"q{chr(97 + i)}x"), EPHEMERAL)],
            max_tokens=1,
        )

    r = run(tmp_path, [one(1, "d"), one(2, "e")], pricing, output=0)
    # request 1: B = 4,000 at 1h, C - B = 100 at 5m.
    # request 2: A = 3,000 (system, read), B - A = 1,000 at 1h (its own document), C - B = 100.
    # 1h: 5,000 x $5/M = 0.025; 5m: 200 x $3.125/M = 0.000625; read 3,000 x $0.25/M = 0.00075
    assert r.totals["batch_cache"] == D("0.026375")
    lines = {c: t for c, (t, _) in r.best_lines.items()}
    assert lines == {
        "input": 0,
        "cache_write_5m": 200,
        "cache_write_1h": 5_000,
        "cache_read": 3_000,
        "output": 0,
    }


def test_two_groups_share_a_first_level_entry_and_differ_below_it(tmp_path, pricing):
    def one(i, doc):
        return req(
            i,
            [text(SYSTEM, EPHEMERAL)],
            [text(words(1_000, doc), EPHEMERAL), text(words(10, f"q{chr(97 + i)}x"))],
        )

    r = run(tmp_path, [one(1, "g"), one(2, "g"), one(3, "h"), one(4, "h")], pricing)
    # 1: writes 3,000 + 1,000 (5m), input 10.   2: reads 4,000, input 10.
    # 3: reads the system's 3,000 (lookback), writes its group's 1,000, input 10.
    # 4: reads 4,000, input 10.
    # 5m: 5,000 x $3.125/M = 0.015625; reads 11,000 x $0.25/M = 0.00275;
    # input 40 x $2.50/M = 0.0001; output 400 x $12.50/M = 0.005 -> 0.023475
    assert r.totals["batch_cache"] == D("0.023475")
    # worst: 4 x 4,000 at 5m = 16,000 x $3.125/M = 0.05 + 0.0001 + 800 x $12.50/M = 0.01
    assert r.worst == D("0.0601")
    assert r.entry_count == 3
    assert sorted((e.tokens, e.writes, e.reads) for e in r.entries) == [
        (3_000, 1, 1),
        (4_000, 1, 1),
        (4_000, 1, 1),
    ]


@pytest.mark.parametrize(
    "blocks, expected",
    [
        # 19 blocks back: the system entry is the 20th position counted from the breakpoint.
        # read 3,000 x $0.25/M = 0.00075; writes (3,000 + 19) x $3.125/M = 0.009434375
        (19, D("0.010184375")),
        # 21 blocks back: out of reach, so request 2 writes its whole 3,021 tokens again:
        # (3,000 + 3,021) x $3.125/M = 0.018815625
        (21, D("0.018815625")),
    ],
)
def test_lookback_reaches_19_blocks_back_but_not_21(tmp_path, pricing, blocks, expected):
    first = req(1, [text(SYSTEM, EPHEMERAL)], "hi", max_tokens=1)
    first["params"]["messages"] = [{"role": "user", "content": [text("hi")]}]
    content = [text(f"b{k}") for k in range(blocks)]
    content[-1]["cache_control"] = EPHEMERAL
    second = req(2, [text(SYSTEM)], content, max_tokens=1)
    # Request 1 has one more block (hi) after its breakpoint: 1 input token x $2.50/M.
    r = run(tmp_path, [first, second], pricing, output=0)
    assert r.totals["batch_cache"] == expected + D("0.0000025")


def test_entry_under_the_minimum_is_billed_as_input(tmp_path, pricing):
    reqs = [
        req(i, [text(words(1_000, "s"), EPHEMERAL)], words(50, f"u{chr(97 + i)}x"))
        for i in range(2)
    ]
    r = run(tmp_path, reqs, pricing, output=0, hit_rate=D("0.5"))
    # 1,000 < 2,048: not cached. 2 x 1,050 x $2.50/M = 0.00525, the same as without caching.
    assert r.totals["batch_cache"] == r.totals["batch"] == r.expected == D("0.00525")
    # worst: + max_tokens 2 x 200 x $12.50/M = 0.005
    assert r.worst == D("0.01025")
    assert kinds(r) == {"under_minimum": [1, 2]}
    assert not r.entries[0].cached and r.entries[0].cost == 0


def test_more_than_four_breakpoints_is_rejected_and_not_billed(tmp_path, pricing):
    ok = req(1, [text(SYSTEM, EPHEMERAL)], words(10, "q"), max_tokens=1)
    five = req(2, [text(f"{SYSTEM} part{k}", EPHEMERAL) for k in range(5)], "q", max_tokens=1)
    r = run(tmp_path, [ok, five], pricing, output=0)
    # Only request 1: 3,000 x $3.125/M = 0.009375 + 10 x $2.50/M = 0.000025
    assert r.totals["batch_cache"] == D("0.0094")
    assert r.rejected == 1
    assert kinds(r) == {"breakpoints": [2], "cache_never_read": [1]}


def test_cache_control_problems(tmp_path, pricing):
    reqs = [
        req(1, [text(SYSTEM, {"type": "ephemeral", "ttl": "2h"})], "q"),
        req(2, [text(SYSTEM, {"type": "persistent"})], "q"),
        req(3, [text(SYSTEM)], [text("q", EPHEMERAL)], cache_control=ONE_HOUR),
        req(4, [text(SYSTEM)], [text("q", EPHEMERAL)], cache_control=EPHEMERAL),
        req(5, [text(SYSTEM, EPHEMERAL), text("x", ONE_HOUR)], "q"),
    ]
    r = run(tmp_path, reqs, pricing)
    assert kinds(r) == {
        "cache_control_invalid": [1, 2],
        "auto_ttl_conflict": [3],
        "ttl_order": [5],
        "cache_never_read": [5],  # nobody shares its entries
    }
    assert r.rejected == 2


def test_high_end_over_the_context_window_is_a_warning_not_a_crash(cli, tmp_path):
    # Haiku 4.5, 200,000 tokens; prose on the claude-3 tokenizer is 1.00 / 1.10 / 1.20:
    # 170,000 cl100k x 1.10 = 187,000 (central) but x 1.20 = 204,000.
    line = req(1, "hello world " * 85_000, "hi", model="claude-haiku-4-5")
    (tmp_path / "b.jsonl").write_text(json.dumps(line) + "\n")
    code, out, err = cli("check", str(tmp_path / "b.jsonl"), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert {p["kind"]: p["lines"] for p in doc["problems"]} == {"context_window_maybe": [1]}
    assert doc["rejected_requests_not_priced"] == 0


def test_split_writes_each_entry_again_in_every_batch(tmp_path, pricing):
    limits = dataclasses.replace(pricing.batch_limits, max_requests=2)
    small = dataclasses.replace(pricing, batch_limits=limits)
    reqs = [
        req(i, [text(SYSTEM, EPHEMERAL)], words(10, f"q{chr(97 + i)}x"), max_tokens=1)
        for i in range(4)
    ]
    r = run(tmp_path, reqs, small, output=0)
    # Two batches of 2: each writes the 3,000-token entry once and reads it once.
    # writes 6,000 x $3.125/M = 0.01875; reads 6,000 x $0.25/M = 0.0015; input 40 x $2.50/M
    assert [s[0] for s in r.split] == [2, 2]
    assert r.totals["batch_cache"] == D("0.01875") + D("0.0015") + D("0.0001")


# --- invariants on generated files -------------------------------------------------------

# The first four reach Opus 4.7's 2,048 minimum, or straddle it, depending on the counter:
# 2,000 words is under it counted one per word and over it at the +10% band's high end.
POOL = [
    words(2_500, "a"),
    words(3_000, "b"),
    words(2_000, "m"),
    words(1_900, "n"),
    words(40, "c"),
    words(5, "d"),
    "e f g",
]
SYSTEMS = 4
cc_choice = st.sampled_from([None, None, EPHEMERAL, ONE_HOUR])


@st.composite
def requests(draw):
    n = draw(st.integers(1, 8))
    out = []
    for i in range(n):
        system = [text(draw(st.sampled_from(POOL[:SYSTEMS])), draw(cc_choice))]
        content = [
            text(draw(st.sampled_from(POOL)), draw(cc_choice))
            for _ in range(draw(st.integers(1, 4)))
        ]
        params = {}
        if draw(st.booleans()):
            params["cache_control"] = draw(st.sampled_from([EPHEMERAL, ONE_HOUR]))
        out.append(req(i, system, content, max_tokens=draw(st.integers(1, 500)), **params))
    return out


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    requests(),
    st.sampled_from([D(0), D("0.3"), D("0.9"), D(1)]),
    st.sampled_from(["exact", "estimated", "band"]),
    st.sampled_from([100_000, 3]),
)
def test_best_expected_worst_order_and_totals_add_up(
    tmp_path, pricing, reqs, hit, counting, max_requests
):
    path = tmp_path / "gen.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in copy.deepcopy(reqs)))
    limits = dataclasses.replace(pricing.batch_limits, max_requests=max_requests)
    pricing = dataclasses.replace(pricing, batch_limits=limits)
    if counting == "estimated":
        r = check(path, pricing, ON, counter=lambda t: len(t.split()), output=50, hit_rate=hit)
    elif counting == "band":
        # -10% / +10% around one token per word: entries straddle the minimum.
        def band(model, t):
            n = len(t.split())
            return (n - n // 10, n, n + n // 10)

        r = check(path, pricing, ON, claude_counter=band, output=50, hit_rate=hit)
    else:
        r = check(path, pricing, ON, claude_counter=per_word, output=50, hit_rate=hit)
    assert r.totals["batch_cache"] <= r.expected <= r.worst
    assert r.totals["batch"] <= r.totals["standard"]
    assert sum(m for _, m in r.cases["best"].values()) == r.totals["batch_cache"]
    assert sum(m for _, m in r.cases["worst"].values()) == r.worst
    # Every input token is billed once in the best case, in exactly one class: at real-time
    # rates ($5 input, $25 output; no tier at these sizes) they make up the standard total.
    best = {c: r.cases["best"].get(c, (0, 0))[0] for c in USAGE_CLASSES}
    total_input = sum(best[c] for c in ("input", "cache_write_5m", "cache_write_1h", "cache_read"))
    assert (total_input * D(5) + best["output"] * D(25)).scaleb(-6) == r.totals["standard"]


def test_exact_counts_each_entry_as_the_request_cut_at_its_breakpoint(cli, tmp_path, fake_api):
    pytest.importorskip("anthropic")
    system = words(2_100, "s")
    reqs = [
        req(i, [text(system, EPHEMERAL)], [text(words(50, f"u{chr(97 + i)}x"), EPHEMERAL)])
        for i in range(2)
    ]
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in reqs))
    code, out, err = cli("check", str(path), "--exact", "--output", "100", "--format", "json")
    assert code == 0, err
    # The fake counts words plus 3 for the framing. The system entry is counted with a probe
    # message whose own count is subtracted: 2,100. Each user entry is the request cut after
    # its user block: 2,100 + 50 + 3 = 2,153, which is also the whole request.
    # 1: writes 2,153 at 5m. 2: reads 2,100 (lookback), writes 53.
    # 5m: 2,206 x $3.125/M = 0.00689375; read 2,100 x $0.25/M = 0.000525;
    # output 200 x $12.50/M = 0.0025 -> 0.00991875
    doc = json.loads(out)
    assert D(doc["cost"]["best"]["batch_cache"]) == D("0.00991875")
    bodies = [body for _, _, body in fake_api.requests]
    cut = [b for b in bodies if isinstance(b["messages"][0]["content"], list)]
    assert cut and all(len(b["messages"][0]["content"]) == 1 for b in cut)
    assert all(b["system"][0]["text"] == system for b in cut)
    assert sorted(e["tokens"] for e in doc["cache_entries"]) == [2_100, 2_153, 2_153]


def test_split_replayed_from_memory_spooled_or_a_pipe_bills_the_same(
    tmp_path, pricing, monkeypatch
):
    # A split file is played again batch by batch from the record of its one read: held in
    # memory, spooled to a temporary file part by part (REPLAY_LIMIT 0: one part per request),
    # or read from a FIFO, which can be read only once. All three bill the same.
    import os
    import threading

    import costcalc.read.cachesim as cachesim

    limits = dataclasses.replace(pricing.batch_limits, max_requests=3)
    small = dataclasses.replace(pricing, batch_limits=limits)
    docs = ["g", "h", "g", "k", "h", "g", "k"]  # interleaved groups: batches are not contiguous
    reqs = [
        req(i, [text(SYSTEM, ONE_HOUR)], [text(words(1_000, d), EPHEMERAL), text(f"q {i}")])
        for i, d in enumerate(docs)
    ]
    replayed = run(tmp_path, reqs, small)
    monkeypatch.setattr(cachesim, "REPLAY_LIMIT", 0)
    spooled = run(tmp_path, reqs, small, name="again.jsonl")
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)

    def feed() -> None:
        with open(fifo, "w") as w:
            w.write("".join(json.dumps(r) + "\n" for r in reqs))

    writer = threading.Thread(target=feed)
    writer.start()
    piped = check(fifo, small, ON, claude_counter=per_word, output=100)
    writer.join()
    # 7 requests, at most 3 a batch: at least 3 batches, and the 1h system entry (the costliest
    # entry) is written once in each, never read (each later request reads its document's).
    assert len(replayed.split) >= 3
    assert replayed.entries[0].writes == len(replayed.split) and replayed.entries[0].reads == 0
    for other in (spooled, piped):
        assert other.split == replayed.split
        assert other.totals == replayed.totals
        assert (other.expected, other.worst) == (replayed.expected, replayed.worst)
        assert [(e.writes, e.reads) for e in other.entries] == [
            (e.writes, e.reads) for e in replayed.entries
        ]


# tool_choice and thinking invalidate only the message cache (prompt-caching page, "what
# invalidates the cache"): entries ending in the tools or the system are still read.
TOOL = {"name": "grade", "description": words(2_500, "d"), "input_schema": {"type": "object"}}
# The tool definition's tokens under the one-token-per-word counter: the words of its JSON.
TOOL_WORDS = len(json.dumps(TOOL, sort_keys=True).split())
# Opus 4.7's tool-use system prompt from 2026-05-28: 675 tokens for tool_choice auto/none,
# 804 for any/tool. It follows the system, first in the messages.
AUTO, ANY = 675, 804


def tool_req(i, choice, user_cc=EPHEMERAL, **params):
    return req(
        i,
        [text(words(100, "s"), EPHEMERAL)],
        [text(words(3_000, "m"), user_cc), text(f"question{chr(97 + i)}")],
        tools=[TOOL],
        tool_choice={"type": choice},
        **params,
    )


def test_tool_choice_change_still_reads_the_tools_and_system_entry(tmp_path, pricing):
    reqs = [tool_req(0, "auto"), tool_req(1, "auto"), tool_req(2, "any"), tool_req(3, "any")]
    r = run(tmp_path, reqs, pricing)
    system_entry = TOOL_WORDS + 100  # tools + system, the first breakpoint
    assert system_entry > 2_048  # cacheable on its own
    # r0 writes both entries; r1 reads the auto message entry; r2 (any) reads the tools+system
    # entry and writes its own message entry (prompt 804 + 3,000); r3 reads that. Each has 1
    # uncached token after the last breakpoint and 100 output tokens.
    writes = (system_entry + AUTO + 3_000) + (ANY + 3_000)
    reads = (system_entry + AUTO + 3_000) + system_entry + (system_entry + ANY + 3_000)
    bill = (4 * D("2.50") + writes * D("3.125") + reads * D("0.25") + 400 * D("12.50")) / 10**6
    assert r.totals["batch_cache"] == bill
    assert r.cases["best"]["cache_read"][0] == reads
    assert kinds(r) == {}  # nothing is "never read", nothing "varies"


def test_tool_choice_change_named_not_prefix_varies(tmp_path, pricing):
    r = run(tmp_path, [tool_req(0, "auto"), tool_req(1, "any")], pricing)
    # r1 reads the tools+system entry, so neither entry is "never read"; their message entries
    # differ only by tool_choice.
    assert kinds(r) == {"tool_choice_varies": [1, 2]}
    system_entry = TOOL_WORDS + 100
    writes = (system_entry + AUTO + 3_000) + (ANY + 3_000)
    bill = 2 * D("2.50") + writes * D("3.125") + system_entry * D("0.25") + 200 * D("12.50")
    assert r.totals["batch_cache"] == bill / 10**6


def test_thinking_change_named_not_prefix_varies(tmp_path, pricing):
    reqs = [
        tool_req(0, "auto", max_tokens=4_000, thinking={"type": "enabled", "budget_tokens": b})
        for b in (1_024, 2_048)
    ]
    r = run(tmp_path, reqs, pricing)
    assert kinds(r)["thinking_varies"] == [1, 2]
    assert "prefix_varies" not in kinds(r) and "cache_never_read" not in kinds(r)


@pytest.mark.parametrize("limit", [0, 12, None])
def test_requests_sharing_a_prefix_keep_one_record_and_bill_by_hand(
    tmp_path, pricing, monkeypatch, limit
):
    # Five requests with the same two breakpoints (a 1h system entry, then a 5m document
    # entry) and their own question, at most 2 a batch: batches [0, 1], [2, 3], [4]. In each
    # batch the first request writes both entries and the second reads the document's
    # (which holds the system's): system written 3 times, never read; document written 3
    # times, read twice. Requests 2-4 have the record of request 1 (the same entries in
    # their lookbacks): it is kept once, whether the record stays in memory or is spooled
    # (REPLAY_LIMIT 0: after every request; 12 ints: after every second request).
    import costcalc.read.cachesim as cachesim

    if limit is not None:
        monkeypatch.setattr(cachesim, "REPLAY_LIMIT", limit)
    limits = dataclasses.replace(pricing.batch_limits, max_requests=2)
    small = dataclasses.replace(pricing, batch_limits=limits)
    doc = words(1_000, "d")
    reqs = [
        req(i, [text(SYSTEM, ONE_HOUR)], [text(doc, EPHEMERAL), text(f"question {i}")])
        for i in range(5)
    ]
    report = run(tmp_path, reqs, small)
    assert len(report.split) == 3
    system, document = report.batch.entries
    assert (system.writes, system.reads) == (3, 0)
    assert (document.writes, document.reads) == (3, 2)
    if limit is None:
        # Request 0: 1 + (4 + 0) + (4 + 0) ints; request 1: 1 + (4 + 2) + (4 + 4) (its
        # lookbacks find the system entry, then the document's and the system's).
        assert len(report.batch.replay) == 9 + 15
    # Tokens by hand: 3,000 system + 1,000 document + 2 question words each. Best case, batch
    # prices: 3 x 3,000 1h writes, 3 x 1,000 5m writes, 2 x 4,000 reads, 5 x 2 input.
    best = report.cases["best"]
    assert best["cache_write_1h"][0] == 9_000
    assert best["cache_write_5m"][0] == 3_000
    assert best["cache_read"][0] == 8_000
    assert best["input"][0] == 10
