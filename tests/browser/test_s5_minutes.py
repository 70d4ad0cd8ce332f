"""R-TUL-A4-4.3/4.4 in a real browser: the head of an interschool association (S5) plans a meeting,
marks attendance, files minutes with two questions, decisions and recommendations and signs them;
the coordinator sees «1 из 4» on the structure page; the signed minutes cannot be edited, and a
correction with a reason makes version 2. Every page passes axe-core."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Event, Minutes
from networks.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import MembershipFactory, StructureFactory, UserFactory, kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSOCIATION = "Межшкольное объединение руководителей Пролетарского округа"
PASSWORD = "pass-Word-2026"


def sign_out(page):
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/accounts/login/**")


def test_the_head_files_and_signs_minutes_and_the_coordinator_sees_one_of_four(page, live_server):
    association = StructureFactory(kind=kind("S5"), name=ASSOCIATION)
    school = association.host

    def member(role, email, last_name, first_name):
        user = UserFactory(
            email=email,
            password=PASSWORD,
            last_name=last_name,
            first_name=first_name,
            organisation=school,
        )
        MembershipFactory(structure=association, role=role, user=user)
        return user

    member(Role.HEAD, "rudenko@school.example", "Руденко", "Ирина")
    member(Role.COORDINATOR, "boiko@cnppm.example", "Бойко", "Олег")
    for email, last, first in (
        ("andreeva@school.example", "Андреева", "Светлана"),
        ("volkov@school.example", "Волков", "Пётр"),
        ("gromova@school.example", "Громова", "Елена"),
    ):
        member(Role.MEMBER, email, last, first)

    # The head plans a meeting that started at midnight today: held by now, in this school year.
    sign_in(page, live_server, "rudenko@school.example", PASSWORD)
    assert_accessible(page)
    page.get_by_role("region", name="Мои структуры").get_by_role("link", name=ASSOCIATION).click()
    page.get_by_role("heading", name=ASSOCIATION).wait_for()
    assert "Проведено заседаний: 0 из 4" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Запланировать мероприятие").click()
    page.get_by_label("Тема").fill("Заседание № 1: анализ результатов ВПР")
    page.get_by_role("combobox", name="Форма").select_option(label="Заседание")
    today = timezone.localdate().isoformat()
    page.get_by_label("Начало").fill(f"{today}T00:00")
    page.get_by_label("Место проведения").fill("ЦНППМ г. Тулы, ауд. 5")
    expect(page.get_by_label("Очно")).to_be_checked()
    expect(page.get_by_label("Андреева Светлана")).to_be_checked()  # every member invited
    assert_accessible(page)
    page.get_by_role("button", name="Запланировать").click()
    page.get_by_text("Мероприятие запланировано").wait_for()
    assert_accessible(page)

    # Attendance from the invited list: everybody but Громова, and a guest.
    page.get_by_role("link", name="Отметить присутствие").click()
    for name in ("Руденко Ирина", "Бойко Олег", "Андреева Светлана", "Волков Пётр"):
        page.get_by_label(name).check()
    page.get_by_label("Другие гости, которые присутствовали").fill(
        "Орлова Елена Николаевна; ЦНППМ г. Тулы"
    )
    assert_accessible(page)
    page.get_by_role("button", name="Сохранить присутствие").click()
    page.get_by_text("Присутствие отмечено.").wait_for()
    assert Event.objects.get().status == Event.Status.HELD
    assert_accessible(page)

    # Minutes with two questions, decisions and recommendations.
    page.get_by_role("link", name="Написать протокол").click()
    expect(page.get_by_label("Номер протокола")).to_have_value("1")
    first = page.get_by_role("group", name="Вопрос 1")
    first.get_by_label("Вопрос").fill("О результатах ВПР в школах с низкими результатами")
    first.get_by_label("Решение").fill("Принять к сведению. Провести адресные консультации.")
    first.get_by_label("Рекомендации").fill("Проанализировать результаты по классам")
    second = page.get_by_role("group", name="Вопрос 2")
    second.get_by_label("Вопрос").fill("О графике взаимопосещений уроков")
    second.get_by_label("Решение").fill("Утвердить график взаимопосещений")
    second.get_by_label("Рекомендации").fill("Согласовать даты до конца месяца")
    page.get_by_role("button", name="Добавить вопрос").click()
    page.get_by_role("group", name="Вопрос 3").wait_for()  # left empty: not saved
    assert_accessible(page)
    page.get_by_role("button", name="Сохранить черновик").click()
    page.get_by_text("Протокол сохранён как черновик").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Подписать протокол").click()
    page.get_by_text("Протокол подписан; теперь он доступен только для чтения.").wait_for()
    text = page.get_by_role("article").inner_text()
    assert "ПРОТОКОЛ № 1" in text and "Присутствовали: 5 чел." in text
    assert "Громова" not in text and "Орлова Елена Николаевна" in text
    assert "РЕКОМЕНДАЦИИ: Согласовать даты до конца месяца" in text
    assert_accessible(page)
    minutes = Minutes.objects.get()
    assert (minutes.is_signed, minutes.attendee_count, minutes.items.count()) == (True, 5, 2)
    sign_out(page)

    # The coordinator sees one meeting of the four required.
    sign_in(page, live_server, "boiko@cnppm.example", PASSWORD)
    page.get_by_role("region", name="Мои структуры").get_by_role("link", name=ASSOCIATION).click()
    page.get_by_text("Проведено заседаний: 1 из 4").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Все мероприятия и протоколы").click()
    assert_accessible(page)
    page.get_by_role("link", name="Заседание № 1: анализ результатов ВПР").click()
    assert_accessible(page)
    page.get_by_role("link", name="Протокол № 1").click()
    page.get_by_role("heading", name="ПРОТОКОЛ № 1").wait_for()
    expect(page.get_by_role("link", name="Изменить черновик")).to_have_count(0)
    expect(page.get_by_role("button", name="Подписать протокол")).to_have_count(0)
    assert_accessible(page)

    # The signed minutes cannot be edited: a POST to the edit URL is refused.
    edit_url = f"{live_server.url}/structures/{association.pk}/minutes/{minutes.pk}/edit/"
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    response = page.request.post(
        edit_url,
        form={
            "csrfmiddlewaretoken": token,
            "minutes-number": "99",
            "minutes-date": timezone.localdate().isoformat(),
            "items-TOTAL_FORMS": "1",
            "items-INITIAL_FORMS": "0",
            "items-0-question": "Подмена",
            "items-0-decision": "Подмена",
        },
    )
    assert "Протокол подписан и больше не меняется" in response.text()
    minutes.refresh_from_db()
    assert minutes.number == "1" and minutes.items.first().question.startswith("О результатах")

    # A correction with a reason makes version 2; version 1 stays readable.
    page.reload()
    page.get_by_role("link", name="Исправить (новая версия)").click()
    page.get_by_label("Причина исправления").fill("Уточнена формулировка решения по вопросу 2")
    assert_accessible(page)
    page.get_by_role("button", name="Начать исправление").click()
    page.get_by_role("heading", name="Протокол: версия 2 (черновик)").wait_for()
    assert_accessible(page)
    page.get_by_role("group", name="Вопрос 2").get_by_label("Решение").fill(
        "Утвердить график взаимопосещений на III четверть"
    )
    page.get_by_role("button", name="Сохранить черновик").click()
    page.get_by_role("button", name="Подписать протокол").click()
    page.get_by_text("Протокол подписан").first.wait_for()
    expect(page.get_by_role("article")).to_contain_text(
        "Уточнена формулировка решения по вопросу 2"
    )
    assert_accessible(page)
    v2 = Minutes.objects.get(version=2)
    assert v2.previous == minutes and v2.is_signed
    assert v2.correction_reason == "Уточнена формулировка решения по вопросу 2"
    minutes.refresh_from_db()
    assert minutes.items.last().decision == "Утвердить график взаимопосещений"
