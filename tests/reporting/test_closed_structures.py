"""A closed structure gets no new deadlines and offers no report for a school year after its
closing (issue 16): the deadline generation (reporting.reminders.deadlines_instantiate, the task
and load_demo alike) and the report list. The internship site (S6) reports by 15 June
(R-PRI-3.5.2); it stops when its term is over or earlier by the committee's directive
(R-PRI-4.4, 4.5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from networks.models import ClosingReason, Structure
from networks.schoolyear import SchoolYear
from reporting import reminders
from reporting.models import Deadline
from tests.factories import OrderFactory, StructureFactory, UserFactory, kind

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)
THIS_YEAR = SchoolYear(2026)


@pytest.fixture(autouse=True)
def _in_2026_27(time_machine):
    time_machine.move_to(TODAY, tick=False)


def _site(**closing) -> Structure:
    fields = {
        "kind": kind("S6"),
        "established_on": dt.date(2021, 3, 11),
        "term_start": dt.date(2021, 1, 1),
        "term_end": dt.date(2028, 5, 31),
        "topic": "Сетевое наставничество",
    }
    return StructureFactory(**{**fields, **closing})


def test_r_pri_4_5_a_site_closed_early_gets_no_deadline_due_after_its_closing():
    working = _site()
    closed = _site(
        closed_on=dt.date(2026, 10, 30),
        closing_reason=ClosingReason.UNFORESEEN,
        closing_order=OrderFactory(),
    )
    reminders.deadlines_instantiate(year=THIS_YEAR)
    assert Deadline.objects.filter(structure=working, due_on=dt.date(2027, 6, 15)).exists()
    assert not Deadline.objects.filter(structure=closed).exists()


def test_r_pri_4_4_a_site_whose_term_ended_gets_no_deadlines_in_later_years():
    ended = _site(
        term_end=dt.date(2023, 5, 31),
        closed_on=dt.date(2023, 5, 31),
        closing_reason=ClosingReason.TERM_ENDED,
    )
    for year in (SchoolYear(2023), THIS_YEAR):
        reminders.deadlines_instantiate(year=year)
    assert not Deadline.objects.filter(structure=ended).exists()


def test_a_closed_site_offers_no_report_for_a_year_after_its_closing(client):
    ended = _site(
        term_end=dt.date(2023, 5, 31),
        closed_on=dt.date(2023, 5, 31),
        closing_reason=ClosingReason.TERM_ENDED,
    )
    operator = UserFactory(is_superuser=True)
    client.force_login(operator)
    page = client.get(reverse("reporting:report_list", args=[ended.pk]))
    assert page.status_code == 200
    offered = [y.start for y in page.context["free_years"]]
    assert offered and max(offered) == 2022  # 2022/2023, the year of its closing
    assert "Начать отчёт за 2026/2027" not in page.content.decode()
    started = client.post(
        reverse("reporting:report_start", args=[ended.pk]), {"school_year": THIS_YEAR.start}
    )
    assert started.status_code == 404
