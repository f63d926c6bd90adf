"""sweep, plan, model comparison and the planning flags of estimate, from the command line."""

import csv
import io
import json
import xml.etree.ElementTree as ET
from decimal import Decimal as D
from pathlib import Path

import pytest

EXAMPLE_PLAN = Path(__file__).resolve().parent.parent / "examples" / "plan.yaml"


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def test_estimate_table_shows_the_planning_sections(cli):
    code, out, _ = cli("estimate", "--model", "opus-4.7", "--shared", "80k", "--requests", "10k")
    assert code == 0
    out = " ".join(out.split())  # the console wraps long lines
    for text in (
        "one write per",
        "$202.99",
        "$430.00",
        "$2,500.00",
        "costs MORE than",
        "21.7% hit rate",
        "from 2 requests",
        "13 batches of up to 770 requests",
        "use 1h",
        "93.9%",
        "█",
    ):
        assert text in out, text


def test_estimate_json_carries_the_plan(cli):
    code, out, _ = cli(
        "estimate",
        "--model",
        "opus-4.7",
        "--shared",
        "80k",
        "--requests",
        "10k",
        "--hit-rate",
        "0.9",
        "--format",
        "json",
    )
    doc = json.loads(out)
    assert doc["hit_rate"] == "0.90" and doc["workload"]["cache_writes"] == 1_000
    assert {s["name"]: s["total_usd"] for s in doc["scenarios"]}["batch_cache"] == "430.00"
    assert doc["batch_plan"]["batches"] == 13 and doc["batch_plan"]["limited_by"] == "size"
    worst = doc["cache_range"][-1]
    assert worst["case"] == "worst" and worst["batch_cache_usd"] == "2500.00"
    assert worst["costs_more_than_uncached"] is True
    assert doc["break_even"]["min_requests_with_one_write"] == 2
    assert D(doc["break_even"]["hit_rate"]) == D(5) / D(23)
    assert doc["ttl_advice"]["recommended"] == "1h"


def test_model_comparison_csv_and_json(cli):
    argv = [
        "estimate",
        "--model",
        "opus-4.7,sonnet-4.6,haiku-4.5",
        "--shared",
        "80k",
        "--requests",
        "10k",
    ]
    code, out, _ = cli(*argv, "--format", "csv")
    table = rows(out)
    assert len(table) == 12
    totals = {(r["model"], r["scenario"]): D(r["total_usd"]) for r in table}
    # batch_cache: 80k x write/2 + 799.92M x read/2 at $5, $3, $1 input
    assert totals[("claude-opus-4-7", "batch_cache")] == D("200.23")
    assert totals[("claude-sonnet-4-6", "batch_cache")] == D("120.138")  # 0.15 + 119.988
    assert totals[("claude-haiku-4-5-20251001", "batch_cache")] == D("40.046")  # 0.05 + 39.996
    code, out, _ = cli(*argv, "--format", "json")
    assert [d["model"] for d in json.loads(out)["comparison"]] == [
        "claude-opus-4-7",
        "claude-sonnet-4-6",
        "claude-haiku-4-5-20251001",
    ]
    code, out, err = cli(*argv, "--budget", "150")
    assert code == 1 and "opus-4.7: over budget" in err and "haiku-4.5: within budget" in err
    assert "Models compared" in out


def test_region_and_fast_flags(cli):
    code, out, _ = cli(
        "estimate",
        "--model",
        "sonnet-4.6",
        "--shared",
        "80k",
        "--requests",
        "100",
        "--region",
        "us",
        "--format",
        "csv",
    )
    assert D(rows(out)[0]["total_usd"]) == D("26.4")  # 8M x $3/M x 1.1
    code, out, _ = cli(
        "estimate",
        "--model",
        "opus-5",
        "--shared",
        "80k",
        "--requests",
        "100",
        "--fast",
        "--format",
        "csv",
    )
    assert [(r["scenario"], D(r["total_usd"])) for r in rows(out)] == [
        ("standard", D("80")),
        ("cache", D("8.92")),
    ]


