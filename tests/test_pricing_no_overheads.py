"""A pricing file of the user's own without token_overheads: check cannot count a request (a
PDF page's tokens and the page limits live there), so it says so and exits 2, never 3 (a bug)
and never a price that guessed the missing numbers."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def test_check_without_token_overheads_is_bad_input(tmp_path: Path) -> None:
    data = yaml.safe_load((ROOT / "pricing.yaml").read_text(encoding="utf-8"))
    data.pop("token_overheads")
    pricing = tmp_path / "pricing.yaml"
    pricing.write_text(yaml.safe_dump(data), encoding="utf-8")
    request = {
        "custom_id": "a",
        "params": {
            "model": "claude-opus-4-7",
            "max_tokens": 10,
            "messages": [{"role": "user", "content": "hi"}],
        },
    }
    batch = tmp_path / "batch.jsonl"
    batch.write_text(json.dumps(request) + "\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "costcalc", "check", str(batch), "--pricing", str(pricing)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert done.stdout == ""
    assert done.stderr == (
        "costcalc check: error: the pricing file has no token_overheads.pdf_page (the tokens of "
        "a PDF page and the page limits), which counting a request needs; copy that section "
        "from the bundled pricing.yaml\n"
    )
