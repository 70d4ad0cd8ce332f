"""An S5 association in the school year 2020/2021, frozen on 01.03.2021: its elected head, a
coordinator, three members, the territory's coordinator, and helpers to plan and hold meetings."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
import time_machine

from communities import services
from networks.models import Role, Structure, TerritoryRole, User
from tests.factories import (
    MembershipFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)
from tests.helpers import rolled_back_at_the_end

MOSCOW = ZoneInfo("Europe/Moscow")
TODAY = dt.datetime(2021, 3, 1, 12, 0, tzinfo=MOSCOW)


def at(day: dt.date, hour: int = 15) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=MOSCOW)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@dataclass
class Association:
    structure: Structure
    head: User
    coordinator: User
    members: list[User] = field(default_factory=list)
    territory_coordinator: User | None = None

    @property
    def everyone(self) -> list[User]:
        return [self.head, self.coordinator, *self.members]


@pytest.fixture(scope="module")
def _built_s5(django_db_setup, django_db_blocker):
    """The association built once per test module inside a transaction rolled back at the module's
    end; each test changes it in a savepoint of its own. Built on TODAY, as `frozen` has each test
    run, so that its timestamps (the people's date_joined, the structure's created_at) are those a
    test would have made."""
    with rolled_back_at_the_end(django_db_blocker):
        with time_machine.travel(TODAY, tick=False):
            association = build_s5()
        yield association


@pytest.fixture
def s5(_built_s5, db) -> Association:
    return copy.deepcopy(_built_s5)


def build_s5() -> Association:
    structure = StructureFactory(
        kind=kind("S5"), name="Межшкольное объединение руководителей Центрального округа"
    )
    host = structure.host

    def member(role, **kwargs):
        kwargs.setdefault("organisation", host)
        return MembershipFactory(structure=structure, role=role, user=UserFactory(**kwargs)).user

    head = member(Role.HEAD, last_name="Руденко", first_name="Ирина", patronymic="Алексеевна")
    coordinator = member(Role.COORDINATOR, last_name="Бойко", first_name="Олег")
    members = [
        member(Role.MEMBER, last_name="Андреева"),
        member(Role.MEMBER, last_name="Волков"),
        member(Role.MEMBER, last_name="Громова"),
    ]
    territory = TerritoryRoleFactory(
        role=TerritoryRole.Role.COORDINATOR, region=structure.region
    ).user
    return Association(structure, head, coordinator, members, territory)


def plan_meeting(association: Association, day: dt.date, **kwargs):
    kwargs.setdefault("title", "Заседание: анализ результатов ВПР")
    kwargs.setdefault("form", "meeting")
    kwargs.setdefault("format", "in_person")
    kwargs.setdefault("place", "МБОУ «Центр образования № 12», каб. 204")
    return services.event_create(
        structure=association.structure, by=association.head, starts_at=at(day), **kwargs
    )


def hold(association: Association, event, *, absent: int = 1):
    """Marks everybody invited as present but the last `absent`."""
    rows = list(event.attendance.order_by("pk"))
    present = [r.pk for r in rows[: len(rows) - absent]]
    return services.attendance_mark(event=event, by=association.head, present=present)


QUESTIONS = [
    services.MinutesQuestion(
        question="О результатах ВПР в школах с низкими результатами",
        decision="Принять к сведению.\nПровести адресные консультации в марте.",
        recommendations="Руководителям ШНОР проанализировать результаты по классам",
        speakers="Андреева А.А. — о результатах по математике",
    ),
    services.MinutesQuestion(
        question="О плане взаимопосещений уроков",
        decision="Утвердить график взаимопосещений",
        recommendations="Заместителям директоров согласовать даты до 15.03.2021",
    ),
]


def file_minutes(association: Association, event, *, sign: bool = False, **kwargs):
    kwargs.setdefault("number", "3")
    kwargs.setdefault("questions", QUESTIONS)
    minutes = services.minutes_create(event=event, by=association.head, **kwargs)
    if sign:
        minutes = services.minutes_sign(minutes=minutes, by=association.head)
    return minutes
