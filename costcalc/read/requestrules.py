"""Request parameters and shapes the Messages API refuses, judged from one request's params.

Sources (stated here because users do not have costcalc's fact sheet):
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
"""

from __future__ import annotations

import re
from typing import Any

SAMPLING = ("temperature", "top_p", "top_k")
_OPUS = re.compile(r"^claude-opus-(\d+)(?:-(\d+))?$")


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
    return list(dict.fromkeys(found))


def wrong_case(name: str) -> bool:
    """A model id that is not all lower-case (API ids are)."""
    return name != name.lower()
