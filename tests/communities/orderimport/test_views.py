"""The import's pages: upload, reading with progress, preview, confirm, discard, status — and who
may open them (coordinator of the territory OK, of another territory 404, a member or a
methodist 403, anonymous sign in)."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.models import Membership, OrderImport, Role, Structure, TerritoryRole
from tests.factories import (
    MunicipalityFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
)

from . import documents
from .conftest import PASSWORD


def upload(client, data, name="Приказ 83-а.docx", **extra):
    return client.post(
        reverse("orderimport:upload"),
        {"file": SimpleUploadedFile(name, data), **extra},
    )


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def test_upload_read_preview_and_confirm_in_the_browser_pages(signed_in, worker, centre):
    with worker():
        response = upload(signed_in, documents.order_001())
    order_import = OrderImport.objects.get()
    assert response.url == reverse("orderimport:detail", args=[order_import.pk])
    page = signed_in.get(response.url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Пока ничего не сохранено." in text
    assert "Вжурнале/дисциплины физико-математического цикла" in text
    assert "Стародубцева А.В." in text and "8-910-555-74-40" in text
    assert 'value="83-а"' in text
    # A rejected form keeps what was typed and names the field.
    people = order_import.proposal["people"]
    key = next(k for k, p in people.items() if p["name"] == "Разаренова А.В.")
    form = {
        "kind": "prikaz",
        "number": "83-а",
        "date": "31.02.2020",
        "title": "Мой заголовок",
        "issuer": centre.pk,
        "parent_0": "Вжурнале",
        f"email_{key}": "razarenova@tula.example",
    }
    refused = signed_in.post(reverse("orderimport:confirm", args=[order_import.pk]), form)
    assert refused.status_code == 200
    body = refused.content.decode()
    assert "Мой заголовок" in body and "razarenova@tula.example" in body
    assert 'id="id_date"' in body and "is-invalid" in body
    assert Structure.objects.count() == 0
    form["date"] = "16.09.2020"
    done = signed_in.post(reverse("orderimport:confirm", args=[order_import.pk]), form)
    assert done.status_code == 302
    result = signed_in.get(done.url).content.decode()
    assert "Создано 13 структур" in result
    assert Structure.objects.filter(parent__name="Вжурнале").count() == 12
    # The structure list shows the links; the group's page the administrators the order named.
    listing = signed_in.get(reverse("networks:structure_list") + "?page=1").content.decode()
    assert "https://vk.com/club195082605" in listing
    group = Structure.objects.get(name="Вжурнале/дисциплины физико-математического цикла")
    detail = signed_in.get(reverse("networks:structure_detail", args=[group.pk])).content.decode()
    assert "Названы в приказе" in detail and "8-910-555-74-40" in detail


def test_the_same_file_uploaded_again_opens_the_first_upload(signed_in, worker):
    # One file, uploaded twice: python-docx stamps a document with the second it was built, so two
    # builds a second apart are two different files (this failed once in CI).
    content = documents.order_001()
    with worker():
        first = upload(signed_in, content)
        second = upload(signed_in, content)
    assert first.url == second.url
    assert OrderImport.objects.count() == 1


def test_a_scanned_pdf_fails_with_its_reason_and_saves_nothing(signed_in, worker):
    from .test_parser import _pdf

    with worker():
        response = upload(signed_in, _pdf(None), name="скан.pdf")
    page = signed_in.get(response.url).content.decode()
    assert "нет текстового слоя" in page
    assert Structure.objects.count() == 0


def test_a_file_that_is_no_document_is_refused_at_its_field(signed_in):
    response = upload(signed_in, b"hello", name="приказ.docx")
    assert response.status_code == 200
    assert "не DOCX и не PDF" in response.content.decode()
    assert OrderImport.objects.count() == 0


def test_status_json_while_reading(signed_in, coordinator, region):
    order_import = OrderImport.objects.create(
        region=region,
        created_by=coordinator,
        filename="x.docx",
        sha256="0" * 64,
        total=10,
        progress=4,
    )
    state = signed_in.get(reverse("orderimport:status", args=[order_import.pk])).json()
    assert state["status"] == "reading" and state["percent"] == 40 and not state["finished"]


# --- Who may open the pages -------------------------------------------------------------------

OK, FORBIDDEN, NOT_FOUND, SIGN_IN = "OK", 403, 404, "SIGN_IN"

TABLE = {
    #  who:                   upload     detail     status     confirm    discard
    "coordinator": (OK, OK, OK, OK, OK),
    "other_coordinator": (OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND),
    "member": (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "methodist": (FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN),
    "anonymous": (SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN),
}
VIEWS = ("upload", "detail", "status", "confirm", "discard")


@pytest.fixture
def cast(region, coordinator, read):
    other_region = RegionFactory(code="34", name="Волгоградская область")
    MunicipalityFactory(region=other_region)
    other = UserFactory(email="other@volgograd.example")
    TerritoryRoleFactory(user=other, region=other_region, role=TerritoryRole.Role.COORDINATOR)
    structure = StructureFactory(region=region)
    member = UserFactory(email="member@tula.example")
    Membership.objects.create(structure=structure, user=member, role=Role.MEMBER)
    methodist = UserFactory(email="methodist@tula.example")
    TerritoryRoleFactory(user=methodist, region=region, role=TerritoryRole.Role.METHODIST)
    order_import = read(documents.order_001())
    return {
        "coordinator": coordinator,
        "other_coordinator": other,
        "member": member,
        "methodist": methodist,
        "anonymous": None,
        "import": order_import,
    }


@pytest.mark.parametrize("who", list(TABLE))
@pytest.mark.parametrize("view", VIEWS)
def test_permission_table(client, cast, who, view):
    expected = TABLE[who][VIEWS.index(view)]
    if cast[who] is not None:
        client.force_login(cast[who])
    order_import = cast["import"]
    if view == "upload":
        response = client.get(reverse("orderimport:upload"))
    elif view in ("confirm", "discard"):
        response = client.post(reverse(f"orderimport:{view}", args=[order_import.pk]), {})
    else:
        response = client.get(reverse(f"orderimport:{view}", args=[order_import.pk]))
    if expected == SIGN_IN:
        assert response.status_code == 302 and "/login" in response.url
    elif expected == OK:
        assert response.status_code in (200, 302)
        if view == "discard":
            assert not OrderImport.objects.filter(pk=order_import.pk).exists()
    else:
        assert response.status_code == expected
        assert OrderImport.objects.filter(pk=order_import.pk, status="staged").exists()
        assert Structure.objects.filter(name="Вжурнале").count() == 0


def test_the_coordinator_home_and_structure_list_link_to_the_upload(signed_in):
    link = reverse("orderimport:upload")
    assert link in signed_in.get(reverse("networks:structure_list")).content.decode()
    assert link in signed_in.get(reverse("home")).content.decode()
    assert PASSWORD
