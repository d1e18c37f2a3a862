"""Series of an answer as a chart: a line over periods or bars across segments (Gradio's native plots read a pandas
DataFrame), and the table of the cited points beside it, each with its clickable [n]."""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.contract import phrases
from assistant.contract.types import Answer, Series
from ui.render import esc, marker

PERIOD = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")  # an x label naming a year ('FY2024', 'Q4 2025') is a period
SCALES = [(1e9, "billions"), (1e6, "millions"), (1e3, "thousands")]


@dataclass
class Chart:
    """What the plot shows: line (periods on x) or bar (segments on x), its rows and axis titles."""

    kind: str  # 'line' | 'bar'
    rows: list[dict]  # {series, x, value, text, source}
    order: list[str]  # x values in the answer's order
    x_title: str
    y_title: str
    title: str

    @property
    def several(self) -> bool:
        """More than one series: the plot tells them apart by colour."""
        return len({row["series"] for row in self.rows}) > 1


def scale_of(series: list[Series]) -> tuple[float, str]:
    """The divisor and unit label for the y axis: '$ billions' for money in the billions, '%' for percent."""
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
    titles = {c.n: c for c in answer.citations}
    rows, order = [], []
    for s in series:
        for p in s.points:
            cited = titles.get(p.citation)
            source = f"[{p.citation}] {cited.title}" + (f", p. {cited.page}" if cited and cited.page else "") \
                if cited else f"[{p.citation}]"
            rows.append({"series": s.label, "x": p.x, "value": round(p.value / divisor, 3), "text": p.text,
                         "source": source})
            if p.x not in order:
                order.append(p.x)
    over_time = len(order) > 1 and all(PERIOD.search(x) for x in order)
    kind = "line" if over_time or len(series) > 1 else "bar"  # several series would stack as bars
    title = series[0].label if len(series) == 1 else answer.question
    x_title = phrases.UI_PERIOD if over_time else phrases.UI_SEGMENT
    return Chart(kind, rows, order, x_title, f"{phrases.UI_VALUE} ({unit})", title)


def frame(chart: Chart):
    """The chart's rows as the DataFrame a native plot reads, its columns named as the reader sees them."""
    import pandas as pd

    names = {"x": chart.x_title, "value": "value", "series": phrases.UI_FIGURE, "text": phrases.UI_AS_PRINTED,
             "source": phrases.UI_SOURCE}
    return pd.DataFrame(chart.rows, columns=list(names)).rename(columns=names)


def points_table(answer: Answer, turn: int, chart: Chart) -> str:
    """The cited points, one row per period or segment and one column per series: the value as printed and the
    [n] it was read from."""
    by_n = {c.n: c for c in answer.citations}
    series = [s for s in answer.series if s.points]
    cells = {(s.label, p.x): f"{esc(p.text)} {marker(turn, p.citation, by_n.get(p.citation))}"
             for s in series for p in s.points}
    head = "".join(f"<th>{esc(s.label)}</th>" for s in series)
    rows = "".join(f"<tr><td>{esc(x)}</td>" + "".join(f'<td class="num">{cells.get((s.label, x), "")}</td>'
                                                     for s in series) + "</tr>" for x in chart.order)
    return (f'<table class="points"><thead><tr><th>{esc(chart.x_title)}</th>{head}</tr></thead>'
            f"<tbody>{rows}</tbody></table>")
