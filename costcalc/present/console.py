"""The rich console every table is printed on: colour on a terminal, plain text in a pipe or
a file.
"""

from __future__ import annotations

from typing import IO

from rich.console import Console


def make_console(file: IO[str] | None = None, *, width: int | None = None) -> Console:
    """A console for stdout (colour when it is a terminal) or a plain one for a file."""
    if file is None:
        return Console(highlight=False, emoji=False)
    return Console(
        file=file,
        width=width or 100,
        color_system=None,
        force_terminal=False,
        highlight=False,
        emoji=False,
    )
