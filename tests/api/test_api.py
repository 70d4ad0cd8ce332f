"""The open API for regional systems (issue 21): who reads what, each endpoint against the
published OpenAPI document, filters, pages, personal data, and flat query counts."""

from __future__ import annotations

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openapi_spec_validator import validate

from api.models import ApiToken
from api.services import api_token_revoke
from tests.api.helpers import (
    YEAR,
    api_client,
    assert_matches_schema,
    build_structure,
    document,
    token_for,
)

pytestmark = pytest.mark.django_db

LISTS = [
    "organisations",
    "structures",
    "orders",
    "reports",
    "deadlines",
    "risk-profiles",
    "development-documents",
    "school-curators",
    "municipalities",
]


@pytest.fixture
def municipal(land):
    """A token of the city: it reads the city only."""
    return api_client(token_for(land["region"], land["here"]))


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


def test_the_published_openapi_document_is_valid_and_describes_every_endpoint():
    spec = document()
    validate(spec)
    assert spec["info"]["version"] == "1.0.0"
    assert spec["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    for name in LISTS:
        assert f"/api/v1/{name}/" in spec["paths"]
        assert f"/api/v1/{name}/{{id}}/" in spec["paths"]


@pytest.mark.parametrize("name", LISTS)
def test_each_list_and_detail_answers_as_the_document_says(land, municipal, name):
    listed = municipal.get(f"/api/v1/{name}/")
    assert listed.status_code == 200, listed.content
    assert listed.json()["results"], name
    assert_matches_schema(listed.json(), f"/api/v1/{name}/")
    first = listed.json()["results"][0]["id"]
    detail = municipal.get(f"/api/v1/{name}/{first}/")
    assert detail.status_code == 200
    assert_matches_schema(detail.json(), f"/api/v1/{name}/{{id}}/")


# --- Who reads what ------------------------------------------------------------------------------


def test_a_token_of_another_territory_gets_404_on_detail_and_nothing_in_lists(land, municipal):
    city = land["structures"]["here"][0]
    district = land["structures"]["there"][0]
    elsewhere = land["structures"]["elsewhere"][0]
    assert ids(municipal.get("/api/v1/structures/")) == {city.pk}
    refused = municipal.get(f"/api/v1/structures/{district.pk}/")
    assert refused.status_code == 404
    assert refused.json() == {"detail": "Объект не найден или недоступен по этому ключу."}
    assert municipal.get(f"/api/v1/structures/{elsewhere.pk}/").status_code == 404
    assert municipal.get(f"/api/v1/organisations/{elsewhere.host_id}/").status_code == 404
    reports = municipal.get("/api/v1/reports/").json()["results"]
    assert {r["structure"]["id"] for r in reports} == {city.pk}
    risks = municipal.get("/api/v1/risk-profiles/").json()["results"]
    assert {r["organisation"]["municipality_id"] for r in risks} == {land["here"].pk}
    orders = ids(municipal.get("/api/v1/orders/"))
    assert city.founding_order_id in orders
    assert elsewhere.founding_order_id not in orders


def test_a_regional_token_reads_every_municipality_of_its_region_only(land):
    regional = api_client(token_for(land["region"]))
    here, there = land["structures"]["here"][0], land["structures"]["there"][0]
    assert ids(regional.get("/api/v1/structures/")) == {here.pk, there.pk}
    assert ids(regional.get("/api/v1/deadlines/")) == {
        d.pk for s in (here, there) for d in s.deadlines.all()
    }


@pytest.mark.parametrize("name", ["structures", "development-documents", "school-curators"])
@pytest.mark.parametrize(
    "secret, words",
    [(None, "Нужен ключ доступа"), ("not-a-token", "Неверный ключ"), ("revoked", "отозван")],
)
def test_no_token_a_wrong_one_or_a_revoked_one_gets_401_with_a_russian_error(
    land, secret, words, name
):
    if secret == "revoked":
        secret = token_for(land["region"])
        api_token_revoke(token=ApiToken.objects.get())
    response = api_client(secret).get(f"/api/v1/{name}/")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert words in response.json()["detail"]
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_signed_in_session_does_not_open_the_api(client, land):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/api/v1/structures/").status_code == 401


def test_the_api_is_read_only(municipal):
    assert municipal.post("/api/v1/structures/", {}).status_code == 405


# --- What it shows -------------------------------------------------------------------------------


def test_people_are_named_only_with_their_consent_and_never_with_contacts(land, municipal):
    structure = land["structures"]["here"][0]
    head = structure.memberships.get(role="head").user
    body = municipal.get(f"/api/v1/structures/{structure.pk}/").json()
    assert body["leaders"] == [
        {
            "role": "head",
            "role_name": "Руководитель",
            "name": head.full_name,
            "organisation_id": head.organisation_id,
        }
    ]
    head.show_name_consent_at = None
    head.save()
    body = municipal.get(f"/api/v1/structures/{structure.pk}/").json()
    assert body["leaders"][0]["name"] is None
    text = str([municipal.get(f"/api/v1/{name}/").json() for name in LISTS])
    assert "@" not in text and head.phone not in text


def test_a_structure_shows_its_kind_order_members_and_events_held_in_the_year(land, municipal):
    structure = land["structures"]["here"][0]
    body = municipal.get(f"/api/v1/structures/{structure.pk}/?school_year={YEAR}").json()
    assert body["kind"]["code"] == structure.kind.code
    assert body["founding_order"]["number"] == structure.founding_order.number
    assert body["members_count"] == 2
    assert body["events_held"] == {
        "school_year": YEAR,
        "school_year_label": "2020/2021",
        "events": 1,
        "meetings": 1,
    }
    later = municipal.get(f"/api/v1/structures/{structure.pk}/?school_year={YEAR + 1}").json()
    assert later["events_held"]["events"] == 0


# --- Filters and pages ---------------------------------------------------------------------------


def test_filters_by_municipality_school_year_and_status(land):
    regional = api_client(token_for(land["region"]))
    here = land["structures"]["here"][0]
    by_place = regional.get(f"/api/v1/structures/?municipality={land['here'].pk}")
    assert ids(by_place) == {here.pk}
    assert ids(regional.get(f"/api/v1/structures/?school_year={YEAR - 5}")) == set()
    shnor = regional.get(f"/api/v1/organisations/?school_year={YEAR}&status=shnor").json()
    assert len(shnor["results"]) == 2
    assert all(r["statuses"][0]["school_year_label"] == "2020/2021" for r in shnor["results"])
    assert ids(regional.get(f"/api/v1/organisations/?school_year={YEAR + 1}")) == set()
    assert len(ids(regional.get("/api/v1/reports/?status=submitted"))) == 2
    assert ids(regional.get("/api/v1/reports/?status=accepted")) == set()
    assert ids(regional.get("/api/v1/deadlines/?delivered=true")) == set()
    assert len(ids(regional.get(f"/api/v1/risk-profiles/?school_year={YEAR}&level=high"))) == 2
    assert ids(regional.get(f"/api/v1/risk-profiles/?school_year={YEAR + 1}")) == set()
    assert regional.get("/api/v1/structures/?school_year=abc").status_code == 400


def test_pages_follow_a_cursor_and_the_page_size_has_a_maximum(land, municipal):
    seen, url = [], "/api/v1/organisations/?page_size=1"
    while url:
        page = municipal.get(url).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next"]
    # The school, the host, the order's issuer and the token's own organisation, one per page.
    assert len(seen) == len(set(seen)) == 4
    assert len(municipal.get("/api/v1/organisations/?page_size=100000").json()["results"]) == 4
    from api.views import Pagination

    assert Pagination.max_page_size == 500


# --- Cost ----------------------------------------------------------------------------------------


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_each_list_costs_the_same_queries_with_five_times_the_rows(land):
    secret = token_for(land["region"], land["here"])
    client = api_client(secret)
    client.get("/api/v1/structures/")  # the token's last use is written once a minute at most
    one = {name: queries_of(client, f"/api/v1/{name}/") for name in LISTS}
    for _ in range(4):
        build_structure(land["here"])
    five = {name: queries_of(client, f"/api/v1/{name}/") for name in LISTS}
    assert five == one
    # The token, the page, and one query per nested list (statuses; events held, leaders, kinds,
    # organisations' names; the documents' status histories).
    assert one == {
        "organisations": 3,
        "structures": 6,
        "orders": 2,
        "reports": 2,
        "deadlines": 2,
        "risk-profiles": 2,
        "development-documents": 3,
        "school-curators": 2,
        "municipalities": 2,
    }


def test_every_request_is_logged_with_its_token_path_status_and_duration(land, municipal, caplog):
    with caplog.at_level(logging.INFO, logger="api"):
        municipal.get("/api/v1/structures/?school_year=2020")
        api_client(None).get("/api/v1/orders/")
    ok, refused = [r for r in caplog.records if r.name == "api"]
    token = ApiToken.objects.get()
    assert (ok.token_id, ok.path, ok.status) == (
        token.pk,
        "/api/v1/structures/?school_year=2020",
        200,
    )
    assert (refused.token_id, refused.status) == (None, 401)
    assert "duration_ms=" in ok.getMessage()
    token.refresh_from_db()
    assert token.last_used_at is not None
