"""Reconciling costcalc's prices with the organisation's bill: usage rows priced with costcalc's
own tables, set beside the cost report, day x model x service tier x token type.

Each usage row is priced as of its bucket's day (dated prices), on the row of its
`context_window` (`0-200k` / `200k-1M`: a prompt-length tier whose threshold is 200K, as the old
long-context premium), `inference_geo: "us"` at the model's US multiplier, `speed: "fast"` at
the model's fast rates, `service_tier: "batch"` at the batch discount; web searches at the
per-search fee per day. Sources: https://platform.claude.com/docs/en/about-claude/pricing and
the report pages cited in costcalc.read.admin_reports.

Agreement, exactly: the cost report's amounts carry their own precision (fractional cents). A
cell agrees when costcalc's figure, rounded half-up to that precision, is less than one cent
($0.01) away from the billed figure. Otherwise it differs, and both figures are kept.

Known reasons a cell is not compared (its billed amount is reported apart, never hidden):
Priority Tier usage has no cost rows (the cost report leaves Priority Tier out); code execution
and session usage are billed with no usage rows; usage costcalc cannot price (a model it does
not know, a prompt-length tier the report's context window cannot decide, a modifier the model
lacks) is unpriced, never $0. The identity, to the last digit:
billed = usage priced + difference + billed not compared.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from costcalc.compute.engine import Modifiers, cost, request_rates, scale
from costcalc.compute.reconcile_results import ResultsTotal
from costcalc.errors import CostcalcError
from costcalc.notices import Notice, notice
from costcalc.prices.model import ModelPrice, Pricing, Rates
from costcalc.read.admin_reports import CostRow, Filters, UsageRow

ZERO = Decimal(0)
CENT = Decimal("0.01")
INPUT_SIDE = ("input", "cache_write_5m", "cache_write_1h", "cache_read")
TOKEN_TYPES = (*INPUT_SIDE, "output")
WEB_SEARCH = "web_search"
NO_USAGE_REPORT = ("code_execution", "session_usage")  # billed, absent from the usage report
LONG_CONTEXT_EDGE = 200_000  # the report's context_window split, 0-200k / 200k-1M
# Reasons that leave part of the bill unexplained (the others are known gaps of the reports).
UNPRICED = frozenset(
    {"unknown_model", "unknown_service_tier", "rates_unavailable", "context_window_ambiguous"}
) | {"unknown"}
# Statuses of a cell; the first two are compared.
AGREE, DIFFER, NOT_COMPARED = "agree", "differ", "not_compared"
KNOWN_TIERS = ("standard", "batch", "priority")
# day, model, service tier, token type, workspace
CellKey = tuple[date, "str | None", "str | None", str, "str | None"]


@dataclass
class Cell:
    """One day x model x service tier x token type (or a non-token cost type)."""

    day: date
    model: str | None  # costcalc's id when it knows the model, else the report's name
    service_tier: str | None
    token_type: str  # a token class, web_search, or a cost type with no usage rows
    tokens: int = 0  # searches for web_search
    priced: Decimal | None = ZERO  # None: unpriced
    billed: Decimal | None = None  # None: no cost row
    places: int = 0  # decimal places of the billed amount in USD
    reason: str | None = None  # why the cell is not compared
    status: str = NOT_COMPARED
    workspace_id: str | None = None  # with --by-workspace (None: not grouped, or the default)

    @property
    def difference(self) -> Decimal | None:
        if self.status == NOT_COMPARED or self.priced is None:
            return None
        return (self.billed or ZERO) - self.priced


@dataclass(frozen=True)
class BatchCheck:
    """The batch tier: what the results files explain of it, and its effective input rate."""

    files: tuple[ResultsTotal, ...]  # each file's total per `actual`
    results_usd: Decimal
    batch_billed_usd: Decimal
    share_pct: Decimal | None  # results as a percentage of the batch tier's bill
    input_billed_usd: Decimal  # batch input side (input, cache writes, reads), as billed
    input_list_usd: Decimal  # the same tokens at each model's standard input price
    effective_input_pct: Decimal | None
    floor_pct: Decimal | None  # every input token a batched cache read


@dataclass(frozen=True)
class Reconciliation:
    start: date
    end: date
    cells: tuple[Cell, ...]
    billed_usd: Decimal
    usage_priced_usd: Decimal
    difference_usd: Decimal
    not_compared_billed_usd: Decimal
    notices: tuple[Notice, ...]
    batch: BatchCheck | None = None

    @property
    def differences(self) -> list[Cell]:
        return [c for c in self.cells if c.status == DIFFER]

    @property
    def unpriced(self) -> list[Cell]:
        """Cells costcalc could not price, or cost types it does not know."""
        return [c for c in self.cells if c.reason in UNPRICED]

    @property
    def agrees(self) -> bool:
        """Every compared cell agrees and nothing is unpriced (fail closed: an unknown is not
        agreement)."""
        unpriced_results = self.batch is not None and any(f.unpriced for f in self.batch.files)
        return not self.differences and not self.unpriced and not unpriced_results


@dataclass
class _Pricer:
    pricing: Pricing
    known: dict[str, ModelPrice | None] = field(default_factory=dict)

    def model(self, name: str | None) -> ModelPrice | None:
        if name is None:
            return None
        if name not in self.known:
            try:
                self.known[name] = self.pricing.resolve(name)
            except CostcalcError:
                self.known[name] = None
        return self.known[name]

    def name(self, name: str | None) -> str | None:
        found = self.model(name)
        return found.id if found else name


def reconcile(
    usage: Sequence[UsageRow],
    costs: Sequence[CostRow],
    pricing: Pricing,
    start: date,
    end: date,
    filters: Filters | None = None,
) -> Reconciliation:
    pricer = _Pricer(pricing)
    filters = filters or Filters()
    cells: dict[CellKey, Cell] = {}

    def cell(
        day: date, model: str | None, tier: str | None, token_type: str, ws: str | None
    ) -> Cell:
        key = (day, model, tier, token_type, ws)
        if key not in cells:
            cells[key] = Cell(day, model, tier, token_type, workspace_id=ws)
        return cells[key]

    for row in usage:
        _price_usage(row, pricer, cell, pricing.web_search_per_1000)
    kept = [c for c in costs if _wanted(c, filters, pricer)]
    for c in kept:
        if c.cost_type == "tokens" and c.token_type:
            target = cell(c.day, pricer.name(c.model), c.service_tier, c.token_type, c.workspace_id)
        elif c.cost_type == WEB_SEARCH:
            target = cell(c.day, None, None, WEB_SEARCH, c.workspace_id)
        else:
            target = cell(c.day, None, None, c.cost_type or "unknown", c.workspace_id)
            target.reason = "no_usage_report" if c.cost_type in NO_USAGE_REPORT else "unknown"
            target.priced = None
        reason = _billed_reason(c, pricer)
        if reason:
            # A bill costcalc cannot price (even with no usage row): unpriced, never $0.
            target.reason = target.reason or reason
            target.priced = None
        target.billed = (target.billed or ZERO) + c.usd
        target.places = max(target.places, 2 - min(0, int(c.cents.as_tuple().exponent)))
    for each in cells.values():
        if each.token_type == WEB_SEARCH and (filters.models or filters.tiers):
            # Search fees carry no model or tier in the cost report, so a model or tier filter
            # cannot pick the billed side: the searches are listed, not compared.
            each.reason = "web_search_filtered"
        _judge(each)
    ordered = tuple(sorted(cells.values(), key=_order))
    return _totals(ordered, kept, start, end)


def _billed_reason(c: CostRow, pricer: _Pricer) -> str | None:
    """Why a token cost row cannot be set beside a costcalc price, or None."""
    if c.cost_type != "tokens":
        return None
    if pricer.model(c.model) is None:
        return "unknown_model"
    if c.service_tier not in KNOWN_TIERS:
        return "unknown_service_tier"
    return None


def _order(c: Cell) -> tuple[date, str, str, str, str]:
    return (c.day, c.workspace_id or "", c.model or "", c.service_tier or "", c.token_type)


def _wanted(c: CostRow, f: Filters, pricer: _Pricer) -> bool:
    """The cost report takes no filters: keep the rows the user's filters would have kept (a
    row without the dimension cannot be attributed, so a filter on it leaves the row out)."""
    if f.models and pricer.name(c.model) not in {pricer.name(m) for m in f.models}:
        return False
    if f.tiers and c.service_tier not in f.tiers:
        return False
    return not (f.workspaces and c.workspace_id not in f.workspaces)


CellAt = Callable[[date, "str | None", "str | None", str, "str | None"], Cell]


def _price_usage(row: UsageRow, pricer: _Pricer, cell: CellAt, per_1000: Decimal) -> None:
    model = pricer.model(row.model)
    name = model.id if model else row.model
    rates, reason = _rates(row, model)
    for token_class, tokens in row.tokens.items():
        if not tokens:
            continue
        target = cell(row.day, name, row.service_tier, token_class, row.workspace_id)
        target.tokens += tokens
        if reason:
            target.reason = target.reason or reason
            target.priced = None
        elif target.priced is not None and rates is not None:
            target.priced += cost(tokens, rates.rate(token_class))
    if row.web_searches:
        # The per-search fee: not batched, not multiplied by US-only inference (pricing.yaml's
        # server_tools note); a search is billed whatever the tier.
        target = cell(row.day, None, None, WEB_SEARCH, row.workspace_id)
        target.tokens += row.web_searches
        if target.priced is not None:
            target.priced += (row.web_searches * per_1000).scaleb(-3)


def _rates(row: UsageRow, model: ModelPrice | None) -> tuple[Rates | None, str | None]:
    """(rates, None) for a row costcalc can price, else (None, reason)."""
    if model is None:
        return None, "unknown_model"
    if row.service_tier == "priority":
        return None, "priority_tier"
    if row.service_tier not in ("standard", "batch"):
        return None, "unknown_service_tier"
    fast = row.speed == "fast"
    if fast and row.service_tier == "batch":
        return None, "rates_unavailable"  # fast mode cannot be batched
    tiers = [t for t in model.long_context if t.in_effect(row.day)]
    if row.context_window == "200k-1M":
        prompt = LONG_CONTEXT_EDGE + 1
    elif any(t.threshold < LONG_CONTEXT_EDGE for t in tiers) or (
        row.context_window != "0-200k" and tiers
    ):
        # A tier below 200K (Haiku 5.5's 100K row) splits 0-200k in two the report cannot tell.
        return None, "context_window_ambiguous"
    else:
        prompt = 0
    region = "us" if row.inference_geo == "us" else "global"
    try:
        rates = request_rates(model, row.day, prompt, Modifiers(region=region, fast=fast))
    except CostcalcError:
        return None, "rates_unavailable"
    return (scale(rates, model.batch_multiplier) if row.service_tier == "batch" else rates), None


def _judge(c: Cell) -> None:
    if c.reason or c.priced is None:
        c.status = NOT_COMPARED
        c.reason = c.reason or "unknown"
        return
    if c.billed is None and c.priced == ZERO:
        c.status = AGREE  # no tokens of this type, no cost row: nothing to disagree about
        return
    quantum = Decimal(1).scaleb(-c.places) if c.billed is not None else CENT
    shown = c.priced.quantize(quantum, rounding=ROUND_HALF_UP)
    c.status = AGREE if abs((c.billed or ZERO) - shown) < CENT else DIFFER


def _totals(cells: tuple[Cell, ...], kept: list[CostRow], start: date, end: date) -> Reconciliation:
    compared = [c for c in cells if c.status != NOT_COMPARED]
    billed = sum((c.usd for c in kept), ZERO)
    priced = sum((c.priced or ZERO for c in compared), ZERO)
    difference = sum(((c.billed or ZERO) - (c.priced or ZERO) for c in compared), ZERO)
    aside = sum((c.billed or ZERO for c in cells if c.status == NOT_COMPARED), ZERO)
    return Reconciliation(
        start, end, cells, billed, priced, difference, aside, tuple(_notices(cells))
    )


def _notices(cells: Iterable[Cell]) -> list[Notice]:
    by_reason: dict[str, list[Cell]] = {}
    for c in cells:
        if c.status == NOT_COMPARED and c.reason:
            by_reason.setdefault(c.reason, []).append(c)
    out = []
    for reason, group in sorted(by_reason.items()):
        code = "reconcile_" + reason
        billed = sum((c.billed or ZERO for c in group), ZERO)
        tokens = sum(c.tokens for c in group if c.token_type != WEB_SEARCH)
        out.append(
            notice(code, cells=len(group), tokens=tokens, billed=billed, names=_names(group))
        )
    differ = [c for c in cells if c.status == DIFFER]
    unbilled = [c for c in differ if c.billed is None and c.priced]
    if unbilled:
        # Usage with no cost row: the bill leaves it out (a cost report lagging the usage
        # report), so a billed total within budget says nothing about it.
        out.append(
            notice(
                "reconcile_not_billed",
                cells=len(unbilled),
                tokens=sum(c.tokens for c in unbilled if c.token_type != WEB_SEARCH),
                priced=sum((c.priced or ZERO for c in unbilled), ZERO),
                names=_names(unbilled),
            )
        )
    if differ:
        total = sum(((c.billed or ZERO) - (c.priced or ZERO) for c in differ), ZERO)
        out.append(notice("reconcile_differs", cells=len(differ), difference=total))
    return out


def _names(group: Iterable[Cell]) -> list[str | None]:
    """The models of the cells (None: a token row the report gave no model), or the cost types
    of cells that are not tokens."""
    names = {c.model if c.token_type in TOKEN_TYPES else c.token_type for c in group}
    return sorted(names, key=lambda n: (n is None, n or ""))


def batch_check(
    rec: Reconciliation,
    pricing: Pricing,
    files: Sequence[ResultsTotal],
) -> BatchCheck:
    """The batch tier beside the results files' totals, and the input side's effective rate:
    what the batch input classes were billed against the same tokens at each model's standard
    input price that day, and the floor (every input token a batched cache read: 5% where a
    read is 0.1x input, 2.5% where it is 0.05x)."""
    batch = [c for c in rec.cells if c.service_tier == "batch"]
    batch_billed = sum((c.billed or ZERO for c in batch), ZERO)
    billed_in = listed = floor = ZERO
    for c in batch:
        if c.status == NOT_COMPARED or not c.model or c.token_type not in INPUT_SIDE:
            continue
        model = pricing.resolve(c.model)
        base = model.prices_on(c.day)
        billed_in += c.billed or ZERO
        listed += cost(c.tokens, base.input)
        floor += cost(c.tokens, base.cache_read * model.batch_multiplier)
    results = sum((f.total for f in files), ZERO)
    return BatchCheck(
        files=tuple(files),
        results_usd=results,
        batch_billed_usd=batch_billed,
        share_pct=results * 100 / batch_billed if batch_billed else None,
        input_billed_usd=billed_in,
        input_list_usd=listed,
        effective_input_pct=billed_in * 100 / listed if listed else None,
        floor_pct=floor * 100 / listed if listed else None,
    )
