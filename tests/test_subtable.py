"""Counting a few short texts with an encoder of only the tokens they can use
(costcalc.tokens.subtable) gives exactly tiktoken's cl100k_base counts."""

import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from costcalc.tokens import subtable
from costcalc.tokens.cl100k import load_cl100k, load_ranks
from costcalc.tokens.subtable import LONGEST_TOKEN, Cl100kCounter

ROOT = Path(__file__).resolve().parent.parent


def whole(text: str) -> int:
    return len(load_cl100k().encode_ordinary(text))


def small(text: str) -> int:
    """The small encoder's count, after checking its token ids are the whole encoder's."""
    counter = Cl100kCounter()
    ids = counter.encode_ordinary(text)
    assert counter._whole is None, "counted by the whole encoder, not the small one"
    assert ids == load_cl100k().encode_ordinary(text)
    return Cl100kCounter()(text)


def test_the_longest_token_is_what_the_search_assumes():
    assert max(map(len, load_ranks())) == LONGEST_TOKEN


def test_tiktokens_documented_example():
    assert small("hello world") == 2  # [15339, 1917]
    assert small("") == 0


# Pieces meet where letters, digits, contractions, spaces, newlines and punctuation meet:
# generate texts dense in those boundaries.
FRAGMENTS = st.sampled_from(
    [
        "a", "Z", "the", " the", "The", "hello", "ing", "llama", "'s", "'S", "'ll", "'LL", "'ve",
        "'re", "'d", "'m", "'t", "'x", "'", '"', "0", "7", "12", "123", "1234", "2026", ".", ",",
        ":", "::", "==", "=====", "->", "()", "{}", "[", "]", "#", "_", "__init__", "$", "\\",
        " ", "  ", "    ", "\t", "\n", "\n\n", "\r\n", "\r", "\x0b", "\x0c", "\x00", "\x7f",
        "    return", "def ", "x_1", "a1b2", "9a", "<|endoftext|>",
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40).map("".join))
def test_generated_ascii_texts_count_the_same(text):
    assert small(text) == whole(text)


@settings(max_examples=200, deadline=None)
@given(st.text(st.characters(max_codepoint=127), max_size=200))
def test_any_ascii_text_counts_the_same(text):
    assert small(text) == whole(text)


def _real_texts() -> list[str]:
    texts = []
    for name in ("article_batch.jsonl", "two_level_cache.jsonl", "tool_choice.jsonl"):
        for line in (ROOT / "examples" / name).read_text().splitlines()[:2]:
            params = json.loads(line)["params"]
            system = params.get("system", [])
            texts += [system] if isinstance(system, str) else [b["text"] for b in system]
            texts += [m["content"] for m in params["messages"] if isinstance(m["content"], str)]
    for path in [ROOT / "README.md", *sorted((ROOT / "costcalc").rglob("*.py"))]:
        texts.append(path.read_text(encoding="utf-8"))
    return [t for t in texts if t.isascii() and 0 < len(t) <= subtable.BUDGET_BYTES]


def test_real_texts_count_the_same():
    # Request texts from the examples, the README and every ASCII module of costcalc: prose,
    # Markdown, code, indentation, numbers.
    texts = _real_texts()
    assert len(texts) > 100
    for text in texts:
        assert small(text) == whole(text), text[:60]


def test_the_whole_encoder_takes_over_where_the_small_one_would_not_pay():
    def counted_whole(texts):
        counter = Cl100kCounter()
        counts = [counter(t) for t in texts]
        assert counts == [whole(t) for t in texts]
        return counter._whole is not None

    assert counted_whole(["café au lait"])  # not ASCII
    assert counted_whole(["x" + " " * (subtable.MAX_CHUNK + 1) + "y"])  # one long chunk
    assert counted_whole(["a b"] * (subtable.BUDGET_TEXTS + 1))
    assert counted_whole(["a " * (subtable.BUDGET_BYTES // 2 + 1)])
    assert not counted_whole(["a b"] * subtable.BUDGET_TEXTS)


def test_a_changed_split_pattern_goes_to_the_whole_encoder(monkeypatch):
    monkeypatch.setattr(subtable, "PATTERN", "something else")
    counter = Cl100kCounter()
    assert counter("hello world") == 2 and counter._whole is not None
