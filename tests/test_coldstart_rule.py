"""Cold-start misses, the rule worked by hand: within one batch (one request file) each cache
entry needs ONE write, and the tokens written for it beyond its first actual write in that
batch are misses. Batch results are processed in any order
(https://docs.anthropic.com/en/docs/build-with-claude/batch-processing), so request-file order
says nothing about who wrote first; only actual writes count. The needed write is taken to be
the first writer's in request-file order among the requests that actually wrote the entry (it
decides which group a miss lands in).

Rates (Opus 4.7, batch: half of each standard price, per million tokens,
https://platform.claude.com/docs/en/about-claude/pricing): input $2.50, 5m cache write $3.125,
cache read $0.25. A token written again instead of read costs $3.125 - $0.25 = $2.875/MTok more.

The requests share a system prompt of two cached blocks (breakpoints after each), then a
question of their own (not cached), so the shared prefix is one chain of two entries.
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

DAY = "2026-11-25"
MTOK = D(10**6)
WRITE_5M, READ = D("3.125"), D("0.25")
EXTRA = (WRITE_5M - READ) / MTOK  # per token written again: $0.000002875
FIRST = " ".join("w" for _ in range(6_000))
SECOND = " ".join("v" for _ in range(4_000))


def req(custom_id: str) -> dict:
    cc = {"type": "ephemeral"}
    system = [
        {"type": "text", "text": FIRST, "cache_control": cc},
        {"type": "text", "text": SECOND, "cache_control": cc},
    ]
    return {
        "custom_id": custom_id,
        "params": {
            "model": "claude-opus-4-7",
            "max_tokens": 100,
            "system": system,
            "messages": [{"role": "user", "content": f"question {custom_id}"}],
        },
    }


def res(custom_id: str, wrote: int = 0, read: int = 0) -> dict:
    usage = {
        "input_tokens": 20,
        "output_tokens": 10,
        "cache_creation_input_tokens": wrote,
        "cache_read_input_tokens": read,
        "cache_creation": {"ephemeral_5m_input_tokens": wrote, "ephemeral_1h_input_tokens": 0},
        "service_tier": "batch",
    }
    message = {"model": "claude-opus-4-7", "usage": usage}
    return {"custom_id": custom_id, "result": {"type": "succeeded", "message": message}}


def errored(custom_id: str) -> dict:
    return {"custom_id": custom_id, "result": {"type": "errored", "error": {}}}


def write(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def actual(cli, *argv) -> tuple[dict, str]:
    code, out, err = cli("actual", *map(str, argv), "--date", DAY, "--format", "json")
    assert code == 0, err
    return json.loads(out), err


def test_case_a_a_later_request_in_the_file_is_the_first_writer(cli, tmp_path):
    # a-1 comes first in the file but read the entry: b-1 wrote it, and that write was needed.
    reqs = write(tmp_path / "req.jsonl", [req("a-1"), req("b-1")])
    results = write(tmp_path / "res.jsonl", [res("a-1", read=10_000), res("b-1", wrote=10_000)])
    got, _ = actual(cli, results, "--batch", reqs)
    cold = got["cold_start"]
    assert (cold["misses"], cold["tokens_written_again"], D(cold["extra_cost_usd"])) == (0, 0, 0)


def test_case_b_an_errored_request_wrote_nothing(cli, tmp_path):
    reqs = write(tmp_path / "req.jsonl", [req("a-1"), req("b-1")])
    results = write(tmp_path / "res.jsonl", [errored("a-1"), res("b-1", wrote=10_000)])
    got, _ = actual(cli, results, "--batch", reqs)
    assert (got["cold_start"]["misses"], got["cold_start"]["tokens_written_again"]) == (0, 0)


def _case_c(tmp_path: Path, order: list[dict]) -> tuple[Path, Path]:
    ids = ["alpha-1", "beta-1", "alpha-2", "beta-2", "alpha-3"]
    reqs = write(tmp_path / "req.jsonl", [req(i) for i in ids])
    return write(tmp_path / "res.jsonl", order), reqs


CASE_C = {
    "beta-1": res("beta-1", wrote=10_000),
    "alpha-1": res("alpha-1", read=10_000),
    "alpha-2": res("alpha-2", wrote=10_000),
    "beta-2": res("beta-2", wrote=4_000, read=6_000),  # read the first block, wrote the second
    "alpha-3": res("alpha-3", read=10_000),
}


def _assert_case_c(got: dict) -> None:
    # beta-1 is the first writer in the file among those that wrote: its 10,000 are needed.
    # alpha-2 wrote both blocks again (10,000); beta-2 wrote the second block again (4,000).
    alpha, beta = 10_000 * EXTRA, 4_000 * EXTRA
    assert (alpha, beta) == (D("0.02875"), D("0.0115"))
    groups = {g["key"][0]: g for g in got["groups"]}
    for name, tokens, extra in (("alpha", 10_000, alpha), ("beta", 4_000, beta)):
        g = groups[name]
        assert (g["cold_start_misses"], g["cold_start_tokens_written_again"]) == (1, tokens)
        assert D(g["cold_start_extra_usd"]) == extra
    cold = got["cold_start"]
    assert (cold["misses"], cold["tokens_written_again"]) == (2, 14_000)
    assert D(cold["extra_cost_usd"]) == 14_000 * EXTRA == D("0.04025")


def test_case_c_each_entry_needs_one_write_per_block(cli, tmp_path):
    results, reqs = _case_c(tmp_path, list(CASE_C.values()))
    got, _ = actual(cli, results, "--batch", reqs, "--group-by", "custom_id:^([a-z]+)-")
    _assert_case_c(got)


def test_case_c_in_any_result_order(cli, tmp_path):
    # The same run with its results in the opposite order: alpha-2's write arrives first and is
    # held as the needed one until beta-1's (earlier in the file) displaces it as the miss.
    results, reqs = _case_c(tmp_path, list(reversed(CASE_C.values())))
    got, _ = actual(cli, results, "--batch", reqs, "--group-by", "custom_id:^([a-z]+)-")
    _assert_case_c(got)


def test_each_batch_writes_its_entry_once(cli, tmp_path):
    # Two batches with the same prefix: each needs its own write (a batch is its own unit).
    req2 = write(tmp_path / "req2.jsonl", [req("a-1"), req("b-1")])
    req4 = write(tmp_path / "req4.jsonl", [req("c-1"), req("d-1")])
    res2 = write(tmp_path / "res2.jsonl", [res("a-1", read=10_000), res("b-1", wrote=10_000)])
    res4 = write(tmp_path / "res4.jsonl", [res("c-1", read=10_000), res("d-1", wrote=10_000)])
    got, _ = actual(cli, res2, res4, "--batch", req2, req4)
    cold = got["cold_start"]
    assert (cold["misses"], cold["tokens_written_again"], D(cold["extra_cost_usd"])) == (0, 0, 0)
    assert [f["cold_start_misses"] for f in got["files"]] == [0, 0]


def test_a_real_repeat_is_still_a_miss(cli, tmp_path):
    # a-1 and b-1 both wrote the whole prefix: one write was needed, the other 10,000 are a miss.
    reqs = write(tmp_path / "req.jsonl", [req("a-1"), req("b-1")])
    results = write(tmp_path / "res.jsonl", [res("b-1", wrote=10_000), res("a-1", wrote=10_000)])
    got, _ = actual(cli, results, "--batch", reqs)
    cold = got["cold_start"]
    assert (cold["misses"], cold["tokens_written_again"]) == (1, 10_000)
    assert D(cold["extra_cost_usd"]) == 10_000 * EXTRA == D("0.02875")


def test_a_duplicated_custom_id_in_a_batch_file_is_warned(cli, tmp_path):
    # The API refuses a batch whose custom_ids repeat, so this file is not what was submitted.
    reqs = write(tmp_path / "dupreq.jsonl", [req("a-1"), req("a-1"), req("b-1")])
    results = write(tmp_path / "res.jsonl", [res("a-1", read=10_000), res("b-1", wrote=10_000)])
    got, err = actual(cli, results, "--batch", reqs)
    notes = {n["code"]: n["figures"] for n in got["cold_start"]["notices"]}
    assert notes["batch_custom_id_duplicate"]["count"] == 1
    many, err = actual(cli, results, results, "--batch", reqs)
    notes = {n["code"]: n["figures"] for n in many["cold_start"]["notices"]}
    assert notes["batch_custom_id_duplicate"] == {"file": str(reqs), "count": 1}
    assert "repeats a custom_id" in err
