"""Request parameters and shapes the Messages API refuses, judged from one request's params.

Sources:
- Claude Opus 4.7 and later reject `temperature` with a 400 ("`temperature` is deprecated for
  this model"); third-party release notes say the same models reject `top_p` and `top_k`
  (not confirmed by Anthropic's pages, so those are a warning and the request stays priced).
  https://platform.claude.com/docs/fr/release-notes/overview.md
- API version 2026-10-21 removes `temperature`, `top_p` and `top_k` for every model, and returns
  400 for a `document` block in an `assistant` message and for a user `text` block with
  non-empty `citations`. The version is the `anthropic-version` request header, not part of a
  batch request file, so these are notes: "rejected on version 2026-10-21 or later".
  https://platform.claude.com/docs/en/api/versioning
- Every model id in Anthropic's models overview is lower-case
  (https://platform.claude.com/docs/en/about-claude/models/overview); whether the API takes
  another case is not documented, so a mixed-case id is a warning.

A refused request comes back `errored` and is not billed, so the money is right either way;
these problems say the work would be lost.

The second half of this module records, on a BatchFile, the problems of one request: the rules
above, and what the Message Batches API refuses outright
(https://platform.claude.com/docs/en/build-with-claude/batch-processing): `stream: true`,
`speed: "fast"`, a missing `max_tokens` or one below 1, an invalid `cache_control` or more
than 4 breakpoints, a model name the Claude API does not
take, `max_tokens` beyond the model's output limit, a bad `inference_geo`, thinking's
`budget_tokens` not below `max_tokens`, and no messages. Each returns True when the API would
refuse the request (it is then left out of the bill).
"""

from __future__ import annotations

import itertools
import re
from typing import Any, Protocol

from costcalc.read.blocks import cache_ttl

SAMPLING = ("temperature", "top_p", "top_k")
# A sanity ceiling, not a model's limit (those are far lower): larger max_tokens values are
# corrupt and would push totals beyond exact Decimal arithmetic.
MAX_OUTPUT_TOKENS = 10**7
INT32 = 2**31 - 1  # the per-request arrays hold 32-bit ints
MAX_BREAKPOINTS = 4
# (position, ttl) of each breakpoint of a request, in block order.
Breakpoints = list[tuple[int, str]]
_OPUS = re.compile(r"^claude-opus-(\d+)(?:-(\d+))?$")


class Problems(Protocol):
    """Where a rule records a problem: a BatchFile, or a recorder whose problems are replayed
    on the BatchFile for every request of the same shape (requests.py)."""

    def problem(self, kind: str, line: int, **figures: Any) -> None: ...


def rejects_temperature(model_id: str) -> bool:
    """Claude Opus 4.7 and every later Opus."""
    m = _OPUS.match(model_id)
    return m is not None and (int(m.group(1)), int(m.group(2) or 0)) >= (4, 7)


