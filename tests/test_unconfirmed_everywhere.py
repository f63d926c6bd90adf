"""Fable 5.2's prices are unconfirmed: Anthropic's release note of 2026-11-09 gives its input and
output (https://platform.claude.com/docs/ja/release-notes/overview.md), but its cache and batch
prices come from third parties (e.g.
https://developersdigest.tech/blog/claude-fable-5-2-whats-new-migration-2026). Every command that
prices it says so (issue 15), not only estimate."""

import json


def _request(i: int, model: str = "claude-fable-5-2") -> dict:
    return {
        "custom_id": f"r{i}",
        "params": {
            "model": model,
            "max_tokens": 10,
            "messages": [{"role": "user", "content": f"question {i}"}],
        },
    }


def test_check_warns_in_table_and_json(cli, tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_text("".join(json.dumps(_request(i)) + "\n" for i in range(2)))
    code, out, err = cli("check", str(path))
    assert code == 0, err
    assert "unconfirmed" in out
    code, out, err = cli("check", str(path), "--format", "json")
    codes = [n["code"] for n in json.loads(out)["notices"]]
    assert "unconfirmed_price" in codes


def test_check_on_confirmed_model_does_not_warn(cli, tmp_path):
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps(_request(0, "claude-opus-4-7")) + "\n")
    code, out, err = cli("check", str(path), "--format", "json")
    assert "unconfirmed_price" not in [n["code"] for n in json.loads(out)["notices"]]


def test_actual_warns(cli, tmp_path):
    line = {
        "custom_id": "r0",
        "result": {
            "type": "succeeded",
            "message": {
                "model": "claude-fable-5-2",
                "usage": {"input_tokens": 1000, "output_tokens": 100, "service_tier": "batch"},
            },
        },
    }
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps(line) + "\n")
    code, out, err = cli("actual", str(path), "--format", "json")
    assert code == 0, err
    doc = json.loads(out)
    assert "unconfirmed_price" in [n["code"] for n in doc["notices"]]
    # 1,000 x $4 + 100 x $20 per MTok (Fable 5.2 batch) = 0.004 + 0.002
    assert doc["total_usd"] == "0.006"


def test_sweep_warns(cli):
    code, out, err = cli("sweep", "--model", "fable-5.2", "--shared", "80k", "--requests", "10,1k")
    assert code == 0, err
    assert "unconfirmed" in out


def test_fable_52_input_and_output_confirmed_the_rest_named(cli, pricing):
    # Anthropic's release note of 2026-11-09 confirms $8 input / $40 output; the cache
    # ($10 / $16 / $0.20), batch ($4 / $20) and fast ($16 / $80) prices are still third-party.
    for name in ("fable-5.2", "mythos-5.2"):
        m = pricing.resolve(name)
        assert (m.prices.input, m.prices.output) == (8, 40)
        assert m.unconfirmed_parts == ("cache", "batch", "fast")
        assert str(m.checked) == "2026-12-06"
    code, out, err = cli(
        "estimate", "--model", "fable-5.2", "--shared", "0", "--unique", "1k", "--requests", "1",
        "--output", "1k", "--format", "json",
    )  # fmt: skip
    doc = json.loads(out)
    # standard: 1,000 x $8/M + 1,000 x $40/M = $0.048 (both confirmed prices)
    assert doc["scenarios"][0]["total_usd"] == "0.048"
    note = next(n for n in doc["notices"] if n["code"] == "unconfirmed_price")
    assert note["figures"]["prices"] == ["cache", "batch", "fast"]
    assert "input and output prices are confirmed" in note["message"]
    assert (
        "cache write and read, batch and fast-mode prices are not yet confirmed"
        in (note["message"])
    )
    code, out, _ = cli("models")
    assert "Fable 5.2, Mythos 5.2: cache, batch, fast prices not yet confirmed" in " ".join(
        out.split()
    )
