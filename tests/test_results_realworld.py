"""`actual` on real-world results files: unknown models priced around, fast mode that has
ended, unknown inference_geo, cache-miss diagnostics, and which date's prices were used.
Every figure is worked out by hand from the public price table."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal as D

import pytest

from costcalc.messages import render
from costcalc.compute.pricedate import price_changes
from costcalc.compute.actual import read_results


def line(cid, model="claude-opus-4-7", input_tokens=1000, output=100, **usage_extra):
    usage = {"input_tokens": input_tokens, "output_tokens": output, **usage_extra}
    message = {"model": model, "usage": usage}
    diagnostics = usage.pop("diagnostics", "absent")
    if diagnostics != "absent":
        message["diagnostics"] = diagnostics
    return {"custom_id": cid, "result": {"type": "succeeded", "message": message}}


def write(path, *items):
    path.write_text("".join(json.dumps(i) + "\n" for i in items), encoding="utf-8")
    return path


def actual_json(cli, *argv):
    code, out, err = cli("actual", *map(str, argv), "--format", "json")
    assert code == 0, err
    return json.loads(out), err


# Opus 4.7 in a batch: input $5/MTok and output $25/MTok, halved.
# 1,000 input + 100 output: (1,000 x 5 + 100 x 25) / 2 / 1e6 = 7,500 / 2e6 = $0.00375.
OPUS_LINE = D("0.00375")


# -- unknown and dated model ids --------------------------------------------------------------


def test_unknown_models_are_unpriced_and_the_rest_is_priced(cli, tmp_path):
    f = write(
        tmp_path / "r.jsonl",
        line("a"),
        line("b", model="claude-opus-4-7-20260416"),  # a dated id Anthropic never published
        line("c", model="gpt-4o"),
        line("d", input_tokens=2000, output=200),
    )
    doc, err = actual_json(cli, f)
    # Lines a and d: $0.00375 + 2 x $0.00375 = $0.01125; b and c are not in it (never $0).
    assert D(doc["total_usd"]) == 3 * OPUS_LINE
    assert doc["unpriced_requests"] == 2
    assert doc["results"]["succeeded"] == 4
    assert D(doc["per_request_usd"]) == 3 * OPUS_LINE / 2  # over the 2 priced requests
    problem = next(p for p in doc["problems"] if p["code"] == "unknown_model_unpriced")
    assert (problem["count"], problem["lines"], problem["severity"]) == (2, [2, 3], "error")
    note = next(n for n in doc["notices"] if n["code"] == "unknown_model_unpriced")
    unknown = {u["name"]: u["suggestion"] for u in note["figures"]["unknown"]}
    assert unknown["claude-opus-4-7-20260416"] == "claude-opus-4-7"
    # The hint works for actual (its --model names the plan's model, not a results line's).
    assert "--pricing FILE" in note["message"] and "aliases" in note["message"]


def test_the_hint_works(cli, tmp_path, write_pricing):
    """Following the hint: the dated id as an alias of claude-opus-4-7 in a copy of the table."""
    f = write(tmp_path / "r.jsonl", line("a"), line("b", model="claude-opus-4-7-20260416"))
    copy = write_pricing(
        lambda t: t.replace(
            "aliases: [opus-4.7, opus-4-7,",
            "aliases: [claude-opus-4-7-20260416, opus-4.7, opus-4-7,",
            1,
        )
    )
    doc, _ = actual_json(cli, f, "--pricing", copy)
    assert D(doc["total_usd"]) == 2 * OPUS_LINE and doc["unpriced_requests"] == 0


def test_table_says_unpriced_lines_are_not_in_the_total(cli, tmp_path):
    f = write(tmp_path / "r.jsonl", line("a"), line("b", model="claude-opus-9"))
    code, out, err = cli("actual", str(f))
    assert code == 0, err
    flat = " ".join(out.split())
    assert "1 succeeded request could not be priced" in flat
    assert "claude-opus-9" in flat and "--pricing FILE" in flat


def test_nothing_priceable_is_exit_2_with_the_hint(cli, tmp_path):
    f = write(tmp_path / "r.jsonl", line("a", model="claude-opus-4-7-20260416"), line("b"))
    f = write(tmp_path / "r.jsonl", line("a", model="claude-opus-4-7-20260416"))
    code, out, err = cli("actual", str(f))
    assert code == 2 and out == ""
    assert "none of its 1 succeeded results can be priced" in err
    assert "nearest known id claude-opus-4-7" in err and "--pricing FILE" in err
    assert err.count("\n") == 1


def test_csv_leaves_unknown_model_rows_empty(cli, tmp_path):
    import csv
    import io

    f = write(tmp_path / "r.jsonl", line("a"), line("b", model="claude-opus-9"))
    code, out, _ = cli("actual", str(f), "--format", "csv")
    assert code == 0
    rows = {r["custom_id"]: r for r in csv.DictReader(io.StringIO(out))}
    assert D(rows["a"]["cost_usd"]) == OPUS_LINE
    assert rows["b"]["cost_usd"] == ""  # unpriced: empty, never 0


# -- fast mode that has ended ------------------------------------------------------------------

# Opus 4.8's fast mode: $10 input / $50 output per MTok, offered 2026-05-28 until 2026-11-30.
# 1,000 input + 100 output at fast rates, never batched: 1,000 x 10 / 1e6 + 100 x 50 / 1e6
# = $0.010 + $0.005 = $0.015.
FAST_LINE = D("0.015")


@pytest.mark.parametrize(
    "on, ended",
    [("2026-12-06", True), ("2026-11-30", True), ("2026-11-29", False), ("2026-06-01", False)],
)
def test_fast_line_after_fast_mode_ended_is_priced_at_the_last_fast_rate(cli, tmp_path, on, ended):
    f = write(tmp_path / "r.jsonl", line("a", "claude-opus-4-8", speed="fast"))
    doc, err = actual_json(cli, f, "--date", on)
    assert D(doc["total_usd"]) == FAST_LINE
    assert doc["service_tiers"] == {"fast": 1}
    codes = {p["code"] for p in doc["problems"]}
    assert ("fast_mode_ended" in codes) is ended
    if ended:
        note = next(n for n in doc["notices"] if n["code"] == "fast_mode_ended")
        assert note["figures"]["models"] == ["Claude Opus 4.8"]
        assert "--date" in note["message"]


def test_ended_fast_mode_with_us_inference(cli, tmp_path):
    # US-only inference multiplies fast rates by 1.1: $0.015 x 1.1 = $0.0165.
    f = write(tmp_path / "r.jsonl", line("a", "claude-opus-4-8", speed="fast", inference_geo="us"))
    doc, _ = actual_json(cli, f, "--date", "2026-12-06")
    assert D(doc["total_usd"]) == D("0.0165")


def test_fast_line_on_a_model_without_fast_prices_stays_unpriced(cli, tmp_path):
    f = write(tmp_path / "r.jsonl", line("a"), line("b", "claude-haiku-4-5", speed="fast"))
    doc, _ = actual_json(cli, f)
    assert D(doc["total_usd"]) == OPUS_LINE and doc["unpriced_requests"] == 1


# -- inference_geo -----------------------------------------------------------------------------


@pytest.mark.parametrize("geo", ["eu", "EU", "US", "", "asia"])
def test_unknown_inference_geo_is_priced_as_global_with_a_warning(cli, tmp_path, geo):
    f = write(tmp_path / "r.jsonl", line("a", inference_geo=geo), line("b"))
    doc, err = actual_json(cli, f)
    # Global rates (the lower bound: US costs 1.1x): 2 x $0.00375.
    assert D(doc["total_usd"]) == 2 * OPUS_LINE
    problem = next(p for p in doc["problems"] if p["code"] == "inference_geo_unknown")
    assert (problem["count"], problem["lines"]) == (1, [1])
    assert "lower bound" in problem["message"]


@pytest.mark.parametrize("geo, total", [("global", 2 * OPUS_LINE), ("us", OPUS_LINE * D("2.1"))])
def test_known_inference_geo_has_no_warning(cli, tmp_path, geo, total):
    # US on Opus 4.7: 1.1 x $0.00375 = $0.004125; with the global line b: $0.007875.
    f = write(tmp_path / "r.jsonl", line("a", inference_geo=geo), line("b"))
    doc, _ = actual_json(cli, f)
    assert D(doc["total_usd"]) == total
    assert not doc["problems"]


# -- speed ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("speed", ["turbo", "FAST", "Fast", "", "slow"])
def test_unknown_speed_is_priced_at_standard_speed_with_a_warning(cli, tmp_path, speed):
    # The API reports speed "standard" or "fast" only. Another value is priced at standard
    # speed, the cheaper (fast mode costs more), so a lower bound, and counted as a problem.
    # Opus 4.7 in a batch at standard speed: (1,000 x $5 + 100 x $25) / 2 = $0.00375 per line.
    f = write(tmp_path / "r.jsonl", line("a", speed=speed), line("b"), line("c", speed=speed))
    doc, _ = actual_json(cli, f)
    assert D(doc["total_usd"]) == 3 * OPUS_LINE
    problem = next(p for p in doc["problems"] if p["code"] == "speed_unknown")
    assert (problem["count"], problem["lines"]) == (2, [1, 3])
    assert problem["severity"] == "warning" and "lower bound" in problem["message"]
    assert doc["service_tiers"] == {"batch": 3}
    assert problem["message"].startswith("report a speed other than standard or fast")


@pytest.mark.parametrize("speed", ["standard", None, 7])
def test_known_or_absent_speed_has_no_warning(cli, tmp_path, speed):
    # None and a non-text value are absent speeds (as an inference_geo that is not text is).
    f = write(tmp_path / "r.jsonl", line("a", speed=speed), line("b"))
    doc, _ = actual_json(cli, f)
    assert D(doc["total_usd"]) == 2 * OPUS_LINE
    assert not doc["problems"]


# -- cache-miss diagnostics --------------------------------------------------------------------


def miss(kind, tokens=None):
    reason = {"type": kind}
    if tokens is not None:
        reason["cache_missed_input_tokens"] = tokens
    return {"cache_miss_reason": reason}


def test_cache_miss_reasons_are_counted(cli, tmp_path):
    f = write(
        tmp_path / "r.jsonl",
        line("a", diagnostics=miss("messages_changed", 5000)),
        line("b", diagnostics=miss("messages_changed", 3000)),
        line("c", diagnostics=miss("tools_changed", 1000)),
        line("d", diagnostics={"cache_miss_reason": None}),  # comparison still pending
        line("e", diagnostics=None),  # no divergence
        line("f"),  # no diagnostics asked
        line("g", diagnostics=miss("weather_changed", 7)),  # a type this version does not know
        line("h", diagnostics=miss("system_changed", -5)),  # not a count: reason kept, tokens 0
    )
    doc, _ = actual_json(cli, f)
    assert doc["cache_miss_reasons"] == {
        "system_changed": {"requests": 1, "missed_input_tokens": 0},
        "tools_changed": {"requests": 1, "missed_input_tokens": 1000},
        "messages_changed": {"requests": 2, "missed_input_tokens": 8000},
        "pending": {"requests": 1, "missed_input_tokens": 0},
        "other": {"requests": 1, "missed_input_tokens": 7},
    }
    # The diagnostics change no price: 8 lines x $0.00375.
    assert D(doc["total_usd"]) == 8 * OPUS_LINE
    code, out, _ = cli("actual", str(f))
    flat = " ".join(out.split())
    assert "Cache misses (diagnostics):" in flat
    assert "2 messages changed (~8,000 input tokens)" in flat


def test_no_diagnostics_no_reasons(cli, tmp_path):
    doc, _ = actual_json(cli, write(tmp_path / "r.jsonl", line("a")))
    assert doc["cache_miss_reasons"] == {}


# -- which date's prices -----------------------------------------------------------------------


# Sonnet 5.5's cache read was $0.20/MTok from 2026-09-28 and $0.10 from 2026-10-07.
# 1,000,000 cache-read tokens in a batch: 1e6 x 0.20 / 2 / 1e6 = $0.10 before, $0.05 after.
def sonnet_reads(tmp_path):
    return write(
        tmp_path / "r.jsonl",
        line("a", "claude-sonnet-5-5", input_tokens=0, output=0, cache_read_input_tokens=10**6),
    )


@pytest.mark.parametrize("on, total", [("2026-10-06", "0.10"), ("2026-10-07", "0.05")])
def test_priced_on_is_shown_and_decides_the_price(cli, tmp_path, on, total):
    doc, err = actual_json(cli, sonnet_reads(tmp_path), "--date", on)
    assert doc["priced_on"] == on
    assert D(doc["total_usd"]) == D(total)
    assert "price_changed_in_window" not in {n["code"] for n in doc["notices"]}  # --date given
    code, out, _ = cli("actual", str(sonnet_reads(tmp_path)), "--date", on)
    assert f"Priced at batch prices of {on}" in " ".join(out.split())


@pytest.mark.parametrize(
    "on, warned",
    [
        ("2026-10-07", True),  # the change day itself
        ("2026-11-04", True),  # 28 days after: a batch created 2026-10-06 is still kept
        ("2026-11-05", False),  # 29 days after: the earliest batch kept ran on the change day
        ("2026-10-06", False),  # before the change
    ],
)
def test_price_change_window_is_29_days(pricing, on, warned):
    sonnet = pricing.resolve("sonnet-5.5")
    note = price_changes([sonnet], date.fromisoformat(on))
    assert (note is not None) is warned
    if note is not None:
        assert note.figures["changes"] == [{"model": "claude-sonnet-5-5", "changed": "2026-10-07"}]
        assert "--date YYYY-MM-DD" in render(note) and "29 days" in render(note)


def test_undated_run_warns_when_a_price_changed_recently(cli, tmp_path, write_pricing):
    """No --date: today's prices; a change five days ago (a dated row of the test's table)
    may not apply to a batch that ran before it."""
    until = (date.today() - timedelta(days=5)).isoformat()
    old = (
        "prices: {input: 5, cache_write_5m: 6.25, cache_write_1h: 10, cache_read: 0.50, output: 25}"
    )

    def edit(text):
        at = text.index(old, text.index("\n  claude-opus-4-7:\n")) + len(old)
        row = (
            f"\n    dated_prices:\n      - effective_until: {until}\n        prices: {{input: 6,"
            " cache_write_5m: 7.50, cache_write_1h: 12, cache_read: 0.60, output: 30}"
        )
        return text[:at] + row + text[at:]

    f = write(tmp_path / "r.jsonl", line("a"))
    doc, err = actual_json(cli, f, "--pricing", write_pricing(edit))
    assert doc["priced_on"] == date.today().isoformat()
    assert D(doc["total_usd"]) == OPUS_LINE  # today's row
    note = next(n for n in doc["notices"] if n["code"] == "price_changed_in_window")
    assert note["figures"]["changes"] == [{"model": "claude-opus-4-7", "changed": until}]
    assert "--date YYYY-MM-DD" in note["message"]
    # On the day before the change, the old row: (1,000 x 6 + 100 x 30) / 2 / 1e6 = $0.0045.
    day_before = (date.today() - timedelta(days=6)).isoformat()
    doc, err = actual_json(cli, f, "--pricing", write_pricing(edit), "--date", day_before)
    assert D(doc["total_usd"]) == D("0.0045")
    assert "price_changed_in_window" not in {n["code"] for n in doc["notices"]}


def test_read_results_reports_its_date(pricing, tmp_path):
    r = read_results(write(tmp_path / "r.jsonl", line("a")), pricing, date(2026, 11, 24))
    assert r.priced_on == date(2026, 11, 24)
