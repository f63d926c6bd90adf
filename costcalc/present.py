"""Choosing the presentation once: `present(result, fmt, out)` looks up the presenter registered
for the result's type and format and writes what it returns.

Presenters live in `render` (table, via rich) and `export` (CSV and JSON); they are named here
as "module:function" and imported only when used, so `estimate --format json` never imports
rich. A JSON presenter returns a document (a dict) and `export.to_json` encodes it; a CSV
presenter returns text; a table presenter returns a rich renderable.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

from . import outcomes

FORMATS = ("table", "csv", "json")

PRESENTERS: dict[type, dict[str, str]] = {
    outcomes.EstimateResult: {
        "table": "render:estimate_table",
        "csv": "export:estimate_csv",
        "json": "export:estimate_json",
    },
    outcomes.SweepResult: {
        "table": "render:sweep_table",
        "csv": "export:sweep_csv",
        "json": "export:sweep_json",
    },
    outcomes.PlanResult: {
        "table": "render:plan_table",
        "csv": "export:plan_csv",
        "json": "export:plan_json",
    },
    outcomes.TokensResult: {
        "table": "render:tokens_table",
        "csv": "export:tokens_csv",
        "json": "export:tokens_json",
    },
    outcomes.CheckResult: {
        "table": "render:check_table",
        "csv": "export:check_csv",
        "json": "export:check_json",
        "html": "htmlreport:check_html",
    },
    # actual's CSV streams one row per request while the file is read (export.ResultsCsv),
    # so it never becomes a result object.
    outcomes.ActualResult: {"table": "render:actual_table", "json": "export:actual_json"},
    outcomes.ReportResult: {
        "table": "reportview:report_table",
        "csv": "reportview:report_csv",
        "json": "reportview:report_json",
        "html": "htmlreport:report_html",
    },
    outcomes.ModelsResult: {
        "table": "render:models_table",
        "csv": "export:models_csv",
        "json": "export:models_json",
    },
    outcomes.WarmupResult: {"table": "render:warmup_table", "json": "export:warmup_json"},
}


def presenter(result_type: type, fmt: str) -> Any:
    """The function that presents `result_type` in `fmt` (KeyError when there is none)."""
    module, _, name = PRESENTERS[result_type][fmt].partition(":")
    return getattr(importlib.import_module(f"costcalc.{module}"), name)


def present(result: object, fmt: str, out: Path | None) -> None:
    made = presenter(type(result), fmt)(result)
    if fmt == "json":
        from .export import to_json

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
        from .outfile import write_text

        write_text(out, text)


def emit_rich(view: object, out: Path | None) -> None:
    from .render import make_console

    if out is None:
        console = make_console()
        # Piped: tables lay themselves out at full width rather than fold a money figure;
        # cropping them to the pipe's nominal width would cut it instead.
        console.print(view, crop=console.is_terminal)
        return
    import io

    from .outfile import write_text

    buf = io.StringIO()
    make_console(buf).print(view, crop=False)
    write_text(out, buf.getvalue())
