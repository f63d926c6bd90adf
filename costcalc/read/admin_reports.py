"""The usage and cost reports of the Admin API as typed rows (no arithmetic beyond reading).

Usage report, `GET /v1/organizations/usage_report/messages`
(https://platform.claude.com/docs/en/api/admin/usage_report/retrieve_messages): daily buckets
(`bucket_width=1d`, at most 31 buckets per call), each with `results` whose token counts are
`uncached_input_tokens`, `cache_read_input_tokens`, `cache_creation.ephemeral_5m_input_tokens`,
`cache_creation.ephemeral_1h_input_tokens`, `output_tokens` and
`server_tool_use.web_search_requests`, plus the dimensions asked for in `group_by[]` (null
otherwise). Grouping by `speed` needs the `fast-mode-2026-02-01` beta header. Code execution is
not in this report.

Cost report, `GET /v1/organizations/cost_report`
(https://platform.claude.com/docs/en/api/admin/cost_report): `bucket_width` is `1d` only,
`limit` 1 to 31 buckets; grouped by `description` each result also has `cost_type` (`tokens`,
`web_search`, `code_execution`, `session_usage`), `token_type`, `model`, `service_tier`,
`context_window`, `inference_geo`. `amount` is a decimal string in the currency's lowest unit:
"123.45" in USD is 123.45 cents, $1.2345 (the docs: 'For example, "123.45" in "USD" represents
$1.23', the figure shown rounded to the cent). Priority Tier costs are not in the cost report
(https://docs.anthropic.com/ko/api/usage-cost-api).

A range longer than the bucket limit is asked in several calls of at most 31 days, each followed
through its pages. Anything a row cannot be read as (a count that is not a non-negative integer,
an amount that is not a decimal string, a currency other than USD, a day outside the range) is a
malformed page: a coded error, never a silently skipped row.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from costcalc.errors import CodedError
from costcalc.read.admin_api import AdminClient

USAGE_PATH = "/v1/organizations/usage_report/messages"
COST_PATH = "/v1/organizations/cost_report"
MAX_DAYS_PER_CALL = 31  # the 1d bucket limit of both reports
SPEED_BETA = "fast-mode-2026-02-01"
USAGE_GROUPS = ("model", "service_tier", "context_window", "inference_geo", "speed")
# The report's token fields -> costcalc's token classes (design: `input` is uncached input).
USAGE_FIELDS = {
    "uncached_input_tokens": "input",
    "cache_creation.ephemeral_5m_input_tokens": "cache_write_5m",
    "cache_creation.ephemeral_1h_input_tokens": "cache_write_1h",
    "cache_read_input_tokens": "cache_read",
    "output_tokens": "output",
}
_AMOUNT = re.compile(r"-?[0-9]+(\.[0-9]+)?")


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the reports to (empty: everything)."""

    models: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    workspaces: tuple[str, ...] = ()
    by_workspace: bool = False


@dataclass(frozen=True)
class UsageRow:
    day: date
    model: str | None
    service_tier: str | None
    context_window: str | None
    inference_geo: str | None
    speed: str | None
    workspace_id: str | None
    tokens: dict[str, int]  # token class -> tokens
    web_searches: int


@dataclass(frozen=True)
class CostRow:
    day: date
    cost_type: str | None
    token_type: str | None  # costcalc's token class when cost_type is tokens
    model: str | None
    service_tier: str | None
    context_window: str | None
    inference_geo: str | None
    workspace_id: str | None
    description: str | None
    cents: Decimal  # the report's amount, as sent
    usd: Decimal  # cents / 100, exact


def windows(start: date, end: date) -> list[tuple[date, date]]:
    """[start, end] (inclusive days) cut into calls of at most MAX_DAYS_PER_CALL days."""
    out = []
    day = start
    while day <= end:
        last = min(day + timedelta(days=MAX_DAYS_PER_CALL - 1), end)
        out.append((day, last))
        day = last + timedelta(days=1)
    return out


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def _window_query(first: date, last: date) -> list[tuple[str, str]]:
    days = (last - first).days + 1
    return [
        ("starting_at", _stamp(first)),
        ("ending_at", _stamp(last + timedelta(days=1))),
        ("bucket_width", "1d"),
        ("limit", str(days)),
    ]


def usage_rows(client: AdminClient, start: date, end: date, f: Filters) -> list[UsageRow]:
    groups = USAGE_GROUPS + (("workspace_id",) if f.by_workspace or f.workspaces else ())
    extra = [("group_by[]", g) for g in groups]
    extra += [("models[]", m) for m in f.models]
    extra += [("service_tiers[]", t) for t in f.tiers]
    extra += [("workspace_ids[]", w) for w in f.workspaces]
    return [
        _usage_row(day, result)
        for first, last in windows(start, end)
        for day, result in _results(
            client, USAGE_PATH, _window_query(first, last) + extra, start, end, (SPEED_BETA,)
        )
    ]


