"""A fake Admin API on 127.0.0.1 for `costcalc reconcile` tests: the usage and cost reports as
the public docs describe them (daily buckets, `has_more` / `next_page` pages of two buckets, the
`service_tiers[]` and `models[]` filters of the usage report), plus scripted failures (a status
for the next N requests)."""

from __future__ import annotations

import json
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs, urlsplit

USAGE = "/v1/organizations/usage_report/messages"
COST = "/v1/organizations/cost_report"
PAGE_BUCKETS = 2


def usage(model, tier, *, cw="0-200k", geo="global", speed="standard", ws=None, **tokens):
    """One usage result; token keywords: input, write_5m, write_1h, read, output, searches."""
    return {
        "model": model,
        "service_tier": tier,
        "context_window": cw,
        "inference_geo": geo,
        "speed": speed,
        "workspace_id": ws,
        "uncached_input_tokens": tokens.get("input", 0),
        "cache_read_input_tokens": tokens.get("read", 0),
        "cache_creation": {
            "ephemeral_5m_input_tokens": tokens.get("write_5m", 0),
            "ephemeral_1h_input_tokens": tokens.get("write_1h", 0),
        },
        "output_tokens": tokens.get("output", 0),
        "server_tool_use": {"web_search_requests": tokens.get("searches", 0)},
    }


def cost(cents, cost_type="tokens", token_type=None, model=None, tier=None, **more):
    return {
        "currency": "USD",
        "amount": cents,
        "cost_type": cost_type,
        "token_type": token_type,
        "model": model,
        "service_tier": tier,
        "context_window": more.get("cw"),
        "inference_geo": more.get("geo"),
        "workspace_id": more.get("ws"),
        "description": more.get("description", f"{model} {token_type or cost_type}"),
    }


class FakeAdmin(BaseHTTPRequestHandler):
    reports: ClassVar[dict] = {}  # path -> {day "YYYY-MM-DD": [results]}
    script: ClassVar[list] = []  # (status, body or None): one per request, before the reports
    requests: ClassVar[list] = []  # (path, query dict, headers dict)

    def do_GET(self):
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        FakeAdmin.requests.append(
            (url.path, query, {k.lower(): v for k, v in self.headers.items()})
        )
        if FakeAdmin.script:
            status, body, *headers = FakeAdmin.script.pop(0)
            extra = headers[0] if headers else {}
            return self._send(status, body or {"type": "error"}, {"retry-after": "0", **extra})
        if self.headers.get("x-api-key") != "sk-ant-admin-test":
            return self._send(401, {"type": "error", "error": {"type": "authentication_error"}})
        days = FakeAdmin.reports.get(url.path)
        if days is None:
            return self._send(404, {"type": "error"})
        start = _day(query["starting_at"][0])
        end = _day(query["ending_at"][0])
        tiers = set(query.get("service_tiers[]", []))
        models = set(query.get("models[]", []))
        buckets = []
        for day in sorted(days):
            if start <= day < end:
                results = [
                    r
                    for r in days[day]
                    if (not tiers or r.get("service_tier") in tiers)
                    and (not models or r.get("model") in models)
                ]
                buckets.append(
                    {
                        "starting_at": f"{day}T00:00:00Z",
                        "ending_at": f"{day}T23:59:59Z",
                        "results": results,
                    }
                )
        at = int(query.get("page", ["0"])[0])
        page = buckets[at : at + PAGE_BUCKETS]
        more = at + PAGE_BUCKETS < len(buckets)
        body = {
            "data": page,
            "has_more": more,
            "next_page": str(at + PAGE_BUCKETS) if more else None,
        }
        return self._send(200, body)

    def _send(self, status, body, headers=None):
        data = json.dumps(body).encode() if not isinstance(body, bytes) else body
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def _day(stamp: str) -> str:
    return datetime.fromisoformat(stamp.replace("Z", "+00:00")).date().isoformat()


def start_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAdmin)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeAdmin.requests = []
    FakeAdmin.script = []
    FakeAdmin.reports = {}
    return server
