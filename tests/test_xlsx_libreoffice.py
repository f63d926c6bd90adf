"""Workbooks recalculated by a real spreadsheet program.

costcalc writes a workbook, the test changes its input cells (requests, shared tokens, hit rate,
TTL) as a planner would, LibreOffice recalculates it headless, and every total must be what
costcalc computes for the new inputs, to the cent: the four scenarios, the cache-hit range, the
break-even hit rate and the batch count. Models cover a plain price, a prompt-length tier
(crossed by the edit), a dated price (chosen when written), US-only inference and a prefix
edited below the cacheable minimum. One LibreOffice start recalculates every workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal as D

import pytest
from xlsx_support import SKIP_REASON, SOFFICE, edit_inputs, name_cell, recalculate, row_values
from xlsx_support import values as read_values

from costcalc.compute.engine import Modifiers, Workload
from costcalc.compute.planning import analyze

pytestmark = pytest.mark.skipif(SOFFICE is None, reason=SKIP_REASON)

CENT = D("0.005")


@dataclass(frozen=True)
class Case:
    id: str
    argv: tuple[str, ...]  # the command that writes the workbook
    model: str
    on: date
    ttl: str  # after the edit
    requests: int  # after the edit
    shared: int  # after the edit
    unique: int
    output: int
    hit_rate: D  # after the edit
    region: str = "global"


CASES = (
    # A plain price; more requests, a longer rubric, fewer hits.
    Case(
        "opus-4.7",
        ("--model", "opus-4.7", "--requests", "1000", "--shared", "80000", "--hit-rate", "0.9"),
        "opus-4.7",
        date(2026, 11, 1),
        "5m",
        20_000,
        90_000,
        0,
        0,
        D("0.75"),
    ),
    # Haiku 5.5's prompt-length tier: 50k + 2k is in the lower row; the edit to 120k + 2k
    # crosses 100,000, so every class (output too) pays the higher row. TTL 1h.
    Case(
        "haiku-5.5-tier",
        (
            "--model=haiku-5.5",
            "--requests=5000",
            "--shared=50000",
            "--unique=2000",
            "--output=500",
            "--ttl=1h",
            "--hit-rate=0.8",
        ),
        "haiku-5.5",
        date(2026, 11, 1),
        "1h",
        5_000,
        120_000,
        2_000,
        500,
        D("0.6"),
    ),
    # Sonnet 5.5 on 2026-10-01: the dated row (cache read $0.20, not $0.10); 300,000 requests
    # need three batches; the TTL is edited from 5m to 1h in the workbook.
    Case(
        "sonnet-5.5-dated",
        (
            "--model=sonnet-5.5",
            "--requests=1000",
            "--shared=30000",
            "--unique=1000",
            "--output=300",
            "--hit-rate=0.9",
        ),
        "sonnet-5.5",
        date(2026, 10, 1),
        "1h",
        300_000,
        30_000,
        1_000,
        300,
        D("0.5"),
    ),
    # Opus 4.6 before 2026-03-13 had a >200K premium; the edit crosses it.
    Case(
        "opus-4.6-tier",
        ("--model=opus-4.6", "--requests=2000", "--shared=100000", "--hit-rate=0.95"),
        "opus-4.6",
        date(2026, 3, 1),
        "5m",
        2_000,
        250_000,
        0,
        0,
        D("0.95"),
    ),
    # US-only inference (1.1x); the prefix edited below Sonnet 5.5's 512-token minimum, so
    # nothing is cached any more.
    Case(
        "sonnet-5.5-us-short",
        (
            "--model=sonnet-5.5",
            "--requests=400",
            "--shared=6000",
            "--output=700",
            "--hit-rate=0.9",
            "--region=us",
            "--ttl=1h",
        ),
        "sonnet-5.5",
        date(2026, 11, 1),
        "1h",
        400,
        300,
        0,
        700,
        D("0.9"),
        "us",
    ),
)


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """Every case's workbook, written by costcalc, edited, recalculated by LibreOffice."""
    from costcalc.cli import main

    work = tmp_path_factory.mktemp("workbooks")
    edited = {}
    for case in CASES:
        written = work / f"{case.id}.written.xlsx"
        argv = ["estimate", *case.argv, f"--date={case.on}", "--format=xlsx", f"--out={written}"]
        assert main(argv) == 0
        path = work / f"{case.id}.xlsx"
        edit_inputs(
            written,
            path,
            requests=case.requests,
            shared_tokens=case.shared,
            hit_rate=float(case.hit_rate),
            ttl=case.ttl,
        )
        edited[case.id] = path
    made = recalculate(list(edited.values()), work)
    return {key: read_values(made[path]) for key, path in edited.items()}


