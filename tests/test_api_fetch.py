"""Fetching a batch's results with the real anthropic SDK from a fake Batches API on 127.0.0.1:
`costcalc actual --batch-id` and `price_results(batch_id=..., client=...)`.

The fake speaks GET /v1/messages/batches/{id} (the batch object, with processing_status,
request_counts and results_url) and GET {results_url} (the JSONL stream), as the SDK calls them.
"""

from __future__ import annotations

import json
import sys
import threading
from datetime import date
from decimal import Decimal as D
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

import costcalc

anthropic = pytest.importorskip("anthropic")

ON = date(2026, 6, 1)
MODEL = "claude-opus-4-7"


def result(i: int, usage: dict) -> dict:
    return {
        "custom_id": f"r{i}",
        "result": {
            "type": "succeeded",
            "message": {
                "id": f"msg_{i}",
                "type": "message",
                "role": "assistant",
                "model": MODEL,
                "content": [{"type": "text", "text": "ok"}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": usage,
            },
        },
    }


RESULTS = [
    result(0, {"input_tokens": 1000, "output_tokens": 100, "service_tier": "batch"}),
    result(
        1,
        {
            "input_tokens": 10,
            "output_tokens": 100,
            "cache_read_input_tokens": 3000,
            "cache_creation": {"ephemeral_5m_input_tokens": 2000, "ephemeral_1h_input_tokens": 0},
            "cache_creation_input_tokens": 2000,
            "service_tier": "batch",
        },
    ),
    {"custom_id": "r2", "result": {"type": "expired"}},
]
# By hand at Opus 4.7 batch rates: input 1,010 x $2.50/M = 0.002525; 5m write 2,000 x
# $3.125/M = 0.00625; read 3,000 x $0.25/M = 0.00075; output 200 x $12.50/M = 0.0025.
TOTAL = D("0.012025")

BATCHES = {
    "msgbatch_ended": (
        "ended",
        {"processing": 0, "succeeded": 2, "errored": 0, "canceled": 0, "expired": 1},
    ),
    "msgbatch_running": (
        "in_progress",
        {
            "processing": 60,
            "succeeded": 0,
            "errored": 0,
            "canceled": 0,
            "expired": 0,
            "_total": 100,
        },
    ),
}


class FakeBatches(BaseHTTPRequestHandler):
    seen: list = []
    fail_with = 0  # an HTTP status every request gets, when set

    def do_GET(self):
        # SDK versions send the key as x-api-key or as a bearer token.
        key = self.headers.get("x-api-key") or self.headers.get("Authorization", "").removeprefix(
            "Bearer "
        )
        FakeBatches.seen.append((self.path, key))
        if FakeBatches.fail_with:
            return self._json(
                FakeBatches.fail_with,
                {"type": "error", "error": {"type": "api_error", "message": "Internal error"}},
            )
        parts = self.path.split("?")[0].strip("/").split("/")
        if len(parts) < 4 or parts[3] not in BATCHES:
            return self._json(
                404,
                {"type": "error", "error": {"type": "not_found_error", "message": "Not found"}},
            )
        batch_id = parts[3]
        status, counts = BATCHES[batch_id]
        if len(parts) == 5 and parts[4] == "results":
            body = "".join(json.dumps(r) + "\n" for r in RESULTS).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/binary")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return None
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        return self._json(
            200,
            {
                "id": batch_id,
                "type": "message_batch",
                "processing_status": status,
                "request_counts": counts,
                "created_at": "2026-06-01T10:00:00Z",
                "expires_at": "2026-06-02T10:00:00Z",
                "ended_at": "2026-06-01T11:00:00Z" if status == "ended" else None,
                "archived_at": None,
                "cancel_initiated_at": None,
                "results_url": f"{base}/v1/messages/batches/{batch_id}/results"
                if status == "ended"
                else None,
            },
        )

    def _json(self, status, doc):
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        # The SDK retries 5xx; it waits as long as this says, so the test stays fast.
        self.send_header("retry-after-ms", "1")
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def server(monkeypatch):
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeBatches)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    FakeBatches.seen = []
    FakeBatches.fail_with = 0
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("ANTHROPIC_BASE_URL", url)
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    yield url
    httpd.shutdown()
    httpd.server_close()


def client(url):
    return anthropic.Anthropic(api_key="sk-test", base_url=url, max_retries=0)


