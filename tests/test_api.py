"""The Python API (costcalc.check, ensure_within_budget, price_results, warmup): requests and
results in memory, built with the anthropic SDK's own types, priced by the CLI's code.

Rates used by hand below (Claude Opus 4.7,
https://platform.claude.com/docs/en/build-with-claude/prompt-caching; batch = half of every price,
https://platform.claude.com/docs/en/build-with-claude/batch-processing): input $2.50/MTok, output
$12.50, 5m cache write $3.125 (1.25x base $5), 1h write $5 (2x), cache read $0.25 (0.1x).
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal as D

import pytest

import costcalc
from costcalc import CheckReport, OverBudget, Primer, ResultsReport

anthropic = pytest.importorskip("anthropic")
from anthropic.types.message_create_params import MessageCreateParamsNonStreaming  # noqa: E402
from anthropic.types.messages import MessageBatchIndividualResponse  # noqa: E402
from anthropic.types.messages.batch_create_params import Request  # noqa: E402

ON = date(2026, 6, 1)
MODEL = "claude-opus-4-7"
RUBRIC = "Review the code against the rubric. " * 700  # a few thousand tokens: cacheable


def request(i: int, max_tokens: int = 1000, model: str = MODEL) -> Request:
    """A request as a user builds it with the SDK's typed dicts."""
    return Request(
        custom_id=f"review-{i}",
        params=MessageCreateParamsNonStreaming(
            model=model,
            max_tokens=max_tokens,
            system=[
                {"type": "text", "text": RUBRIC, "cache_control": {"type": "ephemeral"}},
            ],
            messages=[{"role": "user", "content": f"Sample {i}: def f(x): return x + {i}"}],
        ),
    )


def jsonl(path, items) -> str:
    """The items as a JSONL file the way they go on the wire (compact JSON, UTF-8)."""
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n" for r in items),
        encoding="utf-8",
    )
    return str(path)


def cli_json(cli, *argv) -> str:
    code, out, err = cli(*argv, "--format", "json", "--date", ON.isoformat())
    assert code == 0, err
    return out


def test_check_of_a_generator_equals_the_cli_on_the_file(cli, tmp_path):
    reqs = [request(i) for i in range(12)]
    path = jsonl(tmp_path / "batch.jsonl", reqs)
    report = costcalc.check((r for r in reqs), on=ON)
    expected = cli_json(cli, "check", path).replace(json.dumps(path), '"<requests>"')
    assert report.to_json() == expected  # byte for byte; only "file" names the input
    # A path is the file itself: the same document, its path included.
    assert costcalc.check(path, on=ON).to_json() == cli_json(cli, "check", path)
    assert isinstance(report, CheckReport)
    doc = json.loads(report.to_json())
    assert report.best.total == D(doc["cost"]["best"]["batch_cache"])
    assert report.best.totals["standard"] == D(doc["cost"]["best"]["standard"])
    assert report.expected.total == D(doc["cost"]["expected"]["batch_cache"])
    assert report.worst.total == D(doc["cost"]["worst"]["batch_cache"])
    assert report.warm_up.total == D(doc["warm_up"]["total_usd"])
    assert report.requests == 12 and report.unpriced == 0 and report.problems == ()


def test_worst_case_worked_out_from_its_token_counts():
    reqs = [request(i, max_tokens=2000) for i in range(10)]
    report = costcalc.check(reqs, on=ON)
    lines = report.report.cases["worst"]
    # Worst: no request reads; every request writes the rubric (5m) and pays max_tokens out.
    assert lines["output"][0] == 10 * 2000
    rates = {"input": "2.50", "cache_write_5m": "3.125", "cache_read": "0.25", "output": "12.50"}
    total = sum(
        (D(tokens) * D(rates[c]) / 1_000_000 for c, (tokens, _) in lines.items() if tokens),
        D(0),
    )
    assert lines.get("cache_read", (0, 0))[0] == 0
    assert report.worst.total == total
    # Output alone: 20,000 x $12.50/M = $0.25.
    assert lines["output"][1] == D("0.25")


def test_tuples_and_sdk_objects_are_read_as_they_go_on_the_wire(cli, tmp_path):
    reqs = [request(i) for i in range(3)]
    as_tuples = [
        {
            "custom_id": r["custom_id"],
            "params": {**r["params"], "messages": tuple(r["params"]["messages"])},
        }
        for r in reqs
    ]
    assert costcalc.check(as_tuples, on=ON).to_json() == costcalc.check(reqs, on=ON).to_json()