def test_sweep_grid_csv_and_json(cli):
    code, out, _ = cli(
        "sweep",
        "--model",
        "opus-4.7",
        "--shared",
        "80k",
        "--requests",
        "10k",
        "--hit-rate",
        "0,0.5,1",
        "--format",
        "csv",
    )
    assert code == 0
    grid = {(r["swept_hit_rate"], r["scenario"]): D(r["total_usd"]) for r in rows(out)}
    assert len(grid) == 12
    assert grid[("0.00", "batch_cache")] == D("2500")  # every request writes
    # half: 5,000 writes = 400M x $3.125/M = 1,250 + 5,000 reads = 400M x $0.25/M = 100
    assert grid[("0.50", "batch_cache")] == D("1350")
    # all hits still means one write: 80,000 x $3.125/M = 0.25 + 799,920,000 x $0.25/M = 199.98
    assert grid[("1.00", "batch_cache")] == D("200.23")
    code, out, _ = cli(
        "sweep",
        "--model",
        "opus-4.7,haiku-4.5",
        "--shared",
        "80k",
        "--requests",
        "1k,10k",
        "--format",
        "json",
    )
    doc = json.loads(out)
    assert doc["swept"] == {"model": ["opus-4.7", "haiku-4.5"], "requests": [1_000, 10_000]}
    assert [p["params"] for p in doc["points"]][:2] == [
        {"model": "opus-4.7", "requests": 1_000},
        {"model": "opus-4.7", "requests": 10_000},
    ]


def test_sweep_chart_is_an_svg_with_one_line_per_scenario(cli, tmp_path):
    chart = tmp_path / "cost.svg"
    code, out, err = cli(
        "sweep",
        "--model",
        "opus-4.7",
        "--shared",
        "80k",
        "--requests",
        "1,10,100,1k,10k",
        "--chart",
        str(chart),
    )
    assert code == 0 and f"wrote {chart}" in err
    svg = ET.parse(chart).getroot()
    ns = {"s": "http://www.w3.org/2000/svg"}
    lines = svg.findall("s:polyline", ns)
    assert [line.find("s:title", ns).text for line in lines] == [
        "standard",
        "batch",
        "cache",
        "batch_cache",
    ]
    assert all(len(line.get("points").split()) == 5 for line in lines)
    assert "log scale" in ET.tostring(svg, encoding="unicode")
    code, _, _ = cli(
        "sweep",
        "--model",
        "opus-4.7,haiku-4.5",
        "--shared",
        "80k",
        "--requests",
        "1,10",
        "--hit-rate",
        "0.5",
        "--chart",
        str(tmp_path / "two.svg"),
    )
    two = ET.parse(tmp_path / "two.svg").getroot()
    assert len(two.findall("s:polyline", ns)) == 8  # 4 scenarios x 2 models


def test_plan_example_totals(cli):
    code, out, _ = cli("plan", str(EXAMPLE_PLAN), "--format", "csv")
    assert code == 0
    table = rows(out)
    total = {r["scenario"]: D(r["total_usd"]) for r in table if r["job"] == "TOTAL"}
    # code-review (Opus 4.7, 1h, 90% hits: 1,000 writes, 9,000 reads):
    #   standard 820M x $5/M + 8M x $25/M = 4,300; cache 80M x $10/M + 720M x $0.50/M
    #   + 20M x $5/M + 200 = 1,460
    # ticket-triage (Haiku 4.5, 95% hits: 2,500 writes, 47,500 reads):
    #   standard 320M x $1/M + 1M x $5/M = 325; cache 15M x $1.25/M + 285M x $0.10/M + 20 + 5 = 72.25
    # eval-grading (Sonnet 4.6, 4 writes): standard 30M x $3/M + 1.2M x $15/M = 108;
    #   cache 48k x $3.75/M + 23.952M x $0.30/M + 6M x $3/M + 18 = 43.3656
    assert total == {
        "standard": D("4733"),
        "batch": D("2366.5"),
        "cache": D("1575.6156"),
        "batch_cache": D("787.8078"),
    }
    assert len([r for r in table if r["job"] != "TOTAL"]) == 12


def test_plan_budget_gate(cli):
    code, out, err = cli("plan", str(EXAMPLE_PLAN), "--budget", "500")
    assert code == 1 and "over budget: batch_cache costs $787.81, budget $500.00" in err
    assert "total" in out and "$787.81" in out
    code, _, err = cli("plan", str(EXAMPLE_PLAN), "--budget", "800")
    assert code == 0 and "within budget" in err
    code, out, _ = cli("plan", str(EXAMPLE_PLAN), "--budget", "800", "--format", "json")
    doc = json.loads(out)
    assert doc["totals"]["batch_cache"] == "787.8078" and doc["budget"]["within"] is True


