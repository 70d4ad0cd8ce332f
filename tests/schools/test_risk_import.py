"""The import of a region's risk profiles (issue 21): a staged preview, nothing saved until
confirmed, the same file twice changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from networks.models import TerritoryRole
from networks.schoolyear import SchoolYear
from schools.models import RiskImport, SchoolRisk
from tests.factories import OrganisationFactory, TerritoryRoleFactory
from tests.schools.factories import RiskFactorFactory, SchoolRiskFactory

pytestmark = pytest.mark.django_db

YEAR = SchoolYear.current()


@pytest.fixture
def region_data():
    staffing = RiskFactorFactory(name="Дефицит педагогических кадров")
    equipment = RiskFactorFactory(name="Низкий уровень оснащения школы")
    first = OrganisationFactory(short_name="МБОУ СОШ № 1")
    second = OrganisationFactory(municipality=first.municipality, short_name="МБОУ СОШ № 2")
    twin_a = OrganisationFactory(municipality=first.municipality, short_name="МБОУ ООШ")
    OrganisationFactory(
        municipality=first.municipality, short_name="МБОУ ООШ", full_name=twin_a.full_name
    )
    SchoolRiskFactory(organisation=second, factor=equipment, level="low")
    coordinator = TerritoryRoleFactory(
        region=first.region, role=TerritoryRole.Role.COORDINATOR
    ).user
    csv = (
        "ИНН;Наименование;Фактор;Уровень\n"
        f"{first.inn};;Дефицит педагогических кадров;высокий\n"
        f";{second.short_name};Низкий уровень оснащения школы;средний\n"
        f"{second.inn};;Дефицит педагогических кадров;Низкий\n"
        "7100000000;;Дефицит педагогических кадров;высокий\n"
        ";МБОУ ООШ;Дефицит педагогических кадров;высокий\n"
        f"{first.inn};;Несуществующий фактор;высокий\n"
    ).encode()
    return {
        "region": first.region,
        "coordinator": coordinator,
        "csv": csv,
        "first": first,
        "second": second,
        "staffing": staffing,
        "equipment": equipment,
    }


def _upload(client, data):
    return client.post(
        "/schools/risks/import/",
        {
            "region": data["region"].pk,
            "year": YEAR.start,
            "file": SimpleUploadedFile("риски.csv", data["csv"]),
        },
    )


def test_the_preview_shows_matched_unmatched_and_doubtful_lines_and_saves_nothing(
    client, region_data
):
    client.force_login(region_data["coordinator"])
    response = _upload(client, region_data)
    staged = RiskImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{staged.pk}/")
    summary = staged.summary
    assert (summary["create"], summary["change"], summary["unchanged"]) == (2, 1, 0)
    assert (summary["unmatched"], summary["doubtful"], summary["bad"]) == (1, 1, 1)
    page = client.get(response["Location"]).content.decode()
    assert "Школа с таким ИНН в регионе не найдена." in page
    assert "Так названы несколько школ региона: укажите ИНН." in page
    assert "Такого фактора риска нет в списке этого учебного года." in page
    assert SchoolRisk.objects.count() == 1  # only the one there before


def test_confirming_applies_the_file_and_the_same_file_again_changes_nothing(client, region_data):
    client.force_login(region_data["coordinator"])
    _upload(client, region_data)
    staged = RiskImport.objects.get()
    client.post(f"/schools/risks/import/{staged.pk}/apply/")
    risks = {
        (r.organisation_id, r.factor_id): (r.level, r.source) for r in SchoolRisk.objects.all()
    }
    assert risks == {
        (region_data["first"].pk, region_data["staffing"].pk): ("high", "import"),
        (region_data["second"].pk, region_data["equipment"].pk): ("medium", "import"),
        (region_data["second"].pk, region_data["staffing"].pk): ("low", "import"),
    }
    stamps = sorted(SchoolRisk.objects.values_list("pk", "updated_at"))
    _upload(client, region_data)
    again = RiskImport.objects.order_by("-pk").first()
    assert (again.summary["create"], again.summary["change"], again.summary["unchanged"]) == (
        0,
        0,
        3,
    )
    client.post(f"/schools/risks/import/{again.pk}/apply/")
    assert sorted(SchoolRisk.objects.values_list("pk", "updated_at")) == stamps
    # An applied import is not applied twice.
    response = client.post(f"/schools/risks/import/{again.pk}/apply/", follow=True)
    assert "Эта загрузка уже применена." in response.content.decode()


def test_only_the_regions_coordinators_import(client, region_data):
    methodist = TerritoryRoleFactory(region=region_data["region"]).user
    client.force_login(methodist)
    assert client.get("/schools/risks/import/").status_code == 403
    client.force_login(region_data["coordinator"])
    _upload(client, region_data)
    staged = RiskImport.objects.get()
    other = TerritoryRoleFactory(role=TerritoryRole.Role.COORDINATOR).user
    client.force_login(other)
    assert client.get(f"/schools/risks/import/{staged.pk}/").status_code == 404
    assert client.post(f"/schools/risks/import/{staged.pk}/apply/").status_code == 404
    assert not SchoolRisk.objects.filter(source="import").exists()


def test_a_file_without_the_columns_is_refused_with_a_reason(client, region_data):
    client.force_login(region_data["coordinator"])
    region_data["csv"] = "Что-то;Другое\n1;2\n".encode()
    page = _upload(client, region_data).content.decode()
    assert "Нужны столбцы «ИНН» или «Наименование», «Фактор» и «Уровень»." in page
    assert not RiskImport.objects.exists()


def test_the_preview_runs_a_fixed_number_of_queries_whatever_the_lines(
    region_data, django_assert_num_queries
):
    from schools.risk_import import build_plan

    def queries_for(csv: bytes) -> int:
        with django_assert_num_queries(3):  # the region's schools, the year's factors, risks
            build_plan(data=csv, filename="r.csv", region=region_data["region"], year=YEAR)

    queries_for(region_data["csv"])
    more = [OrganisationFactory(municipality=region_data["first"].municipality) for _n in range(5)]
    extra = "".join(f"{s.inn};;Дефицит педагогических кадров;средний\n" for s in more)
    queries_for(region_data["csv"] + extra.encode())