def expected(case: Case, pricing):
    workload = Workload(
        requests=case.requests,
        shared_tokens=case.shared,
        unique_tokens=case.unique,
        output_tokens=case.output,
        ttl=case.ttl,
    )
    return analyze(
        pricing.resolve(case.model),
        workload,
        limits=pricing.batch_limits,
        on=case.on,
        modifiers=Modifiers(region=case.region),
        hit_rate=case.hit_rate,
    )


def money(value) -> D:
    assert isinstance(value, (int, float)), f"not a number: {value!r}"
    return D(repr(value))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_recalculated_workbook_matches_costcalc(case, recalculated, pricing):
    wb = recalculated[case.id]
    a = expected(case, pricing)
    for s in a.estimate.scenarios:
        got = money(name_cell(wb, f"total_{s.name}").value)
        assert abs(got - s.total) < CENT, (s.name, got, s.total)
        line = row_values(wb, "Costs", s.name)
        assert abs(money(line[10]) - s.per_request) < D("0.0000005")
    assert name_cell(wb, "cache_writes").value == a.estimate.workload.cache_writes
    assert name_cell(wb, "batches").value == a.batch_plan.batches
    assert name_cell(wb, "caching_applies").value == a.estimate.caching_applies
    assert abs(money(name_cell(wb, "break_even_hit_rate").value) - a.break_even_hit_rate) < D(
        "1e-12"
    )
    cases = {c.name: c for c in a.cache_range}
    for name in ("best", "per_batch", "expected", "worst"):
        row = row_values(wb, "Costs", name)
        if name in cases:
            c = cases[name]
            assert row[1] == c.writes and row[2] == c.reads
            assert abs(money(row[4]) - c.cached_total) < CENT, (name, row, c)
            assert abs(money(row[5]) - c.uncached_total) < CENT
            assert abs(money(row[6]) - c.cache_total) < CENT
        else:  # too short to cache: every case costs what the uncached scenario does
            assert abs(money(row[4]) - a.estimate.scenario("batch").total) < CENT


def test_edited_opus_workbook_by_hand(tmp_path):
    """The README's example figure, worked out by hand, from a workbook written for 1,000 requests
    and edited to 10,000 with a hit rate of 1 (one write, 9,999 reads)."""
    from costcalc.cli import main

    written, edited = tmp_path / "w.xlsx", tmp_path / "e.xlsx"
    argv = ["estimate", "--model=opus-4.7", "--requests=1000", "--shared=80000"]
    assert main([*argv, "--hit-rate=0.5", "--format=xlsx", f"--out={written}"]) == 0
    edit_inputs(written, edited, requests=10_000, hit_rate=1)
    wb = read_values(recalculate([edited], tmp_path)[edited])
    # Opus 4.7: input $5/MTok, 5-minute write $6.25, read $0.50; batch halves all three.
    standard = D(10_000 * 80_000) * 5 / 10**6  # $4,000.00
    batch = standard / 2  # $2,000.00
    write = D(80_000) * D("6.25") / 2 / 10**6  # $0.25
    reads = D(9_999 * 80_000) * D("0.50") / 2 / 10**6  # $199.98
    for name, want in (
        ("total_standard", standard),
        ("total_batch", batch),
        ("total_batch_cache", write + reads),
    ):
        assert abs(money(name_cell(wb, name).value) - want) < CENT, name
    assert round(name_cell(wb, "total_batch_cache").value, 2) == 200.23


PLAN = """\
jobs:
  - name: "=review"
    model: opus-4.7
    requests: 10k
    shared: 80k
    unique: 2k
    output: 800
    ttl: 1h
    hit_rate: 0.9
  - name: triage
    model: haiku-5.5
    requests: 50k
    shared: 6k
    unique: 400
    output: 20
    hit_rate: 0.95
  - name: grading
    model: sonnet-5.5
    requests: 2000
    shared: 12k
    unique: 3k
    output: 600
    cache_writes: 4
"""


