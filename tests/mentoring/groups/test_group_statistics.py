"""Online-group statistics (R-TUL-A1-5.3 for the council «РОСТ», R-TUL-A2-3.1.4 and 4.2.6 for the
VK groups «Вжурнале»): entering a period, importing an export with a preview, the chart and the
table, the structure panel and the region's overview."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring import services
from mentoring.group_chart import build_charts, nice_ceiling, short_period, sparkline
from mentoring.models import GroupStatistics, StatisticsImport
from mentoring.statistics_import import StatRow
from networks.models import ClosingReason, Role
from tests.factories import (
    GroupStatisticsFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

from .conftest import csv_bytes, month, xlsx_bytes

pytestmark = pytest.mark.django_db

SEPT = ["01.09.2020", "30.09.2020", "120", "860", "95", "14"]
OCT = ["01.10.2020", "31.10.2020", "135", "910", "102", "17"]


def stat(structure, year, number, **figures):
    start, end = month(year, number)
    return GroupStatisticsFactory(
        structure=structure, period_start=start, period_end=end, **figures
    )


def period_data(start="2020-09-01", end="2020-09-30", **figures):
    return {
        "period_start": start,
        "period_end": end,
        "visitors": 120,
        "views": 860,
        "actions": 95,
        "feedback": 14,
        **figures,
    }


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- Entering a period ---------------------------------------------------------------------------


def test_r_tul_a2_3_1_4_group_administrator_enters_a_period(client, group_cast):
    admin = group_cast.people["administrator"]
    client.force_login(admin)
    group = group_cast.group
    response = client.post(
        reverse("mentoring:group_statistics_add", args=[group.pk]), period_data()
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mentoring:group_statistics", args=[group.pk])
    row = GroupStatistics.objects.get(structure=group)
    assert (row.period_start, row.period_end) == (dt.date(2020, 9, 1), dt.date(2020, 9, 30))
    assert (row.visitors, row.views, row.actions, row.feedback) == (120, 860, 95, 14)
    assert row.source == "manual"
    assert row.entered_by == admin
    page = text(client.get(response["Location"]))
    assert "Данные за период 01.09.2020–30.09.2020 сохранены." in page


def test_r_tul_a1_5_3_council_chair_enters_a_period(client, group_cast):
    client.force_login(group_cast.people["chair"])
    council = group_cast.council
    client.post(reverse("mentoring:group_statistics_add", args=[council.pk]), period_data())
    assert GroupStatistics.objects.filter(structure=council).count() == 1


def test_the_form_speaks_russian_with_labelled_fields(client, group_cast):
    client.force_login(group_cast.people["administrator"])
    page = text(client.get(reverse("mentoring:group_statistics_add", args=[group_cast.group.pk])))
    for label in ("Начало периода", "Конец периода", "Посетители", "Просмотры"):
        assert f">{label}" in page or f"{label}<" in page
    assert 'type="date"' in page


def test_r_tul_a1_5_3_an_overlapping_period_is_refused_naming_the_existing_one(client, group_cast):
    group = group_cast.group
    stat(group, 2020, 9)
    client.force_login(group_cast.people["administrator"])
    response = client.post(
        reverse("mentoring:group_statistics_add", args=[group.pk]),
        period_data("2020-09-15", "2020-10-14", visitors=4321),
    )
    assert response.status_code == 200
    page = text(response)
    assert "Период пересекается с уже внесённым периодом 01.09.2020–30.09.2020." in page
    assert 'value="4321"' in page  # what was typed is kept
    assert GroupStatistics.objects.filter(structure=group).count() == 1


def test_the_same_period_twice_is_refused(group_cast):
    group = group_cast.group
    stat(group, 2020, 9)
    start, end = month(2020, 9)
    with pytest.raises(ValidationError) as error:
        services.group_statistics_add(
            structure=group,
            period_start=start,
            period_end=end,
            visitors=1,
            views=1,
            actions=1,
            feedback=1,
            by=group_cast.people["administrator"],
        )
    assert "01.09.2020–30.09.2020" in error.value.message_dict["period_start"][0]


def test_an_end_before_the_start_is_refused(client, group_cast):
    client.force_login(group_cast.people["administrator"])
    response = client.post(
        reverse("mentoring:group_statistics_add", args=[group_cast.group.pk]),
        period_data("2020-09-30", "2020-09-01"),
    )
    assert response.status_code == 200
    assert "Конец периода раньше его начала." in text(response)
    assert not GroupStatistics.objects.exists()


def test_negative_figures_are_refused(client, group_cast):
    client.force_login(group_cast.people["administrator"])
    response = client.post(
        reverse("mentoring:group_statistics_add", args=[group_cast.group.pk]),
        period_data(views=-1),
    )
    assert response.status_code == 200
    assert not GroupStatistics.objects.exists()


def test_a_period_is_changed_and_cannot_be_moved_onto_another(client, group_cast):
    group = group_cast.group
    september, october = stat(group, 2020, 9), stat(group, 2020, 10)
    client.force_login(group_cast.people["administrator"])
    url = reverse("mentoring:group_statistics_edit", args=[group.pk, september.pk])
    assert 'value="120"' in text(client.get(url))
    assert client.post(url, period_data(visitors=150)).status_code == 302
    september.refresh_from_db()
    assert september.visitors == 150

    response = client.post(url, period_data("2020-09-01", "2020-10-05"))
    assert "уже внесённым периодом 01.10.2020–31.10.2020" in text(response)
    october.refresh_from_db()
    assert october.period_start == dt.date(2020, 10, 1)


def test_statistics_of_another_group_cannot_be_edited_through_this_one(client, group_cast):
    other = stat(group_cast.council, 2020, 9)
    client.force_login(group_cast.people["administrator"])
    url = reverse("mentoring:group_statistics_edit", args=[group_cast.group.pk, other.pk])
    assert client.get(url).status_code == 404


def test_a_closed_group_takes_no_new_figures(client, group_cast):
    group = group_cast.group
    group.closed_on = dt.date(2021, 6, 1)
    group.closing_reason = ClosingReason.TERM_ENDED
    group.save()
    with pytest.raises(ValidationError):
        services.group_statistics_add(
            structure=group,
            period_start=dt.date(2021, 5, 1),
            period_end=dt.date(2021, 5, 31),
            visitors=1,
            views=1,
            actions=1,
            feedback=1,
            by=group_cast.people["administrator"],
        )
    client.force_login(group_cast.people["administrator"])
    page = text(client.get(reverse("mentoring:group_statistics", args=[group.pk])))
    assert "Внести данные за период" not in page


def test_a_structure_without_an_online_platform_has_no_statistics(client, group_cast):
    client.force_login(group_cast.people["territory_coordinator"])
    association = group_cast.association
    for name in ("group_statistics", "group_statistics_add", "group_statistics_import"):
        assert client.get(reverse(f"mentoring:{name}", args=[association.pk])).status_code == 404
    with pytest.raises(ValidationError):
        services.group_statistics_import(
            structure=association, rows=[], by=group_cast.people["territory_coordinator"]
        )


# --- Import: upload, preview, confirm ------------------------------------------------------------


@pytest.fixture(autouse=True)
def _read_by_the_worker(worker):
    """Every upload here is read as the worker would read it, once the request commits
    (tests/mentoring/groups/test_statistics_reading.py shows the steps one by one)."""


def upload(client, group, data: bytes, name="Статистика.csv"):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(
            reverse("mentoring:group_statistics_import", args=[group.pk]),
            {"file": SimpleUploadedFile(name, data)},
        )


def test_r_tul_a2_3_1_4_import_preview_saves_nothing_confirm_saves_second_confirm_changes_nothing(
    client, group_cast
):
    group = group_cast.group
    admin = group_cast.people["administrator"]
    stat(group, 2020, 10, visitors=100, views=900, actions=100, feedback=10)  # will be updated
    stat(group, 2020, 11, visitors=140, views=950, actions=110, feedback=12)  # stays as it is
    client.force_login(admin)
    data = csv_bytes(
        [
            SEPT,
            OCT,
            ["01.11.2020", "30.11.2020", "140", "950", "110", "12"],
            ["01.12.2020", "31.12.2020", "много", "1", "1", "1"],
        ],
        encoding="cp1251",
        delimiter=";",
    )
    response = upload(client, group, data)
    assert response.status_code == 302
    preview_url = response["Location"]
    page = text(client.get(preview_url))
    assert GroupStatistics.objects.filter(structure=group).count() == 2  # nothing saved yet
    assert "Пока ничего не сохранено." in page
    assert (
        "Будет добавлено периодов: 1; изменено: 1; без изменений: 1; "
        "строк с ошибками (не будут загружены): 1." in page
    )
    assert "Будет изменено" in page and "было: 100, 900, 100, 10" in page
    assert '<th scope="row">5</th><td>«Посетители»: «много» — не целое число</td>' in page
    confirm = reverse(
        "mentoring:group_statistics_confirm",
        args=[group.pk, preview_url.rstrip("/").split("/")[-1]],
    )

    response = client.post(confirm)
    assert response.status_code == 302
    rows = {
        (s.period_start.month, s.visitors, s.source)
        for s in GroupStatistics.objects.filter(structure=group)
    }
    assert rows == {(9, 120, "import"), (10, 135, "import"), (11, 140, "manual")}
    page = text(client.get(response["Location"]))
    assert "добавлено периодов — 1, обновлено — 1, без изменений — 1" in page

    before = list(GroupStatistics.objects.order_by("pk").values())
    response = client.post(confirm)
    assert response.status_code == 302
    assert list(GroupStatistics.objects.order_by("pk").values()) == before
    assert "уже загружен или его предварительный просмотр устарел" in text(
        client.get(response["Location"])
    )


def test_the_same_rows_confirmed_twice_are_upserted_not_doubled(group_cast):
    group, admin = group_cast.group, group_cast.people["administrator"]
    rows = [StatRow(2, *month(2020, 9), 120, 860, 95, 14)]
    first = services.group_statistics_import(structure=group, rows=rows, by=admin)
    second = services.group_statistics_import(structure=group, rows=rows, by=admin)
    assert (first.created, second.created, second.unchanged) == (1, 0, 1)
    assert GroupStatistics.objects.filter(structure=group).count() == 1


def test_a_line_overlapping_a_stored_period_is_shown_and_skipped(client, group_cast):
    group = group_cast.group
    GroupStatisticsFactory(
        structure=group, period_start=dt.date(2020, 9, 15), period_end=dt.date(2020, 10, 14)
    )
    client.force_login(group_cast.people["administrator"])
    response = upload(client, group, csv_bytes([SEPT]))
    page = text(client.get(response["Location"]))
    assert (
        "период 01.09.2020–30.09.2020 пересекается с уже внесённым периодом 15.09.2020–14.10.2020"
        in page
    )
    assert "Сохранять нечего" in page
    assert "/confirm/" not in page


def test_an_xlsx_export_is_imported(client, group_cast):
    group = group_cast.group
    client.force_login(group_cast.people["territory_coordinator"])
    data = xlsx_bytes([[dt.date(2020, 9, 1), dt.date(2020, 9, 30), 120, 860, 95, 14]])
    response = upload(client, group, data, "Статистика РОСТ.xlsx")
    token = response["Location"].rstrip("/").split("/")[-1]
    page = text(client.get(response["Location"]))
    assert "Проверка файла «Статистика РОСТ.xlsx»" in page
    client.post(reverse("mentoring:group_statistics_confirm", args=[group.pk, token]))
    assert GroupStatistics.objects.get(structure=group).views == 860


@pytest.mark.parametrize(
    ("data", "name", "reason"),
    [
        (b"", "empty.csv", "Отправленный файл пуст."),
        (b"%PDF-1.4 ...", "stat.pdf", "Это не таблица: загрузите файл CSV или XLSX."),
    ],
)
def test_a_malformed_file_is_refused_on_the_form_with_the_reason_and_nothing_is_kept(
    client, group_cast, data, name, reason
):
    client.force_login(group_cast.people["administrator"])
    response = upload(client, group_cast.group, data, name)
    assert response.status_code == 200
    assert reason in text(response)
    assert not StatisticsImport.objects.exists()


def test_a_file_without_a_header_is_refused_by_the_worker_with_the_reason(client, group_cast):
    group = group_cast.group
    client.force_login(group_cast.people["administrator"])
    data = csv_bytes([SEPT], header=["a", "b", "c", "d", "e", "f"])
    response = upload(client, group, data, "s.csv")
    assert response.status_code == 302
    page = text(client.get(response["Location"]))
    assert "Файл не прочитан" in page
    assert "Файл «s.csv» не принят: В файле не найдена строка заголовков." in page
    assert reverse("mentoring:group_statistics_import", args=[group.pk]) in page
    assert "/confirm/" not in page
    assert not GroupStatistics.objects.exists()


def test_a_file_over_two_megabytes_is_refused(client, group_cast):
    client.force_login(group_cast.people["administrator"])
    response = upload(client, group_cast.group, csv_bytes([SEPT]) + b" " * (2 * 1024 * 1024))
    assert response.status_code == 200
    assert "Файл больше 2 МБ." in text(response)


def test_a_token_of_another_group_or_person_confirms_nothing(client, group_cast):
    group, council = group_cast.group, group_cast.council
    client.force_login(group_cast.people["territory_coordinator"])
    token = upload(client, group, csv_bytes([SEPT]))["Location"].rstrip("/").split("/")[-1]
    # The same token on another group the coordinator also runs.
    client.post(reverse("mentoring:group_statistics_confirm", args=[council.pk, token]))
    # A guessed token on the right group (its first character changed, never to itself).
    guessed = ("y" if token[0] == "x" else "x") + token[1:]
    client.post(reverse("mentoring:group_statistics_confirm", args=[group.pk, guessed]))
    # Another person who may enter, with the same token.
    client.force_login(group_cast.people["administrator"])
    client.post(reverse("mentoring:group_statistics_confirm", args=[group.pk, token]))
    assert not GroupStatistics.objects.exists()


# --- The chart, the table and escaping --------------------------------------------------------------


def test_r_tul_a2_4_2_6_the_chart_is_inline_svg_with_a_title_and_a_data_table(client, group_cast):
    group = group_cast.group
    stat(group, 2020, 9, visitors=120)
    stat(group, 2020, 10, visitors=135)
    client.force_login(group_cast.people["methodist"])
    response = client.get(reverse("mentoring:group_statistics", args=[group.pk]))
    page = text(response)
    assert page.count('<svg role="img"') == 4
    assert (
        f'<title id="chart-visitors-title">Посетители по периодам: «{group.name}»</title>' in page
    )
    assert "Посетители: периодов — 2, от 120 до 135; в последнем периоде (01.10.2020–31.10.2020) — 135." in page  # fmt: skip
    assert "<polyline" in page
    assert "<caption>Статистика группы" in page
    assert '<th scope="row">01.09.2020–30.09.2020</th>' in page
    assert '<script src="http' not in page  # no chart library from a CDN
    # The methodist reads and enters nothing.
    assert "Внести данные за период" not in page


def test_a_group_without_figures_says_so(client, group_cast):
    client.force_login(group_cast.people["administrator"])
    page = text(client.get(reverse("mentoring:group_statistics", args=[group_cast.group.pk])))
    assert "Данных о посещаемости группы пока нет." in page
    assert "<svg" not in page


def test_user_text_stays_text(client, group_cast):
    group = group_cast.group
    group.name = "Вжурнале <script>alert(1)</script>"
    group.save()
    stat(group, 2020, 9)
    client.force_login(group_cast.people["administrator"])
    for name in ("group_statistics", "group_statistics_add", "group_statistics_import"):
        page = client.get(reverse(f"mentoring:{name}", args=[group.pk])).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    data = csv_bytes([["<script>x</script>", "30.09.2020", "1", "1", "1", "1"], OCT])
    response = upload(client, group, data, "<script>y</script>.csv")
    page = client.get(response["Location"]).content.decode()
    assert "<script>x</script>" not in page and "<script>y</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


# --- Query counts ----------------------------------------------------------------------------------


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def test_chart_page_query_count_does_not_grow_with_periods(client, group_cast):
    group = group_cast.group
    client.force_login(group_cast.people["administrator"])
    url = reverse("mentoring:group_statistics", args=[group.pk])
    for number in range(1, 4):
        stat(group, 2020, number)
    small = queries(client, url)
    for number in range(4, 13):
        stat(group, 2020, number)
    for year in (2021, 2022):
        for number in range(1, 13):
            stat(group, year, number)
    assert queries(client, url) == small


def add_groups(region_host, count: int, periods: int) -> None:
    for _ in range(count):
        group = StructureFactory(kind=kind("S3"), host=region_host)
        MembershipFactory(structure=group, role=Role.ADMINISTRATOR, user__organisation=region_host)
        for number in range(1, periods + 1):
            stat(group, 2020, number)


def test_overview_query_count_does_not_grow_with_groups_or_periods(client, group_cast):
    client.force_login(group_cast.people["methodist"])
    url = reverse("mentoring:group_overview", args=[group_cast.region.pk])
    host = group_cast.group.host
    add_groups(host, 1, 1)
    small = queries(client, url)
    add_groups(host, 10, 10)
    assert queries(client, url) == small


def test_structure_page_panel_query_count_does_not_grow_with_periods(client, group_cast):
    group = group_cast.group
    client.force_login(group_cast.people["member"])
    url = reverse("networks:structure_detail", args=[group.pk])
    stat(group, 2020, 1)
    small = queries(client, url)
    for year in (2021, 2022):
        for number in range(1, 13):
            stat(group, year, number)
    assert queries(client, url) == small


# --- The structure panel ------------------------------------------------------------------------------


def test_panel_shows_the_latest_period_with_a_sparkline_to_members(client, group_cast):
    group = group_cast.group
    stat(group, 2020, 9, visitors=120)
    stat(group, 2020, 10, visitors=135, views=910)
    client.force_login(group_cast.people["member"])
    page = text(client.get(reverse("networks:structure_detail", args=[group.pk])))
    assert "Статистика группы" in page
    assert "Последний период: 01.10.2020–31.10.2020" in page
    assert "Посетители за последние 2 периода: 120, 135" in page
    assert reverse("mentoring:group_statistics", args=[group.pk]) in page
    assert reverse("mentoring:group_statistics_add", args=[group.pk]) not in page


def test_panel_offers_entering_and_importing_to_the_administrator(client, group_cast):
    group = group_cast.group
    client.force_login(group_cast.people["administrator"])
    page = text(client.get(reverse("networks:structure_detail", args=[group.pk])))
    assert "Данных о посещаемости группы пока нет." in page
    assert reverse("mentoring:group_statistics_add", args=[group.pk]) in page
    assert reverse("mentoring:group_statistics_import", args=[group.pk]) in page


def test_panel_is_hidden_from_outsiders_and_on_other_kinds(client, group_cast):
    stat(group_cast.group, 2020, 9)
    client.force_login(group_cast.people["outsider"])
    page = text(client.get(reverse("networks:structure_detail", args=[group_cast.group.pk])))
    assert "Статистика группы" not in page
    client.force_login(group_cast.people["territory_coordinator"])
    url = reverse("networks:structure_detail", args=[group_cast.association.pk])
    assert "Статистика группы" not in text(client.get(url))


def test_administrator_of_the_parent_group_enters_for_a_subgroup(client, group_cast):
    sub = StructureFactory(kind=kind("S3"), parent=group_cast.group, host=group_cast.group.host)
    client.force_login(group_cast.people["administrator"])
    client.post(reverse("mentoring:group_statistics_add", args=[sub.pk]), period_data())
    assert GroupStatistics.objects.filter(structure=sub).exists()


# --- The region's overview and the home block -------------------------------------------------------


def test_r_tul_a1_5_3_overview_lists_the_regions_groups_with_latest_figures(client, group_cast):
    group, council = group_cast.group, group_cast.council
    stat(group, 2020, 9, visitors=120)
    stat(group, 2020, 10, visitors=135)
    client.force_login(group_cast.people["methodist"])
    response = client.get(reverse("mentoring:group_overview", args=[group_cast.region.pk]))
    page = text(response)
    assert group.name in page and council.name in page
    assert group_cast.association.name not in page  # not an online group
    assert group_cast.elsewhere.name not in page
    assert "01.10.2020–31.10.2020" in page
    assert '135<div class="small text-body-secondary">раньше: 120</div>' in page
    assert "Данных пока нет" in page  # the council


def test_the_overview_draws_each_groups_visitors_over_its_last_twelve_periods(client, group_cast):
    """Issue 20: not just «раньше: N» — a trend line of the visitors over the group's last twelve
    periods, its figures in the line's name and, period by period, in a table under it."""
    group = group_cast.group
    periods = [(2019, n) for n in range(11, 13)] + [(2020, n) for n in range(1, 13)]
    for i, (year, number) in enumerate(periods):
        stat(group, year, number, visitors=100 + 10 * i, views=1000 + i)
    client.force_login(group_cast.people["methodist"])
    response = client.get(reverse("mentoring:group_overview", args=[group_cast.region.pk]))
    shown = next(g for g in response.context["groups"] if g.pk == group.pk)

    visitors = [100 + 10 * i for i in range(2, 14)]  # the two oldest periods fall out
    assert shown.visitors == visitors
    assert [(s.period_start.year, s.period_start.month) for s in shown.recent] == periods[2:]
    assert shown.sparkline == sparkline(visitors)
    assert shown.period_count == 14
    page = text(response)
    assert f'points="{sparkline(visitors)}"' in page
    assert "Посетители за последние 12 периодов: " + ", ".join(map(str, visitors)) in page
    assert '230<div class="small text-body-secondary">раньше: 220</div>' in page
    rows = page[page.index(f"{group.name}: последние периоды") :]
    rows = rows[: rows.index("</table>")]
    assert rows.count("<tr>") == 13  # the header and twelve periods, newest first
    assert rows.index("01.12.2020–31.12.2020") < rows.index("01.01.2020–31.01.2020")
    assert "01.12.2019–31.12.2019" not in rows and ">1013<" in rows


