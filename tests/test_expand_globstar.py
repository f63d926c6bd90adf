"""A quoted `**` glob matches files at any depth, the top folder included (as bash's
globstar does), so no results file silently drops out of the report.

Opus 4.7 at batch prices (half of $5 input and $25 output per million tokens,
https://platform.claude.com/docs/en/about-claude/pricing):
  1,000 input x $2.50/MTok + 1,000 output x $12.50/MTok = $0.0025 + $0.0125 = $0.015 a file
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

from costcalc.compute.manyresults import expand

DAY = "2026-11-24"
ONE = D(1000) * D("2.50") / 10**6 + D(1000) * D("12.50") / 10**6  # 0.015


def put(path: Path) -> None:
    usage = {"input_tokens": 1000, "output_tokens": 1000, "service_tier": "batch"}
    message = {"model": "claude-opus-4-7", "usage": usage}
    result = {"type": "succeeded", "message": message}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"custom_id": "r-1", "result": result}) + "\n", encoding="utf-8")


def test_double_star_reaches_every_depth(tmp_path):
    for rel in ("d/top.jsonl", "d/sub/deep.jsonl", "d/sub/more/deeper.jsonl"):
        put(tmp_path / rel)
    found = expand([tmp_path / "d" / "**" / "*.jsonl"])
    assert sorted(p.relative_to(tmp_path).as_posix() for p in found) == [
        "d/sub/deep.jsonl",
        "d/sub/more/deeper.jsonl",
        "d/top.jsonl",
    ]


def test_the_report_prices_the_top_level_file_too(cli, tmp_path):
    put(tmp_path / "d" / "top.jsonl")
    put(tmp_path / "d" / "sub" / "deep.jsonl")
    pattern = str(tmp_path / "d" / "**" / "*.jsonl")
    code, out, _ = cli("actual", pattern, "--date", DAY, "--format", "json")
    got = json.loads(out)
    assert code == 0 and len(got["files"]) == 2
    assert D(got["total_usd"]) == 2 * ONE
