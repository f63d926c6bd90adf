"""How each result line of `actual` is priced: a route per distinct (model, service_tier,
inference_geo, speed), and a bucket per set of lines priced alike.

A route decides once what the usage fields say about rates and problems (compute/actual.py's
docstring states the rules); a bucket adds up the tokens of its lines, which are priced once at
the end, exactly, since pricing is linear in tokens.
"""

from __future__ import annotations

from array import array
from datetime import date
from decimal import Decimal
from typing import Any

from costcalc.compute.engine import USAGE_CLASSES, Line, cost, price_tokens, scale
from costcalc.prices.model import ModelPrice
from costcalc.read.results import GEOS, SPEEDS

# The problems whose lines are priced at a lower bound: Priority Tier (no public per-token
# price, https://platform.claude.com/docs/en/api/service-tiers) and an unknown service tier at
# standard rates, an unknown inference_geo at global rates, an unknown speed at standard speed.
# A budget gate whose cost has such a line can fail but never pass.
LOWER_BOUND_FLAGS = frozenset(
    ("priority_tier", "unknown_service_tier", "inference_geo_unknown", "speed_unknown")
)


def is_lower_bound(service: Any, geo: Any, speed: Any) -> bool:
    """Whether a priced line with these usage fields is priced at a lower bound (the same rule
    as route_of's LOWER_BOUND_FLAGS)."""
    return service not in (None, "standard", "batch") or geo not in GEOS or speed not in SPEEDS


class Bucket:
    """Tokens of the lines priced alike: one model, US-only or not, one prompt-length tier,
    batch or not, fast or not."""

    __slots__ = ("_rates", "_zeros", "batch", "counts", "fast", "model", "tier_input", "us")

    def __init__(
        self, model: ModelPrice, us: bool, tier_input: int, batch: bool, fast: bool
    ) -> None:
        self.model = model
        self.us = us
        self.tier_input = tier_input  # a request size that selects the bucket's tier (0: none)
        self.batch = batch
        self.fast = fast
        # requests, web searches, then tokens per class in USAGE_CLASSES order (added to per
        # line by position: the cheapest way in the per-line loop)
        self.counts = [0] * (2 + len(USAGE_CLASSES))
        self._rates: tuple[Decimal, ...] = ()
        self._zeros: tuple[Line, ...] = ()  # each class's line item for no tokens

    @property
    def requests(self) -> int:
        return self.counts[0]

    @property
    def web_searches(self) -> int:
        return self.counts[1]

    @property
    def tokens(self) -> dict[str, int]:
        return dict(zip(USAGE_CLASSES, self.counts[2:]))

    def lines(self, on: date) -> tuple[Line, ...]:
        return price_lines(
            self.model, self.tokens, on, self.batch, self.us, self.tier_input, self.fast
        )

    def request_lines(self, on: date, tokens: tuple[int, ...]) -> tuple[Line, ...]:
        """Line items of one request of the bucket: its rates are the bucket's (found once),
        and a class it has no tokens of shares one line item (most requests have two)."""
        rates, zeros = self._rates, self._zeros
        if not rates:
            zeros = self._zeros = price_lines(
                self.model, {}, on, self.batch, self.us, self.tier_input, self.fast
            )
            rates = self._rates = tuple(line.rate for line in zeros)
        # Unrolled (cost(n, rate) written out): this runs once per request of --group-by.
        i, w5, w1, r, o = tokens
        c0, c1, c2, c3, c4 = USAGE_CLASSES
        r0, r1, r2, r3, r4 = rates
        z0, z1, z2, z3, z4 = zeros
        return (
            Line(c0, i, r0, (i * r0).scaleb(-6)) if i else z0,
            Line(c1, w5, r1, (w5 * r1).scaleb(-6)) if w5 else z1,
            Line(c2, w1, r2, (w1 * r2).scaleb(-6)) if w1 else z2,
            Line(c3, r, r3, (r * r3).scaleb(-6)) if r else z3,
            Line(c4, o, r4, (o * r4).scaleb(-6)) if o else z4,
        )


class Route:
    """How every line with one (model name, service_tier, inference_geo, speed) is priced:
    decided once per distinct combination, not per line."""

    __slots__ = (
        "batch",
        "buckets",
        "fast",
        "flags",
        "lines",
        "long",
        "lower",
        "model",
        "name",
        "tier",
        "us",
    )

    def __init__(self, name: Any, model: ModelPrice | None) -> None:
        self.name = name
        self.model = model  # None: not in the price table (unpriced)
        self.batch = self.us = self.fast = self.long = False
        self.tier = "unpriced"  # how its lines count in service_tiers
        self.flags: tuple[str, ...] = ()  # the problems every line of it has
        self.buckets: dict[int, Bucket] = {}  # tier_input -> bucket
        self.lines = 0  # succeeded lines priced by it
        self.lower = False  # its lines are priced at a lower bound (LOWER_BOUND_FLAGS)


