"""What every command's arguments share: the parser that reports usage errors as one line,
the argument types (counts, money, rates, model names, dates), the --model actions, and the
output and budget options."""

from __future__ import annotations

import argparse
import difflib
import importlib
import re
import sys
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, NoReturn

from costcalc.errors import CodedValueError, Exit
from costcalc.messages import render_error, usage
from costcalc.messages.text import text
from costcalc.safe import plain_inert
from costcalc.units import parse_count, parse_usd

SCENARIOS = ("standard", "batch", "cache", "batch_cache")

# argparse's own messages (not costcalc's words): the word a near miss is looked for, in an
# unknown option or command.
_NEAR_MISS_PATTERN = r"(?:unrecognized arguments: |invalid choice: ')(\S+?)'?(?: |$)"
_INVALID_CHOICE_PATTERN = "invalid choice"

# What a command's parser builder is given: command(name, help, description, epilog) makes the
# subcommand's parser (the three texts from messages.text_help).
Command = Callable[[str, str, str, str], argparse.ArgumentParser]


class LazyRun:
    """A command's `run` function named as "module:function", imported when the command runs:
    the parser lists every command, and importing all of them would load every layer before
    any work (start-up is held to 1.5x its imports by benchmarks/cold_start.py). So each
    module in costcalc/commands imports what it uses at its top, where a reader sees it."""

    def __init__(self, target: str) -> None:
        self.module, _, self.name = target.partition(":")

    def __call__(self, args: argparse.Namespace) -> int:
        run: Callable[[argparse.Namespace], int] = getattr(
            importlib.import_module(self.module), self.name
        )
        return run(args)


class Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one line and exit status 2."""

    def error(self, message: str) -> NoReturn:
        hint = self._near_miss(message)
        text = plain_inert(f"{message}{hint}")  # arguments can hold escape sequences
        # argparse reports a command's unknown option from the top parser: name the command,
        # and point to its own --help, where its options are.
        prog = self._subcommands().get(getattr(self, "_command", None) or "", self).prog
        self.exit(Exit.BAD_INPUT, usage.line("usage_error", prog=prog, text=text))

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        # Remember the command, so that a near miss is looked for among its own options.
        parsed, extras = super().parse_known_args(args, namespace)
        self._command = getattr(parsed, "command", None)
        return parsed, extras

    def _subcommands(self) -> dict[str, argparse.ArgumentParser]:
        for action in self._actions:
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict):
                return choices
        return {}

    def _near_miss(self, message: str) -> str:
        """'; did you mean --shared?' for a mistyped option or command: among the options of
        the command given (never the word itself); an option that belongs to another command
        is named as such."""
        words = re.findall(_NEAR_MISS_PATTERN, message)
        if not words:
            return ""
        word = words[0].split("=")[0]
        subs = self._subcommands()
        command = getattr(self, "_command", None)
        known: set[str] = set(self._option_string_actions)
        if _INVALID_CHOICE_PATTERN in message:
            known.update(subs)
            for action in self._actions:
                choices = getattr(action, "choices", None)
                if choices and not isinstance(choices, dict):
                    known.update(str(c) for c in choices)
        elif command in subs:
            known.update(subs[command]._option_string_actions)
            owners = [n for n, p in subs.items() if word in p._option_string_actions]
            if owners and word not in known:
                return usage.line(
                    "option_of_other_command", word=word, owners=owners, command=command
                )
        known.discard(word)
        close = difflib.get_close_matches(word, sorted(known), n=1)
        return usage.line("near_miss", close=close[0]) if close else ""


def arg_type(parse: Callable[[str], Any], name: str) -> Callable[[str], Any]:
    def convert(text: str) -> Any:
        try:
            return parse(text)
        except ValueError as exc:
            raise argparse.ArgumentTypeError(str(exc)) from None

    convert.__name__ = name
    return convert


def _decimal(text: str, kind: str, ok: Callable[[Decimal], bool]) -> Decimal:
    """A decimal argument; `kind` names it, and the values it takes, in the messages."""
    try:
        if not text.isascii():  # Decimal reads any script's digits; people mean ASCII ones
            raise InvalidOperation
        value = Decimal(text.strip())
    except InvalidOperation:
        raise CodedValueError("decimal_not_number", text=text, kind=kind) from None
    if not value.is_finite() or not ok(value):
        raise CodedValueError("decimal_out_of_range", text=text, kind=kind)
    if value.as_tuple().exponent < -10:  # type: ignore[operator]
        # More digits would be rounded away by Decimal's 28-digit products, not used.
        raise CodedValueError("decimal_too_precise", text=text, kind=kind)
    return value


def fraction(text: str) -> Decimal:
    return _decimal(text, "hit_rate", lambda v: 0 <= v <= 1)


def _ratio(text: str) -> Decimal:
    return _decimal(text, "output_ratio", lambda v: 0 <= v <= 1)


def _positive_decimal(text: str) -> Decimal:
    return _decimal(text, "bytes_per_token", lambda v: 0 < v <= 1000)


_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")


def comma_list(parse: Callable[[str], Any]) -> Callable[[str], list[Any]]:
    """A comma-separated list of values, each read by `parse`."""

    def convert(text: str) -> list[Any]:
        if _THOUSANDS.match(text.strip()):
            raise CodedValueError("list_thousands_ambiguous", text=text)
        items = [item.strip() for item in text.split(",")]
        if not text.strip() or any(not item for item in items):
            raise CodedValueError("list_empty_value", text=text)
        return [parse(item) for item in items]

    return convert


def _names(text: str) -> list[str]:
    items = [item.strip() for item in text.split(",")]
    if any(not item for item in items):
        raise CodedValueError("models_empty_name", text=text)
    return items


TOKENS = arg_type(parse_count, text("help.type.tokens"))
REQUESTS = arg_type(lambda t: parse_count(t, "requests"), text("help.type.requests"))


def _writes(text: str) -> int:
    writes = parse_count(text, "cache_writes")
    if writes < 1:
        # A cached prefix is read only after a request has written it.
        raise CodedValueError("cache_writes_zero")
    return writes


WRITES = arg_type(_writes, text("help.type.cache_writes"))
USD = arg_type(parse_usd, text("help.type.usd"))
HIT_RATE = arg_type(fraction, text("help.type.hit_rate"))
OUTPUT_RATIO = arg_type(_ratio, text("help.type.output_ratio"))
BYTES_PER_TOKEN = arg_type(_positive_decimal, text("help.type.bytes_per_token"))
MODELS = arg_type(_names, text("help.type.models"))


class AddModels(argparse.Action):
    """--model given more than once adds to the models (`--model a --model b` is
    `--model a,b`): keeping only the last would price, and gate, fewer models than named."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or ()), *values])


