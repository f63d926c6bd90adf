"""Workbooks without a spreadsheet program: what costcalc stores in them, the refusals, and
text that stays text. (tests/test_xlsx_libreoffice.py recalculates them in LibreOffice.)"""

from __future__ import annotations

import json
import sys
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest
from xlsx_support import name_cell, row_values

ON = "--date=2026-11-01"


def write(cli, tmp_path, *argv, name="book.xlsx"):
    out = tmp_path / name
    code, _, err = cli(*argv, ON, "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    return out


def test_cached_values_are_the_article_figures(cli, tmp_path):
    # 10,000 requests, 80,000 shared tokens on Opus 4.7 ($5 input, $6.25 write, $0.50 read):
    # standard 10,000 x 80,000 x $5 / 1M; batch half; batch + cache one write and 9,999 reads.
    out = write(cli, tmp_path, "estimate", "--model=opus-4.7", "--shared=80k", "--requests=10k")
    wb = openpyxl.load_workbook(out, data_only=True)
    assert name_cell(wb, "total_standard").value == 4000
    assert name_cell(wb, "total_batch").value == 2000
    write_usd = D(80_000) * D("6.25") / 2 / 10**6
    reads_usd = D(9_999 * 80_000) * D("0.5") / 2 / 10**6
    assert D(repr(name_cell(wb, "total_batch_cache").value)) == write_usd + reads_usd
    assert name_cell(wb, "requests").value == 10_000
    assert name_cell(wb, "cache_writes").value == 1
    formulas = openpyxl.load_workbook(out)
    assert formulas["Costs"]["J2"].value == "=SUM(F2:I2)"
    assert formulas["Costs"]["J2"].number_format == "$#,##0.00"
    assert formulas["Inputs"].freeze_panes == "A2"
    assert name_cell(formulas, "requests").number_format == "#,##0"


def test_prices_and_notes(cli, tmp_path):
    out = write(cli, tmp_path, "estimate", "--model=opus-4.7", "--shared=1000", "--requests=10")
    wb = openpyxl.load_workbook(out, data_only=True)
    prices = [r for r in wb["Prices"].iter_rows(values_only=True)]
    assert ("Price table checked", "2026-11-24") in [r[:2] for r in prices]
    assert any(r[0] == "Source" and str(r[1]).startswith("https://") for r in prices)
    notes = [r for r in wb["Notes"].iter_rows(values_only=True)]
    # 1,000 tokens is under Opus 4.7's minimum cacheable prefix: the warning, code and text.
    below = [r for r in notes if r[1] == "below_cache_minimum"]
    assert below and below[0][2] == "warning" and "1,000" in below[0][3]
    assert name_cell(wb, "caching_applies").value is False


def test_byte_stable(cli, tmp_path):
    argv = ("estimate", "--model=haiku-5.5", "--shared=120k", "--requests=3k", "--hit-rate=0.8")
    a = write(cli, tmp_path, *argv, name="a.xlsx").read_bytes()
    b = write(cli, tmp_path, *argv, name="b.xlsx").read_bytes()
    assert a == b


def test_text_from_files_is_never_a_formula(cli, tmp_path):
    hostile = '=HYPERLINK("http://x","y")'
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "jobs:\n"
        f"  - name: '{hostile}'\n    model: opus-4.7\n    requests: 10\n    shared: 5k\n"
        '  - name: "+1\\u0007bell"\n    model: opus-4.7\n    requests: 10\n',
        encoding="utf-8",
    )
    out = write(cli, tmp_path, "plan", str(plan))
    ws = openpyxl.load_workbook(out)["Jobs"]
    assert ws["A2"].value == hostile and ws["A2"].data_type == "s"
    assert ws["A3"].data_type == "s" and ws["A3"].value.startswith("+1")
    assert row_values(openpyxl.load_workbook(out, data_only=True), "Jobs", "TOTAL")


