"""The JSON contract: every command's JSON validates against the schema shipped for it, carries
schema_version 1, and `costcalc schema COMMAND` prints that schema."""

from __future__ import annotations

import importlib.util
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import jsonschema
import pytest

from costcalc.commands.schema import SCHEMA_COMMANDS
from costcalc.names import Scenario
from costcalc.present.json_encoder import to_json

REPO = Path(__file__).resolve().parent.parent
EX = REPO / "examples"
ON = ("--date", "2026-11-25")

CASES = {
    "estimate single": ("estimate", "--model", "opus-4.7", "--shared", "80k", "--requests", "10k"),
    "estimate budget": (
        "estimate",
        *("--model", "opus-4.7", "--shared", "80k", "--requests", "10k", "--budget", "150"),
    ),
    "estimate comparison": (
        "estimate",
        *("--model", "opus-4.7,sonnet-4.6,haiku-4.5", "--shared", "80k", "--unique", "2k"),
        *("--output", "500", "--requests", "10k"),
    ),
    "estimate from text": (
        "estimate",
        *("--model", "opus-4.7", "--shared-file", str(EX / "rubric.md")),
        *("--unique-dir", str(EX / "samples"), "--output", "300"),
    ),
    "sweep": (
        "sweep",
        *("--model", "opus-4.7", "--shared", "80k", "--requests", "10,10k", "--hit-rate", "0,0.5"),
    ),
    "plan": ("plan", str(EX / "plan.yaml"), "--budget", "100"),
    "models": ("models",),
    "tokens": ("tokens", str(EX / "rubric.md"), str(EX / "samples"), "--model", "opus-4.7"),
    "check": ("check", str(EX / "article_batch.jsonl"), "--output", "500", "--budget", "1"),
    "check two-level": ("check", str(EX / "two_level_cache.jsonl")),
    "actual": ("actual", str(EX / "article_results.jsonl")),
    "actual vs file": (
        "actual",
        *(str(EX / "article_results.jsonl"), "--batch", str(EX / "article_batch.jsonl")),
    ),
    "actual vs plan": (
        "actual",
        *(str(EX / "article_results.jsonl"), "--shared", "2000", "--output", "500"),
    ),
    "warmup": ("warmup", str(EX / "article_batch.jsonl")),
}


def _schema(command: str) -> dict:
    path = REPO / "costcalc" / "schemas" / f"{command}.schema.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _validator(command: str) -> jsonschema.Draft202012Validator:
    schema = _schema(command)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


@pytest.mark.parametrize("case", list(CASES))
def test_json_validates_against_its_schema(cli, case):
    argv = CASES[case]
    code, out, _ = cli(*argv, *ON, "--format", "json")
    assert code in (0, 1)  # 1: the budget cases are over budget
    doc = json.loads(out)
    assert doc["schema_version"] == 1
    errors = list(_validator(argv[0]).iter_errors(doc))
    assert not errors, [(list(e.absolute_path), e.message[:200]) for e in errors[:5]]


def test_every_json_command_has_a_case_and_a_schema():
    # reconcile needs the Admin API: tests/test_reconcile.py validates it against a fake one
    assert {argv[0] for argv in CASES.values()} | {"reconcile"} == set(SCHEMA_COMMANDS)


def test_schema_rejects_money_as_a_number_and_an_unknown_scenario(cli):
    _, out, _ = cli(*CASES["estimate single"], *ON, "--format", "json")
    doc = json.loads(out)
    validator = _validator("estimate")
    doc["scenarios"][0]["total_usd"] = 4000.0
    assert not validator.is_valid(doc)
    doc["scenarios"][0]["total_usd"] = "4000.00"
    doc["scenarios"][0]["name"] = "batch+cache"
    assert not validator.is_valid(doc)
    del doc["scenarios"][0]["name"]
    assert not validator.is_valid(doc)


def test_schema_accepts_notices_and_new_fields(cli):
    _, out, _ = cli(*CASES["check"], *ON, "--format", "json")
    doc = json.loads(out)
    notice = {
        "code": "over_batch_limit",
        "severity": "warning",
        "message": "text",
        "figures": {"requests": 200000},
        "lines": [3, 7],
    }
    doc["notices"] = [notice]
    doc["a_field_added_later"] = {"x": 1}
    validator = _validator("check")
    assert validator.is_valid(doc)
    doc["notices"] = [{**notice, "severity": "fatal"}]
    assert not validator.is_valid(doc)
    doc["notices"] = [{k: v for k, v in notice.items() if k != "figures"}]
    assert not validator.is_valid(doc)


