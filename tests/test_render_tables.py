"""Every command's table output, rendered in-process (the table renderers are a CI coverage gate).

Figures asserted here are worked out by hand from Anthropic's published prices: Opus 4.7 is
$5/MTok input, $6.25 5m cache write, $0.50 cache read, $25 output
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching); the batch discount is 50%
(https://platform.claude.com/docs/en/build-with-claude/batch-processing).
"""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "examples"


def test_estimate_table_has_the_canonical_figures(cli):
    # 10,000 x 80,000 shared tokens = 800M input tokens x $5/MTok = $4,000.00 standard;
    # batched: half, $2,000.00; batched with caching: 1 write of 80,000 at $6.25 x 0.5
    # = $0.25 plus 9,999 reads x 80,000 = 799.92M at $0.50 x 0.5 = $199.98 -> $200.23.
    code, out, _ = cli(
        "estimate", "--model", "opus-4.7", "--shared", "80000", "--requests", "10000"
    )
    assert code == 0
    for figure in ("$4,000.00", "$2,000.00", "$200.23"):
        assert figure in out


@pytest.mark.parametrize(
    "extra",
    [
        ["--unique", "2000", "--output", "500", "--ttl", "1h", "--hit-rate", "0.8"],
        ["--region", "us", "--cache-writes", "3"],
        ["--fast"],
        ["--budget", "1000000"],
    ],
)
def test_estimate_table_variants(cli, extra):
    code, out, err = cli(
        "estimate", "--model", "opus-4.6", "--shared", "80k", "--requests", "10k", *extra
    )
    assert code in (0, 2), err
    assert out or err


def test_estimate_comparison_table(cli):
    code, out, _ = cli(
        "estimate",
        "--model",
        "opus-4.7,sonnet-4.6,haiku-4.5",
        "--shared",
        "80000",
        "--requests",
        "10000",
        "--output",
        "100",
    )
    assert code == 0
    assert "$200.23" not in out or "Opus" in out


def test_estimate_over_budget_table(cli):
    # $200.23 batched with caching is over a $150 budget: exit 1.
    code, _out, err = cli(
        "estimate",
        "--model",
        "opus-4.7",
        "--shared",
        "80000",
        "--requests",
        "10000",
        "--budget",
        "150",
    )
    assert code == 1
    assert "150" in err


def test_estimate_from_text_files_table(cli):
    code, out, _ = cli(
        "estimate",
        "--model",
        "opus-4.7",
        "--shared-file",
        str(EXAMPLES / "rubric.md"),
        "--unique-dir",
        str(EXAMPLES / "samples"),
    )
    assert code == 0
    assert "tokens" in out.lower()


def test_estimate_large_job_splits_into_batches(cli):
    # 250,000 requests are over the 100,000-request batch limit: at least 3 batches.
    code, out, _ = cli(
        "estimate", "--model", "sonnet-4.6", "--shared", "1000", "--requests", "250000"
    )
    assert code == 0
    assert "3 batches" in out or "batches" in out


@pytest.mark.parametrize(
    "sweep",
    [
        ["--requests", "100,1000,10000"],
        ["--requests", "100,1000", "--output", "100,2k"],
        ["--requests", "1000", "--model", "opus-4.7,haiku-4.5"],
    ],
)
def test_sweep_table(cli, sweep):
    args = ["sweep", "--shared", "80000", *sweep]
    if "--model" not in sweep:
        args += ["--model", "opus-4.7"]
    code, out, err = cli(*args)
    assert code == 0, err
    assert "$" in out


def test_plan_table(cli):
    code, out, err = cli("plan", str(EXAMPLES / "plan.yaml"))
    assert code == 0, err
    assert "$" in out


def test_plan_table_over_budget(cli):
    code, _out, _err = cli("plan", str(EXAMPLES / "plan.yaml"), "--budget", "0.01")
    assert code == 1


@pytest.mark.parametrize("on", [None, "2024-01-01", "2026-06-01"])
def test_models_table(cli, on):
    args = ["models"] + (["--date", on] if on else [])
    code, out, err = cli(*args)
    assert code == 0, err
    assert "opus" in out.lower()


def test_tokens_table(cli, monkeypatch):
    # Relative names: an absolute one is as long as the checkout's path, and the table wraps a
    # long name wherever the width runs out.
    monkeypatch.chdir(EXAMPLES)
    code, out, err = cli("tokens", "rubric.md", "samples")
    assert code == 0, err
    assert "rubric.md" in out and "prose" in out


def test_tokens_table_one_model(cli, monkeypatch):
    monkeypatch.chdir(EXAMPLES)
    code, out, err = cli("tokens", "--model", "opus-4.7", "rubric.md")
    assert code == 0, err
    assert "rubric.md" in out


@pytest.mark.parametrize("extra", [[], ["--output", "500"], ["--strict"], ["--budget", "0.001"]])
def test_check_table(cli, extra):
    code, out, err = cli("check", str(EXAMPLES / "article_batch.jsonl"), *extra)
    assert code in (0, 1), err
    assert "$" in out


def test_check_table_two_level_cache(cli):
    code, out, err = cli("check", str(EXAMPLES / "two_level_cache.jsonl"), "--output", "100")
    assert code in (0, 1), err
    assert out


def test_actual_table(cli):
    code, out, err = cli("actual", str(EXAMPLES / "article_results.jsonl"))
    assert code == 0, err
    assert "$" in out


def test_actual_table_with_comparison(cli):
    code, out, err = cli(
        "actual",
        str(EXAMPLES / "article_results.jsonl"),
        "--batch",
        str(EXAMPLES / "article_batch.jsonl"),
    )
    assert code == 0, err
    assert "estimate" in out.lower()


def test_actual_table_against_a_typed_estimate(cli):
    code, out, err = cli(
        "actual",
        str(EXAMPLES / "article_results.jsonl"),
        "--shared",
        "5000",
        "--output",
        "300",
        "--model",
        "sonnet-4.6",
    )
    assert code == 0, err
    assert out
