"""costcalc actual over many results files: per-file subtotals, --group-by, budget gates, CSV and
JSON. Every figure is worked out by hand below from the published prices (per million tokens):

  Opus 4.7    standard input $5, cache read $0.50, output $25; batch: half of each
  Haiku 4.5   standard input $1, 5m cache write $1.25, output $5; batch: half of each
  Sonnet 4.5  standard input $3, output $15; batch: half of each
  (https://platform.claude.com/docs/en/about-claude/pricing; batches cost half)

"At standard rates" is every input token (uncached, written or read) at the standard input rate
plus output at the standard output rate.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from costcalc.compute.grouping import parse_keys
from costcalc.compute.manyresults import read_many
from costcalc.errors import CodedError

DAY = "2026-11-24"


def ok(custom_id, model, tier="batch", **usage):
    usage.setdefault("input_tokens", 0)
    usage.setdefault("output_tokens", 0)
    usage["service_tier"] = tier
    return {
        "custom_id": custom_id,
        "result": {"type": "succeeded", "message": {"model": model, "usage": usage}},
    }


def write(path: Path, items) -> Path:
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


# search-1: 1,000 x $2.50 + 80,000 x $0.25 + 500 x $12.50 (per MTok) = 0.0025 + 0.02 + 0.00625
SEARCH_1 = D("0.0025") + D("0.02") + D("0.00625")  # 0.02875
SEARCH_1_STANDARD = D(81_000 * 5) / 10**6 + D(500 * 25) / 10**6  # 0.405 + 0.0125
# ads-1: 2,000 x $0.50 + 10,000 x $0.625 + 100 x $2.50 = 0.001 + 0.00625 + 0.00025
ADS_1 = D("0.001") + D("0.00625") + D("0.00025")  # 0.0075
ADS_1_STANDARD = D(12_000 * 1) / 10**6 + D(100 * 5) / 10**6  # 0.0125
# search-2, priced at standard (service_tier "standard"): 100 x $5 + 100 x $25
SEARCH_2 = D("0.0005") + D("0.0025")  # 0.003, the same at standard rates
# x9 (no team prefix): 1,000 x $1.50 + 1,000 x $7.50
X9 = D("0.0015") + D("0.0075")  # 0.009
X9_STANDARD = D("0.003") + D("0.015")


@pytest.fixture
def batches(tmp_path):
    d = tmp_path / "results dir"
    d.mkdir()
    a = write(
        d / "a.jsonl",
        [
            ok(
                "search-1",
                "claude-opus-4-7",
                input_tokens=1000,
                cache_read_input_tokens=80_000,
                output_tokens=500,
            ),
            ok(
                "ads-1",
                "claude-haiku-4-5",
                input_tokens=2000,
                cache_creation_input_tokens=10_000,
                cache_creation={
                    "ephemeral_5m_input_tokens": 10_000,
                    "ephemeral_1h_input_tokens": 0,
                },
                output_tokens=100,
            ),
            {"custom_id": "ads-2", "result": {"type": "errored", "error": {}}},
        ],
    )
    b = write(
        d / "b.jsonl",
        [
            ok("search-2", "claude-opus-4-7", "standard", input_tokens=100, output_tokens=100),
            ok("x9", "claude-sonnet-4-5", input_tokens=1000, output_tokens=1000),
        ],
    )
    return d, a, b


def doc(cli, *argv):
    code, out, err = cli("actual", *map(str, argv), "--date", DAY, "--format", "json")
    assert code in (0, 1), err
    return code, json.loads(out), err


def test_many_files_have_subtotals_and_one_total(cli, batches):
    _, a, b = batches
    code, d, _ = doc(cli, a, b)
    assert code == 0
    files = {f["file"]: f for f in d["files"]}
    assert D(files[str(a)]["total_usd"]) == SEARCH_1 + ADS_1 == D("0.03625")
    assert D(files[str(b)]["total_usd"]) == SEARCH_2 + X9 == D("0.012")
    assert files[str(a)]["results"]["errored"] == 1 and files[str(a)]["requests"] == 2
    assert D(d["total_usd"]) == D("0.04825")
    standard = SEARCH_1_STANDARD + ADS_1_STANDARD + SEARCH_2 + X9_STANDARD
    assert D(d["total"]["standard_usd"]) == standard
    assert D(d["total"]["saving_usd"]) == standard - D("0.04825")


def test_a_directory_a_glob_and_a_file_named_twice(cli, batches):
    d, a, _ = batches
    assert D(doc(cli, d)[1]["total_usd"]) == D("0.04825")
    # A pattern the shell left alone (quoted) is expanded here.
    assert D(doc(cli, d / "*.jsonl")[1]["total_usd"]) == D("0.04825")
    # The same file twice is one batch, not twice its cost.
    once = doc(cli, a, d / "a.jsonl", d / "b.jsonl")[1]
    assert len(once["files"]) == 2 and D(once["total_usd"]) == D("0.04825")


def test_group_by_a_custom_id_prefix(cli, batches):
    d, _, _ = batches
    _, doc_, _ = doc(cli, d, "--group-by", "custom_id:^([a-z]+)-")
    groups = {tuple(g["key"]): g for g in doc_["groups"]}
    assert D(groups[("search",)]["cost_usd"]) == SEARCH_1 + SEARCH_2
    assert D(groups[("ads",)]["cost_usd"]) == ADS_1
    assert D(groups[("(unmatched)",)]["cost_usd"]) == X9  # "x9" has no "-": counted apart
    assert groups[("(unmatched)",)]["requests"] == 1
    # search read 80,000 cached tokens and wrote none; ads wrote 10,000 and read none.
    assert D(groups[("search",)]["cache_hit_rate"]) == 1
    assert D(groups[("ads",)]["cache_hit_rate"]) == 0
    assert groups[("(unmatched)",)]["cache_hit_rate"] is None
    assert [g["key"] for g in doc_["groups"]] == [["search"], ["(unmatched)"], ["ads"]]


def test_two_levels_with_subtotals(cli, batches):
    d, _, _ = batches
    _, got, _ = doc(cli, d, "--group-by", "custom_id:^([a-z]+)-", "--group-by", "tier")
    groups = {tuple(g["key"]): D(g["cost_usd"]) for g in got["groups"]}
    assert groups == {
        ("search", "batch"): SEARCH_1,
        ("search", "standard"): SEARCH_2,
        ("ads", "batch"): ADS_1,
        ("(unmatched)", "batch"): X9,
    }
    subtotals = {tuple(g["key"]): D(g["cost_usd"]) for g in got["subtotals"]}
    assert subtotals[("search",)] == D("0.03175")


def test_group_by_model_and_file(cli, batches):
    d, a, b = batches
    _, got, _ = doc(cli, d, "--group-by", "model")
    by_model = {g["key"][0]: D(g["cost_usd"]) for g in got["groups"]}
    assert by_model["claude-opus-4-7"] == SEARCH_1 + SEARCH_2
    assert by_model["claude-haiku-4-5-20251001"] == ADS_1
    _, got, _ = doc(cli, d, "--group-by", "file")
    assert {g["key"][0]: D(g["cost_usd"]) for g in got["groups"]} == {
        str(a): D("0.03625"),
        str(b): D("0.012"),
    }


def test_group_by_tags(cli, batches, tmp_path):
    d, _, _ = batches
    tags = tmp_path / "teams.csv"
    tags.write_text("custom_id,tag\nsearch-1,Search\nsearch-2,Search\nx9,=HYPERLINK(1)\n")
    _, got, _ = doc(cli, d, "--group-by", f"tags:{tags}")
    groups = {g["key"][0]: D(g["cost_usd"]) for g in got["groups"]}
    assert groups == {"Search": D("0.03175"), "(untagged)": ADS_1, "=HYPERLINK(1)": X9}
    # The CSV makes the tag text, never a formula.
    code, out, _ = cli("actual", str(d), "--group-by", f"tags:{tags}", "--format", "csv")
    assert code == 0
    rows = out.splitlines()
    assert rows[0].startswith("group,subgroup,requests,unpriced_requests,input_tokens")
    assert any(r.startswith("'=HYPERLINK(1),,1,0,1000,") for r in rows)
    assert len(rows) == 4  # header + one row per group


def test_tags_file_errors(cli, batches, tmp_path):
    d, _, _ = batches
    both = tmp_path / "both.csv"
    both.write_text("a,x\na,y\n")
    code, _, err = cli("actual", str(d), "--group-by", f"tags:{both}")
    assert code == 2 and "tagged both 'x' and 'y'" in err
    wide = tmp_path / "wide.csv"
    wide.write_text("a,b,c\n")
    code, _, err = cli("actual", str(d), "--group-by", f"tags:{wide}")
    assert code == 2 and "line 1: expected two cells" in err
    code, _, err = cli("actual", str(d), "--group-by", f"tags:{tmp_path / 'none.csv'}")
    assert code == 2 and "no such file" in err


@pytest.mark.parametrize(
    ("spec", "says"),
    [
        ("custom_id:([", "not a regular expression"),
        ("custom_id:^[a-z]+-", "needs a capture group"),
        ("team", "is not a grouping"),
        ("model:x", "is not a grouping"),
    ],
)
def test_bad_group_keys_exit_2(cli, batches, spec, says):
    code, _, err = cli("actual", str(batches[0]), "--group-by", spec)
    assert code == 2 and says in err


def test_three_levels_and_missing_inputs_exit_2(cli, batches, tmp_path):
    d = str(batches[0])
    code, _, err = cli("actual", d, *["--group-by", "model"] * 3)
    assert code == 2 and "two levels" in err
    code, _, err = cli("actual", d, "--budget-per-group", "1")
    assert code == 2 and "needs --group-by" in err
    code, _, err = cli("actual", str(tmp_path / "*.nothing"))
    assert code == 2 and "matches no file" in err
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = cli("actual", str(empty))
    assert code == 2 and "no results files" in err
    # A results file given as the request file: the hint says which is which.
    code, _, err = cli("actual", d, "--batch", str(batches[1]))
    assert code == 2 and "is a results file" in err and "give the results files as RESULTS" in err
    # A plan in flags compares with one results file only.
    code, _, err = cli("actual", d, "--shared", "1000")
    assert code == 2 and "one results file" in err


def test_budget_on_the_real_bill(cli, batches):
    d, a, _ = batches
    code, got, err = doc(cli, d, "--budget", "0.05")
    assert code == 0 and got["budgets"][0]["passed"] and "within budget" in err
    code, got, err = doc(cli, d, "--budget", "0.04")
    # $0.04825 - $0.04 = $0.00825 exactly (JSON); the sentence shows all three amounts at four
    # decimals so that they subtract: $0.0483 - $0.0400 = $0.0083.
    assert code == 1 and "costs $0.0483, budget $0.0400, over by $0.0083" in err
    assert got["budgets"][0]["over_by_usd"] == "0.00825"
    # One file, read the usual way, is gated too.
    code, _, err = cli("actual", str(a), "--date", DAY, "--budget", "0.03")
    assert code == 1 and "over budget" in err
    code, _, _ = cli("actual", str(a), "--date", DAY, "--budget", "0.04", "--format", "csv")
    assert code == 0


def test_budget_per_group(cli, batches):
    d, _, _ = batches
    by_team = ("--group-by", "custom_id:^([a-z]+)-")
    code, got, err = doc(cli, d, *by_team, "--budget-per-group", "0.03")
    assert code == 1  # search: 0.03175
    failed = [g["label"] for g in got["budgets"] if not g["passed"]]
    assert failed == ["search"] and "group search" in err
    code, _, _ = doc(cli, d, *by_team, "--budget-per-group", "0.032")
    assert code == 0
    # Two levels: the gate is on the first level (the team), not on each team/tier pair.
    code, got, _ = doc(cli, d, *by_team, "--group-by", "tier", "--budget-per-group", "0.03")
    assert code == 1 and [g["label"] for g in got["budgets"]] == ["search", "(unmatched)", "ads"]


def test_an_unpriced_request_fails_every_gate_it_is_in(cli, tmp_path):
    # Haiku 4.5 has no fast-mode prices: the line is unpriced, never $0.
    f = write(
        tmp_path / "fast.jsonl",
        [
            ok("t-1", "claude-haiku-4-5", input_tokens=10, output_tokens=10, speed="fast"),
            ok("u-1", "claude-haiku-4-5", input_tokens=1000, output_tokens=0),
        ],
    )
    code, got, err = doc(cli, f, f, "--budget", "1000")
    assert code == 1 and "could not be priced" in err
    assert got["total"]["unpriced_requests"] == 1
    code, got, err = doc(cli, f, "--group-by", "custom_id:^(.)-", "--budget-per-group", "1000")
    assert code == 1
    assert {g["label"]: g["passed"] for g in got["budgets"]} == {"t": False, "u": True}
    code, _, err = cli("actual", str(f), "--date", DAY, "--budget", "1000")
    assert code == 1 and "could not be priced" in err


def test_table_shows_files_groups_and_escapes_names(cli, tmp_path):
    f = write(
        tmp_path / "r.jsonl",
        [ok("[red]x\x1b[2J-1", "claude-opus-4-7", input_tokens=1_000_000, output_tokens=0)],
    )
    code, out, _ = cli("actual", str(f), str(f), "--group-by", "custom_id:^(.*)-", "--date", DAY)
    assert code == 0
    assert "$2.50" in out  # 1M input tokens at the batch rate, $2.50/MTok
    assert "\x1b" not in out and "[red]x\\x1b[2J" in out


# Property: whatever the lines, models, tiers and ids, the groups add up to the files' totals.
USAGE = st.fixed_dictionaries(
    {
        "input_tokens": st.integers(0, 300_000),
        "output_tokens": st.integers(0, 64_000),
        "cache_read_input_tokens": st.integers(0, 200_000),
        "cache_creation": st.fixed_dictionaries(
            {
                "ephemeral_5m_input_tokens": st.integers(0, 100_000),
                "ephemeral_1h_input_tokens": st.integers(0, 100_000),
            }
        ),
        "service_tier": st.sampled_from(["batch", "standard", "priority"]),
        "inference_geo": st.sampled_from(["global", "us"]),
        "server_tool_use": st.fixed_dictionaries({"web_search_requests": st.integers(0, 3)}),
    }
)
LINE = st.tuples(
    st.sampled_from(["team-a", "team-b", "c", "", "dd-x"]),
    st.sampled_from(
        ["claude-opus-4-7", "claude-sonnet-4-5", "claude-haiku-4-5", "claude-sonnet-4-0"]
    ),
    USAGE,
    st.booleans(),  # fast mode
)
KEY = st.sampled_from(["model", "file", "tier", "custom_id:^([a-z]+)-"])


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.lists(st.lists(LINE, min_size=1, max_size=12), min_size=1, max_size=3),
    keys=st.lists(KEY, min_size=0, max_size=2),
)
def test_groups_add_up_to_the_file_totals_exactly(tmp_path_factory, pricing, files, keys):
    folder = tmp_path_factory.mktemp("many")
    paths = []
    for n, lines in enumerate(files):
        items = []
        for i, (prefix, model, usage, fast) in enumerate(lines):
            usage = dict(usage, speed="fast") if fast else usage
            items.append(ok(f"{prefix}{i}", model, **usage))
        paths.append(write(folder / f"{n}.jsonl", items))
    try:
        report = read_many(paths, pricing, date(2026, 11, 24), parse_keys(keys), budget=D(1))
    except CodedError as exc:
        # A file none of whose requests can be priced (all fast mode on models without fast
        # prices) is refused, as `actual` refuses it alone.
        assert exc.code == "nothing_priced_in_results"
        assume(False)
    groups = sum((g.totals.cost for g in report.groups), D(0))
    assert groups == report.total_usd == sum((f.total for f in report.files), D(0))
    assert sum(g.totals.requests for g in report.groups) == sum(
        f.counts["succeeded"] for f in report.files
    )
    for f in report.files:
        assert f.totals.cost == f.total
    # Every succeeded request's tokens are counted, priced or not (they are known).
    expected = {"input": 0, "cache_write_5m": 0, "cache_write_1h": 0, "cache_read": 0}
    expected["output"] = 0
    for lines in files:
        for _, _, usage, _ in lines:
            expected["input"] += usage["input_tokens"]
            expected["cache_write_5m"] += usage["cache_creation"]["ephemeral_5m_input_tokens"]
            expected["cache_write_1h"] += usage["cache_creation"]["ephemeral_1h_input_tokens"]
            expected["cache_read"] += usage["cache_read_input_tokens"]
            expected["output"] += usage["output_tokens"]
    assert report.total.tokens == expected
    for c in expected:
        assert sum(g.totals.tokens[c] for g in report.groups) == expected[c]
        assert sum(f.totals.tokens[c] for f in report.files) == expected[c]
    if len(keys) == 2:
        assert sum((g.totals.cost for g in report.subtotals), D(0)) == report.total_usd
    unpriced = report.total.unpriced
    assert report.gates[0].passed == (report.total_usd <= 1 and not unpriced)


def test_report_json_validates_against_the_actual_schema(cli, batches):
    import jsonschema

    code, schema_text, _ = cli("schema", "actual")
    assert code == 0
    schema = json.loads(schema_text)
    d, _, _ = batches
    _, got, _ = doc(cli, d, "--group-by", "model", "--group-by", "tier", "--budget", "1")
    jsonschema.Draft202012Validator(schema).validate(got)
    # The report is not mistaken for the one-file document, nor the other way round.
    one = json.loads(cli("actual", str(batches[1]), "--format", "json")[1])
    jsonschema.Draft202012Validator(schema).validate(one)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(schema).validate({**got, "report": "other"})


def test_csv_without_group_by_is_one_row_per_file(cli, batches):
    _, a, b = batches
    code, out, _ = cli("actual", str(a), str(b), "--format", "csv", "--date", DAY)
    assert code == 0
    header, *rows = out.splitlines()
    assert header.startswith("file,requests,unpriced_requests,errored,canceled,expired")
    # a: 2 succeeded, 1 errored; tokens 3,000 input, 10,000 5m writes, 80,000 reads, 600 out.
    cells = rows[0].split(",")
    assert cells[:12] == [
        str(a),
        "2",
        "0",
        "1",
        "0",
        "0",
        "0",
        "3000",
        "10000",
        "0",
        "80000",
        "600",
    ]
    standard = SEARCH_1_STANDARD + ADS_1_STANDARD
    assert cells[13] == "false"  # cost_is_lower_bound: every request priced at its rate
    assert [D(c) for c in cells[12:13] + cells[14:]] == [
        D("0.03625"),
        standard,
        standard - D("0.03625"),
        D("0.8889"),  # 80,000 read of 90,000 cached, to four places
    ]
    assert rows[1].startswith(f"{b},2,0,0,0,0,0,1100,0,0,0,1100,0.012,")


def test_xlsx_of_many_files_is_written(cli, batches, tmp_path):
    # The workbook itself is tested in tests/test_reportbook.py.
    d, _, _ = batches
    out = tmp_path / "r.xlsx"
    code, _, err = cli("actual", str(d), "--format", "xlsx", "--out", str(out))
    assert code == 0 and out.read_bytes().startswith(b"PK"), err


def test_a_fifo_and_standard_input_are_read_once(cli, batches, tmp_path):
    import os
    import threading

    _, a, b = batches
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(a.read_bytes()))
    writer.start()
    code, got, _ = doc(cli, fifo, b)
    writer.join()
    assert code == 0 and D(got["total_usd"]) == D("0.04825")
    # "-" named twice is one read of standard input (a real one: a subprocess).
    import subprocess
    import sys

    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "costcalc",
            "actual",
            "-",
            str(b),
            "-",
            "--format",
            "json",
            "--date",
            DAY,
        ],
        input=a.read_bytes(),
        capture_output=True,
        check=True,
    )
    got = json.loads(run.stdout)
    assert [f["file"] for f in got["files"]] == ["standard input", str(b)]
    assert D(got["total_usd"]) == D("0.04825")


def test_html_shows_control_characters_in_tags_as_escapes(cli, batches, tmp_path):
    # A tag with ESC ] 0 ; ... BEL (set the window title) and ESC [ 2 J (clear the screen):
    # html.escape leaves them in place, and `cat report.html` would run them in a terminal.
    d, _, _ = batches
    tags = tmp_path / "teams.csv"
    tags.write_text("search-1,team\x1b]0;PWNED\x07\x1b[2Jx\n")
    page = tmp_path / "r.html"
    code, _, _ = cli(
        "actual", str(d), "--group-by", f"tags:{tags}", "--format", "html", "--out", str(page)
    )
    text = page.read_text()
    assert code == 0
    assert "\x1b" not in text and "\x07" not in text
    assert "team\\x1b]0;PWNED\\x07\\x1b[2Jx" in text
