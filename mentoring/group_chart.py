"""The trend of a group's figures across periods, drawn on the server as inline SVG (no JavaScript
library, no CDN). Pure geometry: the template writes the SVG from what this returns, Django escapes
every text in it, and the same figures stand next to it in a data table.

The four figures differ by orders of magnitude (views run to thousands, feedback to tens), so each
gets its own small chart with its own scale rather than four lines on one axis where feedback
would lie flat on zero.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

WIDTH, HEIGHT = 560, 210
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 30
LABEL_SPACING = 64  # px a period label needs on the x axis

# Bootstrap's text colours: each keeps 4.5:1 or more against white.
METRICS = (
    ("visitors", "#0a58ca"),
    ("views", "#146c43"),
    ("actions", "#997404"),
    ("feedback", "#b02a37"),
)


def metric_label(key: str) -> str:
    return {
        "visitors": _("Посетители"),
        "views": _("Просмотры"),
        "actions": _("Активные действия"),
        "feedback": _("Обратная связь"),
    }[key]


def is_whole_month(start: dt.date, end: dt.date) -> bool:
    return (
        start.day == 1
        and (start.year, start.month) == (end.year, end.month)
        and end.day == calendar.monthrange(end.year, end.month)[1]
    )


def short_period(start: dt.date, end: dt.date) -> str:
    """An axis label: «09.2020» for a calendar month, else the first day."""
    return f"{start:%m.%Y}" if is_whole_month(start, end) else f"{start:%d.%m.%y}"


def nice_ceiling(value: int) -> tuple[int, int]:
    """(top of the axis, step between ticks): 1, 2, 2.5 or 5 × 10ⁿ, about four steps."""
    if value <= 0:
        return 4, 1
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw:
            break
    step = max(1, math.ceil(step))
    return step * math.ceil(value / step), step


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int
    label: str


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class MetricChart:
    key: str
    label: str
    colour: str
    points: list[Point]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    summary: str

    # The frame, for the template.
    width, height = WIDTH, HEIGHT
    left, right_edge, top, baseline = LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM

    @property
    def polyline(self) -> str:
        return " ".join(f"{p.x:.1f},{p.y:.1f}" for p in self.points)


def _x_positions(count: int) -> list[float]:
    plot = WIDTH - LEFT - RIGHT
    if count == 1:
        return [LEFT + plot / 2]
    return [LEFT + plot * i / (count - 1) for i in range(count)]


def _summary(label: str, values: list[int], periods: list[str]) -> str:
    low, high = min(values), max(values)
    return _(
        "%(metric)s: периодов — %(n)s, от %(low)s до %(high)s; в последнем периоде (%(last)s) — "
        "%(value)s."
    ) % {
        "metric": label,
        "n": len(values),
        "low": low,
        "high": high,
        "last": periods[-1],
        "value": values[-1],
    }


def build_charts(statistics: Sequence) -> list[MetricChart]:
    """One chart per figure for the periods given oldest first; [] when there are none."""
    if not statistics:
        return []
    xs = _x_positions(len(statistics))
    labels = [short_period(s.period_start, s.period_end) for s in statistics]
    full = [f"{s.period_start:%d.%m.%Y}–{s.period_end:%d.%m.%Y}" for s in statistics]
    every = max(1, math.ceil(len(statistics) / max(1, (WIDTH - LEFT - RIGHT) // LABEL_SPACING)))
    x_ticks = [Tick(xs[i], labels[i]) for i in range(0, len(statistics), every)]
    plot = HEIGHT - TOP - BOTTOM
    charts = []
    for key, colour in METRICS:
        values = [getattr(s, key) for s in statistics]
        top, step = nice_ceiling(max(values))
        points = [
            Point(x, TOP + plot * (1 - value / top), value, period)
            for x, value, period in zip(xs, values, full, strict=True)
        ]
        y_ticks = [Tick(TOP + plot * (1 - v / top), str(v)) for v in range(0, top + 1, step)]
        label = metric_label(key)
        charts.append(
            MetricChart(key, label, colour, points, y_ticks, x_ticks, _summary(label, values, full))
        )
    return charts


def sparkline(values: Sequence[int], width: int = 120, height: int = 28) -> str:
    """The points of a small line for the structure page's panel ("" for fewer than two)."""
    if len(values) < 2:
        return ""
    top = max(values) or 1
    step = (width - 4) / (len(values) - 1)
    return " ".join(
        f"{2 + i * step:.1f},{2 + (height - 4) * (1 - v / top):.1f}" for i, v in enumerate(values)
    )
