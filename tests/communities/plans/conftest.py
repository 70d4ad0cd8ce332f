"""Structures of each kind with the people their plans need, for the plans tests.

A `Crew` is one structure and one person per role that matters to its plan; the territory's
coordinator and methodist stand beside it.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

import factory
import pytest
from factory.django import DjangoModelFactory

from communities.models import Plan, PlanStep
from networks.models import Role, Structure, TerritoryRole, User
from tests.factories import (
    MembershipFactory,
    PlanFactory,
    PlanItemFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)
from tests.helpers import rolled_back_at_the_end

ITEM = {
    "title": "Анализ результатов ВПР в ШНОР",
    "form": "seminar",
    "month": 10,
    "date": None,
    "responsible": "Руководитель объединения",
    "audience": "Руководители и заместители руководителей ШНОР",
    "expected_result": "Рекомендации для школ",
}


class PlanStepFactory(DjangoModelFactory):
    class Meta:
        model = PlanStep

    plan = factory.SubFactory(PlanFactory)
    action = PlanStep.Action.SUBMIT
    by = factory.SubFactory(UserFactory)


@dataclass
class Crew:
    structure: Structure
    people: dict[str, User] = field(default_factory=dict)

    def __getattr__(self, name: str) -> User:
        try:
            return self.__dict__["people"][name]
        except KeyError:
            raise AttributeError(name) from None


def crew_of(code: str, *roles: str, structure: dict | None = None, **extra: int) -> Crew:
    """A structure of the kind with one member per role (`member=3` adds members member1..3),
    the territory's coordinator and methodist, and an outsider."""
    structure = StructureFactory(kind=kind(code), **(structure or {}))
    crew = Crew(structure)
    for role in roles:
        crew.people[role] = MembershipFactory(structure=structure, role=role).user
    for role, count in extra.items():
        for n in range(1, count + 1):
            crew.people[f"{role}{n}"] = MembershipFactory(structure=structure, role=role).user
    for role in (TerritoryRole.Role.COORDINATOR, TerritoryRole.Role.METHODIST):
        crew.people[f"territory_{role}"] = TerritoryRoleFactory(
            role=role, region=structure.region
        ).user
    crew.people["outsider"] = UserFactory()
    return crew


def plan_with_items(structure: Structure, n: int = 2, **kwargs) -> Plan:
    plan = PlanFactory(structure=structure, **kwargs)
    PlanItemFactory.create_batch(n, plan=plan)
    return plan


@pytest.fixture(scope="module")
def _built_association(django_db_setup, django_db_blocker):
    """S5: the head writes, the centre's coordinator approves (R-TUL-A4-4.5). Built once per test
    module inside a transaction rolled back at the module's end; each test changes it in a
    savepoint of its own."""
    with rolled_back_at_the_end(django_db_blocker):
        yield crew_of(
            "S5",
            Role.HEAD,
            Role.COORDINATOR,
            Role.MEMBER,
            structure={"name": "Межшкольное объединение руководителей"},
        )


@pytest.fixture
def association(_built_association, db) -> Crew:
    """S5: the head writes, the centre's coordinator approves (R-TUL-A4-4.5)."""
    return copy.deepcopy(_built_association)


@pytest.fixture
def site(db) -> Crew:
    """S6: the head writes, the methodical department agrees (R-PRI-3.4), the head approves."""
    return crew_of(
        "S6",
        Role.HEAD,
        Role.COORDINATOR,
        Role.TUTOR,
        Role.MEMBER,
        structure={
            "name": "Муниципальная стажировочная площадка",
            "term_start": dt.date(2021, 1, 11),
            "term_end": dt.date(2027, 5, 31),
            "topic": "Сетевое наставничество",
        },
    )


@pytest.fixture
def centre(db) -> Crew:
    """S7: the head writes, every participant school agrees (R-DMI-1.8), the head approves."""
    return crew_of("S7", Role.HEAD, Role.WORKING_GROUP, member=3)


@pytest.fixture
def workshop(db) -> Crew:
    """S1: the coordinator drafts, the academy (the territory's coordinator) approves."""
    return crew_of("S1", Role.COORDINATOR, Role.MODERATOR, Role.MEMBER)


@pytest.fixture
def community(db) -> Crew:
    """S8: the administrator or the coordinator writes, the coordinator approves."""
    return crew_of("S8", Role.COORDINATOR, Role.ADMINISTRATOR, Role.MODERATOR, Role.MEMBER)
