"""A figure over periods or across segments drawn inside its reply, so an earlier answer keeps its chart when the
next question is asked: a line over periods (bars across segments), the value axis starting at zero, each point's
figure as printed and its [n] in its tooltip, and under it the table of the cited points.

The chat's sanitizer keeps SVG but drops its viewBox, so every position is a percentage of the chart's box: the
chart stretches with the reply at any width."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from assistant.contract import phrases
from assistant.contract.types import Answer, Series
from ui.render import esc, marker

PERIOD = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")  # an x label naming a year ('FY2024', 'Q4 2025') is a period
SCALES = [(1e9, "billions"), (1e6, "millions"), (1e3, "thousands")]
COLOURS = ["#4f46e5", "#d97706", "#0d9488", "#db2777", "#475569", "#65a30d"]
HEIGHT = 230  # pixels
LEFT, RIGHT, TOP, BOTTOM = 13.0, 3.0, 9.0, 14.0  # the plot's margins, in percent of the chart's box


@dataclass
class Chart:
    """What the chart shows: its kind, the value of every (series, x) in the axis unit, and its titles."""

    kind: str  # 'line' | 'bar'
    series: list[Series]
    values: dict[tuple[str, str], float]  # (series label, x) -> value in the axis unit
    order: list[str]  # x values in the answer's order
    x_title: str
    unit: str  # the axis unit: 'USD billions', '%'
    title: str


def scale_of(series: list[Series]) -> tuple[float, str]:
    """The divisor and unit label for the value axis: 'USD billions' for money in the billions, '%' for percent."""
    unit = series[0].unit
    if unit == "percent":
        return 1.0, "%"
    largest = max((abs(p.value) for s in series for p in s.points), default=0.0)
    for divisor, word in SCALES:
        if largest >= divisor:
            return divisor, f"{unit} {word}"
    return 1.0, unit


def chart_of(answer: Answer) -> Chart | None:
    """The chart of an answer's series (None without any): a line when every x is a period, bars otherwise."""
    series = [s for s in answer.series if s.points]
    if not series:
        return None
    divisor, unit = scale_of(series)
    values = {(s.label, p.x): p.value / divisor for s in series for p in s.points}
    order = list(dict.fromkeys(p.x for s in series for p in s.points))
    over_time = len(order) > 1 and all(PERIOD.search(x) for x in order)
    kind = "line" if over_time or len(series) > 1 else "bar"  # several series would stack as bars
    title = series[0].label if len(series) == 1 else answer.question
    return Chart(kind, series, values, order, phrases.UI_PERIOD if over_time else phrases.UI_SEGMENT, unit, title)


def ticks(low: float, high: float) -> list[float]:
    """Round values for the axis from zero (or below it, for negative figures) past the largest figure."""
    low, high = min(0.0, low), max(0.0, high)
    if high == low:
        high = low + 1
    raw = (high - low) / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    return [round(i * step, 10) for i in range(first, last + 1)]


def _number(value: float, step: float) -> str:
    decimals = 0 if step >= 1 else min(3, math.ceil(-math.log10(step)))
    return f"{value:,.{decimals}f}"


