"""Helpers for workbook tests: read defined names, edit input cells, recalculate in LibreOffice.

LibreOffice does not recalculate an XLSX file on load by default (it trusts the stored
results); a private user profile sets the OOXML recalculation mode to "always", so the values
read back are LibreOffice's own. Each run gets its own profile, so parallel runs do not clash.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
SKIP_REASON = (
    "LibreOffice (soffice) is not installed: the workbook recalculation test needs it "
    "(apt-get install libreoffice-calc-nogui; .ci/run installs it)"
)

RECALC_ALWAYS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry"
 xmlns:xs="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
 <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def recalculate(files: list[Path], work: Path) -> dict[Path, Path]:
    """Open each workbook in headless LibreOffice, recalculate every formula and save it
    again as XLSX; return {input: recalculated copy}. One LibreOffice start for all files."""
    assert SOFFICE is not None
    profile = work / "lo-profile"
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALC_ALWAYS, encoding="utf-8")
    out = work / "recalculated"
    out.mkdir(exist_ok=True)
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xlsx",
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    made = {f: out / f.name for f in files}
    missing = [str(f) for f, m in made.items() if not m.exists()]
    assert not missing, f"LibreOffice wrote no copy of {missing}"
    return made


def name_cell(wb: openpyxl.Workbook, name: str):
    """The cell a workbook-scoped defined name points at."""
    ((sheet, ref),) = list(wb.defined_names[name].destinations)
    return wb[sheet][ref.replace("$", "")]


def edit_inputs(src: Path, dst: Path, **values: object) -> None:
    """Set input cells (by defined name) in a workbook and save it as `dst`."""
    wb = openpyxl.load_workbook(src)
    for name, value in values.items():
        name_cell(wb, name).value = value
    wb.save(dst)


def values(path: Path) -> openpyxl.Workbook:
    """The workbook with each formula's stored result in place of the formula."""
    return openpyxl.load_workbook(path, data_only=True)


def row_values(wb: openpyxl.Workbook, sheet: str, label: str) -> list:
    """The cells of the first row whose column A is `label`."""
    for row in wb[sheet].iter_rows(values_only=True):
        if row and row[0] == label:
            return list(row)
    raise KeyError(f"{sheet} has no row {label!r}")
