"""A small bar chart of a child's missing episodes per month over the last 12 months, drawn on
the server as SVG geometry (no script, no inline styles), with a text description and the same
figures in a table beside it."""

import datetime as dt
from dataclasses import dataclass

from lantern.core.dates import LONDON

WIDTH, HEIGHT = 480, 160
LEFT, RIGHT, TOP, BOTTOM = 30, 10, 10, 30
MONTHS = 12


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    short_label: str
    count: int


@dataclass
class MonthChart:
    width: int
    height: int
    left: int
    right_edge: int
    bottom_edge: int
    bars: list
    y_axis: list  # (y, label)
    description: str
    total: int


def _months(today: dt.date) -> list[tuple[int, int]]:
    index = today.year * 12 + today.month - 1
    return [divmod(i, 12) for i in range(index - MONTHS + 1, index + 1)]


def episodes_by_month(episodes, *, today: dt.date) -> MonthChart:
    """`episodes`: any of the child's episodes (those outside the last 12 months are ignored)."""
    months = [(year, month + 1) for year, month in _months(today)]
    counts = {key: 0 for key in months}
    for episode in episodes:
        local = episode.started_at.astimezone(LONDON)
        key = (local.year, local.month)
        if key in counts:
            counts[key] += 1
    top = max(max(counts.values()), 1)
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    slot = plot_width / MONTHS
    bars = []
    for n, (year, month) in enumerate(months):
        count = counts[(year, month)]
        height = round(plot_height * count / top, 1)
        first = dt.date(year, month, 1)
        bars.append(
            Bar(
                x=round(LEFT + n * slot + slot * 0.15, 1), y=round(TOP + plot_height - height, 1), width=round(slot * 0.7, 1),
                height=height, label=f"{first:%B %Y}", short_label=f"{first:%b}", count=count,
            )
        )
    total = sum(counts.values())
    busiest = [b for b in bars if b.count == top and b.count]
    words = f"{total} episode{'s' if total != 1 else ''} in the last 12 months"
    if busiest:
        words += f"; most in {', '.join(b.label for b in busiest)} ({top})"
    y_axis = [(TOP + plot_height, "0"), (TOP, str(top))]
    return MonthChart(
        width=WIDTH, height=HEIGHT, left=LEFT, right_edge=WIDTH - RIGHT, bottom_edge=HEIGHT - BOTTOM, bars=bars,
        y_axis=y_axis, description=f"Missing episodes per month: {words}. The same figures are in the table below the chart.",
        total=total,
    )
