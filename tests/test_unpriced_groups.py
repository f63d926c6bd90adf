"""A group of unpriced requests shows its tokens (they are known) and no cost (never $0); a
group with some unpriced requests shows what its priced ones cost, marked as a lower bound.

Figures by hand, Opus 4.7 at batch prices (half of $5 input and $25 output per million tokens,
https://platform.claude.com/docs/en/about-claude/pricing ;
https://platform.claude.com/docs/en/build-with-claude/batch-processing):
  1,000 input x $2.50/MTok + 1,000 output x $12.50/MTok = $0.0025 + $0.0125 = $0.015
  at standard rates: 1,000 x $5/MTok + 1,000 x $25/MTok = $0.005 + $0.025 = $0.03
"claude-opus-9-9" is in no price table: its line is unpriced.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal as D
from pathlib import Path

DAY = "2026-11-24"
PRICED = D(1000) * D("2.50") / 10**6 + D(1000) * D("12.50") / 10**6  # 0.015
PRICED_STANDARD = D(1000) * 5 / D(10**6) + D(1000) * 25 / D(10**6)  # 0.03


def line(custom_id: str, model: str) -> str:
    usage = {"input_tokens": 1000, "output_tokens": 1000, "service_tier": "batch"}
    message = {"model": model, "usage": usage}
    return json.dumps({"custom_id": custom_id, "result": {"type": "succeeded", "message": message}})


def results(tmp_path: Path) -> Path:
    path = tmp_path / "r.jsonl"
    rows = [
        line("teama-1", "claude-opus-4-7"),
        line("teamb-1", "claude-opus-4-7"),
        line("teamb-2", "claude-opus-9-9"),
        line("teamc-1", "claude-opus-9-9"),
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def run(cli, path: Path, *more: str):
    return cli("actual", str(path), "--date", DAY, "--group-by", "custom_id:^([a-z]+)-", *more)


def test_json_tokens_counted_cost_null_or_lower_bound(cli, tmp_path):
    code, out, _ = run(cli, results(tmp_path), "--format", "json")
    got = json.loads(out)
    groups = {g["key"][0]: g for g in got["groups"]}
    assert code == 0
    c = groups["teamc"]  # only the unpriced line
    assert (c["requests"], c["unpriced_requests"]) == (1, 1)
    assert c["tokens"]["input"] == 1000 and c["tokens"]["output"] == 1000
    assert c["cost_usd"] is None and c["standard_usd"] is None and c["saving_usd"] is None
    assert set(c["cost_by_class_usd"].values()) == {None}
    assert c["cost_is_lower_bound"] is False
    b = groups["teamb"]  # one priced, one not
    assert D(b["cost_usd"]) == PRICED and D(b["standard_usd"]) == PRICED_STANDARD
    assert b["cost_is_lower_bound"] is True and b["tokens"]["input"] == 2000
    a = groups["teama"]
    assert D(a["cost_usd"]) == PRICED and a["cost_is_lower_bound"] is False
    # The file: 4 lines of 1,000 input tokens each, two of them priced.
    assert got["files"][0]["tokens"]["input"] == 4000
    assert D(got["total_usd"]) == 2 * PRICED
    assert sum(g["tokens"]["output"] for g in got["groups"]) == got["total"]["tokens"]["output"]


def test_csv_leaves_the_unknown_cost_empty(cli, tmp_path):
    code, out, _ = run(cli, results(tmp_path), "--format", "csv")
    rows = {r["group"]: r for r in csv.DictReader(io.StringIO(out))}
    assert code == 0
    assert rows["teamc"]["cost_usd"] == rows["teamc"]["standard_usd"] == ""
    assert rows["teamc"]["saving_usd"] == "" and rows["teamc"]["input_tokens"] == "1000"
    assert D(rows["teamb"]["cost_usd"]) == PRICED


def test_table_says_unknown_and_marks_the_lower_bound(cli, tmp_path):
    code, out, _ = run(cli, results(tmp_path))
    rows = {ln.split()[0]: ln for ln in out.splitlines() if ln.strip().startswith("team")}
    assert code == 0
    assert "unknown" in rows["teamc"] and "$0" not in rows["teamc"]
    assert "$0.015+" in rows["teamb"] and "$0.03+" in rows["teamb"]
    assert "+" not in rows["teama"].replace("$0.015", "")
    assert "+: at least" in out


def test_html_says_not_priced(cli, tmp_path):
    page = tmp_path / "r.html"
    code, _, _ = run(cli, results(tmp_path), "--format", "html", "--out", str(page))
    text = page.read_text(encoding="utf-8")
    assert code == 0
    assert "not priced" in text and "at least $0.015" in text
