"""Warnings and problems as data: codes, severities, figures, lines; English only in messages."""

import ast
import json
import re
from decimal import Decimal as D
from pathlib import Path

import pytest

from costcalc import messages
from costcalc.compute.engine import Workload, estimate
from costcalc.notices import SEVERITY, Notice, Severity, notice
from costcalc.present.notices_data import notice_dict

REPO = Path(__file__).resolve().parent.parent
# Every module of the computing and reading layers, and the non-text token rules: they return
# notices with codes and figures, never sentences.
COMPUTING = sorted(
    str(p.relative_to(REPO / "costcalc").with_suffix(""))
    for layer in ("compute", "read")
    for p in (REPO / "costcalc" / layer).glob("*.py")
    if p.name != "__init__.py"
) + ["tokens/media", "tokens/images", "tokens/documents", "tokens/tools", "tokens/nontext"]

# Figures that make every template render (each code reads only the ones it needs).
FIGURES = dict(
    output_tokens=200_000,
    model="Claude Opus 4.7",
    max_output=128_000,
    checked="2026-07-29",
    shared_tokens=1_000,
    min_cache_tokens=4_096,
    retired="2026-08-05",
    deprecated="2026-06-05",
    removed=None,
    prompt_tokens=250_000,
    threshold=200_000,
    input_rate=D("10"),
    output_rate=D("37.50"),
    multiplier=D("1.1"),
    low_tokens=190_000,
    high_tokens=210_000,
    reason="over the context window",
    limited_by="requests",
    requests=10_000,
    max_requests=100_000,
    total_bytes=1_000,
    bytes_per_request=100,
    bytes_per_token=D("4"),
    max_bytes=256_000_000,
    batches=2,
    requests_per_batch=5_000,
    extra_usd=D("500"),
    count=7,
    shown_lines=[1, 2, 3, 4, 5],
    models=["Claude Haiku 4.5"],
    source="no_offline_count",
    limit=64_000,
    name="gpt-4",
    max=4,
    billed=17,
    planned=20,
    searches=3,
    cost_usd=D("0.03"),
    token_class="cache_write",
    direction="more",
    actual_tokens=900,
    planned_tokens=100,
    output=None,
    output_ratio=D("0.5"),
    suggestion="claude-opus-4-7",
    found="x",
    released="2026-04-16",
    on="2026-01-01",
    beta="output-300k-2026-03-24",
    batch_limit=300_000,
    matched=14,
    unmatched=3,
    unknown=[{"name": "claude-opus-9", "count": 2, "suggestion": None}],
    priced_on="2026-12-06",
    window_days=29,
    changes=[{"model": "claude-sonnet-5-5", "changed": "2026-11-20"}],
)
OVERRIDES = {
    "malformed": {"reason": "not_request"},
    "sampling_may_be_rejected": {"params": ["top_p"]},
    "warm_up_priced_part": {"priced": 3, "unpriced": 2},
    "custom_id_too_long": {"limit": 64},
    "tags_match_nothing": {"file": "tags.csv", "rows": 3},
    "tags_ids_not_in_results": {"file": "tags.csv", "rows": 3, "unmatched": 1},
}
# reconcile's notices: cells of the bill, their tokens, billed USD and model or cost-type names
RECONCILE = dict(cells=2, tokens=1_000, billed=D("0.155"), names=["claude-x"], difference=D("1"))
OVERRIDES.update({code: RECONCILE for code in SEVERITY if code.startswith("reconcile_")})
OVERRIDES["reconcile_not_billed"] = dict(cells=1, tokens=5, priced=D("1"), names=[None])
OVERRIDES["reconcile_results_price_changed"] = dict(
    file="r.jsonl",
    priced_on="2026-10-07",
    low_usd=D("0.5"),
    high_usd=D("1"),
    changes=[{"model": "claude-x", "changed": "2026-10-07"}],
)


def test_every_code_has_a_severity_and_a_message_and_renders():
    assert set(messages.MESSAGES) == set(SEVERITY)
    for code, severity in SEVERITY.items():
        figures = dict(FIGURES, **OVERRIDES.get(code, {}))
        text = messages.render(notice(code, **figures))
        assert text and severity in Severity
        assert re.fullmatch(r"[a-z][a-z0-9_]*", code)


