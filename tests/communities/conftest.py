"""A cast for permission tests: three structures in one territory and one person per role.

- `community`: an S8 network community of teachers (open; coordinator, administrator, moderator,
  member), R-PAV-1.8/6.1;
- `council`: an S2 consultative council (closed; its chair), R-TUL-A1-3.1.1;
- `association`: an S5 interschool association (closed; its elected head), R-TUL-A4-4.1;
- people around them: a member of a structure elsewhere, the territory's methodist and
  coordinator, a methodist of another territory, an outsider.

Later issues add rows by adding people here and a line to their own table.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from networks.models import Role, Structure, TerritoryRole, User
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)
from tests.helpers import rolled_back_at_the_end

# Which structure a role acts on: its own.
ROLE_STRUCTURE = {"chair": "council", "head": "association"}


@dataclass
class Cast:
    community: Structure
    council: Structure
    association: Structure
    elsewhere: Structure
    people: dict[str, User | None] = field(default_factory=dict)

    def structure_of(self, role: str) -> Structure:
        return getattr(self, self.structure_name(role))

    @staticmethod
    def structure_name(role: str) -> str:
        return ROLE_STRUCTURE.get(role, "community")

    @property
    def structures(self) -> dict[str, Structure]:
        """The structures the roles act on, by name."""
        return {name: getattr(self, name) for name in ("community", "council", "association")}


@pytest.fixture
def cast(db) -> Cast:
    return build_cast()


@pytest.fixture(scope="module")
def table_cast(django_db_setup, django_db_blocker):
    """The cast built once for a whole test module (a permission table has a cell per role and
    view: rebuilding the cast for each cell was most of the suite's time). Tests take a deep copy."""
    with rolled_back_at_the_end(django_db_blocker):
        yield build_cast()


def build_cast() -> Cast:
    municipality = MunicipalityFactory(name="Павловский район")
    host = OrganisationFactory(municipality=municipality, short_name="МБОУ «Лицей № 1»")
    order = OrderFactory(issuer=host)
    community = StructureFactory(
        kind=kind("S8"), name="Сетевое сообщество педагогов", host=host, founding_order=order
    )
    council = StructureFactory(
        kind=kind("S2"), name="Консультационный совет «РОСТ»", host=host, founding_order=order
    )
    association = StructureFactory(
        kind=kind("S5"),
        name="Межшкольное объединение руководителей",
        host=host,
        founding_order=order,
    )
    elsewhere = StructureFactory(kind=kind("S8"), name="Сообщество другой области")

    # Everybody works at the host school: fewer rows, faster tests; the school plays no part here.
    def person(email):
        return UserFactory(email=email, organisation=host)

    def member(structure, role, email):
        return MembershipFactory(structure=structure, role=role, user=person(email)).user

    def territory(role, region, email):
        return TerritoryRoleFactory(user=person(email), role=role, region=region).user

    people = {
        "coordinator": member(community, Role.COORDINATOR, "coordinator@school.example"),
        "chair": member(council, Role.CHAIR, "chair@school.example"),
        "head": member(association, Role.HEAD, "head@school.example"),
        "administrator": member(community, Role.ADMINISTRATOR, "admin@school.example"),
        "moderator": member(community, Role.MODERATOR, "moderator@school.example"),
        "member": member(community, Role.MEMBER, "member@school.example"),
        "member_elsewhere": member(elsewhere, Role.MEMBER, "elsewhere@school.example"),
        "methodist": territory(
            TerritoryRole.Role.METHODIST, community.region, "methodist@school.example"
        ),
        "methodist_elsewhere": territory(
            TerritoryRole.Role.METHODIST, elsewhere.region, "methodist2@school.example"
        ),
        "territory_coordinator": territory(
            TerritoryRole.Role.COORDINATOR, community.region, "tcoord@school.example"
        ),
        "outsider": person("outsider@school.example"),
        "anonymous": None,
    }
    return Cast(community, council, association, elsewhere, people)
