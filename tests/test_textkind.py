"""Content kinds and their ratio bands: each ratio measured for costcalc (Claude tokens over
cl100k_base, on five sample texts; pricing.yaml's `tokenizers:` comments say how) must land
inside the band of its kind, and real texts of each kind must be classified as such."""

from __future__ import annotations

import argparse
import csv
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from costcalc.prices.load import load_pricing
from costcalc.tokens.count import Band, band
from costcalc.tokens.textkind import KINDS, classify

PRICING = load_pricing()

# The measured samples: (kind, cl100k count, ratio on claude-3, ratio on claude-4.7)
APPENDIX_C = [
    ("code", 12_098, "1.26", "1.56"),  # Python argparse
    ("code", 3_667, "1.21", "1.53"),  # Python csv
    ("prose", 7_455, "1.05", "1.46"),  # GPL-3
    ("structured", 25_734, "1.00", "1.16"),  # JSON records
    ("prose", 1_543, "1.16", "1.53"),  # technical article
]


@pytest.mark.parametrize(("kind", "n", "old", "new"), APPENDIX_C)
def test_measured_ratios_fall_inside_their_kind_band(kind, n, old, new):
    for name, ratio in (("claude-3", old), ("claude-4.7", new)):
        low, _, high = PRICING.tokenizers[name].ratios(kind)
        assert low <= Decimal(ratio) <= high, (name, kind, ratio)
        real = int(n * Decimal(ratio))
        b = band(n, PRICING.tokenizers[name], kind)
        assert b.low <= real <= b.high


def test_argparse_band_by_hand():
    # 12,098 cl100k tokens of code on claude-4.7 (code 1.35 / 1.55 / 1.70):
    # 16,332.3 -> 16,332; 18,751.9 -> 18,752; 20,566.6 -> 20,567. Real: 12,098 x 1.56 = 18,873.
    got = band(12_098, PRICING.tokenizers["claude-4.7"], "code")
    assert got == Band(16_332, 18_752, 20_567)
    assert got.low <= 18_873 <= got.high


def test_code_runs_past_the_old_overall_high():
    # The overall 4.7 band stops at 1.56; code goes to 1.70 (1.26 x 1.33: code
    # measured at up to 1.33x the older tokenizer's count on Opus 4.7,
    # https://sol.ava.dev/writings/2026-04-17-opus-4-7-tokenizer.html).
    t = PRICING.tokenizers["claude-4.7"]
    assert t.high == Decimal("1.56") and t.ratios("code")[2] == Decimal("1.70")


def test_unknown_kind_uses_the_overall_band():
    t = PRICING.tokenizers["claude-3"]
    assert t.ratios(None) == (t.low, t.central, t.high)
    assert t.ratios("mixed") == (t.low, t.central, t.high)


def test_python_sources_are_code():
    assert classify(Path(argparse.__file__).read_text()) == "code"
    assert classify(Path(csv.__file__).read_text()) == "code"


JS = """function add(a, b) {
  const total = a + b;
  if (total > 10) {
    return total * 2;
  }
  return total;
}
export default add;
"""


def test_javascript_is_code():
    assert classify(JS * 20) == "code"


PROSE = (
    "This License applies to any program or other work which contains a notice placed by the "
    "copyright holder saying it may be distributed under the terms of this General Public "
    "License. The act of running the Program is not restricted, and the output from the "
    "Program is covered only if its contents constitute a work based on the Program.\n\n"
)


def test_prose():
    assert classify(PROSE * 30) == "prose"
    licence = Path("/usr/share/common-licenses/GPL-3")
    if licence.exists():
        assert classify(licence.read_text()) == "prose"


def test_structured():
    records = [{"id": i, "name": f"user {i}", "score": i / 7} for i in range(300)]
    assert classify(json.dumps(records)) == "structured"
    assert classify(json.dumps(records, indent=2)) == "structured"
    assert classify("\n".join(json.dumps(r) for r in records)) == "structured"  # JSON Lines
    assert classify("\n".join(f"{i},{i * 3},name {i},ok" for i in range(200))) == "structured"
    assert classify("\n".join(f"key_{i}: value {i}" for i in range(200))) == "structured"


@pytest.mark.parametrize(
    "text",
    [
        "これは日本語の文章です。東京は日本の首都です。" * 40,
        "这是一个中文句子，用于测试分词。" * 40,
        "Это предложение на русском языке для проверки. " * 40,
        "هذه جملة باللغة العربية للاختبار. " * 40,
        "यह परीक्षण के लिए हिंदी में एक वाक्य है। " * 40,
    ],
)
def test_near_one_scripts(text):
    assert classify(text) == "scripts"


def test_empty_and_whitespace():
    assert classify("") == "prose" and classify(" \n\t ") == "prose"


def test_only_samples_a_large_text():
    # A large text is judged on three 4,000-character windows: prose around a JSON middle.
    text = PROSE * 2_000 + json.dumps(list(range(100_000))) + PROSE * 2_000
    assert classify(text) in KINDS


@given(st.text(max_size=2_000))
def test_always_a_kind_and_an_ordered_band(text):
    kind = classify(text)
    assert kind in KINDS
    for t in PRICING.tokenizers.values():
        b = band(len(text), t, kind)
        assert b.low <= b.central <= b.high


