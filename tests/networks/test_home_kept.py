"""What the home page keeps in the shared cache for a territory (networks.kept, issue 19): the
person's territory roles (networks.hooks.TERRITORY_ROLES), «Структуры моей территории»
(networks.home.TERRITORY_STRUCTURES) and the region's new organisation requests
(networks.account.home.KEPT_REQUESTS). Each is read once for every person of the territory and
read again after every service that changes what it holds — in this process or another
(test_home_kept_processes.py)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.signals import user_logged_in
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.services import membership as join_services
from networks import home as home_module
from networks import hooks, services
from networks.account import services as account_services
from networks.account.home import KEPT_REQUESTS
from networks.account.services import OrganisationRequestData
from networks.home import TERRITORY_STRUCTURES
from networks.manage import services as manage_services
from networks.models import Role, Structure, TerritoryRole
from tests.factories import (
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    OrganisationRequestFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db
HOME = reverse("home")


class Territory:
    """A region with two municipalities, its coordinator and methodist, a coordinator of one
    municipality, and two associations of the region."""

    def __init__(self):
        self.region = RegionFactory(name="Курская область")
        self.city = MunicipalityFactory(region=self.region, name="город Курск")
        self.district = MunicipalityFactory(region=self.region, name="Фатежский район")
        self.host = OrganisationFactory(region=self.region, municipality=self.city)
        self.coordinator = self.role(TerritoryRole.Role.COORDINATOR)
        self.methodist = self.role(TerritoryRole.Role.METHODIST)
        self.district_coordinator = self.role(TerritoryRole.Role.COORDINATOR, self.district)
        self.first = StructureFactory(name="Объединение А", host=self.host)
        self.second = StructureFactory(name="Объединение Б", host=self.host)

    def role(self, role, municipality=None):
        return TerritoryRoleFactory(role=role, region=self.region, municipality=municipality).user


@pytest.fixture
def land():
    return Territory()


def home(client, person) -> tuple[dict, list[str]]:
    """The person's home blocks by template name, and the SQL the page ran."""
    client.force_login(person)
    with CaptureQueriesContext(connection) as context:
        blocks = client.get(HOME).context["blocks"]
    found = {b["template"].rsplit("/", 1)[-1]: b for b in blocks}
    return found, [q["sql"] for q in context.captured_queries]


def asked(sql: list[str], table: str) -> bool:
    """Whether the page read rows of the table (not an EXISTS of the flags over it)."""
    return any(q.startswith(f'SELECT "{table}".') for q in sql)


def territory_names(client, person) -> list[tuple[str, int]]:
    blocks, _sql = home(client, person)
    return [(s.name, s.member_count) for s in blocks["territory.html"]["structures"]]


# --- The person's territory roles -----------------------------------------------------------------


def test_the_territory_roles_are_read_once_and_again_after_an_operator_grants_or_takes_one(
    client, land
):
    person = land.methodist
    blocks, sql = home(client, person)
    assert [r.role for r in blocks["territory.html"]["roles"]] == ["methodist"]
    assert asked(sql, "networks_territoryrole")
    blocks, sql = home(client, person)
    assert not asked(sql, "networks_territoryrole")  # kept
    assert "organisation_requests.html" not in blocks

    # The operators grant a role in the admin: a save of the model.
    granted = TerritoryRole.objects.create(
        user=person, role=TerritoryRole.Role.COORDINATOR, region=land.region
    )
    OrganisationRequestFactory(region=land.region, name="МКОУ «Новая школа»")
    blocks, _sql = home(client, person)
    assert sorted(r.role for r in blocks["territory.html"]["roles"]) == ["coordinator", "methodist"]
    assert blocks["territory.html"]["can_create"] is True
    assert [r.name for r in blocks["organisation_requests.html"]["requests"]] == [
        "МКОУ «Новая школа»"
    ]

    granted.delete()
    blocks, _sql = home(client, person)
    assert [r.role for r in blocks["territory.html"]["roles"]] == ["methodist"]
    assert "organisation_requests.html" not in blocks

    land.region.name = "Курская обл."
    land.region.save()
    html = client.get(HOME).content.decode()
    assert "Курская обл." in html