def test_options_are_the_cli_options(cli, tmp_path):
    reqs = [request(i) for i in range(5)]
    path = jsonl(tmp_path / "b.jsonl", reqs)
    api = costcalc.check(
        reqs, output=300, hit_rate=0.5, budget="1.5", against="expected", on=ON
    ).to_json()
    flags = ("--output", "300", "--hit-rate", "0.5", "--budget", "1.5", "--against", "expected")
    assert api == cli_json(cli, "check", path, *flags).replace(json.dumps(path), '"<requests>"')
    # A float is read as written (0.9 is 0.9, not 0.90000000000000002220...).
    assert costcalc.check(reqs, hit_rate=0.9, on=ON).hit_rate == D("0.9")
    ratio = costcalc.check(reqs, output_ratio=0.25, on=ON).to_json()
    assert ratio == cli_json(cli, "check", path, "--output-ratio", "0.25").replace(
        json.dumps(path), '"<requests>"'
    )


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"hit_rate": 1.5}, "hit_rate must be from 0 to 1"),
        ({"hit_rate": "lots"}, "hit_rate: 'lots' is not a number"),
        ({"output_ratio": -0.1}, "output_ratio must be from 0 to 1"),
        ({"output": -1}, "output: -1 is not a whole number"),
        ({"output": 2.5}, "output: 2.5 is not a whole number"),
        ({"budget": -5}, "budget: a budget cannot be negative"),
        ({"budget": float("nan")}, "budget:"),
        ({"output": 10, "output_ratio": 0.5}, "output or output_ratio, not both"),
        ({"against": "best"}, "against is 'worst' or 'expected'"),
        ({"against": None}, "against is 'worst' or 'expected', not None"),
        ({"on": 20260601}, "on: 20260601 is not a date"),
        ({"on": "1 June 2026"}, "on: '1 June 2026' is not a date; give a datetime.date or an ISO"),
        ({"on": "2026-02-30"}, "on: '2026-02-30' is not a date"),
        ({"allow_unpriced": "no"}, "allow_unpriced is True or False, not 'no'"),
        ({"allow_unpriced": 0}, "allow_unpriced is True or False, not 0"),
        ({"pricing": 3}, "pricing: expected a costcalc.Pricing or a pricing file path, got int"),
        (
            {"pricing": "no-such.yaml"},
            "pricing file no-such.yaml not found; check the pricing= path",
        ),
        ({"output": True}, "output: True is not a whole number"),
    ],
)
def test_bad_options_are_one_clear_error(kwargs, message):
    with pytest.raises(costcalc.CostcalcError, match=message.replace("(", r"\(")):
        costcalc.check([request(1)], **{"on": ON, **kwargs})


def test_an_iso_date_string_or_a_datetime_is_the_date_of_the_prices():
    from datetime import datetime

    reqs = [request(1)]
    by_date = costcalc.check(reqs, on=ON).to_json()
    assert costcalc.check(reqs, on="2026-06-01").to_json() == by_date
    assert costcalc.check(reqs, on=datetime(2026, 6, 1, 23, 59)).to_json() == by_date
    assert costcalc.warmup(reqs * 3, on=" 2026-06-01 ").to_json() == (
        costcalc.warmup(reqs * 3, on=ON).to_json()
    )


def test_every_option_of_the_other_functions_is_checked():
    def fails(message, call, *args, **kwargs):
        with pytest.raises(costcalc.CostcalcError, match=message):
            call(*args, **kwargs)

    reqs = [request(1)]
    fails(
        "ensure_within_budget has no option 'bugdet'",
        costcalc.ensure_within_budget,
        reqs,
        5,
        bugdet=3,
    )
    fails("on: 'tomorrow' is not a date", costcalc.ensure_within_budget, reqs, 5, on="tomorrow")
    fails("needs a budget", costcalc.ensure_within_budget, reqs, None)
    fails("batch is True or False, not 'no'", costcalc.price_results, RESULTS, batch="no")
    fails("on: '2026-13-01' is not a date", costcalc.price_results, RESULTS, on="2026-13-01")
    fails("batch_id: 5 is not a non-empty string", costcalc.price_results, batch_id=5)
    fails("client: expected an anthropic.Anthropic", costcalc.price_results, batch_id="b", client=5)
    fails(
        "client is used to fetch the results of a batch_id",
        costcalc.price_results,
        RESULTS,
        client=object(),
    )
    fails("pricing: expected a costcalc.Pricing", costcalc.price_results, RESULTS, pricing=1.0)
    fails("results: expected an iterable of results", costcalc.price_results, RESULTS[0])
    fails("hit_rate: 'z' is not a number", costcalc.warmup, reqs, hit_rate="z")
    fails("on: \\[1\\] is not a date", costcalc.warmup, reqs, on=[1])
    fails("pricing: expected a costcalc.Pricing", costcalc.warmup, reqs, pricing=object())


