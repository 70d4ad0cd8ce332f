"""A cast around one network pair (S4) and one network community of teachers (S8) with tutoring,
in one territory, this school year:

- the pair: its mentee (director of a ШНОР), its mentor (director of a leader school), its curator
  (a methodist of the city's methodical centre);
- another pair's mentor, the territory's coordinator and methodist, a methodist elsewhere;
- the S8 community: its coordinator, a tutor (leader school), a teacher (ШНОР), a plain member;
- an outsider.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

import pytest

from networks.models import OrganisationKind, Role, Structure, TerritoryRole, User
from networks.schoolyear import SchoolYear
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    TutorAssignmentFactory,
    UserFactory,
    kind,
    make_pair,
)
from tests.helpers import rolled_back_at_the_end

YEAR = SchoolYear.current().start


def school(municipality, status: str | None, **kwargs):
    organisation = OrganisationFactory(municipality=municipality, **kwargs)
    if status:
        OrganisationStatusFactory(organisation=organisation, school_year=YEAR, status=status)
    return organisation


@dataclass
class PairCast:
    pair: Structure
    other_pair: Structure
    community: Structure
    assignment: object
    shnor: object  # the mentee's school
    leader: object  # the mentor's school
    centre: object  # the curators' methodical centre
    order: object
    people: dict[str, User | None] = field(default_factory=dict)


@pytest.fixture(scope="module")
def _built_pair_cast(django_db_setup, django_db_blocker) -> PairCast:
    """The cast is built once per test module inside a transaction rolled back at the module's
    end; each test changes it in a savepoint of its own."""
    with rolled_back_at_the_end(django_db_blocker):
        yield build_pair_cast()


@pytest.fixture
def pair_cast(_built_pair_cast, db) -> PairCast:
    return copy.deepcopy(_built_pair_cast)


@pytest.fixture
def coordinator(client, territory):
    """The coordinator of the requesting module's `territory`, signed in (test_matching.py and
    test_matching_shnor_teachers.py; test_competences.py has a coordinator of its own)."""
    person = TerritoryRoleFactory(
        role=TerritoryRole.Role.COORDINATOR, region=territory["region"]
    ).user
    client.force_login(person)
    return person


def build_pair_cast() -> PairCast:
    region = RegionFactory(code="71", name="Тульская область")
    city = MunicipalityFactory(region=region, name="город Тула")
    centre = school(
        city,
        None,
        kind=OrganisationKind.METHODICAL,
        short_name="МКУ «Центр непрерывного повышения профессионального мастерства»",
    )
    authority = school(city, None, kind=OrganisationKind.AUTHORITY, short_name="Управление")
    order = OrderFactory(issuer=authority, number="1-пр", title="О сетевых парах руководителей")
    shnor = school(city, "shnor", short_name="МБОУ «Центр образования № 12»")
    leader = school(city, "leader", short_name="МБОУ «Лицей № 1»")

    def person(email, organisation, position="Директор"):
        return UserFactory(email=email, organisation=organisation, position=position)

    people: dict[str, User | None] = {
        "mentee": person("mentee@school.example", shnor),
        "mentor": person("mentor@school.example", leader),
        "curator": person("curator@school.example", centre, "Методист"),
    }
    pair = make_pair(
        year=YEAR,
        mentee=people["mentee"],
        mentor=people["mentor"],
        curator=people["curator"],
        host=centre,
        founding_order=order,
    )
    other_mentor = person("other.mentor@school.example", school(city, "leader"))
    other_pair = make_pair(
        year=YEAR,
        mentee=person("other.mentee@school.example", school(city, "shnor")),
        mentor=other_mentor,
        host=centre,
        founding_order=order,
    )
    community = StructureFactory(
        kind=kind("S8"), name="Сетевое сообщество педагогов", host=centre, founding_order=order
    )

    def member(role, email, organisation, position="Учитель математики"):
        user = person(email, organisation, position)
        MembershipFactory(structure=community, user=user, role=role, since=dt.date(YEAR, 9, 15))
        return user

    people["community_coordinator"] = member(
        Role.COORDINATOR, "coordinator@school.example", centre, "Методист"
    )
    people["tutor"] = member(Role.TUTOR, "tutor@school.example", leader)
    people["teacher"] = member(Role.MEMBER, "teacher@school.example", shnor)
    people["member"] = member(Role.MEMBER, "member@school.example", leader, "Учитель физики")
    assignment = TutorAssignmentFactory(
        structure=community,
        tutor=people["tutor"],
        teacher=people["teacher"],
        subject="Математика",
        since=dt.date(YEAR, 9, 20),
    )

    def territory(role, email, region_):
        user = person(email, centre, "Методист")
        TerritoryRoleFactory(user=user, role=role, region=region_)
        return user

    people.update(
        {
            "other_mentor": other_mentor,
            "territory_coordinator": territory(
                TerritoryRole.Role.COORDINATOR, "tcoord@school.example", region
            ),
            "methodist": territory(
                TerritoryRole.Role.METHODIST, "methodist@school.example", region
            ),
            "methodist_elsewhere": territory(
                TerritoryRole.Role.METHODIST,
                "methodist2@school.example",
                RegionFactory(code="34", name="Волгоградская область"),
            ),
            "outsider": person("outsider@school.example", leader, "Учитель"),
            "anonymous": None,
        }
    )
    return PairCast(
        pair=pair,
        other_pair=other_pair,
        community=community,
        assignment=assignment,
        shnor=shnor,
        leader=leader,
        centre=centre,
        order=order,
        people=people,
    )


def give_load(mentor: User, pairs: int) -> None:
    """`pairs` open S4 structures mentored by the person, cheaply (no checks, one shared host):
    for the load in the ranking, not for the rules of a pair."""
    host = mentor.organisation
    order = OrderFactory(issuer=host)
    for _ in range(pairs):
        structure = StructureFactory(kind=kind("S4"), host=host, founding_order=order)
        MembershipFactory(structure=structure, user=mentor, role=Role.MENTOR)


def quick_pair(*, curator: User | None = None, host=None, established_on=None, **structure):
    """A pair with a mentee, a mentor and a curator, cheaply (no checks): for lists and counts.
    People work at the host organisation; the pair starts `established_on` (default 1 October)."""
    host = host or OrganisationFactory(kind=OrganisationKind.METHODICAL)
    pair = StructureFactory(
        kind=kind("S4"),
        host=host,
        founding_order=structure.pop("founding_order", None) or OrderFactory(issuer=host),
        established_on=established_on or dt.date(YEAR, 10, 1),
        **structure,
    )
    since = min(pair.established_on, dt.date(YEAR, 10, 1))
    for role, user in (
        (Role.MENTEE, UserFactory(organisation=host)),
        (Role.MENTOR, UserFactory(organisation=host)),
        (Role.CURATOR, curator or UserFactory(organisation=host)),
    ):
        MembershipFactory(structure=pair, user=user, role=role, since=since)
    return pair
