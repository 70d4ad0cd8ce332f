"""The summary's bar charts, drawn by networks.charts (the one bar chart of the portal): the
template (reporting/summaries/_bar_chart.html) draws what `bar_chart` measures; the same numbers
are in a table beside it for screen readers and for those who prefer figures."""

from __future__ import annotations

from django.utils.translation import gettext as _

from networks.charts import COLOURS, WIDTH, Bar, BarChart, bar_chart

__all__ = ["COLOURS", "WIDTH", "Bar", "BarChart", "bar_chart", "meetings_chart", "states_chart"]


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
