"""152-ФЗ: a person with something in every table that can hold their data exports all of it
(JSON readable in Cyrillic, every time in Moscow time with its offset) and, after deleting the
account, is found in no table of the database — historical tables and m2m tables included."""

import datetime as dt
import io
import json
import re

import pytest
from django.apps import apps
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import Announcement, Attendance, Decision, Material, PollVoter, Post
from communities.personal_data import REMOVED_POST
from documents.services import signed_scan_attach
from mentoring.models import HelpRequest, Response
from networks.account.services import consent_give, user_anonymise
from networks.models import ConsentKind, Membership, Role
from outbox.models import OutboundMail
from reporting.models import Delivery, Notice
from tests.factories import (
    AttendanceFactory,
    CompetenceFactory,
    DiscussionFactory,
    EventFactory,
    HelpRequestFactory,
    InvitationFactory,
    JoinRequestFactory,
    MaterialFactory,
    MembershipBlockFactory,
    MembershipFactory,
    MinutesFactory,
    PollFactory,
    PostFactory,
    QuestionFactory,
    RoundFactory,
    StructureFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

EMAIL = "zhuravleva-7319@school.example"
LAST_NAME = "Журавлёва-Черёмухина"
MARKER = "Черёмуха-Семь-Три-Один-Девять"


@pytest.fixture
def person():
    """One of everything: each row carries the marker where the person typed text."""
    user = UserFactory(email=EMAIL, last_name=LAST_NAME, first_name="Алевтина")
    consent_give(user=user, kind=ConsentKind.PERSONAL_DATA)
    consent_give(user=user, kind=ConsentKind.SHOW_NAME)
    coordinator = UserFactory()
    structure = StructureFactory()
    membership = MembershipFactory(user=user, structure=structure, role=Role.MEMBER)
    membership.save()  # a second history row
    JoinRequestFactory(user=user, reason=f"Хочу вступить: {MARKER}")
    MembershipBlockFactory(user=user, reason=f"Блок: {MARKER}")
    InvitationFactory(email=EMAIL, structure=structure)  # unused
    InvitationFactory(email=EMAIL.upper(), used_by=user, used_at=timezone.now())
    discussion = DiscussionFactory(structure=structure)
    PostFactory(discussion=discussion, author=user, body=f"Моё мнение: {MARKER}")
    PostFactory(discussion=discussion, body="Ответ коллеги.")
    MaterialFactory(structure=structure, author=user, title="Общий материал структуры")
    MaterialFactory(
        structure=structure, author=user, status="pending", description=f"Черновик {MARKER}"
    )
    AttendanceFactory(user=user, event=EventFactory(structure=structure))
    Announcement.objects.create(
        structure=structure, author=user, title="Семинар в четверг", text="Приходите."
    )
    minutes = MinutesFactory(
        event=EventFactory(structure=structure, status="held"),
        status="signed",
        signed_by=coordinator,
        signed_at=timezone.now(),
        attendee_count=5,
    )
    signed_scan_attach(  # issue 18: stays with the minutes, without the person
        record=minutes,
        file=SimpleUploadedFile(f"Протокол_{LAST_NAME}.pdf", b"%PDF-1.4\n%%EOF\n"),
        by=user,
        note=f"{LAST_NAME}: {MARKER}",
    )
    Decision.objects.create(  # issue 17: stays, owned by the anonymous account
        structure=structure,
        minutes=minutes,
        text="Подготовить справку",
        owner=user,
        due_on=dt.date(2021, 3, 15),
    )
    poll = PollFactory(structure=structure)
    PollVoter.objects.create(poll=poll, user=user)
    HelpRequestFactory(requester=user, description=f"Помогите: {MARKER}", answer="Ответ вам")
    CompetenceFactory(user=user)
    text_question = QuestionFactory(kind="text", text="Что мешает?")
    scale_question = QuestionFactory(questionnaire=text_question.questionnaire)
    Response.objects.create(
        round=RoundFactory(
            questionnaire=text_question.questionnaire, audience="members", structure=structure
        ),
        respondent=user,
        side="member",
        answers={str(text_question.pk): f"Мешает {MARKER}", str(scale_question.pk): 4},
        submitted_at=timezone.now(),
    )
    Notice.objects.create(user=user, title="Срок отчёта", body=f"Алевтина, {MARKER}")
    # Letters to the person in the mail outbox, sent and still waiting.
    for status in (OutboundMail.Status.SENT, OutboundMail.Status.QUEUED):
        OutboundMail.objects.create(
            to=[EMAIL.upper()], subject="Приглашение", body=f"{LAST_NAME}, {MARKER}", status=status
        )
    OutboundMail.objects.create(to=["colleague@school.example"], subject="Другому", body="Текст")
    Delivery.objects.create(
        topic="deadline:1",
        step="week",
        recipient=user,
        subject="Срок",
        body=f"Здравствуйте, {LAST_NAME} Алевтина! {MARKER}",
        due_at=timezone.now(),
        local_date=timezone.localdate(),
    )
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(user),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message="[]",
    )
    LogEntry.objects.create(
        user=coordinator,
        content_type=ContentType.objects.get_for_model(Membership),
        object_id=str(membership.pk),
        object_repr=f"{user.full_name} → {structure}",
        action_flag=CHANGE,
        change_message="[]",
    )
    return user


