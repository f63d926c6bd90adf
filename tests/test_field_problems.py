"""pydantic's problems with plan and pricing files reach the user in costcalc's words (issue 20:
English in one place): costcalc.fieldproblems turns each pydantic error into a code and figures,
messages words them, and pydantic's own sentences ("Input should be ...", "Field required")
never reach stderr. Each expected line is written out by hand."""

from __future__ import annotations

import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from costcalc.errors import CodedError, CodedValueError
from costcalc.fieldproblems import _KINDS, field_problem
from costcalc.messages import errors_values
from costcalc.read.plans import load_plan

# pydantic's own wording: none of it may reach a user.
PYDANTIC = re.compile(
    r"Input should|Field required|should have|Extra inputs|Unexpected keyword|Value error|"
    r"valid (?:integer|decimal|string|boolean|date|list|dictionary)|instance of|PlanFile"
)

JOB = "jobs: [{name: a, model: opus-4.7, requests: 1, %s}]"

# plan file text -> the line after "FILE: " (old pydantic sentence in the comment)
PLANS = [
    # Decimal input should be an integer, float, string or Decimal object
    (JOB % "hit_rate: [1]", "jobs[0] (a): hit_rate: expected a number, got a list"),
    (JOB % "hit_rate: true", "jobs[0] (a): hit_rate: expected a number, got true"),
    # Input should be a valid decimal
    (JOB % "hit_rate: abc", "jobs[0] (a): hit_rate: expected a number, got 'abc'"),
    # Input should be less than or equal to 1
    (JOB % "hit_rate: 1.5", "jobs[0] (a): hit_rate: must be at most 1, got 1.5"),
    # Input should be greater than or equal to 0
    (JOB % "hit_rate: -0.5", "jobs[0] (a): hit_rate: must be at least 0, got -0.5"),
    # Input should be greater than 0
    (JOB % "bytes_per_token: 0", "jobs[0] (a): bytes_per_token: must be above 0, got 0"),
    # Decimal input should have no more than 10 decimal places
    (
        JOB % "hit_rate: 0.123456789012",
        "jobs[0] (a): hit_rate: takes at most 10 decimals (got 0.123456789012)",
    ),
    # Input should be a finite number
    (JOB % "hit_rate: .nan", "jobs[0] (a): hit_rate: must be a finite number, got NaN"),
    # Input should be '5m' or '1h'
    (JOB % "ttl: 2h", "jobs[0] (a): ttl: must be '5m' or '1h', got '2h'"),
    (JOB % "region: eu", "jobs[0] (a): region: must be 'global' or 'us', got 'eu'"),
    # Input should be a valid boolean
    (JOB % "fast: 'yes'", "jobs[0] (a): fast: expected true or false, got 'yes'"),
    # Input should be a valid integer
    (JOB % "cache_writes: [1]", "jobs[0] (a): cache_writes: expected a whole number, got a list"),
    # Input should be greater than or equal to 1
    ("jobs: [{name: a, model: opus-4.7, requests: 0}]", "jobs[0] (a): requests: must be at least 1, got 0"),
    # Field required
    ("jobs: [{name: a}]", "jobs[0] (a): model: required, but missing"),
    ("{}", "jobs: required, but missing"),
    # String should have at least 1 character
    ("jobs: [{name: '', model: m, requests: 1}]", "jobs[0]: name: must not be empty"),
    # Input should be a valid string
    ("jobs: [{name: a, model: null, requests: 1}]", "jobs[0] (a): model: expected text, got null"),
    # List should have at least 1 item after validation, not 0
    ("jobs: []", "jobs: must not be empty"),
    # Input should be a valid list
    ("jobs: {a: 1}", "jobs: expected a list, got a mapping"),
    # Input should be a valid dictionary or instance of Job
    ("jobs: [1]", "jobs[0]: expected a mapping (key: value), got 1"),
    # Input should be a valid dictionary or instance of PlanFile
    ("- 1", "expected a mapping (key: value), got a list"),
    ("", "expected a mapping (key: value), got null"),
    # costcalc's own validators: their lines as before
    (JOB % "hit_rate: 0.5, cache_writes: 1", "jobs[0] (a): give hit_rate or cache_writes, not both"),
    (
        "jobs: [{name: a, model: m, requests: ten}]",
        "jobs[0] (a): requests: 'ten' is not a number of requests (use e.g. 80000, 80,000, 80k "
        "or 1.5M)",
    ),
    # unknown keys keep their own line, with the known keys
    (JOB % "sharde: 5k", "jobs[0] (a): unknown key 'sharde' (known keys: name, model, requests, "
     "shared, unique, output, ttl, hit_rate, cache_writes, region, fast, bytes_per_token)"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "expected"), PLANS, ids=[t for t, _ in PLANS])
