"""`costcalc tokens` as a table: the tokens of each file, by tokenizer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.text import Text

from costcalc import fmt
from costcalc.compute.outcomes import TokensResult
from costcalc.present.cells import plural
from costcalc.present.grid import Row, grid

if TYPE_CHECKING:
    from costcalc.tokens.count import Column
    from costcalc.tokens.count import Row as TokenRow


def tokens_view(
    rows: list[TokenRow], total: TokenRow, columns: list[Column], distinct: int
) -> RenderableType:
    from costcalc.tokens.count import band_text

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
        ("File", "left"),
        ("Bytes", "right"),
        ("cl100k", "right"),
        ("Kind", "left"),
        *((c.label, "right") for c in columns),
    ]
    note = Text()
    for c in columns:
        t = c.tokenizer
        if c.model_id:
            note.append(f"{c.label}: exact, from Anthropic's count_tokens\n")
        else:
            kinds = "; ".join(
                f"{k} {fmt.plain(lo)}-{fmt.plain(hi)}" for k, (lo, _, hi) in t.by_kind.items()
            )
            note.append(
                f"{c.label}: estimated as cl100k_base x the ratio of each file's kind"
                f" ({kinds or 'one ratio'}; other text {fmt.plain(t.low)}-{fmt.plain(t.high)},"
                f" measured on sample texts); {t.description}\n"
            )
    note.append(
        f"{plural(len(rows), 'file')}, {plural(distinct, 'distinct text')} "
        "(identical texts counted once). Only count_tokens (--exact) is exact."
    )
    return Group(grid("Tokens per file", columns_spec, body, highlight=len(body) - 1), "", note)


def tokens_table(result: TokensResult) -> RenderableType:
    return tokens_view(result.rows, result.total, result.columns, result.distinct)
