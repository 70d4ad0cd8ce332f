"""A director registers in a real browser: Cyrillic name, the school found by typing «№ 4» and
picked with the keyboard, the consent, the link from the e-mail; every page passes axe-core.

Stops once the director is signed in on the home page; joining a structure continues from there."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from networks.models import User
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import MunicipalityFactory, OrganisationFactory, RegionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Кедровый-Ручей-2026"
SCHOOL = "МОУ «Средняя общеобразовательная школа № 4»"


@pytest.fixture
def schools():
    district = MunicipalityFactory(
        region=RegionFactory(code="46", name="Курская область"), name="Дмитриевский район"
    )
    OrganisationFactory(municipality=district, short_name="МОУ «СОШ № 40»")
    return OrganisationFactory(
        municipality=district,
        full_name="Муниципальное общеобразовательное учреждение «Средняя общеобразовательная "
        "школа № 4»",
        short_name=SCHOOL,
    )


def register_director(page, live_server, school) -> User:
    """Signs up «Кондакова Ирина Петровна» of school № 4 through the browser, opens the link from
    the e-mail and returns on the home page, signed in. Also used by the joining story."""
    page.goto(f"{live_server.url}/accounts/signup/")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert_accessible(page)

    page.get_by_label("Фамилия").fill("Кондакова")
    page.get_by_role("textbox", name="Имя*", exact=True).fill("Ирина")
    page.get_by_label("Отчество (если есть)").fill("Петровна")
    page.get_by_role("textbox", name="Должность*", exact=True).fill("Директор")
    page.get_by_label("Категория должности").select_option(label="Руководитель организации")
    page.get_by_label("Электронная почта").fill("kondakova@school.example")

    search = page.get_by_label("Название или номер организации")
    search.press_sequentially("№ 4", delay=30)
    status = page.locator("#organisation-status")
    page.wait_for_function(
        "el => el.textContent.includes('Найдено организаций: 1.')", arg=status.element_handle()
    )
    assert status.get_attribute("role") == "status"
    # Enter in the search box searches again, it does not submit the form. The new answer
    # replaces the list: wait until it is rendered (the picker drops aria-busy after drawing it),
    # or the keys below would land on a list about to be replaced.
    with page.expect_response(lambda response: "/organisations/search/" in response.url):
        search.press("Enter")
    page.locator("[data-organisation-picker]:not([aria-busy])").wait_for()
    school_radio = page.get_by_role("radio", name=re.compile(re.escape(SCHOOL)))
    expect(school_radio).to_be_visible()
    expect(page.get_by_role("radio")).to_have_count(1)  # «№ 40» is not offered
    assert page.url.endswith("/accounts/signup/")
    # keyboard only: past «Найти» to the first match, Space picks it
    search.focus()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Найти")).to_be_focused()
    page.keyboard.press("Tab")
    expect(school_radio).to_be_focused()
    page.keyboard.press("Space")
    expect(school_radio).to_be_checked()
    assert_accessible(page)

    page.get_by_role("textbox", name="Пароль*", exact=True).fill(PASSWORD)
    page.get_by_label("Пароль ещё раз").fill(PASSWORD)
    page.get_by_label("Даю согласие на обработку моих персональных данных").check()
    page.get_by_role("button", name="Зарегистрироваться").click()

    page.get_by_role("heading", name="Подтвердите адрес электронной почты").wait_for()
    assert_accessible(page)
    user = User.objects.get(email="kondakova@school.example")
    assert (user.full_name, user.organisation_id) == ("Кондакова Ирина Петровна", school.pk)
    assert user.pd_consent_at is not None and user.show_name_consent_at is None

    (message,) = [m for m in mail.outbox if "kondakova@school.example" in m.to]
    link = re.search(r"https?://\S+/accounts/confirm-email/[-:\w]+/", message.body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Подтвердить").click()

    page.wait_for_url(f"{live_server.url}/")
    page.get_by_role("heading", name="Здравствуйте, Ирина!").wait_for()
    assert_accessible(page)
    return user


def test_director_registers_picks_the_school_by_number_and_lands_signed_in(
    page, live_server, schools
):
    register_director(page, live_server, schools)


def test_without_javascript_the_find_button_lists_the_matches(browser, live_server, schools):
    context = browser.new_context(locale="ru-RU", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/signup/")
        page.get_by_label("Фамилия").fill("Кондакова")
        page.get_by_label("Название или номер организации").fill("№ 4")
        page.get_by_role("button", name="Найти").click()
        page.get_by_role("radio", name=re.compile(re.escape(SCHOOL))).check()
        expect(page.get_by_label("Фамилия")).to_have_value("Кондакова")
        expect(page.locator("#organisation-status")).to_contain_text("Найдено организаций: 1.")
    finally:
        context.close()


def test_profile_consent_and_delete_pages_are_accessible(page, live_server, schools):
    UserFactory(email="kondakova@school.example", password=PASSWORD, organisation=schools)
    sign_in(page, live_server, "kondakova@school.example", PASSWORD)

    page.get_by_role("link", name=re.compile("профиль")).click()
    page.get_by_role("heading", name="Профиль", exact=True).wait_for()
    expect(page.get_by_role("radio", name=re.compile(re.escape(SCHOOL)))).to_be_checked()
    assert_accessible(page)

    page.get_by_role("link", name="Текст согласия на обработку персональных данных").click()
    page.get_by_role("heading", name="Согласие на обработку персональных данных").wait_for()
    assert_accessible(page)

    page.go_back()
    page.get_by_role("link", name="Удалить учётную запись…").click()
    page.get_by_role("button", name="Удалить учётную запись").click()
    page.get_by_text("Обязательное поле.").first.wait_for()
    assert_accessible(page)
