"""Issue 16 in a real browser: somebody who has not signed in finds a structure's public page from
the page `/` shows them, and goes on to register and join (000 §5, R-VLG-5.1: managers register on
the community page). Every page passes axe-core."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from networks.models import Role
from tests.browser.conftest import assert_accessible
from tests.factories import MembershipFactory, RegionFactory, StructureFactory, UserFactory, kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_visitor_finds_the_workshop_from_the_front_page_and_goes_on_to_join(page, live_server):
    region = RegionFactory(code="34", name="Волгоградская область")
    workshop = StructureFactory(
        kind=kind("S1"),
        name="Мастерская управления «Траектория развития школы»",
        host__region=region,
        host__municipality__region=region,
        public_page=True,
    )
    MembershipFactory(
        structure=workshop,
        role=Role.COORDINATOR,
        since=dt.date(2021, 5, 29),
        user=UserFactory(last_name="Голованова", show_name_consent_at=None),
    )

    page.goto(live_server.url + "/")
    assert_accessible(page)
    page.get_by_role("link", name="открытые страницы структур по регионам").click()
    page.get_by_role("heading", name="Сетевые сообщества открыты для всех").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Волгоградская область").click()
    page.get_by_role("heading", name="Сетевые структуры: Волгоградская область").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name=workshop.name).click()
    page.get_by_role("heading", level=1, name=workshop.name).wait_for()
    assert_accessible(page)
    expect(page.get_by_role("main")).not_to_contain_text("Голованова")

    page.get_by_role("link", name="Зарегистрироваться и вступить").click()
    page.get_by_role("heading", name="Регистрация").wait_for()
    assert re.search(rf"next=%2Fstructures%2F{workshop.pk}%2Fjoin%2F", page.url)
