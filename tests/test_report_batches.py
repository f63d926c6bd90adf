"""costcalc actual RESULTS... --batch REQUESTS...: many results files paired with many request
files by custom_id, and the cold-start misses of each group and file.

A cold-start miss is a request that wrote a cache entry an earlier request of its own batch
(request file) had already written: requests of a batch run at once and in any order, and "cache
entries become available after the first response begins"
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching). Its extra cost is what
the tokens it wrote again cost beyond reading them.

Prices worked by hand below (Opus 4.7, per million tokens, batch: half of each standard price,
https://platform.claude.com/docs/en/about-claude/pricing): input $2.50, 5m cache write $3.125,
1h cache write $5.00, cache read $0.25, output $12.50.

The requests share one 10,000-word system prompt marked for caching, and each adds a question
after it (not cached): their last cache breakpoint is the shared entry, so a request that wrote
it wrote again exactly the tokens its usage reports, whatever costcalc estimates the prompt at.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costcalc.compute.check import check
from costcalc.compute.coldstart import ColdIndex
from costcalc.compute.grouping import parse_keys
from costcalc.compute.manyresults import read_many
from costcalc.errors import CodedError
from costcalc.read.requestitems import request_ids

DAY = "2026-11-25"
ON = date(2026, 11, 25)
SHARED = " ".join("w" for _ in range(10_000))
MTOK = D(10**6)
WRITE_5M, WRITE_1H, READ = D("3.125"), D("5.00"), D("0.25")  # Opus 4.7 batch, per MTok


def req(custom_id: str, ttl: str | None = None) -> dict:
    cc = {"type": "ephemeral"} | ({"ttl": ttl} if ttl else {})
    return {
        "custom_id": custom_id,
        "params": {
            "model": "claude-opus-4-7",
            "max_tokens": 100,
            "system": [{"type": "text", "text": SHARED, "cache_control": cc}],
            "messages": [{"role": "user", "content": f"question {custom_id}"}],
        },
    }


def res(custom_id: str, w5: int = 0, w1: int = 0, read: int = 0) -> dict:
    usage = {
        "input_tokens": 10,
        "output_tokens": 5,
        "cache_creation_input_tokens": w5 + w1,
        "cache_read_input_tokens": read,
        "cache_creation": {"ephemeral_5m_input_tokens": w5, "ephemeral_1h_input_tokens": w1},
        "service_tier": "batch",
    }
    message = {"model": "claude-opus-4-7", "usage": usage}
    return {"custom_id": custom_id, "result": {"type": "succeeded", "message": message}}


def write(path: Path, items) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


@pytest.fixture
def run(tmp_path):
    """Two batches' request files and three results files of them.

    Batch A (5m TTL): search-0 .. search-3; search-0 is the first (it writes the entry).
    Batch B (1h TTL): ads-0, ads-1, ads-2, search-4, search-5; ads-0 is the first.
    In the run, beyond the first writers: search-2 wrote the 5m entry again, ads-1 and search-4
    wrote the 1h entry again (three misses); search-1, search-3 and ads-2 read it; x9 is in no
    request file; search-5 errored (no succeeded result answers it)."""
    reqs = tmp_path / "requests"
    reqs.mkdir()
    a = write(reqs / "a.jsonl", [req(f"search-{i}") for i in range(4)])
    b = write(
        reqs / "b.jsonl",
        [req(i, "1h") for i in ("ads-0", "ads-1", "ads-2", "search-4", "search-5")],
    )
    out = tmp_path / "results"
    out.mkdir()
    r1 = write(
        out / "r1.jsonl",
        [
            res("search-0", w5=10_000),
            res("search-1", read=10_000),
            res("search-2", w5=10_000),
            res("ads-0", w1=10_000),
        ],
    )
    r2 = write(
        out / "r2.jsonl",
        [
            res("ads-1", w1=10_000),
            res("search-3", read=10_000),
            res("ads-2", read=10_000),
            res("x9", read=10_000),
        ],
    )
    r3 = write(
        out / "r3.jsonl",
        [
            res("search-4", w1=10_000),
            {"custom_id": "search-5", "result": {"type": "errored", "error": {}}},
        ],
    )
    return a, b, (r1, r2, r3)


# The misses, by hand: tokens written again x (write rate - read rate).
SEARCH_2 = 10_000 * (WRITE_5M - READ) / MTOK  # 0.02875 (batch A, 5m)
ADS_1 = 10_000 * (WRITE_1H - READ) / MTOK  # 0.0475 (batch B, 1h)
SEARCH_4 = 10_000 * (WRITE_1H - READ) / MTOK  # 0.0475 (batch B, 1h)
# The search group's whole cost: 5 results x 10 input at $2.50 and 5 output at $12.50; 5m
# writes 20,000 (search-0, search-2) at $3.125; 1h writes 10,000 (search-4) at $5; reads
# 20,000 (search-1, search-3) at $0.25.
SEARCH_COST = (
    50 * D("2.50") + 25 * D("12.50") + 20_000 * WRITE_5M + 10_000 * WRITE_1H + 20_000 * READ
) / MTOK  # 0.1179375


def doc(cli, *argv):
    code, out, err = cli("actual", *map(str, argv), "--date", DAY, "--format", "json")
    assert code == 0, err
    return json.loads(out), err


def test_misses_per_group_and_file_by_hand(cli, run):
    a, b, results = run
    got, err = doc(cli, *results, "--batch", a, b, "--group-by", "custom_id:^([a-z]+)-")
    groups = {g["key"][0]: g for g in got["groups"]}
    assert SEARCH_2 == D("0.02875") and ADS_1 == SEARCH_4 == D("0.0475")
    search, ads, other = groups["search"], groups["ads"], groups["(unmatched)"]
    assert (search["cold_start_misses"], search["cold_start_tokens_written_again"]) == (2, 20_000)
    assert D(search["cold_start_extra_usd"]) == SEARCH_2 + SEARCH_4 == D("0.07625")
    assert D(search["cost_usd"]) == SEARCH_COST == D("0.1179375")
    assert (ads["cold_start_misses"], D(ads["cold_start_extra_usd"])) == (1, ADS_1)
    assert (other["cold_start_misses"], D(other["cold_start_extra_usd"])) == (0, 0)
    files = {Path(f["file"]).name: f for f in got["files"]}
    assert [
        (files[n]["cold_start_misses"], D(files[n]["cold_start_extra_usd"])) for n in files
    ] == [
        (1, SEARCH_2),
        (1, ADS_1),
        (1, SEARCH_4),
    ]
    total = SEARCH_2 + ADS_1 + SEARCH_4  # 0.12375
    assert got["total"]["cold_start_misses"] == 3
    assert D(got["total"]["cold_start_extra_usd"]) == total
    cold = got["cold_start"]
    assert cold["request_files"] == [str(a), str(b)]
    assert (cold["misses"], cold["tokens_written_again"], D(cold["extra_cost_usd"])) == (
        3,
        30_000,
        total,
    )
    # 9 succeeded results: 8 answer a request, x9 answers none (still priced: it is in the
    # (unmatched) group's cost); search-5 errored, so one request has no result.
    assert (cold["matched_requests"], cold["unmatched_requests"]) == (8, 1)
    assert cold["requests_without_results"] == 1
    codes = {n["code"]: n["figures"] for n in cold["notices"]}
    assert codes == {
        "results_not_in_batches": {"matched": 8, "unmatched": 1},
        "batch_requests_without_results": {"requests": 1},
    }
    assert D(other["cost_usd"]) == (10 * D("2.50") + 5 * D("12.50") + 10_000 * READ) / MTOK
    assert "in none of the request files" in err and "1 request of the request files" in err


def test_two_levels_and_the_bill_are_unchanged_by_batch(cli, run):
    a, b, results = run
    keys = ("--group-by", "file", "--group-by", "custom_id:^([a-z]+)-")
    plain, _ = doc(cli, *results, *keys)
    paired, _ = doc(cli, *results, "--batch", a, b, *keys)
    # Pairing adds the misses and changes no cost: x9 is priced from its usage either way.
    assert paired["total_usd"] == plain["total_usd"]
    assert "cold_start_misses" not in plain["groups"][0] and "cold_start" not in plain
    subtotal = {Path(g["key"][0]).name: g["cold_start_misses"] for g in paired["subtotals"]}
    assert subtotal == {"r1.jsonl": 1, "r2.jsonl": 1, "r3.jsonl": 1}
    leaves = {
        (Path(g["key"][0]).name, g["key"][1]): D(g["cold_start_extra_usd"])
        for g in paired["groups"]
    }
    assert leaves[("r1.jsonl", "search")] == SEARCH_2
    assert leaves[("r2.jsonl", "ads")] == ADS_1
    assert leaves[("r3.jsonl", "search")] == SEARCH_4
    assert leaves[("r1.jsonl", "ads")] == leaves[("r2.jsonl", "search")] == 0


def test_json_validates_csv_table_and_html_show_the_misses(cli, run, tmp_path):
    import jsonschema

    a, b, results = run
    schema = json.loads(cli("schema", "actual")[1])
    got, _ = doc(cli, *results, "--batch", a, b, "--group-by", "model")
    jsonschema.Draft202012Validator(schema).validate(got)
    code, out, _ = cli(
        "actual", *map(str, results), "--batch", str(a), str(b), "--group-by", "model",
        "--format", "csv", "--date", DAY,
    )  # fmt: skip
    assert code == 0
    header, row = out.splitlines()
    assert header.endswith(
        ",cache_hit_rate,cold_start_misses,cold_start_tokens_written_again,cold_start_extra_usd"
    )
    assert row.split(",")[-3:] == ["3", "30000", "0.12375"]
    # Per file (no --group-by): the same columns on each file's row.
    code, out, _ = cli("actual", *map(str, results), "--batch", str(a), str(b), "--format", "csv")
    assert [r.split(",")[-3:] for r in out.splitlines()[1:]] == [
        ["1", "10000", "0.02875"],
        ["1", "10000", "0.0475"],
        ["1", "10000", "0.0475"],
    ]
    code, out, _ = cli(
        "actual", *map(str, results), "--batch", str(a), str(b), "--group-by", "model",
        "--date", DAY,
    )  # fmt: skip
    assert code == 0
    assert "cold-start misses (against 2 request files): 3 requests wrote 30,000" in " ".join(
        out.split()
    )
    page = tmp_path / "r.html"
    code, _, err = cli(
        "actual", *map(str, results), "--batch", str(a), str(b), "--group-by", "model",
        "--format", "html", "--out", str(page), "--date", DAY,
    )  # fmt: skip
    assert code == 0, err
    html = page.read_text(encoding="utf-8")
    assert "<th>cold-start misses</th>" in html and 'data-usd="0.12375"' in html
    groups = html.split('<table id="groups">')[1].split("</table>")[0]
    assert '<td class="n">3</td>' in groups and "$0.1238" in groups


def test_batch_takes_directories_and_globs(cli, run):
    a, b, results = run
    by_dir, _ = doc(cli, *results, "--batch", a.parent)
    by_glob, _ = doc(cli, *results, "--batch", str(a.parent / "*.jsonl"))
    assert by_dir["cold_start"] == by_glob["cold_start"]
    assert by_dir["cold_start"]["misses"] == 3
    # One results file with several request files is the report too.
    one, _ = doc(cli, results[0], "--batch", a, b)
    assert (one["total"]["cold_start_misses"], one["cold_start"]["requests_without_results"]) == (
        1,
        5,  # ads-1, ads-2, search-3, search-4, search-5 have no result in r1
    )


def test_the_same_custom_id_in_two_request_files_is_refused(cli, run, tmp_path):
    a, b, results = run
    again = write(tmp_path / "again.jsonl", [req("zz-0"), req("search-2")])
    code, out, err = cli("actual", *map(str, results), "--batch", str(a), str(again))
    assert code == 2 and out == ""
    assert "'search-2' is in two request files" in err
    assert str(a) in err and str(again) in err
    # The same file named twice is one file, not a conflict.
    got, _ = doc(cli, *results, "--batch", a, a, b)
    assert got["cold_start"]["request_files"] == [str(a), str(b)]


def test_results_of_no_request_file_are_priced_and_counted(cli, run, tmp_path):
    a, b, results = run
    strangers = write(tmp_path / "s.jsonl", [res("q-1", w5=10_000), res("q-2", read=10_000)])
    got, err = doc(cli, strangers, results[0], "--batch", a, b, "--group-by", "file")
    alone, _ = doc(cli, strangers, results[0], "--group-by", "file")
    assert got["total_usd"] == alone["total_usd"]  # never dropped from the cost
    cold = got["cold_start"]
    assert (cold["matched_requests"], cold["unmatched_requests"]) == (4, 2)
    assert "2 of 6 succeeded results have a custom_id that is in none" in err
    by_file = {Path(g["key"][0]).name: g["cold_start_misses"] for g in got["groups"]}
    assert by_file == {"s.jsonl": 0, "r1.jsonl": 1}


def test_hostile_request_files_exit_2(cli, run, tmp_path):
    a, b, results = run
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    code, _, err = cli("actual", *map(str, results), "--batch", str(a), str(empty))
    assert code == 2 and "empty.jsonl is empty" in err
    # A results file given as a request file: a hint, not a page of bad-request problems.
    code, _, err = cli("actual", *map(str, results), "--batch", str(results[1]))
    assert code == 2 and "r2.jsonl is a results file" in err and "as RESULTS" in err
    # --batch takes every file after it: results after it leave none, and the hint says so.
    code, _, err = cli("actual", "--batch", str(a), str(results[0]))
    assert code == 2 and "put the results files first" in err
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    code, _, err = cli("actual", *map(str, results), "--batch", str(nothing))
    assert code == 2 and "no request files" in err
    code, _, err = cli("actual", *map(str, results), "--batch", str(tmp_path / "*.none"))
    assert code == 2 and "matches no file" in err
    code, _, err = cli("actual", *map(str, results), "--batch", str(a), "--shared", "10")
    assert code == 2 and "one results file" in err
    # Standard input cannot be both the results and a request file.
    code, _, err = cli("actual", "-", str(results[0]), "--batch", "-", str(a))
    assert code == 2 and "standard input can be read only once" in err
    # A fetched batch (--batch-id) was submitted as one file: refused before any network.
    code, _, err = cli("actual", "--batch-id", "msgbatch_x", "--batch", str(a), str(b))
    assert code == 2 and "give the one request file" in err


def test_a_fifo_as_request_file(cli, run, tmp_path):
    a, b, results = run
    fifo = tmp_path / "requests.fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(a.read_bytes()))
    writer.start()
    got, _ = doc(cli, *results, "--batch", fifo, b, "--group-by", "model")
    writer.join(10)
    # The same misses as from the regular file: the FIFO is read once, into a temporary copy.
    assert got["total"]["cold_start_misses"] == 3
    assert got["cold_start"]["request_files"] == [str(fifo), str(b)]


# Random runs against two fixed request files (three requests each, sharing a cached prefix):
# every group's misses add up to each file's and to the total, whatever the grouping.
IDS = ["ta-0", "ta-1", "ta-2", "tb-0", "tb-1", "tb-2", "zz-9"]
USE = st.sampled_from([(10_000, 0, 0), (0, 10_000, 0), (0, 0, 10_000), (0, 0, 0), (4_000, 0, 0)])
LINES = st.lists(st.tuples(st.sampled_from(IDS), USE), min_size=1, max_size=8)
KEY = st.sampled_from(["model", "file", "custom_id:^([a-z]+)-", "custom_id:-([0-9])"])


@pytest.fixture(scope="module")
def index_files(tmp_path_factory):
    d = tmp_path_factory.mktemp("requests")
    return (
        write(d / "a.jsonl", [req(f"ta-{i}") for i in range(3)]),
        write(d / "b.jsonl", [req(f"tb-{i}", "1h") for i in range(3)]),
    )


def _index(pricing, files) -> ColdIndex:
    index = ColdIndex(pricing, ON, batch=True)
    for path in files:
        planned = check(path, pricing, ON, claude_counter=lambda model, text: len(text.split()))
        index.add(str(path), planned, request_ids(path, planned.batch.requests.line))
    return index


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(files=st.lists(LINES, min_size=1, max_size=3), keys=st.lists(KEY, max_size=2))
def test_misses_add_up_over_groups_and_files(tmp_path_factory, pricing, index_files, files, keys):
    folder = tmp_path_factory.mktemp("runs")
    paths = [
        write(folder / f"{n}.jsonl", [res(i, *use) for i, use in lines])
        for n, lines in enumerate(files)
    ]
    index = _index(pricing, index_files)
    report = read_many(paths, pricing, ON, parse_keys(keys), cold=index)
    assert report.cold is not None
    cold = report.cold.cold
    for field, whole in (
        ("misses", cold.misses),
        ("miss_tokens", cold.tokens),
        ("miss_cost", cold.extra_cost),
    ):
        assert sum(getattr(g.totals, field) for g in report.groups) == whole
        assert sum(getattr(f.totals, field) for f in report.files) == whole
        assert getattr(report.total, field) == whole
        if len(keys) == 2:
            assert sum(getattr(g.totals, field) for g in report.subtotals) == whole
    succeeded = sum(len(lines) for lines in files)
    strangers = sum(1 for lines in files for i, _ in lines if i == "zz-9")
    assert (cold.matched, cold.unmatched) == (succeeded - strangers, strangers)
    answered = {i for lines in files for i, _ in lines if i != "zz-9"}
    assert report.cold.unanswered == 6 - len(answered)
    # A miss is never more than a write: each costs at most 10,000 x ($5 - $0.25) / 1e6.
    assert cold.extra_cost <= cold.misses * 10_000 * (WRITE_1H - READ) / MTOK


def test_the_index_refuses_an_id_in_two_files(pricing, index_files):
    index = _index(pricing, index_files)
    a = index_files[0]
    planned = check(a, pricing, ON, claude_counter=lambda model, text: len(text.split()))
    with pytest.raises(CodedError) as err:
        index.add("again.jsonl", planned, request_ids(a, planned.batch.requests.line))
    assert err.value.code == "batch_id_in_two_files"
    assert err.value.figures == {
        "custom_id": "ta-0",
        "first": str(a),
        "second": "again.jsonl",
    }