def test_fast_mode_and_measured_text(cli, tmp_path, pricing):
    rubric = tmp_path / "rubric.md"
    rubric.write_text("Review the code for correctness. " * 400, encoding="utf-8")
    out = write(
        cli,
        tmp_path,
        "estimate",
        "--model=opus-5.5",
        f"--shared-file={rubric}",
        "--requests=50",
        "--fast",
    )
    wb = openpyxl.load_workbook(out, data_only=True)
    names = set(wb.defined_names)
    assert {"total_standard", "total_cache"} <= names
    assert "total_batch" not in names and "batches" not in names
    assert name_cell(wb, "shared_tokens").value > 0
    # Opus 5.5 fast mode: $8 input, $10 5-minute write, $0.40 read (per MTok); no batches.
    shared = name_cell(wb, "shared_tokens").value
    assert shared >= 1024  # long enough to cache
    standard = D(50 * shared) * 8 / 10**6
    cache = (D(shared) * 10 + D(49 * shared) * D("0.40")) / 10**6
    assert D(repr(name_cell(wb, "total_standard").value)) == pytest.approx(standard)
    assert D(repr(name_cell(wb, "total_cache").value)) == pytest.approx(cache)


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ("estimate", "--model=opus-4.7,haiku-4.5", "--shared=1k", "--requests=5"),
            "one model's workbook",
        ),
        (("estimate", "--model=opus-4.7", "--requests=5"), None),
    ],
)
def test_refusals_write_nothing(cli, tmp_path, argv, message):
    out = tmp_path / "x.xlsx"
    if message is None:  # no --out: a workbook is binary
        code, stdout, err = cli(*argv, "--format", "xlsx")
        assert code == 2 and "--out FILE.xlsx" in err and stdout == ""
        return
    code, _, err = cli(*argv, "--format", "xlsx", "--out", str(out))
    assert code == 2 and message in err
    assert not out.exists()


def test_missing_xlsxwriter_names_the_install(cli, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)  # import fails as if not installed
    out = tmp_path / "x.xlsx"
    code, _, err = cli(
        "estimate", "--model=opus-4.7", "--requests=5", "--format=xlsx", "--out", str(out)
    )
    assert code == 2
    assert "pip install 'costcalc[xlsx]'" in err
    assert len(err.strip().splitlines()) == 1 and not out.exists()


def test_check_and_actual_workbooks_hold_the_json_figures(cli, tmp_path):
    examples = Path(__file__).resolve().parent.parent / "examples"
    batch, results = examples / "article_batch.jsonl", examples / "article_results.jsonl"
    for argv in (
        ("check", str(batch), "--output", "500"),
        ("actual", str(results), "--batch", str(batch)),
    ):
        code, doc, _ = cli(*argv, "--format", "json")
        assert code == 0
        doc = json.loads(doc)
        out = tmp_path / f"{argv[0]}.xlsx"
        code, _, err = cli(*argv, "--format", "xlsx", "--out", str(out))
        assert code == 0, err
        summary = {
            row[0]: row[1]
            for row in openpyxl.load_workbook(out)["Summary"].iter_rows(values_only=True)
        }
        if argv[0] == "check":
            best = doc["cost"]["best"]["batch_cache"]
            assert D(repr(summary["cost.best.batch_cache"])) == D(best)
            assert summary["cost.expected.hit_rate"] == 0.9
        else:
            assert D(repr(summary["total_usd"])) == D(doc["total_usd"])
            assert summary["results.succeeded"] == doc["results"]["succeeded"]


def test_check_workbook_keeps_hostile_ids_as_text(cli, tmp_path):
    batch = tmp_path / "batch.jsonl"
    request = {
        "custom_id": "=HYPERLINK(1)",
        "params": {
            "model": "claude-opus-4-7",
            "max_tokens": 100,
            "messages": [{"role": "user", "content": "hello"}],
        },
    }
    batch.write_text(json.dumps(request) + "\n", encoding="utf-8")
    out = tmp_path / "c.xlsx"
    code, _, err = cli("check", str(batch), "--format", "xlsx", "--out", str(out))
    assert code == 0, err
    wb = openpyxl.load_workbook(out)
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value]
    assert not any(c.data_type == "f" for c in cells)