def cost_rows(client: AdminClient, start: date, end: date, f: Filters) -> list[CostRow]:
    """The cost report grouped by description (and workspace when asked); the cost report takes
    no model, tier or workspace filter, so `reconcile` filters its rows."""
    groups = ("description",) + (("workspace_id",) if f.by_workspace or f.workspaces else ())
    extra = [("group_by[]", g) for g in groups]
    return [
        _cost_row(day, result)
        for first, last in windows(start, end)
        for day, result in _results(
            client, COST_PATH, _window_query(first, last) + extra, start, end
        )
    ]


def _results(
    client: AdminClient,
    path: str,
    query: Sequence[tuple[str, str]],
    start: date,
    end: date,
    beta: tuple[str, ...] = (),
) -> Iterator[tuple[date, dict[str, Any]]]:
    for page in client.pages(path, query, beta):
        for bucket in page["data"]:
            if not isinstance(bucket, dict) or not isinstance(bucket.get("results"), list):
                raise CodedError("admin_page_malformed", path=path, what="bucket")
            day = _day(bucket.get("starting_at"), path)
            if not start <= day <= end:
                raise CodedError("admin_page_malformed", path=path, what="starting_at")
            for result in bucket["results"]:
                if not isinstance(result, dict):
                    raise CodedError("admin_page_malformed", path=path, what="results")
                yield day, result


def _day(stamp: Any, path: str) -> date:
    try:
        return datetime.fromisoformat(str(stamp).replace("Z", "+00:00")).date()
    except ValueError:
        raise CodedError("admin_page_malformed", path=path, what="starting_at") from None


def _text(result: dict[str, Any], key: str, path: str) -> str | None:
    value = result.get(key)
    if value is None or isinstance(value, str):
        return value
    raise CodedError("admin_page_malformed", path=path, what=key)


def _count(value: Any, key: str) -> int:
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise CodedError("admin_page_malformed", path=USAGE_PATH, what=key)
    return value


def _usage_row(day: date, r: dict[str, Any]) -> UsageRow:
    creation = r.get("cache_creation") or {}
    tools = r.get("server_tool_use") or {}
    if not isinstance(creation, dict) or not isinstance(tools, dict):
        raise CodedError("admin_page_malformed", path=USAGE_PATH, what="results")
    tokens = {}
    for name, token_class in USAGE_FIELDS.items():
        head, _, tail = name.partition(".")
        value = creation.get(tail) if tail else r.get(head)
        tokens[token_class] = _count(value, name)
    return UsageRow(
        day=day,
        model=_text(r, "model", USAGE_PATH),
        service_tier=_text(r, "service_tier", USAGE_PATH),
        context_window=_text(r, "context_window", USAGE_PATH),
        inference_geo=_text(r, "inference_geo", USAGE_PATH),
        speed=_text(r, "speed", USAGE_PATH),
        workspace_id=_text(r, "workspace_id", USAGE_PATH),
        tokens=tokens,
        web_searches=_count(tools.get("web_search_requests"), "web_search_requests"),
    )


def _cost_row(day: date, r: dict[str, Any]) -> CostRow:
    amount, currency = r.get("amount"), r.get("currency", "USD")
    if currency != "USD" or not isinstance(amount, str) or not _AMOUNT.fullmatch(amount):
        raise CodedError("admin_page_malformed", path=COST_PATH, what="amount")
    try:
        cents = Decimal(amount)
    except InvalidOperation:  # pragma: no cover - the pattern admits only decimals
        raise CodedError("admin_page_malformed", path=COST_PATH, what="amount") from None
    token_type = _text(r, "token_type", COST_PATH)
    cost_type = _text(r, "cost_type", COST_PATH)
    token_class = USAGE_FIELDS.get(token_type) if token_type else None
    if cost_type == "tokens" and token_class is None:
        raise CodedError("admin_page_malformed", path=COST_PATH, what="token_type")
    return CostRow(
        day=day,
        cost_type=cost_type,
        token_type=token_class,
        model=_text(r, "model", COST_PATH),
        service_tier=_text(r, "service_tier", COST_PATH),
        context_window=_text(r, "context_window", COST_PATH),
        inference_geo=_text(r, "inference_geo", COST_PATH),
        workspace_id=_text(r, "workspace_id", COST_PATH),
        description=_text(r, "description", COST_PATH),
        cents=cents,
        usd=cents.scaleb(-2),
    )
