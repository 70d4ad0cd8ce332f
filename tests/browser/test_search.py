"""Issue 20, «Find anything»: a member types an inflected word into the header's search box and
finds a material of their structure; the results page passes axe-core and fits a 390 px phone."""

import pytest
from playwright.sync_api import expect

from communities.models import Material
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import MaterialFactory, MembershipFactory, StructureFactory, UserFactory, kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_member_finds_a_material_by_an_inflected_word_from_the_header_on_a_phone(
    page, live_server
):
    workshop = StructureFactory(kind=kind("S1"), name="Мастерская по наставничеству")
    member = UserFactory(email="teacher@school.example", password="pass-Word-2026")
    MembershipFactory(structure=workshop, user=member)
    MaterialFactory(
        structure=workshop,
        title="Наставничество в школах с низкими результатами",
        status=Material.Status.PUBLISHED,
    )
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "teacher@school.example", "pass-Word-2026")

    page.get_by_role("button", name="Показать меню").click()
    page.get_by_label("Поиск по порталу").fill("наставничеству")
    page.get_by_label("Поиск по порталу").press("Enter")

    expect(page.get_by_role("status")).to_contain_text("Найдено 2 результата")
    expect(
        page.get_by_role("link", name="Наставничество в школах с низкими результатами")
    ).to_be_visible()
    expect(page.get_by_label("Что найти")).to_have_value("наставничеству")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page)

    page.get_by_role("link", name="Наставничество в школах с низкими результатами").click()
    page.get_by_role("heading", name="Наставничество в школах с низкими результатами").wait_for()
