"""A school's page (issue 21): what it shows, who sees it, who changes what."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from networks.models import OrganisationStatus, TerritoryRole
from networks.schoolyear import SchoolYear
from schools.models import DevelopmentDocument, SchoolCurator, SchoolRisk
from tests.factories import (
    AttendanceFactory,
    EventFactory,
    HelpRequestFactory,
    MembershipFactory,
    OrderFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    TerritoryRoleFactory,
    TutorAssignmentFactory,
    UserFactory,
    make_pair,
)
from tests.schools.factories import (
    DevelopmentDocumentFactory,
    RiskFactorFactory,
    SchoolCuratorFactory,
    SchoolRiskFactory,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def school():
    return OrganisationFactory()


@pytest.fixture
def people(school):
    """Everyone the permission table asks about."""
    other = OrganisationFactory()
    return {
        "director": UserFactory(organisation=school, position="Директор"),
        "teacher": UserFactory(organisation=school, position="Учитель математики"),
        "curator": SchoolCuratorFactory(organisation=school).user,
        "methodist": TerritoryRoleFactory(
            region=school.region, municipality=school.municipality
        ).user,
        "coordinator": TerritoryRoleFactory(
            region=school.region, role=TerritoryRole.Role.COORDINATOR
        ).user,
        "other_methodist": TerritoryRoleFactory(
            region=other.region, municipality=other.municipality
        ).user,
        "stranger": UserFactory(organisation=other, position="Директор"),
    }


def _add_support(school, director, teacher):
    """A pair, a membership, tutoring, a help request and an attended event of the school."""
    year = SchoolYear.current().start
    OrganisationStatus.objects.get_or_create(organisation=school, school_year=year, status="shnor")
    make_pair(year=year, mentee=director)
    MembershipFactory(user=teacher)
    TutorAssignmentFactory(teacher=teacher)
    HelpRequestFactory(requester=director, helped=True)
    AttendanceFactory(user=teacher, event=EventFactory(status="held"))


def test_the_page_shows_statuses_risks_documents_support_curators_and_people(
    client, school, people
):
    order = OrderFactory(title="Об утверждении перечня ШНОР")
    OrganisationStatusFactory(organisation=school, school_year=2024, status="sssu", order=order)
    SchoolRiskFactory(organisation=school, factor__name="Дефицит педагогических кадров")
    DevelopmentDocumentFactory(organisation=school, kind="concept")
    _add_support(school, people["director"], people["teacher"])
    people["director"].show_name_consent_at = timezone.now()
    people["director"].save()

    client.force_login(people["director"])
    page = client.get(f"/schools/{school.pk}/").content.decode()

    assert "2024/2025" in page and "ШССУ" in page and "Об утверждении перечня ШНОР" in page
    assert "Дефицит педагогических кадров" in page and "высокий" in page
    assert "Концепция развития" in page and "Черновик" in page
    for what in ("Сетевая пара", "Участие в структуре", "Тьюторское сопровождение педагога"):
        assert what in page
    assert "Запрос адресной помощи" in page and "помогло" in page
    assert "присутствовал 1 человек школы" in page
    assert people["curator"].full_name in page
    # The director sees names with consent only: their own, not the teacher's (no consent).
    assert people["director"].full_name in page
    assert people["teacher"].full_name not in page
    assert "Ещё 1 человек не дал согласия показывать своё имя." in page


def test_the_territory_sees_every_name_of_the_school(client, school, people):
    client.force_login(people["methodist"])
    page = client.get(f"/schools/{school.pk}/").content.decode()
    assert people["teacher"].full_name in page and people["director"].full_name in page


def test_plural_forms_of_the_people_without_consent(client, school, people):
    for _n in range(4):
        UserFactory(organisation=school, position="Учитель")
    client.force_login(people["director"])
    page = client.get(f"/schools/{school.pk}/").content.decode()
    assert "Ещё 5 человек не дали согласия показывать своё имя." in page


# Session, user, the school (with whether the viewer curates it), territory roles, the school's
# people, the support list's count and page, statuses, predecessors, risks, documents with their
# history, curators, the bell's count: within the 15.
PAGE_QUERIES = 14


def test_the_page_runs_a_fixed_number_of_queries_whatever_the_support(
    client, school, people, django_assert_num_queries
):
    client.force_login(people["coordinator"])
    _add_support(school, people["director"], people["teacher"])
    DevelopmentDocumentFactory(organisation=school)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(f"/schools/{school.pk}/").status_code == 200
    for _n in range(3):
        _add_support(
            school,
            UserFactory(organisation=school, position="Заместитель директора"),
            UserFactory(organisation=school, position="Учитель"),
        )
        SchoolRiskFactory(organisation=school)
        DevelopmentDocumentFactory(organisation=school)
    with django_assert_num_queries(PAGE_QUERIES):
        assert client.get(f"/schools/{school.pk}/").status_code == 200


# Who may open what: 200, 403 (sees the school, may not change this), 404 (does not see it).
VIEWS = ("detail", "risks", "curator_add", "upload", "decide")
TABLE = {
    "director": (200, 403, 403, 200, 403),
    "teacher": (404, 404, 404, 404, 404),
    "curator": (200, 200, 403, 403, 200),
    "methodist": (200, 403, 403, 403, 403),
    "coordinator": (200, 200, 200, 403, 200),
    "other_methodist": (404, 404, 404, 404, 404),
    "stranger": (404, 404, 404, 404, 404),
}


def _urls(school, document):
    base = f"/schools/{school.pk}/"
    return {
        "detail": base,
        "risks": base + "risks/",
        "curator_add": base + "curators/add/",
        "upload": base + "documents/new/",
        "decide": base + f"documents/{document.pk}/decide/",
    }


def test_the_permission_table_of_the_school_page(client, school, people):
    RiskFactorFactory()
    document = DevelopmentDocumentFactory(organisation=school, status="submitted")
    urls = _urls(school, document)
    for who, expected in TABLE.items():
        client.force_login(people[who])
        got = tuple(client.get(urls[view]).status_code for view in VIEWS)
        assert got == expected, who
    client.logout()
    for view in VIEWS:
        response = client.get(urls[view])
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_an_organisation_that_is_no_school_has_no_school_page(client):
    methodical = OrganisationFactory(kind="methodical")
    person = TerritoryRoleFactory(region=methodical.region).user
    client.force_login(person)
    assert client.get(f"/schools/{methodical.pk}/").status_code == 404


def test_the_curator_sets_the_risk_profile_and_saving_it_twice_changes_nothing(
    client, school, people
):
    high, low = RiskFactorFactory(), RiskFactorFactory()
    old = RiskFactorFactory(school_year=SchoolYear.current().start - 1)
    SchoolRiskFactory(organisation=school, factor=old, level="low")
    client.force_login(people["curator"])
    form = {f"factor_{high.pk}": "high", f"factor_{low.pk}": "low"}
    assert client.post(f"/schools/{school.pk}/risks/", form).status_code == 302
    risks = dict(SchoolRisk.objects.filter(organisation=school).values_list("factor_id", "level"))
    assert risks == {high.pk: "high", low.pk: "low", old.pk: "low"}
    stamp = SchoolRisk.objects.get(factor=high).updated_at
    client.post(f"/schools/{school.pk}/risks/", form)
    assert SchoolRisk.objects.get(factor=high).updated_at == stamp
    client.post(
        f"/schools/{school.pk}/risks/", {f"factor_{high.pk}": "", f"factor_{low.pk}": "low"}
    )
    assert not SchoolRisk.objects.filter(factor=high).exists()


def test_the_coordinator_assigns_and_removes_a_curator_of_several_schools(client, school, people):
    curator = UserFactory(organisation=None, position="Методист")
    SchoolCuratorFactory(user=curator)  # already curates another school
    client.force_login(people["coordinator"])
    response = client.post(f"/schools/{school.pk}/curators/add/", {"email": curator.email})
    assert response.status_code == 302
    assignment = SchoolCurator.objects.current().get(organisation=school, user=curator)
    assert SchoolCurator.objects.current().filter(user=curator).count() == 2
    again = client.post(f"/schools/{school.pk}/curators/add/", {"email": curator.email})
    assert "уже куратор школы" in again.content.decode()
    unknown = client.post(f"/schools/{school.pk}/curators/add/", {"email": "nobody@x.example"})
    assert "нет человека с таким адресом" in unknown.content.decode()
    client.post(f"/schools/{school.pk}/curators/{assignment.pk}/remove/")
    assignment.refresh_from_db()
    assert assignment.until == dt.date.today() or assignment.until is not None
    # The removed curator no longer sees the school.
    client.force_login(curator)
    assert client.get(f"/schools/{school.pk}/").status_code == 404


def test_a_methodist_may_not_remove_a_curator(client, school, people):
    assignment = SchoolCurator.objects.get(organisation=school)
    client.force_login(people["methodist"])
    assert client.post(f"/schools/{school.pk}/curators/{assignment.pk}/remove/").status_code == 403


def test_the_director_uploads_and_submits_the_curator_returns_with_a_comment(
    client, school, people
):
    factor = RiskFactorFactory()
    client.force_login(people["director"])
    response = client.post(
        f"/schools/{school.pk}/documents/new/",
        {
            "kind": "antirisk",
            "school_year": factor.school_year,
            "factor": factor.pk,
            "file": SimpleUploadedFile("программа.pdf", PDF),
        },
    )
    assert response.status_code == 302
    document = DevelopmentDocument.objects.get(organisation=school)
    assert (document.status, document.factor) == ("draft", factor)
    client.post(f"/schools/{school.pk}/documents/{document.pk}/submit/")
    download = client.get(f"/schools/{school.pk}/documents/{document.pk}/file/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF

    client.force_login(people["curator"])
    empty = client.post(
        f"/schools/{school.pk}/documents/{document.pk}/decide/", {"decision": "return"}
    )
    assert "Напишите, что нужно доработать." in empty.content.decode()
    client.post(
        f"/schools/{school.pk}/documents/{document.pk}/decide/",
        {"decision": "return", "comment": "Добавьте сроки мероприятий"},
    )
    document.refresh_from_db()
    assert (document.status, document.comment) == ("returned", "Добавьте сроки мероприятий")
    history = list(document.changes.values_list("status", "by_id", "comment"))
    assert history == [
        ("draft", people["director"].pk, ""),
        ("submitted", people["director"].pk, ""),
        ("returned", people["curator"].pk, "Добавьте сроки мероприятий"),
    ]
    # A stranger cannot download it.
    client.force_login(people["stranger"])
    assert client.get(f"/schools/{school.pk}/documents/{document.pk}/file/").status_code == 404


def test_a_file_that_is_no_document_by_its_content_is_refused(client, school, people):
    client.force_login(people["director"])
    response = client.post(
        f"/schools/{school.pk}/documents/new/",
        {
            "kind": "concept",
            "school_year": SchoolYear.current().start,
            "file": SimpleUploadedFile("концепция.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert "по содержимому это не PDF, DOCX, ODT" in response.content.decode()
    assert not DevelopmentDocument.objects.exists()


def test_the_directors_home_links_to_the_school_page(client, school, people):
    client.force_login(people["director"])
    assert f'href="/schools/{school.pk}/"' in client.get("/").content.decode()
    client.force_login(people["teacher"])
    assert f'href="/schools/{school.pk}/"' not in client.get("/").content.decode()


def test_the_methodists_home_links_to_the_territory_table(client, people):
    client.force_login(people["methodist"])
    assert 'href="/schools/territory/"' in client.get("/").content.decode()
    client.force_login(people["director"])
    assert 'href="/schools/territory/"' not in client.get("/").content.decode()


def test_the_change_posts_refuse_who_sees_without_the_right_and_strangers(client, school, people):
    """403 to the methodist who sees the school, 404 to a stranger; nothing changes."""
    document = DevelopmentDocumentFactory(organisation=school)
    curator = SchoolCurator.objects.get(organisation=school)
    factor = RiskFactorFactory()
    base = f"/schools/{school.pk}/"
    posts = {
        base + f"documents/{document.pk}/submit/": {},
        base + f"documents/{document.pk}/replace/": {},
        base + f"curators/{curator.pk}/remove/": {},
        base + "risks/": {f"factor_{factor.pk}": "high"},
        base + "curators/add/": {"email": people["stranger"].email},
    }
    for who, expected in (("methodist", 403), ("stranger", 404)):
        client.force_login(people[who])
        for url, data in posts.items():
            assert client.post(url, data).status_code == expected, (who, url)
    document.refresh_from_db()
    curator.refresh_from_db()
    assert document.status == "draft" and curator.until is None
    assert not SchoolRisk.objects.exists()
    assert SchoolCurator.objects.filter(organisation=school).count() == 1


def test_a_document_not_submitted_has_no_decision_and_the_director_cannot_decide(
    client, school, people
):
    document = DevelopmentDocumentFactory(organisation=school)
    client.force_login(people["curator"])
    assert client.get(f"/schools/{school.pk}/documents/{document.pk}/decide/").status_code == 404
    document.status = "submitted"
    document.save()
    client.force_login(people["director"])
    response = client.post(
        f"/schools/{school.pk}/documents/{document.pk}/decide/", {"decision": "accept"}
    )
    assert response.status_code == 403
    document.refresh_from_db()
    assert document.status == "submitted"


def test_the_director_replaces_a_returned_file_resubmits_and_the_coordinator_accepts(
    client, school, people
):
    document = DevelopmentDocumentFactory(organisation=school, status="returned")
    client.force_login(people["director"])
    response = client.post(
        f"/schools/{school.pk}/documents/{document.pk}/replace/",
        {"file": SimpleUploadedFile("концепция-2.pdf", PDF)},
    )
    assert response.status_code == 302
    client.post(f"/schools/{school.pk}/documents/{document.pk}/submit/")
    client.force_login(people["coordinator"])
    client.post(
        f"/schools/{school.pk}/documents/{document.pk}/decide/",
        {"decision": "accept", "comment": ""},
    )
    document.refresh_from_db()
    assert (document.status, document.filename) == ("accepted", "концепция-2.pdf")
    assert list(document.changes.values_list("status", flat=True)) == [
        "returned",
        "submitted",
        "accepted",
    ]
    # An accepted document's file is not replaced any more.
    client.force_login(people["director"])
    assert client.get(f"/schools/{school.pk}/documents/{document.pk}/replace/").status_code == 404
