"""Spreadsheet formulas that repeat the engine's arithmetic, as text (no spreadsheet library).

A workbook (--format xlsx) keeps its costs live: every total is a formula over input cells, so
a planner who edits the request count or the hit rate gets what `costcalc estimate` would print
for the new inputs. The rules written here are the engine's and the planner's, restated:

- A request whose prompt (shared + unique tokens) is over a prompt-length tier's threshold pays
  that tier's row on every class; otherwise the standard row in force on the pricing date (a
  dated row is chosen when the workbook is written). US-only inference multiplies every class.
- The write rate is the 5-minute or the 1-hour one, by the `ttl` cell ("5m" or "1h").
- Caching applies only when the shared prefix reaches the model's minimum cacheable length;
  then W requests write it and N - W read it; the unique part and the output are never cached.
- Batched scenarios multiply every class by the batch multiplier (0.5).
- With a hit rate R, round(R x N) requests read (half up) and the rest write, at least one.
- Batches: the fewest that respect both the request and the size limit (ceil), with a
  request's size its shared plus unique bytes.

Formulas use cell references or workbook names given by the caller, in the US-English syntax
that XLSX files store (commas between arguments).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from costcalc.messages.text import text

CLASSES = ("input", "cache_write_5m", "cache_write_1h", "cache_read", "output")
MILLION = "1000000"


def cell(row: int, col: int, sheet: str | None = None) -> str:
    """An absolute A1 reference to a zero-based (row, col), optionally on `sheet`."""
    letters = ""
    n = col + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    ref = f"${letters}${row + 1}"
    return f"'{sheet}'!{ref}" if sheet else ref


def relative(row: int, col: int) -> str:
    """A relative A1 reference (for formulas that read their own row)."""
    return cell(row, col).replace("$", "")


@dataclass(frozen=True)
class PriceBlock:
    """Where one model's rates sit on the Prices sheet: the standard row (per class), the
    prompt-length tiers in effect as (threshold cell, row), the batch multiplier and the
    minimum cacheable prefix."""

    standard: Mapping[str, str]
    tiers: tuple[tuple[str, Mapping[str, str]], ...]
    batch_multiplier: str
    min_cache_tokens: str


def rate(block: PriceBlock, token_class: str, prompt: str, us: str | None = None) -> str:
    """The rate of `token_class` for a request of `prompt` tokens: the first tier whose
    threshold it is over, else the standard row; times the US multiplier when given."""
    expr = block.standard[token_class]
    for threshold, row in reversed(block.tiers):
        expr = f"IF({prompt}>{threshold},{row[token_class]},{expr})"
    return f"{expr}*{us}" if us else expr


def write_rate(ttl: str, rate_5m: str, rate_1h: str) -> str:
    return f'IF({ttl}="1h",{rate_1h},{rate_5m})'


def writes_for_hit_rate(requests: str, hit_rate: str) -> str:
    """Cache writes when round(hit rate x requests) requests read: at least one write."""
    return f"MAX({requests}-ROUND({hit_rate}*{requests},0),MIN({requests},1))"


@dataclass(frozen=True)
class Workload:
    """References (or names) of one workload's inputs and of the rates it pays."""

    requests: str
    shared: str
    unique: str
    output: str
    writes: str
    rate_input: str
    rate_write: str
    rate_read: str
    rate_output: str
    caching: str  # a cell that is TRUE when the prefix is long enough to cache


def tokens(w: Workload, cached: bool) -> dict[str, str]:
    """Token counts per line (input, write, read, output) of a scenario."""
    uncached = f"{w.requests}*({w.shared}+{w.unique})"
    if not cached:
        return {"input": uncached, "write": "0", "read": "0", "output": f"{w.requests}*{w.output}"}
    return {
        "input": f"IF({w.caching},{w.requests}*{w.unique},{uncached})",
        "write": f"IF({w.caching},{w.writes}*{w.shared},0)",
        "read": f"IF({w.caching},({w.requests}-{w.writes})*{w.shared},0)",
        "output": f"{w.requests}*{w.output}",
    }


def line_cost(token_count: str, rate_ref: str, factor: str | None) -> str:
    scaled = f"{rate_ref}*{factor}" if factor else rate_ref
    return f"{token_count}*{scaled}/{MILLION}"


def total(w: Workload, cached: bool, factor: str | None, writes: str | None = None) -> str:
    """One scenario's total in USD; `writes` overrides the workload's cache writes (the
    cache-hit range prices other write counts)."""
    if writes is not None:
        w = Workload(**{**w.__dict__, "writes": writes})
    counts = tokens(w, cached)
    rates = {
        "input": w.rate_input,
        "write": w.rate_write,
        "read": w.rate_read,
        "output": w.rate_output,
    }
    parts = [line_cost(f"({counts[k]})", rates[k], factor) for k in counts if counts[k] != "0"]
    return "+".join(parts)


def break_even(rate_input: str, rate_write: str, rate_read: str) -> str:
    """Hit rate above which caching beats no caching: (write - input) / (write - read);
    0 when a write costs no more than input, the word for "never" (book.never, as the value
    written beside it) when a write costs no more than a read."""
    never = _string(text("book.never"))
    return (
        f"IF({rate_write}<={rate_input},0,IF({rate_write}<={rate_read},{never},"
        f"({rate_write}-{rate_input})/({rate_write}-{rate_read})))"
    )


def _string(words: str) -> str:
    """Words as a formula's string constant: in double quotes, a quote inside written twice (the
    formula grammar of ECMA-376 Part 1,
    https://ecma-international.org/publications-and-standards/standards/ecma-376/)."""
    return '"' + words.replace('"', '""') + '"'


def batches(requests: str, request_bytes: str, max_requests: str, max_bytes: str) -> str:
    """Fewest batches under both limits: ceil(requests / capacity), where capacity is the
    smaller of the request limit and how many requests of this size fit the byte limit."""
    by_size = f"IF({request_bytes}>0,INT({max_bytes}/{request_bytes}),{max_requests})"
    return f"ROUNDUP({requests}/MIN({max_requests},{by_size}),0)"