def test_rendered_text_is_what_costcalc_always_printed():
    # word for word the sentences the engine and planner used to build themselves
    n = notice("below_cache_minimum", shared_tokens=1_000, model="X", min_cache_tokens=4_096)
    assert messages.render(n) == (
        "the shared prefix (1,000 tokens) is under X's minimum cacheable length of 4,096: "
        "Anthropic processes it uncached (no error), so the cache scenarios cost the same as the "
        "uncached ones"
    )
    size = dict(FIGURES, limited_by="bytes", total_bytes=300_000_000, bytes_per_request=30_000)
    assert "batch limit: this is 2 batches of up to 5,000 requests" in messages.render(
        notice("over_batch_limit", **size)
    )
    assert messages.render(notice("uncounted", source="unknown_block")).startswith(
        "blocks of a type costcalc does not know"
    )
    assert messages.render(notice("malformed", reason="not_json")) == (
        "not valid JSON; the line is skipped"
    )
    until = dict(model="M", deprecated="2026-01-01", removed="2026-02-01")
    assert messages.render(notice("fast_mode_deprecated", **until)) == (
        "M's fast mode is deprecated since 2026-01-01, removed on 2026-02-01"
    )


def test_docs_list_exactly_the_codes_the_renderer_knows():
    readme = (REPO / "docs" / "output.md").read_text(encoding="utf-8")
    assert messages.codes_table() in readme, (
        "docs/output.md's code table is stale: paste costcalc.messages.codes_table() into "
        "'Warning and problem codes'"
    )
    section = readme.split("## Warning and problem codes\n", 1)[1].split("\n#", 1)[0]
    listed = set(re.findall(r"^\| `([a-z0-9_]+)` \|", section, re.M))
    assert listed == set(messages.MESSAGES)


def _literals(module: str) -> list[str]:
    tree = ast.parse((REPO / "costcalc" / f"{module}.py").read_text(encoding="utf-8"))
    # docstrings explain the code; they are not output
    docs = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Expr)}
    return [
        n.value
        for n in ast.walk(tree)
        if isinstance(n, ast.Constant) and isinstance(n.value, str) and id(n) not in docs
    ]


@pytest.mark.parametrize("module", COMPUTING)
def test_computing_modules_do_not_write_warning_prose(module):
    """No computing module holds a rendered warning: the messages' distinctive phrases and the
    old builders are gone from them."""
    text = "\n".join(_literals(module))
    for phrase in (
        "minimum cacheable length",
        "the API would reject",
        "batches of up to",
        "malformed lines skipped",
        "caching only adds the write premium",
        "straddles",
    ):
        assert phrase not in text, (module, phrase)


def test_warnings_and_problems_name_no_flag_outside_messages():
    """Flag names live in the messages package (warnings, problems and coded errors alike)."""
    allowed: dict[str, set[str]] = {}
    for module in COMPUTING:
        flags = {f for s in _literals(module) for f in re.findall(r"(?<![\w-])--[a-z][a-z-]+", s)}
        assert flags <= allowed.get(module, set()), (module, flags)


def test_engine_returns_notices_with_figures(pricing):
    opus = pricing.resolve("opus-4.7")
    est = estimate(opus, Workload(100, 1_000))
    (below,) = [w for w in est.warnings if w.code == "below_cache_minimum"]
    assert isinstance(below, Notice) and below.severity is Severity.WARNING
    assert below.figures["shared_tokens"] == 1_000
    assert below.figures["min_cache_tokens"] == opus.min_cache_tokens
    assert below.lines == ()


def test_notice_dict_shape():
    n = notice("cache_costs_more_at_zero_hits", extra_usd=D("500.000"))
    assert notice_dict(n) == {
        "code": "cache_costs_more_at_zero_hits",
        "severity": "warning",
        "message": "with 0% cache hits (every request writes) caching costs $500.00 more than "
        "not caching",
        "figures": {"extra_usd": "500.00"},
        "lines": [],
    }


def test_estimate_json_has_below_cache_minimum(cli):
    code, out, _ = cli(
        "estimate",
        "--model",
        "opus-4.7",
        "--shared",
        "1000",
        "--requests",
        "100",
        "--format",
        "json",
    )
    doc = json.loads(out)
    assert code == 0
    (n,) = [n for n in doc["notices"] if n["code"] == "below_cache_minimum"]
    assert n["severity"] == "warning" and n["lines"] == []
    assert n["figures"]["shared_tokens"] == 1000 and n["figures"]["model"] == "Claude Opus 4.7"
    assert n["message"] in doc["warnings"]  # the English list is kept as it was
    assert doc["warning_codes"] == [n["code"] for n in doc["notices"]]


