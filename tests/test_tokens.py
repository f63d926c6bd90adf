"""Offline token counting, the calibration band, text handling, and --exact on a fake server."""

import json
import os
import subprocess
import sys
from datetime import date
from decimal import Decimal as D

import pytest

from costcalc.compute.engine import Workload
from costcalc.compute.planning import analyze
from costcalc.errors import CostcalcError
from costcalc.tokens.count import (
    Band,
    Counter,
    TokenSource,
    band,
    band_text,
    load_cl100k,
    mean_and_max,
    read_text,
)

TODAY = date(2026, 11, 24)


def test_cl100k_loads_offline_with_an_empty_cache(tmp_path):
    # No network (every connect refused) and empty tiktoken cache directories.
    cache = tmp_path / "cache"
    cache.mkdir()
    code = (
        "import socket\n"
        "def refuse(*a, **k): raise OSError('network used')\n"
        "socket.socket.connect = refuse\nsocket.create_connection = refuse\n"
        "from costcalc.tokens.count import load_cl100k\n"
        "enc = load_cl100k()\n"
        "print(enc.name, enc.encode_ordinary('hello world'))\n"
    )
    env = {**os.environ, "TIKTOKEN_CACHE_DIR": str(cache), "DATA_GYM_CACHE_DIR": str(cache)}
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "cl100k_base [15339, 1917]"  # tiktoken's documented example
    assert list(cache.iterdir()) == []


def test_a_damaged_encoding_file_is_refused(tmp_path):
    bad = tmp_path / "cl100k_base.ranks"
    bad.write_bytes(b"IQ== 0\n")
    with pytest.raises(CostcalcError, match="is damaged"):
        load_cl100k(bad)


def test_the_estimate_path_does_not_import_tiktoken():
    code = (
        "import sys\nfrom costcalc.cli.app import main\n"
        "main(['estimate', '--model', 'opus-4.7', '--shared', '80k', '--requests', '10k', "
        "'--format', 'json'])\n"
        "assert 'tiktoken' not in sys.modules, 'tiktoken imported'\n"
        "assert 'pydantic.main' not in sys.modules, 'pydantic models imported'\n"
    )
    subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)


def test_band_arithmetic_matches_the_issue_example(pricing):
    old, new = pricing.tokenizers["claude-3"], pricing.tokenizers["claude-4.7"]
    # 100,000 cl100k tokens x 1.16 (1.00-1.26) and x 1.53 (1.16-1.56), the measured
    # ratios in pricing.yaml's tokenizers: section
    assert band(100_000, old) == Band(100_000, 116_000, 126_000)
    assert band_text(band(100_000, old)) == "~116,000 (100,000-126,000)"
    assert band(100_000, new) == Band(116_000, 153_000, 156_000)
    # rounding half up: 1,234 x 1.16 = 1,431.44; x 1.26 = 1,554.84; x 1.53 = 1,888.02
    assert band(1_234, old) == Band(1_234, 1_431, 1_555)
    assert band(1_234, new).central == 1_888
    assert band_text(Band.of(42)) == "42 (exact)"


def test_mean_and_max():
    assert mean_and_max([600, 600, 960, 1_320, 1_680, 2_040]) == (1_200, 2_040)
    assert mean_and_max([1, 2]) == (2, 2)  # 1.5 rounds half up
    assert mean_and_max([]) == (0, 0)


def test_cost_at_the_low_central_and_high_counts(pricing):
    # Opus 4.7, 10,000 requests, a prefix of 100,000 cl100k tokens -> 116k / 153k / 156k.
    tokens = TokenSource(
        "estimate", "claude-4.7", Band(116_000, 153_000, 156_000), None, None, 0, 400_000, None
    )
    a = analyze(
        pricing.resolve("opus-4.7"),
        Workload(10_000, 153_000),
        limits=pricing.batch_limits,
        on=TODAY,
        tokens=tokens,
    )
    bands = {name: (low, high) for name, low, high in a.cost_band}
    # batch_cache: write S x $3.125/M + 9,999 x S x $0.25/M
    #   low 0.3625 + 289.971 = 290.3335; central 0.478125 + 382.46175; high 0.4875 + 389.961
    assert bands["batch_cache"] == (D("290.3335"), D("390.4485"))
    assert a.estimate.scenario("batch_cache").total == D("382.939875")
    # standard: 10,000 x S x $5/M
    assert bands["standard"] == (D("5800"), D("7800"))
    # the batch split uses the text's bytes: 400,000 a request, 640 a batch, 16 batches
    assert a.batch_plan.bytes_per_request == 400_000 and a.batch_plan.batches == 16


