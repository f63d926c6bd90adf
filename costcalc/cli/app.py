"""The `costcalc` command line: arguments, help with examples, and exit codes.

Exit status (the contract CI relies on, also in README and every --help): 0 ok; 1 over budget
(or an error-severity notice under --budget of estimate, plan, check), or problems under
--strict; 2 bad input or usage, one line on stderr, and output that cannot be written (a full
disk, a read-only file; a closed pipe ends quietly, still 2: the output was cut); 3 an internal
error, one line, the traceback only with --debug. Nothing else exits 1. What each command does
is in `commands`. Every word of --help (summaries, descriptions, option help, epilogs with
examples, this exit-status section) is in costcalc.messages.text_help, asked for by code.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import os
import sys
import textwrap
from collections.abc import Sequence
from typing import Any, TextIO

from costcalc.cli.actual import add_actual
from costcalc.cli.args import MODELS, USD, Parser, date_arg
from costcalc.cli.checking import add_check, add_warmup
from costcalc.cli.listing import add_models, add_schema, add_tokens
from costcalc.cli.planning import add_estimate, add_plan, add_sweep
from costcalc.cli.reconcile import add_reconcile
from costcalc.errors import CodedError, CostcalcError, Exit, OutputError
from costcalc.files.outputs import guard_output
from costcalc.messages.text import text
from costcalc.messages.usage import line
from costcalc.safe import plain_inert
from costcalc.version import __version__

# Under --budget of these an error-severity notice fails the gate too.
GATED_ON_ERRORS = ("estimate", "plan", "check")


def exit_status(options: Sequence[str], errors_fail: bool = False) -> str:
    """The exit-status section of a command's --help: status 1 is listed only for a command
    that has --budget or --strict, and names the one it has."""
    return text(
        "help.exit_status",
        budget="--budget" in options,
        strict="--strict" in options,
        errors_fail=errors_fail,
    )


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="costcalc",
        description=text("help.costcalc.description"),
        epilog=text("help.costcalc.epilog"),
        allow_abbrev=False,
    )
    parser.add_argument("--version", action="version", version=f"costcalc {__version__}")
    parser.add_argument("--debug", action="store_true", help=text("help.costcalc.debug"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    def command(name: str, help: str, description: str, epilog: str) -> argparse.ArgumentParser:
        sub: argparse.ArgumentParser = commands.add_parser(
            name,
            help=help,
            description=textwrap.fill(description, 79),
            epilog=epilog.rstrip("\n"),
            formatter_class=argparse.RawDescriptionHelpFormatter,
            allow_abbrev=False,
        )
        # Also accepted after the command; SUPPRESS keeps a --debug given before it.
        sub.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
        )
        return sub

    # In the order `costcalc --help` lists them.
    for add in (add_estimate, add_sweep, add_plan, add_tokens, add_check, add_actual, add_warmup):
        add(command)
    add_models(command)
    add_reconcile(command, date_arg, USD, MODELS)
    add_schema(command)
    for name, sub in commands.choices.items():
        # Last, from the options each command really has (a gate added later shows up).
        # reconcile gates Anthropic's billed total, which its notices do not make unknown.
        status = exit_status(list(sub._option_string_actions), name in GATED_ON_ERRORS)
        sub.epilog = f"{sub.epilog}\n\n{status}"
    return parser


class _InertStream:
    """stderr for one run: every line costcalc writes there may quote text from a file or an
    argument (a model name, a custom_id), so control and bidi characters are shown as escapes
    wherever the line was built (a terminal must never receive them). A stderr that cannot be
    written (closed, a full disk) is ignored: there is nowhere left to report it."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        with contextlib.suppress(OSError, ValueError):
            self._stream.write("\n".join(plain_inert(part) for part in text.split("\n")))
        return len(text)

    def flush(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self._stream.flush()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _GuardedStdout:
    """stdout for one run: an OSError while writing it (ENOSPC, EPIPE, EIO, EBADF) becomes an
    OutputError, so every command and format reports it the same way (exit 2, the OS's
    reason) instead of as an internal error."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            buffer = getattr(self._stream, "buffer", None)
            if buffer is None:
                return self._stream.write(text)
            # Through the byte buffer, checking every count: a text stream drops the rest of
            # a large write silently when the reader of a pipe goes away part-way (the byte
            # layer returns a short count and TextIOWrapper ignores it), so `| head` would
            # look like a complete run.
            self._stream.flush()
            data = memoryview(text.encode(self._stream.encoding, self._stream.errors or "strict"))
            while data:
                written = buffer.write(data)
                if not written:
                    raise OSError(errno.EAGAIN, line("stdout_full"))
                data = data[written:]
            if self._stream.line_buffering:
                buffer.flush()
            return len(text)
        except OSError as exc:
            raise OutputError(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            raise OutputError(exc) from None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def _silence_stdout() -> None:
    """Point the failed stream's descriptor at /dev/null, so the interpreter's own flush of
    what is still buffered neither fails again nor prints 'Exception ignored'."""
    stream = sys.stdout
    try:
        fd = stream.fileno()  # the stream that failed, not necessarily fd 1 (tests swap it)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    stderr, stdout = sys.stderr, sys.stdout
    sys.stderr = _InertStream(stderr)  # type: ignore[assignment]
    sys.stdout = _GuardedStdout(stdout)  # type: ignore[assignment]
    try:
        return _main(argv)
    finally:
        sys.stderr, sys.stdout = stderr, stdout


def _require_workbook_out(args: argparse.Namespace) -> None:
    """A workbook is a binary file: it needs --out, and XlsxWriter (checked before any work)."""
    if args.out is None:
        raise CodedError("xlsx_needs_out")
    # Lazy: the workbook presenters load only for --format xlsx (XlsxWriter is optional).
    from costcalc.present.xlsxbook import require_xlsxwriter

    require_xlsxwriter()


def _main(argv: Sequence[str] | None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
        if not getattr(args, "run", None):
            parser.print_help()
            sys.stdout.flush()
            return Exit.OK
    except OutputError as exc:  # --help or --version into a full disk or a closed pipe
        return _output_failed(exc, "costcalc")
    try:
        if getattr(args, "format", None) == "xlsx":
            _require_workbook_out(args)
        if any(getattr(args, name, None) is not None for name in ("out", "chart", "problem_lines")):
            guard_output(args)
        status = args.run(args)
        sys.stdout.flush()  # a full disk shows here when the output was small
        return status
    except OutputError as exc:
        return _output_failed(exc, f"costcalc {args.command}")
    except CostcalcError as exc:
        print(
            line("error", prog=f"costcalc {args.command}", text=plain_inert(str(exc))),
            file=sys.stderr,
        )
        return Exit.BAD_INPUT
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    except Exception as exc:
        if args.debug:
            import traceback  # lazy: only --debug after an internal error prints one

            traceback.print_exc()
        what = plain_inert(f"{type(exc).__name__}: {exc}")[:300]
        print(line("internal_error", prog=f"costcalc {args.command}", what=what), file=sys.stderr)
        return Exit.INTERNAL


def _output_failed(exc: OutputError, prog: str) -> int:
    """Exit 2 when stdout could not be written. A closed pipe (`costcalc models | head -1`)
    ends quietly, as other command-line tools do, but still with status 2: the output was not
    delivered whole, and a gate whose report was cut must never read as a pass."""
    _silence_stdout()
    if exc.errno != errno.EPIPE:
        print(line("error", prog=prog, text=str(exc)), file=sys.stderr)
    return Exit.BAD_INPUT
