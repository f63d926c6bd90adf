"""The arguments of `costcalc tokens`, `models` and `schema` (the commands are in
costcalc.commands.tokens, .models and .schema)."""

from __future__ import annotations

from pathlib import Path

from costcalc.cli.args import (
    MODELS,
    AddModels,
    Command,
    LazyRun,
    output_args,
)
from costcalc.commands.schema import SCHEMA_COMMANDS
from costcalc.messages.text import text


def add_tokens(command: Command) -> None:
    tok = command(
        "tokens",
        text("help.tokens.summary"),
        text("help.tokens.description"),
        text("help.tokens.epilog"),
    )
    tok.add_argument(
        "files",
        metavar="FILE",
        type=Path,
        nargs="+",
        help=text("help.tokens.files"),
    )
    tok.add_argument(
        "--model",
        metavar="NAME",
        type=MODELS,
        action=AddModels,
        help=text("help.tokens.model"),
    )
    tok.add_argument("--encoding", default="utf-8", help=text("help.tokens.encoding"))
    tok.add_argument(
        "--exact",
        action="store_true",
        help=text("help.tokens.exact"),
    )
    output_args(tok, text("help.tokens.csv"))
    tok.set_defaults(run=LazyRun("costcalc.commands.tokens:run_tokens"))


def add_models(command: Command) -> None:
    mod = command(
        "models",
        text("help.models.summary"),
        text("help.models.description"),
        text("help.models.epilog"),
    )
    output_args(mod, text("help.models.csv"))
    mod.set_defaults(run=LazyRun("costcalc.commands.models:run_models"))


def add_schema(command: Command) -> None:
    sch = command(
        "schema",
        text("help.schema.summary"),
        text("help.schema.description", commands=", ".join(SCHEMA_COMMANDS)),
        text("help.schema.epilog"),
    )
    sch.add_argument(
        "schema_command", metavar="COMMAND", nargs="?", help=text("help.schema.command")
    )
    sch.set_defaults(run=LazyRun("costcalc.commands.schema:run_schema"))
