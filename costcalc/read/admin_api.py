"""A small client for Anthropic's Admin API: the organisation's usage and cost reports.

Opt-in network: only `costcalc reconcile` builds one, and it talks to one base URL (the public
API, or ANTHROPIC_BASE_URL when set), nowhere else. It is stdlib `urllib`: two GET endpoints do
not justify a dependency, and the anthropic SDK is optional in costcalc.

What the API documents, and what this client does about it:
- Authentication is an Admin API key (`sk-ant-admin...`) in `x-api-key`, with
  `anthropic-version`; only organisation admins can create one, and individual accounts have no
  Admin API (https://platform.claude.com/docs/en/api/admin/cost_report/retrieve ;
  https://docs.anthropic.com/ko/api/usage-cost-api). A 401 or 403 is a missing or non-admin key:
  fail at once, the key will not get better by retrying.
- Pages: each answer has `data`, `has_more` and `next_page`; the next request repeats the query
  with `page=<next_page>` until `has_more` is false (same sources).
- Redirects are not followed: urllib would resend the key to wherever a 3xx points, and the key
  goes to the configured base URL only. A 3xx is an error like any other unexpected status.
- 429: retried, at most MAX_RETRIES times, waiting what `retry-after` says (capped) or a doubling
  backoff; 5xx likewise, then fail closed. Anything else that is not 200 fails at once.
Errors are coded (messages.ERRORS writes the line); the CLI exits 2 with it.
"""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from costcalc.errors import CodedError

DEFAULT_BASE_URL = "https://api.anthropic.com"
API_VERSION = "2023-06-01"
KEY_ENV = "ANTHROPIC_ADMIN_API_KEY"
BASE_URL_ENV = "ANTHROPIC_BASE_URL"
TIMEOUT_S = 30.0
MAX_RETRIES = 4  # after the first try: five requests at most per page
MAX_WAIT_S = 30.0  # the longest single wait, whatever retry-after asks
MAX_PAGES = 10_000  # a server that never says has_more=false must not loop for ever
MAX_PAGE_BYTES = 64 * 2**20  # a page is a few KB; anything this large is not a report
RETRIED = frozenset({429, 500, 502, 503, 504, 529})

Query = Sequence[tuple[str, str]]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None  # urllib then raises HTTPError with the 3xx status


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class AdminClient:
    """GETs JSON pages from one base URL with one key. `sleep` is injectable so tests of the
    retry path take no time."""

    key: str
    base_url: str = DEFAULT_BASE_URL
    timeout: float = TIMEOUT_S
    sleep: Callable[[float], None] = time.sleep
    requests_made: list[str] = field(default_factory=list)  # paths asked, for tests and --debug

    @classmethod
    def from_env(cls, env: Mapping[str, str], **kwargs: Any) -> AdminClient:
        key = env.get(KEY_ENV, "").strip()
        if not key:
            raise CodedError("admin_key_missing", env=KEY_ENV)
        base = env.get(BASE_URL_ENV, "").strip() or DEFAULT_BASE_URL
        if urllib.parse.urlsplit(base).scheme not in ("http", "https"):
            raise CodedError("admin_base_url_invalid", env=BASE_URL_ENV, url=base)
        return cls(key=key, base_url=base.rstrip("/"), **kwargs)

    def pages(
        self, path: str, query: Query, beta: tuple[str, ...] = ()
    ) -> Iterator[dict[str, Any]]:
        """Every page of one report query, following `next_page` while `has_more`; `beta`: the
        anthropic-beta features the query needs."""
        page: str | None = None
        for _ in range(MAX_PAGES):
            params = list(query) + ([("page", page)] if page else [])
            body = self._get(path, params, beta)
            yield body
            if not body.get("has_more"):
                return
            page = body.get("next_page")
            if not isinstance(page, str) or not page:
                raise CodedError("admin_page_malformed", path=path, what="next_page")
        raise CodedError("admin_page_malformed", path=path, what="has_more")

    def _get(self, path: str, params: Query, beta: tuple[str, ...]) -> dict[str, Any]:
        url = f"{self.base_url}{path}?{urllib.parse.urlencode(params)}"
        headers = {
            "x-api-key": self.key,
            "anthropic-version": API_VERSION,
            "accept": "application/json",
        }
        if beta:
            headers["anthropic-beta"] = ",".join(beta)
        wait = 1.0
        for attempt in range(MAX_RETRIES + 1):
            self.requests_made.append(path)
            request = urllib.request.Request(url, headers=headers, method="GET")
            try:
                with _OPENER.open(request, timeout=self.timeout) as response:
                    raw = response.read(MAX_PAGE_BYTES + 1)
                if len(raw) > MAX_PAGE_BYTES:
                    raise CodedError("admin_page_malformed", path=path, what="size")
                return _page(raw, path)
            except urllib.error.HTTPError as exc:
                status = exc.code
                retry_after = exc.headers.get("retry-after") if exc.headers else None
                exc.close()
                if status in (401, 403):
                    raise CodedError("admin_key_rejected", status=status, env=KEY_ENV) from None
                if status not in RETRIED:
                    raise CodedError("admin_api_status", status=status, path=path) from None
                if attempt == MAX_RETRIES:
                    code = "admin_rate_limited" if status == 429 else "admin_api_failed"
                    raise CodedError(code, status=status, tries=attempt + 1, path=path) from None
                self.sleep(_wait(retry_after, wait))
                wait = min(wait * 2, MAX_WAIT_S)
            except (urllib.error.URLError, TimeoutError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                raise CodedError(
                    "admin_unreachable", url=self.base_url, reason=str(reason)[:200]
                ) from None
        raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _wait(retry_after: str | None, backoff: float) -> float:
    """Seconds to wait before the next try: the server's retry-after (in seconds) when it sends
    a usable one, else the backoff; never more than MAX_WAIT_S."""
    if retry_after is not None:
        try:
            seconds = float(retry_after)
        except ValueError:
            seconds = -1.0
        if seconds == seconds and seconds >= 0:  # not NaN, not negative
            return min(seconds, MAX_WAIT_S)
    return min(backoff, MAX_WAIT_S)


def _page(raw: bytes, path: str) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise CodedError("admin_page_malformed", path=path, what="json") from None
    if not isinstance(body, dict) or not isinstance(body.get("data"), list):
        raise CodedError("admin_page_malformed", path=path, what="data")
    if not isinstance(body.get("has_more", False), bool):
        raise CodedError("admin_page_malformed", path=path, what="has_more")
    return body
