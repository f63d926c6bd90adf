"""--group-by tags:FILE.csv trims both cells (a custom_id has no spaces: 1 to 64 of a-z, A-Z,
0-9, _ and -, https://docs.anthropic.com/en/api/creating-message-batches), and says when the
tags file names none, or not all, of the results' custom_ids.

Figures by hand, Opus 4.7 at batch prices (half of $5 input and $25 output per million tokens,
https://platform.claude.com/docs/en/about-claude/pricing):
  1,000 input x $2.50/MTok + 1,000 output x $12.50/MTok = $0.0025 + $0.0125 = $0.015
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

from costcalc.read.tags import read_tags

DAY = "2026-11-24"
ONE = D(1000) * D("2.50") / 10**6 + D(1000) * D("12.50") / 10**6  # 0.015


def results(tmp_path: Path) -> Path:
    usage = {"input_tokens": 1000, "output_tokens": 1000, "service_tier": "batch"}
    message = {"model": "claude-opus-4-7", "usage": usage}
    lines = [
        json.dumps({"custom_id": i, "result": {"type": "succeeded", "message": message}})
        for i in ("teama-1", "teama-2", "teamb-1")
    ]
    path = tmp_path / "r.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def report(cli, tmp_path: Path, tags_text: str):
    tags = tmp_path / "tags.csv"
    tags.write_text(tags_text, encoding="utf-8")
    code, out, err = cli(
        "actual", str(results(tmp_path)), "--date", DAY, "--group-by", f"tags:{tags}",
        "--format", "json",
    )  # fmt: skip
    got = json.loads(out)
    groups = {g["key"][0]: (g["requests"], D(g["cost_usd"])) for g in got["groups"]}
    codes = {n["code"]: n["figures"] for n in got["notices"]}
    return code, groups, codes, err


def test_ids_are_trimmed(tmp_path):
    tags = tmp_path / "t.csv"
    tags.write_text(" teama-1 ,  x  \n\tteamb-1\t,y\n", encoding="utf-8")
    assert read_tags(tags) == {"teama-1": "x", "teamb-1": "y"}


def test_a_spaced_id_tags_its_request(cli, tmp_path):
    code, groups, codes, _ = report(cli, tmp_path, " teama-1 ,  x  \n teamb-1,y\n")
    assert code == 0
    assert groups == {"x": (1, ONE), "y": (1, ONE), "(untagged)": (1, ONE)}
    assert "tags_match_nothing" not in codes and "tags_ids_not_in_results" not in codes


def test_a_tags_file_that_matches_nothing_is_said(cli, tmp_path):
    code, groups, codes, err = report(cli, tmp_path, "other-1,x\nother-2,y\n")
    assert code == 0 and groups == {"(untagged)": (3, 3 * ONE)}
    assert codes["tags_match_nothing"]["rows"] == 2
    assert "none of its 2 rows names a custom_id of the results" in err


def test_tags_rows_not_in_any_results_file_are_counted(cli, tmp_path):
    code, _, codes, _ = report(cli, tmp_path, "teama-1,x\nteama-2,x\ngone-1,y\n")
    assert code == 0
    assert codes["tags_ids_not_in_results"] == {"file": str(tmp_path / "tags.csv"), "rows": 3,
                                                "unmatched": 1}  # fmt: skip
