"""The English of coded errors raised by commands/, cli/ and presenters:
one line naming the problem and the fix."""

from __future__ import annotations

from collections.abc import Callable

from costcalc.messages.common import F

ERRORS: dict[str, Callable[[F], str]] = {}
