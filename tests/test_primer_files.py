"""The layers of the warm-up's files and of `actual`'s reading: read/ streams the request and
results files, compute/ turns items into requests and lines into a bill without touching a
file, present/primer_files writes the primer batch and the 1h copy, both or neither."""

from __future__ import annotations

import ast
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from costcalc.compute.actual import price_result_lines, read_results
from costcalc.compute.warmup import Primer, primer_requests, ttl_1h_requests
from costcalc.errors import CostcalcError
from costcalc.files.inmemory import InMemory
from costcalc.prices.load import load_pricing
from costcalc.present.primer_files import jsonl_line, write_primer_files
from costcalc.read.requestitems import request_ids, request_items
from costcalc.read.resultfile import result_stream
from costcalc.read.results import result_lines

ON = date(2026, 11, 25)
PRICING = load_pricing(None)
PACKAGE = Path(__file__).resolve().parent.parent / "costcalc"

SYSTEM = [{"type": "text", "text": "rubric", "cache_control": {"type": "ephemeral"}}]


def request(custom_id: str, text: str = "q") -> dict:
    return {
        "custom_id": custom_id,
        "params": {
            "model": "claude-opus-4-7",
            "max_tokens": 10,
            "system": [dict(b) for b in SYSTEM],
            "messages": [{"role": "user", "content": text}],
        },
    }


# read/requestitems: the items numbered as check numbers them, in each form the API takes -------


def test_items_of_each_form_are_numbered_as_check_numbers_them(tmp_path):
    reqs = [request("a"), request("b")]
    jsonl = tmp_path / "r.jsonl"
    # A blank line keeps its number: item numbers are line numbers in JSONL.
    jsonl.write_text(json.dumps(reqs[0]) + "\n\n" + json.dumps(reqs[1]) + "\n{oops\n")
    got = list(request_items(jsonl))
    assert [n for n, _ in got] == [1, 3, 4]
    assert [item for _, item in got[:2]] == reqs
    assert isinstance(got[2][1], ValueError)
    for name, body in (("a.json", reqs), ("b.json", {"requests": reqs})):
        path = tmp_path / name
        path.write_text(json.dumps(body, indent=2))
        assert list(request_items(path)) == [(1, reqs[0]), (2, reqs[1])]


def test_request_ids_map_each_custom_id_to_its_request_the_first_one_winning(tmp_path):
    path = tmp_path / "r.jsonl"
    lines = [request("a"), "not a request", request("b"), request("a")]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    # check kept lines 1, 3 and 4 as requests 0, 1 and 2; line 2 is not a request.
    assert request_ids(path, [1, 3, 4]) == {"a": 0, "b": 1}


def test_request_items_name_a_missing_file():
    with pytest.raises(CostcalcError, match="nowhere.jsonl"):
        list(request_items(Path("nowhere.jsonl")))


# compute/warmup: requests in, requests out (no file) --------------------------------------------


def test_primer_requests_are_cut_from_items_in_the_order_of_the_primers():
    items = [(1, request("a")), (2, request("b"))]
    # One primer on line 2's system block (one block kept): the entries list is not read
    # when a primer covers no shorter entry.
    chosen = [
        Primer(
            entry=0,
            covers=(),
            model="claude-opus-4-7",
            line=2,
            blocks=1,
            tokens=5000,
            cost=Decimal(0),
        )
    ]
    (got,) = primer_requests(items, chosen, [], "r.jsonl")
    assert got["custom_id"] == "warm-2-1"
    params = got["params"]
    assert params["system"] == [
        {"type": "text", "text": "rubric", "cache_control": {"type": "ephemeral", "ttl": "1h"}}
    ]
    # The cut ends after the system block: a user turn of one character is appended, and a
    # primer asks for one output token (max_tokens 0 is refused in batches).
    assert params["messages"] == [{"role": "user", "content": [{"type": "text", "text": "."}]}]
    assert params["max_tokens"] == 1
    assert items[1][1] == request("b")  # the item itself is not changed


def test_primer_requests_refuse_a_request_gone_since_check():
    chosen = [
        Primer(
            entry=0,
            covers=(),
            model="claude-opus-4-7",
            line=3,
            blocks=1,
            tokens=5000,
            cost=Decimal(0),
        )
    ]
    with pytest.raises(CostcalcError, match="r.jsonl") as exc:
        primer_requests([(1, request("a"))], chosen, [], "r.jsonl")
    assert exc.value.code == "changed_while_read"
    assert exc.value.figures["missing"] == "warm-3-1"


