"""The organisation picker's matches: by part of the name or the number, as people type them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.account.selectors import MATCH_LIMIT, organisation_matches
from tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db
URL = reverse("people:organisation_search")


def labels(query):
    return [m.organisation.short_name for m in organisation_matches(query)[0]]


def test_number_finds_the_school_and_not_its_tens(school_no_4):
    assert labels("№ 4") == ["МОУ «Средняя общеобразовательная школа № 4»"]
    assert labels("№4") == labels("4") == labels("№ 4")


def test_abbreviation_number_and_town_find_the_spelled_out_name(school_no_2_dmitriev):
    OrganisationFactory(short_name="МКОУ «Средняя общеобразовательная школа № 2 г. Курска»")
    assert labels("СОШ 2 Дмитриев") == ["МКОУ «Средняя общеобразовательная школа № 2 г. Дмитриева»"]
    assert labels("сош 2 ДМИТРИЕВ") == labels("СОШ 2 Дмитриев")


def test_a_reorganised_school_is_not_offered(school_no_4):
    successor = OrganisationFactory(
        municipality=school_no_4.municipality, short_name="МОУ «Центр образования № 4»"
    )
    school_no_4.successor = successor
    school_no_4.save()
    assert labels("№ 4") == ["МОУ «Центр образования № 4»"]


def test_endpoint_answers_anonymous_visitors_with_name_municipality_and_region(client, school_no_4):
    data = client.get(URL, {"q": "№ 4"}).json()
    assert data["results"] == [
        {
            "id": school_no_4.pk,
            "label": "МОУ «Средняя общеобразовательная школа № 4» — Дмитриевский район, "
            "Курская область",
            "short_name": "МОУ «Средняя общеобразовательная школа № 4»",
            "municipality": "Дмитриевский район",
            "region": "Курская область",
        }
    ]
    assert data["message"] == "Найдено организаций: 1."
    assert data["more"] is False


def test_endpoint_returns_at_most_twenty_and_says_there_are_more(client):
    district = MunicipalityFactory()
    OrganisationFactory.create_batch(MATCH_LIMIT + 3, municipality=district)
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as queries:
        data = client.get(URL, {"q": "школа"}).json()
    assert len(data["results"]) == MATCH_LIMIT
    assert data["more"] is True
    assert "уточните запрос" in data["message"]
    # session and user, then one query for the matches with their places
    assert len([q for q in queries if "networks_organisation" in q["sql"]]) == 1


def test_endpoint_ignores_too_short_queries_and_says_when_nothing_is_found(client, school_no_4):
    assert client.get(URL, {"q": "ш"}).json()["results"] == []
    data = client.get(URL, {"q": "гимназия № 4"}).json()
    assert data["results"] == []
    assert data["message"].startswith("Ничего не найдено")


def test_endpoint_refuses_post(client):
    assert client.post(URL, {"q": "школа"}).status_code == 405


def test_the_host_picker_offers_only_the_coordinators_territory(client):
    """Issue 16: the structure form's host picker (`scope=territory`) lists the organisations of
    the territories the person coordinates; everyone else and the plain search see the registry."""
    from networks.models import TerritoryRole
    from tests.factories import TerritoryRoleFactory

    tula = MunicipalityFactory(name="город Тула")
    kursk = MunicipalityFactory(name="город Курск")
    OrganisationFactory(municipality=tula, short_name="МБОУ «Центр образования № 7»")
    OrganisationFactory(municipality=kursk, short_name="МБОУ «Гимназия № 7»")
    coordinator = UserFactory()
    TerritoryRoleFactory(
        user=coordinator,
        region=tula.region,
        municipality=tula,
        role=TerritoryRole.Role.COORDINATOR,
    )

    def found(**query):
        return sorted(
            r["short_name"] for r in client.get(URL, {"q": "№ 7", **query}).json()["results"]
        )

    everything = ["МБОУ «Гимназия № 7»", "МБОУ «Центр образования № 7»"]
    assert found(scope="territory") == everything  # anonymous: no territory to scope by
    client.force_login(coordinator)
    assert found() == everything
    assert found(scope="territory") == ["МБОУ «Центр образования № 7»"]
    client.force_login(UserFactory())
    assert found(scope="territory") == []
