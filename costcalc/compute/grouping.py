"""Cost by group: where the money of one or many results files went, by model, file, tier,
a custom_id pattern or a tag.

Built on the per-request line items that `results.read_results` hands to its `on_request`
callback: each succeeded request adds its priced tokens, its cost per token class and its cost
at standard rates into the totals of its group. Costs are exact Decimals and pricing is linear
in tokens, so the groups of a file add up to the file's total to the last digit.

"At standard rates" is what the same tokens would have cost as one real-time request each with
no prompt cache: every input token (uncached, written or read) at the model's standard input
rate, output at its standard output rate, the same prompt-length tier and US-only inference
multiplier, plus web searches. Fast-mode requests are their own price: standard is what they
cost. The saving is standard minus cost.

Requests that no tag or no custom_id pattern puts in a group are labelled "(untagged)" and
"(unmatched)", and a user's value is never taken for one of them: a tags list that uses either
as a tag is refused when it is read (read/tags.py), and an id from which the pattern takes
"(unmatched)" is refused here. The tags list is read by the command (read/tags.py's
read_tags, passed to parse_keys): this module reads no file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from costcalc.compute.engine import USAGE_CLASSES, Line, cost, rates_in_force
from costcalc.compute.routes import is_lower_bound
from costcalc.errors import CodedError
from costcalc.notices import Notice, notice
from costcalc.prices.model import ModelPrice, Pricing, Rates
from costcalc.read.results import AGGREGATE_MORE
from costcalc.read.tags import RESERVED, UNMATCHED, UNTAGGED

ZERO = Decimal(0)
KINDS = ("model", "file", "tier", "custom_id", "tags")
MAX_LEVELS = 2
# custom_id -> tag of the CSV a `tags:FILE.csv` grouping names: read/tags.py's read_tags, passed
# in by the command, so that this module reads no file.
TagReader = Callable[[Path], Mapping[str, str]]
# A custom_id is 1 to 64 characters of a-z, A-Z, 0-9, _ and - (the Message Batches API refuses
# any other, https://docs.anthropic.com/en/api/creating-message-batches). A longer one cannot
# have come from the API: it is grouped as (unmatched) and counted, and a custom_id pattern is
# never run on it (a pattern such as ([a-z]+)- takes time quadratic in the id's length).
MAX_CUSTOM_ID = 64


@dataclass
class Totals:
    """What a set of succeeded requests used and cost. Unpriced requests are counted and their
    tokens (which the results report) are in `tokens`; none of their cost is in any cost
    figure, so a cost with unpriced requests is a lower bound (`cost_is_lower_bound`), and
    one made only of unpriced requests is not known (`cost_known` False), never $0. A cost with
    requests priced at a lower bound (`lower_bound`: Priority Tier, an unknown service tier,
    inference_geo or speed; compute/routes.py says why) is a lower bound too."""

    requests: int = 0  # succeeded requests, priced or not
    unpriced: int = 0
    lower_bound: int = 0  # priced requests whose price is a lower bound
    tokens: dict[str, int] = field(default_factory=lambda: dict.fromkeys(USAGE_CLASSES, 0))
    class_cost: dict[str, Decimal] = field(
        default_factory=lambda: dict.fromkeys(USAGE_CLASSES, ZERO)
    )
    web_searches: int = 0
    web_search_cost: Decimal = ZERO
    standard: Decimal = ZERO
    # Cold-start misses (coldstart.ColdIndex), counted when request files are given: requests
    # that wrote entries another request of their batch also wrote, the tokens they
    # wrote again, and what those writes cost beyond reading them (part of `cost`, not added).
    misses: int = 0
    miss_tokens: int = 0
    miss_cost: Decimal = ZERO

    @property
    def cost(self) -> Decimal:
        """What the priced requests cost (all of the cost only when `unpriced` is 0)."""
        return sum(self.class_cost.values(), ZERO) + self.web_search_cost

    @property
    def cost_known(self) -> bool:
        """False when every request is unpriced: there is no cost to show, not even a part."""
        return not self.requests or self.unpriced < self.requests

    @property
    def cost_is_lower_bound(self) -> bool:
        """Some requests are priced and some are not, or some are priced at a lower bound:
        the real cost is at least `cost`."""
        return self.cost_known and (self.unpriced > 0 or self.lower_bound > 0)

    @property
    def saving(self) -> Decimal:
        return self.standard - self.cost

    @property
    def hit_rate(self) -> Decimal | None:
        """Cache-read tokens over all cached-prefix tokens (written or read); None when the
        requests cached nothing."""
        t = self.tokens
        cached = t["cache_write_5m"] + t["cache_write_1h"] + t["cache_read"]
        return Decimal(t["cache_read"]) / cached if cached else None

    def add(self, other: Totals) -> None:
        self.requests += other.requests
        self.unpriced += other.unpriced
        self.lower_bound += other.lower_bound
        for c in USAGE_CLASSES:
            self.tokens[c] += other.tokens[c]
            self.class_cost[c] += other.class_cost[c]
        self.web_searches += other.web_searches
        self.web_search_cost += other.web_search_cost
        self.standard += other.standard
        self.misses += other.misses
        self.miss_tokens += other.miss_tokens
        self.miss_cost += other.miss_cost


@dataclass(frozen=True)
class GroupKey:
    """One level of grouping: `spec` as given, `kind` one of KINDS."""

    spec: str
    kind: str
    pattern: re.Pattern[str] | None = None
    tags: Mapping[str, str] | None = None

    def value(self, request: Request) -> str:
        if self.kind == "model":
            return request.model
        if self.kind == "file":
            return request.file
        if self.kind == "tier":
            return request.tier
        if self.kind == "custom_id":
            assert self.pattern is not None
            if len(request.custom_id) > MAX_CUSTOM_ID:
                return UNMATCHED
            found = self.pattern.search(request.custom_id)
            value = found.group(1) if found else None
            if not value:
                return UNMATCHED
            if value != UNMATCHED:
                return value
            # The id itself holds "(unmatched)": refused, not merged into the requests the
            # pattern missed. No label could tell them apart instead (an id outside the API's
            # a-z, A-Z, 0-9, _ and - can hold any text), and only such an id can hold one.
            raise CodedError(
                "group_by_capture_reserved",
                spec=self.spec,
                file=request.file,
                custom_id=request.custom_id,
                value=value,
            )
        assert self.tags is not None
        return self.tags.get(request.custom_id, UNTAGGED)


@dataclass(frozen=True)
class Request:
    """What a group key may look at."""

    file: str
    custom_id: str
    model: str
    tier: str


def parse_key(spec: str, read_tags: TagReader | None = None) -> GroupKey:
    """A grouping: model, file, tier, custom_id:REGEX or tags:FILE.csv (whose file
    `read_tags` reads)."""
    kind, colon, rest = spec.partition(":")
    if kind in ("model", "file", "tier") and not colon:
        return GroupKey(spec, kind)
    if kind == "custom_id" and colon:
        try:
            pattern = re.compile(rest)
        except re.error as exc:
            raise CodedError("group_by_not_a_regex", spec=spec, error=str(exc)) from None
        if pattern.groups < 1:
            raise CodedError("group_by_no_capture_group", spec=spec)
        return GroupKey(spec, kind, pattern=pattern)
    if kind == "tags" and colon and rest:
        assert read_tags is not None  # the command passes read/tags.py's read_tags
        return GroupKey(spec, kind, tags=_checked(rest, read_tags(Path(rest))))
    near = _near_miss(kind.strip().lower(), rest)
    if near is not None:
        raise CodedError("group_by_near_miss", spec=spec, suggestion=near)
    raise CodedError("group_by_unknown", spec=spec)


def _near_miss(kind: str, rest: str) -> str | None:
    """The grouping a mistyped one most likely meant ('modle' -> 'model', 'tag:t.csv' ->
    'tags:t.csv'), or None when none is close."""
    import difflib

    close = difflib.get_close_matches(kind, KINDS, n=1, cutoff=0.6)
    if not close:
        return None
    meant = close[0]
    if meant in ("model", "file", "tier"):
        return meant
    return f"{meant}:{rest or ('REGEX' if meant == 'custom_id' else 'FILE.csv')}"


def _checked(file: str, tags: Mapping[str, str]) -> Mapping[str, str]:
    """`tags`, unless a tag is a label of requests outside every group (read/tags.py refuses
    those with the row's line; this guards a mapping that came from elsewhere)."""
    for custom_id, tag in tags.items():
        if tag in RESERVED:
            raise CodedError(
                "tags_reserved_label", file=file, line=None, custom_id=custom_id, tag=tag
            )
    return tags


def parse_keys(specs: Iterable[str], read_tags: TagReader | None = None) -> tuple[GroupKey, ...]:
    """The groupings of --group-by, at most MAX_LEVELS; `read_tags` reads a tags: file."""
    keys = tuple(parse_key(s, read_tags) for s in specs)
    if len(keys) > MAX_LEVELS:
        raise CodedError("group_by_too_many", levels=MAX_LEVELS)
    return keys


def tier_name(service: str | None, fast: bool, default_batch: bool) -> str:
    """The tier a result line was priced at (as results.read_results decides it)."""
    if fast:
        return "fast"
    if service in ("batch", "standard", "priority"):
        return service
    if service is not None:
        return "standard"  # an unknown tier is priced at standard rates (routes.route_of)
    return "batch" if default_batch else "standard"


# (custom_id, model id, usage, priced, owner) -> the cold-start misses it settles: (owner of
# the request that missed, 1 for a request's first miss, tokens, extra cost) (coldstart.Credit)
MissCounter = Callable[[Any, str, Any, bool, Any], list[tuple[Any, int, int, Decimal]]]


class Grouping:
    """Totals per group and per file, fed one request at a time (`reader`); `misses` (when
    request files are given) says which requests were cold-start misses."""

    def __init__(
        self,
        keys: tuple[GroupKey, ...],
        pricing: Pricing,
        on: date,
        *,
        batch: bool,
        misses: MissCounter | None = None,
    ) -> None:
        self.keys = keys
        self.misses = misses
        self.on = on
        self.batch = batch
        self.groups: dict[tuple[str, ...], Totals] = {}
        self.files: dict[str, Totals] = {}
        self.standard = StandardCost(pricing, on)
        self.by_id = any(k.kind == "custom_id" for k in keys)
        self.too_long = 0  # requests whose custom_id is over MAX_CUSTOM_ID (with custom_id:)
        # Each tags key's ids that some request had (for the tags notices).
        self.tagged: list[tuple[GroupKey, set[str]]] = [
            (k, set()) for k in keys if k.tags is not None
        ]

    def notices(self) -> tuple[Notice, ...]:
        """What the grouping could not do as asked: ids the API would not have made, tags
        files that name none (or not all) of the results' ids."""
        out = []
        if self.too_long:
            out.append(notice("custom_id_too_long", count=self.too_long, limit=MAX_CUSTOM_ID))
        for key, seen in self.tagged:
            assert key.tags is not None
            rows, name = len(key.tags), key.spec.partition(":")[2]
            if not seen:
                out.append(notice("tags_match_nothing", file=name, rows=rows))
            elif len(seen) < rows:
                unmatched = rows - len(seen)
                out.append(
                    notice("tags_ids_not_in_results", file=name, rows=rows, unmatched=unmatched)
                )
        return tuple(out)

    def reader(
        self, file: str
    ) -> Callable[[Any, str, Any, tuple[Line, ...] | None, Decimal], None]:
        """The `on_request` callback of read_results for the file labelled `file`."""
        return _adder(self, file)


def _adder(
    grouping: Grouping, file: str
) -> Callable[[Any, str, Any, tuple[Line, ...] | None, Decimal], None]:
    """Grouping.reader: a closure, so that each request finds what it needs in local names."""
    per_file = grouping.files.setdefault(file, Totals())
    keys, groups, batch, misses = grouping.keys, grouping.groups, grouping.batch, grouping.misses
    by_id, tagged, standard_of = grouping.by_id, grouping.tagged, grouping.standard.of

    def one(custom_id: Any, model: str, usage: Any, lines: Any, web: Decimal) -> None:
        text = custom_id if isinstance(custom_id, str) else ""
        request = Request(file, text, model, tier_name(usage.service_tier, usage.fast, batch))
        if by_id and len(text) > MAX_CUSTOM_ID:
            grouping.too_long += 1
        for k, seen in tagged:
            assert k.tags is not None
            if text in k.tags:
                seen.add(text)
        key = tuple(k.value(request) for k in keys)
        group = groups.get(key)
        if group is None:
            group = groups[key] = Totals()
        owner = (group, per_file)
        for whose, new, n, extra in (
            () if misses is None else misses(custom_id, model, usage, lines is not None, owner)
        ):
            for t in whose:
                t.misses += new
                t.miss_tokens += n
                t.miss_cost += extra
        if lines is None:
            # Its tokens are known (the results report them); its cost is not.
            for t in (group, per_file):
                t.requests += 1
                t.unpriced += 1
                for c, n in usage.tokens.items():
                    t.tokens[c] += n
                t.web_searches += usage.web_searches
            return
        standard = web + standard_of(model, usage, lines)
        lower = (
            is_lower_bound(usage.service_tier, usage.geo, usage.speed)
            or usage.creation_mismatch == AGGREGATE_MORE
        )
        for t in (group, per_file):
            t.requests += 1
            t.lower_bound += lower
            tokens, costs = t.tokens, t.class_cost
            for line in lines:
                tokens[line.token_class] += line.tokens
                costs[line.token_class] += line.cost
            t.web_searches += usage.web_searches
            t.web_search_cost += web
            t.standard += standard

    return one


class StandardCost:
    """What a priced request would have cost at standard rates (the module docstring), with the
    rates kept per model, US-only inference and prompt-length tier."""

    def __init__(self, pricing: Pricing, on: date) -> None:
        self.on = on
        self._models: dict[str, ModelPrice] = {m.id: m for m in pricing.models}
        self._rates: dict[tuple[str, bool, int | None], Rates] = {}

    def of(self, model_id: str, usage: Any, lines: tuple[Line, ...]) -> Decimal:
        """The request's cost at standard rates (web searches not included)."""
        if usage.fast:
            return sum((line.cost for line in lines), ZERO)
        model = self._models[model_id]
        us = usage.us and model.us_inference_multiplier is not None
        tier = model.tier_on(self.on, usage.total_input) if model.long_context else None
        # Rates depend on the request only through these; most requests share a few.
        at = (model_id, us, tier.threshold if tier else None)
        rates = self._rates.get(at)
        if rates is None:
            rates = self._rates[at] = rates_in_force(
                model, self.on, usage.total_input, batch=False, us=us
            )
        return cost(usage.total_input, rates.input) + cost(usage.tokens["output"], rates.output)


@dataclass(frozen=True)
class Group:
    key: tuple[str, ...]
    totals: Totals


def ordered(groups: Mapping[tuple[str, ...], Totals]) -> tuple[Group, ...]:
    """Groups by cost, largest first; two levels: the first level by its subtotal, each
    group's second level by cost within it. Ties by name."""
    first: dict[str, Totals] = {}
    for key, t in groups.items():
        first.setdefault(key[0] if key else "", Totals()).add(t)

    def rank(key: tuple[str, ...]) -> tuple[Decimal, tuple[str, ...], Decimal, tuple[str, ...]]:
        head = first[key[0] if key else ""]
        return (-head.cost, key[:1], -groups[key].cost, key)

    return tuple(Group(k, groups[k]) for k in sorted(groups, key=rank))


def subtotals(groups: Mapping[tuple[str, ...], Totals]) -> tuple[Group, ...]:
    """The first-level groups of a two-level grouping, by cost."""
    first: dict[tuple[str, ...], Totals] = {}
    for key, t in groups.items():
        first.setdefault(key[:1], Totals()).add(t)
    return tuple(Group(k, first[k]) for k in sorted(first, key=lambda k: (-first[k].cost, k)))


def total_of(groups: Iterable[Totals]) -> Totals:
    out = Totals()
    for t in groups:
        out.add(t)
    return out
