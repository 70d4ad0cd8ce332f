"""Issue 6's story in a real browser: a curator matches a pair (R-TUL-A3-1.1), both sides log a
contact (R-TUL-A3-4.1) and answer the monitoring questionnaire, and the curator sees both answers
side by side (R-TUL-A3-4.2.1, 5.3). Every page passes axe-core."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Competence, Contact, Question, Response
from networks.models import OrganisationKind, Structure
from networks.schoolyear import SchoolYear
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    CompetenceFactory,
    MunicipalityFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    QuestionFactory,
    QuestionnaireFactory,
    RegionFactory,
    RoundFactory,
    UserFactory,
    make_pair,
    topic,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-2026"
PAIR = "Сетевая пара: МБОУ «ЦО № 12» — МБОУ «Лицей № 2»"


def sign_out(page):
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/accounts/login/**")


def log_contact(page, live_server, email: str, topic_text: str) -> None:
    sign_in(page, live_server, email, PASSWORD)
    page.get_by_role("region", name="Моя сетевая пара").get_by_role("link", name=PAIR).click()
    page.get_by_role("heading", name="Записать контакт").wait_for()
    assert_accessible(page)
    page.get_by_label("Дата").fill(timezone.localdate().isoformat())
    page.get_by_label("Форма работы").select_option("mentoring")
    page.get_by_label("Канал связи").select_option("phone")
    page.get_by_label("Тема").fill(topic_text)
    page.get_by_role("button", name="Записать контакт").click()
    page.get_by_role("status").filter(has_text="Контакт записан").wait_for()
    assert_accessible(page)


def answer(page, live_server, email: str, score: str, remark: str) -> None:
    sign_in(page, live_server, email, PASSWORD)
    waiting = page.get_by_role("region", name="Анкеты, ожидающие ответа")
    waiting.get_by_role("link", name="Мониторинг сетевых пар: Декабрь").click()
    assert_accessible(page)
    page.get_by_role("group", name="1. Насколько полезно взаимодействие в паре?").get_by_label(
        score
    ).check()
    page.get_by_label("2. Что изменить?").fill(remark)
    page.get_by_role("button", name="Отправить ответы").click()
    page.get_by_text("Ответы отправлены").first.wait_for()
    assert_accessible(page)
    sign_out(page)


def test_curator_matches_a_pair_both_sides_log_and_answer_and_the_curator_reads_both(
    page, live_server
):
    year = SchoolYear.current()
    region = RegionFactory(code="71", name="Тульская область")
    city = MunicipalityFactory(region=region, name="город Тула")
    centre = OrganisationFactory(
        municipality=city, kind=OrganisationKind.METHODICAL, short_name="МКУ «ЦНППМ г. Тулы»"
    )

    def school(status, name):
        organisation = OrganisationFactory(municipality=city, short_name=name)
        OrganisationStatusFactory(organisation=organisation, school_year=year.start, status=status)
        return organisation

    mentee = UserFactory(
        email="mentee@school.example",
        last_name="Соколова",
        first_name="Елена",
        position="Директор",
        organisation=school("shnor", "МБОУ «ЦО № 12»"),
    )
    mentor = UserFactory(
        email="mentor@school.example",
        last_name="Орлов",
        first_name="Дмитрий",
        position="Директор",
        organisation=school("leader", "МБОУ «Лицей № 2»"),
    )
    for name in ("ОГЭ", "ВПР"):
        CompetenceFactory(user=mentee, topic=topic(name), side=Competence.Side.DEFICIT)
        CompetenceFactory(user=mentor, topic=topic(name), side=Competence.Side.STRENGTH)
    curator = UserFactory(
        email="curator@school.example", last_name="Ткачёва", first_name="Юлия", organisation=centre
    )
    # The curator already curates a pair of the region: that makes them a curator here.
    make_pair(
        year=year.start,
        mentee=UserFactory(organisation=school("shnor", "МБОУ «СОШ № 7»")),
        mentor=UserFactory(organisation=school("leader", "МБОУ «Гимназия № 1»")),
        curator=curator,
        host=centre,
        established_on=year.first_day,
    )

    # 1. The curator matches the mentee with the best-fitting mentor.
    sign_in(page, live_server, "curator@school.example", PASSWORD)
    page.get_by_role("link", name="Подбор сетевых пар").first.click()
    page.get_by_role("link", name="Соколова Елена").click()
    page.get_by_role("heading", name="Подходящие наставники").wait_for()
    assert_accessible(page)
    page.get_by_label("Орлов Дмитрий").check()
    page.get_by_label("Куратор пары").select_option(str(curator.pk))
    page.get_by_role("button", name="Создать сетевую пару").click()
    page.get_by_role("heading", name=PAIR).wait_for()
    assert_accessible(page)
    pair = Structure.objects.get(name=PAIR)
    assert {m.role: m.user for m in pair.memberships.current()} == {
        "mentee": mentee,
        "mentor": mentor,
        "curator": curator,
    }
    sign_out(page)

    # 2. Both sides log a contact.
    log_contact(page, live_server, "mentee@school.example", "Подготовка к ОГЭ по математике")
    sign_out(page)
    log_contact(page, live_server, "mentor@school.example", "Разбор результатов ВПР")
    sign_out(page)
    assert set(Contact.objects.filter(pair=pair).values_list("topic", flat=True)) == {
        "Подготовка к ОГЭ по математике",
        "Разбор результатов ВПР",
    }

    # 3. The coordinators' December questionnaire goes to both sides of the region's pairs.
    questionnaire = QuestionnaireFactory(region=region, title="Мониторинг сетевых пар")
    QuestionFactory(questionnaire=questionnaire, position=1)
    QuestionFactory(
        questionnaire=questionnaire, position=2, text="Что изменить?", kind=Question.Kind.TEXT
    )
    today = timezone.localdate()
    december = RoundFactory(
        questionnaire=questionnaire,
        title="Декабрь",
        school_year=year.start,
        opens_on=max(year.first_day, today - dt.timedelta(days=1)),
        closes_on=min(year.last_day, today + dt.timedelta(days=7)),
    )
    answer(page, live_server, "mentee@school.example", "4", "Чаще встречаться в школе")
    answer(page, live_server, "mentor@school.example", "5", "Пригласить учителей математики")
    assert (
        Response.objects.filter(round=december, pair=pair, submitted_at__isnull=False).count() == 2
    )

    # 4. The curator sees both answers side by side.
    sign_in(page, live_server, "curator@school.example", PASSWORD, home=False)
    page.goto(live_server.url + reverse("mentoring:round_overview", args=[december.pk]))
    page.get_by_role("heading", level=1).first.wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=PAIR).click()
    page.get_by_text("Чаще встречаться в школе").wait_for()
    page.get_by_text("Пригласить учителей математики").wait_for()
    assert_accessible(page)
