"""The words of the command line's --help: descriptions, option help, epilogs with examples (cli/).

By code; messages.text says how an entry is written. argparse %-formats option help (a literal
percent sign is written %% there), but not descriptions and epilogs, which are shown as written.
Codes: help.costcalc.* (the top-level help), help.<command>.* (one command's summary,
description, epilog and options), and help.output.*, help.budget.*, help.workload.*,
help.text.*, help.type.* (the options and argument types several commands share)."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any


def _exit_status(f: Mapping[str, Any]) -> str:
    """The exit-status section of a command's --help: status 1 is listed only for a command that
    has --budget or --strict, naming the one it has; under --budget of estimate, plan and check
    an error-severity notice fails the gate too (`errors_fail`)."""
    budget, strict = f["budget"], f["strict"]
    if budget and strict:
        one = "  1  over budget, or problems found under --strict\n"
    elif budget:
        one = "  1  over budget (--budget)\n"
    elif strict:
        one = "  1  problems found under --strict\n"
    else:
        one = ""
    if f["errors_fail"] and budget:
        one += (
            "     or an error under --budget (a retired model, no price on the date, a request\n"
            "     the API refuses), whatever the cost\n"
        )
    fine = "0  fine (within budget, or no budget given)" if budget else "0  fine"
    return (
        "exit status:\n"
        f"  {fine}\n"
        f"{one}"
        "  2  bad input or usage: one line on stderr naming the problem and the fix; also\n"
        "     output that cannot be written (the OS's reason; a closed pipe ends quietly)\n"
        "  3  internal error: one line; rerun with --debug for the traceback\n"
    )


def _format_help(f: Mapping[str, Any]) -> str:
    """--format's help: what csv holds, and xlsx and html where the command writes them."""
    words = f"table (default, for people), csv ({f['csv']}), json"
    if f["xlsx"]:
        words += f", xlsx ({f['xlsx']}; needs --out FILE.xlsx)"
    if f["html"]:
        words += f", html ({f['html']})"
    return words


_COSTCALC: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    "help.costcalc.description": "What a Claude batch job will cost with the Message Batches "
    "discount and prompt caching, before you submit it.",
    "help.costcalc.epilog": "Run 'costcalc COMMAND --help' for the options and examples of each "
    "command.",
    "help.costcalc.debug": "show the traceback of an internal error",
    # figures: budget, strict (the command has the option), errors_fail
    "help.exit_status": _exit_status,
}

# The options several commands share (cli/args.py).
_SHARED: dict[str, str | Callable[[Mapping[str, Any]], str]] = {
    "help.output.group": "output and data",
    # figures: csv (what a row is), xlsx and html (what those hold; "" where not written)
    "help.output.format": _format_help,
    "help.output.out": "write to FILE instead of stdout (written whole or not at all)",
    "help.output.pricing": "use this pricing YAML instead of the bundled pricing.yaml",
    "help.output.date": "price as of this date (long-context tiers, model status); default today",
    "help.group_by": "cost by group: model, file, tier, custom_id:REGEX (the first capture group) "
    "or tags:FILE.csv (custom_id,tag rows); twice for two levels",
    "help.budget.group": "budget gate",
    "help.budget.budget": "exit 1 when {what} costs more than this",
    "help.budget.scenario": "scenario the budget applies to (default batch_cache; cache in fast "
    "mode)",
    # The names of argument types (argparse names one in "invalid ... value").
    "help.type.tokens": "tokens",
    "help.type.requests": "requests",
    "help.type.cache_writes": "cache writes",
    "help.type.usd": "USD",
    "help.type.hit_rate": "hit rate",
    "help.type.output_ratio": "output ratio",
    "help.type.bytes_per_token": "bytes per token",
    "help.type.models": "models",
}

TEXTS: dict[str, str | Callable[[Mapping[str, Any]], str]] = {**_COSTCALC, **_SHARED}
