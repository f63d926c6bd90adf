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

from costcalc.errors import CostcalcError

BATCH_ID_PREFIX = "msgbatch_"


def client_from_env() -> Any:
    """An SDK client with the key from ANTHROPIC_API_KEY (and ANTHROPIC_BASE_URL, read by the
    SDK itself); a clear error when the SDK or the key is missing."""
    try:
        import anthropic
    except ImportError:
        raise CostcalcError(
            "fetching batch results needs the Anthropic SDK: pip install 'costcalc[api]'"
        ) from None
    if not os.environ.get("ANTHROPIC_API_KEY"):
        raise CostcalcError(
            "fetching batch results needs an API key in ANTHROPIC_API_KEY (of the workspace "
            "that ran the batch); or download the results and give the file"
        )
    return anthropic.Anthropic(max_retries=2, timeout=120)


def fetch_results(batch_id: str, client: Any = None) -> Iterator[Any]:
    """The results of batch `batch_id`, streamed as the SDK yields them
    (MessageBatchIndividualResponse). The batch is retrieved before this returns, so a batch
    that does not exist or has not ended fails here, not while its results are read."""
    if not isinstance(batch_id, str) or not batch_id.startswith(BATCH_ID_PREFIX):
        raise CostcalcError(
            f"{batch_id!r} is not a Message Batch id (they start with {BATCH_ID_PREFIX})"
        )
    if client is None:
        client = client_from_env()
    batch = _call(client, batch_id, lambda: client.messages.batches.retrieve(batch_id))
    status = getattr(batch, "processing_status", None)
    if status != "ended":
        raise CostcalcError(_not_ended(batch_id, status, getattr(batch, "request_counts", None)))
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


def _not_ended(batch_id: str, status: Any, counts: Any) -> str:
    """The batch has no results yet: how far it is, from its request_counts (succeeded,
    errored, canceled and expired stay 0 until the whole batch has ended)."""
    fields = ("processing", "succeeded", "errored", "canceled", "expired")
    n = {f: getattr(counts, f, 0) or 0 for f in fields}
    total = sum(n.values())
    done = total - n["processing"]
    return (
        f"batch {batch_id} is still {status or 'processing'}: {done:,} of {total:,} requests "
        f"done ({n['processing']:,} processing); its results can be priced once it has ended"
    )


def _call(client: Any, batch_id: str, call: Any) -> Any:
    """`call()`, with the SDK's errors turned into one line naming the batch and the server."""
    import anthropic

    where = getattr(client, "base_url", "the Anthropic API")
    try:
        return call()
    except anthropic.NotFoundError:
        raise CostcalcError(
            f"batch {batch_id} was not found at {where} (HTTP 404): check the id and that "
            "ANTHROPIC_API_KEY belongs to the workspace that created it"
        ) from None
    except anthropic.AuthenticationError as exc:
        raise CostcalcError(
            f"the API key was refused at {where} (HTTP {exc.status_code}): check ANTHROPIC_API_KEY"
        ) from None
    except anthropic.APIStatusError as exc:
        raise CostcalcError(
            f"fetching batch {batch_id} failed at {where}: HTTP {exc.status_code} {_reason(exc)}"
        ) from None
    except anthropic.APIConnectionError as exc:
        raise CostcalcError(f"cannot reach {where} to fetch batch {batch_id}: {exc}") from None
    except anthropic.AnthropicError as exc:
        raise CostcalcError(f"fetching batch {batch_id} failed: {exc}") from None


def _reason(exc: Any) -> str:
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        return f"({error.get('type', 'error')}: {error.get('message', '')})".strip()
    return ""