def test_plan_and_sweep_workbooks_recalculate(tmp_path, pricing):
    """A plan's jobs and a sweep's grid, edited and recalculated: every row and the plan's
    total row match costcalc for the new inputs; a job name starting with '=' stays text."""
    from costcalc.cli import main

    on = "--date=2026-11-01"
    plan_yaml = tmp_path / "plan.yaml"
    plan_yaml.write_text(PLAN, encoding="utf-8")
    plan_w, plan_e = tmp_path / "plan.w.xlsx", tmp_path / "plan.xlsx"
    assert main(["plan", str(plan_yaml), on, "--format=xlsx", f"--out={plan_w}"]) == 0
    # triage grows past Haiku 5.5's 100K tier; review gets more requests and fewer hits.
    edit_inputs(
        plan_w,
        plan_e,
        job1_requests=30_000,
        job1_hit_rate=0.6,
        job2_shared_tokens=150_000,
        job3_cache_writes=10,
    )
    sweep_w, sweep_e = tmp_path / "sweep.w.xlsx", tmp_path / "sweep.xlsx"
    argv = ["sweep", "--model=opus-4.7,haiku-5.5", "--requests=1000,200000", "--shared=80000"]
    assert main([*argv, "--hit-rate=0.9", on, "--format=xlsx", f"--out={sweep_w}"]) == 0
    edit_inputs(sweep_w, sweep_e, shared_tokens=110_000, hit_rate=0.7)
    made = recalculate([plan_e, sweep_e], tmp_path)
    plan, grid = read_values(made[plan_e]), read_values(made[sweep_e])

    def priced(model, requests, shared, unique, output, ttl="5m", hit_rate=None, writes=1):
        w = Workload(requests, shared, unique, output, ttl, writes)
        return analyze(
            pricing.resolve(model),
            w,
            limits=pricing.batch_limits,
            on=date(2026, 11, 1),
            hit_rate=hit_rate,
        )

    jobs = [
        priced("opus-4.7", 30_000, 80_000, 2_000, 800, "1h", D("0.6")),
        priced("haiku-5.5", 50_000, 150_000, 400, 20, hit_rate=D("0.95")),
        priced("sonnet-5.5", 2_000, 12_000, 3_000, 600, writes=10),
    ]
    assert row_values(plan, "Jobs", "=review")[0] == "=review"
    for scenario in ("standard", "batch", "cache", "batch_cache"):
        for i, a in enumerate(jobs, start=1):
            got = money(name_cell(plan, f"job{i}_total_{scenario}").value)
            assert abs(got - a.estimate.scenario(scenario).total) < CENT, (i, scenario)
        want = sum(a.estimate.scenario(scenario).total for a in jobs)
        assert abs(money(name_cell(plan, f"total_{scenario}").value) - want) < CENT
    rows = list(grid["Sweep"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == 4
    for row in rows:
        model, requests = row[0], int(row[1])
        a = priced(model, requests, 110_000, 0, 0, hit_rate=D("0.7"))
        totals = row[-4:]
        for scenario, got in zip(("standard", "batch", "cache", "batch_cache"), totals):
            want = a.estimate.scenario(scenario).total
            assert abs(money(got) - want) < CENT, (model, requests, scenario)


def test_stored_results_are_what_libreoffice_computes(tmp_path):
    """Unedited workbooks: LibreOffice's value of every cell equals the one costcalc stored,
    so a viewer that does not recalculate shows the same figures."""
    from costcalc.cli import main

    on = "--date=2026-10-01"
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "jobs:\n"
        "  - {name: fast, model: opus-5.5, requests: 300, shared: 20k, unique: 1k, output: 300,"
        " fast: true, hit_rate: 0.8}\n"
        "  - {name: us, model: sonnet-5.5, requests: 300000, shared: 20k, region: us, ttl: 1h,"
        " cache_writes: 7}\n",
        encoding="utf-8",
    )
    runs = {
        "estimate": ["estimate", "--model=haiku-5.5", "--shared=150k", "--unique=3k"],
        "estimate_us": ["estimate", "--model=sonnet-5.5", "--shared=9k", "--region=us"],
        "estimate_fast": ["estimate", "--model=opus-5.5", "--shared=9k", "--fast"],
        "sweep": ["sweep", "--model=opus-4.7", "--requests=10,300000", "--shared=80k"],
        "sweep_fast": ["sweep", "--model=opus-5.5", "--fast", "--shared=1k,50k", "--requests=100"],
        "plan": ["plan", str(plan)],
    }
    files = []
    for key, argv in runs.items():
        out = tmp_path / f"{key}.xlsx"
        extra = ["--requests=120000", "--output=900"] if key.startswith("estimate") else []
        assert main([*argv, *extra, on, "--format=xlsx", f"--out={out}"]) == 0, key
        files.append(out)
    made = recalculate(files, tmp_path)
    checked = 0
    for path in files:
        stored, recalc = read_values(path), read_values(made[path])
        for ws in stored.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    other = recalc[ws.title][c.coordinate].value
                    if isinstance(c.value, float) and isinstance(other, (int, float)):
                        assert abs(c.value - other) <= 1e-9 * max(1, abs(other)), c.coordinate
                    else:
                        assert c.value == other, (path.name, ws.title, c.coordinate)
                    checked += 1
    assert checked > 300
