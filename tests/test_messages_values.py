"""English is written in one place (issue 20): the errors raised as ValueError (parsers of what
people type, the validators of pricing and plan files), the shared exceptions and the command
line's own stderr lines render from a code and figures in costcalc/messages, and no module
outside messages raises an exception with prose of its own."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pydantic
import pytest

from costcalc.errors import (
    CodedError,
    CodedValueError,
    CostcalcError,
    OutputError,
    UnknownModelError,
)
from costcalc.messages import errors_values, render_error
from costcalc.messages.usage import LINES, line

PACKAGE = Path(__file__).resolve().parent.parent / "costcalc"

# Each code with sample figures and the line costcalc printed for them before the move, written
# out in full (the old f-strings evaluated by hand).
RENDERED: dict[str, tuple[dict[str, object], str]] = {
    "stdout_unwritable": (
        {"reason": "No space left on device"},
        "cannot write standard output: No space left on device",
    ),
    "count_text_negative": (
        {"what": "tokens", "text": "-5"},
        "tokens cannot be negative (got '-5')",
    ),
    "count_text_not_number": (
        {"what": "requests", "text": "ten"},
        "'ten' is not a number of requests (use e.g. 80000, 80,000, 80k or 1.5M)",
    ),
    "count_text_has_decimals": (
        {"what": "tokens", "text": "80.000"},
        "'80.000' is not a whole number of tokens (a count has no decimals; for thousands "
        "write 80,000, 80_000 or 80k)",
    ),
    "count_text_not_whole": (
        {"what": "tokens", "text": "1.2345k"},
        "'1.2345k' is not a whole number of tokens",
    ),
    "count_text_too_large": (
        {"what": "requests", "text": "20b", "limit": 10**10},
        "'20b' is too large for a number of requests (at most 10,000,000,000)",
    ),
    "count_too_large": (
        {"what": "tokens", "value": 2_000_000_000, "limit": 10**9},
        "2,000,000,000 is too large for a number of tokens (at most 1,000,000,000)",
    ),
    "usd_negative": ({"text": "-$5"}, "a budget cannot be negative (got '-$5')"),
    "usd_not_number": (
        {"text": "1e3"},
        "'1e3' is not an amount in USD (use e.g. 250, 1,200 or 1200.50; no exponents)",
    ),
    "usd_too_large": (
        {"text": "9" * 17},
        f"'{'9' * 17}' is too large for an amount in USD (at most $1e15)",
    ),
    "usd_too_many_decimals": (
        {"text": "0.000000000001", "places": 10},
        "'0.000000000001' has too many decimals (at most 10)",
    ),
    "decimal_not_number": (
        {"text": "most", "kind": "hit_rate"},
        "'most' is not a hit rate (between 0 and 1, e.g. 0.9)",
    ),
    "decimal_out_of_range": (
        {"text": "1.5", "kind": "output_ratio"},
        "an output ratio must be between 0 and 1, e.g. 0.3, got 1.5",
    ),
    "decimal_too_precise": (
        {"text": "4.00000000001", "kind": "bytes_per_token"},
        "a number takes at most 10 decimals (got 4.00000000001)",
    ),
    "list_thousands_ambiguous": (
        {"text": "80,000"},
        "'80,000' is ambiguous here: commas separate values; write 80_000 or 80k",
    ),
    "list_empty_value": (
        {"text": "1k,,2k"},
        "'1k,,2k' has an empty value; separate values with commas",
    ),
    "models_empty_name": (
        {"text": "opus-4.7,"},
        "'opus-4.7,' has an empty model name; separate names with commas",
    ),
    "one_model_only": (
        {"option": "--model", "names": ["a", "b"]},
        "argument --model: one model only, got a, b",
    ),
    "not_a_date": ({"text": "yesterday"}, "'yesterday' is not a date (use YYYY-MM-DD)"),
    "cache_writes_zero": (
        {},
        "at least one request writes the cache before any reads it; use 1 or more",
    ),
    "api_value_not_number": ({"value": [1]}, "[1] is not a number"),
    "plan_count_not_whole": (
        {"value": True, "what": "requests"},
        "true is not a whole number of requests (write e.g. 80000, 80_000 or 80k)",
    ),
    "plan_hit_rate_and_writes": ({}, "give hit_rate or cache_writes, not both"),
    "plan_job_names_repeat": (
        {"name": "review"},
        "two jobs are named 'review'; job names must be unique",
    ),
    "price_is_float": ({}, "prices must be exact decimals (a str or Decimal), not floats"),
    "ratio_unordered": ({}, "need 0 < low <= central <= high"),
    "pdf_page_unordered": ({}, "need low <= central <= high"),
    "batch_multiplier_out_of_range": (
        {"multiplier": Decimal("1.5")},
        "batch_discount.multiplier must be in (0, 1], got 1.5",
    ),
    "overhead_unknown_tokenizer": (
        {"tool": "bash", "name": "claude-9"},
        "token_overheads.server_tools.bash: unknown tokenizer 'claude-9'",
    ),
    "model_unknown_tokenizer": (
        {"where": "models.m", "tokenizer": "t9"},
        "models.m.tokenizer: unknown tokenizer 't9'",
    ),
    "model_unknown_image_tier": (
        {"where": "models.m", "tier": "huge"},
        "models.m.image_tier: unknown image tier 'huge'",
    ),
    "dated_prices_undated": (
        {"where": "models.m", "row": 0},
        "models.m.dated_prices.0: give effective_from or effective_until (undated prices "
        "belong in `prices`)",
    ),
    "dated_prices_reversed": (
        {"where": "models.m", "row": 2},
        "models.m.dated_prices.2: effective_until <= effective_from",
    ),
    "batch_price_mismatch": (
        {
            "where": "models.m",
            "cls": "input",
            "published": Decimal("2.6"),
            "expected": Decimal("2.50"),
        },
        "models.m.batch.input: 2.6 is not prices.input x batch_discount (2.50); one of them "
        "is mistyped",
    ),
    "alias_taken": (
        {"where": "models.b", "name": "Opus", "owner": "a"},
        "models.b.aliases: 'Opus' is already a name of a",
    ),
    "cache_rates_unordered": (
        {
            "where": "models.m",
            "table": "fast",
            "rule": "read_above_input",
            "input": 5,
            "cache_write_5m": Decimal("6.25"),
            "cache_write_1h": 10,
            "cache_read": 50,
        },
        "models.m.fast: cache_read is above input (input 5, cache_write_5m 6.25, "
        "cache_write_1h 10, cache_read 50 USD/MTok); a cache write costs at least input, a "
        "read at most input, a 1h write at least a 5m write: check for a typo",
    ),
    "pricing_not_mapping": (
        {"file": Path("p.yaml"), "got": "list"},
        "p.yaml: expected a mapping with 'models', got list",
    ),
    "pricing_invalid": (
        {
            "file": Path("p.yaml"),
            "loc": "models.m.prices.input",
            "problem": "coded",
            "detail": {"code": "price_is_float", "figures": {}, "value": 2.5},
            "more": 2,
        },
        "p.yaml: models.m.prices.input: prices must be exact decimals (a str or Decimal), not "
        "floats (and 2 more problems)",
    ),
    "plan_field_invalid": (
        {
            "file": "bad.yaml",
            "job": 0,
            "job_name": "a",
            "field": "requests",
            "problem": "coded",
            "detail": {
                "code": "count_text_not_number",
                "figures": {"what": "requests", "text": "ten"},
                "value": "ten",
            },
        },
        "bad.yaml: jobs[0] (a): requests: 'ten' is not a number of requests (use e.g. 80000, "
        "80,000, 80k or 1.5M)",
    ),
    "yaml_duplicate_key": (
        {"key": "opus", "first": 3, "again": 9},
        "the key 'opus' is on line 3 and again on line 9; a key may appear once in a mapping "
        "(the second would silently replace the first): keep one",
    ),
}

# The three forms of the unknown-model line, and a pricing problem without a place or others.
MORE_FORMS: list[tuple[str, dict[str, object], str]] = [
    (
        "unknown_model",
        {"name": "opus-9", "suggestions": ["opus-4.7"], "dated_form_of": None, "checked": None},
        "unknown model 'opus-9'; did you mean opus-4.7? ('costcalc models' lists every model "
        "and alias)",
    ),
    (
        "unknown_model",
        {"name": "x", "suggestions": [], "dated_form_of": "claude-x-1", "checked": None},
        "unknown model 'x': Anthropic publishes no snapshot with this date; the model's id is "
        "'claude-x-1' (use --model claude-x-1)",
    ),
    (
        "unknown_model",
        {"name": "claude-z", "suggestions": [], "dated_form_of": None, "checked": "2026-11-24"},
        "unknown model 'claude-z'. If it is a Claude model newer than the price table (checked "
        "2026-11-24), copy the table ('costcalc models' ends with its path), add an entry for "
        "it under models: and pass the copy with --pricing FILE",
    ),
    (
        "pricing_invalid",
        {
            "file": "p.yaml",
            "loc": "",
            "problem": "coded",
            "detail": {"code": "ratio_unordered", "figures": {}, "value": {}},
            "more": 1,
        },
        "p.yaml: need 0 < low <= central <= high (and 1 more problem)",
    ),
]

LINE_FORMS: dict[str, tuple[dict[str, object], str]] = {
    "error": ({"prog": "costcalc estimate", "text": "bad"}, "costcalc estimate: error: bad"),
    "internal_error": (
        {"prog": "costcalc check", "what": "KeyError: 'x'"},
        "costcalc check: internal error (KeyError: 'x'); this is a bug in costcalc: rerun "
        "with --debug for the traceback and report it",
    ),
    "usage_error": (
        {"prog": "costcalc sweep", "text": "argument --x: bad"},
        "costcalc sweep: error: argument --x: bad (see 'costcalc sweep --help')\n",
    ),
    "stdout_full": ({}, "standard output does not accept more data"),
    "near_miss": ({"close": "--shared"}, "; did you mean --shared?"),
    "option_of_other_command": (
        {"word": "--strict", "owners": ["check", "actual"], "command": "estimate"},
        "; --strict is an option of check, actual, not of estimate",
    ),
    "deprecated_option": (
        {"option": "--estimate", "instead": "--batch"},
        "costcalc: warning: --estimate FILE is deprecated; use --batch FILE",
    ),
    "command_says": (
        {"prog": "costcalc reconcile", "text": "budget not passed"},
        "costcalc reconcile: budget not passed",
    ),
}


def test_the_error_families_join_one_table_without_a_code_twice():
    from costcalc.messages import errors_commands, errors_core, errors_read
    from costcalc.messages.errors import load_error_families

    table = load_error_families()  # asserts that no code is defined twice
    families = (errors_read, errors_core, errors_commands, errors_values)
    assert sum(len(f.ERRORS) for f in families) < len(table)
    for family in families:
        assert set(family.ERRORS) <= set(table)


def test_a_successful_run_loads_no_error_table():
    """The error tables load on the first error rendered, not at start-up."""
    code = (
        "import sys; from costcalc.cli.app import main; "
        "status = main(['estimate', '--model', 'opus-4.7', '--requests', '10']); "
        "assert status == 0, status; "
        "print(sorted(m for m in sys.modules if m.startswith('costcalc.messages.errors_')))"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip().splitlines()[-1] == "[]"


def test_every_code_of_the_values_table_has_a_sample():
    assert set(RENDERED) | {code for code, _, _ in MORE_FORMS} == set(errors_values.ERRORS)
    assert set(LINE_FORMS) == set(LINES)


@pytest.mark.parametrize("code", sorted(RENDERED))
def test_each_code_renders_the_old_line(code):
    figures, expected = RENDERED[code]
    assert render_error(code, figures) == expected
    assert str(CodedValueError(code, **figures)) == expected


@pytest.mark.parametrize(("code", "figures", "expected"), MORE_FORMS)
def test_the_other_forms_render_the_old_lines(code, figures, expected):
    assert render_error(code, figures) == expected


@pytest.mark.parametrize("code", sorted(LINE_FORMS))
def test_each_stderr_line_renders_the_old_line(code):
    figures, expected = LINE_FORMS[code]
    assert line(code, **figures) == expected


def test_phrases_chosen_by_code_render_the_old_lines():
    """Figures that were English phrases are codes now; the messages hold the phrases."""
    assert render_error("count_text_not_whole", {"what": "cache_writes", "text": "1.5"}) == (
        "'1.5' is not a whole number of cache writes"
    )
    assert render_error("needs_budget", {"flag": "--scenario", "what": "chooses_scenario"}) == (
        "--scenario chooses what --budget applies to; add --budget USD"
    )
    assert render_error("needs_budget", {"flag": "--against", "what": "qualifies_gate"}) == (
        "--against qualifies the budget gate; add --budget USD"
    )
    assert render_error("nothing_to_warm", {"file": "b.jsonl", "why": "nothing_shared"}) == (
        "nothing to warm in b.jsonl: no cache entry is shared by two requests; no primer file "
        "was written"
    )
    assert render_error("nothing_to_warm", {"file": "b.jsonl", "why": "no_breakpoints"}) == (
        "nothing to warm in b.jsonl: it has no cache breakpoints; no primer file was written"
    )
    expected = (
        "requests: expected an iterable of requests (dicts, as the Batches API takes them) or "
        "a file path, got one dict; wrap it in a list"
    )
    figures = {"param": "requests", "got": "dict", "one": True}
    assert render_error("api_not_iterable", figures) == expected
    figures = {"param": "requests", "got": "int", "one": False}
    assert render_error("api_not_iterable", figures).endswith("or a file path, got int")


def test_a_coded_value_error_is_both_kinds():
    exc = CodedValueError("cache_writes_zero")
    assert isinstance(exc, ValueError) and isinstance(exc, CostcalcError)
    assert exc.code == "cache_writes_zero" and exc.figures == {}


def test_shared_exceptions_render_from_codes():
    out = OutputError(OSError(28, "No space left on device"))
    assert out.errno == 28 and str(out) == "cannot write standard output: No space left on device"
    unknown = UnknownModelError("opus-9", ["opus-4.7"])
    assert isinstance(unknown, CodedError) and unknown.name == "opus-9"
    assert str(unknown) == MORE_FORMS[0][2]


def test_pydantic_quotes_the_rendered_line():
    """pydantic puts a validator's ValueError text into its ValidationError: the rendered line,
    not the code."""
    from costcalc.prices.schema import Ratio

    with pytest.raises(pydantic.ValidationError) as err:
        Ratio(low=Decimal(2), central=Decimal(1), high=Decimal(3))
    assert "need 0 < low <= central <= high" in str(err.value)
    assert err.value.errors()[0]["msg"] == "Value error, need 0 < low <= central <= high"


def test_argparse_shows_the_rendered_line():
    """argparse shows an argument type's error text: the rendered line, whatever the type."""
    for argv, expected in (
        (["--requests", "1.5"], "'1.5' is not a whole number of requests (a count has no"),
        (["--requests", "10", "--hit-rate", "2"], "a hit rate must be between 0 and 1"),
        (["--requests", "10", "--date", "yesterday"], "'yesterday' is not a date"),
        (["--requests", "10", "--budget", "-5"], "a budget cannot be negative (got '-5')"),
    ):
        run = subprocess.run(
            [sys.executable, "-m", "costcalc", "estimate", "--model", "opus-4.7", *argv],
            capture_output=True,
            text=True,
            check=False,
        )
        assert run.returncode == 2, run.stderr
        assert expected in run.stderr and "invalid" not in run.stderr, run.stderr


