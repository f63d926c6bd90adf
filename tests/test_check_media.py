"""check counts every billed input: images, PDFs, documents, thinking, tools, server tools.

Text is counted exactly by a deterministic `claude_counter` (one token per whitespace-separated
word), so each total below is worked out by hand from Anthropic's published rules. Opus 4.7 on
2026-11-25: high-res image tier (2576 px, 4,784 tokens per image;
https://platform.claude.com/docs/en/build-with-claude/vision), PDF page 1,600 / 2,400 / 4,600 tokens
(pricing.yaml token_overheads.pdf_page says how, from
https://platform.claude.com/docs/en/build-with-claude/pdf-support), tool-use system prompt 675
(auto/none) and 804 (any/tool;
https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview), bash tool 325 (claude-4.7
tokenizer, from Sep 2026; the pricing page's tool-use section,
https://platform.claude.com/docs/en/about-claude/pricing). Batch rates $2.50 input, $12.50 output
per MTok (https://platform.claude.com/docs/en/build-with-claude/batch-processing). Each request has
output 100.
"""

from __future__ import annotations

import base64
import io
import json
from datetime import date
from decimal import Decimal as D

import pytest

from costcalc.compute.check import check

Image = pytest.importorskip("PIL.Image")

ON = date(2026, 11, 25)


def per_word(model, text):
    return len(text.split())


def png(w: int, h: int) -> str:
    out = io.BytesIO()
    Image.new("RGB", (w, h)).save(out, "PNG")
    return base64.b64encode(out.getvalue()).decode("ascii")


def pdf(pages: int) -> str:
    out = io.BytesIO()
    images = [Image.new("RGB", (200, 280), "white") for _ in range(pages)]
    images[0].save(out, "PDF", save_all=True, append_images=images[1:])
    return base64.b64encode(out.getvalue()).decode("ascii")


def image(data: str) -> dict:
    return {"type": "image", "source": {"type": "base64", "media_type": "image/png", "data": data}}


def text(t: str) -> dict:
    return {"type": "text", "text": t}


def req(i, messages, model="claude-opus-4-7", **params):
    return {
        "custom_id": f"r{i}",
        "params": {"model": model, "max_tokens": 200, "messages": messages, **params},
    }


def user(*blocks):
    return {"role": "user", "content": list(blocks)}


def run(tmp_path, requests, name="b.jsonl", form="jsonl", **kw):
    path = tmp_path / name
    if form == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in requests))
    elif form == "json":
        path.write_text(json.dumps({"requests": requests}))
    else:
        path.write_text(json.dumps(requests))
    kw.setdefault("output", 100)
    return check(path, pricing_(), ON, claude_counter=per_word, **kw)


_PRICING = []


def pricing_():
    if not _PRICING:
        from costcalc.prices.load import load_pricing

        _PRICING.append(load_pricing())
    return _PRICING[0]


def tokens(report, case="best", token_class="input"):
    return report.cases[case].get(token_class, (0, D(0)))[0]


def kinds(report):
    return {p.kind: p.lines for p in report.batch.problems.values()}