def sampling_problems(model_id: str, params: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(problem code, figures) for sampling parameters the model refuses."""
    if not rejects_temperature(model_id):
        return []
    out: list[tuple[str, dict[str, Any]]] = []
    if "temperature" in params:
        out.append(("temperature_rejected", {"model": model_id}))
    others = [p for p in ("top_p", "top_k") if p in params]
    if others:
        out.append(("sampling_may_be_rejected", {"model": model_id, "params": others}))
    return out


def rejected_on_2026_10_21(params: dict[str, Any]) -> list[str]:
    """What in the request API version 2026-10-21 refuses: sampling parameters by name,
    "document_in_assistant", "citations_in_user_text"."""
    found = [p for p in SAMPLING if p in params]
    messages = params.get("messages")
    found += _messages_rejected_on_2026_10_21(messages)
    return list(dict.fromkeys(found))


def plain_messages(messages: Any) -> bool:
    """Whether the rules' verdict on `messages` is nothing to say: a non-empty list in which
    version 2026-10-21 refuses no block (what param_checks and rejected_on_2026_10_21 read of
    the messages)."""
    return (
        isinstance(messages, list)
        and bool(messages)
        and not _messages_rejected_on_2026_10_21(messages)
    )


def _messages_rejected_on_2026_10_21(messages: Any) -> list[str]:
    found: list[str] = []
    for message in messages if isinstance(messages, list) else ():
        if not isinstance(message, dict) or not isinstance(message.get("content"), list):
            continue
        role = message.get("role")
        for block in message["content"]:
            if not isinstance(block, dict):
                continue
            kind = block.get("type")
            if role == "assistant" and kind == "document":
                found.append("document_in_assistant")
            elif role == "user" and kind == "text" and block.get("citations"):
                found.append("citations_in_user_text")
    return found


def wrong_case(name: str) -> bool:
    """A model id that is not all lower-case (API ids are)."""
    return name != name.lower()


def max_tokens_of(batch: Problems, params: dict[str, Any], line: int) -> tuple[int, bool]:
    """(max_tokens, refused): every request needs an integer max_tokens of at least 1."""
    max_tokens = params.get("max_tokens")
    if not isinstance(max_tokens, int) or isinstance(max_tokens, bool) or max_tokens < 1:
        batch.problem("max_tokens", line)
        return 0, True
    return min(max_tokens, INT32), False


def param_checks(
    batch: Problems, model_id: str, name: str, params: dict[str, Any], max_tokens: int, line: int
) -> bool:
    """What the Batches API refuses in any request, whatever its model; True when refused."""
    rejected = False
    if params.get("stream") is True:
        batch.problem("stream", line)
        rejected = True
    rejected = _request_rules(batch, model_id, name, params, line) or rejected
    rejected = _api_limits(batch, params, max_tokens, line) or rejected
    if params.get("speed") == "fast":
        # Fast mode is not available with the Batch API
        # (https://platform.claude.com/docs/en/build-with-claude/fast-mode).
        batch.problem("fast_mode", line)
        rejected = True
    messages = params.get("messages")
    if not isinstance(messages, list) or not messages:
        batch.problem("messages", line)
        rejected = True
    return rejected


def _api_limits(batch: Problems, params: dict[str, Any], max_tokens: int, line: int) -> bool:
    """Limits the API enforces on one request that the other checks do not cover; True when
    the API would refuse it: max_tokens beyond any model's output (which would also price a
    corrupt number), thinking.budget_tokens not below max_tokens."""
    if max_tokens > MAX_OUTPUT_TOKENS:
        batch.problem("max_tokens_too_large", line, limit=MAX_OUTPUT_TOKENS)
        return True
    thinking = params.get("thinking")
    if not isinstance(thinking, dict) or thinking.get("type") != "enabled":
        return False
    budget = thinking.get("budget_tokens")
    if type(budget) is int and max_tokens >= 1 and budget < max_tokens:
        return False
    batch.problem("thinking_budget", line)
    return True


def is_api_name(model: Any, name: str) -> bool:
    """Whether the Claude API takes `name` for `model`: its id or an alias Anthropic publishes
    (those start with "claude-" and have no "@"; pricing.yaml also lists costcalc's own and
    other platforms' names). Letter case is not judged: whether the API takes
    "Claude-Opus-4-7" is not documented, and refusing it would drop a billed request."""
    names = (model.id, *(a for a in model.aliases if a.startswith("claude-") and "@" not in a))
    return name.lower() in {n.lower() for n in names}


def model_checks(
    batch: Problems, model: Any, name: str, api_name: bool, max_tokens: int, line: int
) -> bool:
    """The model name the Batches API takes, and max_tokens against the model's output limit;
    True when the API would refuse the request."""
    rejected = False
    if not api_name:
        # costcalc's own aliases (opus-4.7) and other platforms' ids (Bedrock anthropic.*,
        # Vertex ...@date) name a known model, but the Claude API takes only the ids and
        # aliases of https://platform.claude.com/docs/en/about-claude/models/overview: the
        # request would fail, so it is not billed.
        batch.problem("model_not_api_id", line, name=name, model=model.id)
        rejected = True
    limit, beta = model.max_output, model.max_output_batch
    # Over MAX_OUTPUT_TOKENS is its own problem (_api_limits).
    if limit is not None and limit < max_tokens <= MAX_OUTPUT_TOKENS:
        if beta is not None and max_tokens <= beta:
            # Beta headers are set once per batch, outside the file: not rejected, but the
            # batch needs the extended-output beta, which raises max_tokens on Message Batches
            # (https://platform.claude.com/docs/en/build-with-claude/batch-processing).
            batch.problem(
                "needs_output_300k_beta",
                line,
                limit=limit,
                beta=model.max_output_batch_beta or "extended-output",
                batch_limit=beta,
            )
        else:
            batch.problem("max_tokens_over_limit", line, limit=beta or limit)
            rejected = True
    return rejected


def _request_rules(
    batch: Problems, model_id: str, name: str, params: dict[str, Any], line: int
) -> bool:
    """Parameters and shapes the API refuses (requestrules); True when it surely would."""
    rejected = False
    for code, figures in sampling_problems(model_id, params):
        batch.problem(code, line, **figures)
        rejected = rejected or code == "temperature_rejected"
    if rejected_on_2026_10_21(params):
        batch.problem("rejected_on_api_2026_10_21", line)
    if wrong_case(name):
        batch.problem("model_id_case", line, name=name, model=model_id)
    return rejected


def inference_geo(batch: Problems, model: Any, params: dict[str, Any], line: int) -> str | None:
    """The request's inference location ("global" or "us"), None when the API would refuse it:
    a value other than those two, or "us" on a model before Claude 4.6, which returns a 400
    error (https://platform.claude.com/docs/en/build-with-claude/data-residency)."""
    geo = params.get("inference_geo", "global")
    if not isinstance(geo, str) or geo not in ("global", "us"):
        batch.problem("inference_geo_invalid", line)
        return None
    if geo == "us" and model.us_inference_multiplier is None:
        batch.problem("inference_geo_unsupported", line, model=model.id)
        return None
    return geo


def breakpoint_rules(
    batch: Problems,
    line: int,
    params: dict[str, Any],
    keys: list[int],
    bps: Breakpoints,
    invalid: bool,
) -> bool:
    """Adds automatic caching's breakpoint to `bps`; True when the API would refuse the
    request's cache_control: an invalid one, or more than 4 breakpoints. Automatic caching (a
    top-level cache_control) takes one of the 4 slots, on the last block; entries with a
    longer TTL must come before shorter ones
    (https://platform.claude.com/docs/en/build-with-claude/prompt-caching)."""
    rejected = False
    slots = len(bps)
    auto = cache_ttl(params.get("cache_control"))
    if auto == "":
        invalid = True
    elif auto and keys:
        slots += 1
        last = len(keys) - 1
        if bps and bps[-1][0] == last:
            if bps[-1][1] != auto:
                batch.problem("auto_ttl_conflict", line)
        else:
            bps.append((last, auto))
    if invalid:
        batch.problem("cache_control_invalid", line)
        rejected = True
    if slots > MAX_BREAKPOINTS:
        batch.problem("breakpoints", line, max=MAX_BREAKPOINTS)
        rejected = True
    if len(bps) > 1 and any(a[1] == "5m" and b[1] == "1h" for a, b in itertools.pairwise(bps)):
        batch.problem("ttl_order", line)
    return rejected
