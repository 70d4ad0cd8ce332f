"""The version for the visually impaired in a real browser (issue 20): switched on from the sign-in
page with the keyboard, each colour scheme passes axe-core (contrast included), the largest font
on a 390 px phone does not scroll the page sideways, and the choice follows the person in."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-2026"


def test_switched_on_by_keyboard_every_scheme_is_accessible_and_it_follows_the_person_in(
    page, live_server
):
    UserFactory(email="slabovid@school.example", password=PASSWORD)
    page.goto(f"{live_server.url}/accounts/login/")
    switch = page.get_by_role("button", name="Версия для слабовидящих")
    switch.focus()
    page.keyboard.press("Enter")
    bar = page.get_by_role("region", name="Настройки версии для слабовидящих")
    bar.wait_for()
    html = page.locator("html")
    expect(html).to_have_class("vi vi-font-large vi-scheme-bw vi-spacing-normal vi-images-on")
    assert_accessible(page)

    for scheme, name in (("wb", "Белым по чёрному"), ("blue", "Тёмно-синим по голубому")):
        bar.get_by_role("button", name=name).click()
        expect(html).to_have_class(
            f"vi vi-font-large vi-scheme-{scheme} vi-spacing-normal vi-images-on"
        )
        expect(bar.get_by_role("button", name=name)).to_have_attribute("aria-pressed", "true")
        assert_accessible(page)

    bar.get_by_role("button", name="Очень крупный").click()
    bar.get_by_role("button", name="Увеличенный").click()
    expect(html).to_have_class("vi vi-font-larger vi-scheme-blue vi-spacing-wide vi-images-on")
    page.set_viewport_size({"width": 390, "height": 844})
    page.get_by_label("Электронная почта").wait_for()
    wide = page.evaluate(
        """() => [...document.querySelectorAll('body *')]
        .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
        .map(e => e.tagName + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right) + ' ' + (e.textContent||'').slice(0,40))"""
    )
    assert page.evaluate(
        "document.scrollingElement.scrollWidth <= document.documentElement.clientWidth"
    ), wide
    assert_accessible(page)

    # Signed in, the choice is kept in the profile as well.
    sign_in(page, live_server, "slabovid@school.example", PASSWORD, by_form=True)
    expect(html).to_have_class("vi vi-font-larger vi-scheme-blue vi-spacing-wide vi-images-on")
    assert_accessible(page)
    page.get_by_role("button", name="Обычная версия сайта").click()
    page.get_by_role("button", name="Версия для слабовидящих").wait_for()
    expect(html).not_to_have_class("vi")
