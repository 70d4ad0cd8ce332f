"""The methodist's view of the territory (issue 21): the ШНОР/ШССУ of a school year with their
risk factors and measures, support, filters, the XLSX export and the coverage by factor."""

import io
from urllib.parse import quote

import pytest
from openpyxl import load_workbook

from networks.models import TerritoryRole
from networks.schoolyear import SchoolYear
from tests.factories import (
    AttendanceFactory,
    EventFactory,
    MunicipalityFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    TerritoryRoleFactory,
    TutorAssignmentFactory,
    UserFactory,
)
from tests.schools.factories import DevelopmentDocumentFactory, RiskFactorFactory, SchoolRiskFactory
from tests.xlsx_print import assert_filed

pytestmark = pytest.mark.django_db

YEAR = SchoolYear.current()


def _school(municipality, status="shnor", **kwargs):
    school = OrganisationFactory(municipality=municipality, **kwargs)
    OrganisationStatusFactory(organisation=school, school_year=YEAR.start, status=status)
    return school


@pytest.fixture
def territory():
    """A municipality with three ШНОР/ШССУ: one tutored, one with an accepted antirisk programme
    for one factor, one with nothing but a returned document; a leader school; a school of
    another municipality."""
    place = MunicipalityFactory()
    staffing = RiskFactorFactory(name="Дефицит педагогических кадров")
    equipment = RiskFactorFactory(name="Низкий уровень оснащения школы")
    tutored = _school(place, short_name="Школа с тьютором")
    SchoolRiskFactory(organisation=tutored, factor=staffing)
    teacher = UserFactory(organisation=tutored, position="Учитель")
    TutorAssignmentFactory(teacher=teacher, since=YEAR.first_day)
    AttendanceFactory(
        user=teacher,
        event=EventFactory(status="held", starts_at=_moment(YEAR)),
    )
    programme = _school(place, status="sssu", short_name="Школа с программой")
    SchoolRiskFactory(organisation=programme, factor=staffing)
    SchoolRiskFactory(organisation=programme, factor=equipment, level="medium")
    DevelopmentDocumentFactory(
        organisation=programme, kind="antirisk", factor=staffing, status="accepted"
    )
    bare = _school(place, short_name="Школа без поддержки")
    DevelopmentDocumentFactory(organisation=bare, status="returned")
    _school(place, status="leader", short_name="Школа-лидер")
    _school(MunicipalityFactory(region=place.region), short_name="Чужая школа")
    methodist = TerritoryRoleFactory(region=place.region, municipality=place).user
    return {"place": place, "methodist": methodist, "bare": bare}


def _moment(year):
    import datetime as dt

    return dt.datetime(year.start, 10, 15, 12, tzinfo=dt.UTC)


def test_the_table_shows_the_territorys_shnor_and_sssu_with_factors_measures_and_support(
    client, territory
):
    client.force_login(territory["methodist"])
    page = client.get("/schools/territory/").content.decode()
    assert "Школа с тьютором" in page and "Школа с программой" in page
    assert "Школа без поддержки" in page
    assert "Школа-лидер" not in page and "Чужая школа" not in page
    assert "3 школы со статусом ШНОР или ШССУ" in page
    assert "1 тьюторское сопровождение" in page and "1 человек, 1 посещение" in page
    # The programme's school: staffing covered by its accepted programme, equipment not.
    assert "Низкий уровень оснащения школы — средний: <strong>без меры" in page
    assert "1 возвращён" in page


def test_the_filters_no_support_uncovered_factor_and_returned_documents(client, territory):
    client.force_login(territory["methodist"])
    for name, expected in (
        ("no_support", {"Школа без поддержки", "Школа с программой"}),
        ("uncovered", {"Школа с программой"}),
        ("returned", {"Школа без поддержки"}),
    ):
        page = client.get(f"/schools/territory/?filter={name}").content.decode()
        shown = {
            n
            for n in ("Школа с тьютором", "Школа с программой", "Школа без поддержки")
            if f">{n}</a>" in page
        }
        assert shown == expected, name


def test_the_coverage_by_factor_is_a_chart_and_a_table(client, territory):
    client.force_login(territory["methodist"])
    page = client.get("/schools/territory/").content.decode()
    assert '<svg class="bar-chart"' in page
    assert "Дефицит педагогических кадров: 2" in page  # the chart's description
    assert "<td>2</td><td>2</td><td>0</td>" in page  # staffing: 2 schools, both covered
    assert "<td>1</td><td>0</td><td>1</td>" in page  # equipment: 1 school, no measure


def test_the_export_is_an_xlsx_of_the_filtered_rows_with_text_cells(client, territory):
    OrganisationStatusFactory(
        organisation=OrganisationFactory(
            municipality=territory["place"], short_name="=HYPERLINK(1)"
        ),
        school_year=YEAR.start,
    )
    client.force_login(territory["methodist"])
    response = client.get("/schools/territory/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    # Named by kind and year, territory and date; titled and authored by the territory (issue 18).
    place = str(territory["place"])
    assert (
        quote(f"ШНОР и ШССУ {YEAR.start}-{YEAR.start + 1} — {place} — ")
        in (response["Content-Disposition"])
    )
    assert_filed(response.content, title_has=place, creator=place)
    names = [row[0] for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert sorted(names) == sorted(
        ["=HYPERLINK(1)", "Школа с тьютором", "Школа с программой", "Школа без поддержки"]
    )
    returned = client.get("/schools/territory/?format=xlsx&filter=returned")
    sheet = load_workbook(io.BytesIO(returned.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=3, values_only=True)] == ["Школа без поддержки"]


def test_the_table_runs_a_fixed_number_of_queries_whatever_the_schools(
    client, territory, django_assert_num_queries
):
    client.force_login(territory["methodist"])
    with django_assert_num_queries(TABLE_QUERIES):
        client.get("/schools/territory/")
    for _n in range(3):
        school = _school(territory["place"])
        SchoolRiskFactory(organisation=school)
        TutorAssignmentFactory(teacher=UserFactory(organisation=school), since=YEAR.first_day)
    with django_assert_num_queries(TABLE_QUERIES):
        client.get("/schools/territory/")


# Session, user, territory roles, the statuses, the factors, memberships and pairs, tutoring, help
# requests, attendance, documents, risks, the territory's name, the bell's count.
TABLE_QUERIES = 13


def test_only_methodists_and_coordinators_of_a_territory_open_the_table(client, territory):
    coordinator = TerritoryRoleFactory(
        region=territory["place"].region, role=TerritoryRole.Role.COORDINATOR
    ).user
    client.force_login(coordinator)
    assert client.get("/schools/territory/").status_code == 200
    director = UserFactory(organisation=territory["bare"], position="Директор")
    client.force_login(director)
    assert client.get("/schools/territory/").status_code == 404
    client.logout()
    assert client.get("/schools/territory/").status_code == 302
