"""A figure series as SVG geometry, drawn server-side: points by date and value, nothing loaded from elsewhere.

A scatter, not a line: the points are different sources' estimates, often of the
same day, not one measured quantity changing over time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from storyline.story.views import Series, SeriesPoint, Step, steps

WIDTH, HEIGHT = 640, 220
LEFT, RIGHT, TOP, BOTTOM = 70, 20, 15, 35


@dataclass
class Dot:
    x: float
    y: float
    point: SeriesPoint


@dataclass
class Chart:
    quantity: str
    dots: list[Dot]
    x_ticks: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    undated: int  # points the chart cannot place
    steps: list[Step] = field(default_factory=list)  # the series in words, under the chart
    increments: int = 0  # additions ("1,500 more"), which the value axis of totals cannot show
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM


def _day(value: str | None) -> date | None:
    """"2024-10-23", "2024-10" (its first day) or None."""
    if not value:
        return None
    parts = value[:10].split("-")
    try:
        return date(int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1)
    except (ValueError, IndexError):
        return None


def chart(series: Series) -> Chart:
    totals = [p for p in series.points if not p.increment]
    increments = len(series.points) - len(totals)
    placed = sorted(((d, p) for p in totals if (d := _day(p.date)) is not None), key=lambda t: t[0])
    if not placed:
        return Chart(series.quantity, [], [], [], len(totals), steps(series.points), increments=increments)
    first, last = min(d for d, _ in placed), max(d for d, _ in placed)
    span = max((last - first).days, 1)
    top = max(p.value for _, p in placed) * 1.1 or 1.0
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(d: date) -> float:
        return round(LEFT + plot_w * ((d - first).days / span if first != last else 0.5), 1)

    def y(v: float) -> float:
        return round(TOP + plot_h * (1 - v / top), 1)

    dots = [Dot(x(d), y(p.value), p) for d, p in placed]
    x_ticks = [(x(first), first.isoformat())] + ([(x(last), last.isoformat())] if last != first else [])
    y_ticks = [(y(0), "0"), (y(top / 1.1), f"{top / 1.1:,g}")]
    return Chart(series.quantity, dots, x_ticks, y_ticks, len(totals) - len(placed), steps(series.points), increments=increments)
