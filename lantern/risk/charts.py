"""The step chart of a child's risk levels over time, drawn on the server as SVG geometry.

No JavaScript and no styles (the content security policy allows neither inline): the template
draws the lines with SVG presentation attributes. Each kind has its own colour, dash pattern
and marker, so the chart does not depend on colour alone; a data table of the same history
goes beside it, and the SVG carries a text description for screen readers.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.dateformat import format as format_date

from .models import Level, RiskKind

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 150, 20, 15, 40
STYLES = {
    RiskKind.SEXUAL: {"colour": "#1d70b8", "dash": "", "marker": "circle"},
    RiskKind.CRIMINAL: {"colour": "#d4351c", "dash": "8 4", "marker": "square"},
    RiskKind.RISK_TO_OTHERS: {"colour": "#4c2c92", "dash": "2 4", "marker": "diamond"},
}


@dataclass
class Series:
    kind: str
    label: str
    colour: str
    dash: str
    marker: str
    path: str
    points: list = field(default_factory=list)  # (x, y, title)


@dataclass
class StepChart:
    width: int
    height: int
    left: int
    right_edge: int
    bottom_edge: int
    y_axis: list  # (y, label)
    x_axis: list  # (x, label, text-anchor)
    series: list
    description: str


def _local_date(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def level_step_chart(history, *, today: dt.date) -> StepChart | None:
    """`history`: the child's decisions, oldest first. None when there is nothing to draw."""
    if not history:
        return None
    first = _local_date(history[0].decided_at)
    start = min(first, today - dt.timedelta(days=30))
    span = max((today - start).days, 1)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    step = plot_height / (len(Level.values) - 1)

    def x(day: dt.date) -> float:
        return round(LEFT + plot_width * (day - start).days / span, 1)

    heights = {level: round(TOP + (len(Level.values) - 1 - rank) * step, 1) for rank, level in enumerate(Level.values)}

    def y(level: str) -> float:
        return heights[level]

    series, sentences = [], []
    for kind in RiskKind:
        decisions = [d for d in history if d.kind == kind]
        if not decisions:
            continue
        style = STYLES[kind]
        parts, points, words = [], [], []
        for index, decision in enumerate(decisions):
            day = _local_date(decision.decided_at)
            px, py = x(day), y(decision.level)
            parts.append(f"M {px} {py}" if index == 0 else f"H {px} V {py}")
            label = decision.get_level_display()
            points.append((px, py, f"{kind.label}: {label} from {format_date(day, 'j F Y')}"))
            words.append(f"{label.lower()} from {format_date(day, 'j F Y')}")
        parts.append(f"H {x(today)}")
        series.append(Series(kind=kind.value, label=kind.label, path=" ".join(parts), points=points, **style))
        sentences.append(f"{kind.label}: {', then '.join(words)}.")
    x_axis = []
    for n in range(5):
        day = start + dt.timedelta(days=round(span * n / 4))
        label = format_date(day, "M Y")
        if not x_axis or x_axis[-1][1] != label:
            x_axis.append((x(day), label, "end" if n == 4 else "middle"))
    y_axis = [(y(level.value), level.label) for level in Level]
    description = "Risk levels over time. " + " ".join(sentences) + " The same history is in the table below the chart."
    return StepChart(
        width=WIDTH, height=HEIGHT, left=LEFT, right_edge=WIDTH - RIGHT, bottom_edge=HEIGHT - BOTTOM,
        y_axis=y_axis, x_axis=x_axis, series=series, description=description,
    )
