"""The English of coded errors raised by the files and reading layers (files/, read/):
one line naming the problem and the fix."""

from __future__ import annotations

from collections.abc import Callable

from costcalc.messages.common import F

ERRORS: dict[str, Callable[[F], str]] = {}
