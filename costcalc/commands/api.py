"""costcalc in Python code: check, gate, warm up and price Message Batches requests in memory.

    import anthropic, costcalc
    requests = [{"custom_id": "r1", "params": {...}}, ...]   # what batches.create takes
    costcalc.ensure_within_budget(requests, budget=300)      # raises costcalc.OverBudget
    batch = anthropic.Anthropic().messages.batches.create(requests=requests)
    ...
    report = costcalc.price_results(client.messages.batches.results(batch.id))
    report.total                                              # Decimal

Every function takes requests (or results) as any iterable of dicts, the SDK's typed dicts
and objects included, or as a path to a file. They run the code the CLI runs, so `.to_json()`
is what `costcalc check|actual|warmup --format json` prints for the same requests (a file's
"file" field is its path; in memory it is "<requests>" or "<results>", or the batch id).
Items are read one at a time: a generator of 100,000 requests is checked in the memory a file
of them takes. Item n of an iterable is "line" n in problems and notices.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal, TypeAlias

from costcalc.commands import apioptions as opts
from costcalc.commands.actual import actual_outcome
from costcalc.commands.check import check_outcome
from costcalc.commands.report import results_gate
from costcalc.compute import outcomes
from costcalc.compute.check import check as check_file
from costcalc.compute.failclosed import require_something_to_price
from costcalc.compute.warmup import primer_requests, ttl_1h_requests
from costcalc.errors import CodedError, CostcalcError
from costcalc.files.inmemory import InMemory, on_disk
from costcalc.messages import render, render_error
from costcalc.present.actual_data import actual_json
from costcalc.present.budget import budget_message
from costcalc.present.check_data import check_json
from costcalc.present.json_encoder import to_json
from costcalc.present.primer_files import jsonl_line, primer_lines
from costcalc.present.warmup_data import warmup_json
from costcalc.prices.model import Pricing
from costcalc.read.fetch import fetch_results
from costcalc.read.requestitems import request_items
from costcalc.tokens.count import load_cl100k

# Every import is at the top: the command line never imports this module (only `import costcalc`
# users do, through costcalc/__init__'s lazy names), so its imports cost the CLI nothing. The
# Anthropic SDK stays optional: read.fetch imports it only when a batch is fetched.

PathLike: TypeAlias = str | os.PathLike[str]
RequestsIn = Iterable[Any] | PathLike
ResultsIn = Iterable[Any] | PathLike
Against = Literal["worst", "expected"]
# A loaded Pricing, a pricing file, or None for the bundled prices.
PricingIn: TypeAlias = Pricing | PathLike | None


@dataclass(frozen=True)
class Case:
    """One case of a checked batch. `total` is its batch_cache cost (batched, with caching: how
    a batch is billed); `totals` has every scenario priced for the case (the best case has
    standard, batch, cache and batch_cache; the others batch_cache)."""

    name: str
    total: Decimal
    totals: Mapping[str, Decimal]


@dataclass(frozen=True)
class Problem:
    """One kind of problem in the requests: a stable code, its severity and English message,
    how many requests have it and their numbers (item n of an iterable, line n of a file)."""

    code: str
    severity: str
    message: str
    count: int
    lines: tuple[int, ...]
    figures: Mapping[str, Any] = field(default_factory=dict)


class OverBudget(CostcalcError):
    """Raised by ensure_within_budget: the chosen case costs more than the budget, or some
    requests could not be priced (so the cost is not known). `.report` is the CheckReport."""

    def __init__(self, message: str, report: CheckReport) -> None:
        super().__init__(message)
        self.report = report


class CheckReport:
    """What `costcalc check` reports for the requests (see `check`)."""

    def __init__(self, result: Any) -> None:
        self.result = result  # outcomes.CheckResult: the objects the presenters lay out
        r = result.report
        self.report = r  # check.Report
        self.best = Case("best", r.totals["batch_cache"], {_key(k): v for k, v in r.totals.items()})
        self.expected = Case("expected", r.expected, {"batch_cache": r.expected})
        self.worst = Case("worst", r.worst, {"batch_cache": r.worst})
        warm = r.warm.total if r.warm is not None else r.expected
        self.warm_up = Case("warm_up", warm, {"batch_cache": warm})
        self.hit_rate: Decimal = r.hit_rate
        self.requests: int = len(r.batch.requests)
        self.rejected: int = r.rejected
        self.unpriced: int = result.unpriced.count
        self.unpriced_reasons: dict[str, int] = dict(result.unpriced.reasons)
        self.problems: tuple[Problem, ...] = tuple(
            Problem(
                p.kind,
                p.notice().severity.value,
                render(p),
                len(p.lines),
                tuple(p.lines),
                dict(p.figures),
            )
            for p in r.batch.problems.values()
        )
        self.notices: tuple[Any, ...] = (
            r.output_note,
            *r.warnings,
            *(p.notice() for p in r.batch.problems.values()),
        )
        self.budget = result.budget  # engine.BudgetCheck or None
        self.blocked: bool = result.blocked

    @property
    def within_budget(self) -> bool | None:
        """None without a budget; False when over it, when an error-severity problem fails the
        gate (budget.failed_by), or when unpriced requests block it."""
        if self.budget is None:
            return None
        return bool(self.budget.passes) and not self.blocked

    def to_json(self) -> str:
        """The document `costcalc check --format json` prints."""

        return to_json(check_json(self.result))

    def __repr__(self) -> str:
        return (
            f"CheckReport(requests={self.requests}, best={self.best.total}, "
            f"expected={self.expected.total}, worst={self.worst.total}, "
            f"unpriced={self.unpriced}, problems={len(self.problems)})"
        )


class ResultsReport:
    """What `costcalc actual` reports for batch results (see `price_results`)."""

    def __init__(self, result: Any, gate: Any = None) -> None:
        self.result = result  # outcomes.ActualResult
        self.gate = gate  # manyresults.Gate of budget=, else None
        r = result.report
        self.report = r  # results.ResultsReport
        self.total: Decimal = r.total
        # Token class -> (tokens, USD): input, cache_write_5m, cache_write_1h, cache_read, output
        self.by_class: dict[str, tuple[int, Decimal]] = {
            _key(line.token_class): (line.tokens, line.cost) for line in r.lines
        }
        self.per_model: dict[str, tuple[int, Decimal]] = dict(r.per_model)
        self.counts: dict[str, int] = dict(r.counts)
        self.web_search_cost: Decimal = r.web_search_cost
        self.unpriced: int = r.unpriced
        self.malformed: tuple[int, ...] = tuple(r.malformed)
        self.cache: dict[str, Any] = {
            "requests_that_wrote": r.wrote,
            "requests_that_read": r.read,
            "requests_that_did_both": r.both,
            "requests_that_did_neither": r.neither,
            "read_share_of_cached_prefix_tokens": r.read_share,
            "effective_input_rate_vs_standard": r.effective_input_rate,
        }
        self.warnings: tuple[Any, ...] = tuple(r.warnings)
        self.comparison = result.comparison  # results.Comparison with requests=, else None
        self.cold_start = result.cold  # results.ColdStart with requests=, else None

    def to_json(self) -> str:
        """The document `costcalc actual --format json` prints."""

        return to_json(actual_json(self.result))

    def __repr__(self) -> str:
        return (
            f"ResultsReport(total={self.total}, succeeded={self.counts.get('succeeded', 0)}, "
            f"unpriced={self.unpriced}, malformed={len(self.malformed)})"
        )

    @property
    def within_budget(self) -> bool | None:
        """None without budget=; False when over it, or when the cost is not known: a
        succeeded request could not be priced, or a line could not be read (fail closed)."""
        return None if self.gate is None else bool(self.gate.passed)


class Primer:
    """The warm-up of a batch (see `warmup`): `requests` is the primer batch, ready for
    batches.create; `ttl_1h` the batch itself with every breakpoint at 1h (so the primed
    entries last until it runs); `saving` what priming saves against the expected case."""

    def __init__(self, result: Any, requests: list[dict[str, Any]], ttl_1h: list[Any]) -> None:
        r = result.report
        self.result = result  # outcomes.WarmupResult
        self.report = r
        self.requests = requests
        self.ttl_1h = ttl_1h
        warm = r.warm
        self.primer_cost: Decimal = warm.primer_cost
        self.batch_cost: Decimal = warm.batch_cost
        self.total: Decimal = warm.total
        self.expected: Decimal = r.expected
        self.saving: Decimal = r.expected - warm.total
        # Decided on the priced requests only; those that could not be priced are counted here.
        self.worth_it: bool = r.cheapest == "warm_up"
        self.unpriced: int = r.unpriced.count
        self.unpriced_reasons: dict[str, int] = dict(r.unpriced.reasons)
        self.notices: tuple[Any, ...] = r.warm_notices

    def to_json(self) -> str:
        """The document `costcalc warmup --format json` prints (without --out)."""

        return to_json(warmup_json(self.result))

    def __repr__(self) -> str:
        return (
            f"Primer(requests={len(self.requests)}, total={self.total}, "
            f"saving={self.saving}, worth_it={self.worth_it}, unpriced={self.unpriced})"
        )


def check(
    requests: RequestsIn,
    *,
    output: int | None = None,
    output_ratio: Decimal | float | str | None = None,
    hit_rate: Decimal | float | str | None = None,
    budget: Decimal | float | int | str | None = None,
    against: Against = "worst",
    allow_unpriced: bool = False,
    pricing: PricingIn = None,
    on: date | str | None = None,
) -> CheckReport:
    """Check and price batch requests as `costcalc check` does: every cache breakpoint, every
    token (offline estimates), the API's limits. `requests`: an iterable of
    {"custom_id", "params"} dicts (what client.messages.batches.create takes) or a file path.
    `output` / `output_ratio`: the expected output per request (default max_tokens);
    `hit_rate`: the expected cache hit rate (default 0.9); `budget` (USD) is compared with the
    `against` case; `pricing`: a Pricing or a pricing file (default the bundled one); `on`: the
    date whose prices apply, a date or an ISO date string (default today). Each option is
    checked before a request is read; a wrong one raises CostcalcError naming it."""

    if output is not None and output_ratio is not None:
        raise CodedError("api_output_and_ratio")
    tokens = opts.tokens(output, "output")
    ratio = opts.share(output_ratio, "output_ratio")
    rate = opts.share(hit_rate, "hit_rate")
    usd = opts.usd(budget)
    case = opts.choice(against, "against", ("worst", "expected"))
    unpriced_ok = opts.flag(allow_unpriced, "allow_unpriced")
    day = opts.day(on) or date.today()
    prices = opts.pricing_of(pricing)
    result = check_outcome(
        opts.source(requests, "<requests>"),
        prices,
        day,
        output=tokens,
        output_ratio=ratio,
        hit_rate=rate,
        budget=usd,
        against=case,
        allow_unpriced=unpriced_ok,
    )
    return CheckReport(result)


def ensure_within_budget(
    requests: RequestsIn,
    budget: Decimal | float | int | str,
    **options: Any,
) -> CheckReport:
    """`check(requests, budget=budget, **options)`, raising OverBudget when the chosen case
    (worst by default) costs more than `budget`, when an error-severity problem is found (a
    request the API refuses, a retired model), or when some requests could not be priced
    (unless allow_unpriced=True). Returns the report when the batch may go."""
    if budget is None:
        raise CodedError("api_ensure_needs_budget")
    unknown = sorted(set(options) - _CHECK_OPTIONS)
    if unknown:
        raise CodedError(
            "api_ensure_unknown_option", option=unknown[0], options=sorted(_CHECK_OPTIONS)
        )
    report = check(requests, budget=budget, **options)

    gate = report.budget
    money = budget_message(replace(gate, errors=()))
    if report.blocked:
        n = report.unpriced
        raise OverBudget(render_error("api_over_budget_unpriced", {"n": n, "money": money}), report)
    if gate.errors:
        # The CLI prints the problems above its verdict; here they are on the report.
        raise OverBudget(
            render_error("api_over_budget_errors", {"errors": list(gate.errors), "money": money}),
            report,
        )
    if not gate.passes:
        raise OverBudget(money, report)
    return report


# What ensure_within_budget passes on to check.
_CHECK_OPTIONS = frozenset(
    {"output", "output_ratio", "hit_rate", "against", "allow_unpriced", "pricing", "on"}
)


def price_results(
    results: ResultsIn | None = None,
    *,
    batch: bool = True,
    requests: RequestsIn | None = None,
    pricing: PricingIn = None,
    on: date | str | None = None,
    batch_id: str | None = None,
    client: Any = None,
    budget: Decimal | float | int | str | None = None,
) -> ResultsReport:
    """Price batch results as `costcalc actual` does. `results`: an iterable of result dicts
    or of the SDK's MessageBatchIndividualResponse (as client.messages.batches.results(id)
    yields them), or a results file; or `batch_id` to fetch them with the SDK (`client`, or
    one from ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL). `batch=False` prices lines without a
    service_tier at real-time rates. `requests`: the requests submitted, to compare with the
    estimate and count cold-start misses (as `actual --batch FILE`). `budget`: USD, read by
    the report's within_budget (as `actual --budget`)."""

    if (results is None) == (batch_id is None):
        raise CodedError("api_results_or_batch_id")
    batch = opts.flag(batch, "batch")
    client = opts.client(client, batch_id)
    day = opts.day(on)
    prices = opts.pricing_of(pricing)
    limit = opts.usd(budget)
    if batch_id is not None:
        batch_id = opts.text(batch_id, "batch_id")
        source: Any = InMemory(fetch_results(batch_id, client), batch_id)
    else:
        assert results is not None
        source = opts.source(results, "<results>")
    with ExitStack() as stack:
        results_path, submitted, name = source, None, None
        if requests is not None:
            # Cold-start misses read the results and the requests twice: in memory, they are
            # written once to temporary files.
            planned = opts.source(requests, "<requests>")
            name = str(planned)
            if isinstance(planned, InMemory):
                planned = stack.enter_context(on_disk(planned))
            if isinstance(source, InMemory):
                results_path = stack.enter_context(on_disk(source))
            submitted = planned
        try:
            result = actual_outcome(results_path, source, prices, day, batch, submitted, name)
        except CodedError as exc:
            # The shared code names the CLI's flag for the request file; here it is requests=.
            if exc.code != "actual_batch_not_submitted":
                raise
            raise CodedError("api_requests_not_submitted", error=exc.figures["error"]) from None
    if limit is None:
        return ResultsReport(result)
    return ResultsReport(result, results_gate(result.report, limit))