def test_price_results_fetches_with_the_sdk(server, tmp_path, cli):
    report = costcalc.price_results(batch_id="msgbatch_ended", client=client(server), on=ON)
    assert report.total == TOTAL
    assert report.counts == {"succeeded": 2, "errored": 0, "canceled": 0, "expired": 1}
    # retrieve (costcalc's, to see that it has ended; then the SDK's own in results()), then
    # the results stream; the key went with each.
    assert [p for p, _ in FakeBatches.seen] == [
        "/v1/messages/batches/msgbatch_ended",
        "/v1/messages/batches/msgbatch_ended",
        "/v1/messages/batches/msgbatch_ended/results",
    ]
    assert {k for _, k in FakeBatches.seen} == {"sk-test"}
    # The same document as the CLI on the downloaded file (the "file" is the batch id).
    path = tmp_path / "results.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in RESULTS))
    code, out, err = cli("actual", str(path), "--format", "json", "--date", ON.isoformat())
    assert code == 0, err
    assert report.to_json() == out.replace(json.dumps(str(path)), '"msgbatch_ended"')


def test_the_sdk_results_loop_is_priced_as_it_streams(server):
    sdk = client(server)
    report = costcalc.price_results(sdk.messages.batches.results("msgbatch_ended"), on=ON)
    assert report.total == TOTAL


def test_actual_batch_id_from_the_environment(server, cli, tmp_path):
    code, out, err = cli(
        "actual", "--batch-id", "msgbatch_ended", "--format", "json", "--date", ON.isoformat()
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["file"] == "msgbatch_ended" and D(doc["total_usd"]) == TOTAL
    # With --batch the results are read twice (cold-start misses): spooled, then removed.
    reqs = tmp_path / "batch.jsonl"
    request = {
        "custom_id": "r0",
        "params": {
            "model": MODEL,
            "max_tokens": 100,
            "messages": [{"role": "user", "content": "hi"}],
        },
    }
    reqs.write_text(json.dumps(request) + "\n")
    code, out, err = cli(
        "actual",
        "--batch-id",
        "msgbatch_ended",
        "--batch",
        str(reqs),
        "--format",
        "json",
        "--date",
        ON.isoformat(),
    )
    assert code == 0, err
    assert json.loads(out)["cold_start"]["matched_requests"] == 1
    code, out, err = cli("actual", "--batch-id", "msgbatch_ended", "--format", "csv")
    assert code == 0, err
    assert out.splitlines()[0].startswith("custom_id,model,") and len(out.splitlines()) == 3


def test_a_batch_still_in_progress_says_how_far_it_is(server, cli):
    code, out, err = cli("actual", "--batch-id", "msgbatch_running")
    assert code == 2 and out == ""
    assert "batch msgbatch_running is still in_progress: 0 of 60 requests done" in err
    with pytest.raises(costcalc.CostcalcError, match="still in_progress"):
        costcalc.price_results(batch_id="msgbatch_running", client=client(server))


def test_not_found_and_server_errors(server, cli):
    code, _, err = cli("actual", "--batch-id", "msgbatch_nope")
    assert code == 2
    assert "batch msgbatch_nope was not found at" in err and "(HTTP 404)" in err
    FakeBatches.fail_with = 500
    code, _, err = cli("actual", "--batch-id", "msgbatch_ended")
    assert code == 2
    assert "fetching batch msgbatch_ended failed at" in err
    assert "HTTP 500 (api_error: Internal error)" in err
    with pytest.raises(costcalc.CostcalcError, match="HTTP 500"):
        costcalc.price_results(batch_id="msgbatch_ended", client=client(server))
    FakeBatches.fail_with = 401
    code, _, err = cli("actual", "--batch-id", "msgbatch_ended")
    assert code == 2 and "the API key was refused" in err


def test_nothing_listens(monkeypatch, cli):
    # A port nothing listens on: a closed server answers with a refused connection.
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    sdk = anthropic.Anthropic(api_key="k", base_url=f"http://127.0.0.1:{port}", max_retries=0)
    with pytest.raises(costcalc.CostcalcError, match="cannot reach"):
        costcalc.price_results(batch_id="msgbatch_ended", client=sdk)


def test_missing_key(monkeypatch, cli):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    code, _, err = cli("actual", "--batch-id", "msgbatch_ended")
    assert code == 2 and "needs an API key in ANTHROPIC_API_KEY" in err


def test_sdk_not_installed(monkeypatch, cli):
    monkeypatch.setitem(sys.modules, "anthropic", None)  # import anthropic -> ImportError
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    code, _, err = cli("actual", "--batch-id", "msgbatch_ended")
    assert code == 2 and "pip install 'costcalc[api]'" in err
    with pytest.raises(costcalc.CostcalcError, match=r"costcalc\[api\]"):
        costcalc.price_results(batch_id="msgbatch_ended")


def test_batch_id_arguments(cli, tmp_path):
    code, _, err = cli("actual")
    assert code == 2 and "give the results file" in err
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps(RESULTS[0]) + "\n")
    code, _, err = cli("actual", str(f), "--batch-id", "msgbatch_ended")
    assert code == 2 and "not both" in err
    code, _, err = cli("actual", "--batch-id", "batch_123")
    assert code == 2 and "is not a Message Batch id" in err
