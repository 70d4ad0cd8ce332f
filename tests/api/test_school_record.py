"""The schools' development documents and curators in the open API (issue 21): who reads them,
what they show (never the file, its name, the curator's comment or a person's contacts), their
filters and their cost."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from networks.schoolyear import SchoolYear
from schools import services as schools
from schools.models import DevelopmentDocument, RiskFactor, SchoolCurator
from tests.api.helpers import (
    YEAR,
    api_client,
    assert_matches_schema,
    build_school_record,
    token_for,
)
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def days_later(*days: int) -> list[dt.datetime]:
    """Moments these numbers of days from now, after the territory was built (its documents were
    submitted just now): the history is written in order, as it is on the portal."""
    now = timezone.now().replace(microsecond=0)
    return [now + dt.timedelta(days=n) for n in days]


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@pytest.fixture
def municipal(land):
    """A token of the city: it reads the city only."""
    return api_client(token_for(land["region"], land["here"]))


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- Who reads what ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["development-documents", "school-curators"])
def test_a_token_of_another_territory_gets_404_on_detail_and_nothing_in_the_list(
    land, municipal, name
):
    model = DevelopmentDocument if name == "development-documents" else SchoolCurator
    here = model.objects.get(organisation__municipality=land["here"])
    listed = municipal.get(f"/api/v1/{name}/")
    assert ids(listed) == {here.pk}
    for place in ("there", "elsewhere"):
        stranger = model.objects.get(organisation__municipality=land[place])
        refused = municipal.get(f"/api/v1/{name}/{stranger.pk}/")
        assert refused.status_code == 404
        assert refused.json() == {"detail": "Объект не найден или недоступен по этому ключу."}
    # Asking by another territory's school or region finds nothing rather than leaking it.
    there = model.objects.get(organisation__municipality=land["there"])
    assert ids(municipal.get(f"/api/v1/{name}/?organisation={there.organisation_id}")) == set()
    assert ids(municipal.get(f"/api/v1/{name}/?municipality={land['there'].pk}")) == set()


@pytest.mark.parametrize("name", ["development-documents", "school-curators"])
def test_a_regional_token_reads_every_municipality_of_its_region_only(land, name):
    model = DevelopmentDocument if name == "development-documents" else SchoolCurator
    regional = api_client(token_for(land["region"]))
    expected = set(
        model.objects.filter(organisation__region=land["region"]).values_list("pk", flat=True)
    )
    assert len(expected) == 2
    assert ids(regional.get(f"/api/v1/{name}/")) == expected


def test_a_token_of_another_region_sees_none_of_them(land):
    other = api_client(token_for(land["elsewhere"].region, land["elsewhere"]))
    here = DevelopmentDocument.objects.get(organisation__municipality=land["here"])
    assert other.get(f"/api/v1/development-documents/{here.pk}/").status_code == 404
    curator = SchoolCurator.objects.get(organisation__municipality=land["here"])
    assert other.get(f"/api/v1/school-curators/{curator.pk}/").status_code == 404


# --- What a document shows -----------------------------------------------------------------------


def test_a_document_shows_its_school_kind_year_factor_and_status_never_its_file_or_comment(
    land, municipal
):
    document = DevelopmentDocument.objects.get(organisation__municipality=land["here"])
    school = document.organisation
    (returned,) = days_later(1)
    with time_machine.travel(returned, tick=False):
        schools.document_return(
            document=document, by=None, comment="Иванова И. И., тел. 8-900: доработать п. 2"
        )
    body = municipal.get(f"/api/v1/development-documents/{document.pk}/").json()
    assert body == {
        "id": document.pk,
        "organisation": {
            "id": school.pk,
            "name": str(school),
            "region_id": land["region"].pk,
            "municipality_id": land["here"].pk,
        },
        "kind": "antirisk",
        "kind_name": "Антирисковая программа",
        "school_year": YEAR,
        "school_year_label": "2020/2021",
        "factor": {
            "id": document.factor_id,
            "code": "staff",
            "name": "Дефицит педагогических кадров",
        },
        "status": "returned",
        "status_name": "Возвращён на доработку",
        "status_at": iso(returned),
    }
    assert_matches_schema(body, "/api/v1/development-documents/{id}/")
    text = municipal.get("/api/v1/development-documents/").content.decode()
    for secret in ("Петровой", ".pdf", "schools/documents", "Иванова", "8-900", "доработать"):
        assert secret not in text


def test_a_concept_has_no_factor(land, municipal):
    school = DevelopmentDocument.objects.get(organisation__municipality=land["here"]).organisation
    concept = schools.document_upload(
        school=school,
        kind="concept",
        year=SchoolYear(YEAR + 1),
        factor=None,
        file=SimpleUploadedFile("concept.pdf", b"%PDF"),
        by=None,
    )
    body = municipal.get(f"/api/v1/development-documents/{concept.pk}/").json()
    assert (body["kind"], body["factor"], body["status"], body["school_year"]) == (
        "concept",
        None,
        "draft",
        YEAR + 1,
    )
    assert_matches_schema(body, "/api/v1/development-documents/{id}/")


def test_the_status_date_is_when_the_status_was_set_not_when_a_file_was_replaced(land, municipal):
    document = DevelopmentDocument.objects.get(organisation__municipality=land["here"])
    returned, replaced, submitted, accepted = days_later(1, 5, 9, 12)
    with time_machine.travel(returned, tick=False):
        schools.document_return(document=document, by=None, comment="Доработать")
    with time_machine.travel(replaced, tick=False):
        schools.document_replace_file(
            document=document, file=SimpleUploadedFile("v2.pdf", b"%PDF"), by=None
        )
    url = f"/api/v1/development-documents/{document.pk}/"
    assert municipal.get(url).json()["status_at"] == iso(returned)
    with time_machine.travel(submitted, tick=False):
        schools.document_submit(document=document, by=None)
    with time_machine.travel(accepted, tick=False):
        schools.document_accept(document=document, by=None)
    body = municipal.get(url).json()
    assert (body["status"], body["status_at"]) == ("accepted", iso(accepted))


def test_documents_filter_by_year_kind_status_factor_and_school(land):
    regional = api_client(token_for(land["region"]))
    here = DevelopmentDocument.objects.get(organisation__municipality=land["here"])
    url = "/api/v1/development-documents/"
    assert len(ids(regional.get(f"{url}?school_year={YEAR}"))) == 2
    assert ids(regional.get(f"{url}?school_year={YEAR + 1}")) == set()
    assert len(ids(regional.get(f"{url}?kind=antirisk&status=submitted&factor=staff"))) == 2
    assert ids(regional.get(f"{url}?kind=concept")) == set()
    assert ids(regional.get(f"{url}?status=accepted")) == set()
    assert ids(regional.get(f"{url}?organisation={here.organisation_id}")) == {here.pk}
    assert ids(regional.get(f"{url}?municipality={land['here'].pk}")) == {here.pk}
    assert regional.get(f"{url}?status=lost").status_code == 400


# --- What a curator shows ------------------------------------------------------------------------


def test_a_curator_is_named_only_with_their_consent_and_never_with_contacts(land, municipal):
    curator = SchoolCurator.objects.get(organisation__municipality=land["here"])
    person = curator.user
    url = f"/api/v1/school-curators/{curator.pk}/"
    body = municipal.get(url).json()
    assert body == {
        "id": curator.pk,
        "organisation": {
            "id": curator.organisation_id,
            "name": str(curator.organisation),
            "region_id": land["region"].pk,
            "municipality_id": land["here"].pk,
        },
        "name": person.full_name,
        "since": curator.since.isoformat(),
        "until": None,
    }
    assert_matches_schema(body, "/api/v1/school-curators/{id}/")
    text = municipal.get("/api/v1/school-curators/").content.decode()
    assert person.email not in text and person.phone not in text and "@" not in text
    person.show_name_consent_at = None
    person.save()
    assert municipal.get(url).json()["name"] is None
    person.show_name_consent_at = timezone.now()
    person.anonymised_at = timezone.now()
    person.save()
    assert municipal.get(url).json()["name"] is None


def test_curators_filter_by_current_school_year_and_school(land):
    regional = api_client(token_for(land["region"]))
    here = SchoolCurator.objects.get(organisation__municipality=land["here"])
    there = SchoolCurator.objects.get(organisation__municipality=land["there"])
    SchoolCurator.objects.filter(pk=here.pk).update(since=dt.date(2019, 9, 1))
    SchoolCurator.objects.filter(pk=there.pk).update(since=dt.date(2021, 9, 1))
    with time_machine.travel(dt.datetime(2021, 5, 31, 12, 0, tzinfo=dt.UTC), tick=False):
        schools.curator_remove(curator=here, by=None)
    url = "/api/v1/school-curators/"
    assert ids(regional.get(f"{url}?current=true")) == {there.pk}
    assert ids(regional.get(f"{url}?current=false")) == {here.pk}
    # 2020/2021: the city's curator until 31.05.2021; the district's began in September 2021.
    assert ids(regional.get(f"{url}?school_year=2020")) == {here.pk}
    assert ids(regional.get(f"{url}?school_year=2021")) == {there.pk}
    assert ids(regional.get(f"{url}?school_year=2018")) == set()
    assert ids(regional.get(f"{url}?organisation={there.organisation_id}")) == {there.pk}
    assert regional.get(f"{url}?school_year=abc").status_code == 400
    body = regional.get(f"{url}{here.pk}/").json()
    assert body["until"] == "2021-05-31"


# --- Cost ----------------------------------------------------------------------------------------


def queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def add_schools(municipality, factor, n: int) -> None:
    """n schools of the municipality, each with a curator (every other one also with a second
    curator, who did not consent to show their name), an antirisk programme with a history of
    four changes and a concept."""
    for i in range(n):
        school = OrganisationFactory(municipality=municipality)
        build_school_record(school, factor)
        if i % 2:
            schools.curator_assign(school=school, user=UserFactory(organisation=school), by=None)
        document = school.development_documents.get()
        schools.document_return(document=document, by=None, comment="Доработать")
        schools.document_submit(document=document, by=None)
        schools.document_upload(
            school=school,
            kind="concept",
            year=SchoolYear(YEAR),
            factor=None,
            file=SimpleUploadedFile("c.pdf", b"%PDF"),
            by=None,
        )


def test_documents_and_curators_cost_the_same_queries_with_ten_times_the_rows(land):
    secret = token_for(land["region"], land["here"])
    client = api_client(secret)
    client.get("/api/v1/school-curators/")  # the token's last use is written once a minute at most
    factor = RiskFactor.objects.get(school_year=YEAR, code="staff")
    urls = [
        "/api/v1/development-documents/",
        f"/api/v1/development-documents/?school_year={YEAR}",
        "/api/v1/school-curators/",
        f"/api/v1/school-curators/?school_year={YEAR}",
    ]
    add_schools(land["here"], factor, 2)
    few = {url: queries_of(client, url) for url in urls}
    add_schools(land["here"], factor, 18)
    many = {url: queries_of(client, url) for url in urls}
    assert len(client.get("/api/v1/development-documents/").json()["results"]) == 41
    assert many == few
    # The token, the page, and for the documents their status histories.
    assert few == {urls[0]: 3, urls[1]: 3, urls[2]: 2, urls[3]: 2}
