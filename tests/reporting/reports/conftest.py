"""A year of an S5 interschool association whose figures the tests know exactly, and helpers for
reports. The numbers (2020/2021):

- members: 3 from ШНОР schools (one school is also ШССУ), 2 from leader schools, 1 from a school
  with no status that year; one of them joined twice (counted once); a former member who left
  before the year and a school whose status is of another year do not count → total 6;
- meetings: 2 held of the 4 required (R-TUL-A4-4.3); a scheduled and a cancelled meeting, a
  meeting of the year before; a held seminar (events of every form: 3);
- minutes: meeting 1 signed with 2 questions; meeting 2 signed, then corrected by a signed
  version 2 with 1 question (only the correction counts); a draft of the seminar's minutes → 2
  minutes, 3 questions, 2 with recommendations;
- plan: version 1 approved with 5 items, 3 done; version 2 still a draft → 3 of 5.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from communities.models import Plan
from networks.models import Role, Structure, TerritoryRole, User
from networks.schoolyear import SchoolYear
from reporting import reminders
from reporting.models import Deadline, DeadlineRule
from tests.factories import (
    EventFactory,
    MembershipFactory,
    MinutesFactory,
    MinutesItemFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    PlanFactory,
    PlanItemFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)
from tests.helpers import rolled_back_at_the_end

YEAR = SchoolYear(2020)
PASSWORD = "pass-Word-2026"


def at(day: dt.date, hour: int = 15) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=dt.UTC)


def school(*statuses: str, year: int = 2020, name: str = ""):
    organisation = OrganisationFactory(**({"short_name": name} if name else {}))
    for status in statuses:
        OrganisationStatusFactory(organisation=organisation, school_year=year, status=status)
    return organisation


def signed(event, *, version=1, previous=None, items=1, number="1", recommendations=True):
    minutes = MinutesFactory(
        event=event,
        version=version,
        previous=previous,
        correction_reason="Исправлена опечатка" if version > 1 else "",
        number=number,
        date=timezone.localtime(event.starts_at).date(),
        status="signed",
        signed_at=event.starts_at,
        attendee_count=5,
    )
    for n in range(items):
        MinutesItemFactory(
            minutes=minutes,
            position=n + 1,
            question=f"Вопрос {n + 1} протокола {number}",
            decision=f"Решение {n + 1} протокола {number}",
            recommendations=(f"Рекомендация {n + 1}" if recommendations and n == 0 else ""),
        )
    return minutes


@dataclass
class Association:
    structure: Structure
    head: User
    coordinator: User  # the structure's coordinator (the centre, R-TUL-A4-4.5)
    territory_coordinator: User
    methodist: User
    member: User
    deadline: Deadline  # the annual analysis by 15 July 2021 (R-TUL-A4-4.6)


def make_association(name: str = "Межшкольное объединение руководителей Зареченского округа"):
    host = OrganisationFactory(
        full_name="Муниципальное казённое учреждение «Центр непрерывного повышения "
        "педагогического мастерства»",
        short_name="МКУ «ЦНППМ»",
    )
    structure = StructureFactory(
        kind=kind("S5"), name=name, host=host, established_on=dt.date(2020, 9, 1)
    )
    since = dt.date(2020, 9, 1)

    def member(organisation, role=Role.MEMBER, **extra):
        user = UserFactory(organisation=organisation, password=PASSWORD, **extra)
        MembershipFactory(structure=structure, user=user, role=role, since=since)
        return user

    both = school("shnor", "sssu")
    head = member(both, Role.HEAD, email=f"head-{structure.pk}@school.example")
    shnor = school("shnor")
    plain = member(shnor)
    # Left in December and came back in February: one person.
    returning = UserFactory(organisation=shnor)
    MembershipFactory(structure=structure, user=returning, since=since, until=dt.date(2020, 12, 31))
    MembershipFactory(structure=structure, user=returning, since=dt.date(2021, 2, 1))
    leader = school("leader")
    member(leader)
    member(leader)
    # A status of another school year does not count in 2020/2021.
    member(school("shnor", year=2019))
    # Left before the year began.
    MembershipFactory(
        structure=structure,
        user=UserFactory(organisation=school("shnor")),
        since=dt.date(2020, 1, 10),
        until=dt.date(2020, 6, 30),
    )
    coordinator = UserFactory(
        organisation=host, password=PASSWORD, email=f"coord-{structure.pk}@cnppm.example"
    )
    # Joined in September 2021: not a member during 2020/2021.
    MembershipFactory(
        structure=structure, user=coordinator, role=Role.COORDINATOR, since=dt.date(2021, 9, 1)
    )
    territory_coordinator = TerritoryRoleFactory(
        user=UserFactory(organisation=host, password=PASSWORD),
        role=TerritoryRole.Role.COORDINATOR,
        region=structure.region,
    ).user
    methodist = TerritoryRoleFactory(
        user=UserFactory(organisation=host, password=PASSWORD),
        role=TerritoryRole.Role.METHODIST,
        region=structure.region,
    ).user
    reminders.deadlines_instantiate(year=YEAR)
    deadline = Deadline.objects.get(structure=structure, rule__due_month=7)
    return Association(
        structure, head, coordinator, territory_coordinator, methodist, plain, deadline
    )


def fill_the_year(structure: Structure, *, scale: int = 1) -> None:
    """The meetings, minutes and plan of the module docstring (scale 1); `scale` multiplies the
    rows that lists grow with (meetings with their minutes, plan items), for the query-count
    tests."""
    for repeat in range(scale):
        shift = dt.timedelta(days=repeat)
        first = EventFactory(
            structure=structure, status="held", starts_at=at(dt.date(2020, 10, 15) + shift)
        )
        second = EventFactory(
            structure=structure, status="held", starts_at=at(dt.date(2021, 3, 11) + shift)
        )
        signed(first, items=2, number=f"{2 * repeat + 1}")
        wrong = signed(second, items=2, number=f"{2 * repeat + 2}")
        signed(second, version=2, previous=wrong, items=1, number=f"{2 * repeat + 2}")
    EventFactory(structure=structure, status="scheduled", starts_at=at(dt.date(2021, 5, 20)))
    EventFactory(structure=structure, status="cancelled", starts_at=at(dt.date(2021, 4, 1)))
    EventFactory(structure=structure, status="held", starts_at=at(dt.date(2020, 5, 14)))
    seminar = EventFactory(
        structure=structure, form="seminar", status="held", starts_at=at(dt.date(2020, 11, 19))
    )
    MinutesFactory(event=seminar, status="draft", date=dt.date(2020, 11, 19))
    approved = PlanFactory(structure=structure, school_year=2020, status=Plan.Status.APPROVED)
    for n in range(5 * scale):
        PlanItemFactory(plan=approved, position=n + 1, done=n % 5 < 3)
    draft = PlanFactory(
        structure=structure, school_year=2020, version=2, previous=approved, created_by=None
    )
    PlanItemFactory.create_batch(2, plan=draft)


def add_members(structure: Structure, count: int) -> None:
    """More members from more schools of every category, for the query-count tests."""
    for n in range(count):
        statuses = [("shnor",), ("shnor", "sssu"), ("leader",), ()][n % 4]
        organisation = school(*statuses, year=2020 + n % 2)
        MembershipFactory(
            structure=structure,
            user=UserFactory(organisation=organisation),
            since=dt.date(2020, 9, 1),
        )


@pytest.fixture(scope="module")
def _built_association(django_db_setup, django_db_blocker) -> Association:
    """The association of the module docstring, built once per test module inside a transaction
    rolled back at the module's end; each test changes it in a savepoint of its own. A module
    elsewhere that imports `association` imports this fixture too."""
    with rolled_back_at_the_end(django_db_blocker):
        scene = make_association()
        fill_the_year(scene.structure)
        yield scene


@pytest.fixture
def association(_built_association, db) -> Association:
    return copy.deepcopy(_built_association)


def analysis_rule() -> DeadlineRule:
    return DeadlineRule.objects.get(kind__code="S5", due_month=7)
