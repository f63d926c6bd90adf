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

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from costcalc.errors import CostcalcError

PathLike = str | os.PathLike
RequestsIn = Iterable[Any] | PathLike
ResultsIn = Iterable[Any] | PathLike
Against = Literal["worst", "expected"]


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
        from costcalc.messages import render

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
        from costcalc.present.check_data import check_json
        from costcalc.present.json_encoder import to_json

        return to_json(check_json(self.result))

    def __repr__(self) -> str:
        return (
            f"CheckReport(requests={self.requests}, best={self.best.total}, "
            f"expected={self.expected.total}, worst={self.worst.total}, "
            f"unpriced={self.unpriced}, problems={len(self.problems)})"
        )


class ResultsReport:
    """What `costcalc actual` reports for batch results (see `price_results`)."""

    def __init__(self, result: Any) -> None:
        self.result = result  # outcomes.ActualResult
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
        from costcalc.present.actual_data import actual_json
        from costcalc.present.json_encoder import to_json

        return to_json(actual_json(self.result))

    def __repr__(self) -> str:
        return f"ResultsReport(total={self.total}, succeeded={self.counts.get('succeeded', 0)})"


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
        self.worth_it: bool = r.cheapest == "warm_up"

    def to_json(self) -> str:
        """The document `costcalc warmup --format json` prints (without --out)."""
        from costcalc.present.json_encoder import to_json
        from costcalc.present.warmup_data import warmup_json

        return to_json(warmup_json(self.result))

    def __repr__(self) -> str:
        return (
            f"Primer(requests={len(self.requests)}, total={self.total}, "
            f"saving={self.saving}, worth_it={self.worth_it})"
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
    pricing: Any = None,
    on: date | None = None,
) -> CheckReport:
    """Check and price batch requests as `costcalc check` does: every cache breakpoint, every
    token (offline estimates), the API's limits. `requests`: an iterable of
    {"custom_id", "params"} dicts (what client.messages.batches.create takes) or a file path.
    `output` / `output_ratio`: the expected output per request (default max_tokens);
    `hit_rate`: the expected cache hit rate (default 0.9); `budget` (USD) is compared with the
    `against` case; `pricing`: a Pricing or a pricing file (default the bundled one); `on`: the
    date whose prices apply (default today)."""
    from costcalc.commands.run import check_outcome

    if output is not None and output_ratio is not None:
        raise CostcalcError("give output or output_ratio, not both")
    if against not in ("worst", "expected"):
        raise CostcalcError(f"against is 'worst' or 'expected', not {against!r}")
    result = check_outcome(
        _source(requests, "<requests>"),
        _pricing(pricing),
        on or date.today(),
        output=_tokens(output, "output"),
        output_ratio=_share(output_ratio, "output_ratio"),
        hit_rate=_share(hit_rate, "hit_rate"),
        budget=_usd(budget),
        against=against,
        allow_unpriced=allow_unpriced,
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
        raise CostcalcError("ensure_within_budget needs a budget in USD")
    report = check(requests, budget=budget, **options)
    from costcalc.present.budget import budget_message

    gate = report.budget
    if report.blocked:
        n = report.unpriced
        raise OverBudget(
            f"budget check failed: {n:,} request{'s' if n != 1 else ''} could not be priced, "
            f"so the cost is not known; the priced requests alone: {budget_message(gate)} "
            "(allow_unpriced=True to gate on them)",
            report,
        )
    if not gate.passes:
        raise OverBudget(budget_message(gate), report)
    return report


def price_results(
    results: ResultsIn | None = None,
    *,
    batch: bool = True,
    requests: RequestsIn | None = None,
    pricing: Any = None,
    on: date | None = None,
    batch_id: str | None = None,
    client: Any = None,
) -> ResultsReport:
    """Price batch results as `costcalc actual` does. `results`: an iterable of result dicts
    or of the SDK's MessageBatchIndividualResponse (as client.messages.batches.results(id)
    yields them), or a results file; or `batch_id` to fetch them with the SDK (`client`, or
    one from ANTHROPIC_API_KEY / ANTHROPIC_BASE_URL). `batch=False` prices lines without a
    service_tier at real-time rates. `requests`: the requests submitted, to compare with the
    estimate and count cold-start misses (as `actual --batch FILE`)."""
    from contextlib import ExitStack

    from costcalc.commands.run import actual_outcome
    from costcalc.files.inmemory import InMemory, on_disk

    if (results is None) == (batch_id is None):
        raise CostcalcError("give the results or a batch_id, one of them")
    if batch_id is not None:
        from costcalc.read.fetch import fetch_results

        source: Any = InMemory(fetch_results(batch_id, client), batch_id)
    else:
        assert results is not None
        source = _source(results, "<results>")
    prices = _pricing(pricing)
    with ExitStack() as stack:
        results_path, submitted, name = source, None, None
        if requests is not None:
            # Cold-start misses read the results and the requests twice: in memory, they are
            # written once to temporary files.
            planned = _source(requests, "<requests>")
            name = str(planned)
            if isinstance(planned, InMemory):
                planned = stack.enter_context(on_disk(planned))
            if isinstance(source, InMemory):
                results_path = stack.enter_context(on_disk(source))
            submitted = planned
        result = actual_outcome(results_path, source, prices, on, batch, submitted, name)
    return ResultsReport(result)


def warmup(
    requests: RequestsIn,
    *,
    hit_rate: Decimal | float | str | None = None,
    pricing: Any = None,
    on: date | None = None,
) -> Primer:
    """The warm-up of a batch as `costcalc warmup` works it out: a primer batch that writes
    each shared cache entry once (1h TTL, max_tokens 1), submitted and ended before the batch,
    so that every request of the batch reads. Returns the primer requests, the batch with 1h
    breakpoints, and the costs. The requests are read twice (from a temporary file when they
    are in memory)."""
    import json

    from costcalc.compute import outcomes
    from costcalc.compute.check import check as check_file
    from costcalc.compute.failclosed import require_something_to_price
    from costcalc.compute.warmup import _copy_ttl_1h, primer_lines
    from costcalc.files.inmemory import InMemory, on_disk
    from costcalc.tokens.count import load_cl100k

    source = _source(requests, "<requests>")
    prices, day = _pricing(pricing), on or date.today()
    encoding = load_cl100k()
    with on_disk(source) if isinstance(source, InMemory) else _as_is(source) as path:
        report = check_file(
            path,
            prices,
            day,
            counter=lambda text: len(encoding.encode_ordinary(text)),
            hit_rate=_share(hit_rate, "hit_rate"),
        )
        report.batch.path = source  # type: ignore[assignment]
        require_something_to_price(report.batch, str(source), prices)
        warm = report.warm
        assert warm is not None
        lines = primer_lines(path, list(warm.primers), report.batch.entries, str(source))
        copy = _Collect()
        _copy_ttl_1h(path, copy, str(source))  # type: ignore[arg-type]
    result = outcomes.WarmupResult(report, None, None, None)
    return Primer(result, [json.loads(line) for line in lines], copy.items)


class _Collect:
    """A text sink that keeps each JSONL line written to it as the item it encodes."""

    def __init__(self) -> None:
        self.items: list[Any] = []

    def write(self, text: str) -> int:
        import json

        self.items.append(json.loads(text))
        return len(text)


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


def _source(items: Any, name: str) -> Any:
    """A Path for a path, an InMemory for an iterable of items."""
    from costcalc.files.inmemory import InMemory

    if isinstance(items, (str, os.PathLike)):
        return Path(items)
    if isinstance(items, (bytes, bytearray, Mapping)) or not isinstance(items, Iterable):
        what = "one dict" if isinstance(items, Mapping) else type(items).__name__
        raise CostcalcError(
            f"expected an iterable of {name.strip('<>')} (dicts, as the Batches API takes "
            f"them) or a file path, got {what}"
            + ("; wrap it in a list" if what == "one dict" else "")
        )
    return InMemory(items, name)


def _pricing(pricing: Any) -> Any:
    from costcalc.prices.load import load_pricing
    from costcalc.prices.model import Pricing

    if isinstance(pricing, Pricing):
        return pricing
    return load_pricing(pricing)


def _text(value: Any) -> str:
    # A float is read from its shortest repr (0.9 -> "0.9"), as the user wrote it: never
    # through binary arithmetic.
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal, str)):
        raise ValueError(f"{value!r} is not a number")
    return str(value)


