"""What check counts per block: content-aware text bands and each model's non-text costs.

- Text estimates: a cl100k count times the ratio band of the text's kind (costcalc.tokens.textkind,
  pricing.yaml `tokenizers.*.by_kind`), in integer arithmetic (round half up, as
  bands._scaled). The kind is found once per distinct block, on check's counting thread.
- Non-text blocks: a batchfile.Media per model from pricing data (image tier, PDF pages,
  thinking rule, tool-use system prompt, server-tool overheads), priced by costcalc.tokens.media.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from costcalc.errors import CodedError
from costcalc.prices.model import ModelPrice, Pricing, Tokenizer
from costcalc.read.requests import Band3, Media
from costcalc.tokens import media
from costcalc.tokens.textkind import KINDS, classify

Ratio = tuple[int, int]


def _kind_ratios(tokenizer: Tokenizer) -> dict[str, tuple[Ratio, Ratio, Ratio]]:
    out = {}
    for kind in KINDS:
        low, central, high = tokenizer.ratios(kind)
        out[kind] = (low.as_integer_ratio(), central.as_integer_ratio(), high.as_integer_ratio())
    return out


def _scaled(n: int, ratio: Ratio) -> int:
    num, den = ratio
    return (2 * n * num + den) // (2 * den)


def estimator(
    counter: Callable[[str], int], tokenizers: dict[str, Tokenizer]
) -> Callable[[str, str], Band3]:
    """(model id, text) -> the Claude band (low, central, high) of the text, from its cl100k
    count and its kind's ratio band; `tokenizers` maps model id -> its tokenizer."""
    table = {m: _kind_ratios(t) for m, t in tokenizers.items()}

    def count(model_id: str, text: str) -> Band3:
        n = counter(text)
        if not n:
            return (0, 0, 0)
        lo, mid, hi = table[model_id][classify(text)]
        return _scaled(n, lo), _scaled(n, mid), _scaled(n, hi)

    return count


def _tool_prompt(model: ModelPrice, pricing: Pricing, on: date) -> tuple[Band3, Band3, bool]:
    """The tool-use system prompt for tool_choice auto/none and any/tool: a request with tools
    is billed for a system prompt the API adds, of a size per model and tool_choice
    (https://platform.claude.com/docs/en/agents-and-tools/tool-use/overview, pricing), and
    whether a number was not known. An unknown number is never 0: it is a range from 0 to the
    largest size any model has on that date (central that largest: a fail-closed guess)."""
    row = model.tool_prompt_tokens_on(on)
    auto = row.auto_none if row else None
    any_tool = row.any_tool if row else None
    if auto is not None and any_tool is not None:
        return (auto, auto, auto), (any_tool, any_tool, any_tool), False
    known = [
        v
        for m in pricing.models
        if (r := m.tool_prompt_tokens_on(on)) is not None
        for v in (r.auto_none, r.any_tool)
        if v is not None
    ]
    top = max(known, default=0)

    def band(v: int | None) -> Band3:
        return (v, v, v) if v is not None else (0, top, top)

    return band(auto), band(any_tool), True


def media_for(
    pricing: Pricing, on: date, central: Callable[[str, str], int]
) -> Callable[[str], Media]:
    """model id -> its Media. `central(model, text)` gives the central Claude count of a text
    that ends up inside a band (the visible text of a thinking block, an unknown block)."""
    by_id = {m.id: m for m in pricing.models}
    overheads = pricing.token_overheads
    tiers = pricing.image_tiers

    def build(model_id: str) -> Media:
        model = by_id[model_id]
        tier = tiers.get(model.image_tier or "")
        if tier is None:
            # A model without a named tier: the largest tier's cap (the count can only be high).
            tier = max(tiers.values(), key=lambda t: t.max_tokens)
        page = overheads.pdf_page if overheads is not None else None
        if page is None:
            # A pricing file of the user's own without the section: a PDF's pages could not
            # be counted, and guessing a size would price it wrong. Bad input, not a bug.
            raise CodedError("pricing_no_pdf_page")
        # The PDF page limit is "600 (100 when the request's context window is under 1M
        # tokens)" (https://platform.claude.com/docs/en/build-with-claude/pdf-support).
        small = (model.context_window or 0) < 1_000_000
        limits = media.Limits(
            max_edge=tier.max_long_edge,
            budget=tier.max_tokens,
            page=media.PageTokens(page.low, page.central, page.high),
            max_pages=page.max_pages_small_context if small else page.max_pages,
            keeps_prior_thinking=media.keeps_prior_thinking(model_id),
            small_window=small,
        )
        auto, any_tool, unknown = _tool_prompt(model, pricing, on)
        server = (
            media.server_tool_table(overheads, model.tokenizer, on) if overheads is not None else {}
        )
        return Media(
            limits=limits,
            tool_prompt=auto,
            tool_prompt_any=any_tool,
            tool_prompt_problem="tool_prompt_unknown" if unknown else None,
            server_tools=server,
            central=lambda text: central(model_id, text),
        )

    return build
