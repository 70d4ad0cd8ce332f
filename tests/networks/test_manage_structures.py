"""Issue 16, «instead of the Django admin»: coordinators create, edit, amend and close structures in
the browser, within their territory; each write is an act of the structure's timeline
(«Приказы и документы»), whose files are served to those who may see the structure."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks.models import (
    ClosingReason,
    Order,
    OrganisationKind,
    Role,
    Structure,
    StructureAct,
    TerritoryRole,
)
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db

CREATE = reverse("networks:manage:structure_create")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


def edit_url(structure):
    return reverse("networks:manage:structure_edit", args=[structure.pk])


def order_url(structure):
    return reverse("networks:manage:structure_order", args=[structure.pk])


def detail_url(structure):
    return reverse("networks:structure_detail", args=[structure.pk])


class Land:
    """A region with two municipalities, its authority, schools, a coordinator of the region and
    one of a municipality, and a coordinator of another region."""

    def __init__(self):
        self.region = RegionFactory(name="Тульская область")
        self.city = MunicipalityFactory(region=self.region, name="город Тула")
        self.district = MunicipalityFactory(region=self.region, name="Ленинский район")
        self.authority = OrganisationFactory(
            kind=OrganisationKind.METHODICAL,
            municipality=self.city,
            full_name="Муниципальное казённое учреждение «ЦНППМ г. Тулы»",
            short_name="МКУ «ЦНППМ г. Тулы»",
        )
        self.school = OrganisationFactory(municipality=self.city)
        self.school2 = OrganisationFactory(municipality=self.city)
        self.district_school = OrganisationFactory(municipality=self.district)
        self.coordinator = UserFactory(email="coordinator@tula.example")
        TerritoryRoleFactory(
            user=self.coordinator, role=TerritoryRole.Role.COORDINATOR, region=self.region
        )
        self.city_coordinator = UserFactory(email="city@tula.example")
        TerritoryRoleFactory(
            user=self.city_coordinator,
            role=TerritoryRole.Role.COORDINATOR,
            region=self.region,
            municipality=self.city,
        )
        elsewhere = RegionFactory(name="Волгоградская область")
        self.other_coordinator = UserFactory(email="coordinator@volgograd.example")
        TerritoryRoleFactory(
            user=self.other_coordinator, role=TerritoryRole.Role.COORDINATOR, region=elsewhere
        )
        self.foreign_school = OrganisationFactory(
            municipality=MunicipalityFactory(region=elsewhere)
        )
        self.founding = OrderFactory(
            issuer=self.authority, number="83-а", date=dt.date(2020, 9, 16), title="Об утверждении"
        )


@pytest.fixture
def land():
    return Land()


def founding_data(land, kind_code, **extra):
    data = {
        "kind": kind(kind_code).pk,
        "name": "Новая структура",
        "host": land.school.pk,
        "region": land.region.pk,
        "municipality": land.city.pk,
        "established_on": "2026-09-01",
        "order_kind": Order.Kind.PRIKAZ,
        "order_issuer": land.authority.pk,
        "order_number": "101",
        "order_date": "2026-08-25",
        "order_title": "О создании структуры",
        "regulation_title": "Положение о структуре",
    }
    data.update(extra)
    return data


def post(client, user, url, data):
    client.force_login(user)
    return client.post(url, data)


# --- Creating ---------------------------------------------------------------------------------


def test_the_coordinator_creates_an_s1_community_by_a_new_order_with_its_files(client, land):
    data = founding_data(
        land,
        "S1",
        order_file=SimpleUploadedFile("приказ 101.pdf", PDF),
        regulation_file=SimpleUploadedFile("положение.docx", docx()),
    )
    response = post(client, land.coordinator, CREATE, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    structure = Structure.objects.get(name="Новая структура")
    assert response["Location"] == detail_url(structure)
    order = structure.founding_order
    assert (order.issuer, order.number, order.date) == (land.authority, "101", dt.date(2026, 8, 25))
    assert order.file.name.endswith(".pdf") and structure.regulation_file.name.endswith(".docx")
    act = structure.acts.get()
    assert (act.kind, act.order, act.created_by) == (
        StructureAct.Kind.FOUNDED,
        order,
        land.coordinator,
    )


def test_an_existing_order_of_the_territory_may_found_the_structure(client, land):
    data = founding_data(land, "S1", founding_order=land.founding.pk)
    for name in ("order_number", "order_title", "order_date", "order_issuer"):
        data.pop(name)
    response = post(client, land.coordinator, CREATE, data)
    assert response.status_code == 302
    assert Structure.objects.get(name="Новая структура").founding_order == land.founding


def test_s6_without_a_term_is_refused_at_the_term_fields_and_keeps_what_was_typed(client, land):
    data = founding_data(land, "S6", topic="", order_file=SimpleUploadedFile("приказ.pdf", PDF))
    response = post(client, land.coordinator, CREATE, data)
    assert response.status_code == 400
    form = response.context["form"]
    for name in ("term_start", "term_end", "topic"):
        assert "срок и тема обязательны" in form.errors[name][0]
        assert "R-PRI" not in form.errors[name][0]
    html = response.content.decode()
    assert 'value="Новая структура"' in html and 'value="О создании структуры"' in html
    assert "приложите его ещё раз" in html and "приказ.pdf" in html
    assert not Structure.objects.filter(name="Новая структура").exists()
    assert not Order.objects.filter(number="101").exists()


def test_s6_with_term_and_topic_is_created(client, land):
    data = founding_data(
        land,
        "S6",
        term_start="2026-09-01",
        term_end="2029-08-31",
        topic="Сопровождение ШНОР",
        platform_url="https://example.org/ignored",
    )
    response = post(client, land.coordinator, CREATE, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    structure = Structure.objects.get(name="Новая структура")
    assert (structure.term_end, structure.topic) == (dt.date(2029, 8, 31), "Сопровождение ШНОР")
    # S6 has no online platform: a field of another kind sent anyway is not saved.
    assert structure.platform_url == ""


def test_s7_is_created_with_its_agreement_and_working_group_order(client, land):
    data = founding_data(
        land,
        "S7",
        agreement_number="5",
        agreement_date="2026-08-30",
        agreement_file=SimpleUploadedFile("соглашение.odt", odt()),
        agreement_schools=[land.school.pk, land.school2.pk],
        wg_number="12-о",
        wg_date="2026-09-02",
        wg_file=SimpleUploadedFile("рабочая группа.pdf", PDF),
    )
    response = post(client, land.coordinator, CREATE, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    structure = Structure.objects.get(name="Новая структура")
    acts = {a.kind: a for a in structure.acts.all()}
    assert set(acts) == {
        StructureAct.Kind.FOUNDED,
        StructureAct.Kind.AGREEMENT,
        StructureAct.Kind.WORKING_GROUP,
    }
    agreement = acts[StructureAct.Kind.AGREEMENT]
    assert agreement.order.kind == Order.Kind.AGREEMENT and agreement.order.number == "5"
    assert set(agreement.organisations.all()) == {land.school, land.school2}
    group = acts[StructureAct.Kind.WORKING_GROUP]
    assert (group.order.issuer, group.order.number) == (land.school, "12-о")


def test_s7_without_its_agreement_is_refused(client, land):
    response = post(client, land.coordinator, CREATE, founding_data(land, "S7"))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "соглашению о сотрудничестве" in errors["agreement_number"][0]
    assert "agreement_schools" in errors


def odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


def test_a_pdf_that_is_really_a_png_is_refused_in_russian(client, land):
    data = founding_data(land, "S1", order_file=SimpleUploadedFile("приказ.pdf", PNG))
    response = post(client, land.coordinator, CREATE, data)
    assert response.status_code == 400
    error = response.context["form"].errors["order_file"][0]
    assert "«приказ.pdf» не принят: по содержимому это не PDF, DOCX, ODT" in error
    assert (
        not Structure.objects.exists()
        or not Structure.objects.filter(name="Новая структура").exists()
    )


@pytest.mark.parametrize(
    ("who", "field", "extra"),
    [
        ("other_coordinator", "region", {}),
        ("city_coordinator", "municipality", {"municipality": "district"}),
        ("city_coordinator", "host", {"host": "district_school"}),
        ("coordinator", "host", {"host": "foreign_school"}),
    ],
)
def test_a_coordinator_cannot_place_a_structure_outside_their_territory(
    client, land, who, field, extra
):
    data = founding_data(land, "S1")
    for name, attribute in extra.items():
        data[name] = getattr(land, attribute).pk
    response = post(client, getattr(land, who), CREATE, data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Structure.objects.filter(name="Новая структура").exists()


def test_choosing_a_kind_without_script_redraws_its_fields_without_judging(client, land):
    client.force_login(land.coordinator)
    response = client.post(CREATE, {"kind": kind("S6").pk, "choose_kind": "1"})
    assert response.status_code == 200
    assert not response.context["form"].errors
    html = response.content.decode()
    term = html.index('data-kind-feature="requires_term_and_topic"')
    assert html[term : html.index(">", term)].find("hidden") == -1
    platform = html.index('data-kind-feature="has_online_platform"')
    assert "hidden" in html[platform : html.index(">", platform)]


# --- Editing, amending, closing -----------------------------------------------------------------


@pytest.fixture
def structure(land):
    return StructureFactory(
        kind=kind("S6"),
        name="Стажировочная площадка",
        host=land.school,
        founding_order=land.founding,
        term_start=dt.date(2020, 9, 1),
        term_end=dt.date(2027, 8, 31),
        topic="Старая тема",
        established_on=dt.date(2020, 9, 16),
    )


def edit_data(structure, **extra):
    data = {
        "name": structure.name,
        "host": structure.host_id,
        "region": structure.region_id,
        "municipality": structure.municipality_id or "",
        "founding_order": structure.founding_order_id,
        "established_on": f"{structure.established_on:%Y-%m-%d}",
        "term_start": f"{structure.term_start:%Y-%m-%d}" if structure.term_start else "",
        "term_end": f"{structure.term_end:%Y-%m-%d}" if structure.term_end else "",
        "topic": structure.topic,
        "description": structure.description,
        "regulation_title": structure.regulation_title,
        "order_kind": Order.Kind.PRIKAZ,
    }
    data.update(extra)
    return data


def test_an_edit_records_the_changed_fields_and_who_changed_them(client, land, structure):
    response = post(
        client,
        land.coordinator,
        edit_url(structure),
        edit_data(structure, name="Площадка «Успех»", topic="Новая тема"),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    act = structure.acts.get()
    assert (act.kind, act.created_by, act.order) == (
        StructureAct.Kind.EDITED,
        land.coordinator,
        None,
    )
    assert {c["field"]: (c["old"], c["new"]) for c in act.changes} == {
        "name": ("Стажировочная площадка", "Площадка «Успех»"),
        "topic": ("Старая тема", "Новая тема"),
    }
    assert act.changes[0]["label"] == "название"
    structure.refresh_from_db()
    assert structure.history.first().history_user == land.coordinator


def test_an_edit_by_order_is_an_amendment_from_the_orders_date(client, land, structure):
    amending = OrderFactory(issuer=land.authority, date=dt.date(2026, 10, 1))
    response = post(
        client,
        land.coordinator,
        edit_url(structure),
        edit_data(structure, term_end="2028-08-31", act_order=amending.pk),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    act = structure.acts.get()
    assert (act.kind, act.order, act.applies_on) == (
        StructureAct.Kind.AMENDED,
        amending,
        dt.date(2026, 10, 1),
    )


def test_an_edit_that_changes_nothing_records_nothing(client, land, structure):
    response = post(client, land.coordinator, edit_url(structure), edit_data(structure))
    assert response.status_code == 302
    assert not structure.acts.exists()


def test_an_amending_order_renames_and_moves_the_structure(client, land, structure):
    data = {
        "action": "amend",
        "order_kind": Order.Kind.RASPORYAZHENIE,
        "order_issuer": land.authority.pk,
        "order_number": "7-р",
        "order_date": "2026-11-02",
        "order_title": "О переименовании",
        "order_file": SimpleUploadedFile("распоряжение.docx", docx()),
        "name": "Площадка «Рост»",
        "host": land.school2.pk,
    }
    response = post(client, land.coordinator, order_url(structure), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    structure.refresh_from_db()
    assert (structure.name, structure.host) == ("Площадка «Рост»", land.school2)
    act = structure.acts.get()
    assert act.kind == StructureAct.Kind.AMENDED and act.applies_on == dt.date(2026, 11, 2)
    assert {c["field"] for c in act.changes} == {"name", "host"}


def test_closing_by_order_sets_closed_on_and_records_the_act(client, land, structure):
    member = MembershipFactory(structure=structure, role=Role.MEMBER, since=dt.date(2021, 1, 1))
    closing = OrderFactory(issuer=land.authority, number="9-р", date=dt.date(2026, 12, 1))
    data = {"action": "close", "order": closing.pk, "closing_reason": ClosingReason.UNFORESEEN}
    response = post(client, land.coordinator, order_url(structure), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    structure.refresh_from_db()
    assert (structure.closed_on, structure.closing_order) == (dt.date(2026, 12, 1), closing)
    act = structure.acts.get()
    assert (act.kind, act.order, act.applies_on) == (
        StructureAct.Kind.CLOSED,
        closing,
        dt.date(2026, 12, 1),
    )
    member.refresh_from_db()
    assert member.until == dt.date(2026, 12, 1)


def test_an_order_that_changes_nothing_is_refused(client, land, structure):
    closing = OrderFactory(issuer=land.authority)
    response = post(
        client, land.coordinator, order_url(structure), {"action": "amend", "order": closing.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not structure.acts.exists()


# --- The timeline -----------------------------------------------------------------------------


def test_the_timeline_shows_the_founding_order_of_a_structure_without_acts(client, land, structure):
    land.founding.file = SimpleUploadedFile("приказ.pdf", PDF)
    land.founding.save()
    client.force_login(UserFactory())
    html = client.get(detail_url(structure)).content.decode()
    assert "Приказы и документы" in html
    link = reverse("networks:manage:structure_order_file", args=[structure.pk, land.founding.pk])
    assert link in html
    response = client.get(link)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"


def test_an_order_file_is_served_only_through_a_structure_it_belongs_to(client, land, structure):
    other = OrderFactory(issuer=land.authority, file=SimpleUploadedFile("x.pdf", PDF))
    client.force_login(UserFactory())
    link = reverse("networks:manage:structure_order_file", args=[structure.pk, other.pk])
    assert client.get(link).status_code == 404


def test_the_timeline_lists_the_acts_with_their_changes(client, land, structure):
    post(
        client,
        land.coordinator,
        edit_url(structure),
        edit_data(structure, topic="Новая тема"),
    )
    html = client.get(detail_url(structure)).content.decode()
    assert "Исправление сведений" in html and "«Старая тема» → «Новая тема»" in html
    assert "Изменить" in html and "Внести приказ" in html


def test_the_timeline_runs_a_fixed_number_of_queries(
    client, land, structure, django_assert_max_num_queries
):
    viewer = UserFactory()
    client.force_login(viewer)
    client.get(detail_url(structure))  # warm up: session, the viewer's roles

    def measure():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            assert client.get(detail_url(structure)).status_code == 200
        return len(ctx.captured_queries)

    StructureAct.objects.create(
        structure=structure, kind=StructureAct.Kind.EDITED, applies_on=dt.date(2021, 1, 1)
    )
    few = measure()
    for n in range(10):
        order = OrderFactory(issuer=land.authority, file=SimpleUploadedFile("x.pdf", PDF))
        act = StructureAct.objects.create(
            structure=structure,
            kind=StructureAct.Kind.AGREEMENT,
            order=order,
            applies_on=dt.date(2021, 1, 1 + n),
            created_by=land.coordinator,
        )
        act.organisations.set([land.school, land.school2])
    many = measure()
    assert many == few
    with django_assert_max_num_queries(few):
        client.get(detail_url(structure))


def test_acts_from_fields_are_made_once_for_a_structure_set_up_elsewhere(land, structure):
    from networks.manage.services import structure_acts_from_fields
    from networks.services import structure_close

    closing = OrderFactory(issuer=land.authority, date=dt.date(2026, 12, 1))
    structure_close(
        structure=structure, on=closing.date, reason=ClosingReason.UNFORESEEN, order=closing
    )
    made = structure_acts_from_fields(structure=structure)
    assert [(a.kind, a.order) for a in made] == [
        (StructureAct.Kind.FOUNDED, land.founding),
        (StructureAct.Kind.CLOSED, closing),
    ]
    assert structure_acts_from_fields(structure=structure) == []
