"""The workbook of `actual FILE... --group-by KEY --format xlsx`: per-file and per-group rows as
values, totals as live SUM formulas whose stored results are the hand-worked figures below, and
text from the files that stays text. tests/test_xlsx_libreoffice.py-style recalculation in
LibreOffice at the end (skipped only where soffice is absent).

Prices per million tokens (https://platform.claude.com/docs/en/about-claude/pricing):
  Opus 4.7   input $5, 5m cache write $6.25, cache read $0.50, output $25
  Haiku 4.5  input $1, 5m cache write $1.25, cache read $0.10, output $5
The Message Batches API charges 50% of every price
(https://platform.claude.com/docs/en/build-with-claude/batch-processing). "At standard rates":
every input token (uncached, written or read) at the input rate, output at the output rate.
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from test_report import KEY, LINE
from xlsx_support import SKIP_REASON, SOFFICE, name_cell, recalculate
from xlsx_support import values as read_values

DAY = "2026-11-24"
M = 10**6
TEAMS = "custom_id:^([a-z]+)-"

# red-1 (a, Opus, batch): 1,000 input + 80,000 cache read + 500 output, at half price
RED_1 = (D(1000) * 5 + D(80_000) * D("0.50") + D(500) * 25) / 2 / M  # 0.02875
RED_1_STD = (D(81_000) * 5 + D(500) * 25) / M  # 0.4175
# blue-1 (a, Haiku, batch): 2,000 input + 10,000 5m cache write + 100 output, half price
BLUE_1 = (D(2000) * 1 + D(10_000) * D("1.25") + D(100) * 5) / 2 / M  # 0.0075
BLUE_1_STD = (D(12_000) * 1 + D(100) * 5) / M  # 0.0125
# red-2 (b, Opus, service_tier standard): full price, the same at standard rates
RED_2 = (D(100) * 5 + D(100) * 25) / M  # 0.003
# blue-2 (b, Opus, batch): 4,000 input + 20,000 cache read + 1,000 output, half price
BLUE_2 = (D(4000) * 5 + D(20_000) * D("0.50") + D(1000) * 25) / 2 / M  # 0.0275
BLUE_2_STD = (D(24_000) * 5 + D(1000) * 25) / M  # 0.145
# red-3 (c, Haiku, batch): 3,000 input + 300 output, half price
RED_3 = (D(3000) * 1 + D(300) * 5) / 2 / M  # 0.00225
RED_3_STD = (D(3000) * 1 + D(300) * 5) / M  # 0.0045

RED = RED_1 + RED_2 + RED_3  # 0.034
BLUE = BLUE_1 + BLUE_2  # 0.035
RED_STD = RED_1_STD + RED_2 + RED_3_STD  # 0.425
BLUE_STD = BLUE_1_STD + BLUE_2_STD  # 0.1575
FILE_A, FILE_B, FILE_C = RED_1 + BLUE_1, RED_2 + BLUE_2, RED_3


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


OPUS, HAIKU = "claude-opus-4-7", "claude-haiku-4-5"
FIVE_MIN = {"ephemeral_5m_input_tokens": 10_000, "ephemeral_1h_input_tokens": 0}


@pytest.fixture
def teams(tmp_path):
    d = tmp_path / "month of batches"
    d.mkdir()
    a = write(
        d / "a.jsonl",
        [
            ok("red-1", OPUS, input_tokens=1000, cache_read_input_tokens=80_000, output_tokens=500),
            ok(
                "blue-1",
                HAIKU,
                input_tokens=2000,
                cache_creation_input_tokens=10_000,
                cache_creation=FIVE_MIN,
                output_tokens=100,
            ),
            {"custom_id": "red-9", "result": {"type": "errored", "error": {}}},
        ],
    )
    b = write(
        d / "b.jsonl",
        [
            ok("red-2", OPUS, "standard", input_tokens=100, output_tokens=100),
            ok(
                "blue-2",
                OPUS,
                input_tokens=4000,
                cache_read_input_tokens=20_000,
                output_tokens=1000,
            ),
        ],
    )
    c = write(d / "c.jsonl", [ok("red-3", HAIKU, input_tokens=3000, output_tokens=300)])
    return a, b, c


def book(cli, tmp_path, *argv, name="r.xlsx", code=0):
    out = tmp_path / name
    got, _, err = cli("actual", *map(str, argv), "--date", DAY, "--format=xlsx", f"--out={out}")
    assert got == code, err
    return out


def money(value) -> D:
    return D(repr(value))


def rows(wb, sheet):
    return [r for r in wb[sheet].iter_rows(values_only=True)]


def by_first(wb, sheet):
    return {r[0]: r for r in rows(wb, sheet)[1:]}


def test_groups_files_and_totals_hold_the_hand_worked_figures(cli, tmp_path, teams):
    out = book(cli, tmp_path, *teams, "--group-by", TEAMS)
    wb = openpyxl.load_workbook(out, data_only=True)
    head = rows(wb, "Groups")[0]
    assert head[:2] == (f"group ({TEAMS})", "Requests (succeeded)")
    groups = by_first(wb, "Groups")
    # One row per team, largest cost first: blue $0.035, red $0.034.
    assert list(groups) == ["blue", "red", "TOTAL"]
    cost, std, saving, hit = (head.index(h) for h in head[-5:-1])  # then the Note column
    assert (groups["red"][1], groups["blue"][1]) == (3, 2)
    assert money(groups["red"][cost]) == RED == D("0.034")
    assert money(groups["blue"][cost]) == BLUE == D("0.035")
    assert money(groups["red"][std]) == RED_STD
    assert money(groups["blue"][std]) == BLUE_STD
    assert money(groups["blue"][saving]) == BLUE_STD - BLUE
    # Tokens per class: blue read 20,000 and wrote 10,000; red read 80,000 and wrote none.
    tokens = {h: i for i, h in enumerate(head) if h.endswith(" tokens")}
    assert groups["blue"][tokens["cache_read tokens"]] == 20_000
    assert groups["blue"][tokens["cache_write_5m tokens"]] == 10_000
    assert groups["red"][tokens["input tokens"]] == 1000 + 100 + 3000
    assert groups["blue"][hit] == pytest.approx(20_000 / 30_000)
    assert groups["red"][hit] == 1
    assert money(groups["TOTAL"][cost]) == RED + BLUE == D("0.069")

    files = rows(wb, "Files")
    assert [Path(r[0]).name for r in files[1:4]] == ["a.jsonl", "b.jsonl", "c.jsonl"]
    fcost = files[0].index("Cost (USD)")
    assert [money(r[fcost]) for r in files[1:5]] == [FILE_A, FILE_B, FILE_C, RED + BLUE]
    assert [r[1] for r in files[1:5]] == [2, 2, 1, 5]  # succeeded requests; errored not

    assert money(name_cell(wb, "total_cost").value) == RED + BLUE
    assert money(name_cell(wb, "total_standard").value) == RED_STD + BLUE_STD
    assert money(name_cell(wb, "total_saving").value) == RED_STD + BLUE_STD - RED - BLUE
    summary = by_first(wb, "Summary")
    assert money(summary["Cost of the groups (USD), their sum"][1]) == D("0.069")
    assert summary["Requests (succeeded)"][1] == 5
    assert summary["Priced as of"][1] == DAY
    assert summary["Cache hit rate"][1] == pytest.approx(100_000 / 110_000)


def test_totals_are_live_sums_and_money_has_a_currency_format(cli, tmp_path, teams):
    out = book(cli, tmp_path, *teams, "--group-by", TEAMS)
    wb = openpyxl.load_workbook(out)
    files = wb["Files"]
    assert files["J5"].value == "=SUM($J$2:$J$4)"  # TOTAL row, cost column
    assert files["L2"].value == "=K2-J2"  # saving: standard - cost
    assert files["J2"].number_format.startswith("$#,##0.00")
    assert files["J2"].data_type == "n"
    assert name_cell(wb, "total_cost").value == "=SUM('Files'!$J$2:$J$4)"
    assert wb["Groups"]["K4"].value == "=SUM($K$2:$K$3)"
    assert wb["Files"].freeze_panes == "A2"


def test_two_levels_show_both_keys_and_subtotals(cli, tmp_path, teams):
    out = book(cli, tmp_path, *teams, "--group-by", TEAMS, "--group-by", "model")
    wb = openpyxl.load_workbook(out, data_only=True)
    groups = rows(wb, "Groups")
    assert groups[0][:2] == (f"group ({TEAMS})", "subgroup (model)")
    keys = [r[:2] for r in groups[1:-1]]
    # blue: Opus $0.0275 then Haiku $0.0075; red: Opus $0.03175 then Haiku $0.00225.
    assert keys == [
        ("blue", OPUS),
        ("blue", "claude-haiku-4-5-20251001"),
        ("red", OPUS),
        ("red", "claude-haiku-4-5-20251001"),
    ]
    assert money(groups[3][10]) == RED_1 + RED_2 == D("0.03175")
    sub = by_first(wb, "Subtotals")
    assert money(sub["red"][9]) == RED and money(sub["blue"][9]) == BLUE
    formulas = openpyxl.load_workbook(out)
    assert formulas["Subtotals"]["J2"].value == "=SUM('Groups'!$K$2:$K$3)"
    # The notes name each model priced, with its price table date and source.
    notes = [r for r in rows(wb, "Notes") if r[0] in ("opus-4.7", "haiku-4.5")]
    assert len(notes) == 2 and all(r[2] == DAY and r[3].startswith("https://") for r in notes)


def test_same_input_same_bytes(cli, tmp_path, teams):
    argv = (*teams, "--group-by", TEAMS, "--group-by", "file")
    a = book(cli, tmp_path, *argv, name="a.xlsx").read_bytes()
    b = book(cli, tmp_path, *argv, name="b.xlsx").read_bytes()
    assert a == b


HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "@x", "-2+3", "tab\there\x07bell\x1b[31m"]


def test_group_names_and_file_names_stay_text(cli, tmp_path):
    odd = tmp_path / "=1+1.jsonl"
    write(odd, [ok(f"{name}-{i}", HAIKU, input_tokens=10) for i, name in enumerate(HOSTILE)])
    out = book(cli, tmp_path, odd, odd, "--group-by", "custom_id:^(.*)-[0-9]+$")
    wb = openpyxl.load_workbook(out)
    names = [wb["Groups"].cell(row=r, column=1) for r in range(2, 2 + len(HOSTILE))]
    # Control characters are shown as escapes, as in the tables and the CSV.
    shown = [
        h.replace("\t", "\\x09").replace("\x07", "\\x07").replace("\x1b", "\\x1b") for h in HOSTILE
    ]
    assert sorted(c.value for c in names) == sorted(shown)
    assert all(c.data_type == "s" for c in names)
    assert wb["Files"]["A2"].value == str(odd) and wb["Files"]["A2"].data_type == "s"
    # Every formula in the workbook is costcalc's own: none holds text from the files.
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f":
                    assert not any(h in c.value for h in ("HYPERLINK", "bell", "@x", "1+1"))
    # Each request: 10 input tokens on Haiku at half of $1 per million.
    values = openpyxl.load_workbook(out, data_only=True)
    assert money(name_cell(values, "total_cost").value) == D(50) / 2 / M


def test_warnings_unpriced_and_budgets(cli, tmp_path, teams):
    a, b, _ = teams
    # red-5: 1,000 input tokens on Haiku at half price, $0.0005; red-4 cannot be priced.
    bad = write(
        tmp_path / "d.jsonl",
        [ok("red-4", "claude-opus-99", input_tokens=10), ok("red-5", HAIKU, input_tokens=1000)],
    )
    out = book(cli, tmp_path, a, b, bad, "--group-by", TEAMS, "--budget", "1", code=1)
    wb = openpyxl.load_workbook(out, data_only=True)
    warnings = rows(wb, "Warnings")
    assert warnings[0] == ("File", "Code", "Severity", "Message")
    assert any(r[0] == str(bad) and r[1] and r[3] for r in warnings[1:])
    summary = by_first(wb, "Summary")
    assert summary["Unpriced requests"][1] == 1
    gate = summary["total"]
    # Priced requests cost $0.02875 + $0.0075 + $0.003 + $0.0275 + $0.0005 = $0.06725, under
    # $1, but an unpriced request fails the gate.
    assert money(gate[1]) == 1 and money(gate[2]) == FILE_A + FILE_B + D(1000) / 2 / M
    assert gate[5] is True and gate[6] is False


def test_without_group_by_files_only(cli, tmp_path, teams):
    out = book(cli, tmp_path, *teams)
    wb = openpyxl.load_workbook(out, data_only=True)
    assert "Groups" not in wb.sheetnames
    assert wb.sheetnames == ["Summary", "Files", "Warnings", "Notes"]
    assert money(name_cell(wb, "total_cost").value) == FILE_A + FILE_B + FILE_C
    assert by_first(wb, "Summary")["Grouped by"][1] == "(not grouped)"


def test_no_succeeded_request_writes_zero_totals(cli, tmp_path):
    failed = write(tmp_path / "e.jsonl", [{"custom_id": "x-1", "result": {"type": "expired"}}])
    out = book(cli, tmp_path, failed, failed, "--group-by", TEAMS)
    wb = openpyxl.load_workbook(out, data_only=True)
    assert name_cell(wb, "total_cost").value == 0
    assert [r[0] for r in rows(wb, "Groups")] == [f"group ({TEAMS})", "TOTAL"]
    assert rows(wb, "Groups")[1][10] == 0


def test_xlsx_still_needs_out(cli, teams):
    code, stdout, err = cli("actual", *map(str, teams), "--group-by", TEAMS, "--format=xlsx")
    assert code == 2 and "--out FILE.xlsx" in err and stdout == ""


@pytest.mark.skipif(SOFFICE is None, reason=SKIP_REASON)
def test_libreoffice_sums_equal_the_file_total(cli, tmp_path, teams):
    """LibreOffice recalculates every formula: each value equals the one costcalc stored, the
    SUM totals equal the files' total to the cent; a row edited to 0 leaves the total without
    it."""
    out = book(cli, tmp_path, *teams, "--group-by", TEAMS, "--group-by", "model")
    edited = tmp_path / "edited.xlsx"
    wb = openpyxl.load_workbook(out)
    wb["Files"]["J3"].value = 0  # file b's cost
    wb.save(edited)
    made = recalculate([out, edited], tmp_path)
    stored, recalc = read_values(out), read_values(made[out])
    checked = 0
    for ws in stored.worksheets:
        for row in ws.iter_rows():
            for c in row:
                other = recalc[ws.title][c.coordinate].value
                if isinstance(c.value, (int, float)) and not isinstance(c.value, bool):
                    assert abs(c.value - other) <= 1e-9 * max(1, abs(other)), c.coordinate
                elif c.value not in (None, ""):
                    assert c.value == other, (ws.title, c.coordinate)
                checked += 1
    assert checked > 200
    total = RED + BLUE
    cent = D("0.01")
    for name in ("total_cost",):
        assert abs(money(name_cell(recalc, name).value) - total) < cent
    groups_sum = by_first(recalc, "Summary")["Cost of the groups (USD), their sum"][1]
    assert abs(money(groups_sum) - total) < cent
    assert abs(money(by_first(recalc, "Groups")["TOTAL"][10]) - total) < cent
    assert abs(money(by_first(recalc, "Files")["TOTAL"][9]) - total) < cent
    after = read_values(made[edited])
    assert money(name_cell(after, "total_cost").value) == pytest.approx(FILE_A + FILE_C)


def test_without_a_date_or_price_table_and_too_many_rows(teams, pricing, monkeypatch, tmp_path):
    """A ReportResult built without the pricing date or table (the Python API may) still gets
    stable bytes; a grouping with more rows than a sheet holds is refused, never cut short."""
    from datetime import date

    from costcalc.compute.grouping import parse_keys
    from costcalc.compute.manyresults import read_many
    from costcalc.compute.outcomes import ReportResult
    from costcalc.errors import CodedError
    from costcalc.present import reportbook

    report = read_many(list(teams), pricing, date(2026, 11, 24), parse_keys([TEAMS]))
    made = reportbook.report_xlsx(ReportResult(report))
    assert made == reportbook.report_xlsx(ReportResult(report))
    (tmp_path / "x.xlsx").write_bytes(made)
    wb = openpyxl.load_workbook(tmp_path / "x.xlsx", data_only=True)
    assert by_first(wb, "Summary")["Priced as of"][1] == "2000-01-01"
    assert money(name_cell(wb, "total_cost").value) == RED + BLUE
    monkeypatch.setattr(reportbook, "MAX_ROWS", 3)  # a header, two groups, no room for TOTAL
    with pytest.raises(CodedError) as raised:
        reportbook.report_xlsx(ReportResult(report))
    assert raised.value.code == "xlsx_too_many_rows"


def test_runs_of_rows_become_ranges():
    from costcalc.present.reportbook import _runs

    assert list(_runs([1, 2, 4], 2)) == ["'Groups'!$C$2:$C$3", "'Groups'!$C$5"]
    assert list(_runs([7], 0)) == ["'Groups'!$A$8"]


def _sum_of(wb, sheet: str, formula: str) -> float:
    """A SUM formula of this workbook evaluated over its stored values (ranges in one column)."""
    import re

    assert formula.startswith("=SUM(") and formula.endswith(")")
    total = 0.0
    for ref in formula[5:-1].split(","):
        where, _, span = ref.rpartition("!")
        ws = wb[where.strip("'") or sheet]
        first, _, last = span.replace("$", "").partition(":")
        col, a = re.match(r"([A-Z]+)(\d+)", first).groups()
        b = re.match(r"[A-Z]+(\d+)", last or first).group(1)
        # SUM skips text cells (a group whose requests are all unpriced says "not priced").
        cells = (ws[f"{col}{n}"].value for n in range(int(a), int(b) + 1))
        total += sum(v for v in cells if isinstance(v, (int, float)))
    return total


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    files=st.lists(st.lists(LINE, min_size=1, max_size=8), min_size=1, max_size=3),
    keys=st.lists(KEY, min_size=0, max_size=2),
)
def test_every_sum_covers_exactly_the_rows_of_its_total(tmp_path_factory, pricing, files, keys):
    """On random files and groupings: each SUM, evaluated over the stored row values, equals
    the total it stores, and the totals are the report's exact total."""
    from datetime import date

    from costcalc.compute.grouping import parse_keys
    from costcalc.compute.manyresults import read_many
    from costcalc.compute.outcomes import ReportResult
    from costcalc.errors import CodedError
    from costcalc.present.reportbook import report_xlsx

    folder = tmp_path_factory.mktemp("many")
    paths = []
    for n, lines in enumerate(files):
        items = []
        for i, (prefix, model, usage, fast) in enumerate(lines):
            usage = dict(usage, speed="fast") if fast else usage
            items.append(ok(f"{prefix}{i}", model, **usage))
        paths.append(write(folder / f"{n}.jsonl", items))
    on = date(2026, 11, 24)
    try:
        report = read_many(paths, pricing, on, parse_keys(keys))
    except CodedError as exc:
        assert exc.code == "nothing_priced_in_results"  # as test_report explains
        assume(False)
    out = folder / "r.xlsx"
    out.write_bytes(report_xlsx(ReportResult(report, on, pricing)))
    formulas, stored = openpyxl.load_workbook(out), read_values(out)
    sums = 0
    for ws in formulas.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if c.data_type == "f" and c.value.startswith("=SUM("):
                    want = stored[ws.title][c.coordinate].value
                    got = _sum_of(stored, ws.title, c.value)
                    assert abs(got - want) <= 1e-9 * max(1, abs(want)), (ws.title, c.coordinate)
                    sums += 1
    assert sums >= 2 * 10
    exact = float(report.total_usd)
    assert name_cell(stored, "total_cost").value == exact
    if keys:
        assert by_first(stored, "Groups")["TOTAL"][len(keys) + 8] == exact
