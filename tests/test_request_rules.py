"""check's problems for what the API refuses: temperature/top_p/top_k on Opus 4.7 and later,
what API version 2026-10-21 refuses, a model id not in lower case, PDF page limits. Counts are
exact (one token per word) so the bill is worked by hand."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

from costcalc.compute.check import check
from costcalc.notices import SEVERITY
from costcalc.read.requestrules import rejected_on_2026_10_21, rejects_temperature

ON = date(2026, 11, 25)


def per_word(model, text):
    return len(text.split())


def req(cid, model="claude-opus-4-7", content="hi there", **params):
    body = {"model": model, "max_tokens": 100, "messages": [{"role": "user", "content": content}]}
    return {"custom_id": cid, "params": {**body, **params}}


CITED = [{"type": "text", "text": "x", "citations": [{"type": "char_location"}]}]
REQUESTS = [
    req("a"),
    req("b", temperature=0.5),  # Opus 4.7 refuses temperature: not billed
    req("c", top_p=0.9),  # refused per third parties only: still priced
    req("d", model="Claude-Opus-4-7"),  # not lower case: priced, flagged
    req("e", model="claude-opus-4-5", temperature=0.2),  # Opus 4.5 takes it
    req("f", content=CITED),  # citations in a user text block: refused on 2026-10-21
]


def run(tmp_path, requests):
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in requests))
    return check(path, pricing_(), ON, claude_counter=per_word, output=100)


def pricing_():
    from costcalc.prices.load import load_pricing

    return load_pricing()


def test_problems_and_bill(tmp_path):
    r = run(tmp_path, REQUESTS)
    problems = {p.kind: p.lines for p in r.batch.problems.values()}
    assert problems == {
        "temperature_rejected": [2],
        "sampling_may_be_rejected": [3],
        "model_id_case": [4],
        "rejected_on_api_2026_10_21": [2, 3, 5, 6],
    }
    assert {k: SEVERITY[k] for k in problems} == {
        "temperature_rejected": "error",
        "sampling_may_be_rejected": "warning",
        "model_id_case": "warning",
        "rejected_on_api_2026_10_21": "info",  # a note: fails only --strict, not --budget
    }
    assert r.rejected == 1
    # Five billed requests, Opus 4.7 and 4.5 alike at batch $2.50 input / $12.50 output per
    # MTok: input 2 + 2 + 2 + 2 + 1 words = 9 tokens, output 5 x 100 = 500 (--output 100).
    assert r.totals["batch"] == (9 * D("2.50") + 500 * D("12.50")) / 10**6 == D("0.0062725")
    # standard: 9 x $5 + 500 x $25 per MTok
    assert r.totals["standard"] == (9 * D(5) + 500 * D(25)) / 10**6


def test_strict_counts_them_and_budget_fails_on_the_refused_one(cli, tmp_path):
    f = tmp_path / "b.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in REQUESTS[2:4]))  # top_p, case
    code, _, err = cli("check", str(f), "--budget", "1")
    assert code == 0, err  # warnings only
    code, _, err = cli("check", str(f), "--strict")
    # top_p: its warning and the 2026-10-21 note; the case warning.
    assert code == 1 and "3 problems found (--strict)" in err
    f.write_text("".join(json.dumps(r) + "\n" for r in REQUESTS[:2]))
    code, out, err = cli("check", str(f), "--budget", "1", "--format", "json")
    assert code == 1 and json.loads(out)["budget"]["failed_by"] == ["temperature_rejected"]


def test_rule_edges():
    assert [
        rejects_temperature(m) for m in ("claude-opus-4-7", "claude-opus-5", "claude-opus-5-5")
    ] == [True] * 3
    assert not any(
        rejects_temperature(m) for m in ("claude-opus-4-6", "claude-sonnet-5-5", "claude-opus-4-1")
    )
    doc = {"type": "document", "source": {"type": "text", "media_type": "text/plain", "data": "x"}}
    params = {
        "top_k": 5,
        "messages": [
            {"role": "user", "content": [{"type": "text", "text": "x", "citations": []}]},
            {"role": "assistant", "content": [doc]},
        ],
    }
    # Empty citations are fine; a document in an assistant turn is not.
    assert rejected_on_2026_10_21(params) == ["top_k", "document_in_assistant"]
    assert rejected_on_2026_10_21({"messages": "hi"}) == []


# A request holding only parameters the rules do not read gets the verdict and problems of the
# last one with the same model name and max_tokens (requests._Reader._rules). Generated hostile
# requests are checked with that shortcut and with every rule run on every request: problems
# (kinds, figures, counts, lines) and every per-request figure must be equal.
_NAMES = [
    "claude-opus-4-7",
    "Claude-Opus-4-7",  # model_id_case
    "opus-4.7",  # costcalc's alias: model_not_api_id
    "anthropic.claude-opus-5",  # another platform's id
    "claude-haiku-4-5",
    "claude-sonnet-4-5",
    "claude-nonexistent-9",  # unknown_model
]
_MAX_TOKENS: list = [1, 0, -3, 100, 64_000, 64_001, 128_000, 200_000, 300_001, 10**8, 2**40]
_MAX_TOKENS += [True, 1.5, "5", None]
_EXTRA = [
    {},
    {},
    {"temperature": 0.5},
    {"top_p": 0.9},
    {"stream": True},
    {"speed": "fast"},
    {"inference_geo": "us"},
    {"inference_geo": "eu"},
    {"thinking": {"type": "enabled", "budget_tokens": 50}},
    {"metadata": {"user_id": "u"}},
    {"cache_control": {"type": "ephemeral"}},
    {"cache_control": {"type": "bogus"}},
    {"stop_sequences": ["x"]},
]
_MESSAGES: list = [
    [{"role": "user", "content": "hi there"}],
    [{"role": "user", "content": [{"type": "text", "text": "hi"}]}],
    [{"role": "user", "content": CITED}],
    [{"role": "assistant", "content": [{"type": "document", "source": {}}]}],
    [],
    "not a list",
    ["not a message"],
]


def _hostile(seed: int, n: int = 150) -> list:
    import random

    rng = random.Random(seed)
    out = []
    for i in range(n):
        params = {"model": rng.choice(_NAMES), "messages": rng.choice(_MESSAGES)}
        max_tokens = rng.choice(_MAX_TOKENS)
        if max_tokens is not None:
            params["max_tokens"] = max_tokens
        for _ in range(rng.randrange(3)):
            params.update(rng.choice(_EXTRA))
        if rng.random() < 0.3:
            params["system"] = [{"type": "text", "text": "rules " * 5}]
        out.append({"custom_id": f"r{i}", "params": params})
    return out


def test_rules_shortcut_matches_every_rule_run(tmp_path, pricing, monkeypatch):
    import costcalc.read.requests as requests_module

    def figures() -> tuple:
        report = check(path, pricing, ON, claude_counter=per_word, output=50)
        req = report.batch.requests
        return (
            report.totals,
            [list(getattr(req, f)) for f in req.FIELDS],
            {k: (p.count, p.lines, p.figures) for k, p in report.batch.problems.items()},
            list(report.batch.problems),
        )

    for seed in range(4):
        path = tmp_path / f"hostile{seed}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in _hostile(seed)))
        fast = figures()
        with monkeypatch.context() as m:
            m.setattr(requests_module, "_RULES_IGNORE", frozenset())  # never the shortcut
            assert figures() == fast
        with monkeypatch.context() as m:
            m.setattr(requests_module, "_VERDICTS", 2)  # the memo emptied again and again
            assert figures() == fast


def test_plain_messages():
    from costcalc.read.requestrules import plain_messages

    assert plain_messages([{"role": "user", "content": "hi"}])
    assert plain_messages([{"role": "user", "content": [{"type": "text", "text": "x"}]}])
    assert not plain_messages([])  # the API refuses a request without messages
    assert not plain_messages("hi")
    assert not plain_messages([{"role": "user", "content": CITED}])
    assert not plain_messages([{"role": "assistant", "content": [{"type": "document"}]}])
