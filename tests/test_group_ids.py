"""--group-by custom_id:REGEX never runs the pattern on an id the API could not have made.

The Message Batches API takes a custom_id of 1 to 64 characters of a-z, A-Z, 0-9, _ and -
(https://docs.anthropic.com/en/api/creating-message-batches): a longer one is grouped as
(unmatched), counted in a notice, and its cost still lands in that group.

Figures by hand, Opus 4.7 at batch prices (half of $5 input and $25 output per million tokens,
https://platform.claude.com/docs/en/about-claude/pricing):
  1,000 input x $2.50/MTok + 1,000 output x $12.50/MTok = $0.0025 + $0.0125 = $0.015
"""

from __future__ import annotations

import json
from decimal import Decimal as D
from pathlib import Path

DAY = "2026-11-24"
ONE = D(1000) * D("2.50") / 10**6 + D(1000) * D("12.50") / 10**6  # 0.015


def line(custom_id: str) -> str:
    usage = {"input_tokens": 1000, "output_tokens": 1000, "service_tier": "batch"}
    message = {"model": "claude-opus-4-7", "usage": usage}
    return json.dumps({"custom_id": custom_id, "result": {"type": "succeeded", "message": message}})


def write(tmp_path: Path, ids: list[str]) -> Path:
    path = tmp_path / "r.jsonl"
    path.write_text("".join(line(i) + "\n" for i in ids), encoding="utf-8")
    return path


def test_an_id_over_64_characters_is_unmatched_and_counted(cli, tmp_path):
    # ^(a) matches every one of these ids; only the 64-character one is tried.
    path = write(tmp_path, ["a" * 64, "a" * 65, "a" * 100_000])
    code, out, err = cli(
        "actual", str(path), "--date", DAY, "--group-by", "custom_id:^(a)", "--format", "json"
    )
    got = json.loads(out)
    groups = {g["key"][0]: (g["requests"], D(g["cost_usd"])) for g in got["groups"]}
    assert code == 0
    assert groups == {"(unmatched)": (2, 2 * ONE), "a": (1, ONE)}
    (note,) = [n for n in got["notices"] if n["code"] == "custom_id_too_long"]
    assert note["figures"] == {"count": 2, "limit": 64}
    assert "2 succeeded results have a custom_id over 64 characters" in err


def test_no_notice_without_a_custom_id_key(cli, tmp_path):
    path = write(tmp_path, ["a" * 65])
    code, out, _ = cli(
        "actual", str(path), "--date", DAY, "--group-by", "model", "--format", "json"
    )
    assert code == 0
    assert not [n for n in json.loads(out)["notices"] if n["code"] == "custom_id_too_long"]