def test_schema_holds_codes_where_json_once_held_phrases(cli):
    # check's token_counts is a code; actual's comparison.estimate is a kind and its figures.
    _, out, _ = cli(*CASES["check"], *ON, "--format", "json")
    doc = json.loads(out)
    validator = _validator("check")
    assert doc["token_counts"] == "estimate" and validator.is_valid(doc)
    doc["token_counts"] = "estimate (cl100k_base x ratio)"
    assert not validator.is_valid(doc)
    validator = _validator("actual")
    for case in ("actual vs file", "actual vs plan"):
        _, out, _ = cli(*CASES[case], *ON, "--format", "json")
        doc = json.loads(out)
        assert validator.is_valid(doc)
        doc["comparison"]["estimate"] = "examples/article_batch.jsonl as submitted"
        assert not validator.is_valid(doc)
    doc = json.loads(out)
    doc["comparison"]["estimate"]["kind"] = "request_file"  # a plan's figures, the wrong kind
    assert not validator.is_valid(doc)


def test_schema_command_prints_the_shipped_schema(cli):
    for command in SCHEMA_COMMANDS:
        code, out, err = cli("schema", command)
        assert (code, err) == (0, "")
        assert json.loads(out) == _schema(command)


@pytest.mark.parametrize("argv", [("schema",), ("schema", "frobnicate")])
def test_schema_without_a_known_command_is_exit_2_listing_them(cli, argv):
    code, out, err = cli(*argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert "estimate,sweep,plan,tokens,check,actual,models,warmup" in err


def test_shipped_schemas_are_current():
    spec = importlib.util.spec_from_file_location("build_schemas", REPO / ".ci/build_schemas.py")
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    for name, text in build.rendered().items():
        shipped = (REPO / "costcalc" / "schemas" / name).read_text(encoding="utf-8")
        assert shipped == text, f"run python .ci/build_schemas.py ({name} is stale)"


def test_to_json_encodes_decimals_enums_dates_paths_and_dataclasses():
    @dataclass
    class Point:
        usd: Decimal
        on: date

    doc = {
        "costcalc_version": "0.1.0",
        # 0.0200230 at full precision: plain() drops only trailing zeros, keeps two decimals.
        "money": Decimal("0.0200230"),
        "whole": Decimal("4000"),
        "scenario": Scenario.BATCH_CACHE,
        "on": date(2026, 11, 25),
        "file": Path("a/b.jsonl"),
        "point": Point(Decimal("200.23"), date(2026, 1, 2)),
    }
    text = to_json(doc)
    assert text.endswith("}\n")
    assert list(json.loads(text)) == ["costcalc_version", "schema_version", *list(doc)[1:]]
    assert json.loads(text) == {
        "costcalc_version": "0.1.0",
        "schema_version": 1,
        "money": "0.020023",
        "whole": "4000.00",
        "scenario": "batch_cache",
        "on": "2026-11-25",
        "file": "a/b.jsonl",
        "point": {"usd": "200.23", "on": "2026-01-02"},
    }
    assert json.loads(to_json({"x": 1})) == {"schema_version": 1, "x": 1}
    with pytest.raises(TypeError):
        to_json({"x": object()})


def test_check_json_with_unpriced_requests_and_problems_validates(cli, tmp_path):
    lines = (EX / "article_batch.jsonl").read_text(encoding="utf-8").splitlines()
    unknown = lines[0].replace("claude-opus-4-7", "claude-nope-9").replace("sample_0", "x9")
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join([*lines[:3], "not json", unknown]) + "\n", encoding="utf-8")
    code, out, _ = cli("check", str(path), *ON, "--budget", "1", "--format", "json")
    doc = json.loads(out)
    # One malformed line and one request for an unknown model: 2 unpriced, so the gate fails.
    assert code == 1
    assert doc["unpriced"] == {
        "count": 2,
        "reasons": {"malformed": 1, "unknown_model": 1},
        "fails_budget": True,
    }
    errors = list(_validator("check").iter_errors(doc))
    assert not errors, [(list(e.absolute_path), e.message[:200]) for e in errors[:5]]