CASES = [
    # (name, messages, extra params, model, best input, worst input, problems)
    (
        # 1000x1000 fits the high-res tier: ceil(1000/28)^2 = 36 x 36 = 1,296 (the vision page's
        # patch rule), high +8 for a wrapper measured once by a third party
        # (https://jackin.tailrocks.com/research/token-optimization/42-multimodal-token-economics).
        # Text "describe this" = 2.
        "image in user content",
        [user(image(png(1000, 1000)), text("describe this"))],
        {},
        "claude-opus-4-7",
        2 + 1_296,
        2 + 1_304,
        {},
    ),
    (
        # tool_use body JSON: {"id": "t1", "input": {}, "name": "shot", "type": "tool_use"} =
        # 8 words; tool_result: its id and type {"tool_use_id": "t1", "type": "tool_result"} = 4
        # words, plus its 560x280 image ceil(560/28) x ceil(280/28) = 20 x 10 = 200 (not its
        # base64 as text); "go" = 1.
        "image in a tool_result",
        [
            user(text("go")),
            {
                "role": "assistant",
                "content": [{"type": "tool_use", "id": "t1", "name": "shot", "input": {}}],
            },
            user({"type": "tool_result", "tool_use_id": "t1", "content": [image(png(560, 280))]}),
        ],
        {},
        "claude-opus-4-7",
        1 + 8 + 4 + 200,
        1 + 8 + 4 + 208,
        {},
    ),
    (
        # A URL image cannot be measured offline (count_tokens rejects it too,
        # https://platform.claude.com/docs/en/build-with-claude/token-counting): 0 up to the
        # 4,784 cap, central the cap.
        "URL image",
        [user({"type": "image", "source": {"type": "url", "url": "https://x/y.png"}}, text("hi"))],
        {},
        "claude-opus-4-7",
        1 + 4_784,
        1 + 4_784,
        {"image_not_measurable": [1]},
    ),
    (
        # 3 pages x 2,400 central = 7,200; worst 3 x 4,600 = 13,800; "summarize" = 1.
        "PDF",
        [
            user(
                {
                    "type": "document",
                    "source": {"type": "base64", "media_type": "application/pdf", "data": pdf(3)},
                },
                text("summarize"),
            )
        ],
        {},
        "claude-opus-4-7",
        1 + 7_200,
        1 + 13_800,
        {},
    ),
    (
        # Text document: title 2 + context 3 + text 3 (title and context "are passed to the
        # model", https://platform.claude.com/docs/en/build-with-claude/citations); "q" = 1.
        "text document",
        [
            user(
                {
                    "type": "document",
                    "source": {
                        "type": "text",
                        "media_type": "text/plain",
                        "data": "alpha beta gamma",
                    },
                    "title": "My doc",
                    "context": "some context here",
                },
                text("q"),
            )
        ],
        {},
        "claude-opus-4-7",
        1 + 8,
        1 + 8,
        {},
    ),
    (
        # Opus 4.7 keeps earlier thinking (Opus 4.5 and later preserve previous turns' thinking
        # blocks, https://platform.claude.com/docs/en/build-with-claude/extended-thinking): a band
        # from the visible text (3 words) to the signature estimate 160 x 3 / 16 = 30, central 30.
        # "a b" 2 + "reply" 1 + "c" 1.
        "thinking kept",
        [
            user(text("a b")),
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": "one two three", "signature": "S" * 160},
                    text("reply"),
                ],
            },
            user(text("c")),
        ],
        {},
        "claude-opus-4-7",
        2 + 30 + 1 + 1,
        2 + 30 + 1 + 1,
        {},
    ),
    (
        # Haiku 4.5 strips thinking of earlier turns ("not counted towards your context window",
        # https://platform.claude.com/docs/en/build-with-claude/extended-thinking): 0 tokens.
        "thinking stripped",
        [
            user(text("a b")),
            {
                "role": "assistant",
                "content": [
                    {"type": "thinking", "thinking": "one two three", "signature": "S" * 160},
                    text("reply"),
                ],
            },
            user(text("c")),
        ],
        {},
        "claude-haiku-4-5",
        2 + 0 + 1 + 1,
        2 + 0 + 1 + 1,
        {},
    ),
    (
        # Tool JSON (sorted keys): {"description": "Get weather", "input_schema": {"type":
        # "object"}, "name": "get_weather"} = 8 words; tool-use prompt, auto: 675 (Opus 4.7 in the
        # table of https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview);
        # "hi" 1.
        "tools, tool_choice auto",
        [user(text("hi"))],
        {
            "tools": [
                {
                    "name": "get_weather",
                    "description": "Get weather",
                    "input_schema": {"type": "object"},
                }
            ],
            "tool_choice": {"type": "auto"},
        },
        "claude-opus-4-7",
        8 + 675 + 1,
        8 + 675 + 1,
        {},
    ),
    (
        # The same with tool_choice any: 804
        # (https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview).
        "tools, tool_choice any",
        [user(text("hi"))],
        {
            "tools": [
                {
                    "name": "get_weather",
                    "description": "Get weather",
                    "input_schema": {"type": "object"},
                }
            ],
            "tool_choice": {"type": "any"},
        },
        "claude-opus-4-7",
        8 + 804 + 1,
        8 + 804 + 1,
        {},
    ),
    (
        # Bash server tool: {"name": "bash", "type": "bash_20250124"} = 4 words + the tool-use
        # prompt (no tool_choice: auto) 675 + the bash tool's 325 (Opus 4.7, the pricing page's
        # tool-use section from Sep 2026, https://platform.claude.com/docs/en/about-claude/pricing)
        # + "hi" 1.
        "bash server tool",
        [user(text("hi"))],
        {"tools": [{"type": "bash_20250124", "name": "bash"}]},
        "claude-opus-4-7",
        4 + 675 + 325 + 1,
        4 + 675 + 325 + 1,
        {},
    ),
    (
        # An unknown block type is never 0: its JSON text {"type": "mystery", "x": "a b"} = 5
        # words as 0..5 (central 5), flagged "uncounted"; "hi" 1.
        "unknown block",
        [user({"type": "mystery", "x": "a b"}, text("hi"))],
        {},
        "claude-opus-4-7",
        5 + 1,
        5 + 1,
        {"uncounted": [1]},
    ),
]