def test_ttl_1h_requests_put_every_breakpoint_at_1h_and_stop_at_a_non_request():
    auto = request("b")
    auto["params"]["cache_control"] = {"type": "ephemeral"}
    copied = list(ttl_1h_requests([(1, request("a")), (2, auto)], "r.jsonl"))
    one_hour = {"type": "ephemeral", "ttl": "1h"}
    assert [r["params"]["system"][0]["cache_control"] for r in copied] == [one_hour, one_hour]
    assert copied[1]["params"]["cache_control"] == one_hour
    for bad in (ValueError("Expecting value"), "a string", [1]):
        copy = ttl_1h_requests([(1, request("a")), (2, bad)], "r.jsonl")
        assert next(copy)["custom_id"] == "a"  # streamed: the first is out before the bad one
        with pytest.raises(CostcalcError) as exc:
            next(copy)
        assert (exc.value.code, exc.value.figures["item"]) == ("warmup_item_not_a_request", 2)


def test_compute_touches_no_file():
    """compute/warmup.py imports nothing that reads or writes a file (files/, the JSON
    streaming of read/); neither it nor compute/actual.py opens one: actual's lines come
    through read/resultfile, opened by the caller or by read_results' one call to it."""
    banned = ("costcalc.files", "costcalc.read.jsonstream", "costcalc.read.requestitems")
    for name in ("warmup.py", "actual.py"):
        tree = ast.parse((PACKAGE / "compute" / name).read_text(encoding="utf-8"))
        imported = {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        if name == "warmup.py":
            assert not [m for m in imported if m.startswith(banned)]
        called = {
            getattr(n.func, "id", None) or getattr(n.func, "attr", None)
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
        }
        assert not called & {"open", "open_binary", "open_lines", "atomic_file", "atomic_files"}


# present/primer_files: both files or neither ------------------------------------------------


def test_lines_are_compact_utf8_json_one_request_a_line(tmp_path):
    out = tmp_path / "primer.jsonl"
    reqs = [{"custom_id": "é", "params": {"a": [1, 2]}}, {"custom_id": "b", "params": {}}]
    assert write_primer_files(out, reqs, None, ()) == 2
    assert out.read_bytes() == (
        '{"custom_id":"é","params":{"a":[1,2]}}\n{"custom_id":"b","params":{}}\n'.encode()
    )
    assert jsonl_line(reqs[1]) == '{"custom_id":"b","params":{}}'


def test_without_out_only_the_copy_is_written_and_nothing_is_counted(tmp_path):
    copy = tmp_path / "ttl.jsonl"
    assert write_primer_files(None, [request("never")], copy, [request("a")]) is None
    assert copy.read_text() == jsonl_line(request("a")) + "\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ttl.jsonl"]


def test_an_error_in_the_copy_leaves_both_files_as_they_were(tmp_path):
    out, copy = tmp_path / "primer.jsonl", tmp_path / "ttl.jsonl"
    out.write_text("old primer\n")
    copy.write_text("old copy\n")

    def failing():
        yield request("a")
        raise CostcalcError("the second item is not a request")

    with pytest.raises(CostcalcError):
        write_primer_files(out, [request("p")], copy, failing())
    assert (out.read_text(), copy.read_text()) == ("old primer\n", "old copy\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["primer.jsonl", "ttl.jsonl"]


# read/resultfile + compute/actual: lines in, a bill out -----------------------------------------


def succeeded(custom_id: str, input_tokens: int, output_tokens: int) -> dict:
    usage = {"input_tokens": input_tokens, "output_tokens": output_tokens, "service_tier": "batch"}
    return {
        "custom_id": custom_id,
        "result": {"type": "succeeded", "message": {"model": "claude-opus-4-7", "usage": usage}},
    }


def test_priced_from_lines_in_memory_as_from_the_file(tmp_path):
    items = [succeeded("a", 1_000, 100), succeeded("b", 3_000, 300)]
    raw = [json.dumps(i).encode() + b"\n" for i in items]
    path = tmp_path / "results.jsonl"
    path.write_bytes(b"".join(raw))
    # Opus 4.7 in a batch: input $5/M and output $25/M, halved: 4,000 x $2.50/M = $0.01 and
    # 400 x $12.50/M = $0.005.
    expected = Decimal("0.01") + Decimal("0.005")
    from_lines = price_result_lines(result_lines(raw), path, PRICING, ON)
    assert from_lines.total == expected
    assert read_results(path, PRICING, ON).total == expected
    with result_stream(InMemory(items, "<results>")) as lines:
        in_memory = price_result_lines(lines, Path("<results>"), PRICING, ON)
    assert in_memory.total == expected and in_memory.succeeded == 2