def test_plan_with_a_fast_job_counts_its_real_time_cost(cli, tmp_path):
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "jobs:\n  - {name: live, model: opus-5, requests: 100, shared: 80k, fast: true}\n"
        "  - {name: bulk, model: opus-5, requests: 100, shared: 80k}\n"
    )
    code, out, _ = cli("plan", str(plan), "--format", "json")
    totals = json.loads(out)["totals"]
    # live: standard 80, cache 8.92 (fast); bulk: standard 40, cache 4.46, batch 20, batch_cache 2.23
    assert totals == {
        "standard": "120.00",
        "batch": "100.00",
        "cache": "13.38",
        "batch_cache": "11.15",
    }


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["estimate", "--model", "opus-4.7", "--requests", "10", "--hit-rate", "1.5"],
            "hit rate must be between 0 and 1",
        ),
        (
            [
                "estimate",
                "--model",
                "opus-4.7",
                "--requests",
                "10",
                "--hit-rate",
                "0.5",
                "--cache-writes",
                "2",
            ],
            "not allowed with argument --hit-rate",
        ),
        (
            ["estimate", "--model", "haiku-4.5", "--requests", "10", "--region", "us"],
            "does not support US-only inference",
        ),
        (["estimate", "--model", "opus-4.7", "--requests", "10", "--fast"], "no fast mode"),
        (
            [
                "estimate",
                "--model",
                "opus-5",
                "--requests",
                "10",
                "--fast",
                "--budget",
                "5",
                "--scenario",
                "batch_cache",
            ],
            "fast mode cannot be batched",
        ),
        (["estimate", "--model", "opus-4.7,", "--requests", "10"], "empty model name"),
        (["estimate", "--model", "opus-4.7,opus-9", "--requests", "10"], "unknown model 'opus-9'"),
        (["sweep", "--model", "opus-4.7", "--requests", "1k,,10k"], "has an empty value"),
        (["sweep", "--model", "opus-4.7", "--requests", ""], "has an empty value"),
        (["sweep", "--model", "opus-4.7", "--requests", "10"], "nothing to sweep"),
        (
            ["sweep", "--model", "opus-4.7", "--requests", "1,2", "--shared", "80,000"],
            "commas separate values",
        ),
        (
            ["sweep", "--model", "opus-4.7,haiku-4.5", "--requests", "1,2", "--shared", "5k,6k"],
            "at most two parameters",
        ),
        (
            ["sweep", "--model", "opus-4.7,haiku-4.5", "--requests", "1", "--chart", "x.svg"],
            "--chart needs a numeric swept parameter",
        ),
        (
            ["sweep", "--model", "opus-4.7", "--requests", "1,2", "--chart", "x.png"],
            "--chart writes SVG",
        ),
        (
            ["sweep", "--model", "opus-4.7", "--requests", "1,2", "--hit-rate", "0.5,1.5"],
            "hit rate must be between 0 and 1",
        ),
    ],
)
def test_bad_planning_input_is_one_line_and_exit_2(cli, argv, message):
    code, out, err = cli(*argv)
    assert code == 2 and message in err and err.count("\n") == 1 and out == ""


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "jobs:\n  - {name: a, model: opus-4.7, requests: 10, sharde: 5k}\n",
            "jobs[0] (a): unknown key 'sharde' (known keys: name, model, requests, shared",
        ),
        (
            "jobs:\n  - {name: a, model: opus-4.9, requests: 10}\n",
            "job 'a': unknown model 'opus-4.9'; did you mean opus-4.8",
        ),
        (
            "jobs:\n  - {name: a, model: opus-4.7, requests: ten}\n",
            "jobs[0] (a): requests: 'ten' is not a number of requests",
        ),
        (
            "jobs:\n  - {name: a, model: opus-4.7, requests: 10, hit_rate: 1.5}\n",
            "jobs[0] (a): hit_rate: must be at most 1, got 1.5",
        ),
        (
            "jobs:\n  - {name: a, model: opus-4.7, requests: 10, hit_rate: 0.5, cache_writes: 2}\n",
            "give hit_rate or cache_writes, not both",
        ),
        (
            "jobs:\n  - {name: a, model: opus-4.7, requests: 10}\n  - {name: a, model: opus-4.7, requests: 5}\n",
            "two jobs are named 'a'",
        ),
        (
            "jobs:\n  - {name: a, model: haiku-4.5, requests: 10, region: us}\n",
            "job 'a': Claude Haiku 4.5 does not support US-only inference",
        ),
        ("jobs: [\n", "not valid YAML"),
        ("{}\n", "jobs: required, but missing"),
    ],
)
def test_bad_plan_files(cli, tmp_path, text, message):
    plan = tmp_path / "plan.yaml"
    plan.write_text(text)
    code, out, err = cli("plan", str(plan))
    assert code == 2 and message in err and str(plan) in err and out == ""


def test_plan_file_not_found(cli, tmp_path):
    code, _, err = cli("plan", str(tmp_path / "nope.yaml"))
    assert code == 2 and "not found" in err
