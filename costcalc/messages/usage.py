"""The English of the command line's own lines on stderr: the frame of an error line (exit 2),
the internal-error line (exit 3), usage errors and their near-miss hints, deprecated options.
Each is rendered by `line` from a code and figures; the text inside a frame comes from the
other tables (a coded error) or from argparse (a usage error it found)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from costcalc.messages.common import F

LINES: dict[str, Callable[[F], str]] = {
    # cli/app.py: a CostcalcError (exit 2), standard output that could not be written (exit 2)
    "error": lambda f: f"{f['prog']}: error: {f['text']}",
    # cli/app.py: the reason of an OutputError when standard output takes no more bytes
    "stdout_full": lambda f: "standard output does not accept more data",
    # cli/app.py: anything else (exit 3); `what` is the exception's type and text, cut short
    "internal_error": lambda f: (
        f"{f['prog']}: internal error ({f['what']}); this is a bug in costcalc: "
        "rerun with --debug for the traceback and report it"
    ),
    # cli/args.py: a usage error, with the command's own --help to read
    "usage_error": lambda f: f"{f['prog']}: error: {f['text']} (see '{f['prog']} --help')\n",
    "near_miss": lambda f: f"; did you mean {f['close']}?",
    "option_of_other_command": lambda f: (
        f"; {f['word']} is an option of {', '.join(f['owners'])}, not of {f['command']}"
    ),
    "deprecated_option": lambda f: (
        f"costcalc: warning: {f['option']} FILE is deprecated; use {f['instead']} FILE"
    ),
    # commands/reconcile.py: a line of one command, after its report
    "command_says": lambda f: f"{f['prog']}: {f['text']}",
}


def line(code: str, **figures: Any) -> str:
    """One line the command line writes to stderr, from its code and figures."""
    return LINES[code](figures)