def chart_html(answer: Answer, turn: int) -> str:
    """The chart and the table of its cited points, for the reply of turn `turn` ('' without a series)."""
    chart = chart_of(answer)
    if chart is None:
        return ""
    axis = ticks(min(chart.values.values()), max(chart.values.values()))
    low, high = axis[0], axis[-1]
    step = axis[1] - axis[0]
    width, height = 100 - LEFT - RIGHT, 100 - TOP - BOTTOM
    band = width / len(chart.order)

    def x_of(x: str) -> float:
        return LEFT + band * (chart.order.index(x) + 0.5)

    def y_of(value: float) -> float:
        return TOP + (high - value) / (high - low) * height

    parts = [f"<title>{esc(phrases.UI_CHART_UNIT.format(title=chart.title, unit=chart.unit))}</title>"]
    for tick in axis:
        colour = "#64748b" if tick == 0 else "#e2e8f0"
        parts.append(
            f'<line x1="{LEFT}%" x2="{100 - RIGHT}%" y1="{y_of(tick):.2f}%" y2="{y_of(tick):.2f}%" '
            f'stroke="{colour}" stroke-width="1"></line>'
            f'<text x="{LEFT - 1.5}%" y="{y_of(tick):.2f}%" dy="4" text-anchor="end" font-size="11" '
            f'fill="#64748b">{_number(tick, step)}</text>'
        )
    for x in chart.order:
        parts.append(
            f'<text x="{x_of(x):.2f}%" y="{100 - BOTTOM / 3:.2f}%" text-anchor="middle" font-size="11" '
            f'fill="#475569">{esc(x)}</text>'
        )
    single = len(chart.series) == 1
    for i, s in enumerate(chart.series):
        colour = COLOURS[i % len(COLOURS)]
        points = [(p, chart.values[(s.label, p.x)]) for p in s.points]
        if chart.kind == "bar":
            for p, value in points:
                top, bottom = sorted((y_of(value), y_of(0)))
                parts.append(
                    f'<rect x="{x_of(p.x) - band * 0.3:.2f}%" y="{top:.2f}%" width="{band * 0.6:.2f}%" '
                    f'height="{bottom - top:.2f}%" fill="{colour}" rx="2">{_tip(s, p)}</rect>'
                )
        else:
            for (a, va), (b, vb) in zip(points, points[1:]):
                parts.append(
                    f'<line x1="{x_of(a.x):.2f}%" y1="{y_of(va):.2f}%" x2="{x_of(b.x):.2f}%" '
                    f'y2="{y_of(vb):.2f}%" stroke="{colour}" stroke-width="2.5"></line>'
                )
            for p, value in points:
                parts.append(
                    f'<circle cx="{x_of(p.x):.2f}%" cy="{y_of(value):.2f}%" r="5" fill="{colour}" '
                    f'stroke="white" stroke-width="1.5">{_tip(s, p)}</circle>'
                )
        if single:
            for p, value in points:
                above = y_of(max(value, 0)) - 3.5
                parts.append(
                    f'<text x="{x_of(p.x):.2f}%" y="{above:.2f}%" text-anchor="middle" font-size="11" '
                    f'font-weight="600" fill="#1e293b">{_number(value, step / 100)}</text>'
                )
    legend = (
        ""
        if single
        else '<div class="chart-legend">'
        + "".join(
            f'<span><i style="background:{COLOURS[i % len(COLOURS)]}"></i>{esc(s.label)}</span>'
            for i, s in enumerate(chart.series)
        )
        + "</div>"
    )
    title = esc(phrases.UI_CHART_UNIT.format(title=chart.title[:1].upper() + chart.title[1:], unit=chart.unit))
    return (
        f'<figure class="chart"><figcaption>{title}</figcaption>{legend}'
        f'<svg class="chart-plot" width="100%" height="{HEIGHT}">{"".join(parts)}</svg>'
        f"{points_table(answer, turn, chart)}</figure>"
    )


def _tip(series: Series, point) -> str:
    tip = phrases.UI_CHART_POINT.format(series=series.label, x=point.x, text=point.text, n=point.citation)
    return f"<title>{esc(tip)}</title>"


def points_table(answer: Answer, turn: int, chart: Chart) -> str:
    """The cited points, one row per period or segment and one column per series: the value as printed and the
    [n] it was read from."""
    by_n = {c.n: c for c in answer.citations}
    cells = {
        (s.label, p.x): f"{esc(p.text)} {marker(turn, p.citation, by_n.get(p.citation))}"
        for s in chart.series
        for p in s.points
    }
    head = "".join(f"<th>{esc(s.label)}</th>" for s in chart.series)
    rows = "".join(
        f"<tr><td>{esc(x)}</td>"
        + "".join(f'<td class="num">{cells.get((s.label, x), "")}</td>' for s in chart.series)
        + "</tr>"
        for x in chart.order
    )
    return (
        f'<div class="table-scroll"><table class="points"><thead><tr><th>{esc(chart.x_title)}</th>{head}</tr>'
        f"</thead><tbody>{rows}</tbody></table></div>"
    )
