"""Fetching a Message Batch's results with the anthropic SDK (opt-in network: `actual
--batch-id` and the Python API's `price_results(batch_id=...)`).

The batch is retrieved first: its results exist only once processing has ended, so a batch
still in progress stops with how many of its requests are done (from request_counts). The
results are then streamed from the results URL, one line at a time, never held whole.

The SDK reads ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL; install it with
`pip install 'costcalc[api]'`. Batch objects and result lines:
https://docs.anthropic.com/en/api/retrieving-message-batches and
https://docs.anthropic.com/en/api/retrieving-message-batch-results
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

from costcalc.errors import CodedError
from costcalc.messages.text import text

BATCH_ID_PREFIX = "msgbatch_"


def client_from_env() -> Any:
    """An SDK client with the key from ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL, read by the
    SDK itself); a clear error when the SDK or the key is missing."""
    try:
        import anthropic
    except ImportError:
        raise CodedError("fetch_needs_sdk") from None
    if not os.environ.get("ANTHROPIC_API_KEY"):
        raise CodedError("fetch_needs_api_key", env="ANTHROPIC_API_KEY")
    return anthropic.Anthropic(max_retries=2, timeout=120)


def fetch_results(batch_id: str, client: Any = None) -> Iterator[Any]:
    """The results of batch `batch_id`, streamed as the SDK yields them
    (MessageBatchIndividualResponse). The batch is retrieved before this returns, so a batch
    that does not exist or has not ended fails here, not while its results are read."""
    if not isinstance(batch_id, str) or not batch_id.startswith(BATCH_ID_PREFIX):
        raise CodedError("batch_id_invalid", batch_id=batch_id, prefix=BATCH_ID_PREFIX)
    if client is None:
        client = client_from_env()
    batch = _call(client, batch_id, lambda: client.messages.batches.retrieve(batch_id))
    status = getattr(batch, "processing_status", None)
    if status != "ended":
        raise _not_ended(batch_id, status, getattr(batch, "request_counts", None))
    stream = _call(client, batch_id, lambda: client.messages.batches.results(batch_id))
    return _lines(client, batch_id, stream)


def _lines(client: Any, batch_id: str, stream: Any) -> Iterator[Any]:
    it = iter(stream)
    while True:
        item = _call(client, batch_id, lambda: next(it, _END))
        if item is _END:
            return
        yield item


_END = object()


def _not_ended(batch_id: str, status: Any, counts: Any) -> CodedError:
    """The batch has no results yet: how far it is, from its request_counts (succeeded,
    errored, canceled and expired stay 0 until the whole batch has ended)."""
    fields = ("processing", "succeeded", "errored", "canceled", "expired")
    n = {f: getattr(counts, f, 0) or 0 for f in fields}
    total = sum(n.values())
    done = total - n["processing"]
    return CodedError(
        "batch_not_ended",
        batch_id=batch_id,
        status=status,
        done=done,
        total=total,
        processing=n["processing"],
    )


def _call(client: Any, batch_id: str, call: Any) -> Any:
    """`call()`, with the SDK's errors turned into one line naming the batch and the server."""
    import anthropic

    where = getattr(client, "base_url", None) or text("place.anthropic_api")
    try:
        return call()
    except anthropic.NotFoundError:
        raise CodedError(
            "batch_not_found", batch_id=batch_id, where=str(where), env="ANTHROPIC_API_KEY"
        ) from None
    except anthropic.AuthenticationError as exc:
        raise CodedError(
            "api_key_refused", where=str(where), status=exc.status_code, env="ANTHROPIC_API_KEY"
        ) from None
    except anthropic.APIStatusError as exc:
        error_type, error_message = _reason(exc)
        raise CodedError(
            "batch_fetch_status",
            batch_id=batch_id,
            where=str(where),
            status=exc.status_code,
            error_type=error_type,
            error_message=error_message,
        ) from None
    except anthropic.APIConnectionError as exc:
        raise CodedError(
            "batch_unreachable", where=str(where), batch_id=batch_id, error=str(exc)
        ) from None
    except anthropic.AnthropicError as exc:
        raise CodedError("batch_fetch_failed", batch_id=batch_id, error=str(exc)) from None


def _reason(exc: Any) -> tuple[Any, Any]:
    """The error's type and message from the response body, (None, None) without one."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        return error.get("type", "error"), error.get("message", "")
    return None, None
