"""SVG horizontal bar charts for the HTML report: a stacked bar per group by token class, billed
against standard, and a cache hit rate per group.

Drawn by hand the way chart.py draws its line charts (its scale, tick and pixel helpers; no
plotting library). Each token class has a hatch pattern as well as a colour, so the chart reads
in greyscale and on paper; every segment has a <title> with its exact figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from html import escape

from costcalc import fmt
from costcalc.messages.text import text
from costcalc.present.chart import COLOURS, _money_tick, _px, nice_ceiling

ROW, GAP, LEFT, TOP, PLOT_W = Decimal(22), Decimal(8), Decimal(230), Decimal(44), Decimal(470)
LEGEND_W = Decimal(200)
NAME_CHARS = 32  # a label longer than this is cut on the chart (the table has it whole)
# One hatch per series: angle of its lines (None: solid), for a colourless reading.
HATCHES = (None, 45, -45, 0, 90, None)


def _name(text: str) -> str:
    return text if len(text) <= NAME_CHARS else text[: NAME_CHARS - 1] + "…"


def _defs(series: Sequence[str]) -> str:
    out = ["<defs>"]
    for i, _ in enumerate(series):
        angle = HATCHES[i % len(HATCHES)]
        colour = COLOURS[i % len(COLOURS)]
        if angle is None:
            continue
        out.append(
            f'<pattern id="hatch{i}" width="6" height="6" patternUnits="userSpaceOnUse" '
            f'patternTransform="rotate({angle})"><rect width="6" height="6" fill="{colour}"/>'
            f'<line x1="0" y1="0" x2="0" y2="6" stroke="white" stroke-width="2"/></pattern>'
        )
    out.append("</defs>")
    return "".join(out)


def _fill(i: int) -> str:
    return f"url(#hatch{i})" if HATCHES[i % len(HATCHES)] is not None else COLOURS[i % len(COLOURS)]


def _frame(title: str, rows: int, legend: Sequence[str]) -> tuple[list[str], Decimal]:
    height = TOP + rows * (ROW + GAP) + Decimal(40)
    height = max(height, TOP + len(legend) * 18 + 20)
    width = LEFT + PLOT_W + (LEGEND_W if legend else Decimal(60))  # room for "100.0%"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {_px(height)}" '
        f'width="{width}" height="{_px(height)}" font-family="sans-serif" font-size="12" '
        f'role="img">',
        f"<title>{escape(title)}</title>",
        _defs(legend),
        f'<rect width="{width}" height="{_px(height)}" fill="white"/>',
        f'<text x="10" y="24" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    for i, name in enumerate(legend):
        y = TOP + i * 18
        x = LEFT + PLOT_W + 16
        out.append(
            f'<rect x="{x}" y="{y}" width="14" height="12" fill="{_fill(i)}" stroke="#333" '
            f'stroke-width="0.5"/><text x="{x + 20}" y="{y + 10}">{escape(name)}</text>'
        )
    return out, height


def _axis(
    out: list[str], rows: int, ticks: Sequence[Decimal], tick_text: Callable[[Decimal], str]
) -> None:
    bottom = TOP + rows * (ROW + GAP)
    for value in ticks:
        x = _px(LEFT + value / ticks[-1] * PLOT_W)
        out.append(f'<line x1="{x}" x2="{x}" y1="{TOP - 4}" y2="{_px(bottom)}" stroke="#ddd"/>')
        out.append(
            f'<text x="{x}" y="{_px(bottom + 16)}" text-anchor="middle">'
            f"{escape(tick_text(value))}</text>"
        )


def _ticks(top: Decimal) -> list[Decimal]:
    y_max = nice_ceiling(top) if top > 0 else Decimal(1)
    return [y_max * k / 5 for k in range(6)]


def _label(out: list[str], y: Decimal, name: str) -> None:
    out.append(
        f'<text x="{LEFT - 8}" y="{_px(y + ROW / 2)}" text-anchor="end" '
        f'dominant-baseline="middle"><title>{escape(name)}</title>{escape(_name(name))}</text>'
    )


def stacked_bars(
    title: str, names: Sequence[str], series: Sequence[str], values: Sequence[Sequence[Decimal]]
) -> str:
    """One bar per name, its segments `values[row][series]` (USD) stacked left to right."""
    top = max((sum(row, Decimal(0)) for row in values), default=Decimal(0))
    ticks = _ticks(top)
    out, _ = _frame(title, len(names), series)
    _axis(out, len(names), ticks, _money_tick)
    for r, (name, row) in enumerate(zip(names, values)):
        y = TOP + r * (ROW + GAP)
        _label(out, y, name)
        x = LEFT
        for i, v in enumerate(row):
            if not v:
                continue
            w = v / ticks[-1] * PLOT_W
            out.append(
                f'<rect x="{_px(x)}" y="{_px(y)}" width="{_px(w)}" height="{ROW}" '
                f'fill="{_fill(i)}" stroke="#333" stroke-width="0.5"><title>'
                f"{escape(name)}: {escape(series[i])} {escape(fmt.usd_auto(v))}</title></rect>"
            )
            x += w
    out.append("</svg>")
    return "\n".join(out) + "\n"


def paired_bars(
    title: str, names: Sequence[str], billed: Sequence[Decimal], standard: Sequence[Decimal]
) -> str:
    """Per name, what was billed (solid) over what standard rates would have cost (outline)."""
    top = max((*billed, *standard), default=Decimal(0))
    ticks = _ticks(top)
    legend = (text("chart.billed"), text("chart.at_standard"))
    billed_words, standard_words = (escape(words) for words in legend)
    out, _ = _frame(title, len(names), legend)
    # The legend's second entry is an outline, like its bars.
    out.append(
        f'<rect x="{LEFT + PLOT_W + 16}" y="{TOP + 18}" width="14" height="12" fill="white" '
        f'stroke="#333" stroke-dasharray="3 2"/>'
    )
    _axis(out, len(names), ticks, _money_tick)
    for r, name in enumerate(names):
        y = TOP + r * (ROW + GAP)
        _label(out, y, name)
        ws = standard[r] / ticks[-1] * PLOT_W
        wb = billed[r] / ticks[-1] * PLOT_W
        out.append(
            f'<rect x="{LEFT}" y="{_px(y)}" width="{_px(ws)}" height="{ROW}" fill="white" '
            f'stroke="#333" stroke-dasharray="3 2"><title>{escape(name)}: {standard_words} '
            f"{escape(fmt.usd_auto(standard[r]))}</title></rect>"
        )
        out.append(
            f'<rect x="{LEFT}" y="{_px(y + 4)}" width="{_px(wb)}" height="{ROW - 8}" '
            f'fill="{COLOURS[0]}"><title>{escape(name)}: {billed_words} '
            f"{escape(fmt.usd_auto(billed[r]))}</title></rect>"
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"


def rate_bars(title: str, names: Sequence[str], rates: Sequence[Decimal | None]) -> str:
    """A bar per name from 0 to 100%; a name without cached tokens says so instead."""
    ticks = [Decimal(k * 20) for k in range(6)]
    out, _ = _frame(title, len(names), ())
    _axis(out, len(names), ticks, lambda v: f"{v}%")
    no_rate = escape(text("chart.no_cached_tokens"))
    for r, (name, rate) in enumerate(zip(names, rates)):
        y = TOP + r * (ROW + GAP)
        _label(out, y, name)
        if rate is None:
            out.append(
                f'<text x="{LEFT + 4}" y="{_px(y + ROW / 2)}" dominant-baseline="middle">'
                f"{no_rate}</text>"
            )
            continue
        shown = fmt.pct(rate * 100)
        out.append(
            f'<rect x="{LEFT}" y="{_px(y)}" width="{_px(rate * PLOT_W)}" height="{ROW}" '
            f'fill="{COLOURS[2]}"><title>{escape(name)}: {shown}</title></rect>'
            f'<text x="{_px(LEFT + rate * PLOT_W + 4)}" y="{_px(y + ROW / 2)}" '
            f'dominant-baseline="middle">{shown}</text>'
        )
    out.append("</svg>")
    return "\n".join(out) + "\n"
