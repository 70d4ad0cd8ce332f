"""Calendar feeds (issue 17): a person's own feed by a secret address — their meetings and events,
their reporting deadlines, their pair's planned contacts — and a structure's feed for its members;
no sign-in for the feed, revocable and replaceable on the «Календарь» page (reached from the
profile). Every entry carries the portal link, an event its online link too. The feed reads a fixed
number of queries whatever the data (it must answer in ≤ 50 ms).

The clock is set on 01.12.2026 10:00 Moscow time (school year 2026/2027).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import CalendarToken
from networks.models import Role
from reporting.models import Deadline, DeadlineRule
from tests.factories import (
    AttendanceFactory,
    ContactFactory,
    EventFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    StructureFactory,
    UserFactory,
    kind,
    make_pair,
)

pytestmark = pytest.mark.django_db

SAMARA = ZoneInfo("Europe/Samara")
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Europe/Moscow"))
SITE = "https://portal.example.ru"
LINK = "https://vk.com/call/join/abc"


@pytest.fixture(autouse=True)
def frozen(settings):
    settings.SITE_URL = SITE
    with time_machine.travel(NOW, tick=False):
        yield


class World:
    """Anna heads an S5 association in Samara and mentors in a pair; one meeting is planned, one
    cancelled; the association has a deadline this school year; the pair a contact planned."""

    def __init__(self):
        region = RegionFactory(code="163", name="Самарская область", timezone="Europe/Samara")
        host = OrganisationFactory(municipality=MunicipalityFactory(region=region))
        self.anna = UserFactory(organisation=host, first_name="Анна", position="Директор")
        self.association = StructureFactory(
            kind=kind("S5"), name="Межшкольное объединение Самары", host=host
        )
        MembershipFactory(structure=self.association, user=self.anna, role=Role.HEAD)
        self.meeting = self.event(
            "Заседание: итоги полугодия", dt.datetime(2026, 12, 10, 15, 0, tzinfo=SAMARA)
        )
        self.cancelled = self.event(
            "Заседание: перенесено", dt.datetime(2026, 12, 3, 15, 0, tzinfo=SAMARA)
        )
        self.cancelled.status = "cancelled"
        self.cancelled.save()
        rule = DeadlineRule.objects.create(
            title="Анализ работы объединения",
            deliverable="report",
            kind=self.association.kind,
            due_month=7,
            due_day=15,
            deliverer_role=Role.HEAD,
            recipient="МКУ «ЦНППМ»",
        )
        self.deadline = Deadline.objects.create(
            rule=rule,
            structure=self.association,
            school_year=2026,
            due_on=dt.date(2027, 7, 15),
        )
        self.pair = make_pair(year=2026, mentor=self.anna)
        self.contact = ContactFactory(
            pair=self.pair, date=dt.date(2026, 12, 5), topic="Посещение уроков математики"
        )
        self.past_contact = ContactFactory(pair=self.pair, date=dt.date(2026, 11, 5))
        self.stranger = UserFactory()

    def event(self, title, starts_at, structure=None):
        event = EventFactory(
            structure=structure or self.association,
            title=title,
            starts_at=starts_at,
            format="mixed",
            link=LINK,
        )
        AttendanceFactory(event=event, user=self.anna, attended=None)
        return event


@pytest.fixture
def world():
    return World()


def issue(client, user, structure=None) -> str:
    client.force_login(user)
    client.post(
        reverse("reporting:calendar_issue"), {"structure": structure.pk if structure else ""}
    )
    token = CalendarToken.objects.get(user=user, structure=structure).token
    client.logout()
    return reverse("reporting:calendar_feed", args=[token])


def read(response) -> icalendar.Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def entries(cal) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def test_my_feed_needs_no_sign_in_and_has_my_meetings_deadlines_and_pair_contacts(world, client):
    feed = issue(client, world.anna)

    cal = read(client.get(feed))

    found = entries(cal)
    meeting = found["Заседание: итоги полугодия"]
    page = f"{SITE}/structures/{world.association.pk}/events/{world.meeting.pk}/"
    assert str(meeting["UID"]) == f"event-{world.meeting.pk}@portal.example.ru"
    assert page in str(meeting["DESCRIPTION"]) and LINK in str(meeting["DESCRIPTION"])
    assert LINK in str(meeting["LOCATION"])
    assert str(meeting["URL"]) == page
    assert meeting["DTSTART"].params["TZID"] == "Europe/Samara"
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Samara"]
    assert "METHOD" not in cal  # a published calendar, not an invitation
    assert cal.decoded("REFRESH-INTERVAL") == dt.timedelta(hours=1)
    assert b"X-PUBLISHED-TTL:PT1H" in cal.to_ical()
    # A cancelled meeting stays, marked cancelled, so that calendars drop it.
    assert found["Заседание: перенесено"]["STATUS"] == "CANCELLED"

    deadline = found["Срок: Анализ работы объединения — Межшкольное объединение Самары"]
    assert deadline.decoded("DTSTART") == dt.date(2027, 7, 15)
    assert f"{SITE}/deadlines/" in str(deadline["DESCRIPTION"])

    contact = found["Сетевая пара: Посещение уроков математики"]
    assert contact.decoded("DTSTART") == dt.date(2026, 12, 5)
    assert f"{SITE}{reverse('mentoring:pair_detail', args=[world.pair.pk])}" in str(
        contact["DESCRIPTION"]
    )
    assert len([s for s in found if s.startswith("Сетевая пара:")]) == 1  # past contacts: no


def test_a_calendar_app_may_ask_with_head(world, client):
    feed = issue(client, world.anna)

    assert client.head(feed).status_code == 200


def test_a_wrong_token_is_404(world, client):
    issue(client, world.anna)

    assert client.get(reverse("reporting:calendar_feed", args=["not-a-token"])).status_code == 404


def test_a_revoked_token_is_404_and_a_replaced_one_too(world, client):
    feed = issue(client, world.anna)
    client.force_login(world.anna)
    client.post(reverse("reporting:calendar_revoke"), {"structure": ""})
    client.logout()
    assert client.get(feed).status_code == 404

    first = issue(client, world.anna)
    second = issue(client, world.anna)

    assert first != second
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_a_structure_feed_is_for_its_members_and_stops_when_they_leave(world, client):
    feed = issue(client, world.anna, world.association)

    found = entries(read(client.get(feed)))
    assert "Заседание: итоги полугодия" in found
    assert not any(s.startswith("Сетевая пара:") for s in found)  # the structure's, not mine

    world.association.memberships.filter(user=world.anna).update(until=dt.date(2026, 11, 30))
    assert client.get(feed).status_code == 404


def test_a_stranger_gets_no_address_for_a_structure_he_is_not_in(world, client):
    client.force_login(world.stranger)

    response = client.post(
        reverse("reporting:calendar_issue"), {"structure": world.association.pk}, follow=True
    )

    assert "Календарь структуры доступен только её участникам." in response.content.decode()
    assert not CalendarToken.objects.filter(user=world.stranger).exists()


def test_the_calendar_page_is_reached_from_the_profile_and_says_how_to_add_the_feed(world, client):
    assert client.get(reverse("reporting:calendar")).status_code == 302  # anonymous: sign in
    client.force_login(world.anna)
    profile = client.get(reverse("people:profile")).content.decode()
    assert reverse("reporting:calendar") in profile

    page = client.get(reverse("reporting:calendar")).content.decode()

    for app in ("Яндекс Календаре", "Outlook", "Google Календаре"):
        assert app in page
    assert "Межшкольное объединение Самары" in page
    issue(client, world.anna)
    client.force_login(world.anna)
    token = CalendarToken.objects.get(user=world.anna, structure=None).token
    assert (
        f"{SITE}/calendar/{token}.ics" in client.get(reverse("reporting:calendar")).content.decode()
    )


def test_the_feed_reads_the_same_few_queries_with_ten_times_more_data(world, client):
    feed = issue(client, world.anna)

    def queries() -> int:
        cache.clear()  # the feed built, not served from the cache
        with CaptureQueriesContext(connection) as captured:
            read(client.get(feed))
        return len(captured)

    small = queries()
    other = StructureFactory(kind=kind("S8"), host=world.association.host)
    MembershipFactory(structure=other, user=world.anna)
    for day in range(20):
        starts = dt.datetime(2026, 12, 2, 15, 0, tzinfo=SAMARA) + dt.timedelta(days=day)
        world.event(f"Семинар {day}", starts, structure=other if day % 2 else None)
        ContactFactory(pair=world.pair, date=dt.date(2026, 12, 6) + dt.timedelta(days=day))

    assert queries() == small <= 6


def test_a_poll_within_minutes_is_served_from_the_cache_but_a_revoked_address_is_404_at_once(
    world, client
):
    feed = issue(client, world.anna)
    cache.clear()
    read(client.get(feed))

    with CaptureQueriesContext(connection) as captured:
        cal = read(client.get(feed))
    assert len(captured) == 1  # the token
    assert "Заседание: итоги полугодия" in entries(cal)

    client.force_login(world.anna)
    client.post(reverse("reporting:calendar_revoke"), {"structure": ""})
    client.logout()
    assert client.get(feed).status_code == 404


def test_a_deleted_account_takes_its_calendar_addresses_with_it(world, client):
    from networks.account.services import user_anonymise

    feed = issue(client, world.anna)

    user_anonymise(user=world.anna)

    assert not CalendarToken.objects.filter(user=world.anna).exists()
    assert client.get(feed).status_code == 404
