"""«Мониторинговое анкетирование» on the home page: the rounds open today that a person follows are
kept in the shared cache (mentoring.panels.questionnaires.MONITORED_ROUNDS, networks.kept; issue
19), read once for everyone who follows the same places, and read again after every service that
changes them — in this process or another (tests/networks/test_home_kept_processes.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from mentoring import services
from mentoring.models import Round
from mentoring.panels import questionnaires as panels
from networks import services as network_services
from networks.models import Membership
from tests.factories import QuestionnaireFactory

pytestmark = pytest.mark.django_db
TEMPLATE = "mentoring/questionnaires/home_monitoring.html"


def titles(client, person) -> list[str]:
    client.force_login(person)
    blocks = client.get(reverse("home")).context["blocks"]
    block = next(b for b in blocks if b["template"] == TEMPLATE)
    return [f"{r.questionnaire.title}: {r.title}" for r in block["rounds"]]


@pytest.fixture
def loads(monkeypatch):
    """The places whose rounds were read from the database, in order."""
    read = []
    original = panels.selectors.monitored_rounds

    def counted(user, *, memberships=None):
        read.append(user.email)
        return original(user, memberships=memberships)

    monkeypatch.setattr(panels.selectors, "monitored_rounds", counted)
    return read


def test_the_rounds_are_read_once_for_everyone_who_follows_the_same_places(client, qcast, loads):
    people = qcast.people
    found = {
        who: titles(client, people[who])
        for who in ("territory_coordinator", "methodist", "curator", "coordinator_elsewhere")
    }
    assert found == {
        "territory_coordinator": [
            "Мониторинг пар: Декабрь",
            "Мониторинг пар: Декабрь: объединение",
        ],
        "methodist": ["Мониторинг пар: Декабрь", "Мониторинг пар: Декабрь: объединение"],
        "curator": ["Мониторинг пар: Декабрь"],  # the pairs' rounds of the region only
        "coordinator_elsewhere": [],
    }
    # The methodist follows the region as its coordinator does: kept.
    assert loads == [
        people["territory_coordinator"].email,
        people["curator"].email,
        people["coordinator_elsewhere"].email,
    ]


def test_every_service_that_changes_the_rounds_shows_on_the_next_home(client, qcast):
    people = qcast.people
    coordinator, methodist = people["territory_coordinator"], people["methodist"]
    assert titles(client, methodist) == [
        "Мониторинг пар: Декабрь",
        "Мониторинг пар: Декабрь: объединение",
    ]

    services.round_create(
        questionnaire=qcast.draft,
        title="Итоги",
        audience=Round.Audience.PAIRS,
        school_year=2020,
        opens_on=dt.date(2020, 12, 10),
        closes_on=dt.date(2020, 12, 31),
        by=coordinator,
    )
    assert titles(client, methodist)[0] == "Анкета в работе: Итоги"  # the latest opened first

    # The operators (the admin) correct a round's dates and a questionnaire's title.
    qcast.december.closes_on = dt.date(2020, 12, 9)
    qcast.december.save()
    qcast.draft.title = "Анкета семинара"
    qcast.draft.save()
    assert titles(client, methodist) == [
        "Анкета семинара: Итоги",
        "Мониторинг пар: Декабрь: объединение",
    ]

    qcast.december.delete()
    QuestionnaireFactory(region=qcast.region)  # a new questionnaire, no round yet
    assert "Мониторинг пар: Декабрь" not in titles(client, coordinator)


def test_the_structure_a_person_runs_decides_which_rounds_they_follow(client, qcast):
    head = qcast.people["association_head"]
    assert titles(client, head) == ["Мониторинг пар: Декабрь: объединение"]
    membership = Membership.objects.get(user=head, structure=qcast.association)
    network_services.membership_end(membership=membership, on=dt.date(2020, 12, 10))
    # No longer running the association: no monitoring block at all.
    client.force_login(head)
    blocks = client.get(reverse("home")).context["blocks"]
    assert TEMPLATE not in [b["template"] for b in blocks]


def test_a_new_day_reads_the_rounds_again(client, qcast):
    coordinator = qcast.people["territory_coordinator"]
    assert len(titles(client, coordinator)) == 2
    with time_machine.travel(dt.datetime(2020, 12, 26, 12, 0, tzinfo=dt.UTC), tick=False):
        assert titles(client, coordinator) == []  # «Декабрь» closed on the 25th


def test_a_cache_that_does_not_answer_leaves_the_database_to_answer(client, qcast, monkeypatch):
    def fails(*_args, **_kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "set"):
        monkeypatch.setattr(cache, method, fails)
    assert titles(client, qcast.people["curator"]) == ["Мониторинг пар: Декабрь"]
    panels.MONITORED_ROUNDS.changed()  # logged, not raised
