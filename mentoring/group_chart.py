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
    # An x label at the right edge ends there: centred, half of «12.2026» fell outside the frame.
    anchor: str = "middle"


@dataclass(frozen=True)
class MetricChart:
    key: str
    label: str
    colour: str
    points: list[Point]
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    summary: str
    # The SVG's title; the group page builds its own from the group's name when this is empty.
    title: str = ""

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


def _line_charts(
    series: Sequence[tuple[str, str, str, list[int]]],
    short: list[str],
    full: list[str],
    *,
    titles: dict[str, str] | None = None,
    summary=None,
) -> list[MetricChart]:
    """One chart per (key, label, colour, values), the values one per period, oldest first."""
    xs = _x_positions(len(short))
    every = max(1, math.ceil(len(short) / max(1, (WIDTH - LEFT - RIGHT) // LABEL_SPACING)))
    x_ticks = [
        Tick(xs[i], short[i], "end" if xs[i] >= WIDTH - RIGHT else "middle")
        for i in range(0, len(short), every)
    ]
    plot = HEIGHT - TOP - BOTTOM
    charts = []
    for key, label, colour, values in series:
        top, step = nice_ceiling(max(values))
        points = [
            Point(x, TOP + plot * (1 - value / top), value, period)
            for x, value, period in zip(xs, values, full, strict=True)
        ]
        y_ticks = [Tick(TOP + plot * (1 - v / top), str(v)) for v in range(0, top + 1, step)]
        charts.append(
            MetricChart(
                key,
                label,
                colour,
                points,
                y_ticks,
                x_ticks,
                (summary or _summary)(label, values, full),
                (titles or {}).get(key, ""),
            )
        )
    return charts


def build_charts(statistics: Sequence) -> list[MetricChart]:
    """One chart per figure for the periods given oldest first; [] when there are none."""
    if not statistics:
        return []
    return _line_charts(
        [
            (key, metric_label(key), colour, [getattr(s, key) for s in statistics])
            for key, colour in METRICS
        ],
        [short_period(s.period_start, s.period_end) for s in statistics],
        [f"{s.period_start:%d.%m.%Y}–{s.period_end:%d.%m.%Y}" for s in statistics],
    )


# --- A network pair's contacts per month (issue 20) ---------------------------------------------

ACTIVITY = (("contacts", "#0a58ca"), ("pairs", "#146c43"))


@dataclass(frozen=True)
class MonthActivity:
    month: dt.date  # its first day
    contacts: int
    pairs: int  # pairs with at least one contact in the month


def months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append(dt.date(year, month, 1))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def month_activity(
    months: Sequence[dt.date], counts: dict[dt.date, tuple[int, int]]
) -> list[MonthActivity]:
    """Every month, a month without contacts as zero: `counts` maps a month's first day to
    (contacts, pairs with contacts)."""
    return [MonthActivity(m, *counts.get(m, (0, 0))) for m in months]


def _months_summary(label: str, values: list[int], months: list[str]) -> str:
    return _(
        "%(metric)s: месяцев — %(n)s, за месяц от %(low)s до %(high)s; за последний "
        "(%(last)s) — %(value)s."
    ) % {
        "metric": label,
        "n": len(values),
        "low": min(values),
        "high": max(values),
        "last": months[-1],
        "value": values[-1],
    }


def activity_charts(
    rows: Sequence[MonthActivity], *, title: str, with_pairs: bool
) -> list[MetricChart]:
    """Contacts per month, and (for several pairs) how many pairs had a contact; [] when no month
    has one: an empty chart says less than the sentence the page shows instead."""
    if not rows or not any(r.contacts for r in rows):
        return []
    labels = {"contacts": _("Контакты"), "pairs": _("Пары с контактами")}
    keys = [key for key, _colour in ACTIVITY if with_pairs or key == "contacts"]
    series = [
        (key, labels[key], colour, [getattr(r, key) for r in rows])
        for key, colour in ACTIVITY
        if key in keys
    ]
    return _line_charts(
        series,
        [f"{r.month:%m.%Y}" for r in rows],
        [f"{r.month:%m.%Y}" for r in rows],
        titles={key: f"{title}: {labels[key]}" for key in keys},
        summary=_months_summary,
    )


def sparkline(values: Sequence[int], width: int = 120, height: int = 28) -> str:
    """The points of a small line for the structure page's panel ("" for fewer than two)."""
    if len(values) < 2:
        return ""
    top = max(values) or 1
    step = (width - 4) / (len(values) - 1)
    return " ".join(
        f"{2 + i * step:.1f},{2 + (height - 4) * (1 - v / top):.1f}" for i, v in enumerate(values)
    )
