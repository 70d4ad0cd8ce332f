"""The figures of one structure for one school year (issue 7 brief), from data the tests create."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from mentoring.models import PairState, Response
from reporting.reports.figures import readable, structure_figures
from tests.factories import (
    ContactFactory,
    GroupStatisticsFactory,
    QuestionnaireFactory,
    RoundFactory,
    StructureFactory,
    kind,
    make_pair,
)

from .conftest import YEAR, add_members, fill_the_year, make_association

pytestmark = pytest.mark.django_db


def test_r_tul_a4_figures_of_an_association_count_members_meetings_minutes_and_plan(association):
    figures = structure_figures(association.structure, YEAR)

    members = figures["members"]
    assert (members["total"], members["shnor"], members["sssu"]) == (6, 3, 1)
    assert (members["leader"], members["other"]) == (2, 1)
    assert sum(o["people"] for o in members["organisations"]) == 6

    meetings = figures["meetings"]
    assert (meetings["held"], meetings["required"]) == (2, 4)  # R-TUL-A4-4.3
    assert [m["date"] for m in meetings["list"]] == ["2020-10-15", "2021-03-11"]
    assert meetings["events_by_form"] == {"meeting": 2, "seminar": 1}
    assert meetings["events_held"] == 3

    minutes = figures["minutes"]  # R-TUL-A4-4.4: the latest signed version of each meeting
    assert (minutes["count"], minutes["questions"], minutes["recommendations"]) == (2, 3, 2)
    assert [m["version"] for m in minutes["list"]] == [1, 2]
    assert minutes["list"][1]["items"][0]["decision"] == "Решение 1 протокола 2"

    plan = figures["plan"]  # the approved version, not the later draft
    assert (plan["planned"], plan["done"], plan["version"]) == (5, 3, 1)
    assert figures["pairs"] is None and figures["online"] is None


def test_figures_are_plain_json_with_iso_dates(association):
    figures = structure_figures(association.structure, YEAR)
    assert json.loads(json.dumps(figures)) == figures
    shown = readable(figures)
    assert shown["meetings"]["list"][0]["date"] == dt.date(2020, 10, 15)
    assert shown["meetings"]["short_of_required"] is True
    assert shown["plan"]["status_label"] == "Утверждён"
    assert shown["school_year_label"] == "2020/2021"
    assert isinstance(figures["meetings"]["list"][0]["date"], str)  # the stored dict untouched


def test_another_year_has_none_of_these_figures(association):
    figures = structure_figures(association.structure, 2021)
    assert figures["meetings"]["held"] == 0 and figures["plan"] is None
    # The coordinator joined in September 2021; the others are still members.
    assert figures["members"]["total"] == 7


def test_r_tul_a2_online_group_sums_the_periods_inside_the_year():
    group = StructureFactory(kind=kind("S3"), established_on=dt.date(2020, 9, 1))
    GroupStatisticsFactory(structure=group, visitors=100, views=800, actions=90, feedback=10)
    GroupStatisticsFactory(
        structure=group,
        period_start=dt.date(2020, 10, 1),
        period_end=dt.date(2020, 10, 31),
        visitors=150,
        views=900,
        actions=60,
        feedback=5,
    )
    # Outside the year, and straddling its start: not counted.
    GroupStatisticsFactory(
        structure=group, period_start=dt.date(2021, 9, 1), period_end=dt.date(2021, 9, 30)
    )
    GroupStatisticsFactory(
        structure=group, period_start=dt.date(2020, 8, 15), period_end=dt.date(2020, 9, 14)
    )
    online = structure_figures(group, YEAR)["online"]
    assert (online["periods"], online["visitors"], online["views"]) == (2, 250, 1700)
    assert (online["actions"], online["feedback"]) == (150, 15)
    assert [p["period_start"] for p in online["list"]] == ["2020-09-01", "2020-10-01"]


def test_r_tul_a3_a_pair_counts_contacts_dormancy_rematch_and_questionnaire_answers():
    pair = make_pair(year=2020)
    ContactFactory(pair=pair, date=dt.date(2020, 11, 10), form="mentoring")
    ContactFactory(pair=pair, date=dt.date(2021, 3, 1), form="consulting")
    ContactFactory(pair=pair, date=dt.date(2021, 10, 5), form="consulting")  # next year
    PairState.objects.create(pair=pair, needs_rematch=True, rematch_reason="Не сложилось")
    round_ = RoundFactory(questionnaire=QuestionnaireFactory(region=pair.region), school_year=2020)
    mentor = pair.memberships.get(role="mentor").user
    Response.objects.create(
        round=round_,
        respondent=mentor,
        pair=pair,
        side="mentor",
        submitted_at=dt.datetime(2020, 12, 5, tzinfo=dt.UTC),
    )
    pairs = structure_figures(pair, YEAR)["pairs"]
    assert (pairs["count"], pairs["contacts"]) == (1, 2)
    assert pairs["contacts_by_form"] == {"consulting": 1, "mentoring": 1}
    # At the end of the year the last contact was in March: dormant (30 days by default).
    assert (pairs["dormant"], pairs["needs_rematch"]) == (1, 1)
    assert (pairs["responses_expected"], pairs["responses_submitted"]) == (2, 1)
    assert pairs["response_rate"] == 50
    row = pairs["list"][0]
    assert row["last_contact"] == "2021-03-01" and row["mentee"] and row["mentor"]


def _count(structure):
    with CaptureQueriesContext(connection) as ctx:
        structure_figures(structure, YEAR)
    return len(ctx.captured_queries)


def test_figures_take_the_same_number_of_queries_with_ten_times_the_data():
    small = make_association("Малое объединение")
    fill_the_year(small.structure)
    big = make_association("Большое объединение")
    fill_the_year(big.structure, scale=10)
    add_members(big.structure, 50)
    assert _count(big.structure) == _count(small.structure)
