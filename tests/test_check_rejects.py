"""check: what the Batches API would refuse or bill differently, worked out by hand.

Counts are exact: one Claude token per word (`per_word`), unless a test gives a band counter.
Opus 4.7 batch rates (half of the prices on
https://platform.claude.com/docs/en/build-with-claude/prompt-caching): input $2.50, 5m write $3.125,
read $0.25, output $12.50 per MTok; real-time input $5, output $25. US-only inference
(https://platform.claude.com/docs/en/build-with-claude/data-residency): 1.1x every class, so batch
input $2.75, 5m write $3.4375, read $0.275, output $13.75. Haiku 4.5 batch: input $0.50, output
$2.50. Sonnet 4.5 batch: input $1.50, output $7.50. Opus 4.7 minimum cacheable length 2,048
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching).
"""

import json
from datetime import date
from decimal import Decimal as D

from costcalc.compute.check import check
from costcalc.messages import render as render_message

ON = date(2026, 11, 25)
EPHEMERAL = {"type": "ephemeral"}


def words(n, tag="w"):
    return " ".join(f"{tag}{i % 7}" for i in range(n))


def per_word(model, text):
    return len(text.split())


def band(model, text):
    """-10% / +10% around one token per word: an estimate's band."""
    n = len(text.split())
    return (n - n // 10, n, n + n // 10)


def req(i, user="a b c", max_tokens=10, model="claude-opus-4-7", system=None, **params):
    body = {
        "model": model,
        "max_tokens": max_tokens,
        "messages": [{"role": "user", "content": user}],
        **params,
    }
    if system is not None:
        body["system"] = [{"type": "text", "text": system, "cache_control": EPHEMERAL}]
    return {"custom_id": f"r{i}", "params": body}


def run(tmp_path, requests, pricing, counter=per_word, **kw):
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in requests))
    kw.setdefault("output", 100)
    return check(path, pricing, ON, claude_counter=counter, **kw)


def kinds(report):
    return {p.kind: p.lines for p in report.batch.problems.values()}


SYSTEM = words(3_000, "s")


def test_us_inference_costs_1_1x_and_writes_its_own_entries(tmp_path, pricing):
    user = words(10, "u")
    reqs = [
        req(1, user, 200, system=SYSTEM),
        req(2, user, 200, system=SYSTEM, inference_geo="us"),
        req(3, user, 200, system=SYSTEM, inference_geo="us"),
        req(4, user, 200, system=SYSTEM, inference_geo="EU"),
        req(5, user, 200, model="claude-opus-4-5", system=SYSTEM, inference_geo="us"),
    ]
    r = run(tmp_path, reqs, pricing)
    # 1 (global) writes 3,000 at 5m: 3,000 x 3.125 = 0.009375; input 10 x 2.50 = 0.000025;
    #   output 100 x 12.50 = 0.00125 -> 0.01065
    # 2 (us) cannot read the global entry: 3,000 x 3.4375 = 0.0103125; 10 x 2.75 = 0.0000275;
    #   100 x 13.75 = 0.001375 -> 0.011715
    # 3 (us) reads 2's entry: 3,000 x 0.275 = 0.000825 + 0.0000275 + 0.001375 = 0.0022275
    # 4 (inference_geo "EU") and 5 ("us" on Opus 4.5: 400) are rejected and not billed.
    assert r.totals["batch_cache"] == D("0.0245925")
    # standard: 3,010 x $5 + 100 x $25 = 0.01755; twice 3,010 x $5.50 + 100 x $27.50 = 0.019305
    assert r.totals["standard"] == D("0.01755") + 2 * D("0.019305")
    # worst: every request writes, 200 output: 0.009375 + 0.000025 + 200 x 12.50 = 0.0119;
    # twice 0.0103125 + 0.0000275 + 200 x 13.75 = 0.01309
    assert r.worst == D("0.0119") + 2 * D("0.01309")
    assert r.rejected == 2
    assert kinds(r) == {
        "cache_never_read": [1],
        "inference_geo_invalid": [4],
        "inference_geo_unsupported": [5],
    }
    us = [e for e in r.entries if e.writes]
    # The entry table prices the US entry at US rates: 3,000 x 3.4375 + 3,000 x 0.275.
    assert sorted(e.cost for e in us) == [D("0.009375"), D("0.0103125") + D("0.000825")]