def route_of(
    name: Any, model: ModelPrice | None, key: tuple[Any, ...], on: date, default_batch: bool
) -> Route:
    """The rates and problems of lines of `model` with (service, geo, speed) = key[1:]."""
    route = Route(name, model)
    if model is None:
        route.flags = ("unknown_model_unpriced",)
        return route
    _, service, geo, speed = key
    flags = []
    if geo not in GEOS:
        flags.append("inference_geo_unknown")
    if speed not in SPEEDS:
        flags.append("speed_unknown")
    us = geo == "us"
    if us and model.us_inference_multiplier is None:
        flags.append("us_inference_unsupported")
        us = False
    batch = default_batch
    if service == "batch":
        batch = True
    elif service in ("standard", "priority"):
        batch = False
        if service == "priority":
            flags.append("priority_tier")
    elif service is not None:
        # A tier the API does not document: at standard rates (the dearer of the two known
        # ones), never batch, as a lower bound.
        batch = False
        flags.append("unknown_service_tier")
    fast = speed == "fast"
    if fast:
        if model.fast is None:
            route.flags = (*flags, "fast_without_fast_prices")
            return route
        if not model.fast_offered(on):
            flags.append("fast_mode_ended")
        if batch:
            flags.append("fast_in_batch")
            batch = False
    route.batch, route.us, route.fast, route.flags = batch, us, fast, tuple(flags)
    route.lower = not LOWER_BOUND_FLAGS.isdisjoint(flags)
    # Fast mode has no long-context premium ("the full 1M context window at no additional
    # long context charge", https://platform.claude.com/docs/en/build-with-claude/fast-mode),
    # so it has no tier.
    route.long = bool(model.long_context) and not fast
    route.tier = tier_name(service, batch, fast)
    return route


class IdSet:
    """The custom_ids seen so far, kept as 64-bit hashes in an open-addressing table: about a
    tenth of a dict of the ids themselves. Two different ids share a hash with a chance near
    n^2 / 2^65 (1e-9 for 200,000 lines); that would only report a duplicate, never change a
    price."""

    __slots__ = ("mask", "size", "table")

    def __init__(self) -> None:
        self.table = array("q", bytes(8 << 16))
        self.mask = (1 << 16) - 1
        self.size = 0

    def repeat(self, custom_id: str) -> bool:
        """Whether `custom_id` was seen before; remembers it."""
        h = hash(custom_id) or 1  # 0 marks an empty slot
        table, mask = self.table, self.mask
        i = h & mask
        while True:
            found = table[i]
            if found == h:
                return True
            if not found:
                break
            i = (i + 1) & mask
        table[i] = h
        self.size += 1
        if self.size * 2 > mask:
            self._grow()
        return False

    def _grow(self) -> None:
        old = self.table
        self.mask = mask = self.mask * 2 + 1
        self.table = table = array("q", bytes(8 * (mask + 1)))
        for h in old:
            if h:
                i = h & mask
                while table[i]:
                    i = (i + 1) & mask
                table[i] = h


def tier_name(service: str | None, batch: bool, fast: bool) -> str:
    """How a line was priced: batch, standard, priority (at standard) or fast."""
    if fast:
        return "fast"
    if service == "priority":
        return "priority"
    return "batch" if batch else "standard"


def price_lines(
    model: ModelPrice,
    tokens: dict[str, int],
    on: date,
    batch: bool,
    us: bool,
    tier_input: int,
    fast: bool,
) -> tuple[Line, ...]:
    """Line items of one bucket or request; fast mode at the model's fast rates (with the US
    multiplier on top: "Data residency multipliers apply on top of fast mode pricing",
    https://platform.claude.com/docs/en/about-claude/pricing), never batched. The fast rates are
    the model's last ones, also once fast mode has ended: a result line that ran fast was
    billed at them."""
    if not fast:
        return price_tokens(model, tokens, on, batch=batch, us=us, input_per_request=tier_input)
    assert model.fast is not None  # read_results leaves fast lines without fast prices unpriced
    rates = model.fast
    if us and model.us_inference_multiplier is not None:
        rates = scale(rates, model.us_inference_multiplier)
    return tuple(
        Line(c, tokens.get(c, 0), rates.rate(c), cost(tokens.get(c, 0), rates.rate(c)))
        for c in USAGE_CLASSES
    )