def test_a_municipal_methodist_sees_the_groups_of_their_municipality_only(client, group_cast):
    other_town = MunicipalityFactory(region=group_cast.region, name="Алексинский район")
    far = StructureFactory(
        kind=kind("S3"),
        name="Вжурнале / Алексин",
        host=OrganisationFactory(municipality=other_town),
    )
    methodist = UserFactory()
    TerritoryRoleFactory(
        user=methodist, role="methodist", region=group_cast.region, municipality=other_town
    )
    client.force_login(methodist)
    page = text(client.get(reverse("mentoring:group_overview", args=[group_cast.region.pk])))
    assert far.name in page
    assert group_cast.group.name not in page


def test_home_page_links_the_territory_to_the_overview(client, group_cast):
    url = reverse("mentoring:group_overview", args=[group_cast.region.pk])
    client.force_login(group_cast.people["methodist"])
    assert url in text(client.get(reverse("home")))
    client.force_login(group_cast.people["administrator"])
    assert url not in text(client.get(reverse("home")))


# --- The chart's geometry -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "top", "step"),
    [(0, 4, 1), (3, 3, 1), (14, 15, 5), (120, 150, 50), (860, 1000, 250), (12345, 15000, 5000)],
)
def test_nice_ceiling(value, top, step):
    assert nice_ceiling(value) == (top, step)