@pytest.mark.parametrize(
    "name,messages,params,model,best,worst,problems", CASES, ids=[c[0] for c in CASES]
)
def test_each_kind_of_block(tmp_path, name, messages, params, model, best, worst, problems):
    report = run(tmp_path, [req(1, messages, model=model, **params)])
    assert tokens(report) == best
    assert tokens(report, "worst") == worst
    assert kinds(report) == problems
    if model == "claude-opus-4-7":
        # batch, no caching: input x $2.50 + 100 output x $12.50 per MTok
        assert report.totals["batch"] == D(best) * D("2.50") / 10**6 + D("0.00125")


def test_image_dollars_and_no_base64_text(tmp_path):
    # 1,298 x $2.50/M = $0.003245; + 100 x $12.50/M = $0.00125: $0.004495 batched.
    report = run(tmp_path, [req(1, [user(image(png(1000, 1000)), text("describe this"))])])
    assert report.totals["batch"] == D("0.004495")


def test_image_in_a_cached_prefix(tmp_path):
    # System 1,000 words + a 1000x1000 image (1,296) with the breakpoint on the image: an entry
    # of 2,296 tokens (over Opus 4.7's 2,048 minimum). Request 1 writes it, request 2 reads it;
    # each has 1 unique word after it. Worst case: both write 2,296 + 8 (the image's high end).
    system = " ".join(["s"] * 1000)
    img = {**image(png(1000, 1000)), "cache_control": {"type": "ephemeral"}}
    reqs = [req(i, [user(img, text(f"q{i}"))], system=system) for i in (1, 2)]
    report = run(tmp_path, reqs)
    assert tokens(report, "best", "cache_write_5m") == 2_296
    assert tokens(report, "best", "cache_read") == 2_296
    assert tokens(report) == 2
    assert tokens(report, "worst", "cache_write_5m") == 2 * 2_304
    # best batch_cache, per MTok: 2,296 x $3.125 = 7,175 + 2,296 x $0.25 = 574 + 2 x $2.50 = 5
    # + 200 output x $12.50 = 2,500; 10,254 / 10^6 = $0.010254
    assert report.totals["batch_cache"] == D("0.010254")


def test_three_forms_with_media_cost_the_same(tmp_path):
    # Every case above in one file, as JSONL, {"requests": [...]} and a bare array.
    reqs = [req(i, c[1], model=c[3], **c[2]) for i, c in enumerate(CASES)]
    totals = []
    for form in ("jsonl", "json", "array"):
        report = run(tmp_path, reqs, name=f"f-{form}", form=form)
        assert report.batch.form == form
        totals.append((report.totals, report.expected, report.worst, tokens(report)))
    assert totals[0] == totals[1] == totals[2]
    assert totals[0][3] == sum(c[4] for c in CASES)


def test_media_high_end_over_the_window_is_a_maybe(tmp_path):
    # Opus 4.7, 1,000,000-token window: 999,995 words + a 28x28 image (1 patch, 1..9 tokens):
    # central 999,996 fits, high 1,000,004 does not: "may exceed", still priced.
    words = "w " * 999_995
    report = run(tmp_path, [req(1, [user(image(png(28, 28)), text(words))])])
    assert kinds(report) == {"context_window_maybe": [1]}
    assert tokens(report) == 999_996 and report.rejected == 0


def test_haiku_5_5_prices_each_request_on_its_own_prompt_row(tmp_path):
    # Haiku 5.5 is priced by prompt length: a prompt over 100,000 tokens moves the whole request
    # to the higher row (https://platform.claude.com/docs/en/about-claude/pricing).
    # Request 1: 100,000 tokens (stays low): batch 100,000 x $0.05 + 100 x $0.25 per MTok
    #   = $0.005 + $0.000025 = $0.005025.
    # Request 2: 100,001 tokens (high row): 100,001 x $0.25 + 100 x $1.25 per MTok
    #   = $0.02500025 + $0.000125 = $0.02512525.
    # Standard: 100,000 x $0.10 + 100 x $0.50 = $0.01005; 100,001 x $0.50 + 100 x $2.50
    #   = $0.0502505.
    reqs = [
        req(1, [user(text("w " * 100_000))], model="claude-haiku-5-5"),
        req(2, [user(text("w " * 100_001))], model="claude-haiku-5-5"),
    ]
    report = run(tmp_path, reqs)
    assert report.totals["batch"] == D("0.005025") + D("0.02512525")
    assert report.totals["standard"] == D("0.01005") + D("0.0502505")


def test_haiku_5_5_tier_counts_media_tokens(tmp_path):
    # 99,000 words + a 1000x1000 image (1,296: Haiku 5.5 is in the high-res tier of Opus 4.7 "and
    # later models", https://platform.claude.com/docs/en/build-with-claude/vision) = 100,296 >
    # 100,000: the higher row. Batch: 100,296 x $0.25 + 100 x $1.25 per MTok
    # = $0.025074 + $0.000125 = $0.025199.
    reqs = [req(1, [user(image(png(1000, 1000)), text("w " * 99_000))], model="claude-haiku-5-5")]
    report = run(tmp_path, reqs)
    assert report.totals["batch"] == D("0.025199")


