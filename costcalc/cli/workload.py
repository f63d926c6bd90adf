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
from costcalc.messages.text import text
from costcalc.units import parse_count


def workload_args(p: argparse.ArgumentParser, listed: bool) -> argparse._ArgumentGroup:
    """The workload flags; with `listed`, the sweepable ones take comma-separated lists."""

    def kind(convert: Callable[[str], Any], name: str) -> Callable[[str], Any]:
        return arg_type(comma_list(convert), name) if listed else arg_type(convert, name)

    many = text("help.workload.listed") if listed else ""
    work = p.add_argument_group(text("help.workload.group"))
    work.add_argument(
        "--model",
        required=True,
        metavar="NAME",
        type=MODELS,
        action=AddModels,
        help=text("help.workload.model"),
    )
    work.add_argument(
        "--requests",
        required=listed,
        metavar="N",
        type=kind(lambda t: parse_count(t, "requests"), text("help.type.requests")),
        help=text("help.workload.requests", many=many)
        + ("" if listed else text("help.workload.requests_unique_dir")),
    )
    work.add_argument(
        "--shared",
        metavar="TOKENS",
        type=kind(parse_count, text("help.type.tokens")),
        default=[0] if listed else None,
        help=text("help.workload.shared", many=many),
    )
    work.add_argument(
        "--unique",
        metavar="TOKENS",
        type=kind(parse_count, text("help.type.tokens")),
        default=[0] if listed else None,
        help=text("help.workload.unique", many=many),
    )
    work.add_argument(
        "--output",
        metavar="TOKENS",
        type=kind(parse_count, text("help.type.tokens")),
        default=[0] if listed else None,
        help=text("help.workload.output", many=many),
    )
    work.add_argument(
        "--ttl",
        choices=("5m", "1h"),
        default="5m",
        help=text("help.workload.ttl"),
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
        help=text("help.workload.cache_writes"),
    )
    hits.add_argument(
        "--hit-rate",
        metavar="R",
        type=kind(fraction, text("help.type.hit_rate")),
        help=text("help.workload.hit_rate", many=many),
    )
    work.add_argument(
        "--hit-rate-from",
        metavar="RESULTS.jsonl",
        type=Path,
        help=text("help.hit_rate_from"),
    )


def _modifier_args(p: argparse.ArgumentParser) -> None:
    """--region, --fast and --bytes-per-token."""
    mods = p.add_argument_group(text("help.workload.modifiers"))
    mods.add_argument(
        "--region",
        choices=("global", "us"),
        default="global",
        help=text("help.workload.region"),
    )
    mods.add_argument(
        "--fast",
        action="store_true",
        help=text("help.workload.fast"),
    )
    mods.add_argument(
        "--bytes-per-token",
        type=BYTES_PER_TOKEN,
        default=None,
        metavar="B",
        help=text("help.workload.bytes_per_token"),
    )


def text_args(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group(text("help.text.group"))
    group.add_argument(
        "--shared-file",
        metavar="FILE",
        type=Path,
        action="append",
        help=text("help.text.shared_file"),
    )
    one = group.add_mutually_exclusive_group()
    one.add_argument("--unique-file", metavar="FILE", type=Path, help=text("help.text.unique_file"))
    one.add_argument(
        "--unique-dir",
        metavar="DIR",
        type=Path,
        help=text("help.text.unique_dir"),
    )
    group.add_argument("--encoding", help=text("help.text.encoding"))
    group.add_argument(
        "--exact",
        action="store_true",
        help=text("help.text.exact"),
    )
