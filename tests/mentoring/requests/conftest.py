"""A cast for requests for targeted help, in the school year 2020/2021, frozen on 16.12.2020:

- in Тульская область (город Тула and Алексинский район): a deputy director of a ШНОР (the
  requester), a teacher of a ШССУ, the director of a leader school (may not ask for help);
- likely consultants: a member of the consultative council «РОСТ» (S2), the mentor of a network
  pair (S4), a tutor of a teachers' community (S8), the territory's methodist;
- the territory's coordinator, a coordinator of Алексинский район only, a coordinator and a
  methodist of another region, an outsider of another region.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import transaction

from mentoring.models import HelpRequest
from networks.models import OrganisationKind, Role, Structure, TerritoryRole, User
from tests.factories import (
    HelpRequestFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
    make_pair,
    topic,
)

MOSCOW = ZoneInfo("Europe/Moscow")
YEAR = 2020
TODAY = dt.date(2020, 12, 16)
NOW = dt.datetime(2020, 12, 16, 11, 0, tzinfo=MOSCOW)


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=MOSCOW)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def school(municipality, status: str | None, **kwargs):
    organisation = OrganisationFactory(municipality=municipality, **kwargs)
    if status:
        OrganisationStatusFactory(organisation=organisation, school_year=YEAR, status=status)
    return organisation


@dataclass
class RequestCast:
    region: object
    city: object
    district: object
    shnor: object
    council: Structure
    pair: Structure
    people: dict[str, User | None] = field(default_factory=dict)

    def request(self, requester: str = "requester", **kwargs) -> HelpRequest:
        person = self.people[requester]
        return HelpRequestFactory(requester=person, **kwargs)

    def routed(self, consultant: str = "consultant", **kwargs) -> HelpRequest:
        kwargs.setdefault("created_at", at(dt.date(2020, 12, 10)))
        kwargs.setdefault("status", HelpRequest.Status.ROUTED)
        return self.request(
            consultant=self.people[consultant],
            routed_by=self.people["coordinator"],
            routed_at=at(dt.date(2020, 12, 11)),
            **kwargs,
        )

    def answered(self, **kwargs) -> HelpRequest:
        kwargs.setdefault("status", HelpRequest.Status.ANSWERED)
        kwargs.setdefault(
            "answer", "Рекомендуем провести анализ ВПР по классам и составить план коррекции."
        )
        kwargs.setdefault("answered_at", at(dt.date(2020, 12, 14)))
        return self.routed(**kwargs)


def build_cast() -> RequestCast:
    region = RegionFactory(code="71", name="Тульская область")
    city = MunicipalityFactory(region=region, name="город Тула")
    district = MunicipalityFactory(region=region, name="Алексинский район")
    elsewhere = MunicipalityFactory(
        region=RegionFactory(code="34", name="Волгоградская область"), name="Волгоград"
    )
    centre = school(city, None, kind=OrganisationKind.METHODICAL, short_name="МКУ «ЦНППМ»")
    shnor = school(city, "shnor", short_name="МБОУ «Центр образования № 12»")
    sssu = school(district, "sssu", short_name="МБОУ «СОШ № 5 г. Алексина»")
    leader = school(city, "leader", short_name="МБОУ «Лицей № 1»")
    far = school(elsewhere, "shnor", short_name="МОУ «СШ № 45 Волгограда»")
    far_centre = school(elsewhere, None, kind=OrganisationKind.METHODICAL, short_name="ВГАПО")

    def person(email, organisation, position="Заместитель директора"):
        return UserFactory(email=email, organisation=organisation, position=position)

    def territory(email, role, region_, municipality=None):
        user = person(email, centre if region_ == region else far_centre, "Методист")
        TerritoryRoleFactory(user=user, role=role, region=region_, municipality=municipality)
        return user

    council = StructureFactory(kind=kind("S2"), name="Консультационный совет «РОСТ»", host=centre)
    community = StructureFactory(kind=kind("S8"), name="Сообщество педагогов", host=centre)
    people: dict[str, User | None] = {
        "requester": person("requester@school.example", shnor),
        "teacher": person("teacher@school.example", sssu, "Учитель математики"),
        "leader": person("leader@school.example", leader, "Директор"),
        "consultant": person("consultant@school.example", leader, "Директор"),
        "tutor": person("tutor@school.example", leader, "Учитель, педагог-тьютор"),
        "coordinator": territory(
            "coordinator@school.example", TerritoryRole.Role.COORDINATOR, region
        ),
        "district_coordinator": territory(
            "district@school.example", TerritoryRole.Role.COORDINATOR, region, district
        ),
        "methodist": territory("methodist@school.example", TerritoryRole.Role.METHODIST, region),
        "coordinator_elsewhere": territory(
            "coordinator2@school.example", TerritoryRole.Role.COORDINATOR, far.region
        ),
        "methodist_elsewhere": territory(
            "methodist2@school.example", TerritoryRole.Role.METHODIST, far.region
        ),
        "other_requester": person("other@school.example", shnor, "Директор"),
        "outsider": person("outsider@school.example", far),
        "anonymous": None,
    }
    MembershipFactory(structure=council, user=people["consultant"], role=Role.MEMBER)
    MembershipFactory(structure=community, user=people["tutor"], role=Role.TUTOR)
    mentor = person("mentor@school.example", leader, "Директор")
    people["mentor"] = mentor
    pair = make_pair(year=YEAR, mentor=mentor, host=centre)
    return RequestCast(region, city, district, shnor, council, pair, people)


@pytest.fixture(scope="module")
def module_request_cast(django_db_setup, django_db_blocker):
    """The cast is built once per test module inside a transaction that is rolled back at the
    module's end; each test runs in a savepoint inside it (as Django's setUpTestData does), so
    a test's changes never reach the next test."""
    with django_db_blocker.unblock(), transaction.atomic():
        with time_machine.travel(NOW, tick=False):
            cast = build_cast()
        yield cast
        transaction.set_rollback(True)


@pytest.fixture
def request_cast(module_request_cast, db) -> RequestCast:
    return module_request_cast


@pytest.fixture
def vpr():
    return topic("ВПР")