def test_estimates_use_each_blocks_kind(tmp_path):
    # Without an exact counter each distinct text's band comes from its kind: a JSON block is
    # "structured" (Opus 4.7: 1.05 / 1.16 / 1.30 x cl100k), prose 1.30 / 1.50 / 1.71.
    # With a counter of one cl100k token per word, 1,000 words of each:
    # structured: 1,050 / 1,160 / 1,300; prose: 1,300 / 1,500 / 1,710.
    data = json.dumps([{"id": i, "name": f"n{i}"} for i in range(250)])  # 1,000 words
    assert len(data.split()) == 1_000
    prose = " ".join(["the cat sat on the mat and then it slept"][0].split() * 100)
    assert len(prose.split()) == 1_000
    path = tmp_path / "e.jsonl"
    rows = [req(1, [user(text(data))]), req(2, [user(text(prose))])]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = check(path, pricing_(), ON, counter=lambda t: len(t.split()), output=100)
    assert tokens(report) == 1_160 + 1_500
    assert tokens(report, "worst") == 1_300 + 1_710
    (summary,) = report.models
    assert summary.unique_max.central == 1_500 and summary.unique_mean.low == (1_050 + 1_300) // 2


def test_thinking_in_the_last_tool_turn_counts_even_where_stripped(tmp_path):
    # Haiku 4.5 strips earlier thinking but the last assistant turn of a tool loop is sent back
    # and counts (https://platform.claude.com/docs/en/build-with-claude/extended-thinking): visible
    # 3 words .. signature 160 x 3 / 16 = 30, central 30.
    # tool_use body {"id": "t1", "input": {}, "name": "f", "type": "tool_use"} = 8 words;
    # tool_result {"content": "ok", "tool_use_id": "t1", "type": "tool_result"} = 6 words;
    # "go" 1.
    messages = [
        user(text("go")),
        {
            "role": "assistant",
            "content": [
                {"type": "thinking", "thinking": "one two three", "signature": "S" * 160},
                {"type": "tool_use", "id": "t1", "name": "f", "input": {}},
            ],
        },
        user({"type": "tool_result", "tool_use_id": "t1", "content": "ok"}),
    ]
    report = run(tmp_path, [req(1, messages, model="claude-haiku-4-5")])
    assert tokens(report) == 1 + 30 + 8 + 6
    assert kinds(report) == {}


def test_server_tool_without_a_published_overhead_is_flagged(tmp_path):
    # Web search: Anthropic publishes no definition overhead for it (the pricing page's tool-use
    # section, https://platform.claude.com/docs/en/about-claude/pricing): flagged, not invented.
    # {"name": "web_search", "type": "web_search_20250305"} = 4 words + 675 + "hi" 1.
    tools = [{"type": "web_search_20250305", "name": "web_search"}]
    report = run(tmp_path, [req(1, [user(text("hi"))], tools=tools)])
    assert tokens(report) == 4 + 675 + 1
    assert kinds(report) == {"server_tool_overhead_unknown": [1]}


def _pdf_request(i, pages, model):
    source = {"type": "base64", "media_type": "application/pdf", "data": pdf(pages)}
    return req(i, [user({"type": "document", "source": source}, text("summarize"))], model)


def test_pdf_page_limit_follows_the_context_window(tmp_path):
    # Haiku 4.5 has a 200K window, under 1M: at most 100 pages per request. 101 pages is
    # refused (not billed); the other request, "hi" (1 token) + 100 output, is priced at
    # batch $0.50 / $2.50 per MTok.
    hi = req(2, [user(text("hi"))], "claude-haiku-4-5")
    r = run(tmp_path, [_pdf_request(1, 101, "claude-haiku-4-5"), hi])
    assert kinds(r)["pdf_too_many_pages"] == [1]
    figures = r.batch.problems["pdf_too_many_pages"].figures
    assert dict(figures) == {"max_pages": 100, "small_window": True}
    assert r.rejected == 1
    assert r.totals["batch"] == (1 * D("0.50") + 100 * D("2.50")) / 10**6
    from costcalc.messages import render
    from costcalc.notices import notice

    said = render(notice("pdf_too_many_pages", **figures))
    assert "of 100 pages per request" in said and "under 1M tokens" in said
    # Opus 4.7 has a 1M window: 600 pages. 101 pages are priced: 101 x 2,400 + 1 central.
    r = run(tmp_path, [_pdf_request(1, 101, "claude-opus-4-7")], name="c.jsonl")
    assert "pdf_too_many_pages" not in kinds(r) and r.rejected == 0
    assert tokens(r) == 101 * 2_400 + 1