def test_counter_counts_identical_texts_once(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("hello world")
    b.write_text("hello world")
    counter = Counter()
    assert [counter.count(read_text(p)) for p in (a, b)] == [2, 2]
    assert counter.distinct == 1


def test_text_handling(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    assert Counter().count(read_text(empty)) == 0
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0")
    with pytest.raises(CostcalcError, match="looks binary"):
        read_text(binary)
    latin = tmp_path / "latin.txt"
    latin.write_bytes("café".encode("latin-1"))
    with pytest.raises(
        CostcalcError, match=r"not valid utf-8 \(byte 0xe9 at offset 3\); pass --encoding"
    ):
        read_text(latin)
    assert read_text(latin, "latin-1").text == "café"
    with pytest.raises(CostcalcError, match="unknown text encoding"):
        read_text(latin, "klingon")


@pytest.fixture
def samples(tmp_path):
    (tmp_path / "samples").mkdir()
    (tmp_path / "samples" / "a.py").write_text("hello world")  # 2 cl100k tokens
    (tmp_path / "samples" / "b.py").write_text("hello world")  # identical
    (tmp_path / "samples" / "sub").mkdir()
    (tmp_path / "samples" / "sub" / "c.py").write_text("")  # 0 tokens
    (tmp_path / "samples" / ".hidden").write_text("ignored")
    (tmp_path / "rubric.txt").write_text("hello world " * 3_000)
    return tmp_path


def test_tokens_command(cli, samples):
    code, out, err = cli("tokens", str(samples / "samples"), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert [f["file"].rsplit("/", 1)[-1] for f in doc["files"]] == ["a.py", "b.py", "c.py"]
    assert [f["cl100k_base"] for f in doc["files"]] == [2, 2, 0]
    assert doc["distinct_texts"] == 2
    # "hello world" is prose: total 4 cl100k prose tokens. claude-3 prose 1.00/1.10/1.20:
    # 4, 4.4 -> 4, 4.8 -> 5. claude-4.7 prose 1.30/1.50/1.71: 5.2 -> 5, 6, 6.84 -> 7.
    assert [f["kind"] for f in doc["files"]] == ["prose", "prose", "prose"]
    assert doc["total"]["counts"]["claude-3"] == {"low": 4, "central": 4, "high": 5, "exact": False}
    assert doc["total"]["counts"]["claude-4.7"] == {
        "low": 5,
        "central": 6,
        "high": 7,
        "exact": False,
    }
    code, out, _ = cli(
        "tokens", str(samples / "samples" / "a.py"), "--model", "opus-4.7", "--format", "csv"
    )
    # 2 prose tokens on the 4.7 tokenizer: 2.6 -> 3, 3.0 -> 3, 3.42 -> 3
    assert out.splitlines() == [
        "file,bytes,cl100k_base,opus-4.7_low,opus-4.7_central,opus-4.7_high,kind",
        f"{samples / 'samples' / 'a.py'},11,2,3,3,3,prose",
        "total,11,2,3,3,3,prose",
    ]
    code, out, _ = cli("tokens", str(samples / "rubric.txt"))
    assert "~" in out and "Only count_tokens (--exact) is exact" in " ".join(out.split())


@pytest.mark.parametrize(
    "argv, message",
    [
        (["tokens", "missing.txt"], "missing.txt: no such file or directory"),
        (["tokens", "rubric.txt", "--exact"], "--exact counts for a model: add --model NAME"),
        (
            ["estimate", "--model", "opus-4.7", "--shared-file", "rubric.txt"],
            "--requests is required",
        ),
        (
            [
                "estimate",
                "--model",
                "opus-4.7",
                "--requests",
                "5",
                "--shared",
                "5",
                "--shared-file",
                "rubric.txt",
            ],
            "give --shared or --shared-file, not both",
        ),
        (["estimate", "--model", "opus-4.7", "--requests", "5", "--exact"], "--exact counts text"),
        (["estimate", "--model", "opus-4.7", "--unique-dir", "rubric.txt"], "is not a directory"),
    ],
)
def test_bad_token_input(cli, samples, monkeypatch, argv, message):
    monkeypatch.chdir(samples)
    code, out, err = cli(*argv)
    assert code == 2 and message in err and out == "" and err.count("\n") == 1


def test_estimate_from_files(cli, samples):
    code, out, err = cli(
        "estimate",
        "--model",
        "haiku-4.5",
        "--shared-file",
        str(samples / "rubric.txt"),
        "--unique-dir",
        str(samples / "samples"),
        "--output",
        "100",
        "--format",
        "json",
    )
    assert code == 0, err
    doc = json.loads(out)
    t = doc["token_counts"]
    assert doc["workload"]["requests"] == 3  # one request per file
    assert t["method"] == "estimate" and t["tokenizer"] == "claude-3"
    assert t["unique_texts"] == 3
    # unique: cl100k 2, 2, 0, all prose (claude-3 prose 1.00/1.10/1.20): each "hello world"
    # is 2, 2.2 -> 2, 2.4 -> 2; the empty file 0. Mean central (2 + 2 + 0) / 3 -> 1; largest 2.
    assert t["unique_per_request"]["central"] == 1
    assert t["unique_max"] == {"low": 2, "central": 2, "high": 2, "exact": False}
    shared = t["shared"]
    assert shared["low"] <= shared["central"] <= shared["high"]
    assert doc["workload"]["shared_tokens"] == shared["central"]
    assert set(doc["cost_at_token_band"]) == {"standard", "batch", "cache", "batch_cache"}


def test_exact_needs_the_sdk_and_a_key(cli, samples, monkeypatch):
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    code, _, err = cli("tokens", str(samples / "rubric.txt"), "--model", "opus-4.7", "--exact")
    assert code == 2 and "ANTHROPIC_API_KEY" in err
    monkeypatch.setitem(sys.modules, "anthropic", None)  # as if not installed
    code, _, err = cli("tokens", str(samples / "rubric.txt"), "--model", "opus-4.7", "--exact")
    assert code == 2 and "pip install 'costcalc[anthropic]'" in err


def test_exact_counts_through_the_fake_server(cli, samples, fake_api):
    pytest.importorskip("anthropic")
    (samples / "unique.txt").write_text("review this code please")  # 4 words
    code, out, err = cli(
        "estimate",
        "--model",
        "opus-4.7",
        "--requests",
        "100",
        "--exact",
        "--shared-file",
        str(samples / "rubric.txt"),
        "--unique-file",
        str(samples / "unique.txt"),
        "--format",
        "json",
    )
    assert code == 0, err
    t = json.loads(out)["token_counts"]
    # shared: (6,000 words + 1 + 3) - (1 + 3) = 6,000; unique: 4 words + 3 framing = 7
    assert t["method"] == "count_tokens"
    assert t["shared"] == {"low": 6_000, "central": 6_000, "high": 6_000, "exact": True}
    assert t["unique_per_request"]["central"] == 7
    assert json.loads(out)["cost_at_token_band"] is None  # exact: no band
    paths = {(path, key, body["model"]) for path, key, body in fake_api.requests}
    assert paths == {("/v1/messages/count_tokens", "sk-test", "claude-opus-4-7")}


def test_exact_error_response_is_one_line(cli, samples, fake_api):
    pytest.importorskip("anthropic")
    (samples / "bad.txt").write_text("FAIL")
    code, out, err = cli("tokens", str(samples / "bad.txt"), "--model", "opus-4.7", "--exact")
    assert code == 2 and out == ""
    assert (
        "count_tokens failed for claude-opus-4-7: HTTP 400 invalid_request_error: prompt is too long"
        in err
    )


def test_encoding_without_text_files_is_an_error(cli):
    code, _, err = cli(
        "estimate", "--model", "opus-4.7", "--requests", "5", "--encoding", "latin-1"
    )
    assert code == 2 and "--encoding reads text" in err
