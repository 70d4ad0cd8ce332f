"""R-TUL-A4-4.3: "meetings held in a school year" is one count (communities.selectors.held_events),
and the structure's panel, its report figures and the territory's summary show the same number."""

from __future__ import annotations

import datetime as dt

import pytest

from communities.selectors import held_events, meetings_held, structure_standing
from networks.models import Structure
from networks.schoolyear import SchoolYear
from reporting.reports.figures import meeting_figures
from reporting.summaries.selectors import collect_rows
from tests.factories import EventFactory, StructureFactory, kind

pytestmark = pytest.mark.django_db

YEAR = SchoolYear(2020)
MSK = dt.timezone(dt.timedelta(hours=3))


def at(*moment) -> dt.datetime:
    return dt.datetime(*moment, tzinfo=MSK)


@pytest.fixture
def association():
    """An association (S5) with two meetings held in 2020/2021 (the first and the last hour of
    the year, Moscow time), and events that are not meetings held in that year."""
    structure = StructureFactory(kind=kind("S5"))
    held = {"structure": structure, "status": "held"}
    EventFactory(**held, starts_at=at(2020, 9, 1, 0, 30))
    EventFactory(**held, starts_at=at(2021, 8, 31, 23, 30))
    EventFactory(**held, starts_at=at(2020, 8, 31, 23, 30))  # the year before
    EventFactory(**held, starts_at=at(2021, 9, 1, 0, 30))  # the year after
    EventFactory(**held, form="seminar", starts_at=at(2020, 11, 12, 15))  # not a meeting
    EventFactory(structure=structure, status="cancelled", starts_at=at(2020, 12, 3, 15))
    EventFactory(structure=structure, status="scheduled", starts_at=at(2021, 2, 4, 15))
    EventFactory(structure=structure, status="proposed", starts_at=at(2021, 3, 4, 15))
    EventFactory(status="held", starts_at=at(2020, 10, 15, 15))  # another structure's
    return structure


def test_r_tul_a4_4_3_panel_report_and_summary_count_the_same_meetings_held(association):
    panel = structure_standing(association, YEAR).held
    report = meeting_figures(association, YEAR)["held"]
    (row,) = collect_rows(Structure.objects.filter(pk=association.pk), YEAR)

    assert panel == report == row.meetings_held == 2
    assert len(meeting_figures(association, YEAR)["list"]) == 2


def test_the_report_and_the_summary_count_the_same_events_of_every_form(association):
    report = meeting_figures(association, YEAR)
    (row,) = collect_rows(Structure.objects.filter(pk=association.pk), YEAR)

    assert report["events_by_form"] == row.events_by_form == {"meeting": 2, "seminar": 1}
    assert report["events_held"] == row.events_held == 3


def test_one_query_counts_one_structure_or_many(association, django_assert_num_queries):
    quiet = StructureFactory(kind=kind("S5"))
    with django_assert_num_queries(1):
        many = meetings_held(Structure.objects.filter(kind__code="S5"), YEAR)
    with django_assert_num_queries(1):
        one = meetings_held(association, YEAR)

    assert (many[association.pk], many[quiet.pk], one[association.pk]) == (2, 0, 2)
    assert held_events([association.pk], YEAR)[association.pk].total == 3