def test_only_api_model_ids_are_accepted_in_a_request_file(tmp_path, pricing):
    names = [
        "opus-4.7",  # costcalc's own alias
        "anthropic.claude-opus-4-7",  # Bedrock
        "claude-haiku-4-5@20251001",  # Vertex
        "claude-opus-4-7",
        "claude-haiku-4-5",  # the API alias
        "claude-haiku-4-5-20251001",
    ]
    r = run(tmp_path, [req(i, model=m) for i, m in enumerate(names, start=1)], pricing)
    assert kinds(r) == {"model_not_api_id": [1, 2, 3]}
    assert "'claude-opus-4-7'" in render_message(r.batch.problems["model_not_api_id"])
    assert r.rejected == 3
    # Opus 4.7: 3 x 2.50 + 10 x 12.50 = 132.5 -> 0.0001325 (output is min(100, max_tokens 10));
    # Haiku 4.5 twice: 3 x 0.50 + 10 x 2.50 = 26.5 -> 0.0000265 each.
    assert r.totals["batch_cache"] == D("0.0001325") + 2 * D("0.0000265")


def test_max_tokens_over_the_output_limit(tmp_path, pricing):
    reqs = [
        req(1, max_tokens=128_000),  # Opus 4.7's limit: fine
        req(2, max_tokens=200_000),  # needs the 300k beta (set per batch): priced
        req(3, max_tokens=300_001),  # over even the beta: rejected
        req(4, max_tokens=64_001, model="claude-opus-4-5"),  # 64K, no batch option: rejected
        req(5, max_tokens=100_000, model="claude-sonnet-4-5"),  # limit unknown: not flagged
    ]
    r = run(tmp_path, reqs, pricing)
    assert kinds(r) == {"needs_output_300k_beta": [2], "max_tokens_over_limit": [3, 4]}
    assert "output-300k-2026-03-24" in render_message(r.batch.problems["needs_output_300k_beta"])
    assert r.rejected == 2
    # worst, max_tokens of output: Opus 4.7 3 x 2.50 + 128,000 x 12.50 = 1.6000075;
    # 3 x 2.50 + 200,000 x 12.50 = 2.5000075; Sonnet 4.5 3 x 1.50 + 100,000 x 7.50 = 0.7500045
    assert r.worst == D("1.6000075") + D("2.5000075") + D("0.7500045")


def test_worst_case_caches_an_entry_that_reaches_the_minimum_only_at_its_high_count(
    tmp_path, pricing
):
    # System of 2,000 words: band 1,800 / 2,000 / 2,200 around the 2,048 minimum; user 10
    # words: 9 / 10 / 11.
    reqs = [req(i, words(10, "u"), 200, system=words(2_000, "s")) for i in (1, 2)]
    r = run(tmp_path, reqs, pricing, counter=band)
    # best and expected, central counts: 2,000 < 2,048, not cached: 2 x 2,010 x 2.50 = 0.01005;
    # output 2 x 100 x 12.50 = 0.0025 -> 0.01255
    assert r.totals["batch_cache"] == r.expected == D("0.01255")
    # worst, high counts: 2,200 >= 2,048 is cached, so each request writes it at 5m:
    # 2,200 x 3.125 = 0.006875; input 11 x 2.50 = 0.0000275; output 200 x 12.50 = 0.0025
    # -> 0.0094025 each (not 2,211 x 2.50 = 0.0055275 as uncached input)
    assert r.worst == 2 * D("0.0094025")
    assert kinds(r) == {"may_be_under_minimum": [1], "under_minimum": [1, 2]}
    assert r.totals["batch_cache"] <= r.expected <= r.worst


def test_worst_case_near_the_minimum_from_below(tmp_path, pricing):
    # 2,100 words: band 1,890 / 2,100 / 2,310: cached at central and high, maybe not at low.
    reqs = [req(i, words(10, "u"), 200, system=words(2_100, "s")) for i in (1, 2)]
    r = run(tmp_path, reqs, pricing, counter=band)
    assert kinds(r) == {"may_be_under_minimum": [1]}
    # best: 1 writes 2,100 x 3.125 = 0.0065625, 2 reads 2,100 x 0.25 = 0.000525; input 2 x 10 x
    # 2.50 = 0.00005; output 2 x 100 x 12.50 = 0.0025 -> 0.0096375
    assert r.totals["batch_cache"] == D("0.0096375")


