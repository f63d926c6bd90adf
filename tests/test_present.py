"""The output layer: one presenter per result type and format, chosen once in present()."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from costcalc.compute import outcomes
from costcalc.present.registry import PRESENTERS, presenter

REPO = Path(__file__).resolve().parent.parent


def test_every_result_type_has_a_table_and_json_presenter_that_exists():
    result_types = {
        t for t in vars(outcomes).values() if isinstance(t, type) and t.__name__.endswith("Result")
    }
    assert set(PRESENTERS) == result_types
    for result_type, formats in PRESENTERS.items():
        assert {"table", "json"} <= set(formats)
        for fmt in formats:
            assert callable(presenter(result_type, fmt))


def test_a_format_a_result_has_no_presenter_for_is_a_key_error():
    with pytest.raises(KeyError):
        presenter(outcomes.WarmupResult, "csv")


@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
def test_out_file_gets_what_stdout_would(cli, tmp_path, fmt):
    argv = ["estimate", "--model", "opus-4.7", "--shared", "80k", "--requests", "10k"]
    argv += ["--format", fmt, "--date", "2026-11-25"]
    target = tmp_path / f"out.{fmt}"
    code, out, _ = cli(*argv, "--out", str(target))
    assert (code, out) == (0, "")
    text = target.read_text(encoding="utf-8")
    assert "200.23" in text
    if fmt == "json":
        assert json.loads(text)["schema_version"] == 1


def test_estimate_json_imports_neither_rich_nor_jsonschema_nor_pydantic():
    code = (
        "import sys, io, contextlib\n"
        "from costcalc.cli.app import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['estimate', '--model', 'opus-4.7', '--shared', '80k', '--requests', '10k',"
        " '--format', 'json'])\n"
        "print(sorted(m for m in ('rich', 'jsonschema', 'pydantic') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
