"""Horizontal bar charts of an audit report, drawn on the server as SVG geometry (as
lantern/risk/charts.py draws the risk level chart: no JavaScript, no styles, presentation
attributes only; matplotlib is not used).

A bar may be split into segments (completed, nil return, not returned; or the four grades).
Each segment's colour differs in lightness as well as hue and carries its value as a title, and
every chart is shown with its data table beside it, so nothing depends on colour alone. The SVG
carries a text description for screen readers.
"""

import math
from dataclasses import dataclass

from django.template.loader import render_to_string

ROW, GAP, TOP, BOTTOM = 26, 8, 10, 30
LEFT, WIDTH, RIGHT = 300, 780, 170
LABEL_CHARS = 46
# GOV.UK colours, dark to light, so segments differ in lightness too.
COLOURS = ("#1d70b8", "#85994b", "#f47738", "#d4351c", "#505a5f")


@dataclass(frozen=True)
class Segment:
    x: float
    width: float
    colour: str
    title: str


@dataclass(frozen=True)
class Bar:
    label: str
    y: float
    text: str  # the figure shown at the end of the bar
    text_x: float
    segments: tuple


@dataclass(frozen=True)
class BarChart:
    title: str
    description: str
    width: int
    height: int
    left: int
    right_edge: int
    bottom_edge: float
    bars: tuple
    ticks: tuple  # (x, label)
    legend: tuple  # (name, colour)


def _nice_step(top: float) -> float:
    """A round step of about a quarter of `top` (1, 2, 2.5 or 5 times a power of ten), so the
    scale reads 0, 250, 500 ... rather than 0, 249, 498 ..."""
    rough = top / 4
    power = 10 ** math.floor(math.log10(rough))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)


def _short(label: str) -> str:
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def bar_chart(*, title: str, rows, series: tuple = ("",), maximum: float | None = None, unit: str = "") -> BarChart:
    """`rows`: (label, values, text) for each bar, `values` one number per name in `series`
    (stacked in that order), `text` what is written after the bar. `maximum` is the scale's end
    (the largest total when not given); `unit` follows the tick labels ("%")."""
    rows = list(rows)
    largest = max((sum(values) for _, values, _ in rows), default=0)
    top = maximum if maximum is not None else 4 * _nice_step(largest or 1)
    plot = WIDTH - LEFT - RIGHT
    bars, sentences = [], []
    for index, (label, values, text) in enumerate(rows):
        y = TOP + index * (ROW + GAP)
        x = float(LEFT)
        segments = []
        for name, value, colour in zip(series, values, COLOURS):
            width = round(plot * value / top, 1)
            if value:
                segments.append(Segment(x=round(x, 1), width=max(width, 1.0), colour=colour, title=f"{label}: {name + ' ' if name else ''}{value}"))
            x += width
        bars.append(Bar(label=_short(label), y=y, text=text, text_x=round(x + 6, 1), segments=tuple(segments)))
        sentences.append(f"{label}: {text}.")
    bottom = TOP + len(rows) * (ROW + GAP)
    ticks = tuple((round(LEFT + plot * n / 4, 1), f"{round(top * n / 4):g}{unit}") for n in range(5))
    legend = tuple((name, colour) for name, colour in zip(series, COLOURS)) if len(series) > 1 else ()
    return BarChart(
        title=title, description=f"{title}. " + " ".join(sentences) + " The same figures are in the table beside the chart.",
        width=WIDTH, height=bottom + BOTTOM, left=LEFT, right_edge=LEFT + plot, bottom_edge=bottom, bars=tuple(bars),
        ticks=ticks, legend=legend,
    )


def chart_svg(chart: BarChart) -> str:
    """The chart as SVG markup (autoescaped: labels are text)."""
    return render_to_string("audits/report_chart.html", {"chart": chart})
