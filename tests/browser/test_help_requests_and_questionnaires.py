"""Requests for targeted help and monitoring questionnaires in a real browser: a deputy of a ШНОР
asks for help, the territory's coordinator routes it; the mentee answers a questionnaire by its
labels; the curator reads the overview and the pair's answers. Every page passes axe-core.

(The story of issue 6 — matching, contacts from both sides, questionnaires — is the lead's test.)
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from mentoring.models import HelpRequest, Question, Response
from networks.models import OrganisationKind, Role, TerritoryRole
from networks.schoolyear import SchoolYear
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    QuestionFactory,
    QuestionnaireFactory,
    RegionFactory,
    RoundFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
    make_pair,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-2026"


def test_a_request_is_routed_and_a_questionnaire_answered_and_read(page, live_server):
    year = SchoolYear.current()
    today = timezone.localdate()
    region = RegionFactory(code="71", name="Тульская область")
    city = MunicipalityFactory(region=region, name="город Тула")
    centre = OrganisationFactory(municipality=city, kind=OrganisationKind.METHODICAL)

    def school(status, name):
        organisation = OrganisationFactory(municipality=city, short_name=name)
        OrganisationStatusFactory(organisation=organisation, school_year=year.start, status=status)
        return organisation

    shnor, leader = school("shnor", "МБОУ «ЦО № 12»"), school("leader", "МБОУ «Лицей № 1»")
    UserFactory(email="zam@school.example", organisation=shnor)  # the deputy who asks
    consultant = UserFactory(last_name="Орлова", first_name="Нина", organisation=leader)
    council = StructureFactory(kind=kind("S2"), host=centre, name="Совет «РОСТ»")
    MembershipFactory(structure=council, user=consultant, role=Role.MEMBER)
    TerritoryRoleFactory(
        user=UserFactory(email="coord@school.example", organisation=centre),
        role=TerritoryRole.Role.COORDINATOR,
        region=region,
    )
    mentee = UserFactory(email="mentee@school.example", organisation=shnor, position="Директор")
    curator = UserFactory(email="curator@school.example", organisation=centre)
    pair = make_pair(
        year=year.start,
        mentee=mentee,
        mentor=UserFactory(organisation=leader),
        curator=curator,
        host=centre,
    )
    pair.memberships.update(since=year.first_day)
    questionnaire = QuestionnaireFactory(region=region, title="Мониторинг пар")
    QuestionFactory(questionnaire=questionnaire, position=1, text="Насколько полезны встречи?")
    QuestionFactory(
        questionnaire=questionnaire,
        position=2,
        text="Подходит ли вам наставник?",
        kind=Question.Kind.SINGLE,
        options=["подходит", "не подходит"],
        rematch_answers=["не подходит"],
    )
    QuestionFactory(
        questionnaire=questionnaire,
        position=3,
        text="Какие формы работы были?",
        kind=Question.Kind.MULTIPLE,
        options=["консультирование", "мозговой штурм"],
        required=False,
    )
    QuestionFactory(
        questionnaire=questionnaire, position=4, text="Что изменить?", kind="text", required=False
    )
    december = RoundFactory(
        questionnaire=questionnaire,
        title="Декабрь",
        school_year=year.start,
        opens_on=max(year.first_day, today - dt.timedelta(days=1)),
        closes_on=min(year.last_day, today + dt.timedelta(days=7)),
    )

    def visit(name, *args):
        page.goto(live_server.url + reverse(name, args=args))
        page.get_by_role("heading", level=1).first.wait_for()
        assert_accessible(page)

    # The deputy asks for help.
    sign_in(page, live_server, "zam@school.example", PASSWORD)
    page.get_by_role("region", name="Адресная помощь").get_by_role(
        "link", name="Новый запрос"
    ).click()
    assert_accessible(page)
    page.get_by_label("Тема").select_option(label="Всероссийские проверочные работы (ВПР)")
    page.get_by_label("В чём нужна помощь").fill("Как выстроить работу по итогам ВПР?")
    page.get_by_role("button", name="Подать запрос").click()
    page.get_by_text("Запрос подан").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Выйти").click()

    # The coordinator routes it to a member of the council.
    sign_in(page, live_server, "coord@school.example", PASSWORD)
    assert_accessible(page)
    visit("mentoring:request_queue")
    page.get_by_role("link", name="Всероссийские проверочные работы (ВПР)").click()
    page.get_by_label("Консультант", exact=True).select_option(str(consultant.pk))
    page.get_by_role("button", name="Передать").click()
    page.get_by_text("Запрос передан консультанту").wait_for()
    assert_accessible(page)
    assert HelpRequest.objects.get().consultant == consultant
    visit("mentoring:questionnaire_list")
    visit("mentoring:questionnaire_detail", questionnaire.pk)
    page.get_by_role("button", name="Выйти").click()

    # The mentee answers the questionnaire from the home page.
    sign_in(page, live_server, "mentee@school.example", PASSWORD)
    waiting = page.get_by_role("region", name="Анкеты, ожидающие ответа")
    waiting.get_by_role("link", name="Мониторинг пар: Декабрь").click()
    assert_accessible(page)
    page.get_by_role("group", name="1. Насколько полезны встречи?").get_by_label("4").check()
    page.get_by_label("подходит", exact=True).check()
    page.get_by_label("консультирование").check()
    page.get_by_label("4. Что изменить?").fill("Чаще встречаться в школе")
    page.get_by_role("button", name="Отправить ответы").click()
    page.get_by_text("Ответы отправлены").first.wait_for()
    assert_accessible(page)
    assert Response.objects.get(round=december).is_submitted
    page.get_by_role("button", name="Выйти").click()

    # The curator reads the overview and the pair's answers.
    sign_in(page, live_server, "curator@school.example", PASSWORD, home=False)
    visit("mentoring:round_overview", december.pk)
    page.get_by_role("link", name=pair.name).click()
    page.get_by_text("Чаще встречаться в школе").wait_for()
    assert_accessible(page)