class OneModel(argparse.Action):
    """--model where one model is meant: a second one (listed or repeated) is refused rather
    than silently dropped."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        names = [*(getattr(namespace, self.dest, None) or ()), *values]
        if len(names) > 1:
            parser.error(render_error("one_model_only", {"option": option_string, "names": names}))
        setattr(namespace, self.dest, names)


def date_arg(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        # argparse shows an ArgumentTypeError's text (a ValueError's only as "invalid value")
        raise argparse.ArgumentTypeError(render_error("not_a_date", {"text": text})) from None


def output_args(p: argparse.ArgumentParser, what: str, xlsx: str = "", html: str = "") -> None:
    """--format, --out, --pricing and --date: `what` is a CSV row, `xlsx` and `html` what those
    formats hold (the command writes them only where given); all three are words from
    messages.text."""
    out = p.add_argument_group(text("help.output.group"))
    formats = ("table", "csv", "json", *(("xlsx",) if xlsx else ()), *(("html",) if html else ()))
    out.add_argument(
        "--format",
        choices=formats,
        default="table",
        help=text("help.output.format", csv=what, xlsx=xlsx, html=html),
    )
    out.add_argument("--out", metavar="FILE", type=Path, help=text("help.output.out"))
    out.add_argument("--pricing", metavar="FILE", type=Path, help=text("help.output.pricing"))
    out.add_argument("--date", metavar="YYYY-MM-DD", type=date_arg, help=text("help.output.date"))


def group_by_arg(p: Any) -> None:
    """--group-by, as check and actual take it (a parser or an argument group)."""
    p.add_argument(
        "--group-by",
        metavar="KEY",
        action="append",
        default=[],
        help=text("help.group_by"),
    )


def budget_args(p: argparse.ArgumentParser, what: str) -> None:
    """--budget and --scenario; `what` (words from messages.text) is what the budget is for."""
    gate = p.add_argument_group(text("help.budget.group"))
    gate.add_argument(
        "--budget", type=USD, metavar="USD", help=text("help.budget.budget", what=what)
    )
    gate.add_argument(
        "--scenario", choices=SCENARIOS, default=None, help=text("help.budget.scenario")
    )


class Deprecated(argparse.Action):
    """An old flag spelling: still stored, with a warning naming the new one."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        print(
            usage.line("deprecated_option", option=option_string, instead="--batch"),
            file=sys.stderr,
        )
        setattr(namespace, self.dest, values)
