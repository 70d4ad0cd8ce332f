"""Issue 17's browser story for decisions followed up: the head of an interschool association (S5)
gives a decision of the draft minutes an owner and a due date and signs the minutes; the owner
finds it under «Мои поручения» on the home page and marks it done with a note in «Контроль
исполнения». Every page passes axe-core."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from communities import services
from communities.models import Decision
from networks.models import Role
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import MembershipFactory, StructureFactory, UserFactory, kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSOCIATION = "Межшкольное объединение руководителей Зареченского округа"
PASSWORD = "pass-Word-2026"
DECISION = "Актуализировать график взаимопосещений уроков"


def sign_out(page):
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/accounts/login/**")


def test_the_head_gives_a_decision_an_owner_and_the_owner_marks_it_done(page, live_server):
    association = StructureFactory(kind=kind("S5"), name=ASSOCIATION)

    def member(role, email, last_name, first_name):
        user = UserFactory(
            email=email,
            password=PASSWORD,
            last_name=last_name,
            first_name=first_name,
            organisation=association.host,
        )
        MembershipFactory(structure=association, role=role, user=user)
        return user

    head = member(Role.HEAD, "rudenko@school.example", "Руденко", "Ирина")
    owner = member(Role.MEMBER, "andreeva@school.example", "Андреева", "Светлана")
    # A meeting held this morning, its minutes a draft with one question.
    event = services.event_create(
        structure=association,
        by=head,
        title="Заседание № 1: взаимопосещения",
        form="meeting",
        format="in_person",
        place="ЦНППМ, ауд. 5",
        starts_at=timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0),
    )
    services.attendance_mark(
        event=event, by=head, present=list(event.attendance.values_list("pk", flat=True))
    )
    minutes = services.minutes_create(
        event=event,
        by=head,
        number="1",
        questions=[
            services.MinutesQuestion(
                question="О графике взаимопосещений уроков", decision="Утвердить график"
            )
        ],
    )
    due = timezone.localdate() + dt.timedelta(days=14)

    # The head gives the decision an owner and a date on the draft, then signs.
    sign_in(page, live_server, "rudenko@school.example", PASSWORD, home=False)
    page.goto(f"{live_server.url}/structures/{association.pk}/minutes/{minutes.pk}/")
    page.get_by_role("link", name="Добавить решение с ответственным").click()
    page.get_by_label("Вопрос протокола").select_option(label="1. О графике взаимопосещений уроков")
    page.get_by_label("Решение").fill(DECISION)
    page.get_by_label("Ответственный").select_option(
        label=f"Андреева Светлана {owner.patronymic}, {association.host}"
    )
    page.get_by_label("Срок").fill(due.isoformat())
    assert_accessible(page)
    page.get_by_role("button", name="Записать решение").click()
    page.get_by_text("Решение записано.").wait_for()
    expect(page.get_by_role("article")).to_contain_text(DECISION)
    assert not [m for m in mail.outbox if "Поручение" in m.subject]  # a draft tells nobody
    assert_accessible(page)
    page.get_by_role("button", name="Подписать протокол").click()
    page.get_by_text("Протокол подписан; теперь он доступен только для чтения.").wait_for()
    assert [m.to for m in mail.outbox if "Поручение" in m.subject] == [[owner.email]]
    sign_out(page)

    # The owner sees it at home and marks it done.
    sign_in(page, live_server, "andreeva@school.example", PASSWORD)
    block = page.get_by_role("region", name="Мои поручения")
    expect(block).to_contain_text(f"срок {due:%d.%m.%Y}")
    assert_accessible(page)
    block.get_by_role("link", name=DECISION).click()
    page.get_by_role("heading", name="Контроль исполнения решений").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=f"Выполнено: {DECISION}").click()
    page.get_by_label("Что сделано").fill("График обновлён и разослан школам")
    assert_accessible(page)
    page.get_by_role("button", name="Отметить выполненным").click()
    page.get_by_text("Решение отмечено выполненным.").wait_for()
    expect(page.get_by_role("table")).to_contain_text("График обновлён и разослан школам")
    assert_accessible(page)
    decision = Decision.objects.get()
    assert (decision.status, decision.done_by) == (Decision.Status.DONE, owner)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("region", name="Мои поручения")).to_have_count(0)