def warmup(
    requests: RequestsIn,
    *,
    hit_rate: Decimal | float | str | None = None,
    pricing: PricingIn = None,
    on: date | str | None = None,
) -> Primer:
    """The warm-up of a batch as `costcalc warmup` works it out: a primer batch that writes
    each shared cache entry once (1h TTL, max_tokens 1), submitted and ended before the batch,
    so that every request of the batch reads. Returns the primer requests, the batch with 1h
    breakpoints, and the costs. The requests are read twice (from a temporary file when they
    are in memory)."""

    share = opts.share(hit_rate, "hit_rate")
    day = opts.day(on) or date.today()
    prices = opts.pricing_of(pricing)
    source = opts.source(requests, "<requests>")
    encoding = load_cl100k()
    with on_disk(source) if isinstance(source, InMemory) else _as_is(source) as path:
        report = check_file(
            path,
            prices,
            day,
            counter=lambda text: len(encoding.encode_ordinary(text)),
            hit_rate=share,
        )
        report.batch.path = source  # a Path, or the InMemory whose name labels the report
        require_something_to_price(report.batch, str(source), prices)
        warm = report.warm
        assert warm is not None
        name = str(source)
        primers = primer_requests(
            request_items(path), list(warm.primers), report.batch.entries, name
        )
        # Through the files' JSONL and back: the objects are what the CLI's files hold, and
        # share nothing with each other or with the caller's requests.
        lines = primer_lines(primers)
        copy = [json.loads(jsonl_line(item)) for item in ttl_1h_requests(request_items(path), name)]
    result = outcomes.WarmupResult(report, None, None, None)
    return Primer(result, [json.loads(line) for line in lines], copy)


class _as_is:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __enter__(self) -> Path:
        return self.path

    def __exit__(self, *exc: object) -> None:
        return None


def _key(name: Any) -> str:
    """A scenario or token class as a plain string ("batch_cache", "cache_read")."""
    return str(getattr(name, "value", name))
