"""costcalc schema: the JSON Schema of a command's --format json output."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from costcalc.errors import CodedError, Exit

# The commands with a --format json document, each with costcalc/schemas/<command>.schema.json.
SCHEMA_COMMANDS = (
    "estimate",
    "sweep",
    "plan",
    "tokens",
    "check",
    "actual",
    "models",
    "warmup",
    "reconcile",
)


def run_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of a command's JSON output, as shipped in the package."""
    name = args.schema_command
    if name not in SCHEMA_COMMANDS:
        raise CodedError("schema_no_command", name=name, commands=list(SCHEMA_COMMANDS))
    path = Path(__file__).resolve().parents[1] / "schemas" / f"{name}.schema.json"
    sys.stdout.write(path.read_text(encoding="utf-8"))
    return Exit.OK
