"""Opening an input file: a path, or `-` for standard input. FIFOs and process substitution
(/dev/fd/N) are read like any file: once, front to back, never seeked or sized. A command that
must read its input twice (warmup) reads such a stream once into a temporary file
(`rereadable`).

A UTF-8 byte order mark at the very start of a file is skipped by every reader (results, request
and plan files, --pricing, text for `tokens`): Windows editors and PowerShell write one, RFC 8259
section 8.1 lets a JSON parser ignore it (https://www.rfc-editor.org/rfc/rfc8259#section-8.1) and
YAML allows it (https://yaml.org/spec/1.2.2/#52-character-encodings). It is never content: left in,
it made line 1 of a results file malformed, silently."""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from costcalc.errors import CodedError, CostcalcError
from costcalc.messages.text import text

BUFFER = 1 << 16  # large enough for the head sniffing of request files (peek)
BOM = b"\xef\xbb\xbf"  # the UTF-8 byte order mark


def without_bom(data: bytes) -> bytes:
    """`data` without a leading UTF-8 byte order mark (whole-file readers)."""
    return data[len(BOM) :] if data.startswith(BOM) else data


def is_stdin(path: Path) -> bool:
    return str(path) == "-"


def open_binary(path: Path) -> BinaryIO:
    """A buffered binary reader; the caller closes it (closing stdin's wrapper leaves fd 0)."""
    if is_stdin(path):
        try:
            f = open(sys.stdin.fileno(), "rb", buffering=BUFFER, closefd=False)  # noqa: SIM115
        except (OSError, ValueError) as exc:
            raise CodedError("stdin_unreadable", error=str(exc)) from None
        return _skip_bom(f, path)
    if os.path.isdir(path):
        raise CodedError("input_is_directory", path=str(path))
    try:
        f = open(path, "rb", buffering=BUFFER)  # noqa: SIM115 (the caller closes it)
    except FileNotFoundError:
        raise CodedError("input_not_found", path=str(path)) from None
    except OSError as exc:
        raise CodedError("input_unreadable", path=str(path), reason=exc.strerror) from None
    return _skip_bom(f, path)


def _skip_bom(f: BinaryIO, path: Path) -> BinaryIO:
    """`f` past a leading byte order mark. A pipe may deliver the mark in pieces (peek returns
    what one read brought), so a partial mark is read on byte by byte."""
    try:
        head = f.peek(len(BOM))[: len(BOM)]  # type: ignore[attr-defined]
        if not head or not BOM.startswith(head):
            return f
        got = f.read(len(head))
        while got != BOM and BOM.startswith(got):
            more = f.read(1)
            if not more:
                break
            got += more
    except OSError as exc:
        f.close()
        raise CodedError("input_unreadable", path=label(path), reason=exc.strerror) from None
    if got != BOM:
        # Bytes 0xEF 0xBB (0xBF) start no JSON text; they are read, so say what they were.
        f.close()
        raise CodedError("input_bad_start", path=label(path), bytes=got.hex(" "))
    return f


def is_regular_file(path: Path) -> bool:
    """A regular file, which can be read a second time (stdin, FIFOs and /dev/fd/N cannot:
    a FIFO opened again would wait for a writer that never comes)."""
    import stat

    try:
        return not is_stdin(path) and stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def label(path: Path) -> str:
    return text("place.standard_input") if is_stdin(path) else str(path)


def is_stream(path: Path) -> bool:
    """Standard input, a FIFO, /dev/fd/N, a device: readable once only. A path that cannot be
    stat'ed is left to open_binary to report."""
    if is_stdin(path):
        return True
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


@contextmanager
def rereadable(path: Path) -> Iterator[Path]:
    """`path` itself when it is a file; a stream (`is_stream`) read once into a temporary file,
    removed afterwards (on Ctrl-C and SIGTERM too). On disk, not in memory: a request file can
    be hundreds of MB. An error that names the temporary file names `path` instead."""
    if not is_stream(path):
        yield path
        return
    import shutil
    import tempfile

    from costcalc.files.outputs import signals_unwind

    def fail(exc: OSError) -> CodedError:
        return CodedError("input_spool_failed", path=label(path), reason=exc.strerror)

    with signals_unwind():
        try:
            fd, tmp = tempfile.mkstemp(prefix="costcalc-", suffix=".input")
        except OSError as exc:
            raise fail(exc) from None
        try:
            with os.fdopen(fd, "wb") as spool, open_binary(path) as source:
                try:
                    shutil.copyfileobj(source, spool, BUFFER)
                    spool.flush()
                except OSError as exc:
                    raise fail(exc) from None
            try:
                yield Path(tmp)
            except CostcalcError as exc:
                if tmp not in str(exc):
                    raise
                raise CostcalcError(str(exc).replace(tmp, label(path))) from None
        finally:
            if os.path.lexists(tmp):
                os.unlink(tmp)
