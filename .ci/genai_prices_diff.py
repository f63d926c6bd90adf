"""Compare pricing.yaml with the Anthropic prices bundled in an installed `genai-prices`.

A maintainer's tool, not run by CI (it needs a package costcalc does not depend on):

    python -m venv /tmp/gp && /tmp/gp/bin/pip install genai-prices pyyaml
    /tmp/gp/bin/python .ci/genai_prices_diff.py [--date YYYY-MM-DD]

Run it from the repository root. It lists models one side has and the other lacks, and every
price that differs on the date (standard row, Haiku 5.5-style prompt-length tiers, batch and fast
variants). genai-prices is a peer database, not a source: a difference is a prompt to re-read
Anthropic's pages (genai-prices 47df840, for one, still raises Sonnet 5 to $3/$15 on
2026-09-01, a rise https://platform.claude.com/docs/en/about-claude/pricing says will not occur),
never to copy its value. Exit status: 0 no differences, 1 differences listed, 2 genai-prices is
not installed.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from costcalc.prices.load import load_pricing  # noqa: E402
from costcalc.prices.model import ModelPrice, Rates  # noqa: E402

# genai-prices price keys for costcalc's token classes.
KEYS = {
    "input": "input_mtok",
    "cache_write_5m": "cache_write_mtok",
    "cache_write_1h": "cache_write_1h_mtok",
    "cache_read": "cache_read_mtok",
    "output": "output_mtok",
}


def _genai_prices() -> Any:
    try:
        from genai_prices import data_snapshot
    except ImportError:
        print(
            "genai-prices is not installed in this Python; install it in a separate virtualenv "
            "(pip install genai-prices pyyaml) and run this script with that Python",
            file=sys.stderr,
        )
        sys.exit(2)
    return data_snapshot


def _base_and_tiers(value: Any) -> tuple[Decimal | None, list[tuple[int, Decimal]]]:
    """A genai-prices price: a Decimal, or TieredPrices (base + tiers), or None."""
    if value is None:
        return None, []
    if hasattr(value, "base"):
        return value.base, [(t.start, t.price) for t in value.tiers]
    return Decimal(value), []


def _compare(label: str, ours: Rates, theirs: Any, out: list[str]) -> None:
    for cls, key in KEYS.items():
        mine = ours.rate(cls)
        base, _ = _base_and_tiers(getattr(theirs, key, None))
        if base is None:
            out.append(f"  {label} {cls}: ours {mine}, genai-prices has none")
        elif base != mine:
            out.append(f"  {label} {cls}: ours {mine}, genai-prices {base}")


def _compare_tiers(m: ModelPrice, on: date, theirs: Any, out: list[str]) -> None:
    theirs_tiers = {
        cls: _base_and_tiers(getattr(theirs, key, None))[1] for cls, key in KEYS.items()
    }
    starts = sorted({start for tiers in theirs_tiers.values() for start, _ in tiers})
    ours = [t for t in m.long_context if t.in_effect(on)]
    if [t.threshold for t in ours] != starts:
        out.append(
            f"  prompt-length tiers: ours at {[t.threshold for t in ours]}, "
            f"genai-prices at {starts}"
        )
        return
    for tier in ours:
        for cls in KEYS:
            theirs_price = dict(theirs_tiers[cls]).get(tier.threshold)
            if theirs_price != tier.prices.rate(cls):
                out.append(
                    f"  tier > {tier.threshold:,} {cls}: ours {tier.prices.rate(cls)}, "
                    f"genai-prices {theirs_price}"
                )


def _find(provider: Any, m: ModelPrice) -> Any:
    """genai-prices' entry for our model: by its id first, then by its own match rules."""
    by_id = {g.id: g for g in provider.models}
    for name in (m.id, *m.aliases):
        if name in by_id:
            return by_id[name]
    return provider.find_model(m.id)


def diff(on: date) -> list[str]:
    snapshot = _genai_prices().get_snapshot()
    provider = next(p for p in snapshot.providers if p.id == "anthropic")
    pricing = load_pricing()
    when = datetime(on.year, on.month, on.day, 12, tzinfo=UTC)
    report: list[str] = []
    matched: set[str] = set()
    for m in pricing.models:
        theirs = _find(provider, m)
        if theirs is None:
            state = "retired" if not m.is_current(on) else m.status
            report.append(f"{m.id} ({state}): not in genai-prices")
            continue
        matched.add(theirs.id)
        lines: list[str] = []
        # A rule for a dated family (claude-3-haiku) is fine; another model's rule is not (the
        # claude-fable-5 prefix rule of older releases priced Fable 5.1 and 5.2 as Fable 5).
        if theirs.id not in (m.id, *m.aliases) and not m.id.startswith(theirs.id + "-2"):
            lines.append(f"  matched by genai-prices' rule for {theirs.id!r}, not by id")
        standard = theirs.get_prices(when)
        _compare("standard", m.prices_on(on), standard, lines)
        _compare_tiers(m, on, standard, lines)
        batch = theirs.get_prices(when, {"processing": "batch"})
        if batch is not standard and batch != standard:
            ours_batch = Rates(*(m.prices_on(on).rate(c) * m.batch_multiplier for c in KEYS))
            _compare("batch", ours_batch, batch, lines)
        fast = theirs.get_prices(when, {"speed": "fast"})
        if fast != standard and m.fast is None:
            lines.append("  fast mode: genai-prices has a fast variant, ours has none")
        elif fast != standard and m.fast is not None:
            _compare("fast", m.fast, fast, lines)
        elif m.fast is not None and m.fast_offered(on):
            lines.append("  fast mode: ours has fast prices, genai-prices has no fast variant")
        if lines:
            report.append(f"{m.id}:")
            report += lines
    for g in provider.models:
        if g.id not in matched and not any(g.id == n for m in pricing.models for n in m.aliases):
            report.append(f"{g.id}: in genai-prices, not in pricing.yaml")
    return report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--date", type=date.fromisoformat, default=date.today(), help="compare prices on this day"
    )
    args = parser.parse_args()
    report = diff(args.date)
    try:
        from genai_prices import __version__ as version
    except ImportError:  # pragma: no cover - checked in diff()
        version = "?"
    print(f"pricing.yaml vs genai-prices {version}, prices on {args.date.isoformat()}")
    print("\n".join(report) if report else "no differences")
    return 1 if report else 0


if __name__ == "__main__":
    sys.exit(main())
