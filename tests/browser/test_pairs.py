"""Network pairs in a real browser: the territory's coordinator matches a mentee with a mentor and
looks around the pages of the feature; the mentee logs a contact. Every page passes axe-core.

(The story of issue 6 — matching, contacts from both sides, questionnaires — is the lead's test.)
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from mentoring.models import Competence
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import CompetenceFactory, UserFactory, topic
from tests.mentoring.pairs.conftest import build_pair_cast, school

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-Word-2026"


def test_the_coordinator_matches_a_pair_and_the_mentee_logs_a_contact(page, live_server):
    cast = build_pair_cast()
    municipality = cast.shnor.municipality
    mentee = UserFactory(
        email="zam@school.example",
        last_name="Соколова",
        first_name="Елена",
        position="Заместитель директора",
        organisation=school(municipality, "shnor", short_name="МБОУ «СОШ № 7»"),
    )
    mentor = UserFactory(
        last_name="Орлов",
        first_name="Дмитрий",
        position="Директор",
        organisation=school(municipality, "leader", short_name="МБОУ «Гимназия № 2»"),
    )
    for name in ("ОГЭ", "ВПР"):
        CompetenceFactory(user=mentee, topic=topic(name), side=Competence.Side.DEFICIT)
        CompetenceFactory(user=mentor, topic=topic(name), side=Competence.Side.STRENGTH)

    sign_in(page, live_server, "tcoord@school.example", PASSWORD)
    page.get_by_role("heading", name="Мои пары").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Подбор сетевых пар").click()
    page.get_by_role("link", name="Соколова Елена").click()
    page.get_by_role("heading", name="Подходящие наставники").wait_for()
    assert_accessible(page)
    page.get_by_label("Орлов Дмитрий").check()
    page.get_by_label("Куратор пары").select_option(str(cast.people["curator"].pk))
    page.get_by_role("button", name="Создать сетевую пару").click()
    page.get_by_role(
        "heading", name="Сетевая пара: МБОУ «СОШ № 7» — МБОУ «Гимназия № 2»"
    ).wait_for()
    assert_accessible(page)

    for name, args in (
        ("mentoring:my_pairs", []),
        ("mentoring:competences", []),
        ("mentoring:catalogue", []),
        ("mentoring:tutoring_list", [cast.community.pk]),
        ("mentoring:tutoring_assign", [cast.community.pk]),
        ("mentoring:tutoring_detail", [cast.assignment.pk]),
        ("networks:structure_detail", [cast.pair.pk]),
    ):
        page.goto(live_server.url + reverse(name, args=args))
        page.get_by_role("heading", level=1).first.wait_for()
        assert_accessible(page)

    page.get_by_role("button", name="Выйти").click()
    sign_in(page, live_server, "zam@school.example", PASSWORD)
    my_pair = page.get_by_role("region", name="Моя сетевая пара")
    my_pair.get_by_role("link", name="Сетевая пара: МБОУ «СОШ № 7» — МБОУ «Гимназия № 2»").click()
    page.get_by_role("heading", name="Записать контакт").wait_for()
    page.get_by_label("Дата").fill(timezone.localdate().isoformat())
    page.get_by_label("Форма работы").select_option("consulting")
    page.get_by_label("Канал связи").select_option("messenger")
    page.get_by_label("Тема").fill("Подготовка к ОГЭ по математике")
    page.get_by_label("Результат").fill("Договорились о пробном экзамене")
    page.get_by_role("button", name="Записать контакт").click()
    page.get_by_role("status").filter(has_text="Контакт записан").wait_for()
    row = page.get_by_role("row", name="Подготовка к ОГЭ по математике")
    expect(row).to_contain_text("Консультирование")
    assert_accessible(page)
