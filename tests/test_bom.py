"""A UTF-8 byte order mark at the start of a file is skipped by every reader (infile.BOM):
results files, request files (check, warmup), plan files, --pricing and text for `tokens`.
Each reader gives with the mark exactly what it gives without it."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BOM = "\ufeff"


def _result(cid: str, input_tokens: int, output: int) -> dict:
    usage = {"input_tokens": input_tokens, "output_tokens": output, "service_tier": "batch"}
    message = {"model": "claude-opus-4-7", "usage": usage}
    return {"custom_id": cid, "result": {"type": "succeeded", "message": message}}


RESULTS = "".join(json.dumps(r) + "\n" for r in (_result("a", 1000, 100), _result("b", 2000, 200)))
# Opus 4.7 batch: input $5/MTok and output $25/MTok, halved.
# (3,000 x 5 + 300 x 25) / 2 / 1,000,000 = (15,000 + 7,500) / 2 / 1e6 = $0.01125: both lines.
RESULTS_TOTAL = D("0.01125")


RUBRIC = "grade the answer carefully " * 2000  # far above any minimum cacheable length


def _request(cid: str) -> dict:
    body = {
        "model": "claude-opus-4-7",
        "max_tokens": 100,
        "system": [{"type": "text", "text": RUBRIC, "cache_control": {"type": "ephemeral"}}],
        "messages": [{"role": "user", "content": f"hello {cid}"}],
    }
    return {"custom_id": cid, "params": body}


REQUESTS = "".join(json.dumps(_request(c)) + "\n" for c in ("r1", "r2"))


def _write(path: Path, text: str, bom: bool) -> Path:
    path.write_bytes((BOM + text if bom else text).encode("utf-8"))
    return path


def test_actual_counts_line_one_after_a_bom(cli, tmp_path):
    f = _write(tmp_path / "results.jsonl", RESULTS, bom=True)
    code, out, err = cli("actual", str(f), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert D(doc["total_usd"]) == RESULTS_TOTAL
    assert doc["results"]["succeeded"] == 2
    assert "malformed" not in err


@pytest.mark.parametrize("command", ["check", "warmup"])
def test_request_file_with_a_bom_reads_as_without(cli, tmp_path, command):
    plain = _write(tmp_path / "plain.jsonl", REQUESTS, bom=False)
    marked = _write(tmp_path / "marked.jsonl", REQUESTS, bom=True)
    code, without, err = cli(command, str(plain), "--format", "json")
    assert code == 0, err
    code, with_bom, err = cli(command, str(marked), "--format", "json")
    assert code == 0, err
    doc = json.loads(with_bom)
    doc_plain = json.loads(without)
    doc.pop("file", None), doc_plain.pop("file", None)
    assert json.dumps(doc, sort_keys=True).replace("marked", "plain") == json.dumps(
        doc_plain, sort_keys=True
    )


def test_warmup_primer_written_from_a_bom_file_has_no_bom(cli, tmp_path):
    marked = _write(tmp_path / "marked.jsonl", REQUESTS, bom=True)
    primer = tmp_path / "primer.jsonl"
    code, _, err = cli("warmup", str(marked), "--out", str(primer))
    assert code == 0, err
    assert not primer.read_bytes().startswith(BOM.encode("utf-8"))
    json.loads(primer.read_text(encoding="utf-8").splitlines()[0])


def test_plan_file_with_a_bom(cli, tmp_path):
    text = "jobs:\n  - name: seed\n    model: opus-4.7\n    requests: 1000\n    unique: 1000\n"
    f = _write(tmp_path / "plan.yaml", text, bom=True)
    code, out, err = cli("plan", str(f), "--format", "json")
    assert code == 0, err
    # 1,000 requests x 1,000 input tokens at $5/MTok, batched: 1e6 x 5 / 1e6 / 2 = $2.50.
    assert "2.5" in out


def test_pricing_file_with_a_bom(cli, tmp_path):
    text = (REPO / "pricing.yaml").read_text(encoding="utf-8")
    f = _write(tmp_path / "pricing.yaml", text, bom=True)
    args = ["estimate", "--model", "opus-4.7", "--requests", "10k", "--shared", "80k"]
    code, out, err = cli(*args, "--pricing", str(f), "--format", "json")
    assert code == 0, err
    # The README's example: $4,000.00 standard = 10,000 x 80,000 x $5/MTok.
    standard = next(s for s in json.loads(out)["scenarios"] if s["name"] == "standard")
    assert D(standard["total_usd"]) == D(4000)


def test_tokens_skips_a_bom(tmp_path):
    from costcalc.tokens.count import read_text

    marked = read_text(_write(tmp_path / "a.txt", "hello world", bom=True))
    plain = read_text(_write(tmp_path / "b.txt", "hello world", bom=False))
    assert marked.text == plain.text == "hello world"
    assert marked.digest == plain.digest


def test_a_bom_piped_in_pieces_is_skipped(tmp_path):
    """A pipe may deliver the mark in separate writes; the reader waits for all three bytes."""
    script = (
        "import sys, time\n"
        "out = sys.stdout.buffer\n"
        "for piece in (b'\\xef', b'\\xbb', b'\\xbf'):\n"
        "    out.write(piece); out.flush(); time.sleep(0.05)\n"
        f"out.write({RESULTS.encode('utf-8')!r}); out.flush()\n"
    )
    writer = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE)
    reader = subprocess.run(
        [sys.executable, "-m", "costcalc", "actual", "-", "--format", "json"],
        stdin=writer.stdout,
        capture_output=True,
        text=True,
        timeout=60,
    )
    writer.wait()
    assert reader.returncode == 0, reader.stderr
    assert D(json.loads(reader.stdout)["total_usd"]) == RESULTS_TOTAL


def test_a_broken_mark_is_refused_in_one_line(cli, tmp_path):
    f = tmp_path / "results.jsonl"
    f.write_bytes(b"\xef\xbb")
    code, _, err = cli("actual", str(f))
    assert code == 2
    assert err.count("\n") == 1 and "ef bb" in err


def test_tokens_command_counts_the_same_with_a_bom(cli, tmp_path):
    text = "The rubric: grade each answer on accuracy, clarity and evidence.\n" * 20
    plain = _write(tmp_path / "plain.txt", text, bom=False)
    marked = _write(tmp_path / "marked.txt", text, bom=True)
    code, a, err = cli("tokens", str(plain), "--format", "json")
    assert code == 0, err
    code, b, err = cli("tokens", str(marked), "--format", "json")
    assert code == 0, err
    assert a.replace("plain.txt", "X") == b.replace("marked.txt", "X")


def test_actual_compared_with_a_request_file_both_with_a_bom(cli, tmp_path):
    """--batch reads the request file as check does: the mark changes nothing either side."""
    requests = (_request("a"), _request("b"))
    text = "".join(json.dumps(r) + "\n" for r in requests)
    outs = []
    for bom in (False, True):
        sub = tmp_path / ("bom" if bom else "plain")
        sub.mkdir()
        results = _write(sub / "results.jsonl", RESULTS, bom)
        batch = _write(sub / "batch.jsonl", text, bom)
        code, out, err = cli(
            "actual",
            str(results),
            "--batch",
            str(batch),
            "--format",
            "json",
            "--date",
            "2026-11-25",
        )
        assert code == 0, err
        doc = json.loads(out)
        assert D(doc["total_usd"]) == RESULTS_TOTAL
        outs.append(out.replace(str(sub), "X"))
    assert outs[0] == outs[1]