def dump_every_table() -> str:
    """Every row of every model, historical and auto-created m2m ones included, as text."""
    rows = []
    for model in apps.get_models(include_auto_created=True):
        rows.extend(repr(row) for row in model._base_manager.values())
    return "\n".join(rows)


def test_the_fixture_is_found_in_the_dump_before_deletion(person):
    dump = dump_every_table().lower()
    assert EMAIL in dump and LAST_NAME.lower() in dump and MARKER.lower() in dump
    assert "historicaljoinrequest" in {m._meta.model_name for m in apps.get_models()}


def test_deletion_leaves_no_trace_in_a_dump_of_every_table(person):
    user_anonymise(user=person)

    dump = dump_every_table().lower()
    for trace in (EMAIL, LAST_NAME.lower(), MARKER.lower(), "алевтина"):
        assert trace not in dump, trace


def test_what_deletion_keeps_for_the_structures_and_reports(person):
    user_anonymise(user=person)

    posts = list(Post.objects.order_by("pk").values_list("body", flat=True))
    assert posts == [REMOVED_POST, "Ответ коллеги."]  # the thread stays readable
    shared = Material.objects.get(title="Общий материал структуры")
    assert shared.author is None  # the structure keeps its collection
    assert Announcement.objects.get().author is None  # the members have it already
    assert not Material.objects.filter(status="pending").exists()
    assert Attendance.objects.filter(user=person, attended=True).count() == 1  # counts stay
    assert HelpRequest.objects.filter(requester=person).count() == 1
    response = Response.objects.get(respondent=person)
    assert list(response.answers.values()) == [4]  # the scale mark stays for the monitoring
    assert not Notice.objects.filter(user=person).exists()
    assert Delivery.objects.get(recipient=person).status == Delivery.Status.SKIPPED
    assert LogEntry.objects.filter(object_repr="Удалённый пользователь").count() == 1
    assert all(c.withdrawn_at for c in person.consents.all())


SECTIONS = {
    "profile",
    "memberships",
    "consents",
    "join_requests",
    "invitations",
    "membership_blocks",
    "posts",
    "materials",
    "attendance",
    "poll_votes",
    "help_requests",
    "questionnaire_answers",
    "competences",
    "notices",
    "reminders",
    "calendar_addresses",
    "announcements",
    "decisions",
    "signed_scans",
}


def _strings(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)
    elif isinstance(value, str):
        yield value


def test_the_json_export_holds_every_section_readable_and_in_one_time_zone(client, person):
    client.force_login(person)
    response = client.get(reverse("people:export", args=["json"]))

    assert MARKER.encode() in response.content  # UTF-8, not \u0427…
    assert b"\\u04" not in response.content
    data = json.loads(response.content)
    assert set(data) >= SECTIONS
    # The person has no calendar address (their deletion is tests/communities/test_calendar_feed.py).
    for key in SECTIONS - {
        "profile",
        "memberships",
        "consents",
        "invitations",
        "calendar_addresses",
    }:
        assert data[key], key
    typed = json.dumps(
        [data[k] for k in ("join_requests", "posts", "help_requests", "questionnaire_answers")],
        ensure_ascii=False,
    )
    assert typed.count(MARKER) == 4
    assert {i["email"] for i in data["invitations"]} == {EMAIL, EMAIL.upper()}
    assert {(c["consent"], c["version"]) for c in data["consents"]} == {
        ("Обработка персональных данных (152-ФЗ)", 1),
        ("Показывать ФИО и должность другим участникам", 1),
    }
    times = [s for s in _strings(data) if re.fullmatch(r"\d{4}-\d\d-\d\dT[\d:.]+[+-]\d\d:\d\d", s)]
    assert len(times) > 15
    assert {t[-6:] for t in times} == {"+03:00"}


def test_the_xlsx_export_has_a_sheet_per_section(client, person):
    client.force_login(person)
    book = load_workbook(io.BytesIO(client.get(reverse("people:export", args=["xlsx"])).content))
    assert len(book.sheetnames) == len(SECTIONS) + 1  # and the organisation requests
    posts = book["Сообщения в обсуждениях"]
    assert posts["C2"].value == f"Моё мнение: {MARKER}"
    assert isinstance(posts["D2"].value, dt.datetime)
