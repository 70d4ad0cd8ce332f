"""R-VLG-5.1 in a real browser: a director asks to join the managers' workshop, the coordinator
approves on their home page, the director finds the workshop among theirs. Every page passes axe."""

import pytest
from playwright.sync_api import expect

from networks.models import OrganisationKind, Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_registration import PASSWORD as DIRECTOR_PASSWORD
from tests.browser.test_registration import register_director, schools  # noqa: F401 (fixture)
from tests.factories import (
    JoinRequestFactory,
    MembershipFactory,
    OrganisationFactory,
    StructureFactory,
    UserFactory,
    kind,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORKSHOP = "Мастерская управления «Траектория развития школы»"
PASSWORD = "pass-Word-2026"


def sign_out(page):
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/accounts/login/**")


def test_director_registers_joins_the_workshop_and_the_coordinator_approves(
    page,
    live_server,
    schools,  # noqa: F811
):
    """Issue 4's story: registration with a Cyrillic name and «№ 4», consent, a join request to
    «Мастерская управления», the coordinator's approval, the workshop among the director's own."""
    # Named, not numbered by the factory: a «№ 4x» of its sequence would be a second match below.
    academy = OrganisationFactory(
        kind=OrganisationKind.METHODICAL,
        full_name="Государственное автономное учреждение «Академия последипломного образования»",
        short_name="ГАУ ДПО «ВГАПО»",
    )
    workshop = StructureFactory(kind=kind("S1"), name=WORKSHOP, host=academy)
    MembershipFactory(
        structure=workshop,
        role=Role.COORDINATOR,
        user=UserFactory(
            email="koordinator@vgapo.example", password=PASSWORD, organisation=academy
        ),
    )

    # The director registers and asks to join.
    register_director(page, live_server, schools)
    page.get_by_role("link", name="Структуры").first.click()
    page.get_by_role("link", name=WORKSHOP).click()
    page.get_by_role("heading", name=WORKSHOP).wait_for()
    assert_accessible(page)
    page.get_by_label("Почему вы хотите вступить").fill(
        "Курирую две школы с низкими результатами в районе."
    )
    page.get_by_role("button", name="Подать заявку на вступление").click()
    page.get_by_text("Заявка подана").wait_for()
    page.get_by_text("ожидает решения координатора").wait_for()
    assert_accessible(page)
    sign_out(page)

    # The coordinator sees it on the home page and approves.
    sign_in(page, live_server, "koordinator@vgapo.example", PASSWORD)
    waiting = page.get_by_role("region", name="Заявки на вступление, ожидающие решения")
    expect(waiting).to_contain_text("Кондакова Ирина Петровна")
    assert_accessible(page)
    waiting.get_by_role("link", name=WORKSHOP).click()
    page.get_by_text("Курирую две школы с низкими результатами в районе.").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Принять Кондакова Ирина Петровна").click()
    page.get_by_text("Кондакова Ирина Петровна принят(а) в структуру.").wait_for()
    assert_accessible(page)
    sign_out(page)

    # The director finds the workshop among their structures.
    sign_in(page, live_server, "kondakova@school.example", DIRECTOR_PASSWORD)
    mine = page.get_by_role("region", name="Мои структуры")
    mine.get_by_role("link", name=WORKSHOP).wait_for()
    expect(page.get_by_role("region", name="Мои заявки")).to_contain_text("Одобрена")
    assert_accessible(page)


def test_the_pages_that_run_the_membership_are_accessible(page, live_server):
    """The coordinator's pages with their forms in error and in order pass axe-core too."""
    workshop = StructureFactory(kind=kind("S1"), name=WORKSHOP)
    coordinator = UserFactory(email="koordinator@vgapo.example", password=PASSWORD)
    MembershipFactory(structure=workshop, role=Role.COORDINATOR, user=coordinator)
    member = MembershipFactory(structure=workshop, user=UserFactory(last_name="Белова"))
    JoinRequestFactory(structure=workshop, user=UserFactory(last_name="Новикова"))
    JoinRequestFactory(user=coordinator)

    sign_in(page, live_server, "koordinator@vgapo.example", PASSWORD)
    page.get_by_role("region", name="Мои структуры", exact=True).get_by_role(
        "link", name=WORKSHOP
    ).click()
    page.get_by_role("link", name="Участники и роли").click()
    page.get_by_label("Электронная почта").fill("не адрес")
    page.get_by_role("button", name="Отправить приглашение").click()
    page.get_by_text("Введите правильный адрес электронной почты.").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name=member.user.full_name).click()
    page.get_by_label("Дата исключения").fill("2001-01-01")
    page.get_by_role("button", name="Исключить").click()
    page.get_by_text("раньше начала участия").wait_for()
    assert_accessible(page)

    page.goto(f"{live_server.url}/structures/{workshop.pk}/requests/")
    page.get_by_role("button", name="Отклонить Новикова").click()
    page.get_by_text("Обязательное поле.").wait_for()
    assert_accessible(page)

    page.goto(f"{live_server.url}/structures/{workshop.pk}/history/")
    page.get_by_role("heading", name="История изменений").wait_for()
    assert_accessible(page)

    page.goto(f"{live_server.url}/my/requests/")
    page.get_by_role("heading", name="Мои заявки на вступление").wait_for()
    assert_accessible(page)
