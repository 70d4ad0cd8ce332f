"""A horizontal bar chart drawn on the server as inline SVG: no JavaScript, no CDN. The template
(reporting/summaries/_bar_chart.html) draws what `bar_chart` measures; the same numbers are in a
table beside it for screen readers and for those who prefer figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

# Dark enough for 3:1 against white (WCAG 1.4.11), one per deadline state (and two for meetings).
COLOURS = {
    "submitted": "#198754",
    "late": "#a15c07",
    "accepted": "#0b5ed7",
    "returned": "#087990",
    "missing": "#b02a37",
    "pending": "#6c757d",
    # Meetings of a kind with a yearly minimum: held against required.
    "held": "#0b5ed7",
    "required": "#495057",
}
# Drawn at its own width on a desk; scaled down to a 390 px phone its 14 px text keeps 11 px.
WIDTH = 480
LABEL_WIDTH = 210
BAR_HEIGHT = 22
GAP = 10
NUMBER_ROOM = 50


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    y: int
    width: int
    colour: str

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def number_x(self) -> int:
        return LABEL_WIDTH + self.width + 6


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT

    @property
    def height(self) -> int:
        return len(self.bars) * (BAR_HEIGHT + GAP) + GAP

    @property
    def description(self) -> str:
        return "; ".join(f"{b.label}: {b.value}" for b in self.bars)


def bar_chart(values: list[tuple[str, int, str]], *, title: str) -> BarChart:
    """values: (label, number, key for the colour)."""
    top = max((n for _label, n, _key in values), default=0)
    room = WIDTH - LABEL_WIDTH - NUMBER_ROOM
    bars = [
        Bar(
            label=str(label),
            value=n,
            y=GAP + i * (BAR_HEIGHT + GAP),
            width=round(room * n / top) if top else 0,
            colour=COLOURS.get(key, "#495057"),
        )
        for i, (label, n, key) in enumerate(values)
    ]
    return BarChart(title=title, bars=bars)


def meetings_chart(kind, *, year_label: str) -> BarChart:
    """Meetings held against the yearly minimum over one kind's structures (a
    selectors.KindMeetings)."""
    return bar_chart(
        [
            (_("Проведено"), kind.held, "held"),
            (_("Требуется, не меньше"), kind.required, "required"),
        ],
        title=_("%(kinds)s: заседания за %(year)s год, проведено и требуется")
        % {"kinds": kind.name_plural, "year": year_label},
    )


def states_chart(state_rows: list[tuple[str, str, int]], *, year_label: str) -> BarChart:
    """Every deadline of the territory in the year by what became of it (Totals.state_rows)."""
    return bar_chart(
        [(label, n, state) for state, label, n in state_rows],
        title=_("Все сроки отчётности территории за %(year)s год") % {"year": year_label},
    )