def test_api_errors_name_the_python_parameter_never_a_cli_flag():
    with pytest.raises(costcalc.CostcalcError) as caught:
        costcalc.price_results(RESULTS, requests=[{"x": 1}], on=ON)
    message = str(caught.value)
    assert message.startswith("requests= wants the requests that were submitted: <requests> is")
    assert "--" not in message


def test_an_error_severity_problem_fails_the_guard_in_the_api_s_words():
    # max_tokens over the model's output limit: the API refuses the request, so no cost
    # passes the gate, however small.
    reqs = [request(1), request(2, max_tokens=10_000_000)]
    with pytest.raises(OverBudget) as caught:
        costcalc.ensure_within_budget(reqs, budget=1000, on=ON)
    message = str(caught.value)
    assert message.startswith(
        "budget check failed: 1 error-severity problem (max_tokens_over_limit, in "
        ".report.problems) fails the gate whatever the cost; within budget: batch_cache (worst "
        "case) costs $0."
    )
    assert "reported above" not in message and message.endswith("of a $1,000.00 budget")


def test_not_an_iterable_of_requests():
    with pytest.raises(costcalc.CostcalcError, match="got one dict; wrap it in a list"):
        costcalc.check(request(1), on=ON)
    with pytest.raises(costcalc.CostcalcError, match="got int"):
        costcalc.check(5, on=ON)
    with pytest.raises(costcalc.CostcalcError, match="is empty"):
        costcalc.check([], on=ON)
    with pytest.raises(costcalc.CostcalcError, match="no such file"):
        costcalc.check("no-such-file.jsonl", on=ON)


def test_items_that_are_not_json_are_unpriced_never_free():
    class Opaque:
        pass

    bad_nan = request(2)
    bad_nan["params"]["temperature"] = float("nan")  # type: ignore[typeddict-unknown-key]
    report = costcalc.check([request(1), Opaque(), bad_nan], on=ON)
    assert report.unpriced == 2
    assert report.unpriced_reasons == {"malformed": 2}
    malformed = next(p for p in report.problems if p.code == "malformed")
    assert malformed.lines == (2, 3)  # item numbers, 1-based
    with pytest.raises(OverBudget, match="2 requests could not be priced"):
        costcalc.ensure_within_budget([request(1), Opaque(), bad_nan], budget=1000, on=ON)


def test_ensure_within_budget_guards_a_submission():
    reqs = [request(i, max_tokens=2000) for i in range(10)]
    worst = costcalc.check(reqs, on=ON).worst.total
    ok = costcalc.ensure_within_budget(reqs, budget=worst, on=ON)  # at the budget: within
    assert ok.within_budget is True
    with pytest.raises(OverBudget) as caught:
        costcalc.ensure_within_budget(reqs, budget=worst - D("0.01"), on=ON)
    err = caught.value
    assert isinstance(err, costcalc.CostcalcError)
    assert err.report.worst.total == worst and err.report.within_budget is False
    assert str(err).startswith("over budget: batch_cache (worst case) costs $0.")
    assert str(err).endswith("over by $0.01")
    # Against the expected case the same budget passes (expected < worst here).
    passed = costcalc.ensure_within_budget(
        reqs, budget=worst - D("0.01"), against="expected", on=ON
    )
    assert passed.expected.total <= worst - D("0.01")


def test_unknown_model_blocks_the_guard_unless_allowed():
    reqs = [request(1), request(2, model="claude-opus-9-9")]
    with pytest.raises(OverBudget, match="1 request could not be priced") as caught:
        costcalc.ensure_within_budget(reqs, budget=1000, on=ON)
    assert caught.value.report.unpriced == 1
    report = costcalc.ensure_within_budget(reqs, budget=1000, allow_unpriced=True, on=ON)
    assert report.unpriced == 1 and report.within_budget is True


