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

TOKENS_EPILOG = """\
examples:
  costcalc tokens rubric.txt samples/*.py
  costcalc tokens samples/ --model opus-4.7 --format csv --out counts.csv
  ANTHROPIC_API_KEY=... costcalc tokens rubric.txt --model opus-4.7 --exact

Claude's tokenizers are not published: offline counts are tiktoken cl100k_base counts times a
ratio measured for each Claude tokenizer, shown as ~central (low-high). Only --exact is exact.
No network is used unless --exact is given.
"""


MODELS_EPILOG = """\
examples:
  costcalc models                       # prices, limits and the stacked batch+cache rate
  costcalc models --format csv --out prices.csv
  costcalc models --date 2026-10-01     # prices in force that day (dated prices, tiers)

Any name in the 'API id, then aliases' column works with --model (case-insensitive).
A model missing from the table: copy the file named at the end, add an entry under
models: and pass the copy with --pricing FILE.
"""


SCHEMA_EPILOG = """\
examples:
  costcalc schema estimate > estimate.schema.json
  costcalc schema check > check.schema.json    # validate check --format json with it

Every JSON document carries "schema_version"; it changes only when a field is renamed, removed
or retyped. New fields may appear in any release, so validate with additional properties
allowed (as these schemas do).
"""


def add_tokens(command: Command) -> None:
    tok = command(
        "tokens",
        "count the tokens of text files, per Claude tokenizer",
        "Count tokens of files offline (tiktoken cl100k_base times each Claude tokenizer's "
        "calibration, shown with its uncertainty band), or exactly with --exact.",
        TOKENS_EPILOG,
    )
    tok.add_argument(
        "files",
        metavar="FILE",
        type=Path,
        nargs="+",
        help="text files, or directories (read recursively)",
    )
    tok.add_argument(
        "--model",
        metavar="NAME",
        type=MODELS,
        action=AddModels,
        help="only these models' tokenizers (default: every tokenizer)",
    )
    tok.add_argument("--encoding", default="utf-8", help="text encoding (default utf-8)")
    tok.add_argument(
        "--exact",
        action="store_true",
        help="exact counts from Anthropic's count_tokens for --model (network)",
    )
    output_args(tok, "one row per file")
    tok.set_defaults(run=LazyRun("costcalc.commands.tokens:run_tokens"))


def add_models(command: Command) -> None:
    mod = command(
        "models",
        "list every model with its prices, limits and aliases",
        "Every model in the pricing data in three sections (active, legacy, retired) with "
        "its prices on --date, prompt-length tiers and dated prices, limits and modifiers; "
        "then the stacked batch + cache-read rate of the models the Claude API still serves. "
        "Models marked * have unconfirmed prices.",
        MODELS_EPILOG,
    )
    output_args(mod, "one row per model")
    mod.set_defaults(run=LazyRun("costcalc.commands.models:run_models"))


def add_schema(command: Command) -> None:
    sch = command(
        "schema",
        "print the JSON Schema of a command's --format json output",
        "Print the JSON Schema (draft 2020-12) that every --format json document of COMMAND "
        f"validates against. COMMAND is one of: {', '.join(SCHEMA_COMMANDS)}.",
        SCHEMA_EPILOG,
    )
    sch.add_argument("schema_command", metavar="COMMAND", nargs="?", help="the command")
    sch.set_defaults(run=LazyRun("costcalc.commands.schema:run_schema"))