def test_one_period_is_a_single_point_in_the_middle():
    row = GroupStatistics(
        period_start=dt.date(2020, 9, 1),
        period_end=dt.date(2020, 9, 30),
        visitors=0,
        views=5,
        actions=1,
        feedback=0,
    )
    charts = build_charts([row])
    assert [c.key for c in charts] == ["visitors", "views", "actions", "feedback"]
    assert len(charts[0].points) == 1
    assert charts[0].points[0].x == pytest.approx((56 + 544) / 2)
    assert charts[0].x_ticks[0].label == "09.2020"
    assert short_period(dt.date(2020, 9, 1), dt.date(2020, 9, 15)) == "01.09.20"
    assert sparkline([5]) == ""
    assert sparkline([0, 10]) == "2.0,26.0 118.0,2.0"


def test_many_periods_get_thinned_axis_labels():
    rows = [
        GroupStatistics(
            period_start=month(2018 + i // 12, i % 12 + 1)[0],
            period_end=month(2018 + i // 12, i % 12 + 1)[1],
            visitors=i,
            views=i,
            actions=i,
            feedback=i,
        )
        for i in range(48)
    ]
    chart = build_charts(rows)[0]
    assert len(chart.points) == 48
    assert len(chart.x_ticks) <= 8


def test_roles_read_as_the_orders_say(group_cast):
    """R-TUL-A2-4.2: administrators analyse the group; a moderator does not keep its figures."""
    from mentoring.permissions import can_enter_group_statistics
    from networks.permissions import access_to

    group = group_cast.group
    extra = MembershipFactory(structure=group, role=Role.MODERATOR).user
    assert can_enter_group_statistics(access_to(group_cast.people["administrator"], group))
    assert not can_enter_group_statistics(access_to(extra, group))


def test_the_home_links_the_regions_with_groups_read_with_the_territory_roles(client):
    """Issue 19: whether a territory's region has groups comes with the person's territory roles
    (networks.hooks.home_viewer); the regions linked are those the query over the structures
    finds, in the same order."""
    from django.test import RequestFactory

    from mentoring.selectors.groups import regions_with_groups
    from networks import hooks
    from tests.factories import RegionFactory

    with_groups, without = (
        RegionFactory(name="Ярославская область"),
        RegionFactory(name="Алтайский край"),
    )
    other = RegionFactory(name="Брянская область")
    StructureFactory(kind=kind("S3"), region=with_groups)
    StructureFactory(kind=kind("S3"), region=other)
    StructureFactory(kind=kind("S1"), region=without)
    person = UserFactory()
    for region in (with_groups, without, other):
        TerritoryRoleFactory(user=person, role="methodist", region=region)
    request = RequestFactory().get("/")
    request.user = person
    hooks.home_viewer(request)
    with CaptureQueriesContext(connection) as ctx:
        read = regions_with_groups(person)
    assert len(ctx.captured_queries) == 0
    fresh = type(person).objects.get(pk=person.pk)
    assert read == regions_with_groups(fresh) == [other, with_groups]
    client.force_login(person)
    html = client.get("/").content.decode()
    assert "Брянская область" in html and "Ярославская область" in html
