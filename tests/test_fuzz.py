"""Fuzzing the readers of untrusted input: only the CLI's own error (CostcalcError, or
ValueError from an argument parser, which argparse turns into exit 2) may escape."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costcalc.errors import CostcalcError
from costcalc.read.jsonstream import iter_array as _iter_array
from costcalc.read.jsonstream import iter_jsonl as _iter_jsonl
from costcalc.units import MAX_TOKENS, MAX_USD, parse_count, parse_usd

NUMBERISH = st.text(alphabet="0123456789,._-+$kKmMbBeE \t", max_size=16) | st.text(max_size=12)


@settings(max_examples=500)
@given(NUMBERISH)
def test_number_parsers_accept_or_say_why(text):
    for parse in (parse_count, parse_usd):
        try:
            value = parse(text)
        except ValueError as exc:
            assert str(exc)  # a message, one line
            assert "\n" not in str(exc)
            continue
        if parse is parse_count:
            assert isinstance(value, int) and 0 <= value <= MAX_TOKENS
        else:
            assert isinstance(value, Decimal) and 0 <= value <= MAX_USD


@given(st.integers(0, 10**9))
def test_counts_round_trip_in_every_accepted_spelling(n):
    assert parse_count(str(n)) == n
    assert parse_count(f"{n:,}") == n
    assert parse_count(f"{n:_}") == n


@given(st.integers(1, 999), st.integers(0, 99))
def test_misgrouped_thousands_are_refused(a, b):
    bad = f"{a},{b:02d}"  # two digits after the comma: never a thousands group
    for parse in (parse_count, parse_usd):
        try:
            parse(bad)
        except ValueError:
            continue
        raise AssertionError(f"{bad!r} accepted")


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(max_examples=200)
@given(st.lists(json_values, max_size=5), st.binary(max_size=40), st.integers(1, 64))
def test_array_reader_never_crashes(items, junk, chunk):
    for data in (
        json.dumps({"requests": items}).encode(),
        json.dumps(items).encode(),
        json.dumps(items).encode()[: len(junk)] + junk,
    ):
        bare = data.lstrip()[:1] == b"["
        try:
            got = list(_iter_array(io.BytesIO(data), [0], chunk=chunk, bare=bare))
        except CostcalcError:
            continue
        for _, size, _ in got:
            assert size >= 0


@settings(max_examples=200)
@given(st.lists(json_values | st.binary(max_size=20), max_size=6))
def test_jsonl_reader_never_crashes(lines):
    data = b"\n".join(
        line if isinstance(line, bytes) else json.dumps(line).encode() for line in lines
    )
    seen = [0]
    list(_iter_jsonl(io.BytesIO(data), seen))
    assert seen[0] == len(data)


usage_values = (
    st.none()
    | st.booleans()
    | st.integers(-5, 10**40)
    | st.floats(allow_nan=True)
    | st.text(max_size=4)
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.fixed_dictionaries(
            {"input_tokens": usage_values, "output_tokens": usage_values},
            optional={"cache_read_input_tokens": usage_values},
        ),
        min_size=1,
        max_size=4,
    )
)
def test_results_reader_prices_or_rejects(pricing, tmp_path_factory, usages):
    from costcalc.compute.actual import read_results

    path = tmp_path_factory.mktemp("r") / "results.jsonl"
    lines = [
        {
            "custom_id": f"r{i}",
            "result": {"type": "succeeded", "message": {"model": "opus-4.7", "usage": u}},
        }
        for i, u in enumerate(usages)
    ]
    path.write_text("".join(json.dumps(x) + "\n" for x in lines))
    valid = [
        u
        for u in usages
        if all(
            type(u.get(k)) is int and 0 <= u[k] <= 10**9 for k in ("input_tokens", "output_tokens")
        )
        and (
            u.get("cache_read_input_tokens") is None
            or (
                type(u["cache_read_input_tokens"]) is int
                and 0 <= u["cache_read_input_tokens"] <= 10**9
            )
        )
    ]
    try:
        report = read_results(path, pricing, date(2026, 11, 1))
    except CostcalcError:
        assert not valid  # only when nothing at all could be priced
        return
    assert report.counts["succeeded"] == len(valid)
    assert len(report.malformed) == len(usages) - len(valid)
    assert report.total >= 0


request_like = st.fixed_dictionaries(
    {},
    optional={
        "custom_id": st.text(max_size=8) | st.integers(),
        "params": st.fixed_dictionaries(
            {},
            optional={
                "model": st.sampled_from(["opus-4.7", "haiku-4.5", "nope", ""]) | json_values,
                "max_tokens": st.integers(-2, 10**6) | json_values,
                "messages": st.lists(
                    st.fixed_dictionaries(
                        {"role": st.sampled_from(["user", "assistant"])},
                        optional={"content": st.text(max_size=30) | json_values},
                    ),
                    max_size=3,
                )
                | json_values,
                "system": st.text(max_size=20) | json_values,
                "thinking": json_values,
                "stream": json_values,
            },
        )
        | json_values,
    },
)


@settings(max_examples=60, deadline=None)
@given(st.lists(request_like, max_size=4), st.sampled_from(["jsonl", "json", "array"]))
def test_check_on_random_request_files_exits_0_1_or_2(tmp_path_factory, items, form):
    import contextlib

    from costcalc.cli.app import main

    path = tmp_path_factory.mktemp("c") / "b.txt"
    if form == "jsonl":
        path.write_text("".join(json.dumps(i) + "\n" for i in items))
    else:
        path.write_text(json.dumps({"requests": items} if form == "json" else items))
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["check", str(path), "--strict", "--format", "json"])
    assert code in (0, 1, 2), err.getvalue()
    assert "internal error" not in err.getvalue()
