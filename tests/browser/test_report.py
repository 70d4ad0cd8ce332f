"""R-TUL-A4-4.6 in a real browser: the head of an interschool association (S5) writes the annual
analysis — the page shows «Проведено заседаний: 2 из 4» from the meetings the test recorded — and
submits it; the coordinator returns it with a comment; the head sees the comment, edits and submits
again; the coordinator accepts; the head downloads the DOCX. Every page passes axe-core."""

import datetime as dt
import io

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import expect

from networks.models import Role
from networks.schoolyear import SchoolYear
from reporting import reminders
from reporting.models import Report
from tests.browser.conftest import assert_accessible, sign_in
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganisationFactory,
    StructureFactory,
    UserFactory,
    kind,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSOCIATION = "Межшкольное объединение руководителей Пролетарского округа"
TITLE = "Анализ работы межшкольного объединения за учебный год"
PASSWORD = "pass-Word-2026"


def sign_out(page):
    page.get_by_role("button", name="Выйти").click()
    page.wait_for_url("**/accounts/login/**")


def open_from_home(page, block: str):
    page.get_by_role("region", name=block).get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", name=TITLE).wait_for()


def test_the_head_submits_the_annual_analysis_and_the_coordinator_returns_then_accepts_it(
    page, live_server
):
    host = OrganisationFactory(
        full_name="Муниципальное казённое учреждение «Центр непрерывного повышения "
        "педагогического мастерства г. Тулы»",
        short_name="МКУ «ЦНППМ г. Тулы»",
    )
    association = StructureFactory(kind=kind("S5"), name=ASSOCIATION, host=host)
    year = SchoolYear.current()

    def member(role, email, last_name, first_name, position):
        user = UserFactory(
            email=email,
            password=PASSWORD,
            last_name=last_name,
            first_name=first_name,
            position=position,
            organisation=host,
        )
        MembershipFactory(structure=association, role=role, user=user)
        return user

    member(Role.HEAD, "rudenko@school.example", "Руденко", "Ирина", "Директор")
    member(Role.COORDINATOR, "boiko@cnppm.example", "Бойко", "Олег", "Методист")
    # Two meetings held this school year (of the four R-TUL-A4-4.3 requires), one still planned.
    for days, status in ((10, "held"), (20, "held"), (40, "scheduled")):
        starts = dt.datetime.combine(year.first_day + dt.timedelta(days=days), dt.time(15))
        EventFactory(
            structure=association,
            status=status,
            starts_at=timezone.make_aware(starts),
        )
    reminders.deadlines_instantiate(year=year)

    # The head finds the report on the home page and writes it.
    sign_in(page, live_server, "rudenko@school.example", PASSWORD)
    open_from_home(page, "Отчёты к сдаче")
    assert "Проведено заседаний: 2 из 4" in page.content()
    assert_accessible(page)
    page.get_by_label("Анализ работы").fill("Проведено два заседания; третье перенесено.")
    page.get_by_label("Проблемы и трудности").fill("Низкая явка руководителей ШНОР.")
    page.get_by_label("Планы на следующий учебный год").fill("Четыре заседания по графику.")
    page.get_by_role("button", name="Сдать отчёт").click()
    page.get_by_text("Отчёт сдан. Показатели зафиксированы на дату сдачи.").wait_for()
    assert "Проведено заседаний: 2 из 4" in page.content()
    expect(page.get_by_role("button", name="Сдать отчёт")).to_have_count(0)
    assert_accessible(page)
    sign_out(page)

    # The coordinator returns it with a comment.
    sign_in(page, live_server, "boiko@cnppm.example", PASSWORD)
    open_from_home(page, "Отчёты, ожидающие принятия")
    assert "Проведено два заседания" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Вернуть на доработку").click()
    page.get_by_text("Напишите, что доработать.").wait_for()  # the comment is required
    assert_accessible(page)
    page.get_by_label("Что доработать").fill("Добавьте, когда пройдут оставшиеся заседания.")
    page.get_by_role("button", name="Вернуть на доработку").click()
    page.get_by_text("Отчёт возвращён автору на доработку.").wait_for()
    assert_accessible(page)
    sign_out(page)

    # The head sees the comment, edits and submits again.
    sign_in(page, live_server, "rudenko@school.example", PASSWORD)
    open_from_home(page, "Отчёты к сдаче")
    page.get_by_text("Добавьте, когда пройдут оставшиеся заседания.").wait_for()
    assert_accessible(page)
    page.get_by_label("Анализ работы").fill(
        "Проведено два заседания; третье и четвёртое пройдут в марте и мае."
    )
    page.get_by_role("button", name="Сдать отчёт").click()
    page.get_by_text("Отчёт сдан.").first.wait_for()
    assert_accessible(page)
    sign_out(page)

    # The coordinator accepts.
    sign_in(page, live_server, "boiko@cnppm.example", PASSWORD)
    open_from_home(page, "Отчёты, ожидающие принятия")
    assert "третье и четвёртое пройдут в марте и мае" in page.content()
    page.get_by_role("button", name="Принять отчёт").click()
    page.get_by_text("Отчёт принят.").wait_for()
    assert_accessible(page)
    report = Report.objects.get()
    assert report.status == Report.Status.ACCEPTED and not report.is_late
    sign_out(page)

    # The head opens it from the structure page and downloads the DOCX.
    sign_in(page, live_server, "rudenko@school.example", PASSWORD)
    page.get_by_role("region", name="Мои структуры").get_by_role("link", name=ASSOCIATION).click()
    page.get_by_role("heading", name=ASSOCIATION).wait_for()
    reports = page.get_by_role("region", name=f"Отчёты за {year.label}")
    expect(reports).to_contain_text("принят")
    assert_accessible(page)
    reports.get_by_role("link", name="Все отчёты структуры").click()
    page.get_by_role("heading", name="Отчёты структуры").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    page.get_by_role("heading", name=TITLE).wait_for()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Скачать: Документ Word (DOCX)").click()
    download = download_info.value
    assert download.suggested_filename.startswith(TITLE) and download.suggested_filename.endswith(
        ".docx"
    )
    with open(download.path(), "rb") as downloaded:
        document = Document(io.BytesIO(downloaded.read()))
    lines = [p.text for p in document.paragraphs]
    assert lines[0] == host.full_name and ASSOCIATION in lines
    assert f"за {year.label} учебный год" in lines
    figures = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert figures["Проведено заседаний"] == "2"
