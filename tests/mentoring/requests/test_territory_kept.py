"""The territory's help requests on the home page («Запросы адресной помощи территории»), kept in
the shared cache (mentoring.panels.requests.TERRITORY_KEPT, networks.kept; issue 19): read once for
every coordinator and methodist of the territory, read again after every service that changes
them — in this process or another (test_territory_kept_processes.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import services
from mentoring.models import HelpRequest
from mentoring.panels.requests import TERRITORY_KEPT
from mentoring.services.settings import mentoring_settings_save

from .conftest import at

pytestmark = pytest.mark.django_db
TEMPLATE = "mentoring/requests/home_territory.html"


def territory_block(client, person) -> dict:
    client.force_login(person)
    blocks = client.get(reverse("home")).context["blocks"]
    return next(b for b in blocks if b["template"] == TEMPLATE)


def read(context) -> bool:
    """Whether the block's query (the waiting requests with their count) ran."""
    return any(
        '"mentoring_helprequest"' in q["sql"] and " OVER " in q["sql"]
        for q in context.captured_queries
    )


def test_the_requests_are_read_once_for_every_coordinator_and_methodist_of_the_territory(
    client, request_cast
):
    people = request_cast.people
    late = request_cast.request(created_at=at(dt.date(2020, 11, 2)))
    found = {}
    for who in ("coordinator", "methodist", "district_coordinator", "coordinator_elsewhere"):
        with CaptureQueriesContext(connection) as context:
            block = territory_block(client, people[who])
        found[who] = (block["requests"], block["waiting"], read(context))
    assert found == {
        "coordinator": ([late], 1, True),
        "methodist": ([late], 1, False),  # the same territory: kept
        "district_coordinator": ([], 0, True),  # the district's requests: another territory
        "coordinator_elsewhere": ([], 0, True),
    }


def test_every_service_that_changes_the_requests_shows_on_the_next_home(client, request_cast, vpr):
    people, region = request_cast.people, request_cast.region
    coordinator = people["coordinator"]
    late = request_cast.request(created_at=at(dt.date(2020, 11, 2)))
    week_old = request_cast.request(created_at=at(dt.date(2020, 12, 9)))
    block = territory_block(client, coordinator)
    assert (block["requests"], block["waiting"]) == ([late], 2)  # kept

    services.help_request_route(help_request=late, consultant=people["consultant"], by=coordinator)
    block = territory_block(client, people["methodist"])
    assert [r.status for r in block["requests"]] == [HelpRequest.Status.ROUTED]

    late.refresh_from_db()
    services.help_request_answer(
        help_request=late, answer="Проведите анализ ВПР.", consulted=False, by=people["consultant"]
    )
    block = territory_block(client, coordinator)
    assert (block["requests"], block["waiting"]) == ([], 1)

    filed = services.help_request_file(topic=vpr, description="Нужна помощь", by=people["teacher"])
    assert territory_block(client, coordinator)["waiting"] == 2

    # The region's limit: 5 days instead of 14, the week-old request is overdue now.
    mentoring_settings_save(
        region=region,
        max_pairs_per_mentor=3,
        dormant_after_days=30,
        request_overdue_days=5,
        by=coordinator,
    )
    block = territory_block(client, coordinator)
    assert (block["requests"], block["waiting"]) == ([week_old], 2)
    assert filed not in block["requests"]


def test_a_cache_that_does_not_answer_leaves_the_database_to_answer(
    client, request_cast, monkeypatch
):
    late = request_cast.request(created_at=at(dt.date(2020, 11, 2)))

    def fails(*_args, **_kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "set"):
        monkeypatch.setattr(cache, method, fails)
    block = territory_block(client, request_cast.people["coordinator"])
    assert (block["requests"], block["waiting"]) == ([late], 1)
    TERRITORY_KEPT.changed()  # logged, not raised
