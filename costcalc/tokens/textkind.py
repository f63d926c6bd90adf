"""What kind of text this is, for the per-kind cl100k ratio bands in pricing.yaml.

Claude / cl100k ratios differ by content (costcalc's own measurements, described in
pricing.yaml, and https://sol.ava.dev/writings/2026-04-17-opus-4-7-tokenizer.html): code and
English prose run high, JSON records low, and CJK, Arabic, Hindi and Cyrillic text is the
same on both Claude tokenizers. The kinds:
- "scripts": mostly letters of scripts where the Opus 4.7 tokenizer adds nothing (sol.ava.dev);
- "structured": JSON / JSON Lines, CSV / TSV, YAML-like key: value lines;
- "code": source code (statement-shaped lines, dense brackets and operators);
- "prose": everything else.

Cheap by design: it looks at three windows of at most 4,000 characters (start, middle, end),
never the whole text, so classifying a 256 MB file costs the same as a small one. Pure; no
tiktoken.
"""

from __future__ import annotations

import re

KINDS = ("prose", "code", "structured", "scripts")
WINDOW = 4000

# CJK (kana, ideographs, Hangul, full-width forms), Cyrillic, Arabic, Hebrew, Devanagari and
# other Indic scripts, Thai: the "1.00x" group measured at sol.ava.dev and their neighbours.
_SCRIPTS = re.compile(
    "[\u0400-\u04ff\u0590-\u06ff\u0900-\u0dff\u0e00-\u0e7f"
    "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]"
)
# Statement-shaped lines: lines that start with a keyword or comment (one scan of the sample with
# a newline put in front: a pattern that starts with a literal "\n" lets the regex engine jump
# from line to line, where "^" with re.M is tried at every character, 3x slower), and lines that
# end in a bracket, colon or semicolon.
_CODE_START = re.compile(
    r"\n[ \t]*(?:(?:def|class|import|from|return|if|elif|else|for|while|try|except|with|"
    r"function|const|let|var|public|private|protected|static|package|fn|func|struct|impl|use|"
    r"#include|#define|switch|case|break|continue|async|await|yield|raise|throw|catch|"
    r"interface|type|enum|module|export)\b|//|/\*|\*/|@\w)"
)
_CODE_END = frozenset(";{}:([])")
# Key: value lines, searched in "\n" + sample (the newline trick of _CODE_START): the match
# starts at a line start and ends after the colon, before a blank, the line's end or the end.
_KEY_LINE = re.compile(r"\n[ \t]*(?:- )?[\w.\"'-]+:(?=[ \t\n]|\Z)")
_SYMBOLS = b"{}()[];=<>_\\|&*/+"
# One line of letters, digits, blanks and punctuation that is neither a symbol above nor JSON's
# opening: what classify_sample decides by its line shape alone (_shaped_line). No control
# character or line break, so it is one line; no symbol, so the symbol share is 0; no "{" or
# "[", so not a JSON record.
_PLAIN_LINE = re.compile(r"[ A-Za-z0-9.,:!?'\"%$#@~^`-]*")
_JSON_PUNCT = b'{}[]":,'


def _tally(data: bytes, chars: bytes) -> int:
    """How many of `chars` (ASCII) `data` holds. Tallied in the UTF-8 bytes, where an ASCII
    byte is always that character (multi-byte sequences use bytes >= 0x80): one C pass of
    bytes.translate instead of a str.count per character (this runs once per distinct text,
    a short request's unique turn included)."""
    return len(data) - len(data.translate(None, chars))


