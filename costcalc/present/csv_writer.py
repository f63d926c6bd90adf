"""The one CSV writer: RFC 4180 rows that spreadsheets read safely."""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from costcalc.safe import csv_cell


class CsvWriter:
    """RFC 4180 rows ending in "\n", for spreadsheets: a cell holding a comma, quote, CR or LF
    is quoted (the csv module leaves a lone CR unquoted when the line ends in "\n", and a CR
    splits the row in most readers), and a text cell that a spreadsheet would run as a formula
    is made text (safe.csv_cell). Numbers, including negative ones, are written as they are."""

    def __init__(self, file: Any) -> None:
        self._write = file.write

    @staticmethod
    def _cell(value: Any) -> str:
        if value is None:
            return ""
        text = str(csv_cell(value))
        if any(c in text for c in ',"\r\n'):
            return '"' + text.replace('"', '""') + '"'
        return text

    def writerow(self, row: Iterable[Any]) -> None:
        self._write(",".join(self._cell(v) for v in row) + "\n")

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> str:
    buf = io.StringIO()
    writer = CsvWriter(buf)
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()