def test_a_one_shot_iterator_is_read_once_and_lazily():
    taken = []

    def gen():
        for i in range(50):
            taken.append(i)
            yield request(i)

    it = gen()
    assert taken == []
    report = costcalc.check(it, on=ON)
    assert taken == list(range(50)) and report.requests == 50


# Results ----------------------------------------------------------------------------------


def result_line(i: int, usage: dict, kind: str = "succeeded") -> dict:
    if kind != "succeeded":
        return {"custom_id": f"review-{i}", "result": {"type": kind}}
    return {
        "custom_id": f"review-{i}",
        "result": {
            "type": "succeeded",
            "message": {
                "id": f"msg_{i}",
                "type": "message",
                "role": "assistant",
                "model": MODEL,
                "content": [{"type": "text", "text": "Looks fine."}],
                "stop_reason": "end_turn",
                "stop_sequence": None,
                "usage": usage,
            },
        },
    }


RESULTS = [
    # Writes 4,000 tokens at 1h; the breakdown only (no aggregate cache_creation_input_tokens).
    result_line(
        0,
        {
            "input_tokens": 100,
            "output_tokens": 200,
            "cache_creation": {"ephemeral_5m_input_tokens": 0, "ephemeral_1h_input_tokens": 4000},
            "service_tier": "batch",
        },
    ),
    # Reads the 4,000.
    result_line(
        1,
        {
            "input_tokens": 100,
            "output_tokens": 200,
            "cache_read_input_tokens": 4000,
            "cache_creation_input_tokens": 0,
            "service_tier": "batch",
        },
    ),
    result_line(2, {}, kind="errored"),
]


def test_results_as_sdk_objects_priced_by_hand(cli, tmp_path):
    objects = [MessageBatchIndividualResponse.model_validate(line) for line in RESULTS[:2]]
    objects.append(
        MessageBatchIndividualResponse.model_validate(
            {
                "custom_id": "review-2",
                "result": {
                    "type": "errored",
                    "error": {
                        "type": "error",
                        "error": {"type": "api_error", "message": "x"},
                    },
                },
            }
        )
    )
    report = costcalc.price_results(objects, on=ON)
    assert isinstance(report, ResultsReport)
    # input 200 x $2.50/M = 0.0005; 1h write 4,000 x $5/M = 0.02; read 4,000 x $0.25/M = 0.001;
    # output 400 x $12.50/M = 0.005. The errored request is not billed.
    assert report.total == D("0.0265")
    assert report.by_class["cache_write_1h"] == (4000, D("0.02"))
    assert report.by_class["cache_read"] == (4000, D("0.001"))
    assert report.per_model == {MODEL: (2, D("0.0265"))}
    assert report.counts["errored"] == 1
    assert report.cache["requests_that_wrote"] == 1 and report.cache["requests_that_read"] == 1
    # model_dump() would add "cache_creation_input_tokens": null beside the breakdown and call
    # it a mismatch; what the API sent is priced, with nothing to report.
    assert json.loads(report.to_json())["problems"] == []
    path = jsonl(tmp_path / "results.jsonl", [o.to_dict(mode="json") for o in objects])
    expected = cli_json(cli, "actual", path).replace(json.dumps(path), '"<results>"')
    assert report.to_json() == expected


def test_results_as_dicts_and_path_equal_the_cli(cli, tmp_path):
    path = jsonl(tmp_path / "results.jsonl", RESULTS)
    assert costcalc.price_results(path, on=ON).to_json() == cli_json(cli, "actual", path)
    in_memory = costcalc.price_results(iter(RESULTS), on=ON)
    assert in_memory.to_json() == cli_json(cli, "actual", path).replace(
        json.dumps(path), '"<results>"'
    )
    # Lines without a service_tier follow batch=False (real-time rates), as --no-batch does.
    plain = [json.loads(json.dumps(r)) for r in RESULTS[:2]]
    for r in plain:
        del r["result"]["message"]["usage"]["service_tier"]
    rt = costcalc.price_results(plain, batch=False, on=ON)
    # Twice the batch price: 0.053.
    assert rt.total == D("0.053")


def test_results_with_the_requests_equal_actual_with_batch(cli, tmp_path):
    reqs = [request(i) for i in range(3)]
    req_path = jsonl(tmp_path / "batch.jsonl", reqs)
    res_path = jsonl(tmp_path / "results.jsonl", RESULTS)
    report = costcalc.price_results(iter(RESULTS), requests=(r for r in reqs), on=ON)
    expected = cli_json(cli, "actual", res_path, "--batch", req_path)
    expected = expected.replace(json.dumps(res_path), '"<results>"').replace(req_path, "<requests>")
    assert report.to_json() == expected
    assert report.comparison is not None and report.cold_start is not None


