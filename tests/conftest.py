import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from costcalc.cli.app import main
from costcalc.prices.load import load_pricing

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _fixed_terminal(monkeypatch):
    """Every test sees the same terminal whoever runs it and wherever: 80 columns, no forced
    colour. A test that wants another width sets it itself (later, so it wins)."""
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("LINES", "25")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE", "CLICOLOR_FORCE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def pricing():
    return load_pricing()


@pytest.fixture
def write_pricing(tmp_path):
    """Write a variant of the bundled pricing.yaml (text edited by `edit`) and return its path."""

    def make(edit=lambda text: text, name="pricing.yaml"):
        path = tmp_path / name
        path.write_text(edit((REPO / "pricing.yaml").read_text(encoding="utf-8")), encoding="utf-8")
        return path

    return make


@pytest.fixture
def cli(capsys):
    """Run costcalc in-process: (exit status, stdout, stderr), argparse's own exits included."""

    def run(*argv):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = exc.code
        out, err = capsys.readouterr()
        return code, out, err

    return run


def _words(value) -> int:
    """Words in every string of a request part, skipping keys that are not content."""
    if isinstance(value, str):
        return len(value.split())
    if isinstance(value, list):
        return sum(_words(v) for v in value)
    if isinstance(value, dict):
        return sum(
            _words(v) for k, v in value.items() if k not in ("type", "role", "cache_control")
        )
    return 0


class FakeAnthropic(BaseHTTPRequestHandler):
    """count_tokens on 127.0.0.1: one token per word of the system prompt, tools and messages
    (strings or content blocks), plus 3 for the message framing; a request containing FAIL gets
    a 400 error."""

    requests: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        # SDK versions send the key as x-api-key or as a bearer token.
        key = self.headers.get("x-api-key") or self.headers.get("Authorization", "").removeprefix(
            "Bearer "
        )
        FakeAnthropic.requests.append((self.path, key, body))
        parts = [body.get(k) for k in ("system", "tools", "messages")]
        if "FAIL" in json.dumps(parts):
            reply, status = (
                {
                    "type": "error",
                    "error": {"type": "invalid_request_error", "message": "prompt is too long"},
                },
                400,
            )
        else:
            reply, status = {"input_tokens": sum(_words(p) for p in parts) + 3}, 200
        data = json.dumps(reply).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_api(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAnthropic)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeAnthropic.requests = []
    monkeypatch.setenv("ANTHROPIC_BASE_URL", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-test")
    yield FakeAnthropic
    server.shutdown()
    server.server_close()


def pytest_addoption(parser):
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite tests/golden/ from the current output (test_golden.py)",
    )
