"""`costcalc tokens` as a table: the tokens of each file, by tokenizer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from costcalc import fmt
from costcalc.compute.outcomes import TokensResult
from costcalc.messages.text import text
from costcalc.present.grid import Row, grid
from costcalc.tokens.bands import band_text

if TYPE_CHECKING:
    from costcalc.tokens.count import Column
    from costcalc.tokens.count import Row as TokenRow


def tokens_view(
    rows: list[TokenRow], total: TokenRow, columns: list[Column], distinct: int
) -> RenderableType:
    def cells(r: TokenRow) -> list[str]:
        return [
            r.label,
            fmt.tokens(r.size),
            fmt.tokens(r.cl100k),
            r.kind,
            *(band_text(b) for b in r.counts),
        ]

    body: list[Row] = [(cells(r), False) for r in rows]
    body[-1] = (body[-1][0], True)
    body.append((cells(total), False))
    columns_spec = [
        (text("tokens.col_file"), "left"),
        (text("tokens.col_bytes"), "right"),
        ("cl100k", "right"),
        (text("tokens.col_kind"), "left"),
        *((c.label, "right") for c in columns),
    ]
    note = Text()
    for c in columns:
        t = c.tokenizer
        if c.model_id:
            note.append(f"{text('tokens.exact', label=c.label)}\n")
        else:
            kinds = "; ".join(
                f"{k} {fmt.plain(lo)}-{fmt.plain(hi)}" for k, (lo, _, hi) in t.by_kind.items()
            )
            estimated = text(
                "tokens.estimated",
                label=c.label,
                kinds=kinds,
                low=fmt.plain(t.low),
                high=fmt.plain(t.high),
                description=t.description,
            )
            note.append(f"{estimated}\n")
    note.append(text("tokens.summary", files=len(rows), distinct=distinct))
    return Group(grid(text("tokens.title"), columns_spec, body, highlight=len(body) - 1), "", note)


def tokens_table(result: TokensResult) -> RenderableType:
    return tokens_view(result.rows, result.total, result.columns, result.distinct)
