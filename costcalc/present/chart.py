"""SVG line charts of a sweep: cost against the swept parameter, one line per scenario.

Written by hand rather than with a plotting library: a line chart is a few dozen SVG elements,
and this keeps the package small and its start-up fast. Coordinates are computed in Decimal
(no float touches a price) and rounded to 0.1 px only when written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal
from html import escape

from costcalc import fmt
from costcalc.compute.planning import SweepPoint
from costcalc.errors import CodedError
from costcalc.messages.text import text

WIDTH, HEIGHT = Decimal(780), Decimal(440)
LEFT, RIGHT, TOP, BOTTOM = Decimal(110), Decimal(190), Decimal(50), Decimal(60)
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f")
DASHES = ("", "6 4", "2 3", "10 3 2 3")
# The words of each swept parameter a chart can be drawn against, by code.
LABELS = {
    "requests": "chart.sweep.requests",
    "shared": "chart.sweep.shared",
    "unique": "chart.sweep.unique",
    "output": "chart.sweep.output",
    "hit_rate": "chart.sweep.hit_rate",
}


def _px(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def nice_ceiling(value: Decimal) -> Decimal:
    """The smallest of 1, 2, 5 x 10^k that is >= value (value > 0)."""
    exponent = int(value.log10().to_integral_value(rounding=ROUND_FLOOR))
    for step in (1, 2, 5, 10):
        candidate = Decimal(step).scaleb(exponent)
        if candidate >= value:
            return candidate
    return Decimal(10).scaleb(exponent)  # pragma: no cover - 10 always qualifies


class _Plot:
    """Where values land on the plot: x by index, y by value, both linear or logarithmic.
    When x spans 100x or more both axes are logarithmic (cost grows in proportion to most
    swept parameters, so that draws straight lines)."""

    def __init__(
        self, x_values: Sequence[Decimal], series: Mapping[str, Sequence[Decimal]]
    ) -> None:
        self.w, self.h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
        ys = [v for values in series.values() for v in values]
        positive = all(x > 0 for x in x_values)
        self.log = positive and len(x_values) > 1 and max(x_values) >= 100 * min(x_values)
        self.xs = [x.log10() for x in x_values] if self.log else list(x_values)
        self.lo = min(self.xs)
        self.span = (max(self.xs) - self.lo) or Decimal(1)
        self.log_y = self.log and bool(ys) and all(v > 0 for v in ys)
        self.y_lo = self.y_hi = self.y_max = Decimal(0)
        if self.log_y:
            self.y_lo = min(ys).log10().to_integral_value(rounding=ROUND_FLOOR)
            y_hi = max(ys).log10().to_integral_value(rounding=ROUND_CEILING)
            self.y_hi = max(y_hi, self.y_lo + 1)
            self.ticks = [Decimal(1).scaleb(e) for e in range(int(self.y_lo), int(self.y_hi) + 1)]
        else:
            top = max(ys, default=Decimal(0))
            self.y_max = nice_ceiling(top) if top > 0 else Decimal(1)
            self.ticks = [self.y_max * k / 5 for k in range(6)]

    def x_px(self, i: int) -> Decimal:
        return LEFT + (self.xs[i] - self.lo) / self.span * self.w

    def y_px(self, v: Decimal) -> Decimal:
        if self.log_y:
            return TOP + self.h - (v.log10() - self.y_lo) / (self.y_hi - self.y_lo) * self.h
        return TOP + self.h - v / self.y_max * self.h


def _axes(plot: _Plot, x_label: str, x_text: Sequence[str]) -> list[str]:
    """The grid lines, the tick labels and the axis titles."""
    plot_w, plot_h = plot.w, plot.h
    out = []
    for value in plot.ticks:
        y = _px(plot.y_px(value))
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y}" y2="{y}" stroke="#ddd"/>')
        out.append(
            f'<text x="{LEFT - 8}" y="{y}" text-anchor="end" dominant-baseline="middle">'
            f"{escape(_money_tick(value))}</text>"
        )
    for i, label in enumerate(x_text):
        x = _px(plot.x_px(i))
        out.append(f'<line x1="{x}" x2="{x}" y1="{TOP}" y2="{TOP + plot_h}" stroke="#eee"/>')
        out.append(
            f'<text x="{x}" y="{TOP + plot_h + 18}" text-anchor="middle">{escape(label)}</text>'
        )
    x_title = text("chart.x_axis", label=x_label, log=plot.log, log_y=plot.log_y)
    out.append(
        f'<text x="{_px(LEFT + plot_w / 2)}" y="{HEIGHT - 16}" text-anchor="middle">'
        f"{escape(x_title)}</text>"
    )
    out.append(
        f'<text x="20" y="{_px(TOP + plot_h / 2)}" text-anchor="middle" '
        f'transform="rotate(-90 20 {_px(TOP + plot_h / 2)})">'
        f"{escape(text('chart.y_axis'))}</text>"
    )
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="#888"/>'
    )
    return out


def _series(
    plot: _Plot, series: Mapping[str, Sequence[Decimal]], styles: Sequence[tuple[int, int]]
) -> list[str]:
    """One line per series, a dot per value, and the legend beside the plot."""
    out = []
    for n, (name, values) in enumerate(series.items()):
        colour_at, dash_at = styles[n] if styles else (n, 0)
        colour = COLOURS[colour_at % len(COLOURS)]
        dash = DASHES[dash_at % len(DASHES)]
        points = " ".join(f"{_px(plot.x_px(i))},{_px(plot.y_px(v))}" for i, v in enumerate(values))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        out.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2"{dash_attr} '
            f'points="{points}"><title>{escape(name)}</title></polyline>'
        )
        for i, v in enumerate(values):
            out.append(
                f'<circle cx="{_px(plot.x_px(i))}" cy="{_px(plot.y_px(v))}" r="3" fill="{colour}">'
                f"<title>{escape(name)}: {escape(fmt.usd_auto(v))}</title></circle>"
            )
        ly = TOP + 10 + n * 18
        lx = LEFT + plot.w + 16
        out.append(
            f'<line x1="{lx}" x2="{lx + 22}" y1="{ly}" y2="{ly}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
        )
        out.append(f'<text x="{lx + 28}" y="{ly}" dominant-baseline="middle">{escape(name)}</text>')
    return out


def line_chart(
    title: str,
    x_label: str,
    x_values: Sequence[Decimal],
    series: Mapping[str, Sequence[Decimal]],
    x_text: Sequence[str],
    styles: Sequence[tuple[int, int]] = (),
) -> str:
    """An SVG line chart. When x spans 100x or more both axes are logarithmic (cost grows in
    proportion to most swept parameters, so that draws straight lines)."""
    # The legend needs about 7 px a character beside the plot.
    right = max(RIGHT, Decimal(50 + 7 * max((len(name) for name in series), default=0)))
    width = LEFT + (WIDTH - LEFT - RIGHT) + right
    plot = _Plot(x_values, series)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {HEIGHT}" '
        f'width="{width}" height="{HEIGHT}" font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{HEIGHT}" fill="white"/>',
        f'<text x="{LEFT}" y="28" font-size="15" font-weight="bold">{escape(title)}</text>',
        *_axes(plot, x_label, x_text),
        *_series(plot, series, styles),
        "</svg>",
    ]
    return "\n".join(out) + "\n"


def _money_tick(value: Decimal) -> str:
    return fmt.usd(value, 0) if value >= 10 or not value else fmt.usd_auto(value)


def sweep_chart(points: list[SweepPoint], names: list[str]) -> str:
    """Cost against the first numeric swept parameter; one line per scenario (and per value
    of the other swept parameter, if any)."""
    numeric = [n for n in names if n != "model"]
    if not numeric:
        raise CodedError("chart_needs_numeric")
    x_name = numeric[0]
    others = [n for n in names if n != x_name]
    x_values = list(dict.fromkeys(p.params[x_name] for p in points))
    other_values = list(dict.fromkeys(p.params[others[0]] for p in points)) if others else [None]
    scenario_names = [s.name for s in points[0].analysis.estimate.scenarios]
    series: dict[str, list[Decimal]] = {}
    styles: dict[str, tuple[int, int]] = {}
    for p in points:
        other = p.params[others[0]] if others else None
        for s in p.analysis.estimate.scenarios:
            name = s.name if other is None else f"{s.name}, {_label(other)}"
            series.setdefault(name, []).append(s.total)
            styles[name] = (scenario_names.index(s.name), other_values.index(other))
    x_label = text(LABELS[x_name])
    title = text("chart.sweep.title", x=x_label, by=others[0] if others else "")
    return line_chart(
        title,
        x_label,
        [Decimal(x) for x in x_values],
        series,
        [_label(x) for x in x_values],
        [styles[n] for n in series],
    )


def _label(value: object) -> str:
    if isinstance(value, int):
        return fmt.tokens(value)
    if isinstance(value, Decimal):
        return fmt.number(value)
    return str(value)
