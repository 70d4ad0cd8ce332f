"""Reminders beyond deadlines, each walked day by day with the clock set: plans waiting for a
decision, meetings without minutes, dormant pairs, overdue requests for help."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from communities.models import Minutes, Plan, PlanStep
from mentoring.models import Contact
from networks.models import Role, TerritoryRole
from reporting import reminders
from reporting.models import ReminderPreference
from tests.factories import (
    EventFactory,
    HelpRequestFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    PlanFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
    make_pair,
)

pytestmark = pytest.mark.django_db
UTC = dt.UTC


def walk(first: dt.date, last: dt.date, hour_utc: int = 6) -> list[tuple[str, str, str]]:
    """Sweeps once a day at 09:00 Moscow time; returns (day, recipient, subject) of what went out."""
    sent = []
    day = first
    while day <= last:
        moment = dt.datetime.combine(day, dt.time(hour_utc), tzinfo=UTC)
        before = len(mail.outbox)
        with time_machine.travel(moment, tick=False):
            reminders.sweep(clock=reminders.Clock(now=moment))
        sent += [(day.isoformat(), m.to[0], m.subject) for m in mail.outbox[before:]]
        day += dt.timedelta(days=1)
    return sent


@pytest.fixture
def school():
    region = RegionFactory(timezone="Europe/Moscow")
    return OrganisationFactory(municipality=MunicipalityFactory(region=region))


def test_r_tul_a4_4_5_a_plan_waiting_for_the_centre_is_reminded_weekly_until_approved(school):
    association = StructureFactory(kind=kind("S5"), host=school, name="Объединение")
    MembershipFactory(structure=association, role=Role.HEAD, user=UserFactory(organisation=school))
    centre = UserFactory(email="centre@x.ru", organisation=school)
    MembershipFactory(structure=association, role=Role.COORDINATOR, user=centre)
    plan = PlanFactory(structure=association, school_year=2020, status=Plan.Status.SUBMITTED)
    PlanStep.objects.create(
        plan=plan, action="submit", at=dt.datetime(2020, 9, 10, 12, 0, tzinfo=UTC)
    )
    sent = walk(dt.date(2020, 9, 10), dt.date(2020, 9, 22))
    assert [(day, to) for day, to, _ in sent] == [
        ("2020-09-12", "centre@x.ru"),
        ("2020-09-19", "centre@x.ru"),
    ]
    # S5 has no agreement step: a submitted plan waits for the centre's approval.
    assert sent[0][2] == "[Портал ШНОР] План ждёт утверждения: Объединение"
    Plan.objects.filter(pk=plan.pk).update(status=Plan.Status.APPROVED)
    assert walk(dt.date(2020, 9, 23), dt.date(2020, 10, 10)) == []


def test_r_tul_a4_4_4_a_meeting_without_minutes_is_reminded_a_week_later(school):
    association = StructureFactory(kind=kind("S5"), host=school)
    MembershipFactory(
        structure=association,
        role=Role.HEAD,
        user=UserFactory(email="head@x.ru", organisation=school),
    )
    MembershipFactory(structure=association, role=Role.MEMBER)  # members are not reminded
    event = EventFactory(
        structure=association,
        status="held",
        starts_at=dt.datetime(2020, 10, 15, 12, 0, tzinfo=UTC),
    )
    sent = walk(dt.date(2020, 10, 15), dt.date(2020, 10, 29))
    assert [(day, to) for day, to, _ in sent] == [
        ("2020-10-22", "head@x.ru"),
        ("2020-10-29", "head@x.ru"),
    ]
    assert "Нет протокола заседания 15.10.2020" in sent[0][2]
    Minutes.objects.create(
        event=event,
        number="1",
        date=dt.date(2020, 10, 15),
        status=Minutes.Status.SIGNED,
        signed_at=dt.datetime(2020, 10, 30, tzinfo=UTC),
        attendee_count=5,
    )
    assert walk(dt.date(2020, 10, 30), dt.date(2020, 11, 20)) == []


def test_a_dormant_pair_is_reminded_and_a_new_contact_stops_it():
    region = RegionFactory(timezone="Europe/Moscow")
    city = MunicipalityFactory(region=region)
    shnor = OrganisationFactory(municipality=city)
    OrganisationStatusFactory(organisation=shnor, school_year=2020, status="shnor")
    leader = OrganisationFactory(municipality=city)
    pair = make_pair(
        year=2020,
        mentee=UserFactory(email="mentee@x.ru", organisation=shnor),
        mentor=UserFactory(email="mentor@x.ru", organisation=leader),
        curator=UserFactory(email="curator@x.ru", organisation=leader),
        host=leader,
    )
    Contact.objects.create(
        pair=pair, date=dt.date(2020, 10, 5), form="mentoring", channel="phone", topic="Первая"
    )
    # Silent from 05.10: dormant after 30 days, i.e. reminded on 04.11, then weekly.
    sent = walk(dt.date(2020, 11, 1), dt.date(2020, 11, 11))
    assert sorted((day, to) for day, to, _ in sent) == [
        ("2020-11-04", "curator@x.ru"),
        ("2020-11-04", "mentee@x.ru"),
        ("2020-11-04", "mentor@x.ru"),
        ("2020-11-11", "curator@x.ru"),
        ("2020-11-11", "mentee@x.ru"),
        ("2020-11-11", "mentor@x.ru"),
    ]
    Contact.objects.create(
        pair=pair, date=dt.date(2020, 11, 12), form="consulting", channel="email", topic="Снова"
    )
    assert walk(dt.date(2020, 11, 12), dt.date(2020, 12, 10)) == []


def test_r_tul_a4_4_2_3_an_overdue_request_reaches_the_territory_coordinator(school):
    coordinator = TerritoryRoleFactory(
        user=UserFactory(email="coord@x.ru", organisation=school),
        role=TerritoryRole.Role.COORDINATOR,
        region=school.region,
    ).user
    OrganisationStatusFactory(organisation=school, school_year=2020, status="shnor")
    with time_machine.travel(dt.datetime(2020, 12, 1, 8, 0, tzinfo=UTC), tick=False):
        HelpRequestFactory(requester=UserFactory(organisation=school))
    sent = walk(dt.date(2020, 12, 1), dt.date(2020, 12, 23))
    assert [(day, to) for day, to, _ in sent] == [
        ("2020-12-16", "coord@x.ru"),
        ("2020-12-23", "coord@x.ru"),
    ]
    assert coordinator.notices.count() == 2


def test_reminders_of_a_kind_can_be_turned_off(school):
    association = StructureFactory(kind=kind("S5"), host=school)
    head = UserFactory(email="head@x.ru", organisation=school)
    MembershipFactory(structure=association, role=Role.HEAD, user=head)
    EventFactory(
        structure=association, status="held", starts_at=dt.datetime(2020, 10, 15, 12, tzinfo=UTC)
    )
    ReminderPreference.objects.create(user=head, kind="minutes", enabled=False)
    assert walk(dt.date(2020, 10, 20), dt.date(2020, 10, 30)) == []