def test_a_file_the_api_would_refuse_entirely_exits_2(cli, tmp_path):
    lines = [
        '{"custom_id": "a", "params": {"model": "claude-opus-4-7", "max_tokens": NaN, '
        '"messages": [{"role": "user", "content": "x"}]}}',
        json.dumps(req(1, max_tokens=True)),
        json.dumps(req(2, max_tokens=10**30)),
        json.dumps({"custom_id": "r3", "params": {**req(3)["params"], "messages": []}}),
        json.dumps(req(4, model="opus-4.7")),
        json.dumps(req(5, inference_geo="mars")),
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, out, err = cli("check", str(path), "--budget", "100")
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "every request would be rejected by the API" in err
    for kind in ("max_tokens", "max_tokens_too_large", "messages", "model_not_api_id"):
        assert f"1 {kind}, first on line" in err
    assert "1 inference_geo_invalid" in err and "1 malformed" in err  # the NaN line
    # One request that can be priced is enough to price the file.
    path.write_text("\n".join([*lines, json.dumps(req(9))]) + "\n")
    code, out, err = cli("check", str(path), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["rejected_requests_not_priced"] == 5


def test_nan_and_infinity_are_not_json(cli, tmp_path):
    body = json.dumps({"requests": [req(1)]})
    path = tmp_path / "inf.json"
    path.write_text(body.replace('"max_tokens": 10', '"max_tokens": Infinity'))
    code, _, err = cli("check", str(path))
    assert code == 2 and "not a request file" in err
    ok = {
        "custom_id": "a",
        "result": {
            "type": "succeeded",
            "message": {
                "model": "claude-opus-4-7",
                "usage": {"input_tokens": 10, "output_tokens": 2},
            },
        },
    }
    bad = json.dumps(ok).replace('"output_tokens": 2', '"output_tokens": -Infinity')
    results = tmp_path / "results.jsonl"
    results.write_text(json.dumps(ok) + "\n" + bad + "\n")
    code, out, err = cli("actual", str(results), "--format", "json")
    assert code == 0, err
    assert json.loads(out)["malformed_lines"] == [2]


def test_trailing_data_after_the_requests_array(tmp_path, pricing):
    def problems(text, name="b.json"):
        path = tmp_path / name
        path.write_text(text)
        r = check(path, pricing, ON, claude_counter=per_word, output=1)
        return kinds(r), len(r.batch.requests), r.rejected

    body = json.dumps({"requests": [req(1), req(2)]}, indent=1)
    assert problems(body + "\n") == ({}, 2, 0)
    assert problems(body + " garbage") == ({"trailing_data": [3]}, 2, 0)
    extra = json.dumps({"requests": [req(1)], "other": 1})
    assert problems(extra) == ({"trailing_data": [2]}, 1, 0)
    assert problems(body[:-1]) == ({"trailing_data": [3]}, 2, 0)  # no closing brace
    array = json.dumps([req(1)])
    assert problems(array + "\n\n", "a.json") == ({}, 1, 0)
    assert problems(array + "}", "a.json") == ({"trailing_data": [2]}, 1, 0)


def test_trailing_data_figures_are_a_reason_and_the_bytes_found(tmp_path, pricing):
    # What follows the array is data: a reason code, and `found` is the text as read (its first
    # 40 characters). A missing closing brace is its own reason, with nothing found.
    def trailing(text):
        path = tmp_path / "b.json"
        path.write_text(text)
        r = check(path, pricing, ON, claude_counter=per_word, output=1)
        p = r.batch.problems["trailing_data"]
        return p.figures, render_message(p)

    body = json.dumps({"requests": [req(1)]})
    figures, message = trailing(body + " garbage")
    assert figures == {"reason": "data_after_array", "found": "garbage"}
    assert message == (
        "data after the requests array (another top-level key, or trailing bytes: 'garbage'); "
        'the API body is only {"requests": [...]}'
    )
    figures, _ = trailing(body + "x" * 100)
    assert figures == {"reason": "data_after_array", "found": "x" * 40}
    figures, message = trailing(body[:-1])
    assert figures == {"reason": "no_closing_brace", "found": None}
    assert message == (
        "the file ends after the requests array without the closing brace; the API body is "
        'only {"requests": [...]}'
    )
    assert "(no closing brace)" not in message