def test_a_deleted_account_loses_its_territory_roles_on_the_home_page(client, land):
    person = land.methodist
    home(client, person)
    account_services.user_anonymise(user=person)
    person.refresh_from_db()
    request = RequestFactory().get("/")
    request.user = person
    assert hooks.home_viewer(request).territory_roles == []


# --- «Структуры моей территории» --------------------------------------------------------------------


def test_the_territory_structures_are_read_once_for_every_person_of_the_territory(
    client, land, monkeypatch
):
    read = []
    original = home_module.selectors.territory_structures

    def counted(roles):
        read.append(sorted((r.region_id, r.municipality_id) for r in roles))
        return original(roles)

    monkeypatch.setattr(home_module.selectors, "territory_structures", counted)
    first, _sql = home(client, land.coordinator)
    second, _sql = home(client, land.methodist)
    home(client, land.district_coordinator)
    # The methodist's roles differ, the territory is the same: its structures are kept. The
    # municipality's coordinator has a territory of their own.
    assert read == [[(land.region.pk, None)], [(land.region.pk, land.district.pk)]]
    assert second["territory.html"]["structures"] == first["territory.html"]["structures"]
    assert [s.name for s in second["territory.html"]["structures"]] == [
        "Объединение А",
        "Объединение Б",
    ]


def test_every_service_that_changes_the_territory_structures_shows_on_the_next_home(client, land):
    methodist, coordinator = land.methodist, land.coordinator
    assert territory_names(client, methodist) == [("Объединение А", 0), ("Объединение Б", 0)]

    created = Structure(
        kind=kind("S5"),
        name="Объединение В",
        host=land.host,
        region=land.region,
        municipality=land.city,
        established_on=dt.date(2020, 9, 16),
    )
    manage_services.structure_create(
        structure=created, founding_order=OrderFactory(), by=coordinator
    )
    assert [n for n, _m in territory_names(client, methodist)] == [
        "Объединение А",
        "Объединение Б",
        "Объединение В",
    ]

    manage_services.structure_edit(
        structure=created, values={"name": "Объединение 0"}, by=coordinator
    )
    assert territory_names(client, methodist)[0] == ("Объединение 0", 0)

    member = services.membership_add(structure=land.first, user=UserFactory(), role=Role.MEMBER)
    assert ("Объединение А", 1) in territory_names(client, methodist)

    services.membership_end(membership=member)
    assert ("Объединение А", 0) in territory_names(client, methodist)

    # A request approved by the structure's coordinator makes a member.
    land.first.kind.open_membership = True
    land.first.kind.save()
    request = join_services.join_request_file(
        structure=land.first, user=UserFactory(), reason="Хочу участвовать"
    )
    join_services.join_request_approve(join_request=request, by=coordinator)
    assert ("Объединение А", 1) in territory_names(client, methodist)


def test_the_structures_of_a_municipality_are_kept_apart_from_the_regions(client, land):
    StructureFactory(
        name="Объединение района",
        host=OrganisationFactory(region=land.region, municipality=land.district),
    )
    region_wide = [n for n, _m in territory_names(client, land.coordinator)]
    district = [n for n, _m in territory_names(client, land.district_coordinator)]
    assert region_wide == ["Объединение А", "Объединение Б", "Объединение района"]
    assert district == ["Объединение района"]


def test_the_block_leaves_out_what_is_shown_above_and_still_fills_up(client, land):
    """The shared list holds more than the block shows: a person whose own structures are listed
    above still gets 20 others."""
    for n in range(45):
        StructureFactory(name=f"Объединение {n:02}", host=land.host)
    person = land.methodist
    for s in Structure.objects.filter(name__lt="Объединение 20"):
        services.membership_add(structure=s, user=person, role=Role.MEMBER)
    blocks, _sql = home(client, person)
    shown = {m.structure.name for m in blocks["my_structures.html"]["memberships"]}
    listed = [s.name for s in blocks["territory.html"]["structures"]]
    assert len(shown) == 20 and len(listed) == 20 and not shown & set(listed)
    assert listed[0] == "Объединение 20" and blocks["territory.html"]["more"] is True


