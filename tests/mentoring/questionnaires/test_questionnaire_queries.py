"""The lists and the curator's overview run the same number of queries with 10× the data: more
pairs (with their answers), more rounds, more questionnaires."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.panels import questionnaires as panels
from tests.factories import (
    OrganisationFactory,
    QuestionnaireFactory,
    RoundFactory,
    UserFactory,
    make_pair,
)
from tests.helpers import mentoring_limits_kept

pytestmark = pytest.mark.django_db


def grow(qcast, n: int) -> None:
    """n more pairs curated by the cast's curator, answered in «Декабрь»; n more past rounds the
    cast's pair answered; n more questionnaires of the region."""
    host = qcast.pair.host
    for _ in range(n):
        pair = make_pair(year=2020, curator=qcast.people["curator"], host=host)
        sides = {m.role: m.user for m in pair.memberships.all()}
        for side in ("mentor", "mentee"):
            qcast.people[side + "_x"] = sides[side]
            qcast.submitted(
                qcast.december, side + "_x", pair, scale=4, fit="подходит", text="Текст"
            )
    start = dt.date(2020, 9, 1) + dt.timedelta(days=len(qcast.questionnaire.rounds.all()))
    for i in range(n):
        day = start + dt.timedelta(days=i)
        past = RoundFactory(
            questionnaire=qcast.questionnaire,
            title=f"Этап {day:%d.%m}",
            opens_on=day,
            closes_on=day,
        )
        qcast.submitted(past, "mentee", qcast.pair, scale=3, fit="подходит", vpr=3)
        QuestionnaireFactory(region=qcast.region, created_by=qcast.people["territory_coordinator"])


def count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


PAGES = [
    ("territory_coordinator", lambda c: reverse("mentoring:round_overview", args=[c.december.pk])),
    ("curator", lambda c: reverse("mentoring:round_overview", args=[c.december.pk])),
    ("methodist", lambda c: reverse("mentoring:round_overview", args=[c.december.pk])),
    ("curator", lambda c: reverse("mentoring:round_pair", args=[c.december.pk, c.pair.pk])),
    ("territory_coordinator", lambda c: reverse("mentoring:questionnaire_list")),
    ("curator", lambda c: reverse("mentoring:questionnaire_list")),
    (
        "territory_coordinator",
        lambda c: reverse("mentoring:questionnaire_detail", args=[c.questionnaire.pk]),
    ),
    ("mentee", lambda c: reverse("mentoring:my_questionnaires")),
    ("mentee", lambda c: reverse("networks:structure_detail", args=[c.pair.pk])),
    ("curator", lambda c: reverse("networks:structure_detail", args=[c.pair.pk])),
]


def test_pages_run_a_fixed_number_of_queries(client, qcast):
    """One test for all the pages, so that the data grows once: 1 pair, round and questionnaire
    more, then 10 more."""
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)

    def counts() -> dict:
        found = {}
        for who, page in PAGES:
            client.force_login(qcast.people[who])
            found[(who, page(qcast))] = count(client, page(qcast))
        return found

    grow(qcast, 1)
    small = counts()
    grow(qcast, 10)
    assert counts() == small


def test_the_waiting_block_runs_a_fixed_number_of_queries(qcast):
    mentee = qcast.people["mentee"]

    def measure():
        request = RequestFactory().get("/")
        request.user = type(mentee).objects.get(pk=mentee.pk)
        with CaptureQueriesContext(connection) as ctx:
            block = panels.waiting_questionnaires(request)
        return len(ctx.captured_queries), block

    small, block = measure()
    assert [i.round for i in block["items"]] == [qcast.december]
    for i in range(12):  # open rounds of other questionnaires, and other structures' people
        RoundFactory(
            questionnaire=QuestionnaireFactory(region=qcast.region),
            title=f"Открытый этап {i}",
            opens_on=dt.date(2020, 12, 1),
            closes_on=dt.date(2020, 12, 20 + i % 5),
        )
        UserFactory(organisation=OrganisationFactory())
    large, block = measure()
    assert large == small and len(block["items"]) == panels.LIST_LIMIT and block["more"]


@pytest.mark.parametrize("who", ["territory_coordinator", "curator", "methodist"])
def test_the_monitoring_block_lists_open_rounds_in_a_fixed_number_of_queries(qcast, who):
    person = qcast.people[who]

    def measure():
        cache.clear()  # what the shared cache keeps is read from the database (networks.kept)
        request = RequestFactory().get("/")
        request.user = type(person).objects.get(pk=person.pk)
        with CaptureQueriesContext(connection) as ctx:
            block = panels.questionnaire_monitoring(request)
        return len(ctx.captured_queries), block

    small, block = measure()
    expected = [qcast.december] if who == "curator" else [qcast.december, qcast.members_round]
    assert block["rounds"] == expected  # the curator follows pairs only
    for i in range(12):
        RoundFactory(
            questionnaire=qcast.questionnaire,
            title=f"Этап {i}",
            opens_on=dt.date(2020, 12, 1),
            closes_on=dt.date(2020, 12, 11 + i),
        )
    large, block = measure()
    assert large == small and len(block["rounds"]) == panels.LIST_LIMIT and block["more"]
