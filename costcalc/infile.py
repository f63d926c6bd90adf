"""Opening an input file: a path, or `-` for standard input. FIFOs and process substitution
(/dev/fd/N) are read like any file: once, front to back, never seeked or sized."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import BinaryIO

from .errors import CostcalcError

BUFFER = 1 << 16  # large enough for the head sniffing of request files (peek)


def is_stdin(path: Path) -> bool:
    return str(path) == "-"


def open_binary(path: Path) -> BinaryIO:
    """A buffered binary reader; the caller closes it (closing stdin's wrapper leaves fd 0)."""
    if is_stdin(path):
        try:
            return open(sys.stdin.fileno(), "rb", buffering=BUFFER, closefd=False)
        except (OSError, ValueError) as exc:
            raise CostcalcError(f"cannot read standard input: {exc}") from None
    if os.path.isdir(path):
        raise CostcalcError(f"cannot read {path}: it is a directory; give a file")
    try:
        return open(path, "rb", buffering=BUFFER)
    except FileNotFoundError:
        raise CostcalcError(f"cannot read {path}: no such file (check the path)") from None
    except OSError as exc:
        raise CostcalcError(f"cannot read {path}: {exc.strerror}") from None


def rereadable(path: Path) -> bool:
    """A regular file, which can be read a second time (stdin, FIFOs and /dev/fd/N cannot:
    a FIFO opened again would wait for a writer that never comes)."""
    import stat

    try:
        return not is_stdin(path) and stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def label(path: Path) -> str:
    return "standard input" if is_stdin(path) else str(path)
