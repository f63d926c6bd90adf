"""Duplicate keys in YAML (plan files, --pricing) are an error naming both lines (exit 2),
never "the last one wins"."""

from __future__ import annotations

import json
from decimal import Decimal as D

import pytest

PLAN = "jobs:\n  - name: seed\n    model: opus-4.7\n    requests: 1000\n    unique: 1000\n"


def test_plan_duplicate_key_names_both_lines(cli, tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_text(PLAN + "    requests: 2000\n", encoding="utf-8")
    code, out, err = cli("plan", str(f))
    assert code == 2
    assert "'requests' is on line 4 and again on line 6" in err
    assert err.count("\n") == 1 and out == ""


def test_plan_duplicate_top_level_key(cli, tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_text(PLAN + PLAN, encoding="utf-8")
    code, _, err = cli("plan", str(f))
    assert code == 2
    assert "'jobs' is on line 1 and again on line 6" in err


def test_flow_mapping_duplicate_on_one_line(cli, tmp_path):
    f = tmp_path / "plan.yaml"
    f.write_text(
        "jobs:\n  - {name: a, model: opus-4.7, requests: 1, requests: 2}\n", encoding="utf-8"
    )
    code, _, err = cli("plan", str(f))
    assert code == 2
    assert "'requests' is on line 2 and again on line 2" in err


def test_pricing_second_model_entry_is_refused(cli, write_pricing):
    """The issue's case: a second claude-opus-4-7 entry at $8 input replaced the real one."""
    second = (
        "  claude-opus-4-7:\n"
        "    name: Claude Opus 4.7 (again)\n"
        "    prices: {input: 8, cache_write_5m: 10, cache_write_1h: 16, cache_read: 0.80,"
        " output: 40}\n"
    )

    def edit(text: str) -> str:
        first = text.index("\n  claude-opus-4-7:\n")
        return text[: first + 1] + second + text[first + 1 :]

    path = write_pricing(edit)
    first_line = path.read_text(encoding="utf-8").splitlines().index("  claude-opus-4-7:") + 1
    code, out, err = cli(
        "estimate",
        "--model",
        "opus-4.7",
        "--requests",
        "1",
        "--unique",
        "1m",
        "--pricing",
        str(path),
    )
    assert code == 2, out
    # The inserted entry comes first; the real one follows its 3 lines.
    assert f"'claude-opus-4-7' is on line {first_line} and again on line {first_line + 3}" in err
    assert err.count("\n") == 1


def test_pricing_without_duplicates_still_loads(cli, write_pricing):
    path = write_pricing()
    code, out, err = cli(
        "estimate",
        "--model",
        "opus-4.7",
        "--requests",
        "1",
        "--unique",
        "1m",
        "--pricing",
        str(path),
        "--format",
        "json",
    )
    assert code == 0, err
    standard = next(s for s in json.loads(out)["scenarios"] if s["name"] == "standard")
    assert D(standard["total_usd"]) == D(5)  # 1,000,000 input tokens x $5/MTok


@pytest.mark.parametrize("text", ["a: &x {b: 1}\nc:\n  <<: *x\n  b: 2\n"])
def test_merge_keys_may_be_overridden(text):
    import yaml

    from costcalc.prices.load import decimal_loader

    assert yaml.load(text, Loader=decimal_loader())["c"] == {"b": 2}
