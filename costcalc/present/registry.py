"""Choosing the presentation once: `present(result, fmt, out)` looks up the presenter registered
for the result's type and format and writes what it returns.

Presenters live in one module per command and format family: `<command>_table` (via rich) and
`<command>_data` (CSV and JSON); they are named here as "module:function" and imported only
when used, so `estimate --format json` never imports rich. A JSON presenter returns a document
(a dict) and `json_encoder.to_json` encodes it; a CSV
presenter returns text; a table presenter returns a rich renderable; an xlsx presenter
(`workbook`, `planbook`) returns the workbook's bytes, written to --out.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from costcalc.compute import outcomes

FORMATS = ("table", "csv", "json", "xlsx")

PRESENTERS: dict[type, dict[str, str]] = {
    outcomes.EstimateResult: {
        "table": "estimate_table:estimate_table",
        "csv": "estimate_data:estimate_csv",
        "json": "estimate_data:estimate_json",
        "xlsx": "workbook:estimate_xlsx",
    },
    outcomes.SweepResult: {
        "table": "sweep_table:sweep_table",
        "csv": "sweep_data:sweep_csv",
        "json": "sweep_data:sweep_json",
        "xlsx": "planbook:sweep_xlsx",
    },
    outcomes.PlanResult: {
        "table": "plan_table:plan_table",
        "csv": "plan_data:plan_csv",
        "json": "plan_data:plan_json",
        "xlsx": "planbook:plan_xlsx",
    },
    outcomes.TokensResult: {
        "table": "tokens_table:tokens_table",
        "csv": "tokens_data:tokens_csv",
        "json": "tokens_data:tokens_json",
    },
    outcomes.CheckResult: {
        "table": "check_table:check_table",
        "csv": "check_data:check_csv",
        "json": "check_data:check_json",
        "html": "htmlreport:check_html",
        "xlsx": "valuebook:check_xlsx",
    },
    # actual's CSV streams one row per request while the file is read (actual_data.ResultsCsv),
    # so it never becomes a result object.
    outcomes.ActualResult: {
        "table": "actual_table:actual_table",
        "json": "actual_data:actual_json",
        "xlsx": "valuebook:actual_xlsx",
    },
    outcomes.ReportResult: {
        "table": "reportview:report_table",
        "csv": "reportview:report_csv",
        "json": "reportview:report_json",
        "html": "htmlreport:report_html",
        "xlsx": "reportbook:report_xlsx",
    },
    outcomes.ModelsResult: {
        "table": "models_table:models_table",
        "csv": "models_data:models_csv",
        "json": "models_data:models_json",
    },
    outcomes.WarmupResult: {
        "table": "warmup_table:warmup_table",
        "json": "warmup_data:warmup_json",
    },
    outcomes.ReconcileResult: {
        "table": "reconcile:reconcile_table",
        "csv": "reconcile:reconcile_csv",
        "json": "reconcile:reconcile_json",
    },
}


def presenter(result_type: type, fmt: str) -> Any:
    """The function that presents `result_type` in `fmt` (KeyError when there is none)."""
    module, _, name = PRESENTERS[result_type][fmt].partition(":")
    return getattr(importlib.import_module(f"costcalc.present.{module}"), name)


def present(result: object, fmt: str, out: Path | None) -> None:
    made = presenter(type(result), fmt)(result)
    if fmt == "xlsx":
        from costcalc.files.outputs import write_bytes

        assert out is not None  # the CLI requires --out for a workbook
        write_bytes(out, made)
    elif fmt == "json":
        from costcalc.present.json_encoder import to_json

        emit(to_json(made), out)
    elif fmt in ("csv", "html"):
        emit(made, out)
    else:
        emit_rich(made, out)


def emit(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        sys.stdout.flush()
    else:
        from costcalc.files.outputs import write_text

        write_text(out, text)


def emit_rich(view: object, out: Path | None) -> None:
    from costcalc.present.console import make_console

    if out is None:
        console = make_console()
        if console.is_terminal:
            console.print(view)
            return
        # Piped: tables lay themselves out at full width rather than fold a money figure
        # (cropping them to the pipe's nominal width would cut it), and lose the padding
        # rich leaves at the end of each line.
        with console.capture() as captured:
            console.print(view, crop=False)
        sys.stdout.write(_strip_line_ends(captured.get()))
        sys.stdout.flush()
        return
    import io

    from costcalc.files.outputs import write_text

    buf = io.StringIO()
    make_console(buf).print(view, crop=False)
    write_text(out, _strip_line_ends(buf.getvalue()))


def _strip_line_ends(text: str) -> str:
    """Text without the trailing spaces a table pads every line with (they make diffs noisy
    and `grep 'x$'` miss)."""
    return "\n".join(line.rstrip(" ") for line in text.split("\n"))
