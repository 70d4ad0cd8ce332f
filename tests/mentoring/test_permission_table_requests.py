"""The permission table of requests for targeted help: every role of the request cast
(tests/mentoring/requests/conftest.py) against every view of the feature.

A request is seen by the person who filed it, the consultant it is routed to, and the coordinators
and methodists of the territory of the requester's school (methodists read and do not act); for
everybody else it does not exist (404). Only workers of a ШНОР or ШССУ file requests (others 403,
with the reason on the page). The queue is for the territory's people (others 403).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from mentoring.models import HelpRequest
from networks.models import User
from tests.communities.permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
    refreshed,
    url,
)
from tests.factories import UserFactory, topic

from .requests import conftest as requests_conftest
from .requests.conftest import RequestCast

# The cast's fixtures, shared with tests/mentoring/requests/.
frozen = requests_conftest.frozen
module_request_cast = requests_conftest.module_request_cast
request_cast = requests_conftest.request_cast

pytestmark = pytest.mark.django_db

NEW_TEXT = "Как подготовить педагогов к ВПР по новой форме?"


@dataclass
class Scene:
    cast: RequestCast
    routed: HelpRequest  # routed to the consultant, not answered yet
    answered: HelpRequest  # answered by the consultant, waiting for the requester
    other_consultant: User


def scene_of(cast: RequestCast) -> Scene:
    return Scene(
        cast=cast,
        routed=cast.routed(),
        answered=cast.answered(),
        other_consultant=cast.people["tutor"],
    )


VIEWS: dict[str, View] = {
    "mentoring:request_list": View(lambda s: reverse("mentoring:request_list")),
    "mentoring:request_create": View(
        lambda s: reverse("mentoring:request_create"),
        post=lambda s: {"topic": topic("ВПР").pk, "description": NEW_TEXT},
        done=lambda s: HelpRequest.objects.filter(description=NEW_TEXT).exists(),
    ),
    "mentoring:request_queue": View(lambda s: reverse("mentoring:request_queue")),
    "mentoring:request_detail": View(url("mentoring:request_detail", "routed")),
    "mentoring:request_route": View(
        url("mentoring:request_route", "routed"),
        post=lambda s: {"route-consultant": s.other_consultant.pk},
        done=lambda s: refreshed(s.routed).consultant_id == s.other_consultant.pk,
    ),
    "mentoring:request_answer": View(
        url("mentoring:request_answer", "routed"),
        post={"answer-outcome": "consulted", "answer-answer": "Провели консультацию в школе."},
        done=lambda s: refreshed(s.routed).status == HelpRequest.Status.CONSULTED,
    ),
    "mentoring:request_confirm": View(
        url("mentoring:request_confirm", "answered"),
        post={"confirm-helped": "yes"},
        done=lambda s: refreshed(s.answered).status == HelpRequest.Status.CLOSED,
    ),
}

COLUMNS = list(VIEWS)
# fmt: off
TABLE: dict[str, list] = {
    #                          list     create     queue      detail     route      answer     confirm
    "requester":              [OK,      OK,        FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN, OK],
    "consultant":             [OK,      FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, OK,        FORBIDDEN],
    "coordinator":            [OK,      FORBIDDEN, OK,        OK,        OK,        FORBIDDEN, FORBIDDEN],
    # Reads the territory's requests, acts on none.
    "methodist":              [OK,      FORBIDDEN, OK,        OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN],
    # Another municipality of the region: the request is not theirs to see.
    "district_coordinator":   [OK,      FORBIDDEN, OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "coordinator_elsewhere":  [OK,      FORBIDDEN, OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "methodist_elsewhere":    [OK,      FORBIDDEN, OK,        NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    # A colleague from the same ШНОР may file their own, not read this one.
    "other_requester":        [OK,      OK,        FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "mentor":                 [OK,      FORBIDDEN, FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "outsider":               [OK,      OK,        FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "superuser":              [OK,      FORBIDDEN, OK,        OK,        OK,        FORBIDDEN, FORBIDDEN],
    "anonymous":              [SIGN_IN, SIGN_IN,   SIGN_IN,   SIGN_IN,   SIGN_IN,   SIGN_IN,   SIGN_IN],
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


def test_the_table_covers_every_view_of_requests():
    from mentoring.views import requests

    assert {f"mentoring:{p.name}" for p in requests.urlpatterns} == set(VIEWS)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table(
    client, request_cast, django_capture_on_commit_callbacks, role, view_name, expected
):
    cast = request_cast
    if role == "superuser":
        cast.people["superuser"] = UserFactory(
            email="root@school.example", organisation=None, is_superuser=True, is_staff=True
        )
    check(
        client,
        cast.people[role],
        VIEWS[view_name],
        scene_of(cast),
        expected,
        django_capture_on_commit_callbacks,
    )
