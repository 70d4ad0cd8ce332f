"""The lists of requests run the same number of queries with 10× the requests: my requests, the
coordinator's queue, and each home block."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import HelpRequest
from mentoring.panels import requests as blocks
from tests.factories import topic
from tests.helpers import mentoring_limits_kept

from .conftest import at

pytestmark = pytest.mark.django_db

STATUSES = [s for s, _ in HelpRequest.Status.choices]
TOPICS = ["ВПР", "ОГЭ", "PISA", "родител"]


def add_requests(cast, n: int) -> None:
    for i in range(n):
        status = STATUSES[i % len(STATUSES)]
        kwargs = {
            "topic": topic(TOPICS[i % len(TOPICS)]),
            "created_at": at(dt.date(2020, 10, 1) + dt.timedelta(days=i % 70)),
            "status": status,
        }
        if status == HelpRequest.Status.NEW:
            cast.request(requester="requester" if i % 2 else "teacher", **kwargs)
        elif status == HelpRequest.Status.ROUTED:
            cast.routed(**kwargs)
        else:
            cast.answered(**kwargs)


def queries(client, url, **params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def block_queries(block, user) -> tuple[int, object]:
    request = RequestFactory().get("/")
    request.user = user
    with CaptureQueriesContext(connection) as ctx:
        result = block(request)
    return len(ctx.captured_queries), result


@pytest.mark.parametrize(
    ("who", "url", "params"),
    [
        ("requester", reverse("mentoring:request_list"), {}),
        ("coordinator", reverse("mentoring:request_queue"), {}),
        ("coordinator", reverse("mentoring:request_queue"), {"status": "open"}),
        ("methodist", reverse("mentoring:request_queue"), {"topic": "1"}),
    ],
)
def test_request_lists_run_a_fixed_number_of_queries(client, request_cast, who, url, params):
    client.force_login(request_cast.people[who])
    add_requests(request_cast, 3)
    small = queries(client, url, **params)
    add_requests(request_cast, 30)
    assert queries(client, url, **params) == small


@pytest.mark.parametrize(
    ("block", "who"),
    [
        (blocks.territory_help_requests, "coordinator"),
        (blocks.help_requests_to_answer, "consultant"),
        (blocks.my_help_requests, "requester"),
    ],
)
def test_home_blocks_run_a_fixed_number_of_queries(request_cast, block, who):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)
    person = request_cast.people[who]

    def fresh():  # as a new request loads it: nothing cached
        return type(person).objects.get(pk=person.pk)

    add_requests(request_cast, 5)
    small, first = block_queries(block, fresh())
    add_requests(request_cast, 50)
    large, second = block_queries(block, fresh())
    assert first and second and large == small
    assert len(second["requests"]) == blocks.LIST_LIMIT and second["more"]
