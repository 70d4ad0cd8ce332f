"""The meeting page, its attendance page and the minutes are built for every request (issue 19):
their query counts are pinned on small data (and stay flat with more people)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.models import Role
from tests.communities.events.conftest import file_minutes, hold, plan_meeting
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def page(client, name, *args):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse(f"communities:{name}", args=args))
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode()


def more_members(s5, n: int) -> None:
    host = s5.structure.host
    for _ in range(n):
        user = UserFactory(organisation=host)
        MembershipFactory(structure=s5.structure, role=Role.MEMBER, user=user)


def signed_meeting(s5):
    more_members(s5, 3)
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event)
    return event, file_minutes(s5, event, sign=True)


def test_the_meeting_page_runs_at_most_9_queries_whatever_the_attendance(client, s5):
    event, _minutes = signed_meeting(s5)
    client.force_login(s5.head)
    few, html = page(client, "event_detail", s5.structure.pk, event.pk)
    assert few <= 9
    assert s5.members[0].full_name in html
    assert "Протокол № 3" in html


def test_the_minutes_page_runs_at_most_14_queries(client, s5):
    _event, minutes = signed_meeting(s5)
    client.force_login(s5.members[0])
    count, html = page(client, "minutes_detail", s5.structure.pk, minutes.pk)
    assert count <= 14
    assert s5.structure.host.full_name in html
    assert "О результатах ВПР в школах с низкими результатами" in html


def test_the_attendance_page_of_signed_minutes_reads_no_list_and_builds_no_form(client, s5):
    event, _minutes = signed_meeting(s5)
    client.force_login(s5.head)
    count, html = page(client, "attendance", s5.structure.pk, event.pk)
    assert count <= 8
    assert "протокол уже подписан" in html
    assert "Сохранить присутствие" not in html and s5.members[0].full_name not in html
