"""A signed-in person browses the structures in a real browser; every page passes axe-core."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from networks.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_methodist_finds_the_association_and_sees_its_members(page, live_server):
    association = StructureFactory(
        kind=kind("S5"),
        name="Межшкольное профессиональное объединение руководящих работников",
        established_on=dt.date(2020, 9, 16),
    )
    methodist = UserFactory(email="metodist@school.example", password="pass-Word-2026")
    TerritoryRoleFactory(user=methodist, role="methodist", region=association.region)
    StructureFactory(kind=kind("S1"), name="Мастерская управления «Траектория развития школы»")
    school = OrganisationFactory(short_name="МБОУ «Центр образования № 12»")
    OrganisationStatusFactory(organisation=school, school_year=2020, status="shnor")
    MembershipFactory(
        structure=association,
        role=Role.HEAD,
        since=dt.date(2020, 9, 20),
        user=UserFactory(last_name="Белова", first_name="Ирина", organisation=school),
    )

    sign_in(page, live_server, "metodist@school.example", "pass-Word-2026", by_form=True)
    assert page.locator("html").get_attribute("lang") == "ru"
    assert_accessible(page)

    page.get_by_role("link", name="Структуры").first.click()
    page.get_by_label("Название").fill("межшкольное")
    page.get_by_label("Учебный год").select_option("2020")
    page.get_by_role("button", name="Показать").click()
    # The list page had a status line before the click too: wait for the new one.
    expect(page.get_by_role("status").first).to_have_text(re.compile(r"^Найдена 1"))
    assert_accessible(page)

    page.get_by_role("link", name=association.name).click()
    page.get_by_role("heading", name=association.name).wait_for()
    page.get_by_label("Учебный год").select_option("2020")
    page.get_by_role("button", name="Показать").click()
    page.get_by_role("heading", name="Участники в 2020/2021 учебном году").wait_for()
    row = page.get_by_role("row", name="Белова")
    expect(row).to_contain_text("Руководитель")
    expect(row).to_contain_text("ШНОР")
    assert_accessible(page)


def test_keyboard_user_can_skip_to_the_content(page, live_server):
    UserFactory(email="teacher@school.example", password="pass-Word-2026")
    sign_in(page, live_server, "teacher@school.example", "pass-Word-2026")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к содержанию")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#content")).to_be_focused()
