"""costcalc check: costs of a batch file (hand-computed), each problem, limits, fuzzed input."""

import json
from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costcalc.cli.app import main


def words(n, word="word"):
    return " ".join([word] * n)


def request(
    i, text, user="review this", model="claude-opus-4-7", max_tokens=1000, ttl=None, **params
):
    cc = {"type": "ephemeral", **({"ttl": ttl} if ttl else {})}
    body = {
        "model": model,
        "max_tokens": max_tokens,
        "system": [{"type": "text", "text": text, "cache_control": cc}],
        "messages": [{"role": "user", "content": user}],
        **params,
    }
    return {"custom_id": f"r{i}", "params": body}


def write(path, requests, form="jsonl"):
    if form == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in requests))
    else:
        path.write_text(json.dumps({"requests": requests}, indent=1))
    return path


def test_costs_of_a_file_hand_computed(cli, tmp_path, fake_api):
    pytest.importorskip("anthropic")
    # The fake count_tokens counts one token per word: prefix 2,100, each user message 50.
    f = write(tmp_path / "b.jsonl", [request(i, words(2_100), words(50)) for i in range(10)])
    code, out, err = cli("check", str(f), "--exact", "--output", "100", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["models"][0]["distinct_cached_prefixes"] == 1
    assert doc["models"][0]["shared_tokens_per_prefix"]["central"] == 2_100
    best = doc["cost"]["best"]
    # The fake adds 3 framing tokens to the whole request: they are after the breakpoint, so
    # each request has 53 uncached tokens.
    # standard: 10 x 2,153 x $5/M = 0.10765 + 10 x 100 x $25/M = 0.025
    assert D(best["standard"]) == D("0.13265")
    # batch_cache: write 2,100 x $3.125/M = 0.0065625; reads 9 x 2,100 x $0.25/M = 0.004725;
    # unique 530 x $2.50/M = 0.001325; output 1,000 x $12.50/M = 0.0125
    assert D(best["batch_cache"]) == D("0.0251125")
    # expected at 90%: 10% of the 9 reads write instead:
    # 0.1 x 9 x 2,100 x ($3.125 - $0.25)/M = 0.1 x 0.0543375 = 0.00543375
    assert D(doc["cost"]["expected"]["batch_cache"]) == D("0.03054625")
    # worst: 10 writes x 2,100 x $3.125/M = 0.065625 + 0.001325 + max_tokens 10,000 x $12.50/M
    assert D(doc["cost"]["worst"]["batch_cache"]) == D("0.19195")
    assert doc["problems"] == []
    # How the tokens were counted is a code, not a phrase: exact here; estimate without --exact.
    assert doc["token_counts"] == "count_tokens"
    code, out, err = cli("check", str(f), "--output", "100", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["token_counts"] == "estimate"


def test_budget_gate_on_worst_and_expected(cli, tmp_path, fake_api):
    pytest.importorskip("anthropic")
    f = write(tmp_path / "b.jsonl", [request(i, words(2_100), words(50)) for i in range(10)])
    code, _, err = cli("check", str(f), "--exact", "--output", "100", "--budget", "0.19")
    assert code == 1 and "over budget: batch_cache (worst case) costs $0.192" in err
    code, _, err = cli(
        "check", str(f), "--exact", "--output", "100", "--budget", "0.19", "--against", "expected"
    )
    assert code == 0 and "within budget" in err


def test_estimated_counts_and_the_json_body_form(cli, tmp_path):
    # 'hello world' repeated: 2 cl100k tokens each; prose on Opus 4.7: 1.30 / 1.50 / 1.71.
    reqs = [request(i, words(1_500, "hello world"), "hello world") for i in range(4)]
    a = write(tmp_path / "a.jsonl", reqs)
    b = write(tmp_path / "b.json", reqs, form="json")
    code, out_a, _ = cli("check", str(a), "--format", "json")
    code_b, out_b, _ = cli("check", str(b), "--format", "json")
    doc_a, doc_b = json.loads(out_a), json.loads(out_b)
    assert code == code_b == 0 and doc_b["form"] == "json" and doc_a["form"] == "jsonl"
    assert doc_a["cost"] == doc_b["cost"] and doc_a["models"] == doc_b["models"]
    shared = doc_a["models"][0]["shared_tokens_per_prefix"]
    # 3,000 cl100k tokens of prose x 1.30 / 1.50 / 1.71 (pricing.yaml by_kind, claude-4.7)
    assert shared == {"low": 3_900, "central": 4_500, "high": 5_130, "exact": False}


def lines_of(doc, kind):
    return next(p["lines"] for p in doc["problems"] if p["kind"] == kind)


def test_every_problem_is_reported_with_its_lines(cli, tmp_path):
    rubric = words(1_200, "hello world")  # 2,400 cl100k ~ 3,672 Opus 4.7 tokens
    lines = [
        request(1, rubric),  # 1 fine
        {"params": request(2, rubric)["params"]},  # 2 no custom_id
        {**request(3, rubric), "custom_id": "bad id!"},  # 3 invalid id
        request(1, rubric),  # 4 duplicate id
        request(5, rubric, model="claude-opus-4-9"),  # 5 unknown model
        request(6, rubric, max_tokens=0),  # 6 max_tokens < 1
        request(7, rubric, stream=True),  # 7 stream
        request(8, rubric, speed="fast"),  # 8 fast mode
        request(9, "short rubric"),  # 9 under minimum
        request(10, words(1_200, "other text")),  # 10 another prefix
        request(11, rubric),  # 11 interleaved
        {
            "custom_id": "r12",
            "params": {
                **request(12, rubric)["params"],
                "system": [
                    {
                        "type": "text",
                        "text": f"part {k} " + rubric,
                        "cache_control": {"type": "ephemeral"},
                    }
                    for k in range(5)
                ],
            },
        },  # 12 5 breakpoints
        {
            "custom_id": "r13",
            "params": {
                **request(13, rubric)["params"],
                "system": [
                    {
                        "type": "text",
                        "text": rubric,
                        "cache_control": {"type": "ephemeral", "ttl": "5m"},
                    },
                    {
                        "type": "text",
                        "text": "more",
                        "cache_control": {"type": "ephemeral", "ttl": "1h"},
                    },
                ],
            },
        },  # 13
        request(14, "Today is 2026-11-01. " + rubric),  # 14 varies by date
        request(15, "Today is 2026-11-02. " + rubric),  # 15 varies by date
    ]
    f = tmp_path / "problems.jsonl"
    f.write_text("".join(json.dumps(x) + "\n" for x in lines) + "{not json\n" + "[1, 2]\n")
    code, out, err = cli("check", str(f), "--format", "json")
    assert code == 0, err  # problems alone do not fail without --strict
    doc = json.loads(out)
    expected = {
        "custom_id_missing": [2],
        "custom_id_invalid": [3],
        "custom_id_duplicate": [4],
        "unknown_model": [5],
        "max_tokens": [6],
        "stream": [7],
        "fast_mode": [8],
        "under_minimum": [9],
        "interleaved": [11],
        "breakpoints": [12],
        "ttl_order": [13],
        "prefix_varies": [14, 15],
        "cache_never_read": [10, 14, 15],  # prefixes no other request shares
        "malformed": [16, 17],
    }
    assert {p["kind"]: p["lines"] for p in doc["problems"]} == expected
    assert doc["malformed_lines"] == 2
    assert doc["requests"] == 14  # all but the unknown model and the two malformed lines
    code, _, err = cli("check", str(f), "--strict")
    assert code == 1 and "problems found (--strict)" in err


def test_context_window_problem(cli, tmp_path):
    # Haiku 4.5: 200,000 tokens. 100,000 x 'hello world' = 200,000 cl100k x 1.16 = 232,000.
    f = write(
        tmp_path / "big.jsonl",
        [
            request(1, words(100_000, "hello world"), model="claude-haiku-4-5"),
            request(2, "short", model="claude-haiku-4-5"),
        ],
    )
    code, out, err = cli("check", str(f), "--format", "json")
    assert lines_of(json.loads(out), "context_window") == [1]
    # Alone, the refused request leaves nothing to price: exit 2, never $0 within budget.
    f = write(
        tmp_path / "big.jsonl",
        [request(1, words(100_000, "hello world"), model="claude-haiku-4-5")],
    )
    code, out, err = cli("check", str(f), "--budget", "1")
    assert (
        code == 2
        and "every request would be rejected by the API (1 context_window, first on line 1)" in err
    )


def test_split_keeps_prefix_groups_together(cli, tmp_path, write_pricing):
    pricing = write_pricing(lambda t: t.replace("max_requests: 100000", "max_requests: 4"))
    reqs = [request(i, words(1_200, "alpha beta")) for i in range(3)] + [
        request(i + 3, words(1_200, "gamma delta")) for i in range(3)
    ]
    f = write(tmp_path / "b.jsonl", reqs)
    code, out, _ = cli("check", str(f), "--pricing", str(pricing), "--format", "json")
    split = json.loads(out)["split"]
    assert [(s["requests"], s["prefixes"]) for s in split] == [(3, 1), (3, 1)]
    code, out, _ = cli("check", str(f), "--pricing", str(pricing))
    assert "split into 2 batches" in " ".join(out.split())


def test_table_output_and_unreadable_file(cli, tmp_path):
    f = write(tmp_path / "b.jsonl", [request(i, words(1_500, "hello world")) for i in range(3)])
    code, out, _ = cli("check", str(f))
    text = " ".join(out.split())
    assert code == 0 and "No problems found." in text and "batch_cache (as submitted)" in text
    code, _, err = cli("check", str(tmp_path / "missing.jsonl"))
    assert code == 2 and "cannot read" in err and err.count("\n") == 1
    (tmp_path / "list.json").write_text("[1, 2, 3]")
    code, _, err = cli("check", str(tmp_path / "list.json"))
    assert code == 2 and "not a request file" in err


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
params = st.fixed_dictionaries(
    {},
    optional={
        "model": st.sampled_from(["claude-opus-4-7", "haiku-4.5", "nope"]) | json_values,
        "max_tokens": st.integers(-5, 5000) | json_values,
        "system": st.text(max_size=50)
        | st.lists(
            st.dictionaries(
                st.sampled_from(["type", "text", "cache_control"]), json_values, max_size=3
            ),
            max_size=3,
        ),
        "messages": json_values
        | st.lists(
            st.fixed_dictionaries(
                {"role": st.just("user"), "content": st.text(max_size=30) | json_values}
            ),
            max_size=3,
        ),
        "tools": json_values,
        "cache_control": json_values,
        "stream": json_values,
    },
)
lines_strategy = st.lists(
    st.binary(max_size=60)
    | json_values.map(json.dumps).map(str.encode)
    | st.fixed_dictionaries({"custom_id": json_values, "params": params})
    .map(json.dumps)
    .map(str.encode),
    max_size=8,
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(lines_strategy, st.booleans())
def test_garbage_never_crashes(tmp_path, lines, as_body):
    f = tmp_path / "fuzz.jsonl"
    data = b"\n".join(line.replace(b"\n", b" ") for line in lines)
    if as_body:
        data = b'{"requests": [' + data.replace(b"\n", b",") + b"]}"
    f.write_bytes(data)
    try:
        code = main(["check", str(f), "--format", "json"])
    except SystemExit as exc:
        code = exc.code
    assert code in (0, 1, 2)


def test_automatic_caching_takes_a_breakpoint_slot(cli, tmp_path):
    rubric = words(1_200, "hello world")
    four = [
        {"type": "text", "text": f"part {k} {rubric}", "cache_control": {"type": "ephemeral"}}
        for k in range(4)
    ]
    ok = request(1, rubric)
    ok["params"]["cache_control"] = {"type": "ephemeral"}  # automatic caching: 2 slots in all
    over = {
        "custom_id": "r2",
        "params": {
            **request(2, rubric)["params"],
            "system": four,
            "cache_control": {"type": "ephemeral"},
        },
    }
    f = write(tmp_path / "auto.jsonl", [ok, over])
    code, out, _ = cli("check", str(f), "--format", "json")
    # The request that is priced has nobody to share its entries with.
    problems = {p["kind"]: p["lines"] for p in json.loads(out)["problems"]}
    assert problems == {"breakpoints": [2], "cache_never_read": [1]}
