"""The function entries of messages/text_estimate: each noun in the right number, each optional
clause present exactly when its figure is given (the str templates are rendered by
test_words_in_messages)."""

from __future__ import annotations

from costcalc.messages.text import text


def test_workload_and_cache_lines_count_their_nouns() -> None:
    one = text("estimate.workload", requests=1, shared="80,000", unique="0", output="0")
    assert one == "1 request, each 80,000 shared + 0 unique input and 0 output tokens"
    many = text("estimate.workload", requests=10_000, shared="1", unique="2", output="3")
    assert many.startswith("10,000 requests, each 1 shared")
    assert text("estimate.cache", ttl="5m", writes=1, reads=9_999) == (
        "Cache: TTL 5m, 1 write, 9,999 reads of the shared prefix"
    )
    assert text("estimate.cache", ttl="1h", writes=2, reads=1) == (
        "Cache: TTL 1h, 2 writes, 1 read of the shared prefix"
    )


def test_break_even_clause_only_with_a_request_count() -> None:
    bare = text("estimate.break_even", rate="21.7%", ttl="5m", min_requests=None)
    assert bare == "caching beats no caching above a 21.7% hit rate (5m TTL)"
    assert text("estimate.break_even", rate="21.7%", ttl="5m", min_requests=2) == (
        bare + ", and from 2 requests with one write"
    )
    assert text("sweep.pays_off", model="opus-4.7", min_requests=1, rate="9%", ttl="1h") == (
        "opus-4.7: caching pays off from 1 request with one write, above a 9% hit rate (1h TTL)"
    )


def test_unique_band_names_the_files_and_largest_only_for_several() -> None:
    assert text("estimate.band_unique", texts=1, band="~76", largest=None) == (
        "unique per request: ~76 tokens"
    )
    assert text("estimate.band_unique", texts=1_200, band="~65", largest="~76") == (
        "unique per request over 1,200 files: ~65 tokens, largest ~76"
    )


def test_models_entries_with_and_without_their_optional_parts() -> None:
    assert text("models.tier", threshold="200,000", span=None) == "prompt > 200,000"
    assert text("models.tier", threshold="1", span="until 2026-03-12") == (
        "prompt > 1, until 2026-03-12"
    )
    assert text("models.fast", input="10.00", output="50.00", until=None) == "10.00 / 50.00"
    assert (
        text("models.fast", input="1", output="2", until="2026-11-29") == "1 / 2 until 2026-11-29"
    )
    every = text("models.unconfirmed", names="Fable 5.2", parts=None)
    assert every.startswith("* Fable 5.2: prices not yet confirmed by Anthropic's pricing page")
    some = text("models.unconfirmed", names="A, B", parts="cache, batch")
    assert some.startswith("* A, B: cache, batch prices not yet confirmed")


def test_tokens_entries() -> None:
    assert text("tokens.summary", files=1, distinct=1).startswith("1 file, 1 distinct text (")
    assert text("tokens.summary", files=3, distinct=2).startswith("3 files, 2 distinct texts (")
    no_kinds = text(
        "tokens.estimated", label="c3", kinds="", low="1", high="2", description="Claude 3"
    )
    assert no_kinds == (
        "c3: estimated as cl100k_base x the ratio of each file's kind (one ratio; other text "
        "1-2, measured on sample texts); Claude 3"
    )