def test_estimate_json_has_over_batch_limit(cli):
    # 200,000 requests of an 80,000-token prefix: ~64 GB of requests (about 4 bytes a token), far
    # over one batch's 256 MB, so several batches
    code, out, _ = cli(
        "estimate",
        "--model",
        "opus-4.7",
        "--shared",
        "80k",
        "--requests",
        "200k",
        "--format",
        "json",
    )
    doc = json.loads(out)
    (n,) = [n for n in doc["notices"] if n["code"] == "over_batch_limit"]
    f = n["figures"]
    assert code == 0 and f["limited_by"] == "size" and f["requests"] == 200_000
    assert f["max_requests"] == 100_000 and f["max_bytes"] == 256_000_000
    assert f["batches"] > 2 and f"this is {f['batches']} batches of up to" in n["message"]
    assert n["severity"] == "warning" and n["message"] in doc["warnings"]


def _request(i, **params):
    body = {
        "model": "claude-opus-4-7",
        "max_tokens": 100,
        "messages": [{"role": "user", "content": "hi"}],
        **params,
    }
    return json.dumps({"custom_id": f"r{i}", "params": body}) + "\n"


def test_check_json_problem_with_lines(cli, tmp_path):
    path = tmp_path / "batch.jsonl"
    path.write_text(_request(1) + _request(2, stream=True) + _request(3, stream=True))
    code, out, _ = cli("check", str(path), "--format", "json")
    doc = json.loads(out)
    assert code == 0
    (p,) = [p for p in doc["problems"] if p["kind"] == "stream"]
    assert p["code"] == "stream" and p["severity"] == "error" and p["lines"] == [2, 3]
    (n,) = [n for n in doc["notices"] if n["code"] == "stream"]
    assert n == {
        "code": "stream",
        "severity": "error",
        "message": "stream: true is not allowed in a batch",
        "figures": {},
        "lines": [2, 3],
    }


def test_actual_json_results_problem(cli, tmp_path):
    good = (REPO / "examples" / "article_results.jsonl").read_text().splitlines()[0]
    path = tmp_path / "results.jsonl"
    path.write_text(good + "\nnot json\n")
    code, out, _ = cli("actual", str(path), "--format", "json")
    doc = json.loads(out)
    assert code == 0
    (n,) = [n for n in doc["notices"] if n["code"] == "malformed_lines"]
    assert n["lines"] == [2] and n["figures"]["count"] == 1
    assert n["message"] == "1 malformed line skipped (line 2)"  # one: singular (issue 18)
    assert doc["warnings"] == [n["message"] for n in doc["notices"]]


def test_actual_json_problem_severity(cli, tmp_path):
    line = json.loads((REPO / "examples" / "article_results.jsonl").read_text().splitlines()[0])
    line["result"]["message"]["usage"]["service_tier"] = "priority"
    path = tmp_path / "results.jsonl"
    path.write_text(json.dumps(line) + "\n")
    code, out, err = cli("actual", str(path), "--format", "json")
    doc = json.loads(out)
    (p,) = doc["problems"]
    assert p["code"] == "priority_tier" and p["severity"] == "warning" and p["lines"] == [1]
    assert p["message"].startswith("report service_tier priority")
    (n,) = doc["notices"]
    assert n["code"] == "priority_tier" and n["lines"] == [1]
    assert n["message"].startswith("1 line reports service_tier priority")  # singular


def test_coded_errors_render_the_old_lines(pricing):
    from costcalc.compute.engine import Modifiers
    from costcalc.errors import CodedError, WorkloadError

    haiku = pricing.resolve("haiku-4.5")
    with pytest.raises(WorkloadError) as info:
        estimate(haiku, Workload(10, 5_000), modifiers=Modifiers(region="us"))
    assert isinstance(info.value, CodedError) and info.value.code == "no_us_inference"
    assert str(info.value).endswith("; drop --region us")
    gone = messages.render_error(
        "fast_mode_not_offered", {"model": "M", "on": "2027-01-01", "removed": "2026-12-01"}
    )
    assert gone == (
        "M's fast mode was removed on 2026-12-01 (requests with speed fast are rejected), so it "
        "cannot be priced on 2027-01-01; price it at standard speed (without --fast) or as of a "
        "date when fast mode was offered (--date)"
    )
    later = messages.render_error("fast_mode_not_offered", {"model": "M", "on": "2026-01-01"})
    assert "fast mode starts on ?, so" in later
    assert "give --hit-rate R" in messages.render_error("no_hit_rate_measurable", {"file": "f"})
    assert "(without --fast)" in messages.render_error("no_fast_mode", {"model": "M"})
