"""The workload options of `estimate` and `sweep`, and the token counts from text of
`estimate`."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path
from typing import Any

from costcalc.cli.args import (
    BYTES_PER_TOKEN,
    MODELS,
    WRITES,
    AddModels,
    arg_type,
    comma_list,
    fraction,
)
from costcalc.units import parse_count


def workload_args(p: argparse.ArgumentParser, listed: bool) -> argparse._ArgumentGroup:
    """The workload flags; with `listed`, the sweepable ones take comma-separated lists."""

    def kind(convert: Callable[[str], Any], name: str) -> Callable[[str], Any]:
        return arg_type(comma_list(convert), name) if listed else arg_type(convert, name)

    many = " (a comma-separated list to sweep)" if listed else ""
    work = p.add_argument_group("workload")
    work.add_argument(
        "--model",
        required=True,
        metavar="NAME",
        type=MODELS,
        action=AddModels,
        help="model id or alias, e.g. opus-4.7; several, comma-separated, to compare",
    )
    work.add_argument(
        "--requests",
        required=listed,
        metavar="N",
        type=kind(lambda t: parse_count(t, "requests"), "requests"),
        help=f"number of requests in the job{many}"
        + ("" if listed else " (default with --unique-dir: one per file)"),
    )
    work.add_argument(
        "--shared",
        metavar="TOKENS",
        type=kind(parse_count, "tokens"),
        default=[0] if listed else None,
        help=f"shared prefix per request, the part that is cached (default 0){many}",
    )
    work.add_argument(
        "--unique",
        metavar="TOKENS",
        type=kind(parse_count, "tokens"),
        default=[0] if listed else None,
        help=f"unique input per request after the prefix (default 0){many}",
    )
    work.add_argument(
        "--output",
        metavar="TOKENS",
        type=kind(parse_count, "tokens"),
        default=[0] if listed else None,
        help=f"output tokens per request (default 0){many}",
    )
    work.add_argument(
        "--ttl",
        choices=("5m", "1h"),
        default="5m",
        help="cache lifetime; 1h writes cost 2x input, 5m writes 1.25x (default 5m)",
    )
    _cache_args(work, kind, many)
    _modifier_args(p)
    return work


def _cache_args(
    work: argparse._ArgumentGroup, kind: Callable[[Callable[[str], Any], str], Any], many: str
) -> None:
    """Which requests write the cache and which read it: --cache-writes, --hit-rate or
    --hit-rate-from."""
    hits = work.add_mutually_exclusive_group()
    hits.add_argument(
        "--cache-writes",
        type=WRITES,
        metavar="W",
        help="requests that write the cache; the other N-W read it (default 1)",
    )
    hits.add_argument(
        "--hit-rate",
        metavar="R",
        type=kind(fraction, "hit rate"),
        help="share of requests that read the cache, 0 to 1; the rest write it "
        f"(the range's expected case otherwise assumes 0.9){many}",
    )
    work.add_argument(
        "--hit-rate-from",
        metavar="RESULTS.jsonl",
        type=Path,
        help="use the hit rate measured in an earlier run's results file (instead of --hit-rate)",
    )


def _modifier_args(p: argparse.ArgumentParser) -> None:
    """--region, --fast and --bytes-per-token."""
    mods = p.add_argument_group("modifiers")
    mods.add_argument(
        "--region",
        choices=("global", "us"),
        default="global",
        help="us: US-only inference, 1.1x on every class (Claude 4.6 and later)",
    )
    mods.add_argument(
        "--fast",
        action="store_true",
        help="fast mode (real-time only: no batch scenarios), where the model has it",
    )
    mods.add_argument(
        "--bytes-per-token",
        type=BYTES_PER_TOKEN,
        default=None,
        metavar="B",
        help="request size estimate for the batch split (default 4)",
    )


def text_args(p: argparse.ArgumentParser) -> None:
    text = p.add_argument_group("token counts from text (instead of --shared / --unique)")
    text.add_argument(
        "--shared-file",
        metavar="FILE",
        type=Path,
        action="append",
        help="text of the shared prefix; repeat to join several files in order",
    )
    one = text.add_mutually_exclusive_group()
    one.add_argument("--unique-file", metavar="FILE", type=Path, help="one request's unique text")
    one.add_argument(
        "--unique-dir",
        metavar="DIR",
        type=Path,
        help="one request per file; the mean and the largest are used",
    )
    text.add_argument("--encoding", help="text encoding of the files (default utf-8)")
    text.add_argument(
        "--exact",
        action="store_true",
        help="exact counts from Anthropic's count_tokens (network; needs "
        "ANTHROPIC_API_KEY and pip install 'costcalc[anthropic]')",
    )
