"""costcalc check --group-by: a request file's cost by team, model or tag, worked out by hand.

Counts are exact here: one Claude token per word (a `claude_counter`). Opus 4.7 per million
tokens (https://platform.claude.com/docs/en/about-claude/pricing): real time input $5, output
$25; batch (half): input $2.50, 5-minute cache write $3.125 (1.25x input), 1-hour write $5 (2x),
cache read $0.25 (0.1x), output $12.50. A prefix under 2,048 tokens is not cached on Opus 4.7.
In a batch's best case the first request with a prefix writes its cache entry and the later ones
read it, so the write is billed to the group of the request that made it.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal as D
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from costcalc.compute.check import check
from costcalc.compute.engine import USAGE_CLASSES
from costcalc.compute.grouping import parse_keys
from costcalc.read.tags import read_tags

ON = date(2026, 11, 25)
EPHEMERAL = {"type": "ephemeral"}
ONE_HOUR = {"type": "ephemeral", "ttl": "1h"}
M = D(10) ** 6


def words(n, tag="w"):
    return " ".join(f"{tag}{i % 7}" for i in range(n))


def per_word(model, text):
    return len(text.split())


def text(t, cc=None):
    return {"type": "text", "text": t, **({"cache_control": cc} if cc else {})}


def req(custom_id, system, user, max_tokens=200, model="claude-opus-4-7"):
    body = {
        "model": model,
        "max_tokens": max_tokens,
        "system": system,
        "messages": [{"role": "user", "content": user}],
    }
    return {"custom_id": custom_id, "params": body}


def write(tmp_path, requests, name="b.jsonl"):
    path = tmp_path / name
    path.write_text("".join(json.dumps(r) + "\n" for r in requests), encoding="utf-8")
    return path


def run(path, pricing, *specs, **kw):
    kw.setdefault("output", 100)
    return check(
        path, pricing, ON, claude_counter=per_word, group_by=parse_keys(specs, read_tags), **kw
    )


def by_key(report):
    return {g.key: g.totals for g in report.groups.groups}


SYSTEM = words(3_000, "s")  # 3,000 tokens: over Opus 4.7's 2,048-token minimum


def two_teams(tmp_path):
    # alpha-1 writes the shared system prompt; beta-1, beta-2 and alpha-2 read it. Each user
    # text (100 tokens, after the last breakpoint) is uncached input.
    ids = ["alpha-1", "beta-1", "beta-2", "alpha-2"]
    reqs = [
        req(i, [text(SYSTEM, EPHEMERAL)], [text(words(100, f"u{n}x"))]) for n, i in enumerate(ids)
    ]
    return write(tmp_path, reqs)


def test_the_write_is_billed_to_the_team_whose_request_made_it(tmp_path, pricing):
    r = run(two_teams(tmp_path), pricing, "custom_id:^([a-z]+)-", hit_rate=D("0.5"))
    g = by_key(r)
    alpha, beta = g[("alpha",)], g[("beta",)]
    assert alpha.requests == beta.requests == 2
    # alpha: one 5m write of 3,000 + one read of 3,000, 200 input, 200 output (100 each).
    assert alpha.tokens == {
        "input": 200,
        "cache_write_5m": 3_000,
        "cache_write_1h": 0,
        "cache_read": 3_000,
        "output": 200,
    }
    alpha_best = D(3_000) * D("3.125") / M + D(3_000) * D("0.25") / M + D(200) * D("2.50") / M
    alpha_best += D(200) * D("12.50") / M
    assert alpha_best == D("0.013125")
    assert alpha.cost == alpha_best
    # beta: two reads of 3,000, 200 input, 200 output.
    beta_best = D(6_000) * D("0.25") / M + D(200) * D("2.50") / M + D(200) * D("12.50") / M
    assert beta.cost == beta_best == D("0.0045")
    assert beta.tokens["cache_write_5m"] == 0 and beta.tokens["cache_read"] == 6_000
    # At standard rates (real time, no cache): 6,200 input x $5 + 200 output x $25 per group.
    standard = D(6_200) * 5 / M + D(200) * 25 / M
    assert alpha.standard == beta.standard == standard == D("0.036")
    assert alpha.saving == standard - alpha_best
    assert beta.saving == D("0.0315")
    # Hit rate: reads over reads + writes: alpha 3,000 / 6,000, beta 6,000 / 6,000.
    assert alpha.hit_rate == D("0.5") and beta.hit_rate == 1
    # Expected at 50% hits: half of each read becomes a 5m write, 3,000 x ($3.125 - $0.25).
    swap = D(3_000) * (D("3.125") - D("0.25")) / M
    assert alpha.expected == alpha_best + swap / 2 == D("0.0174375")
    assert beta.expected == beta_best + 2 * swap / 2 == D("0.013125")
    # Worst: every request writes the 3,000 at 5m, max_tokens (200) of output.
    per_request = D(3_000) * D("3.125") / M + D(100) * D("2.50") / M + D(200) * D("12.50") / M
    assert alpha.worst == beta.worst == 2 * per_request == D("0.02425")
    # The groups add up to the file, in every case.
    assert r.totals["batch_cache"] == alpha.cost + beta.cost == D("0.017625")
    assert r.expected == alpha.expected + beta.expected
    assert r.worst == alpha.worst + beta.worst
    assert r.totals["standard"] == D("0.072")
    # Largest best-case cost first.
    assert [x.key for x in r.groups.groups] == [("alpha",), ("beta",)]


def test_when_beta_comes_first_beta_pays_the_write(tmp_path, pricing):
    ids = ["beta-1", "alpha-1", "alpha-2", "beta-2"]
    reqs = [
        req(i, [text(SYSTEM, EPHEMERAL)], [text(words(100, f"u{n}x"))]) for n, i in enumerate(ids)
    ]
    g = by_key(run(write(tmp_path, reqs), pricing, "custom_id:^([a-z]+)-"))
    assert g[("beta",)].tokens["cache_write_5m"] == 3_000
    assert g[("alpha",)].tokens["cache_write_5m"] == 0
    assert g[("alpha",)].cost == D("0.0045")


def test_unmatched_ids_are_a_counted_group(tmp_path, pricing):
    reqs = [
        req("alpha-1", [text("short system")], [text("hi there")]),
        req("NoPrefix", [text("short system")], [text("hi")]),
        req(None, [text("short system")], [text("hi")]),
    ]
    r = run(write(tmp_path, reqs), pricing, "custom_id:^([a-z]+)-")
    g = by_key(r)
    assert g[("(unmatched)",)].requests == 2
    # NoPrefix: "short system" + "hi" = 3 input tokens, 100 output; the id-less one the same.
    assert g[("(unmatched)",)].cost == 2 * (D(3) * D("2.50") + 100 * D("12.50")) / M
    assert g[("(unmatched)",)].hit_rate is None


def test_tags_and_model_two_levels(tmp_path, pricing):
    reqs = [
        req("a", [text("one two")], [text("x")]),
        req("b", [text("one two")], [text("x")], model="claude-haiku-4-5"),
        req("c", [text("one two")], [text("x")]),
    ]
    tags = tmp_path / "tags.csv"
    tags.write_bytes(b"\xef\xbb\xbfcustom_id,tag\r\na,=HYPERLINK(1)\r\nb,=HYPERLINK(1)\r\n")
    r = run(write(tmp_path, reqs), pricing, f"tags:{tags}", "model")
    g = by_key(r)
    # Opus 4.7 a: 3 input x $2.50 + 100 output x $12.50; Haiku 4.5 b (batch: input $0.50,
    # output $2.50): 3 x $0.50 + 100 x $2.50; c is not in the tag file.
    assert g[("=HYPERLINK(1)", "claude-opus-4-7")].cost == (3 * D("2.50") + 100 * D("12.50")) / M
    haiku = g[("=HYPERLINK(1)", "claude-haiku-4-5-20251001")]
    assert haiku.cost == (3 * D("0.50") + 100 * D("2.50")) / M
    assert g[("(untagged)", "claude-opus-4-7")].requests == 1
    subs = {s.key: s.totals for s in r.groups.subtotals}
    assert subs[("=HYPERLINK(1)",)].requests == 2
    assert subs[("=HYPERLINK(1)",)].cost == (3 * D("3.00") + 100 * D("15.00")) / M


def test_file_and_tier_are_one_group(tmp_path, pricing):
    path = two_teams(tmp_path)
    r = run(path, pricing, "file", "tier")
    assert [x.key for x in r.groups.groups] == [(str(path), "batch")]
    assert r.groups.groups[0].totals.cost == r.totals["batch_cache"]


def test_rejected_requests_are_counted_not_billed(tmp_path, pricing):
    reqs = [
        req("alpha-1", [text("a b")], [text("x")]),
        req("beta-1", [text("a b")], [text("x")], max_tokens=10**9),
    ]
    g = by_key(run(write(tmp_path, reqs), pricing, "custom_id:^([a-z]+)-"))
    assert g[("beta",)].requests == 0 and g[("beta",)].rejected == 1
    assert g[("beta",)].cost == 0
    assert g[("alpha",)].requests == 1


# Random request files: a few system prompts (some over the minimum, some under), 5m and 1h
# breakpoints, two models, ids from three teams or none.
SYSTEMS = [words(2_100, "p"), words(2_500, "q"), words(50, "r"), words(4_000, "t")]
request = st.tuples(
    st.sampled_from(["alpha-", "beta-", "gamma-", "", "x"]),
    st.integers(0, len(SYSTEMS) - 1),
    st.sampled_from([None, EPHEMERAL, ONE_HOUR]),
    st.integers(0, 300),
    st.sampled_from(["claude-opus-4-7", "claude-haiku-4-5", "claude-sonnet-4-5"]),
    st.integers(1, 4_000),
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(request, min_size=0, max_size=12), st.sampled_from(["0", "0.37", "1"]))
def test_groups_add_up_to_the_file_exactly(tmp_path, pricing, spec, hit):
    reqs = [
        req(f"{team}{n}", [text(SYSTEMS[s], cc)], [text(words(k, f"u{n}"))], max_tokens, model)
        for n, (team, s, cc, k, model, max_tokens) in enumerate(spec)
    ]
    path = write(tmp_path, reqs)
    whole = check(path, pricing, ON, claude_counter=per_word, output=90, hit_rate=D(hit))
    for specs in (["custom_id:^([a-z]+)-"], ["model", "custom_id:^([a-z]+)-"]):
        r = run(path, pricing, *specs, hit_rate=D(hit), output=90)
        leaves = [g.totals for g in r.groups.groups]
        # Against the same file checked without grouping (its sums are not split by group).
        assert sum((t.cost for t in leaves), D(0)) == whole.totals["batch_cache"]
        assert sum((t.expected for t in leaves), D(0)) == whole.expected
        assert sum((t.worst for t in leaves), D(0)) == whole.worst
        assert sum((t.standard for t in leaves), D(0)) == whole.totals["standard"]
        assert sum(t.requests for t in leaves) == whole.priced_requests
        assert sum(t.rejected for t in leaves) == whole.rejected
        for c in USAGE_CLASSES:
            tokens, money = whole.best_lines.get(c, (0, D(0)))
            assert sum(t.tokens[c] for t in leaves) == tokens
            assert sum((t.class_cost[c] for t in leaves), D(0)) == money
        for s in r.groups.subtotals:
            inside = [g.totals for g in r.groups.groups if g.key[0] == s.key[0]]
            assert s.totals.cost == sum((t.cost for t in inside), D(0))
            assert s.totals.worst == sum((t.worst for t in inside), D(0))


def test_three_levels_and_a_pattern_without_a_group_are_refused():
    from costcalc.errors import CodedError

    with pytest.raises(CodedError) as e:
        parse_keys(["model", "file", "tier"])
    assert e.value.code == "group_by_too_many"
    with pytest.raises(CodedError) as e:
        parse_keys(["custom_id:^[a-z]+-"])
    assert e.value.code == "group_by_no_capture_group"


# The command line: gates, outputs and hostile input.

TEAM = "custom_id:^([a-z]+)-"


def cli_file(tmp_path):
    return str(two_teams(tmp_path))


def test_cli_json_validates_and_adds_up(cli, tmp_path):
    import jsonschema

    from costcalc.commands.schema import SCHEMA_COMMANDS  # noqa: F401  (the schemas ship)

    f = cli_file(tmp_path)
    argv = ("check", f, "--output", "100", "--date", "2026-11-25", "--group-by", TEAM)
    code, out, err = cli(*argv, "--group-by", "model", "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    schema_path = __import__("costcalc").__file__.replace(
        "__init__.py", "schemas/check.schema.json"
    )
    schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    assert doc["group_by"] == [TEAM, "model"]
    assert sum(D(g["cost_usd"]) for g in doc["groups"]) == D(doc["cost"]["best"]["batch_cache"])
    assert sum(D(g["worst_usd"]) for g in doc["groups"]) == D(doc["cost"]["worst"]["batch_cache"])
    assert [s["key"] for s in doc["subtotals"]] == [["alpha"], ["beta"]]
    # Without --group-by the JSON has none of these keys (additive).
    code, out, _ = cli(*argv[:-2], "--format", "json")
    assert "groups" not in json.loads(out)


def test_cli_budget_per_group_uses_the_budget_case(cli, tmp_path):
    # The command line counts with the offline estimate: the gate is tested against the
    # JSON's own per-group figures (their arithmetic is tested above with exact counts).
    f = cli_file(tmp_path)
    argv = ("check", f, "--output", "100", "--date", "2026-11-25", "--group-by", TEAM)
    _, out, _ = cli(*argv, "--format", "json")
    g = {x["key"][0]: x for x in json.loads(out)["groups"]}
    worst = max(D(x["worst_usd"]) for x in g.values())
    assert D(g["alpha"]["worst_usd"]) == D(g["beta"]["worst_usd"]) == worst
    code, _, err = cli(*argv, "--budget-per-group", str(worst))
    assert code == 0 and "within budget: 2 groups passed" in err
    code, _, err = cli(*argv, "--budget-per-group", str(worst - D("0.000001")))
    assert code == 1 and "group alpha (worst case)" in err and "group beta" in err
    # --against expected: alpha (who writes the cache) expects more than beta.
    alpha, beta = D(g["alpha"]["expected_usd"]), D(g["beta"]["expected_usd"])
    assert alpha > beta
    code, _, err = cli(*argv, "--budget-per-group", str(alpha), "--against", "expected")
    assert code == 0, err
    code, _, err = cli(*argv, "--budget-per-group", str(beta), "--against", "expected")
    assert code == 1 and "group alpha (expected case)" in err and "group beta" not in err
    # JSON names the gate with identifiers, never a phrase: the scenario, the case, the group.
    _, out, _ = cli(*argv, "--budget-per-group", str(beta), "--against", "expected", "--budget",
                    "1000", "--format", "json")  # fmt: skip
    doc = json.loads(out)
    assert (doc["budget"]["scenario"], doc["budget"]["case"]) == ("batch_cache", "expected")
    gates = {x["group"]: (x["scenario"], x["case"], x["passes"]) for x in doc["group_budgets"]}
    assert gates == {
        "alpha": ("batch_cache", "expected", False),
        "beta": ("batch_cache", "expected", True),
    }


def test_cli_unpriced_requests_fail_every_group_gate(cli, tmp_path):
    path = two_teams(tmp_path)
    with path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(req("alpha-9", "hi", "there", model="claude-nonexistent-1")) + "\n")
    argv = ("check", str(path), "--date", "2026-11-25", "--group-by", TEAM)
    code, _, err = cli(*argv, "--budget-per-group", "100")
    assert code == 1 and "could not be priced and may be in any group" in err
    code, _, err = cli(*argv, "--budget-per-group", "100", "--allow-unpriced")
    assert code == 0, err


def test_cli_csv_one_row_per_group_never_a_formula(cli, tmp_path):
    f = two_teams(tmp_path)
    tags = tmp_path / "tags.csv"
    tags.write_bytes(
        b"\xef\xbb\xbfcustom_id,tag\nalpha-1,=cmd|' /C calc'!A0\nalpha-1,=cmd|' /C calc'!A0\n"
        b"beta-1,@SUM(1)\n"
    )
    argv = ("check", str(f), "--date", "2026-11-25", "--group-by", f"tags:{tags}")
    code, out, err = cli(*argv, "--format", "csv")
    assert code == 0, err
    rows = out.splitlines()
    assert rows[0].startswith("group,subgroup,requests,rejected_requests,input_tokens")
    assert len(rows) == 4  # header and three groups: two tags and (untagged)
    cells = [r.split(",")[0] for r in rows[1:]]
    assert sorted(cells) == sorted(["(untagged)", "'=cmd|' /C calc'!A0", "'@SUM(1)"])
    code, out, err = cli(*argv)  # the table shows the tag as text
    assert code == 0 and "=cmd|'" in out and "(untagged)" in out


@pytest.mark.parametrize(
    ("args", "code_word"),
    [
        (["--group-by", "custom_id:^[a-z]+-"], "capture group"),
        (["--group-by", "custom_id:(["], "not a regular expression"),
        (["--group-by", "model", "--group-by", "file", "--group-by", "tier"], "at most 2"),
        (["--group-by", "team"], "is not a grouping"),
        (["--budget-per-group", "5"], "--budget-per-group needs --group-by"),
    ],
)
def test_cli_bad_groupings_exit_2_with_a_hint(cli, tmp_path, args, code_word):
    code, out, err = cli("check", cli_file(tmp_path), *args)
    assert code == 2 and out == ""
    assert code_word in err and len(err.strip().splitlines()) == 1


def test_cli_tags_tagged_twice_or_empty_exit_2(cli, tmp_path):
    f = cli_file(tmp_path)
    both = tmp_path / "both.csv"
    both.write_text("alpha-1,a\nalpha-1,b\n", encoding="utf-8")
    code, _, err = cli("check", f, "--group-by", f"tags:{both}")
    assert code == 2 and "alpha-1" in err
    empty = tmp_path / "empty.csv"
    empty.write_text("custom_id,tag\n", encoding="utf-8")
    code, _, err = cli("check", f, "--group-by", f"tags:{empty}")
    assert code == 2


def test_cli_empty_request_file_with_group_by(cli, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    code, _, err = cli("check", str(empty), "--group-by", "model")
    plain_code, _, plain_err = cli("check", str(empty))
    assert (code, err) == (plain_code, plain_err)  # the same answer as without --group-by


def test_cli_control_characters_in_a_group_name_are_inert_on_stderr(cli, tmp_path):
    reqs = [req("\x1b[31mred\x1b[0m-1", "a b", "x")]
    f = write(tmp_path, reqs)
    argv = ("check", str(f), "--group-by", "custom_id:^(.+)-", "--budget-per-group", "0")
    code, out, err = cli(*argv)
    assert code == 1 and "\x1b" not in err and "\x1b" not in out


def test_html_groups_are_escaped_and_drawn(cli, tmp_path):
    f = two_teams(tmp_path)
    tags = tmp_path / "tags.csv"
    tags.write_text(
        'alpha-1,"<script>alert(1)</script>"\nbeta-1,Beta & co\x1b[2J\x07\n', encoding="utf-8"
    )
    out = tmp_path / "page.html"
    argv = ("check", str(f), "--date", "2026-11-25", "--group-by", f"tags:{tags}")
    code, _, err = cli(*argv, "--format", "html", "--out", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "Beta &amp; co" in html and "\x1b" not in html and "\x07" not in html
    assert html.count("<svg") == 3  # the cases, the groups by token class, the hit rate
    assert html.count('<tr class="group">') == 3
    code, text, _ = cli(*argv, "--format", "json")
    doc = json.loads(text)
    found = re.findall(r'<tr class="group">.*?data-usd="([^"]+)"', html)
    assert sorted(map(D, found)) == sorted(D(g["cost_usd"]) for g in doc["groups"])
    assert sum(map(D, found)) == D(doc["cost"]["best"]["batch_cache"])


def test_html_groups_render_in_chromium(cli, tmp_path):
    from test_html_report import BROWSER, _console, _run

    if BROWSER is None:
        pytest.skip("no headless chromium (apt-get install chromium; .ci/run does)")
    f = two_teams(tmp_path)
    out = tmp_path / "page.html"
    argv = ("check", str(f), "--date", "2026-11-25", "--group-by", TEAM, "--group-by", "model")
    code, _, err = cli(*argv, "--format", "html", "--out", str(out))
    assert code == 0, err
    _, text, _ = cli(*argv, "--format", "json")
    doc = json.loads(text)
    run = _run("--dump-dom", out.as_uri(), cwd=tmp_path)
    assert run.returncode == 0, run.stderr[-2000:]
    assert _console(run.stderr) == []
    dom = run.stdout
    found = re.findall(r'<tr class="group">.*?data-usd="([^"]+)"', dom)
    assert [D(x) for x in found] == [D(g["cost_usd"]) for g in doc["groups"]]
    assert dom.count('<tr class="sub">') == 2 and dom.count("<svg") == 3


def test_html_many_groups_chart_the_largest_and_list_all_with_their_gates(cli, tmp_path):
    reqs = [req(f"g{n:02d}-1", "a b", words(n + 1)) for n in range(25)]
    f = write(tmp_path, reqs)
    out = tmp_path / "page.html"
    argv = ("check", str(f), "--group-by", "custom_id:^(g\\d+)-", "--budget-per-group", "1")
    code, _, err = cli(*argv, "--format", "html", "--out", str(out))
    assert code == 0, err
    html = out.read_text(encoding="utf-8")
    assert html.count('<tr class="group">') == 25 and "(5 others)" in html
    assert html.count('<li class="pass">') == 25


def test_xlsx_has_a_groups_sheet_with_the_json_figures(cli, tmp_path):
    # The check workbook holds its figures as values; with --group-by, one row per group, each
    # figure the JSON's (whose arithmetic the tests above work out by hand), money as numbers.
    openpyxl = pytest.importorskip("openpyxl")
    pytest.importorskip("xlsxwriter")
    out = tmp_path / "g.xlsx"
    argv = ("check", str(two_teams(tmp_path)), "--group-by", "custom_id:^([a-z]+)-")
    code, _, _ = cli(*argv, "--format", "xlsx", "--out", str(out))
    assert code == 0
    doc = json.loads(cli(*argv, "--format", "json")[1])
    sheet = openpyxl.load_workbook(out)["groups"]
    head, *rows = [list(r) for r in sheet.iter_rows(values_only=True) if any(r)]
    cells = {row[0]: dict(zip(head, row, strict=True)) for row in rows}
    assert sorted(cells) == ["alpha", "beta"]
    for group in doc["groups"]:
        row = cells[group["key"][0]]
        for name in ("cost_usd", "worst_usd", "standard_usd"):
            assert isinstance(row[name], (int, float))
            assert D(str(row[name])) == D(group[name])
        assert row["tokens.cache_read"] == group["tokens"]["cache_read"]
        cache_read = D(str(row["cost_by_class_usd.cache_read"]))
        assert cache_read == D(group["cost_by_class_usd"]["cache_read"])
