"""Exact token counts from Anthropic's free /v1/messages/count_tokens (opt-in: --exact).

Uses the official SDK (`pip install 'costcalc[anthropic]'`) with the key from ANTHROPIC_API_KEY;
ANTHROPIC_BASE_URL points it elsewhere (the tests use a local fake server). Nothing here runs
unless --exact is given: costcalc makes no network call by default.
"""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from costcalc.errors import CodedError

# count_tokens needs a user message; the shared prefix is counted as a system prompt and the
# cost of this one-character message subtracted.
PROBE = "."
# The request fields count_tokens takes (and that change a cached prefix).
COUNTED = ("system", "tools", "tool_choice", "thinking", "messages")


class ExactCounter:
    def __init__(self) -> None:
        try:
            import anthropic
        except ImportError:
            raise CodedError("exact_needs_sdk") from None
        if not os.environ.get("ANTHROPIC_API_KEY"):
            raise CodedError("exact_needs_api_key", env="ANTHROPIC_API_KEY")
        self._sdk = anthropic
        self._client = anthropic.Anthropic(max_retries=2, timeout=60)
        self._seen: dict[tuple[str, str, str], int] = {}

    def _count(self, model: str, user: str, system: str | None = None) -> int:
        kwargs: dict[str, Any] = {"messages": [{"role": "user", "content": user}]}
        if system:
            kwargs["system"] = system
        return self._call(model, kwargs)

    def _call(self, model: str, kwargs: dict[str, Any]) -> int:
        key = (model, _digest(json.dumps(kwargs, sort_keys=True)), "")
        if key in self._seen:
            return self._seen[key]
        try:
            result = self._client.messages.count_tokens(model=model, **kwargs)
        except self._sdk.APIStatusError as exc:
            raise CodedError(
                "count_tokens_failed", model=model, status=exc.status_code, reason=_reason(exc)
            ) from None
        except self._sdk.APIConnectionError as exc:
            raise CodedError(
                "api_unreachable", url=str(self._client.base_url), error=str(exc)
            ) from None
        self._seen[key] = int(result.input_tokens)
        return self._seen[key]

    def request(self, model: str, params: dict[str, Any]) -> int:
        """Total input tokens of a Messages request (the fields count_tokens takes)."""
        kwargs = {k: params[k] for k in COUNTED if k in params}
        if not kwargs.get("messages"):
            return self.prefix(model, kwargs)
        return self._call(model, kwargs)

    def prefix(self, model: str, params: dict[str, Any]) -> int:
        """Tokens of a request cut at a cache breakpoint (batchfile.truncated): what the entry
        holds. count_tokens needs a user message, so a prefix that ends before the messages is
        counted with a one-character probe message whose own cost is subtracted."""
        kwargs = {k: params[k] for k in COUNTED if k in params}
        if kwargs.get("messages"):
            return self._call(model, kwargs)
        probe = [{"role": "user", "content": PROBE}]
        return self._call(model, {**kwargs, "messages": probe}) - self._call(
            model, {"messages": probe}
        )

    def shared(self, model: str, text: str) -> int:
        """Tokens of `text` as a system prompt (the cached prefix)."""
        if not text:
            return 0
        return self._count(model, PROBE, system=text) - self._count(model, PROBE)

    def unique(self, model: str, text: str) -> int:
        """Tokens of one request's user message, framing included (as it is billed)."""
        return self._count(model, text) if text else 0


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _reason(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        return f"{error.get('type', 'error')}: {error.get('message', '')}".strip()
    return str(getattr(exc, "message", exc))