# --- The region's new organisation requests --------------------------------------------------------


def request_names(client, person) -> list[str]:
    blocks, _sql = home(client, person)
    block = blocks.get("organisation_requests.html")
    return [f"{r.name} ({r.user.full_name})" for r in block["requests"]] if block else []


def test_every_service_that_changes_the_organisation_requests_shows_on_the_next_home(client, land):
    coordinator = land.coordinator
    assert request_names(client, coordinator) == []
    person = UserFactory(last_name="Петрова", first_name="Анна", patronymic="")
    data = OrganisationRequestData(
        name="МКОУ «Фатежская ООШ»", region=land.region, municipality="Фатежский район", inn=""
    )
    filed = account_services.organisation_request_file(user=person, data=data)
    assert request_names(client, coordinator) == ["МКОУ «Фатежская ООШ» (Петрова Анна)"]
    # The district's coordinator sees the region's requests too (the municipality is free text).
    assert request_names(client, land.district_coordinator) == [
        "МКОУ «Фатежская ООШ» (Петрова Анна)"
    ]

    account_services.profile_update(
        user=person,
        last_name="Иванова",
        first_name="Анна",
        patronymic="",
        position="Директор",
        post="",
        phone="",
        organisation=None,
        show_name_consent=False,
        public_name_consent=False,
    )
    assert request_names(client, coordinator) == ["МКОУ «Фатежская ООШ» (Иванова Анна)"]

    account_services.organisation_request_add_organisation(request=filed, by=coordinator)
    assert request_names(client, coordinator) == []

    second = account_services.organisation_request_file(
        user=UserFactory(last_name="Сидоров", first_name="Пётр", patronymic=""),
        data=OrganisationRequestData(
            name="МКОУ «Вторая школа»", region=land.region, municipality="", inn=""
        ),
    )
    assert request_names(client, coordinator) == ["МКОУ «Вторая школа» (Сидоров Пётр)"]
    account_services.organisation_request_reject(request=second, by=coordinator, comment="Дубль")
    assert request_names(client, coordinator) == []

    third = OrganisationRequestFactory(region=land.region, name="МКОУ «Третья школа»")
    assert [n.split(" (")[0] for n in request_names(client, coordinator)] == ["МКОУ «Третья школа»"]
    account_services.organisation_request_resolve(
        request=third, organisation=OrganisationFactory(region=land.region), by=coordinator
    )
    assert request_names(client, coordinator) == []


def test_a_sign_in_does_not_make_the_requests_read_again(client, land):
    OrganisationRequestFactory(region=land.region)
    home(client, land.coordinator)
    generation = cache.get(KEPT_REQUESTS.generation_key)
    # A sign-in writes the person's last_login only (django.contrib.auth.models.update_last_login).
    user_logged_in.send(sender=type(land.methodist), request=None, user=land.methodist)
    assert cache.get(KEPT_REQUESTS.generation_key) == generation
    _blocks, sql = home(client, land.coordinator)
    assert not asked(sql, "networks_organisationrequest")
    land.methodist.last_name = "Другая"
    land.methodist.save()
    assert cache.get(KEPT_REQUESTS.generation_key) != generation


def test_a_cache_that_does_not_answer_leaves_the_database_to_answer(client, land, monkeypatch):
    OrganisationRequestFactory(region=land.region, name="МКОУ «Школа»")

    def fails(*_args, **_kwargs):
        raise ConnectionError("Redis is down")

    for method in ("get", "set"):
        monkeypatch.setattr(cache, method, fails)
    blocks, _sql = home(client, land.coordinator)
    assert [r.name for r in blocks["organisation_requests.html"]["requests"]] == ["МКОУ «Школа»"]
    assert [s.name for s in blocks["territory.html"]["structures"]] == [
        "Объединение А",
        "Объединение Б",
    ]
    assert [r.role for r in blocks["territory.html"]["roles"]] == ["coordinator"]
    for kept in (KEPT_REQUESTS, TERRITORY_STRUCTURES, hooks.TERRITORY_ROLES):
        kept.changed()  # logged, not raised
