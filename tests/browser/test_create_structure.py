"""Issue 16 in a real browser: a coordinator creates an internship site (S6, R-PRI-4.1) in the
portal instead of the Django admin — chooses the kind and sees its term and topic appear (the
kinds table decides, static/js/structure-form.js shows), finds the host school with the picker,
types the founding directive, and finds the site with its order on the structure's page. Every
page passes axe."""

import pytest
from playwright.sync_api import expect

from networks.models import OrganisationKind, Structure, StructureAct, TerritoryRole
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


def test_coordinator_creates_an_internship_site_seeing_term_and_topic_appear(page, live_server):
    region = RegionFactory(code="47", name="Ленинградская область")
    district = MunicipalityFactory(region=region, name="Приозерский муниципальный район")
    committee = OrganisationFactory(
        municipality=district,
        kind=OrganisationKind.AUTHORITY,
        full_name="Комитет образования администрации Приозерского района",
        short_name="Комитет образования Приозерского района",
    )
    OrganisationFactory(
        municipality=district,
        full_name="МОУ «Сосновский центр образования»",
        short_name="МОУ «Сосновский ЦО»",
    )
    coordinator = UserFactory(
        email="coordinator@priozersk.example", password=PASSWORD, organisation=committee
    )
    TerritoryRoleFactory(
        user=coordinator,
        region=region,
        municipality=district,
        role=TerritoryRole.Role.COORDINATOR,
    )

    sign_in(page, live_server, coordinator.email, PASSWORD)
    page.get_by_role("link", name="Структуры").first.click()
    page.get_by_role("link", name="Создать структуру").click()
    page.get_by_role("heading", name="Создать структуру").wait_for()
    term = page.get_by_label("Срок: с")
    expect(term).to_be_hidden()
    assert_accessible(page)

    page.get_by_label("Вид структуры").select_option(
        label="S6. Муниципальная стажировочная площадка"
    )
    expect(term).to_be_visible()
    expect(page.get_by_label("Тема")).to_be_visible()
    expect(page.get_by_label("Ссылка на группу", exact=False)).to_have_count(0)
    expect(page.get_by_label("Страница в сети")).to_be_hidden()

    page.locator("#id_name").fill("Стажировочная площадка «Сосновский ЦО»")
    page.get_by_label("Название или номер организации").fill("Сосновский")
    # The live region speaks once the list of matches is drawn; pick only then, so that the list
    # is not redrawn under the click.
    expect(page.locator("#host-status")).to_have_text("Найдено организаций: 1.")
    page.get_by_label("МОУ «Сосновский ЦО»", exact=False).check()
    expect(page.get_by_label("МОУ «Сосновский ЦО»", exact=False)).to_be_checked()
    page.locator("#id_established_on").fill("2026-09-01")
    term.fill("2026-09-01")
    page.get_by_label("Срок: по").fill("2028-08-31")
    page.get_by_label("Тема").fill("Сопровождение педагогов ШНОР")
    page.locator("summary", has_text="Новый приказ").click()
    page.get_by_label("Вид документа").select_option(label="Распоряжение")
    page.get_by_label("Издал").select_option(label="Комитет образования Приозерского района")
    page.get_by_label("Номер", exact=True).fill("512-р")
    page.get_by_label("Дата", exact=True).fill("2026-08-25")
    page.get_by_label("Заголовок", exact=True).fill(
        "Об организации деятельности стажировочной площадки"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Создать структуру").click()

    page.get_by_role("heading", name="Стажировочная площадка «Сосновский ЦО»").wait_for()
    orders = page.get_by_role("region", name="Приказы и документы")
    expect(orders).to_contain_text("512-р")
    expect(orders).to_contain_text("Об организации деятельности стажировочной площадки")
    assert_accessible(page)
    structure = Structure.objects.get(name="Стажировочная площадка «Сосновский ЦО»")
    assert structure.topic == "Сопровождение педагогов ШНОР"
    assert structure.acts.get().kind == StructureAct.Kind.FOUNDED
