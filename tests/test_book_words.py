"""The planning workbooks' words come from messages/text_book: a sheet name is the same text in
the sheet's tab, in the defined names that point at it and in the notes that mention it, and
words inside a formula are quoted as a spreadsheet reads them."""

from __future__ import annotations

import openpyxl
from xlsx_support import name_cell

from costcalc.messages.text import text
from costcalc.present.valuebook import _sheet_name
from costcalc.present.workbook import _quoted

ON = "--date=2026-11-01"


def test_words_in_a_formula_are_quoted_with_doubled_quotes():
    assert _quoted("yes") == '"yes"'
    assert _quoted('say "no"') == '"say ""no"""'


def test_a_json_path_with_no_name_gets_the_table_word():
    used = {text("book.sheet_summary")}
    assert _sheet_name("", used) == text("book.sheet_table") == "table"
    assert _sheet_name("", used) == "table 2"


def test_estimate_workbook_names_its_sheets_and_checks_the_window(cli, tmp_path):
    out = tmp_path / "e.xlsx"
    argv = ("estimate", "--model=opus-4.7", "--shared=80k", "--requests=10k", ON)
    code, _, err = cli(*argv, "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[:2] == ["Inputs", "Prices"] and "Costs" in wb.sheetnames
    assert name_cell(wb, "requests").parent.title == text("book.sheet_inputs")
    fits = name_cell(wb, "fits_context_window")
    assert fits.value == '=IF(prompt_tokens>context_window,"NO: shorten the prompt","yes")'
    assert [c.value for c in wb["Costs"][1]][:2] == ["Scenario", "Input tokens"]


def test_sweep_inputs_notes_name_the_sweep_sheet(cli, tmp_path):
    out = tmp_path / "s.xlsx"
    argv = ("sweep", "--model=opus-4.7", "--requests=1000,2000", "--shared=80000", ON)
    code, _, err = cli(*argv, "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    notes = {row[0]: row[1:] for row in wb["Inputs"].iter_rows(values_only=True)}
    assert notes["requests"] == ("swept", "each row of the Sweep sheet holds its own value")
    assert notes["shared_tokens"][1] == "read by every row of the Sweep sheet"
    assert wb["Sweep"]["A1"].value == "swept requests"
