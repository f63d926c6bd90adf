"""Writing --out files safely: whole or not at all, only to a new or regular file, never to
an input, with the mode a new file normally gets, and no temporary file left behind.

Decisions (docs/output.md, "Files in and out"; docs/input-output.md, "`--out` onto a file you
may not write"):
- The path must be new or a regular file. Devices (including /dev/null), FIFOs, sockets and
  directories are refused: replacing them would destroy them, and writing into them is not
  "a file written whole or not at all".
- A symbolic link is refused rather than followed or replaced: following it writes somewhere
  the command line does not name, replacing it silently turns a link into a file.
- An existing file this user may not write (a read-only file) is refused as a shell redirect
  would refuse it, although the rename could replace it.
- A path that is one of the command's inputs (same device and inode, through links too) is
  refused, so `check x.jsonl --out x.jsonl` cannot destroy the request file. Inputs include
  the files a directory or an unexpanded glob argument names (`actual results/ --out
  results/b.jsonl` would replace a results file the report read) and a `tags:FILE` grouping.
- The file is written to a temporary file in the same directory and renamed over the path;
  a new file gets 0666 minus the umask (as a shell redirection would), a replaced file keeps
  its mode. SIGTERM (and SIGHUP) are turned into an exit while the temporary file exists, so
  it is removed as on any error or Ctrl-C.
"""

from __future__ import annotations

import argparse
import glob
import os
import stat
import sys
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import IO, Any

from costcalc.errors import CodedError
from costcalc.messages.text import text
from costcalc.names import RESULTS_SUFFIXES

# Arguments that name files a command reads.
_INPUT_ARGS = (
    "file",
    "plan_file",
    "files",
    "requests",
    "shared_file",
    "unique_file",
    "pricing",
    "hit_rate_from",
    "submitted",  # actual --batch REQUESTS
)
_GLOB = set("*?[")


def _inputs(args: argparse.Namespace) -> list[Path]:
    found: list[Path] = []
    for name in _INPUT_ARGS:
        value = getattr(args, name, None)
        if isinstance(value, list):
            found.extend(v for v in value if isinstance(v, Path))
        elif isinstance(value, Path):
            found.append(value)
    for key in getattr(args, "group_by", None) or ():
        if isinstance(key, str) and key.startswith("tags:"):
            found.append(Path(key[len("tags:") :]))
    # `-` stays: standard input may be redirected from the very file --out names
    # (`check - --out x.jsonl < x.jsonl`).
    return [named for p in found for named in _named_by(p)]


def _named_by(path: Path) -> list[Path]:
    """`path` and, for a directory or a glob the shell did not expand, every file in it or
    matched by it: the output must not replace a file the command may read (a results file
    the API no longer keeps after 29 days)."""
    text = str(path)
    if text == "-":
        return [path]
    try:
        if os.path.isdir(text):
            return [path, *(p for p in path.iterdir() if p.name.endswith(RESULTS_SUFFIXES))]
        if _GLOB & set(text) and not os.path.exists(text):
            return [path, *(Path(m) for m in glob.glob(text, recursive=True))]
    except OSError:
        pass  # an unreadable directory is named by the command that reads it
    return [path]


def guard_output(args: argparse.Namespace) -> None:
    """Refuse a bad --out (or --chart) before any work is done."""
    inputs = _inputs(args)
    for name in ("out", "chart", "problem_lines"):
        target = getattr(args, name, None)
        if isinstance(target, Path):
            check_target(target, inputs, "--" + name.replace("_", "-"))