# Exceptions raised with text of their own outside messages/, which a user never reads as a
# line of costcalc's; each with why. Keyed by module and exception name.
INTERNAL: dict[tuple[str, str], str] = {
    ("__init__.py", "AttributeError"): "the module __getattr__ protocol: a programmer's typo "
    "in `costcalc.<name>`, reported the way Python reports any missing attribute",
    ("prices/load.py", "AttributeError"): "the module __getattr__ protocol, as above",
    ("prices/load.py", "TypeError"): "json.dumps's default hook while `python -m "
    "costcalc.prices.refresh` writes the snapshot: maintainers only, a bug if ever reached",
    ("present/json_encoder.py", "TypeError"): "json.dumps's default hook: a value without a "
    "JSON form is a bug, reported as an internal error (exit 3)",
    ("files/inmemory.py", "TypeError"): "json.dumps's default hook for in-memory items: caught "
    "at once, the item becomes a malformed line (code `malformed`, reason `not_json`)",
    ("read/jsonstream.py", "ValueError"): "json's parse_constant hook (NaN, Infinity): the "
    "reader catches it and counts the line as malformed (reason `not_json`), text unused",
    ("read/results.py", "ValueError"): "a results line that is not a result: read_results "
    "catches it and counts the line as malformed (code `malformed`), text unused",
    ("compute/engine.py", "KeyError"): "Estimate.scenario(name) with a name that is not a "
    "scenario: the CLI's --scenario choices and the Python API's options allow only the "
    "four, so only a programmer reaches it",
    ("tokens/rankfile.py", "RankFileError"): "the packed cl100k rank file costcalc ships is "
    "checked by its SHA-256 before it is parsed (a damaged file is the coded encoding_damaged "
    "error), so a parse failure is a bug; pack() runs only in the maintainers' "
    ".ci/pack_cl100k.py",
    ("prices/refresh.py", "print"): "`python -m costcalc.prices.refresh`, the maintainers' "
    "tool that rewrites the price snapshot: not a command of costcalc's",
}

