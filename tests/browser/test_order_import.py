"""Issue 16 in a real browser: a coordinator uploads order 001 as a DOCX saved by LibreOffice
Writer (tests/fixtures/orders/), watches it being read, sees the twelve «Вжурнале» groups proposed
with their links and administrators, confirms, and finds them in the structure list with their
links, and a group's administrators on its page. Every page passes axe and the CSP."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from networks.models import OrganisationKind, Structure, TerritoryRole
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    TerritoryRoleFactory,
    UserFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-2026"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "orders" / "order-001-appendix-2.docx"


def test_coordinator_founds_the_twelve_groups_from_order_001(page, live_server, monkeypatch):
    """The worker's part (reading the file) is played by the test."""
    from communities.orderimport import tasks

    queued = []
    monkeypatch.setattr(tasks.read_order_import, "delay", queued.append)
    region = RegionFactory(code="71", name="Тульская область")
    tula = MunicipalityFactory(region=region, name="город Тула")
    centre = OrganisationFactory(
        region=region,
        municipality=tula,
        kind=OrganisationKind.METHODICAL,
        full_name="Муниципальное казённое учреждение «Центр непрерывного повышения "
        "профессионального мастерства педагогических работников города Тулы»",
        short_name="МКУ «ЦНППМ г. Тулы»",
    )
    coordinator = UserFactory(
        email="coordinator@tula.example", password=PASSWORD, organisation=centre
    )
    TerritoryRoleFactory(user=coordinator, region=region, role=TerritoryRole.Role.COORDINATOR)

    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Загрузить приказ").first.click()
    page.get_by_role("heading", name="Загрузить приказ").wait_for()
    assert_accessible(page)
    page.get_by_label("Файл приказа (DOCX или PDF)").set_input_files(str(FIXTURE))
    page.get_by_role("button", name="Прочитать приказ").click()

    page.get_by_role("heading", name="Файл читается…").wait_for()
    assert_accessible(page)
    assert len(queued) == 1
    tasks.read_order_import.apply(args=queued)
    # The page polls the status and reloads itself once the file is read.
    page.get_by_role("heading", name="Проверка приказа «order-001-appendix-2.docx»").wait_for()
    expect(page.get_by_role("status").first).to_contain_text("Пока ничего не сохранено.")
    expect(page.locator("#id_number")).to_have_value("83-а")
    expect(page.locator("#id_date")).to_have_value("16.09.2020")
    groups = page.get_by_role("table", name="Структуры, которые будут созданы")
    expect(groups.get_by_role("rowheader")).to_have_count(12)
    first = groups.get_by_role("row", name="Вжурнале/дисциплины физико-математического цикла")
    expect(first).to_contain_text("https://vk.com/club195082605")
    expect(first).to_contain_text("Разаренова А.В.")
    expect(first).to_contain_text("Стародубцева А.В.")
    assert not Structure.objects.exists()
    assert_accessible(page)

    page.get_by_role("button", name="Подтвердить и создать").click()
    page.get_by_text("Создано 13 структур").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="К списку структур").click()
    page.get_by_role("heading", name="Сетевые структуры").wait_for()
    libraries = page.get_by_role("row", name="Вжурнале/школьные библиотекари")
    expect(libraries).to_contain_text("https://vk.com/club198721425")
    row = page.get_by_role("row", name="Вжурнале/дисциплины физико-математического цикла")
    expect(row).to_contain_text("https://vk.com/club195082605")
    expect(row).to_contain_text("Разаренова А.В., Стародубцева А.В.")
    assert_accessible(page)
    assert Structure.objects.filter(parent__name="Вжурнале").count() == 12
    # The administrators the order named, on the group's page (no accounts yet: named contacts).
    row.get_by_role("link", name="Вжурнале/дисциплины физико-математического цикла").click()
    contacts = page.get_by_role("region", name="Названы в приказе")
    expect(contacts).to_contain_text("Разаренова А.В. — администратор, главный специалист")
    expect(contacts).to_contain_text("Стародубцева А.В. — администратор, специалист")
    expect(contacts).to_contain_text("8-910-555-74-40")
    assert_accessible(page)