def check_target(
    path: Path,
    inputs: list[Path] = (),  # type: ignore[assignment]
    option: str = "--out",
) -> None:
    """Raise CostcalcError unless `path` may be replaced by costcalc's output (given with
    `option`, which the message names)."""
    if str(path) == "-":
        raise CodedError("output_dash", option=option)
    try:
        st = os.lstat(path)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise CodedError("output_unwritable", path=str(path), reason=exc.strerror) from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise CodedError("output_is_symlink", path=str(path))
        if not stat.S_ISREG(st.st_mode):
            raise CodedError(
                "output_not_regular",
                path=str(path),
                is_dir=stat.S_ISDIR(st.st_mode),
                option=option,
            )
        if not _writable(path):
            # The rename would replace it all the same; a shell redirect refuses, so do we.
            raise CodedError("output_read_only", path=str(path))
        for source in inputs:
            try:
                other = os.fstat(sys.stdin.fileno()) if str(source) == "-" else os.stat(source)
            except (OSError, ValueError, AttributeError):
                continue  # no standard input (closed, or replaced by an object without a file)
            if (other.st_dev, other.st_ino) == (st.st_dev, st.st_ino):
                shown = text("place.standard_input") if str(source) == "-" else str(source)
                raise CodedError("output_is_input", path=str(path), source=shown)
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        raise CodedError("output_dir_missing", path=str(path), parent=str(parent))


def _writable(path: Path) -> bool:
    """Whether this user may write `path` itself, by the rule the kernel applies to open()
    (root may write a read-only file, as its shell redirect would)."""
    return os.access(path, os.W_OK)


def _new_file_mode(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


class _Terminated(SystemExit):
    pass


def _exit_on_signal(signum: int, frame: object) -> None:  # pragma: no cover - in a subprocess
    # Unwind like an exception so that every `finally` (the temp file's removal) runs.
    raise _Terminated(128 + signum)


@contextmanager
def signals_unwind() -> Iterator[None]:
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    names = ("SIGTERM", "SIGHUP")
    saved = {}
    for name in names:
        sig = getattr(signal, name, None)
        if sig is not None and signal.getsignal(sig) in (signal.SIG_DFL, None):
            saved[sig] = signal.signal(sig, _exit_on_signal)
    try:
        yield
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


@contextmanager
def atomic_files(paths: Sequence[Path], binary: bool = False) -> Iterator[list[IO[Any]]]:
    """Text files that replace `paths` together when the block ends without an error. Each is
    written to its own temporary file and none is renamed until every one is written, so an
    error in any (or Ctrl-C, SIGTERM) removes them all and leaves every path untouched."""
    import tempfile

    for path in paths:
        check_target(path)
    staged: list[tuple[str, Path]] = []
    every = " and ".join(str(path) for path in paths)  # an error not tied to one of them
    with signals_unwind():
        try:
            with _naming(every), ExitStack() as stack:
                files: list[IO[Any]] = []
                for path in paths:
                    directory = path.parent if str(path.parent) else Path(".")
                    with _naming(path):
                        fd, tmp = tempfile.mkstemp(
                            prefix=f".{path.name}.", suffix=".tmp", dir=directory
                        )
                    staged.append((tmp, path))
                    opened = (
                        os.fdopen(fd, "wb")
                        if binary
                        else os.fdopen(fd, "w", encoding="utf-8", newline="")
                    )
                    files.append(stack.enter_context(opened))
                yield files
                for f, path in zip(files, paths):
                    with _naming(path):
                        f.flush()
                        os.fchmod(f.fileno(), _new_file_mode(path))
            for path in paths:
                check_target(path)  # nothing was put there while we wrote
            # Renames in the same directory: after the checks above, all or (in practice) none.
            for tmp, path in staged:
                with _naming(path):
                    os.replace(tmp, path)
        finally:
            for tmp, _ in staged:
                if os.path.lexists(tmp):
                    os.unlink(tmp)


@contextmanager
def _naming(path: Path | str) -> Iterator[None]:
    """An OSError while writing `path` becomes the one-line error that names it."""
    try:
        yield
    except OSError as exc:
        raise CodedError("output_unwritable", path=str(path), reason=exc.strerror) from None


@contextmanager
def atomic_file(path: Path) -> Iterator[IO[str]]:
    """A text file that replaces `path` when the block ends without an error; on an error,
    Ctrl-C or SIGTERM the temporary file is removed and `path` is untouched."""
    with atomic_files([path]) as (f,):
        yield f


def write_bytes(path: Path, data: bytes) -> None:
    """Write all of `data` to `path` or nothing (a workbook)."""
    with atomic_files([path], binary=True) as (f,):
        f.write(data)


def write_text(path: Path, text: str) -> None:
    """Write the whole text to `path` or nothing."""
    with atomic_file(path) as f:
        f.write(text)
