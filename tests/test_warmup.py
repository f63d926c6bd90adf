"""Cache warm-up (warmup.py), the warm-up case in check, and --hit-rate-from.

Prices (Opus 4.7, https://platform.claude.com/docs/en/build-with-claude/prompt-caching): $5 input,
$10 1h write, $0.50 read, $25 output per MTok; batch halves them
(https://platform.claude.com/docs/en/build-with-claude/batch-processing): input $2.50, 1h write $5,
5m write $3.125, read $0.25, output $12.50. Token counts use a counter of one token per word, so
blocks have hand-known sizes; estimates are scaled by the Opus 4.7 tokenizer's central ratio, so
tests compare with that ratio applied.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.compute.check import check
from costcalc.compute.warmup import primer_params
from costcalc.prices.load import load_pricing
from costcalc.read.blocks import blocks as _blocks
from costcalc.read.requests import CUSTOM_ID

ON = date(2026, 11, 25)
PRICING = load_pricing(None)
ROOT = Path(__file__).resolve().parents[1]


def words(n: int, tag: str = "w") -> str:
    return " ".join(f"{tag}" for _ in range(n))


def exact_counter(model: str, text: str) -> int:
    return len(text.split())


def write(path: Path, requests: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in requests))
    return path


def req(i: int, system: str, user: str, ttl: str | None = None, max_tokens: int = 100) -> dict:
    cc = {"type": "ephemeral"} | ({"ttl": ttl} if ttl else {})
    return {
        "custom_id": f"r{i}",
        "params": {
            "model": "claude-opus-4-7",
            "max_tokens": max_tokens,
            "system": [{"type": "text", "text": system, "cache_control": cc}],
            "messages": [{"role": "user", "content": user}],
        },
    }


def run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "costcalc", *argv], capture_output=True, text=True, cwd=ROOT
    )


def test_warm_up_cost_and_case_in_check(tmp_path):
    # 3 requests share a 10,000-token system entry (5m); each adds 10 tokens, max_tokens 100.
    path = write(
        tmp_path / "b.jsonl", [req(i, words(10_000), words(10, f"u{i}")) for i in range(3)]
    )
    r = check(path, PRICING, ON, claude_counter=exact_counter)
    w = r.warm
    assert w is not None and len(w.primers) == 1 and w.primed == 1
    # Primer: 10,000 x $5 (1h batch write) + 10 appended x $2.50 + 1 output x $12.50, per MTok
    #   = 0.05 + 0.000025 + 0.0000125 = 0.0500375
    assert w.primer_cost == Decimal("0.0500375")
    # Warm batch: 3 x 10,000 reads x $0.25 = 0.0075; 30 input x $2.50 = 0.000075;
    #   300 output x $12.50 = 0.00375; total 0.011325
    assert w.batch_cost == Decimal("0.011325")
    assert w.total == Decimal("0.0613625")
    # Best case without warm-up: 10,000 5m writes x $3.125 = 0.03125, 20,000 reads x $0.25 =
    # 0.005, input 0.000075, output 0.00375: 0.040075; expected (90% hits) adds 10% of the two
    # readers' read->write difference: 0.1 x 20,000 x (3.125 - 0.25) / 1e6 = 0.00575.
    assert r.totals["batch_cache"] == Decimal("0.040075")
    assert r.expected == Decimal("0.045825")
    assert r.cheapest == "without_warm_up"
    assert w.five_minute


def test_warm_up_pays_with_many_readers(tmp_path):
    # 100 requests: the warm-up costs one 1h write (0.0500375 as above) and makes every request
    # read: 100 x 10,000 x 0.25 = 0.25, input 1,000 x 2.5 = 0.0025, output 10,000 x 12.5 =
    # 0.125 -> batch 0.3775, total 0.4275375. Expected without: best = one 1h write 0.05 +
    # 99 x 10,000 x 0.25 (0.2475) + 0.0025 + 0.125 = 0.425; + 0.1 x 990,000 x (5 - 0.25) / 1e6
    # (0.47025) = 0.89525.
    reqs = [req(i, words(10_000), words(10, f"u{i}"), ttl="1h") for i in range(100)]
    r = check(write(tmp_path / "b.jsonl", reqs), PRICING, ON, claude_counter=exact_counter)
    assert r.warm.total == Decimal("0.4275375")
    assert r.totals["batch_cache"] == Decimal("0.425")
    assert r.expected == Decimal("0.89525")
    assert r.cheapest == "warm_up"
    assert not r.warm.five_minute


def test_unread_and_small_entries_get_no_primer(tmp_path):
    # Each request's system is unique (never read), one is under the 4,096-token minimum.
    reqs = [req(0, words(10_000, "a"), "x"), req(1, words(9_000, "b"), "y"), req(2, "tiny", "z")]
    r = check(write(tmp_path / "b.jsonl", reqs), PRICING, ON, claude_counter=exact_counter)
    assert r.warm.primers == ()
    assert r.warm.skipped_unread == 2 and r.warm.skipped_small == 1


def test_nested_entries_share_one_primer(tmp_path):
    # Shared system (breakpoint) + shared rubric message (breakpoint) + unique question: the
    # rubric primer keeps the system breakpoint, so one primer warms both entries.
    def two_level(i: int) -> dict:
        r = req(i, words(5_000, "s"), "")
        r["params"]["messages"] = [
            {
                "role": "user",
                "content": [
                    {
                        "type": "text",
                        "text": words(5_000, "r"),
                        "cache_control": {"type": "ephemeral"},
                    },
                    {"type": "text", "text": f"question {i}"},
                ],
            }
        ]
        return r

    reqs = [two_level(i) for i in range(3)]
    path = write(tmp_path / "b.jsonl", reqs)
    r = check(path, PRICING, ON, claude_counter=exact_counter)
    # The system entry is read by nobody (everyone reads the longer one): one primer, the rubric.
    assert len(r.warm.primers) == 1
    p = r.warm.primers[0]
    assert p.custom_id == "warm-1-2" and p.blocks == 2
    out = tmp_path / "primer.jsonl"
    res = run("warmup", str(path), "--out", str(out), "--format", "json")
    assert res.returncode == 0, res.stderr
    (line,) = out.read_text().splitlines()
    primer = json.loads(line)["params"]
    assert primer["max_tokens"] == 1
    assert primer["messages"][0]["content"][0]["cache_control"] == {
        "type": "ephemeral",
        "ttl": "1h",
    }
    assert "cache_control" not in primer["system"][0]  # unread: not needed, dropped
    assert primer["messages"][0]["content"][1:] == []  # the question is after the breakpoint


def _strip(v):
    if isinstance(v, dict):
        return {k: _strip(x) for k, x in v.items() if k != "cache_control"}
    if isinstance(v, list):
        return [_strip(x) for x in v]
    return v


block = st.fixed_dictionaries(
    {"type": st.just("text"), "text": st.text("abc ", min_size=1, max_size=8)}
)


@settings(max_examples=60, deadline=None)
@given(
    system=st.lists(block, min_size=0, max_size=3),
    turns=st.lists(st.lists(block, min_size=1, max_size=3), min_size=1, max_size=4),
    cut=st.integers(min_value=1, max_value=20),
    tools=st.booleans(),
)
def test_primer_content_is_the_prefix(system, turns, cut, tools):
    params: dict = {"model": "claude-opus-4-7", "max_tokens": 50}
    if tools:
        params["tools"] = [{"name": "t", "input_schema": {"type": "object"}}]
        params["tool_choice"] = {"type": "auto"}
    if system:
        params["system"] = system
    params["messages"] = [
        {"role": "user" if i % 2 == 0 else "assistant", "content": c} for i, c in enumerate(turns)
    ]
    original = json.loads(json.dumps(params))
    # A breakpoint can end on any block but the tool-use system prompt (not in the request).
    ends = [i + 1 for i, b in enumerate(_blocks(params)) if not b[1].startswith("\x00tool_prompt")]
    n = ends[min(cut, len(ends)) - 1]
    primer = primer_params(params, n)
    assert params == original  # the request is not changed
    # The first n blocks, compared as JSON values without cache_control, are the same.
    want = [_strip(json.loads(b[1])) if b[1].startswith("{") else b[1] for b in _blocks(params)]
    got = [_strip(json.loads(b[1])) if b[1].startswith("{") else b[1] for b in _blocks(primer)]
    assert got[:n] == want[:n]
    for key in ("model", "tools", "tool_choice", "thinking"):
        if key in params:
            assert _strip(primer.get(key)) == _strip(params[key])
    # Exactly one breakpoint, 1h, on block n; the conversation ends with a user turn.
    marks = [i for i, b in enumerate(_blocks(primer)) if b[3] is not None]
    assert marks == [n - 1]
    assert list(_blocks(primer))[n - 1][3] == {"type": "ephemeral", "ttl": "1h"}
    assert primer["messages"][-1]["role"] == "user"
    assert primer["max_tokens"] == 1


def test_hit_rate_from_results(tmp_path):
    # 4 succeeded lines: one writes 3,000 (5m), three read 3,000 each; one errored line.
    # Hit rate = 9,000 / (9,000 + 3,000) = 0.75.
    def line(i, w, rd):
        usage = {
            "input_tokens": 10,
            "output_tokens": 5,
            "cache_creation_input_tokens": w,
            "cache_read_input_tokens": rd,
            "cache_creation": {"ephemeral_5m_input_tokens": w, "ephemeral_1h_input_tokens": 0},
        }
        msg = {"model": "claude-opus-4-7", "usage": usage}
        return {"custom_id": f"r{i}", "result": {"type": "succeeded", "message": msg}}

    lines = [line(0, 3000, 0)] + [line(i, 0, 3000) for i in (1, 2, 3)]
    lines.append({"custom_id": "r9", "result": {"type": "errored", "error": {}}})
    res_file = write(tmp_path / "results.jsonl", lines)
    batch = write(tmp_path / "b.jsonl", [req(i, words(5000), "q") for i in range(3)])
    out = run("check", str(batch), "--hit-rate-from", str(res_file), "--format", "json")
    assert out.returncode == 0, out.stderr
    assert "0.7500" in out.stderr and "4 succeeded requests" in out.stderr
    assert json.loads(out.stdout)["cost"]["expected"]["hit_rate"] == "0.75"
    both = run("check", str(batch), "--hit-rate-from", str(res_file), "--hit-rate", "0.5")
    assert both.returncode == 2
    est = run(
        "estimate",
        "--model",
        "opus-4.7",
        "--requests",
        "10",
        "--shared",
        "5000",
        "--hit-rate-from",
        str(res_file),
    )
    assert est.returncode == 0, est.stderr
    cold = write(tmp_path / "cold.jsonl", [line(0, 0, 0)])
    none = run("check", str(batch), "--hit-rate-from", str(cold))
    assert none.returncode == 2 and "no hit rate can be measured" in none.stderr


def test_hostile_inputs(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    assert run("warmup", str(empty), "--out", str(tmp_path / "p.jsonl")).returncode == 2
    nocache = {
        "custom_id": "a",
        "params": {
            "model": "claude-opus-4-7",
            "max_tokens": 5,
            "messages": [{"role": "user", "content": "hi"}],
        },
    }
    plain = write(tmp_path / "plain.jsonl", [nocache])
    res = run("warmup", str(plain))
    assert res.returncode == 0 and "Nothing to warm" in res.stdout
    res = run("warmup", str(plain), "--out", str(tmp_path / "p.jsonl"))
    assert res.returncode == 2 and "nothing to warm" in res.stderr
    assert not (tmp_path / "p.jsonl").exists()
    batch = write(tmp_path / "b.jsonl", [req(i, words(5000), "q") for i in range(2)])
    before = batch.read_bytes()
    assert run("warmup", str(batch), "--out", str(batch)).returncode == 2
    assert run("warmup", str(batch), "--ttl-1h", str(batch)).returncode == 2
    assert batch.read_bytes() == before
    copy = tmp_path / "b1h.jsonl"
    assert run("warmup", str(batch), "--ttl-1h", str(copy)).returncode == 0
    assert batch.read_bytes() == before
    for raw in copy.read_text().splitlines():
        cc = json.loads(raw)["params"]["system"][0]["cache_control"]
        assert cc == {"type": "ephemeral", "ttl": "1h"}


def _result(custom_id: str, w5: int, w1: int, read: int, geo: str | None = None) -> dict:
    usage: dict = {
        "input_tokens": 10,
        "output_tokens": 5,
        "cache_creation_input_tokens": w5 + w1,
        "cache_read_input_tokens": read,
        "cache_creation": {"ephemeral_5m_input_tokens": w5, "ephemeral_1h_input_tokens": w1},
        "service_tier": "batch",
    }
    if geo is not None:
        usage["inference_geo"] = geo
    msg = {"model": "claude-opus-4-7", "usage": usage}
    return {"custom_id": custom_id, "result": {"type": "succeeded", "message": msg}}


def test_cold_start_misses_in_actual(tmp_path):
    from costcalc.compute.coldstart import cold_start_misses
    from costcalc.read.requestitems import request_ids

    # Four requests share a 10,000-token system entry. In the run: r0 writes it (first: not a
    # miss), r1 writes it again at 5m and r3 at 1h (two misses), r2 reads it.
    path = write(tmp_path / "b.jsonl", [req(i, words(10_000), f"q{i}") for i in range(4)])
    results = write(
        tmp_path / "results.jsonl",
        [
            _result("r2", 0, 0, 10_000),
            _result("r0", 10_000, 0, 0),
            _result("r3", 0, 10_000, 0),
            _result("r1", 10_000, 0, 0),
        ],
    )
    planned = check(path, PRICING, ON, claude_counter=exact_counter)
    ids = request_ids(path, planned.batch.requests.line)
    assert ids == {"r0": 0, "r1": 1, "r2": 2, "r3": 3}
    c = cold_start_misses(results, planned, ids, PRICING, ON)
    assert (c.matched, c.misses, c.tokens) == (4, 2, 20_000)
    # r1: 10,000 x (3.125 - 0.25) = 0.02875; r3: 10,000 x (5 - 0.25) = 0.0475 (batch, per MTok)
    assert c.extra_cost == Decimal("0.07625")
    # Warm-up: one primer, 10,000 x $5 + 10 x $2.50 + 1 x $12.50 per MTok = 0.0500375
    assert c.primer_cost == Decimal("0.0500375")
    # After a primer the first writer r0 reads too: every write of the primed entry counts.
    # r0: 10,000 x (3.125 - 0.25) = 0.02875; r1: 0.02875; r3: 0.0475 (as above): 0.105
    assert (c.primed_tokens, c.primed_extra_cost) == (30_000, Decimal("0.105"))
    # Saved: 0.105 - 0.0500375 = 0.0549625
    assert c.saved == Decimal("0.0549625")
    assert (c.unmatched, c.notices, c.verdict) == (0, (), "would_pay")
    out = run("actual", str(results), "--batch", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    cold = json.loads(out.stdout)["cold_start"]
    # (the command counts tokens with its own estimator, so its primer cost differs from the
    # exact count above: only what does not depend on the count is asserted here)
    assert (cold["misses"], cold["primed_tokens_written"]) == (2, 30_000)
    assert (cold["unmatched_requests"], cold["verdict"]) == (0, "would_pay")
    alone = run("actual", str(results))
    assert alone.returncode == 0 and "--batch FILE" in alone.stdout


def test_cold_start_primed_entry_longer_than_a_read(tmp_path):
    from costcalc.compute.coldstart import cold_start_misses
    from costcalc.read.requestitems import request_ids

    # Two requests share a 10,000-token system entry; r1 read 4,000 of it from elsewhere (a
    # shorter entry outside this file's model) and wrote 6,000: with the primer it reads all
    # 10,000, so its 6,000 written tokens turn into reads. r0 (the first writer) wrote 10,000.
    path = write(tmp_path / "b.jsonl", [req(i, words(10_000), f"q{i}") for i in range(2)])
    results = write(
        tmp_path / "results.jsonl",
        [_result("r0", 10_000, 0, 0), _result("r1", 6_000, 0, 4_000)],
    )
    planned = check(path, PRICING, ON, claude_counter=exact_counter)
    c = cold_start_misses(
        results, planned, request_ids(path, planned.batch.requests.line), PRICING, ON
    )
    # 16,000 x (3.125 - 0.25) / 1e6 = 0.046; less the primer 0.0500375: -0.0040375
    assert (c.primed_tokens, c.primed_extra_cost) == (16_000, Decimal("0.046"))
    assert c.saved == Decimal("-0.0040375") and c.verdict == "would_not_pay"


def test_cold_start_saving_at_us_rates(tmp_path):
    from costcalc.compute.coldstart import cold_start_misses
    from costcalc.read.requestitems import request_ids

    # r0 ran with inference_geo us: Opus 4.7's US multiplier is 1.1x on every class
    # (https://platform.claude.com/docs/en/build-with-claude/data-residency), so its 10,000 5m
    # writes save 10,000 x (3.125 - 0.25) x 1.1 / 1e6 = 0.031625; r1 read.
    path = write(tmp_path / "b.jsonl", [req(i, words(10_000), f"q{i}") for i in range(2)])
    results = write(
        tmp_path / "results.jsonl",
        [_result("r0", 10_000, 0, 0, geo="us"), _result("r1", 0, 0, 10_000)],
    )
    planned = check(path, PRICING, ON, claude_counter=exact_counter)
    ids = request_ids(path, planned.batch.requests.line)
    c = cold_start_misses(results, planned, ids, PRICING, ON)
    assert (c.primed_tokens, c.primed_extra_cost) == (10_000, Decimal("0.031625"))


def test_cold_start_results_not_in_batch(tmp_path):
    path = write(tmp_path / "b.jsonl", [req(i, words(10_000), f"q{i}") for i in range(2)])
    # None of the results' custom_ids is in the request file: a warning, and no verdict.
    none = write(
        tmp_path / "none.jsonl", [_result("x0", 10_000, 0, 0), _result("x1", 10_000, 0, 0)]
    )
    out = run("actual", str(none), "--batch", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    cold = json.loads(out.stdout)["cold_start"]
    assert (cold["matched_requests"], cold["unmatched_requests"], cold["verdict"]) == (0, 2, None)
    assert [n["code"] for n in cold["notices"]] == ["results_not_in_batch"]
    assert cold["notices"][0]["figures"] == {"matched": 0, "unmatched": 2}
    table = run("actual", str(none), "--batch", str(path))
    assert "would have" not in table.stdout and "would not have" not in table.stdout
    assert "2 of 2 succeeded results have a custom_id that is not in" in table.stdout
    # One of two matches: the verdict stands, and the unmatched count is stated.
    part = write(
        tmp_path / "part.jsonl", [_result("r0", 10_000, 0, 0), _result("x1", 10_000, 0, 0)]
    )
    table = run("actual", str(part), "--batch", str(path))
    assert "1 of 2 succeeded results" in table.stdout and "only the 1 that match" in table.stdout
    assert "A warm-up" in table.stdout


def _prefix(params: dict, n: int) -> tuple:
    """What an entry of n blocks is made of, as JSON values without cache_control."""
    settings = tuple(json.dumps(params.get(k), sort_keys=True) for k in ("model", "thinking"))
    tools = json.dumps(_strip(params.get("tools")), sort_keys=True)
    blocks = []
    for _, identity, _, _ in list(_blocks(params))[:n]:
        blocks.append(_strip(json.loads(identity)) if identity.startswith("{") else identity)
    # A string content and one text block are the same prompt (the primer may turn one into
    # the other to put a breakpoint on it); compare texts.
    texts = [
        b.get("text", b) if isinstance(b, dict) and b.get("type") == "text" else b for b in blocks
    ]
    return settings, tools if n else "", json.dumps(texts, sort_keys=True)


@settings(max_examples=40, deadline=None)
@given(
    shape=st.lists(
        st.tuples(
            st.sampled_from(["S1", "S2"]),  # shared system text
            st.sampled_from(["R1", "R2", "R3"]),  # shared first user block
            st.integers(0, 3),  # unique tail
            st.sampled_from(["sys", "rubric", "both", "auto"]),  # where the breakpoints are
            st.booleans(),  # rubric as a plain string content
        ),
        min_size=1,
        max_size=8,
    )
)
def test_primer_file_equals_the_prefix_of_the_requests_it_warms(tmp_path_factory, shape):
    from costcalc.compute.warmup import primer_requests
    from costcalc.present.primer_files import write_primer_files
    from costcalc.read.requestitems import request_items

    tmp = tmp_path_factory.mktemp("files")
    reqs = []
    for i, (sysname, rubric, tail, marks, plain) in enumerate(shape):
        cc = {"type": "ephemeral"}
        system = [{"type": "text", "text": sysname}]
        if marks in ("sys", "both"):
            system[0]["cache_control"] = cc
        first: dict = {"type": "text", "text": rubric}
        if marks in ("rubric", "both"):
            first["cache_control"] = cc
        messages: list[dict] = [{"role": "user", "content": [first]}]
        if plain and marks in ("sys", "auto"):
            messages = [{"role": "user", "content": rubric}]
        if tail:
            messages += [
                {"role": "assistant", "content": f"a{i}"},
                {"role": "user", "content": [{"type": "text", "text": f"u{i}"}] * tail},
            ]
        params = {"model": "claude-opus-4-7", "max_tokens": 10, "system": system}
        params["messages"] = messages
        if marks == "auto":
            params["cache_control"] = cc
        reqs.append({"custom_id": f"r{i}", "params": params})
    path = write(tmp / "b.jsonl", reqs)
    # 5,000 tokens a block: every entry is over the 4,096-token minimum.
    r = check(path, PRICING, ON, claude_counter=lambda m, t: 5000)
    out = tmp / "primer.jsonl"
    if not r.warm.primers:
        return
    chosen = primer_requests(request_items(path), list(r.warm.primers), r.batch.entries, "b")
    write_primer_files(out, chosen, None, ())
    written = [json.loads(x) for x in out.read_text().splitlines()]
    ids = [p["custom_id"] for p in written]
    assert len(set(ids)) == len(ids) and all(CUSTOM_ID.match(i) for i in ids)
    entries, req = r.batch.entries, r.batch.requests
    for primer, line in zip(r.warm.primers, written, strict=True):
        params = line["params"]
        assert params["max_tokens"] == 1
        assert params["messages"][-1]["role"] == "user"
        for e in (primer.entry, *primer.covers):
            n = len(entries[e].keys)
            marked = list(_blocks(params))[n - 1][3]
            assert marked == {"type": "ephemeral", "ttl": "1h"}
            readers = [k for k in range(len(req)) if req.a[k] == e] + [entries[e].line - 1]
            for k in readers:
                assert _prefix(params, n) == _prefix(reqs[k]["params"], n)


def test_primer_keeps_thinking_and_answers_tool_use():
    params = {
        "model": "claude-opus-4-7",
        "max_tokens": 5000,
        "thinking": {"type": "enabled", "budget_tokens": 2048},
        "system": [{"type": "text", "text": "s", "cache_control": {"type": "ephemeral"}}],
        "messages": [
            {"role": "user", "content": "hi"},
            {
                "role": "assistant",
                "content": [
                    {"type": "tool_use", "id": "tu1", "name": "t", "input": {}},
                    {"type": "text", "text": "x", "cache_control": {"type": "ephemeral"}},
                ],
            },
            {"role": "user", "content": "later"},
        ],
    }
    primer = primer_params(params, 4)  # system, "hi", tool_use, text: the assistant turn last
    assert primer["thinking"] == params["thinking"]
    assert primer["max_tokens"] == 2049  # must exceed budget_tokens
    assert primer["messages"][-1] == {
        "role": "user",
        "content": [
            {"type": "tool_result", "tool_use_id": "tu1", "content": "."},
            {"type": "text", "text": "."},
        ],
    }
    assert "cache_control" not in primer["system"][0]  # not asked to be kept
    assert primer_params(params, 4, also=(1,))["system"][0]["cache_control"]["ttl"] == "1h"


def test_check_json_has_the_warm_up_case(tmp_path):
    path = write(tmp_path / "b.jsonl", [req(i, words(5000), f"q{i}") for i in range(3)])
    out = run("check", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    w = doc["warm_up"]
    assert [p["custom_id"] for p in w["primers"]] == ["warm-1-1"]
    assert w["cheapest"] in ("warm_up", "without_warm_up") and w["five_minute_breakpoints"]
    assert Decimal(w["total_usd"]) == Decimal(w["primer_cost_usd"]) + Decimal(w["batch_cost_usd"])
    assert "cost" in doc  # the existing fields stay


def test_warm_read_respects_the_lookback(tmp_path):
    # A shared 5,000-token system entry, then 25 unique 1-token blocks and the last breakpoint:
    # the system entry is 25 blocks back (beyond the 20-block lookback) but it is one of the
    # request's own breakpoints, so it is read; without its breakpoint it is not (and is then
    # no entry at all). Hand-worked warm batch for 2 requests (Opus 4.7 batch rates):
    #   reads 2 x 5,000 x $0.25 = 0.0025; 5m writes 2 x 25 x $3.125 = 0.00015625;
    #   output 2 x 10 x $12.50 = 0.00025 -> 0.00290625
    def r(i):
        blocks = [{"type": "text", "text": f"b{i}x{k}"} for k in range(25)]
        blocks[-1]["cache_control"] = {"type": "ephemeral"}
        return {
            "custom_id": f"r{i}",
            "params": {
                "model": "claude-opus-4-7",
                "max_tokens": 10,
                "system": [
                    {"type": "text", "text": words(5000), "cache_control": {"type": "ephemeral"}}
                ],
                "messages": [{"role": "user", "content": blocks}],
            },
        }

    path = write(tmp_path / "b.jsonl", [r(0), r(1)])
    rep = check(path, PRICING, ON, claude_counter=exact_counter)
    assert rep.warm.batch_cost == Decimal("0.00290625")


def test_warm_read_out_of_reach(tmp_path):
    # r0, r1: a 5,000-token system breakpoint (read by r1: primed) and a 1-token question.
    # r2: the same system without a breakpoint, then 25 one-token blocks and its only
    # breakpoint: the primed entry is 25 blocks back, out of the 20-block lookback, so r2
    # writes everything in the warm case too. Warm batch (Opus 4.7 batch, per MTok):
    #   r0, r1: read 5,000 x 0.25 = 0.00125; input 1 x 2.50 = 0.0000025; output 100 x 12.50 =
    #   0.00125 -> 0.0025025 each; r2: 5m write 5,025 x 3.125 = 0.015703125, output 10 x 12.50
    #   = 0.000125 -> 0.015828125. Total 0.020833125.
    r2 = req(2, words(5000), "")
    del r2["params"]["system"][0]["cache_control"]
    r2["params"]["max_tokens"] = 10
    blocks = [{"type": "text", "text": f"z{k}"} for k in range(25)]
    blocks[-1]["cache_control"] = {"type": "ephemeral"}
    r2["params"]["messages"] = [{"role": "user", "content": blocks}]
    path = write(tmp_path / "b.jsonl", [req(0, words(5000), "q0"), req(1, words(5000), "q1"), r2])
    rep = check(path, PRICING, ON, claude_counter=exact_counter)
    assert rep.warm.batch_cost == Decimal("0.020833125")


def test_primer_with_thinking_is_priced_at_its_max_tokens(tmp_path):
    # The primer keeps the thinking settings (they key the message cache), so its max_tokens is
    # budget + 1 = 2,001 and it may think that long: priced as the upper bound it can be billed.
    thinking = {"type": "enabled", "budget_tokens": 2000}
    requests = []
    for i in range(3):
        r = req(i, words(10_000), words(10, f"u{i}"), max_tokens=5000)
        r["params"]["thinking"] = thinking
        requests.append(r)
    r = check(write(tmp_path / "t.jsonl", requests), PRICING, ON, claude_counter=exact_counter)
    assert r.warm is not None and len(r.warm.primers) == 1
    # 10,000 x $5 (1h batch write) + 10 appended x $2.50 + 2,001 output x $12.50, per MTok
    #   = 0.05 + 0.000025 + 0.0250125 = 0.0750375
    assert r.warm.primer_cost == Decimal("0.0750375")


def test_us_primer_is_a_us_request_at_us_rates(tmp_path):
    # As test_warm_up_cost_and_case_in_check, every request with inference_geo "us" (1.1x on
    # every class, https://platform.claude.com/docs/en/build-with-claude/data-residency): primer
    # 10,000 x $5.50 (1h write) + 10 x $2.75 + 1 x $13.75, per MTok = 0.055 + 0.0000275 + 0.00001375
    # = 0.05504125.
    reqs = [req(i, words(10_000), words(10, f"u{i}")) for i in range(3)]
    for r_ in reqs:
        r_["params"]["inference_geo"] = "us"
    path = write(tmp_path / "b.jsonl", reqs)
    r = check(path, PRICING, ON, claude_counter=exact_counter)
    assert r.warm is not None and r.warm.primer_cost == Decimal("0.05504125")
    # Warm batch 0.011325 x 1.1 = 0.0124575 (reads, input and output all scaled).
    assert r.warm.batch_cost == Decimal("0.0124575")
    primer = primer_params(reqs[0]["params"], 1)
    assert primer["inference_geo"] == "us"


def _unknown(r: dict) -> dict:
    return {**r, "params": {**r["params"], "model": "claude-zzz"}}


def test_unpriced_requests_are_reported_not_priced_at_zero(tmp_path):
    # 6 requests share the 10,000-token system entry of the first test: 3 on Opus 4.7, 3 on a
    # model costcalc has no prices for. The warm-up is the first test's bill for the 3 Opus
    # requests, to the digit: primer 0.0500375 + warm batch 0.011325 = 0.0613625; without
    # warm-up, expected 0.045825. The other 3 are in no total and are counted as unpriced.
    opus = [req(i, words(10_000), words(10, f"u{i}")) for i in range(3)]
    zzz = [_unknown(req(i, words(10_000), words(10, f"u{i}"))) for i in range(3, 6)]
    path = write(tmp_path / "mix.jsonl", opus + zzz)
    r = check(path, PRICING, ON, claude_counter=exact_counter)
    assert r.warm is not None
    assert r.warm.primer_cost == Decimal("0.0500375")
    assert r.warm.batch_cost == Decimal("0.011325")
    assert r.warm.total == Decimal("0.0613625")
    assert r.expected == Decimal("0.045825")
    assert r.unpriced.count == 3 and r.unpriced.reasons == {"unknown_model": 3}
    assert r.priced_requests == 3
    notes = r.warm_notices
    assert [n.code for n in notes] == ["unpriced_unknown_model", "warm_up_priced_part"]
    assert dict(notes[1].figures) == {"priced": 3, "unpriced": 3}
    # The primer is cut from an Opus request only (no primer for a model without prices).
    assert [p.model for p in r.warm.primers] == ["claude-opus-4-7"]


def test_warmup_command_and_api_report_unpriced_requests(tmp_path):
    import costcalc

    opus = [req(i, words(5000), f"q{i}") for i in range(3)]
    zzz = [_unknown(req(i, words(5000), f"q{i}")) for i in range(3, 6)]
    path = write(tmp_path / "mix.jsonl", opus + zzz)
    alone = write(tmp_path / "opus.jsonl", opus)
    out = run("warmup", str(path), "--format", "json")
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["unpriced"] == {"count": 3, "reasons": {"unknown_model": 3}}
    codes = [n["code"] for n in doc["notices"]]
    assert codes == ["unpriced_unknown_model", "warm_up_priced_part"]
    assert doc["notices"][1]["figures"] == {"priced": 3, "unpriced": 3}
    # The priced part is priced as if the unknown requests were not there: they add nothing,
    # they are counted apart.
    ref = json.loads(run("warmup", str(alone), "--format", "json").stdout)
    for key in ("primer_cost_usd", "batch_cost_usd", "total_usd", "expected_usd", "cheapest"):
        assert doc[key] == ref[key]
    assert ref["unpriced"] == {"count": 0, "reasons": {}} and ref["notices"] == []
    table = run("warmup", str(path))
    assert table.returncode == 0, table.stderr
    assert "3 requests could not be priced" in table.stdout
    assert "claude-zzz" in table.stdout
    primer = costcalc.warmup(path, on=ON)
    assert primer.unpriced == 3 and primer.unpriced_reasons == {"unknown_model": 3}
    assert [n.code for n in primer.notices] == ["unpriced_unknown_model", "warm_up_priced_part"]
    assert primer.worth_it == (doc["cheapest"] == "warm_up")
    assert "unpriced=3" in repr(primer)
