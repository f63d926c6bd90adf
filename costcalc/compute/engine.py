"""The cost model: pure functions from a workload and a model's prices to an Estimate.

No I/O, no rendering, no rounding: money is `Decimal` at full precision, and `tokens x rate` is
shifted by six decimal places (USD per million tokens) rather than divided, so it is exact.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from costcalc.errors import CodedWorkloadError
from costcalc.names import SCENARIO_NAMES, TOKEN_CLASSES
from costcalc.names import Scenario as ScenarioName
from costcalc.notices import Notice, Severity, notice
from costcalc.prices.model import LongContextTier, ModelPrice, Rates

SCENARIOS: tuple[str, ...] = SCENARIO_NAMES
# name, batched, cached
SCENARIO_SPECS = (
    (ScenarioName.STANDARD, False, False),
    (ScenarioName.BATCH, True, False),
    (ScenarioName.CACHE, False, True),
    (ScenarioName.BATCH_CACHE, True, True),
)
TTLS = ("5m", "1h")
REGIONS = ("global", "us")
ZERO = Decimal(0)
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Workload:
    """What is being planned: N requests sharing a prefix of S tokens.

    requests       N, number of requests
    shared_tokens  S, the shared prefix each request carries (the part that can be cached)
    unique_tokens  U, per-request input after the prefix (never cached)
    output_tokens  O, per-request output
    ttl            cache lifetime, "5m" or "1h" (sets the write price)
    cache_writes   W, how many requests write the prefix; the other N - W read it
    """

    requests: int
    shared_tokens: int = 0
    unique_tokens: int = 0
    output_tokens: int = 0
    ttl: str = "5m"
    cache_writes: int = 1

    def __post_init__(self) -> None:
        for name in ("requests", "shared_tokens", "unique_tokens", "output_tokens", "cache_writes"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool):
                raise CodedWorkloadError("count_not_whole", name=name, value=repr(value))
            if value < 0:
                raise CodedWorkloadError("count_negative", name=name, value=value)
        if self.requests < 1:
            raise CodedWorkloadError("requests_below_one")
        if self.ttl not in TTLS:
            raise CodedWorkloadError("ttl_unknown", ttl=repr(self.ttl))
        if self.cache_writes > self.requests:
            raise CodedWorkloadError(
                "cache_writes_over_requests", writes=self.cache_writes, requests=self.requests
            )

    @property
    def cache_reads(self) -> int:
        """Requests that read the prefix (N - W) when it is cached."""
        return self.requests - self.cache_writes

    @property
    def input_per_request(self) -> int:
        """Total input of one request: shared prefix plus unique part."""
        return self.shared_tokens + self.unique_tokens


@dataclass(frozen=True)
class Modifiers:
    """Request options that change prices: US-only inference and fast mode."""

    region: str = "global"  # "global" or "us" (inference_geo)
    fast: bool = False

    def __post_init__(self) -> None:
        if self.region not in REGIONS:
            raise CodedWorkloadError("region_unknown", region=repr(self.region))


@dataclass(frozen=True)
class Line:
    """One token class in one scenario."""

    token_class: str  # input (uncached), cache_write_5m, cache_write_1h, cache_read, output
    tokens: int
    rate: Decimal  # USD per million tokens, after any batch discount
    cost: Decimal


@dataclass(frozen=True)
class Scenario:
    name: str
    batch: bool
    cached: bool
    lines: tuple[Line, ...]
    total: Decimal
    per_request: Decimal
    savings: Decimal  # vs standard
    savings_pct: Decimal  # 0-100

    def line(self, token_class: str) -> Line:
        for line in self.lines:
            if line.token_class == token_class:
                return line
        raise KeyError(token_class)


@dataclass(frozen=True)
class Estimate:
    model: ModelPrice
    workload: Workload
    on: date
    modifiers: Modifiers
    caching_applies: bool
    long_context: bool
    scenarios: tuple[Scenario, ...]
    warnings: tuple[Notice, ...]

    def scenario(self, name: str) -> Scenario:
        for scenario in self.scenarios:
            if scenario.name == name:
                return scenario
        raise KeyError(f"no scenario {name!r}; choose from {', '.join(SCENARIOS)}")


@dataclass(frozen=True)
class BudgetCheck:
    scenario: str
    budget: Decimal
    total: Decimal
    within: bool
    over_by: Decimal  # zero when within
    # Codes of the error-severity notices that fail the gate whatever the cost: a retired model,
    # no price on the date, a request the API may refuse. A cost within budget does not pass
    # a batch that cannot run as priced.
    errors: tuple[str, ...] = ()
    # check's gates compare one case of batch_cache (worst or expected); a group's gate names
    # its group. Both are None elsewhere.
    case: str | None = None
    group: str | None = None

    @property
    def passes(self) -> bool:
        return self.within and not self.errors


def cost(tokens: int, rate_per_mtok: Decimal) -> Decimal:
    """Exact USD for `tokens` at `rate_per_mtok` USD per million tokens."""
    return (tokens * rate_per_mtok).scaleb(-6)


def scale(rates: Rates, factor: Decimal) -> Rates:
    return Rates(*(getattr(rates, f) * factor for f in Rates.__dataclass_fields__))


def estimate(
    model: ModelPrice,
    workload: Workload,
    on: date | None = None,
    modifiers: Modifiers | None = None,
) -> Estimate:
    """Price `workload` on `model` in every scenario, as of date `on` (default today).

    Fast mode cannot be batched, so with `modifiers.fast` only standard and cache are priced.
    """
    on = on or date.today()
    mods = modifiers or Modifiers()
    w = workload
    warnings: list[Notice] = []

    limit = model.input_limit_on(on)
    if limit is not None and w.input_per_request > limit:
        raise CodedWorkloadError(
            "request_over_context", tokens=w.input_per_request, model=model.name, limit=limit
        )
    if model.max_output is not None and w.output_tokens > model.max_output:
        warnings.append(
            notice(
                "over_max_output",
                output_tokens=w.output_tokens,
                model=model.name,
                max_output=model.max_output,
            )
        )

    rates, tier = _rates(model, on, w.input_per_request, mods, warnings)
    if model.unconfirmed:
        warnings.append(unconfirmed_warning(model))
    if model.released is not None and on < model.released:
        warnings.append(not_released_warning(model, on))

    caching_applies = w.shared_tokens >= model.min_cache_tokens
    if 0 < w.shared_tokens < model.min_cache_tokens:
        warnings.append(
            notice(
                "below_cache_minimum",
                shared_tokens=w.shared_tokens,
                model=model.name,
                min_cache_tokens=model.min_cache_tokens,
            )
        )
    elif caching_applies and w.cache_reads == 0:
        warnings.append(notice("cache_write_only"))

    if model.retired is not None and on >= model.retired:
        warnings.append(
            notice("model_retired", model=model.name, retired=model.retired.isoformat())
        )
    elif model.deprecated is not None and on >= model.deprecated:
        warnings.append(
            notice("model_deprecated", model=model.name, deprecated=model.deprecated.isoformat())
        )

    built = [
        _scenario(name, batch, cached and caching_applies, w, rates, model.batch_multiplier)
        for name, batch, cached in SCENARIO_SPECS
        if not (batch and mods.fast)
    ]
    base = built[0].total
    scenarios = tuple(_with_savings(s, base, w.requests) for s in built)
    return Estimate(
        model=model,
        workload=w,
        on=on,
        modifiers=mods,
        caching_applies=caching_applies,
        long_context=tier is not None,
        scenarios=scenarios,
        warnings=tuple(warnings),
    )


def not_released_warning(model: ModelPrice, on: date) -> Notice:
    return notice("not_yet_released", model=model.name, released=model.released, on=on.isoformat())


def unconfirmed_warning(model: ModelPrice) -> Notice:
    return notice(
        "unconfirmed_price",
        model=model.name,
        checked=model.checked.isoformat(),
        prices=list(model.unconfirmed_parts),
    )


def request_rates(
    model: ModelPrice, on: date, input_tokens: int, modifiers: Modifiers | None = None
) -> Rates:
    """Per-MTok rates of one request whose prompt (input + cache writes + cache reads) is
    `input_tokens`, on this date, before any batch discount."""
    return _rates(model, on, input_tokens, modifiers or Modifiers(), [])[0]


def rates_in_force(
    model: ModelPrice, on: date, prompt_tokens: int, *, batch: bool, us: bool = False
) -> Rates:
    """The per-MTok rates one request with `prompt_tokens` of total input pays on `on`: its
    prompt-length tier if any, US-only inference (`us`), then the batch discount. Per-request
    pricing (check) asks here."""
    rates = request_rates(model, on, prompt_tokens, Modifiers(region="us") if us else None)
    return scale(rates, model.batch_multiplier) if batch else rates


def lines_at(rates: Rates, tokens: dict[str, int]) -> tuple[Line, ...]:
    """Line items for token counts by class (USAGE_CLASSES) at `rates`."""
    return tuple(
        Line(c, tokens.get(c, 0), rates.rate(c), cost(tokens.get(c, 0), rates.rate(c)))
        for c in USAGE_CLASSES
    )


def _rates(
    model: ModelPrice, on: date, input_tokens: int, mods: Modifiers, warnings: list[Notice]
) -> tuple[Rates, LongContextTier | None]:
    """The per-MTok rates a request pays before any batch discount, and the tier used."""
    tier = None
    if mods.fast:
        if model.fast is None:
            raise CodedWorkloadError("no_fast_mode", model=model.name)
        if not model.fast_offered(on):
            removed = model.fast_until is not None and on >= model.fast_until
            raise CodedWorkloadError(
                "fast_mode_not_offered",
                model=model.name,
                on=on.isoformat(),
                removed=model.fast_until.isoformat() if removed and model.fast_until else None,
                starts=model.fast_from.isoformat() if model.fast_from else None,
            )
        # "Fast mode includes the full 1M context window at no additional long context charge."
        rates = model.fast
        warnings.append(notice("fast_mode_realtime"))
        if model.fast_deprecated is not None and on >= model.fast_deprecated:
            warnings.append(
                notice(
                    "fast_mode_deprecated",
                    model=model.name,
                    deprecated=model.fast_deprecated.isoformat(),
                    removed=model.fast_until.isoformat() if model.fast_until else None,
                )
            )
    else:
        tier = model.tier_on(on, input_tokens)
        rates = model.rates_for(on, input_tokens)
        if tier:
            warnings.append(
                notice(
                    "prompt_tier",
                    prompt_tokens=input_tokens,
                    model=model.name,
                    threshold=tier.threshold,
                    input_rate=rates.input,
                    output_rate=rates.output,
                )
            )
    if mods.region == "us":
        if model.us_inference_multiplier is None:
            raise CodedWorkloadError("no_us_inference", model=model.name)
        rates = scale(rates, model.us_inference_multiplier)
        warnings.append(notice("us_inference", multiplier=model.us_inference_multiplier))
    return rates, tier


def _scenario(
    name: str, batch: bool, cached: bool, w: Workload, rates: Rates, batch_multiplier: Decimal
) -> Scenario:
    factor = batch_multiplier if batch else Decimal(1)
    write_class = f"cache_write_{w.ttl}"
    if cached:
        writes, reads, uncached = w.cache_writes, w.cache_reads, w.unique_tokens
    else:
        writes, reads, uncached = 0, 0, w.input_per_request
    counts = (
        ("input", w.requests * uncached),
        (write_class, writes * w.shared_tokens),
        ("cache_read", reads * w.shared_tokens),
        ("output", w.requests * w.output_tokens),
    )
    lines = []
    for token_class, tokens in counts:
        rate = rates.rate(token_class) * factor
        lines.append(Line(token_class, tokens, rate, cost(tokens, rate)))
    total = sum((line.cost for line in lines), ZERO)
    return Scenario(name, batch, cached, tuple(lines), total, ZERO, ZERO, ZERO)


def _with_savings(s: Scenario, base: Decimal, requests: int) -> Scenario:
    savings = base - s.total
    pct = savings * HUNDRED / base if base else ZERO
    return Scenario(s.name, s.batch, s.cached, s.lines, s.total, s.total / requests, savings, pct)


def check_budget(
    result: Estimate,
    budget: Decimal,
    scenario: str = "batch_cache",
    notices: Iterable[Notice] | None = None,
) -> BudgetCheck:
    """Whether `scenario`'s total fits in `budget` USD, and which error-severity `notices`
    (default: the estimate's own) fail the gate anyway."""
    gate = result.warnings if notices is None else notices
    return compare_budget(scenario, result.scenario(scenario).total, budget, gate)


def compare_budget(
    scenario: str,
    total: Decimal,
    budget: Decimal,
    notices: Iterable[Notice] = (),
    *,
    case: str | None = None,
    group: str | None = None,
) -> BudgetCheck:
    """`scenario`: a scenario's name, or "real_bill" (actual's results) or "billed"
    (reconcile's cost report)."""
    over = max(total - budget, ZERO)
    return BudgetCheck(
        scenario, budget, total, total <= budget, over, error_codes(notices), case, group
    )


def error_codes(notices: Iterable[Notice]) -> tuple[str, ...]:
    """The distinct codes of the error-severity notices, in order of first appearance."""
    return tuple(dict.fromkeys(n.code for n in notices if n.severity is Severity.ERROR))


@dataclass(frozen=True)
class StackedRate:
    """Standard input against the batched cache-read rate: the two prices of the 95% saving."""

    model: ModelPrice
    standard_input: Decimal
    batch_cache_read: Decimal
    percent: Decimal  # batch_cache_read as a percentage of standard_input


def batch_rates(model: ModelPrice, on: date | None = None) -> Rates:
    """Every class at the batch price (the batch discount applies to all of them), from the
    standard row in force on `on` (the undated `prices` when None)."""
    base = model.prices if on is None else model.prices_on(on)
    return scale(base, model.batch_multiplier)


def stacked_rate(model: ModelPrice, on: date | None = None) -> StackedRate:
    """Batch + cache read against standard input, from the table's values (never an assumed
    0.1x): 5% for a 0.1x read, 2.5% for 0.05x, 1.25% for 0.025x."""
    base = model.prices if on is None else model.prices_on(on)
    read = batch_rates(model, on).cache_read
    percent = read * HUNDRED / base.input if base.input else ZERO
    return StackedRate(model, base.input, read, percent)


USAGE_CLASSES: tuple[str, ...] = TOKEN_CLASSES


def price_tokens(
    model: ModelPrice,
    tokens: dict[str, int],
    on: date,
    *,
    batch: bool,
    us: bool = False,
    input_per_request: int = 0,
) -> tuple[Line, ...]:
    """Line items for billed token counts by class (Anthropic's usage fields), as the API bills
    them: batch halves every class; US-only inference multiplies every class on models that
    support it; the row is the one in force on `on` (dated prices), and a prompt-length tier
    applies when one request's prompt (`input_per_request`: input + cache writes + cache
    reads) is over its threshold. Price each request on its own: tiers are per request."""
    rates = request_rates(model, on, input_per_request, Modifiers(region="us" if us else "global"))
    factor = model.batch_multiplier if batch else Decimal(1)
    lines = []
    for token_class in USAGE_CLASSES:
        n = tokens.get(token_class, 0)
        rate = rates.rate(token_class) * factor
        lines.append(Line(token_class, n, rate, cost(n, rate)))
    return tuple(lines)


def web_search_cost(searches: int, per_1000: Decimal) -> Decimal:
    return (searches * per_1000).scaleb(-3)
