"""The territory's orders register and programmes (issue 16, «instead of the Django admin»):
networks/orders/. Coordinators keep them for their territory (networks.coverage), methodists read
them, others get 403 on the lists and 404 on the objects, anonymous visitors sign in. Order files
are checked by content and served only to those who read the register."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from networks.models import Order, OrganisationKind, Programme, Role, StructureAct, TerritoryRole
from tests.communities.permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
    url,
)
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    ProgrammeFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
)
from tests.networks.test_document_files import PNG, docx_bytes

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def coordinator_of(region, municipality=None, role=TerritoryRole.Role.COORDINATOR):
    user = UserFactory()
    TerritoryRoleFactory(user=user, role=role, region=region, municipality=municipality)
    return user


class Scene:
    def __init__(self):
        self.region = RegionFactory(name="Тульская область")
        self.municipality = MunicipalityFactory(region=self.region, name="г. Тула")
        self.centre = OrganisationFactory(
            kind=OrganisationKind.METHODICAL,
            municipality=self.municipality,
            short_name="МКУ «ЦНППМ г. Тулы»",
        )
        self.elsewhere = OrganisationFactory(kind=OrganisationKind.AUTHORITY)
        self.order = OrderFactory(
            issuer=self.centre, number="83-а", date=dt.date(2020, 9, 16), title="Об утверждении"
        )
        self.order.file.save("prikaz-83a.pdf", ContentFile(PDF), save=True)
        self.foreign = OrderFactory(issuer=self.elsewhere, number="7", title="Чужой приказ")
        self.programme = ProgrammeFactory(region=self.region, municipality=self.municipality)
        structure = StructureFactory(host=self.centre, founding_order=self.order)
        self.people = {
            "coordinator": coordinator_of(self.region),
            "municipal_coordinator": coordinator_of(self.region, self.municipality),
            "other_coordinator": coordinator_of(self.elsewhere.region),
            "methodist": coordinator_of(self.region, role=TerritoryRole.Role.METHODIST),
            "member": MembershipFactory(structure=structure, role=Role.MEMBER).user,
            "outsider": UserFactory(),
            "anonymous": None,
        }


def _new_order(scene) -> dict:
    return {
        "kind": Order.Kind.PRIKAZ,
        "issuer": scene.centre.pk,
        "number": "101",
        "date": "2021-03-11",
        "title": "Об утверждении программы",
    }


def _order_made(scene) -> bool:
    return Order.objects.filter(issuer=scene.centre, number="101").exists()


def _edit_order(scene) -> dict:
    return {**_new_order(scene), "number": "83-а", "date": "2020-09-16", "title": "Исправлено"}


def _order_edited(scene) -> bool:
    return Order.objects.filter(pk=scene.order.pk, title="Исправлено").exists()


def _programme_data(scene) -> dict:
    return {
        "title": "Программа «Успех каждого»",
        "region": scene.region.pk,
        "municipality": scene.municipality.pk,
        "starts_on": "2021-09-01",
        "ends_on": "2022-08-31",
        "owner": scene.centre.pk,
        "order": scene.order.pk,
    }


def _programme_made(scene) -> bool:
    return Programme.objects.filter(title="Программа «Успех каждого»").exists()


def _programme_edited(scene) -> bool:
    return Programme.objects.filter(pk=scene.programme.pk, title__contains="Успех").exists()


def fixed(name):
    return lambda scene: reverse(name)


VIEWS = {
    "order_list": View(fixed("networks:orders:order_list")),
    "order_create": View(fixed("networks:orders:order_create")),
    "order_create (post)": View(
        fixed("networks:orders:order_create"), post=_new_order, done=_order_made
    ),
    "order_edit": View(url("networks:orders:order_edit", "order")),
    "order_edit (post)": View(
        url("networks:orders:order_edit", "order"), post=_edit_order, done=_order_edited
    ),
    "order_file": View(url("networks:orders:order_file", "order")),
    "programme_list": View(fixed("networks:orders:programme_list")),
    "programme_create": View(fixed("networks:orders:programme_create")),
    "programme_create (post)": View(
        fixed("networks:orders:programme_create"), post=_programme_data, done=_programme_made
    ),
    "programme_edit": View(url("networks:orders:programme_edit", "programme")),
    "programme_edit (post)": View(
        url("networks:orders:programme_edit", "programme"),
        post=_programme_data,
        done=_programme_edited,
    ),
}
COLUMNS = list(VIEWS)
F, N, S = FORBIDDEN, NOT_FOUND, SIGN_IN
# The other territory's coordinator may open the create pages (for his own territory); what he
# sends about this one is refused at the form's fields (400) and nothing is saved.
TABLE = {
    #                        orders: list new post edit post file  programmes: list new post edit post
    "coordinator": [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK],
    "municipal_coordinator": [OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK],
    "other_coordinator": [OK, OK, 400, N, N, N, OK, OK, 400, N, N],
    "methodist": [OK, F, F, F, F, OK, OK, F, F, F, F],
    "member": [F, F, F, N, N, N, F, F, F, N, N],
    "outsider": [F, F, F, N, N, N, F, F, F, N, N],
    "anonymous": [S, S, S, S, S, S, S, S, S, S, S],
}


@pytest.mark.parametrize(("role", "view", "expected"), cases(TABLE, COLUMNS))
def test_who_keeps_the_orders_register(
    client, django_capture_on_commit_callbacks, role, view, expected
):
    scene = Scene()
    check(
        client, scene.people[role], VIEWS[view], scene, expected, django_capture_on_commit_callbacks
    )


# --- The register -------------------------------------------------------------------------------


def test_the_register_lists_the_territorys_orders_with_their_structures_and_files(client):
    scene = Scene()
    closing = OrderFactory(issuer=scene.elsewhere, number="9-р", title="О прекращении")
    StructureFactory(
        host=scene.centre,
        name="Площадка «Старт»",
        closed_on=dt.date(2021, 5, 1),
        closing_reason="other",
        closing_order=closing,
    )
    amended = StructureFactory(host=scene.centre, name="Совет «РОСТ»")
    amending = OrderFactory(issuer=scene.elsewhere, number="12", title="О внесении изменений")
    StructureAct.objects.create(
        structure=amended, kind=StructureAct.Kind.AMENDED, order=amending, applies_on=amending.date
    )
    client.force_login(scene.people["coordinator"])

    html = client.get(reverse("networks:orders:order_list")).content.decode()

    assert "№ 83-а" in html and "Об утверждении" in html
    assert reverse("networks:orders:order_file", args=[scene.order.pk]) in html
    # Another region's authority closes or amends a structure of this territory: in its register.
    assert "О прекращении" in html and "Прекращает:" in html and "Площадка «Старт»" in html
    assert "О внесении изменений" in html and "Изменяет:" in html and "Совет «РОСТ»" in html
    assert "Создаёт:" in html
    assert "Чужой приказ" not in html


def test_the_register_says_which_changes_wait_for_their_day_and_leaves_out_withdrawn_ones(client):
    """Issue 16: an order recorded before its day shows what it will change and from when; a
    withdrawn one changed nothing and is not listed as changing the structure."""
    scene = Scene()
    waiting = StructureFactory(host=scene.centre, name="Совет «ЖДЁТ»")
    withdrawn = StructureFactory(host=scene.centre, name="Совет «ОТОЗВАН»")
    ahead = OrderFactory(issuer=scene.centre, number="31", title="О прекращении с июня")
    StructureAct.objects.create(
        structure=waiting,
        kind=StructureAct.Kind.CLOSED,
        order=ahead,
        applies_on=dt.date(2027, 6, 1),
        applied_at=None,
    )
    StructureAct.objects.create(
        structure=withdrawn,
        kind=StructureAct.Kind.AMENDED,
        order=ahead,
        applies_on=dt.date(2027, 6, 1),
        applied_at=None,
        withdrawn_at=timezone.now(),
    )
    client.force_login(scene.people["coordinator"])

    html = client.get(reverse("networks:orders:order_list")).content.decode()

    assert "Прекратит:" in html and "Совет «ЖДЁТ»" in html
    assert "(вступает в силу 01.06.2027)" in html
    changed = reverse("networks:structure_detail", args=[withdrawn.pk])
    assert f'Изменяет: <a href="{changed}">' not in html
    assert (
        f'Изменяет: <a href="{reverse("networks:structure_detail", args=[waiting.pk])}">'
        not in html
    )


def test_a_municipal_coordinator_sees_his_municipalitys_orders_not_the_regions(client):
    scene = Scene()
    regional = OrganisationFactory(
        kind=OrganisationKind.AUTHORITY, region=scene.region, municipality=None
    )
    OrderFactory(issuer=regional, number="640", title="Об утверждении списка школ")
    client.force_login(scene.people["municipal_coordinator"])

    html = client.get(reverse("networks:orders:order_list")).content.decode()

    assert "№ 83-а" in html
    assert "Об утверждении списка школ" not in html
    client.force_login(scene.people["coordinator"])
    assert (
        "Об утверждении списка школ"
        in client.get(reverse("networks:orders:order_list")).content.decode()
    )


def test_the_register_filters_by_year_and_finds_by_number_title_or_issuer(client):
    scene = Scene()
    OrderFactory(issuer=scene.centre, number="5", date=dt.date(2022, 2, 1), title="О сетевой паре")
    client.force_login(scene.people["coordinator"])
    page = reverse("networks:orders:order_list")

    def found(**query):
        return client.get(page, query).content.decode()

    assert "О сетевой паре" in found(year="2022") and "№ 83-а" not in found(year="2022")
    assert "№ 83-а" in found(q="83-а") and "О сетевой паре" not in found(q="83-а")
    assert "О сетевой паре" in found(q="сетевой")
    assert "О сетевой паре" in found(q="цнппм") and "№ 83-а" in found(q="цнппм")
    # A year that is not among the register's is refused at the field, not a 500.
    assert "Выберите корректный вариант" in found(year="1999")


def test_the_register_pins_its_query_count(client, django_assert_max_num_queries):
    scene = Scene()
    client.force_login(scene.people["coordinator"])
    page = reverse("networks:orders:order_list")
    client.get(page)  # the session and the language settle

    def queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            assert client.get(page).status_code == 200
        return len(captured)

    few = queries()
    for n in range(30):
        order = OrderFactory(issuer=scene.centre, number=f"n{n}")
        StructureFactory(host=scene.centre, founding_order=order)
    with django_assert_max_num_queries(12):
        client.get(page)
    assert queries() == few


def test_the_order_file_is_served_to_readers_only_and_a_missing_one_is_404(client):
    scene = Scene()
    client.force_login(scene.people["methodist"])

    response = client.get(reverse("networks:orders:order_file", args=[scene.order.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    bare = OrderFactory(issuer=scene.centre, number="2")
    assert client.get(reverse("networks:orders:order_file", args=[bare.pk])).status_code == 404


# --- Recording an order ---------------------------------------------------------------------------


def test_a_coordinator_records_an_order_with_its_file(client):
    scene = Scene()
    client.force_login(scene.people["coordinator"])
    data = {**_new_order(scene), "file": SimpleUploadedFile("приказ.docx", docx_bytes())}

    response = client.post(reverse("networks:orders:order_create"), data)

    assert response.status_code == 302
    order = Order.objects.get(issuer=scene.centre, number="101")
    assert order.date == dt.date(2021, 3, 11) and order.file.name.endswith(".docx")


def test_a_file_that_is_no_document_is_refused_at_its_field_and_the_rest_is_kept(client):
    scene = Scene()
    client.force_login(scene.people["coordinator"])
    data = {**_new_order(scene), "file": SimpleUploadedFile("приказ.pdf", PNG)}

    response = client.post(reverse("networks:orders:order_create"), data)

    assert response.status_code == 400
    form = response.context["form"]
    assert "по содержимому это не PDF, DOCX, ODT" in " ".join(form.errors["file"])
    html = response.content.decode()
    assert 'value="Об утверждении программы"' in html and 'value="101"' in html
    assert "приложите его ещё раз" in html
    assert not _order_made(scene)


def test_the_same_number_from_the_same_issuer_on_the_same_day_is_refused_clearly(client):
    scene = Scene()
    client.force_login(scene.people["coordinator"])
    data = {**_new_order(scene), "number": " 83-а ", "date": "2020-09-16"}

    response = client.post(reverse("networks:orders:order_create"), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert list(errors) == ["number"]
    assert "уже есть приказ № 83-а от 16.09.2020" in errors["number"][0]
    assert Order.objects.filter(issuer=scene.centre, number="83-а").count() == 1
    # Another day, the same number: another order.
    data["date"] = "2020-09-17"
    assert client.post(reverse("networks:orders:order_create"), data).status_code == 302


def test_every_missing_or_wrong_field_is_named(client):
    scene = Scene()
    client.force_login(scene.people["municipal_coordinator"])
    data = {"kind": "agreement", "issuer": scene.elsewhere.pk, "number": "", "date": "31.02.2021"}

    response = client.post(reverse("networks:orders:order_create"), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"kind", "issuer", "number", "date", "title"}
    assert "организация вашей территории" in errors["issuer"][0]
    assert errors["number"] == ["Укажите номер приказа."]


def test_a_coordinator_corrects_an_order_and_keeps_its_file(client):
    scene = Scene()
    client.force_login(scene.people["coordinator"])

    response = client.post(
        reverse("networks:orders:order_edit", args=[scene.order.pk]), _edit_order(scene)
    )

    assert response.status_code == 302
    scene.order.refresh_from_db()
    assert scene.order.title == "Исправлено" and scene.order.file.name.endswith(".pdf")


# --- Programmes -----------------------------------------------------------------------------------


def test_programmes_list_the_territorys_and_pin_their_query_count(
    client, django_assert_max_num_queries
):
    scene = Scene()
    ProgrammeFactory(title="Чужая программа", region=scene.elsewhere.region)
    for n in range(30):
        ProgrammeFactory(
            title=f"Программа {n}", region=scene.region, owner=scene.centre, order=scene.order
        )
    client.force_login(scene.people["coordinator"])

    with django_assert_max_num_queries(8):
        html = client.get(reverse("networks:orders:programme_list")).content.decode()

    assert "Муниципальная программа сопровождения ШНОР" in html
    assert "Чужая программа" not in html
    assert "Страница 1 из 2" in html


def test_a_programme_is_refused_field_by_field(client):
    scene = Scene()
    client.force_login(scene.people["municipal_coordinator"])
    data = {
        **_programme_data(scene),
        "municipality": "",
        "starts_on": "2022-09-01",
        "ends_on": "2021-08-31",
        "title": "",
    }

    response = client.post(reverse("networks:orders:programme_create"), data)

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["title"] == ["Укажите название программы."]
    assert errors["ends_on"] == ["Окончание программы раньше её начала."]
    # A municipal coordinator does not set up a programme of the whole region.
    assert "вне вашей территории" in errors["region"][0]
    assert 'value="2022-09-01"' in response.content.decode()


def test_an_operator_uses_the_pages_everywhere(client):
    scene = Scene()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    for name in ("order_list", "order_create", "programme_list", "programme_create"):
        assert client.get(reverse(f"networks:orders:{name}")).status_code == 200, name
    html = client.get(reverse("networks:orders:order_list")).content.decode()
    assert "Чужой приказ" in html and "№ 83-а" in html
    assert (
        client.get(reverse("networks:orders:order_edit", args=[scene.foreign.pk])).status_code
        == 200
    )