def test_a_plan_files_problem_is_worded_by_costcalc(tmp_path: Path, text: str, expected: str):
    plan = tmp_path / "bad.yaml"
    plan.write_text(text + "\n", encoding="utf-8")
    with pytest.raises(CodedError) as err:
        load_plan(plan)
    assert str(err.value) == f"{plan}: {expected}"
    assert not PYDANTIC.search(str(err.value))


def _pricing_with(tmp_path: Path, old: str, new: str) -> Path:
    source = Path(__file__).resolve().parent.parent / "pricing.yaml"
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "my-pricing.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # Input should be a valid decimal
        ("cache_read: 0.50", "cache_read: O.5O", "expected a number, got 'O.5O'"),
        # Input should be greater than 0
        ("cache_read: 0.50", "cache_read: 0", "must be above 0, got 0"),
        # Decimal input should be an integer, float, string or Decimal object
        ("cache_read: 0.50", "cache_read: [1]", "expected a number, got a list"),
        # Input should be a finite number
        ("cache_read: 0.50", "cache_read: .inf", "must be a finite number, got Infinity"),
    ],
)
def test_a_pricing_files_problem_is_worded_by_costcalc(tmp_path, old, new, expected):
    """Through the command line: the whole stderr line, exit status 2."""
    path = _pricing_with(tmp_path, old, new)
    run = subprocess.run(
        [sys.executable, "-m", "costcalc", "estimate", "--model", "opus-4.7", "--requests", "10"]
        + ["--pricing", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 2 and run.stdout == ""
    line = run.stderr.strip()
    assert line.startswith(f"costcalc estimate: error: {path}: models.")
    assert f".prices.cache_read: {expected}" in line, line
    assert not PYDANTIC.search(line) and "\n" not in line


def test_an_unknown_pydantic_type_names_the_value():
    """A type costcalc does not map still gets a coded problem that shows the value."""
    problem, figures = field_problem({"type": "url_scheme", "loc": ("x",), "input": "ftp://a"})
    assert (problem, figures) == ("invalid", {"value": "ftp://a"})
    detail = {"problem": problem, "detail": figures, "file": "p.yaml", "loc": "x", "more": 0}
    assert errors_values.ERRORS["pricing_invalid"](detail) == (
        "p.yaml: x: 'ftp://a' is not a valid value here"
    )


def test_a_plain_value_error_is_not_quoted():
    """A ValueError without a code (not costcalc's) is the generic problem, never its text."""
    error = {"type": "value_error", "input": 3, "ctx": {"error": ValueError("some english")}}
    assert field_problem(error) == ("invalid", {"value": 3})
    coded = {"type": "value_error", "input": 3, "ctx": {"error": CodedValueError("x", a=1)}}
    assert field_problem(coded) == ("coded", {"code": "x", "figures": {"a": 1}, "value": 3})


def test_a_coded_problem_with_an_unknown_code_is_still_a_line():
    detail = {"code": "nowhere", "figures": {}, "value": Decimal("1.5")}
    f = {"problem": "coded", "detail": detail, "file": "p.yaml", "loc": "a.b", "more": 1}
    assert errors_values.ERRORS["pricing_invalid"](f) == (
        "p.yaml: a.b: 1.5 is not a valid value here (and 1 more problem)"
    )


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("int_type", "int"),
        ("int_parsing", "int"),
        ("int_from_float", "int"),
        ("decimal_parsing", "number"),
        ("string_type", "text"),
        ("bool_parsing", "bool"),
        ("date_from_datetime_parsing", "date"),
        ("datetime_type", "date"),
        ("model_attributes_type", "mapping"),
        ("dataclass_exact_type", "mapping"),
        ("tuple_type", "list"),
    ],
)
def test_each_kind_of_type_error_has_words(kind, expected):
    problem, figures = field_problem({"type": kind, "input": None})
    assert problem == "wrong_kind" and figures["kind"] == expected
    assert errors_values._KIND_WORDS[expected]


def test_every_kind_and_problem_has_words():
    assert set(_KINDS.values()) <= set(errors_values._KIND_WORDS)
    source = (Path(__file__).resolve().parent.parent / "costcalc" / "fieldproblems.py").read_text()
    codes = set(re.findall(r'return "(\w+)"', source))
    assert codes - {"coded"} <= set(errors_values._FIELD_PROBLEMS)


def test_a_yaml_error_in_a_plan_is_not_a_pydantic_sentence(tmp_path):
    plan = tmp_path / "bad.yaml"
    plan.write_text(yaml.safe_dump({"jobs": [{"name": "a", "model": "m", "requests": [1, 2]}]}))
    with pytest.raises(CodedError) as err:
        load_plan(plan)
    assert str(err.value).endswith("requests: expected a whole number, got a list")