def test_price_results_needs_results_or_a_batch_id():
    with pytest.raises(costcalc.CostcalcError, match="one of them"):
        costcalc.price_results(on=ON)
    with pytest.raises(costcalc.CostcalcError, match="one of them"):
        costcalc.price_results(RESULTS, batch_id="msgbatch_1", on=ON)
    with pytest.raises(costcalc.CostcalcError, match="is empty"):
        costcalc.price_results([], on=ON)


# Warm-up ----------------------------------------------------------------------------------


def test_warmup_equals_the_cli_and_its_primers_are_requests(cli, tmp_path):
    reqs = [request(i) for i in range(8)]
    path = jsonl(tmp_path / "batch.jsonl", reqs)
    primer = costcalc.warmup(iter(reqs), on=ON)
    assert isinstance(primer, Primer)
    expected = cli_json(cli, "warmup", path).replace(json.dumps(path), '"<requests>"')
    assert primer.to_json() == expected
    # The primer batch as the CLI writes it with --out.
    out = tmp_path / "primer.jsonl"
    code, _, err = cli("warmup", path, "--out", str(out), "--date", ON.isoformat())
    assert code == 0, err
    assert primer.requests == [json.loads(line) for line in out.read_text().splitlines()]
    (only,) = primer.requests
    assert only["params"]["max_tokens"] == 1
    assert only["params"]["system"][0]["cache_control"] == {"type": "ephemeral", "ttl": "1h"}
    # The 1h copy: every request, every breakpoint at 1h, nothing else changed.
    assert len(primer.ttl_1h) == 8
    for original, copy in zip(reqs, primer.ttl_1h):
        assert copy["params"]["system"][0]["cache_control"]["ttl"] == "1h"
        copy["params"]["system"][0]["cache_control"] = {"type": "ephemeral"}
        assert copy == json.loads(json.dumps(original))
    doc = json.loads(primer.to_json())
    assert primer.saving == D(doc["expected_usd"]) - D(doc["total_usd"])
    assert primer.worth_it == (doc["cheapest"] == "warm_up")


def test_the_api_is_typed():
    from importlib.resources import files

    assert files("costcalc").joinpath("py.typed").is_file()
    import inspect

    for fn in (costcalc.check, costcalc.ensure_within_budget, costcalc.price_results):
        sig = inspect.signature(fn)
        assert sig.return_annotation != inspect.Signature.empty
        for p in sig.parameters.values():
            assert p.kind == p.VAR_KEYWORD or p.annotation != inspect.Parameter.empty, p


def test_more_ways_to_call(tmp_path, pricing):
    reqs = [request(i) for i in range(4)]
    path = jsonl(tmp_path / "batch.jsonl", reqs)
    # A path works for warmup too; pricing as a Pricing or as a file.
    from_path = costcalc.warmup(path, on=ON, pricing=pricing)
    assert from_path.requests == costcalc.warmup(reqs, on=ON).requests
    assert "Primer(requests=1" in repr(from_path)
    report = costcalc.check(reqs, on=ON, pricing=costcalc.load_pricing().path)
    assert report.within_budget is None and "CheckReport(requests=4" in repr(report)
    results = costcalc.price_results(RESULTS, on=ON)
    assert repr(results) == "ResultsReport(total=0.026500000, succeeded=2, unpriced=0, malformed=0)"
    with pytest.raises(costcalc.CostcalcError, match="needs a budget"):
        costcalc.ensure_within_budget(reqs, None, on=ON)  # type: ignore[arg-type]
    with pytest.raises(costcalc.CostcalcError, match="at most 10 decimals"):
        costcalc.check(reqs, hit_rate="0.12345678901", on=ON)
    with pytest.raises(costcalc.CostcalcError, match="True is not a number"):
        costcalc.check(reqs, hit_rate=True, on=ON)


