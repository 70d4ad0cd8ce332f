"""R-TUL-A1-1.4 in a real browser: the regional coordinator uploads the annex of the ministry's
order (the list of ШНОР and leader schools) as Excel saves CSV in Russian Windows (Windows-1251,
«;») with one bad line, sees the preview name that line, confirms, and sees the result. Every page
passes axe."""

import pytest
from playwright.sync_api import expect

from networks.models import Organisation, OrganisationKind, OrganisationStatus, TerritoryRole
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    TerritoryRoleFactory,
    UserFactory,
    valid_inn,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-2026"


def test_coordinator_imports_the_list_of_schools_and_sees_the_result(
    page, live_server, tmp_path, monkeypatch
):
    """The worker's part (reading the file, issue 15) is played by the test."""
    from networks import tasks

    queued = []
    monkeypatch.setattr(tasks.read_registry_import, "delay", queued.append)
    region = RegionFactory(code="71", name="Тульская область")
    MunicipalityFactory(region=region, name="город Тула")
    ministry = OrganisationFactory(
        region=region,
        municipality=None,
        kind=OrganisationKind.AUTHORITY,
        full_name="Министерство образования Тульской области",
        short_name="Минобразования Тульской области",
    )
    coordinator = UserFactory(
        email="coordinator@tula.example", password=PASSWORD, organisation=ministry
    )
    TerritoryRoleFactory(user=coordinator, region=region, role=TerritoryRole.Role.COORDINATOR)
    first, second = valid_inn(7_100_001), valid_inn(7_100_002)
    export = tmp_path / "Приложение к приказу 640.csv"
    export.write_bytes(
        (
            "Муниципальное образование;Полное наименование;Тип;ИНН;Статус;Учебный год\r\n"
            f"город Тула;МБОУ «Центр образования № 1»;школа;{first};ШНОР;2020/2021\r\n"
            f"город Тула;МБОУ «Лицей № 2»;школа;{second};школа-лидер;2020/2021\r\n"
            "город Тула;МБОУ «Школа № 3»;школа;7100000000;ШССУ;2020/2021\r\n"
        ).encode("cp1251")
    )

    sign_in(page, live_server, coordinator.email, PASSWORD, home=False)
    page.goto(f"{live_server.url}/registry/")
    page.get_by_role("heading", name="Загрузки реестра").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Загрузить файл").click()
    page.get_by_role("heading", name="Загрузка реестра из файла").wait_for()
    assert_accessible(page)
    page.get_by_label("Файл реестра или перечня (XLSX или CSV)").set_input_files(str(export))
    page.get_by_label("Номер").fill("640")
    page.get_by_label("Дата", exact=True).fill("28.05.2020")
    page.get_by_label("Заголовок").fill("Об утверждении перечня школ")
    page.get_by_label("Кем издан").select_option(label="Минобразования Тульской области")
    page.get_by_role("button", name="Проверить файл").click()

    page.get_by_role("heading", name="Файл читается…").wait_for()
    assert_accessible(page)
    assert len(queued) == 1
    tasks.read_registry_import.apply(args=queued)
    # The page polls the status and reloads itself once the file is read.
    page.get_by_role("heading", name="Проверка файла «Приложение к приказу 640.csv»").wait_for()
    bad = page.get_by_role("table", name="Эти строки не будут загружены")
    expect(bad.get_by_role("rowheader")).to_have_text("4")
    expect(bad).to_contain_text("ИНН «7100000000» неверен")
    expect(page.get_by_role("status")).to_contain_text("Пока ничего не сохранено.")
    assert not Organisation.objects.filter(inn__in=[first, second]).exists()
    assert_accessible(page)

    page.get_by_role("button", name="Загрузить строки без ошибок").click()
    page.get_by_role("heading", name="Загрузка файла «Приложение к приказу 640.csv»").wait_for()
    page.get_by_text(
        "Создано: 4; изменено: 0; без изменений: 0; строк с ошибками (не загружены): 1."
    ).wait_for()
    assert_accessible(page)
    assert set(OrganisationStatus.objects.values_list("organisation__inn", "status")) == {
        (first, "shnor"),
        (second, "leader"),
    }

    page.get_by_role("link", name="Все загрузки реестра").click()
    row = page.get_by_role("row", name="Приложение к приказу 640.csv")
    expect(row).to_contain_text("Загружен")


def test_a_long_file_shows_progress_and_the_page_updates_itself_when_done(
    page, live_server, monkeypatch
):
    """The worker's part is played by the test: the page polls the status and reloads."""
    from networks import tasks
    from networks.registry import services

    region = RegionFactory(code="71", name="Тульская область")
    MunicipalityFactory(region=region, name="город Тула")
    coordinator = UserFactory(email="coordinator@tula.example", password=PASSWORD)
    TerritoryRoleFactory(user=coordinator, region=region, role=TerritoryRole.Role.COORDINATOR)
    queued = []
    monkeypatch.setattr(services, "INLINE_MAX_LINES", 0)
    monkeypatch.setattr(tasks.apply_registry_import, "delay", queued.append)
    staged = services.registry_import_stage(
        region=region,
        data=(
            "Муниципальное образование;Полное наименование;Тип;ИНН\r\n"
            f"город Тула;МБОУ «Центр образования № 1»;школа;{valid_inn(7_100_001)}\r\n"
        ).encode(),
        filename="реестр.csv",
        by=coordinator,
    )

    sign_in(page, live_server, coordinator.email, PASSWORD, home=False)
    page.goto(f"{live_server.url}/registry/{staged.pk}/")
    page.get_by_role("button", name="Загрузить", exact=True).click()
    page.get_by_role("heading", name="Идёт загрузка").wait_for()
    expect(page.get_by_role("status")).to_contain_text("Загрузка поставлена в очередь")
    expect(page.get_by_role("link", name="Обновить")).to_be_visible()
    assert_accessible(page)
    assert queued == [staged.pk]

    tasks.apply_registry_import(staged.pk)

    page.get_by_text(
        "Создано: 1; изменено: 0; без изменений: 0; строк с ошибками (не загружены): 0."
    ).wait_for()
    assert_accessible(page)