# Lines users do read, still written in place: not internal, to be moved to messages (they
# were in files another developer was restructuring when this test was written).
NOT_YET_MOVED: dict[tuple[str, str], str] = {}

# Words: a letter next to a space. A code, a flag or a variable's name is one token.
_WORDS = re.compile(r"[A-Za-z]\s|\s[A-Za-z]")


def _prose(node: ast.expr) -> bool:
    """Text written in place: a string or f-string with words, or a sum holding one."""
    if isinstance(node, ast.JoinedStr):
        literal = "".join(
            v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)
        )
        return bool(_WORDS.search(literal))
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str) and bool(_WORDS.search(node.value))
    if isinstance(node, ast.BinOp):
        return _prose(node.left) or _prose(node.right)
    return False


def _raised_prose() -> set[tuple[str, str, int]]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        module = path.relative_to(PACKAGE).as_posix()
        if module.startswith("messages/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = node.exc if isinstance(node, ast.Raise) else node
            if not isinstance(call, ast.Call):
                continue
            func = call.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
            # raise X("text"), argparse's parser.error("text") / exit(2, "text"), print("text")
            is_error_call = isinstance(node, ast.Raise) or name in ("error", "exit", "print")
            args = [*call.args, *(k.value for k in call.keywords)]
            if is_error_call and any(_prose(a) for a in args):
                found.add((module, name, call.lineno))
    return found


def test_no_module_outside_messages_raises_prose():
    """Every line a user reads as an error or on stderr comes from messages (a code and
    figures); the few exceptions with text of their own are internal, each listed with why.
    (An entry no longer needed is not an error here: others' branches remove them.)"""
    found = _raised_prose()
    allowed = INTERNAL.keys() | NOT_YET_MOVED.keys()
    unexpected = sorted(f for f in found if (f[0], f[1]) not in allowed)
    assert not unexpected, f"prose raised or printed outside costcalc/messages: {unexpected}"


def test_the_scan_sees_prose():
    """The scan itself: words in a string, an f-string or a sum are prose; a code, a flag or
    a dotted place is not."""
    tree = ast.parse('f"x {y}"; "two words"; "a " + b; "a_code"; "--flag"; f"{a}.{b}"; 3')
    values = [stmt.value for stmt in tree.body]  # type: ignore[attr-defined]
    assert [_prose(v) for v in values] == [True, True, True, False, False, False, False]


# The read family's codes for the labels of requests outside every --group-by group (read/tags.py,
# compute/grouping.py), each with sample figures and its line written out in full.
GROUP_LABEL_LINES: list[tuple[str, dict[str, object], str]] = [
    (
        "tags_reserved_label",
        {"file": "teams.csv", "line": 3, "custom_id": "a-2", "tag": "(untagged)"},
        "teams.csv line 3: custom_id 'a-2' is tagged '(untagged)', the label costcalc gives "
        "requests with no tag; rename the tag",
    ),
    (
        "tags_reserved_label",
        {"file": "teams.csv", "line": None, "custom_id": "a-2", "tag": "(unmatched)"},
        "teams.csv: custom_id 'a-2' is tagged '(unmatched)', the label costcalc gives requests "
        "a custom_id pattern does not match; rename the tag",
    ),
    (
        "group_by_capture_reserved",
        {
            "spec": "custom_id:^a-(.+)$",
            "value": "(unmatched)",
            "custom_id": "a-(unmatched)",
            "file": "r.jsonl",
        },
        "--group-by 'custom_id:^a-(.+)$' takes '(unmatched)' from custom_id 'a-(unmatched)' in "
        "r.jsonl, the label of requests it does not match; rename the id (the API accepts only "
        "a-z, A-Z, 0-9, _ and - in one) or change the pattern",
    ),
]


@pytest.mark.parametrize(("code", "figures", "expected"), GROUP_LABEL_LINES)
def test_the_group_label_errors_render_their_lines(code, figures, expected):
    assert render_error(code, figures) == expected
    assert str(CodedError(code, **figures)) == expected