def test_pydantic_objects_in_params_are_sent_as_set(cli, tmp_path):
    from pydantic import BaseModel

    class Block(BaseModel):
        type: str = "text"
        text: str
        cache_control: dict | None = None

    plain = [request(i) for i in range(3)]
    with_models = [
        {
            "custom_id": r["custom_id"],
            "params": {
                **r["params"],
                "system": [Block(text=RUBRIC, cache_control={"type": "ephemeral"})],
            },
        }
        for r in plain
    ]
    # As the SDK sends a pydantic object: the fields set, under their API names. type="text"
    # was not set, so it is not sent, and the block is not the plain one (a different prefix).
    from costcalc.files.inmemory import encode

    assert encode(with_models[0]["params"]["system"][0]) == (
        json.dumps({"text": RUBRIC, "cache_control": {"type": "ephemeral"}}, separators=(",", ":"))
    )
    for r in with_models:
        r["params"]["system"][0] = Block(
            type="text", text=RUBRIC, cache_control={"type": "ephemeral"}
        )
    assert costcalc.check(with_models, on=ON).to_json() == costcalc.check(plain, on=ON).to_json()


def test_in_memory_inputs_are_named_in_errors_never_a_temporary_file():
    reqs = [request(i) for i in range(2)]
    # Requests given as results: the error names "<results>", not the temporary copy.
    with pytest.raises(costcalc.CostcalcError) as caught:
        costcalc.price_results(iter(reqs), requests=reqs, on=ON)
    assert str(caught.value).startswith("<results> looks like a batch request file")
    # A result that is not JSON is a malformed line, never skipped.
    report = costcalc.price_results([*RESULTS, {"bad": float("inf")}], on=ON)
    assert report.malformed == (4,) and report.total == D("0.0265")


def test_a_list_may_be_read_twice_a_generator_once():
    from costcalc.files.inmemory import InMemory

    assert InMemory([1], "x").rereadable and not InMemory(iter([1]), "x").rereadable


def test_without_a_date_the_results_are_priced_as_the_cli_does_today(cli, tmp_path):
    path = jsonl(tmp_path / "results.jsonl", RESULTS)
    code, out, err = cli("actual", path, "--format", "json")
    assert code == 0, err
    expected = out.replace(json.dumps(path), '"<results>"')
    assert costcalc.price_results(RESULTS).to_json() == expected


def test_requests_in_memory_over_one_batch_s_limit_are_split_like_the_file(
    cli, tmp_path, write_pricing
):
    # With at most 4 requests per batch, 6 requests in two prefix groups of 3 are split into
    # two batches of 3 (a batch never separates requests that share a prefix when it can keep
    # them together); a generator is read once, so the split is planned from that one read.
    pricing = write_pricing(lambda t: t.replace("max_requests: 100000", "max_requests: 4"))
    other = "Another rubric, for other code. " * 700
    reqs = [request(i) for i in range(3)]
    for i in range(3, 6):
        r = request(i)
        r["params"]["system"] = [  # type: ignore[index]
            {"type": "text", "text": other, "cache_control": {"type": "ephemeral"}}
        ]
        reqs.append(r)
    path = jsonl(tmp_path / "batch.jsonl", reqs)
    expected = cli_json(cli, "check", path, "--pricing", str(pricing))
    split = json.loads(expected)["split"]
    assert [(s["requests"], s["prefixes"]) for s in split] == [(3, 1), (3, 1)]
    in_memory = costcalc.check((r for r in reqs), on=ON, pricing=pricing).to_json()
    assert in_memory == expected.replace(json.dumps(path), '"<requests>"')
    # The same limit given as a loaded Pricing.
    loaded = costcalc.load_pricing(pricing)
    assert costcalc.check(reqs, on="2026-06-01", pricing=loaded).to_json() == in_memory


def test_bytes_in_memory_are_what_the_sdk_sends_and_a_file_s_are_its_own(tmp_path):
    # The SDK sends compact JSON (no spaces), UTF-8 as is; a file keeps the spaces it was
    # written with. Each item counts its encoding plus one byte (a file line's newline).
    reqs = [request(i) for i in range(3)]
    reqs[0]["custom_id"] = "naïve-0"  # 2 bytes in UTF-8
    compact = [json.dumps(r, ensure_ascii=False, separators=(",", ":")) for r in reqs]
    in_memory = json.loads(costcalc.check(reqs, on=ON).to_json())["bytes"]
    assert in_memory == sum(len(c.encode("utf-8")) + 1 for c in compact)
    body = '{"requests":[' + ",".join(compact) + "]}"  # what batches.create sends
    assert len(body.encode("utf-8")) == in_memory + 14
    spaced = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in reqs).encode("utf-8")
    path = tmp_path / "spaced.jsonl"
    path.write_bytes(spaced)
    assert json.loads(costcalc.check(path, on=ON).to_json())["bytes"] == len(spaced) > in_memory