def test_tokens_command_shows_the_kind(cli, tmp_path):
    (tmp_path / "data.json").write_text(json.dumps([{"id": i, "v": "x"} for i in range(50)]))
    (tmp_path / "prog.py").write_text(JS * 5)
    code, out, err = cli("tokens", str(tmp_path), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert [f["kind"] for f in doc["files"]] == ["structured", "code"]
    assert doc["total"]["kind"] == "mixed"
    code, out, _ = cli("tokens", str(tmp_path))
    assert "Kind" in out and "structured" in out


def test_text_band_for_check():
    from costcalc.tokens.count import Counter, text_band

    counter = Counter()
    records = json.dumps([{"id": i} for i in range(100)])
    n = counter.count_str(records)[0]
    got, kind = text_band(counter, records, PRICING.tokenizers["claude-4.7"])
    # structured on claude-4.7: 1.05 / 1.16 / 1.30 of the cl100k count, each rounded half up
    assert kind == "structured"
    assert got == band(n, PRICING.tokenizers["claude-4.7"], "structured")
    assert got.low == int(Decimal(n) * Decimal("1.05") + Decimal("0.5"))
    assert got.high == int(Decimal(n) * Decimal("1.30") + Decimal("0.5"))


# One line of printable ASCII takes a fast path (textkind._one_line); the full tests
# (textkind._any_sample) must give the same kind. The pieces are what each full test looks
# for: a JSON opening and its punctuation, key: value starts, code keywords and comments,
# code-shaped ends, symbols, colons, runs of spaces, and nothing but spaces.
_PIECES = st.sampled_from(
    [
        " ",
        "  ",
        "{",
        "[",
        "}",
        "]",
        '"',
        ":",
        ",",
        ";",
        "(",
        ")",
        "=",
        "<",
        ">",
        "_",
        "\\",
        "|",
        "&",
        "*",
        "/",
        "+",
        "-",
        "- ",
        "#",
        "@",
        "//",
        "/*",
        "*/",
        "@x",
        "def ",
        "import ",
        "#include",
        "return",
        "key:",
        "a.b:",
        "'q':",
        "x: y",
        "Ticket 7: ",
        "word",
        "words and ",
        "delta echo",
        "A",
        "z",
        "0",
        "9.5",
        "~",
        "!",
        "?",
        "%",
        "$",
        "^",
        "`",
    ]
)
_LINES = st.lists(_PIECES, max_size=40).map("".join) | st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0x7E), max_size=300
)


@given(_LINES)
def test_one_printable_line_fast_path_matches_the_full_tests(line):
    from costcalc.tokens.textkind import _any_sample, _one_line, classify_sample

    assert line.isascii() and line.isprintable()
    assert _one_line(line) == _any_sample(line) == classify_sample(line)


# The plainest lines (letters, digits, blanks, punctuation that is no symbol) are decided by
# their line shape alone (textkind._PLAIN_LINE): generated from that alphabet plus the line
# starts and ends the shape tests look for.
_PLAIN_PIECES = st.sampled_from(
    [
        " ",
        "  ",
        ":",
        "key:",
        "a.b:",
        "'q':",
        '"k": v',
        "- x:",
        "#include",
        "#define",
        "@x",
        "def ",
        "return ",
        "class",
        "import",
        "Ticket 7: ",
        "word ",
        ".",
        ",",
        "!",
        "?",
        "%",
        "$",
        "^",
        "`",
        "~",
        "-",
        "9",
        "Z",
    ]
)
_PLAIN_LINES = st.lists(_PLAIN_PIECES, max_size=30).map("".join) | st.text(
    " abcXYZ019.,:!?'\"%$#@~^`-", max_size=200
)


@given(_PLAIN_LINES)
def test_plain_line_fast_path_matches_the_full_tests(line):
    from costcalc.tokens.textkind import _PLAIN_LINE, _any_sample, classify_sample

    assert _PLAIN_LINE.fullmatch(line)
    assert classify_sample(line) == _any_sample(line)


@given(st.text(max_size=300))
def test_other_text_takes_the_full_tests(text):
    from costcalc.tokens.textkind import _any_sample, classify_sample

    assert classify_sample(text) == _any_sample(text)


def test_one_line_fast_path_by_hand():
    from costcalc.tokens.textkind import _one_line, classify_sample

    assert _one_line("Ticket 4: alpha bravo charlie") == "prose"  # "Ticket 4" is no key
    assert _one_line("status: open") == "structured"  # a key: value line
    assert _one_line('{"a": 1, "b": [2, 3]}') == "structured"
    assert _one_line("return x") == "code"  # a statement keyword at the start
    assert _one_line("see the list (below)") == "code"  # ends in a bracket
    assert _one_line("a+b*c/d=e") == "code"  # symbols: 4 of 9 characters
    assert _one_line("   ") == "prose"
    assert classify_sample("Ticket 4: alpha bravo") == "prose"  # the plain-line path
    assert classify_sample("status: open") == "structured"
    assert classify_sample("#include stdio") == "code"
    assert classify_sample("Labels:") == "structured"  # a key line before a code-shaped end