def _sample(text: str) -> str:
    if len(text) <= 3 * WINDOW:
        return text
    mid = len(text) // 2
    return "\n".join((text[:WINDOW], text[mid - WINDOW // 2 : mid + WINDOW // 2], text[-WINDOW:]))


def _delimited(lines: list[str]) -> bool:
    """CSV / TSV: most lines carry the same (non-zero) number of separators, between short
    fields."""
    if len(lines) < 4:
        return False
    for sep in (",", "\t", ";", "|"):
        counts = [line.count(sep) for line in lines]
        common = max(set(counts), key=counts.count)
        if common >= 1 and counts.count(common) >= 0.8 * len(lines):
            # Fields of a table are short; prose lines with a few commas have long "fields".
            mean_field = sum(len(line) for line in lines) / (len(lines) * (common + 1))
            if mean_field <= 40:
                return True
    return False


def classify(text: str) -> str:
    """One of KINDS for a text (see the module docstring)."""
    return classify_sample(_sample(text))


def classify_sample(sample: str) -> str:
    """One of KINDS from a text's sample: the text itself up to 3 x WINDOW characters, else its
    first, middle and last WINDOW characters joined by newlines (costcalc.tokens.stream builds
    it while streaming a file)."""
    # A short request's unique turn is usually one line of printable ASCII: decided by the
    # same tests in a few C calls (_one_line). isprintable() is False for every line break,
    # tab and control character, so such a sample is one line whose only blank is " ".
    if _PLAIN_LINE.fullmatch(sample):  # one regex scan: most short turns stop here
        return _shaped_line(sample) or "prose"
    if sample.isascii() and sample.isprintable():
        return _one_line(sample)
    return _any_sample(sample)


def _any_sample(sample: str) -> str:
    """classify_sample for any sample (the full tests)."""
    # str and bytes methods only (no per-character Python loop): this runs once per distinct
    # text. surrogatepass: a lone surrogate (valid in JSON text) is a non-ASCII sequence too.
    data = sample.encode("utf-8", "surrogatepass")
    n = len(sample) - _tally(data, b" \n\t\r")
    if not n:
        return "prose"
    # isascii() is a memory scan: most prose and code skip the script search entirely.
    if not sample.isascii() and len(_SCRIPTS.findall(sample)) > 0.3 * n:
        return "scripts"
    head = sample.lstrip()[:1]
    if head in "{[" and _tally(data, _JSON_PUNCT) > 0.08 * n:
        return "structured"
    # The first and last lines of a window may be cut; they only blur the shares below.
    lines = [line for line in sample.splitlines() if line.strip()]
    # Cheap counts first: a table needs 4 lines and a separator per line, YAML a colon per line
    # (a short request's unique turn is often one line: no table, no tally).
    if len(lines) >= 4 and _tally(data, b",\t;|") >= len(lines) and _delimited(lines[:150]):
        return "structured"
    keys_needed = 0.6 * len(lines)
    lined = "\n" + sample
    if sample.count(":") >= keys_needed and len(_KEY_LINE.findall(lined)) >= keys_needed:
        return "structured"
    ends = sum(1 for line in lines if line.rstrip(" \t")[-1:] in _CODE_END)
    if ends >= 0.35 * len(lines):  # code_lines below is at least this: code, without a scan
        return "code"
    starts = len(_CODE_START.findall(lined))
    code_lines = min(len(lines), max(starts, ends) + min(starts, ends) // 2)
    # The symbol tally (17 scans) only when the line shapes do not already say code.
    if code_lines >= 0.35 * len(lines) or _tally(data, _SYMBOLS) > 0.06 * n:
        return "code"
    return "prose"


def _one_line(sample: str) -> str:
    """classify_sample for one line of printable ASCII (tests/test_textkind.py compares the two
    on generated lines): every test above, with what one line makes certain left out. No
    script letters (ASCII); no table (it needs 4 lines); the only blank is " "; a key line,
    a code-shaped end or a code-shaped start is that one line (1 line of 1 is over every
    share), and both regexes can only match at its start, where "\n" + sample puts the one
    newline."""
    n = len(sample) - sample.count(" ")
    if not n:
        return "prose"
    data = sample.encode("ascii")
    if sample.lstrip(" ")[:1] in "{[" and _tally(data, _JSON_PUNCT) > 0.08 * n:
        return "structured"
    shaped = _shaped_line(sample)
    if shaped:
        return shaped
    if _tally(data, _SYMBOLS) > 0.06 * n:
        return "code"
    return "prose"


def _shaped_line(sample: str) -> str | None:
    """The line-shape tests of one line of printable ASCII, in classify's order: a key: value
    line, then a code-shaped end or start; None when it has neither shape."""
    lined = "\n" + sample
    if ":" in sample and _KEY_LINE.match(lined):
        return "structured"
    if sample.rstrip(" ")[-1:] in _CODE_END or _CODE_START.match(lined):
        return "code"
    return None