def _share(value: Any, name: str) -> Decimal | None:
    """A share from 0 to 1 (hit rate, output ratio), read as the CLI reads it."""
    if value is None:
        return None
    from decimal import InvalidOperation

    try:
        share = Decimal(_text(value).strip())
    except (ValueError, InvalidOperation):
        raise CostcalcError(f"{name}: {value!r} is not a number from 0 to 1") from None
    if not share.is_finite() or not 0 <= share <= 1:
        raise CostcalcError(f"{name} must be from 0 to 1, got {value!r}")
    if share.as_tuple().exponent < -10:  # type: ignore[operator]
        # More digits would be rounded away by Decimal's 28-digit products, not used.
        raise CostcalcError(f"{name} takes at most 10 decimals (got {value!r})")
    return share


def _usd(value: Any) -> Decimal | None:
    if value is None:
        return None
    from costcalc.units import parse_usd

    try:
        return parse_usd(_text(value))
    except ValueError as exc:
        raise CostcalcError(f"budget: {exc}") from None


def _tokens(value: Any, name: str) -> int | None:
    if value is None:
        return None
    from costcalc.units import check_count

    if type(value) is not int or value < 0:
        raise CostcalcError(f"{name}: {value!r} is not a whole number of tokens (0 or more)")
    try:
        return check_count(value)
    except ValueError as exc:
        raise CostcalcError(f"{name}: {exc}") from None
