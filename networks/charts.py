"""A horizontal bar chart drawn on the server as inline SVG: no JavaScript, no CDN (issue 20). The
template (networks/_bar_chart.html) draws what `bar_chart` measures; the page puts the same numbers
in a table beside it for screen readers and for those who prefer figures.

It lives here, at the bottom of the arrows, so that every app draws its bars the same way: the
territory's summary (reporting.summaries.charts), the schools' coverage, and a structure's meetings
by school year on its own page (communities.panels.events)."""

from __future__ import annotations

from dataclasses import dataclass

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
    x: int = LABEL_WIDTH  # where the bar starts: the labels' column ends there

    @property
    def text_y(self) -> int:
        return self.y + BAR_HEIGHT // 2 + 5

    @property
    def number_x(self) -> int:
        return self.x + self.width + 6


@dataclass(frozen=True)
class Marker:
    """A dashed vertical line across the bars at one value (a yearly minimum), with its words."""

    value: int
    x: int
    label: str

    @property
    def anchor(self) -> str:
        """Its words end left of the line, unless the line stands too near the labels."""
        return "end" if self.x > 300 else "start"

    @property
    def text_x(self) -> int:
        return self.x - 6 if self.anchor == "end" else self.x + 6


@dataclass(frozen=True)
class BarChart:
    title: str
    bars: list[Bar]
    width: int = WIDTH
    label_width: int = LABEL_WIDTH
    bar_height: int = BAR_HEIGHT
    marker: Marker | None = None

    @property
    def top(self) -> int:
        """Where the bars start: below the marker's words when there is a marker."""
        return GAP + (18 if self.marker else 0)

    @property
    def height(self) -> int:
        return len(self.bars) * (BAR_HEIGHT + GAP) + GAP + (self.top - GAP)

    @property
    def description(self) -> str:
        text = "; ".join(f"{b.label}: {b.value}" for b in self.bars)
        return f"{text}; {self.marker.label}" if self.marker else text


def bar_chart(
    values: list[tuple[str, int, str]],
    *,
    title: str,
    marker: tuple[int, str] | None = None,
    label_width: int = LABEL_WIDTH,
) -> BarChart:
    """values: (label, number, key for the colour); marker: (value, words) of a line drawn across
    the bars, such as the yearly minimum the bars are held against; label_width: the room of the
    labels left of the bars (short labels such as «2024/2025» need less)."""
    top = max([n for _label, n, _key in values] + ([marker[0]] if marker else []), default=0)
    room = WIDTH - label_width - NUMBER_ROOM
    shift = 18 if marker else 0

    def scaled(n: int) -> int:
        return round(room * n / top) if top else 0

    bars = [
        Bar(
            label=str(label),
            value=n,
            y=GAP + shift + i * (BAR_HEIGHT + GAP),
            width=scaled(n),
            colour=COLOURS.get(key, "#495057"),
            x=label_width,
        )
        for i, (label, n, key) in enumerate(values)
    ]
    line = Marker(marker[0], label_width + scaled(marker[0]), marker[1]) if marker else None
    return BarChart(title=title, bars=bars, label_width=label_width, marker=line)
