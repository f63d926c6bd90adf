"""actual's table shows an average price per MTok rounded for reading; the JSON keeps it exact.

Opus 4.7 uncached input: $2.50/MTok in a batch, $5/MTok at standard rates (half price in a
batch; https://platform.claude.com/docs/en/about-claude/pricing). One batch line of 1,000
input tokens and one standard line of 100:
  cost 1,000 x 2.50 / 10^6 + 100 x 5 / 10^6 = 0.0025 + 0.0005 = $0.003 over 1,100 tokens
  average 0.003 x 10^6 / 1,100 = 3,000 / 1,100 = $2.727272... per MTok -> "$2.7273"
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

DAY = "2026-11-24"


def write(tmp_path: Path, tiers: list[tuple[str, int]]) -> Path:
    lines = []
    for n, (tier, tokens) in enumerate(tiers):
        usage = {"input_tokens": tokens, "output_tokens": 0, "service_tier": tier}
        message = {"model": "claude-opus-4-7", "usage": usage}
        result = {"type": "succeeded", "message": message}
        lines.append(json.dumps({"custom_id": f"r-{n}", "result": result}))
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def input_row(out: str) -> str:
    return next(line for line in out.splitlines() if "uncached input" in line)


def test_an_average_rate_is_rounded_in_the_table_and_exact_in_json(cli, tmp_path):
    path = write(tmp_path, [("batch", 1000), ("standard", 100)])
    code, out, _ = cli("actual", str(path), "--date", DAY)
    assert code == 0
    row = input_row(out)
    assert "$2.7273" in row and "2.72727" not in row
    code, out, _ = cli("actual", str(path), "--date", DAY, "--format", "json")
    (line,) = [x for x in json.loads(out)["lines"] if x["token_class"] == "input"]
    exact = D(3000) / D(1100)
    assert D(line["average_rate_per_mtok"]) == exact  # as many digits as Decimal gives


def test_a_published_rate_is_shown_as_published(cli, tmp_path):
    path = write(tmp_path, [("batch", 1000)])
    code, out, _ = cli("actual", str(path), "--date", DAY)
    assert code == 0 and "$2.50 " in input_row(out) + " "
