"""Issue 17's browser story for invitations: the head of an interschool association (S5) plans a
meeting in the browser; the worker delivers the outbox into a mail folder, as the embedded default
does into var/mail (the file-based backend that `EMAIL_URL=filemail://…` configures); a member
opens her mail from that folder, follows its signed «Приду» link in a browser where she is not
signed in, confirms with the button; the head reloads the meeting page and sees «Придут: 1».

R-TUL-A2-4.2 (001, прил. 2 п. 4.2.2): members are informed of coming events. The answer page
passes axe-core; the tests wait only for conditions on the pages."""

import datetime as dt
import email
import email.policy
import re
from html.parser import HTMLParser
from pathlib import Path

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.models import Attendance
from networks.models import Role
from outbox import tasks
from outbox.models import OutboundMail
from tests.browser.conftest import _note_csp, assert_accessible, sign_in
from tests.factories import MembershipFactory, StructureFactory, UserFactory, kind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ASSOCIATION = "Межшкольное объединение руководителей Заречного округа"
PASSWORD = "pass-Word-2026"
TITLE = "Заседание № 2: график взаимопосещений уроков"
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file-based backend writes after a message


class _Links(HTMLParser):
    """The links of an HTML mail: (text, href)."""

    def __init__(self):
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._text).strip(), self._href))
            self._href = None


def mail_folder(folder: Path) -> list[email.message.EmailMessage]:
    """Every message the file-based backend wrote into the folder, as a mail client reads it."""
    messages = []
    for path in sorted(folder.iterdir()):
        for chunk in path.read_bytes().split(SEPARATOR):
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def test_a_member_answers_the_mailed_invitation_and_the_head_sees_who_comes(
    page, browser, live_server, settings, monkeypatch, tmp_path
):
    # Production's mail path: the page writes the outbox; the worker sends each row through the
    # file-based backend into the mail folder. The worker's queue is played by this test.
    folder = tmp_path / "mail"
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(folder)
    settings.SITE_URL = live_server.url  # the mail's links open this server
    queued: list[int] = []
    monkeypatch.setattr(tasks.send_outbound, "delay", queued.append)

    association = StructureFactory(kind=kind("S5"), name=ASSOCIATION)

    def member(role, email_address, last_name, first_name):
        user = UserFactory(
            email=email_address,
            password=PASSWORD,
            last_name=last_name,
            first_name=first_name,
            organisation=association.host,
        )
        MembershipFactory(structure=association, role=role, user=user)
        return user

    member(Role.HEAD, "rudenko@school.example", "Руденко", "Ирина")
    andreeva = member(Role.MEMBER, "andreeva@school.example", "Андреева", "Светлана")

    # The head plans a meeting a week ahead; every member is invited by default.
    sign_in(page, live_server, "rudenko@school.example", PASSWORD)
    page.get_by_role("region", name="Мои структуры").get_by_role("link", name=ASSOCIATION).click()
    page.get_by_role("heading", name=ASSOCIATION).wait_for()
    page.get_by_role("link", name="Запланировать мероприятие").click()
    page.get_by_label("Тема").fill(TITLE)
    page.get_by_role("combobox", name="Форма").select_option(label="Заседание")
    day = timezone.localdate() + dt.timedelta(days=7)
    page.get_by_label("Начало").fill(f"{day.isoformat()}T15:00")
    page.get_by_label("Место проведения").fill("ЦНППМ, ауд. 5")
    expect(page.get_by_label("Андреева Светлана")).to_be_checked()
    page.get_by_role("button", name="Запланировать").click()
    page.get_by_text("Мероприятие запланировано").wait_for()
    page.get_by_role("heading", name=TITLE).wait_for()
    meeting_url = page.url
    answers = page.get_by_role("region", name="Ожидается")
    expect(answers).to_contain_text("Придут: 0")

    # The worker's part: each queued row sent once, into the mail folder.
    rows = OutboundMail.objects.order_by("pk")
    assert sorted(queued) == list(rows.values_list("pk", flat=True)) and len(queued) == 2
    assert [tasks.send_outbound(mail_id) for mail_id in queued] == [True, True]
    assert set(rows.values_list("status", flat=True)) == {OutboundMail.Status.SENT}

    # The member's mail, read from the folder: an invitation with the calendar file and the links.
    (invitation,) = [m for m in mail_folder(folder) if m["To"] == andreeva.email]
    assert f"Приглашение: {TITLE}, {day:%d.%m.%Y}" in invitation["Subject"]
    (ics,) = [p for p in invitation.walk() if p.get_content_type() == "text/calendar"]
    entry = icalendar.Calendar.from_ical(ics.get_payload(decode=True)).walk("VEVENT")[0]
    assert str(entry["SUMMARY"]) == TITLE
    html = invitation.get_body(preferencelist=("html",)).get_content()
    parser = _Links()
    parser.feed(html)
    (come,) = [href for text, href in parser.links if text == "Приду"]
    assert come.startswith(f"{live_server.url}/events/answer/") and come.endswith("?answer=yes")
    assert come in invitation.get_body(preferencelist=("plain",)).get_content()

    # She opens the link in her own browser, not signed in, and confirms with the button.
    context = browser.new_context(locale="ru-RU", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    blocked: list[str] = []
    try:
        mine = context.new_page()
        mine.on("console", lambda message: _note_csp(blocked, message.text))
        mine.on("pageerror", lambda error: _note_csp(blocked, str(error)))
        mine.goto(come)
        mine.get_by_role("heading", name="Ответ на приглашение").wait_for()
        expect(mine.get_by_text(f"Заседание: {TITLE}")).to_be_visible()
        group = mine.get_by_role("group", name="Придёте?")
        # The link preselects its answer but records nothing until the button is pressed.
        expect(group.get_by_role("button", name="Приду", exact=True)).to_have_class(
            re.compile(r"\bbtn-primary\b")
        )
        assert Attendance.objects.get(user=andreeva).response == ""
        assert_accessible(mine)
        group.get_by_role("button", name="Приду", exact=True).click()
        expect(mine.get_by_role("status")).to_have_text(
            "Ваш ответ записан: «Приду». Его можно изменить здесь же до начала мероприятия."
        )
        assert_accessible(mine)
    finally:
        context.close()
    assert not blocked, "Content-Security-Policy violations:\n" + "\n".join(blocked)

    # The head reloads the meeting page: one is coming, one has not answered.
    page.goto(meeting_url)
    answers = page.get_by_role("region", name="Ожидается")
    expect(answers).to_contain_text("Придут: 1")
    expect(answers).to_contain_text("Не ответили: 1")
    row = page.get_by_role("row").filter(has_text="Андреева Светлана")
    expect(row.get_by_role("cell").nth(3)).to_have_text("Приду")
    assert_accessible(page)
