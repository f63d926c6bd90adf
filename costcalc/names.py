"""The stable names of token classes and scenarios (JSON and CSV carry their values). The words
people read for them are in costcalc/messages (`text("class.input")`).

The values follow the fields of Anthropic's usage object: `input` is uncached input only, as
`input_tokens` counts the tokens after the last cache breakpoint
(https://platform.claude.com/docs/en/build-with-claude/prompt-caching)."""

from __future__ import annotations

from enum import Enum


class _Name(str, Enum):
    """A str-valued enum that prints, formats and hashes as its value (StrEnum is 3.11+), so
    dicts keyed by the plain strings, f-strings, CSV and JSON all see the value."""

    def __str__(self) -> str:
        return str.__str__(self)

    def __format__(self, format_spec: str) -> str:
        return str.__format__(self, format_spec)


class TokenClass(_Name):
    INPUT = "input"
    CACHE_WRITE_5M = "cache_write_5m"
    CACHE_WRITE_1H = "cache_write_1h"
    CACHE_READ = "cache_read"
    OUTPUT = "output"


class Scenario(_Name):
    STANDARD = "standard"
    BATCH = "batch"
    CACHE = "cache"
    BATCH_CACHE = "batch_cache"


# In billing order: the order of every breakdown, table row and CSV column.
TOKEN_CLASSES: tuple[TokenClass, ...] = tuple(TokenClass)
SCENARIO_NAMES: tuple[Scenario, ...] = tuple(Scenario)

# The names a directory of results files is read by (actual results/).
RESULTS_SUFFIXES = (".jsonl", ".jsonl.txt", ".ndjson")
