"""Invitations to meetings and events (issue 17): a meeting planned, moved or cancelled sends each
invited member a mail in Russian with an `.ics` that `icalendar` reads (same UID, a higher
SEQUENCE, METHOD:REQUEST/CANCEL, the region's time zone), and a notice; the answers «Приду / Не
приду / Не знаю» from the mail's signed link or the page; the day-before reminder, once.

R-TUL-A2-4.2 (001, прил. 2 п. 4.2.2): the group's administrators inform its members of coming
events — the portal now does it for every structure whose meeting is planned.

The clock is set (time_machine) on 01.12.2026 10:00 Moscow time; the group is in Samara (UTC+4),
its meeting on 10.12.2026 at 15:00 Samara time. Mail goes through the outbox as in production.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.conf import settings
from django.core import signing
from django.urls import reverse

from communities import services
from communities.models import Attendance, Event
from communities.services import event_invitations
from networks.models import Role, TerritoryRole
from outbox.models import OutboundMail
from outbox.services import outbound_to_message
from reporting.models import Delivery, Notice
from reporting.reminders import Clock, sweep
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db

SAMARA = ZoneInfo("Europe/Samara")
MOSCOW = ZoneInfo("Europe/Moscow")
NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=MOSCOW)
STARTS = dt.datetime(2026, 12, 10, 15, 0, tzinfo=SAMARA)
PLACE = "МБОУ «Лицей № 3», каб. 12"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def outbox_on(settings):
    """Production's mail path: every mail is an OutboundMail row written with the change."""
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://portal.example.ru"


class Group:
    """An S3 subject group in Samara: its administrator, three members, the region's coordinator
    (who plans its meetings), and a stranger."""

    def __init__(self):
        region = RegionFactory(code="163", name="Самарская область", timezone="Europe/Samara")
        host = OrganisationFactory(municipality=MunicipalityFactory(region=region))
        self.structure = StructureFactory(
            kind=kind("S3"), name="Группа учителей математики «Вжурнале»", host=host
        )

        def member(role, **kwargs):
            user = UserFactory(organisation=host, **kwargs)
            MembershipFactory(structure=self.structure, role=role, user=user)
            return user

        self.administrator = member(Role.ADMINISTRATOR, first_name="Ирина")
        self.members = [member(Role.MEMBER, first_name=name) for name in ("Анна", "Павел", "Ольга")]
        self.coordinator = TerritoryRoleFactory(
            role=TerritoryRole.Role.COORDINATOR,
            region=region,
            user=UserFactory(organisation=host),
        ).user
        self.stranger = UserFactory()

    @property
    def everyone(self):
        return [self.administrator, *self.members]


@pytest.fixture
def group():
    return Group()


def plan(group: Group, **kwargs) -> Event:
    kwargs.setdefault("title", "Заседание группы: подготовка к ОГЭ")
    kwargs.setdefault("form", "meeting")
    kwargs.setdefault("format", "mixed")
    kwargs.setdefault("place", PLACE)
    kwargs.setdefault("link", "https://vk.com/call/join/abc")
    kwargs.setdefault("starts_at", STARTS)
    return services.event_create(structure=group.structure, by=group.coordinator, **kwargs)


def move(event: Event, by, **changes) -> Event:
    fields = {
        "title": event.title,
        "form": event.form,
        "format": event.format,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "place": event.place,
        "link": event.link,
        "description": event.description,
    }
    fields.update(changes)
    return services.event_update(event=event, by=by, **fields)


def mails(**filters) -> list[OutboundMail]:
    return list(OutboundMail.objects.filter(**filters).order_by("pk"))


def ics(mail: OutboundMail) -> icalendar.Calendar:
    (attachment,) = [a for a in mail.attachments if a["filename"].endswith(".ics")]
    cal = icalendar.Calendar.from_ical(attachment["content"])
    assert attachment["mimetype"] == f"text/calendar; method={cal['METHOD']}"
    return cal


def vevent(cal: icalendar.Calendar) -> icalendar.Event:
    (entry,) = cal.walk("VEVENT")
    return entry


def html(mail: OutboundMail) -> str:
    (alternative,) = mail.alternatives
    assert alternative["mimetype"] == "text/html"
    return alternative["content"]


# --- Planned, moved, cancelled ----------------------------------------------------------------------


def test_r_tul_a2_4_2_a_planned_meeting_mails_every_member_an_invitation_with_a_calendar_file(
    group,
):
    event = plan(group)

    sent = mails()
    assert sorted(m.to[0] for m in sent) == sorted(u.email for u in group.everyone)
    mail = sent[0]
    assert mail.subject.startswith(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + "Приглашение: ")
    assert "10.12.2026 15:00" in mail.subject
    assert "Europe/Samara" in mail.body and PLACE in mail.body
    page = f"https://portal.example.ru/structures/{group.structure.pk}/events/{event.pk}/"
    assert page in mail.body and page in html(mail)
    # The mail as the mail server gets it: text, HTML and the calendar file.
    message = outbound_to_message(mail).message()
    assert {part.get_content_type() for part in message.walk()} >= {
        "text/plain",
        "text/html",
        "text/calendar",
    }

    cal = ics(mail)
    entry = vevent(cal)
    assert cal["METHOD"] == "REQUEST"
    assert str(entry["UID"]) == f"event-{event.pk}@portal.example.ru"
    assert entry["SEQUENCE"] == 0
    assert entry["STATUS"] == "CONFIRMED"
    assert entry["DTSTART"].params["TZID"] == "Europe/Samara"
    assert entry.decoded("DTSTART") == STARTS
    assert entry.decoded("DTSTART").utcoffset() == dt.timedelta(hours=4)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/Samara"]
    assert PLACE in str(entry["LOCATION"]) and "https://vk.com/call/join/abc" in str(
        entry["LOCATION"]
    )
    assert page in str(entry["DESCRIPTION"])
    assert "https://vk.com/call/join/abc" in str(entry["DESCRIPTION"])
    assert str(entry["ATTENDEE"]) == f"mailto:{mail.to[0]}"

    notices = Notice.objects.filter(user__in=group.everyone)
    assert notices.count() == 4
    assert {n.url for n in notices} == {page.removeprefix("https://portal.example.ru")}


def test_moving_a_meeting_sends_the_same_uid_with_a_higher_sequence_and_names_what_changed(
    group, frozen
):
    event = plan(group)
    first = vevent(ics(mails()[0]))
    frozen.shift(dt.timedelta(hours=1))

    move(
        event,
        group.coordinator,
        starts_at=dt.datetime(2026, 12, 11, 16, 0, tzinfo=SAMARA),
        place="МБОУ «Лицей № 3», актовый зал",
    )

    changed = mails(subject__contains="Изменения: ")
    assert len(changed) == 4
    entry = vevent(ics(changed[0]))
    assert ics(changed[0])["METHOD"] == "REQUEST"
    assert entry["UID"] == first["UID"]
    assert entry["SEQUENCE"] == 1 > first["SEQUENCE"]
    assert entry.decoded("DTSTART") == dt.datetime(2026, 12, 11, 16, 0, tzinfo=SAMARA)
    body = changed[0].body
    assert "Начало: 10.12.2026 15:00 → 11.12.2026 16:00" in body
    assert f"Место: {PLACE} → МБОУ «Лицей № 3», актовый зал" in body
    assert "Ссылка на подключение" not in body  # unchanged: not named
    assert "10.12.2026 15:00" in html(changed[0]) and "11.12.2026 16:00" in html(changed[0])
    assert Notice.objects.filter(title__startswith="Изменения: ").count() == 4


def test_a_changed_link_alone_is_told_and_a_changed_description_only_raises_the_sequence(group):
    event = plan(group)
    move(event, group.coordinator, description="Возьмите результаты пробного ОГЭ.")
    event.refresh_from_db()
    assert event.sequence == 1
    assert not mails(subject__contains="Изменения: ")

    move(event, group.coordinator, link="https://vk.com/call/join/new")

    changed = mails(subject__contains="Изменения: ")
    assert len(changed) == 4
    assert (
        "Ссылка на подключение: https://vk.com/call/join/abc → https://vk.com/call/join/new"
        in changed[0].body
    )
    assert vevent(ics(changed[0]))["SEQUENCE"] == 2


def test_cancelling_a_meeting_sends_method_cancel_with_the_same_uid_and_a_higher_sequence(group):
    event = plan(group)
    uid = vevent(ics(mails()[0]))["UID"]

    services.event_cancel(event=event, by=group.coordinator)

    cancelled = mails(subject__contains="Отменено: ")
    assert sorted(m.to[0] for m in cancelled) == sorted(u.email for u in group.everyone)
    cal = ics(cancelled[0])
    entry = vevent(cal)
    assert cal["METHOD"] == "CANCEL"
    assert entry["UID"] == uid
    assert entry["SEQUENCE"] == 1
    assert entry["STATUS"] == "CANCELLED"
    assert "мероприятие отменено" in cancelled[0].body
    assert "Приду" not in cancelled[0].body  # nothing to answer any more


def test_those_taken_off_the_list_get_a_cancellation_and_the_newly_invited_an_invitation(group):
    anna, pavel, olga = group.members
    event = plan(group, invitees=[group.administrator, anna, pavel])
    assert olga.email not in {m.to[0] for m in mails()}
    OutboundMail.objects.all().delete()

    move(event, group.coordinator, invitees=[group.administrator, anna, olga])

    assert [m.to[0] for m in mails(subject__contains="Приглашение: ")] == [olga.email]
    (withdrawn,) = mails(subject__contains="Вы больше не приглашены: ")
    assert withdrawn.to == [pavel.email]
    assert ics(withdrawn)["METHOD"] == "CANCEL"
    assert not mails(subject__contains="Изменения: ")  # nothing the others see changed


def test_a_proposal_is_announced_once_the_centre_schedules_it(db):
    structure = StructureFactory(kind=kind("S7"))
    head = MembershipFactory(structure=structure, role=Role.HEAD).user
    school = MembershipFactory(structure=structure, role=Role.MEMBER).user
    proposal = services.event_propose(
        structure=structure,
        by=school,
        title="Семинар «Формирующее оценивание»",
        form="seminar",
        starts_at=STARTS,
    )
    assert not mails()

    move(proposal, head, format="in_person", place=PLACE)

    invited = mails(subject__contains="Приглашение: ")
    assert sorted(m.to[0] for m in invited) == sorted([head.email, school.email])
    assert vevent(ics(invited[0]))["SEQUENCE"] == 0


def test_a_mail_that_cannot_be_built_never_fails_the_meeting(group, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("calendar library failed")

    monkeypatch.setattr(event_invitations.calendar, "event_ics", broken)

    event = plan(group)

    assert Event.objects.filter(pk=event.pk).exists()
    assert event.attendance.count() == 4
    assert not mails()
    assert not Notice.objects.exists()  # the savepoint took the half-written notices away


def test_the_page_that_plans_a_meeting_answers_even_when_the_broker_is_down(
    group, client, monkeypatch, django_capture_on_commit_callbacks
):
    from outbox import tasks

    def down(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(tasks.send_outbound, "delay", down)
    admin_of_region = group.coordinator
    client.force_login(admin_of_region)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("communities:event_create", args=[group.structure.pk]),
            {
                "event-title": "Заседание группы",
                "event-form": "meeting",
                "event-format": "in_person",
                "event-starts_at": "2026-12-10T15:00",
                "event-place": PLACE,
                "event-invitees": [str(u.pk) for u in group.everyone],
            },
        )
    assert response.status_code == 302
    assert OutboundMail.objects.filter(status=OutboundMail.Status.QUEUED).count() == 4


# --- Answers ---------------------------------------------------------------------------------------


def answer_link(event, user, answer="yes") -> str:
    url = event_invitations.answer_url(event, user, answer)
    return url.removeprefix(settings.SITE_URL)


def test_the_signed_link_shows_a_confirmation_and_records_the_answer_only_on_post(group, client):
    event = plan(group)
    anna = group.members[0]
    link = answer_link(event, anna)
    (mail,) = [m for m in mails() if m.to == [anna.email]]
    assert link in mail.body

    page = client.get(link)  # a mail scanner following the link records nothing
    assert page.status_code == 200
    assert "Придёте?" in page.content.decode()
    row = Attendance.objects.get(event=event, user=anna)
    assert row.response == ""

    done = client.post(link, {"response": "yes"})

    assert done.status_code == 200
    assert "Ваш ответ записан: «Приду»" in done.content.decode()
    row.refresh_from_db()
    assert row.response == Attendance.Response.YES and row.responded_at is not None
    client.post(link, {"response": "no"})  # the answer may change before the event
    row.refresh_from_db()
    assert row.response == Attendance.Response.NO


def test_a_forged_or_altered_link_is_refused_with_a_russian_page(group, client):
    event = plan(group)
    anna, pavel = group.members[:2]
    token = event_invitations.answer_token(event, anna)
    forged = signing.dumps({"e": event.pk, "u": pavel.pk}, salt="another-salt")

    for bad in (forged, token[:-2] + "xx", "plain-nonsense"):
        response = client.post(
            reverse("communities:event_answer_link", args=[bad]), {"response": "yes"}
        )
        assert response.status_code == 400
        assert "Ссылка повреждена или недействительна" in response.content.decode()
    assert not Attendance.objects.exclude(response="").exists()


def test_a_link_is_refused_once_the_event_has_started_or_is_too_old(group, client, frozen):
    event = plan(group)
    link = answer_link(event, group.members[0])

    frozen.move_to(STARTS + dt.timedelta(minutes=1))
    started = client.post(link, {"response": "yes"})
    assert started.status_code == 410
    assert "ответ по ссылке больше не принимается" in started.content.decode()

    frozen.move_to(NOW + event_invitations.ANSWER_MAX_AGE + dt.timedelta(days=1))
    expired = client.get(link)
    assert expired.status_code == 410
    assert "Срок действия ссылки истёк" in expired.content.decode()
    assert not Attendance.objects.exclude(response="").exists()


def test_a_link_of_someone_taken_off_the_list_is_refused(group, client):
    anna, pavel, olga = group.members
    event = plan(group)
    link = answer_link(event, olga)
    move(event, group.coordinator, invitees=[group.administrator, anna, pavel])

    response = client.post(link, {"response": "yes"})

    assert response.status_code == 410
    assert "больше не действует" in response.content.decode()


def test_members_answer_on_the_page_and_the_page_shows_the_expected_attendance(group, client):
    event = plan(group)
    anna, pavel, olga = group.members
    services.event_invitations.attendance_respond(event=event, user=pavel, response="no")
    services.event_invitations.attendance_respond(event=event, user=olga, response="maybe")
    client.force_login(anna)
    url = reverse("communities:event_answer", args=[group.structure.pk, event.pk])

    response = client.post(url, {"response": "yes"})

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Ваш ответ записан." in page
    for text in ("Придут: 1", "Не знают: 1", "Не придут: 1", "Не ответили: 1"):
        assert text in page
    assert "Ваш ответ: «Приду»" in page


def test_a_stranger_gets_404_and_an_anonymous_visitor_the_sign_in_page_for_an_answer(group, client):
    event = plan(group)
    url = reverse("communities:event_answer", args=[group.structure.pk, event.pk])
    anonymous = client.post(url, {"response": "yes"})
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse("account_login"))
    client.force_login(group.stranger)
    assert client.post(url, {"response": "yes"}).status_code == 404
    assert not Attendance.objects.exclude(response="").exists()


def test_an_answer_to_a_cancelled_meeting_is_refused(group):
    event = plan(group)
    services.event_cancel(event=event, by=group.coordinator)
    with pytest.raises(Exception, match="ответ больше не нужен"):
        event_invitations.attendance_respond(event=event, user=group.members[0], response="yes")


def test_marking_attendance_starts_from_those_who_said_they_come(group, client, frozen):
    event = plan(group)
    anna, pavel, _olga = group.members
    event_invitations.attendance_respond(event=event, user=anna, response="yes")
    event_invitations.attendance_respond(event=event, user=pavel, response="no")
    frozen.move_to(STARTS + dt.timedelta(hours=3))
    client.force_login(group.coordinator)

    response = client.get(reverse("communities:attendance", args=[group.structure.pk, event.pk]))

    form = response.context["form"]
    anna_row = Attendance.objects.get(event=event, user=anna)
    assert form["present"].value() == [str(anna_row.pk)]


# --- The day before ---------------------------------------------------------------------------------


def test_the_day_before_at_nine_region_time_those_coming_or_silent_are_reminded_once(group):
    event = plan(group)
    anna, pavel, olga = group.members
    event_invitations.attendance_respond(event=event, user=anna, response="yes")
    event_invitations.attendance_respond(event=event, user=pavel, response="no")
    event_invitations.attendance_respond(event=event, user=olga, response="maybe")

    # 08:59 in Samara on the 9th: not yet.
    before_nine = dt.datetime(2026, 12, 9, 8, 59, tzinfo=SAMARA)
    assert not sweep(clock=Clock(now=before_nine)).claimed
    # 09:00 in Samara (08:00 in Moscow): the administrator (silent) and Anna («Приду»).
    nine = dt.datetime(2026, 12, 9, 9, 0, tzinfo=SAMARA)
    first = sweep(clock=Clock(now=nine))
    again = sweep(clock=Clock(now=nine + dt.timedelta(hours=1)))

    reminded = Delivery.objects.filter(topic__startswith=f"event:{event.pk}:")
    assert sorted(d.recipient.email for d in reminded) == sorted(
        [group.administrator.email, anna.email]
    )
    assert len(first.claimed) == 2 and not again.claimed
    assert {d.status for d in reminded} == {Delivery.Status.SENT}
    tomorrow = mails(subject__contains="Завтра: ")
    assert len(tomorrow) == 2
    assert "10.12.2026 15:00" in tomorrow[0].body and "Europe/Samara" in tomorrow[0].body
    # The day of the meeting itself: nothing late.
    assert not sweep(clock=Clock(now=dt.datetime(2026, 12, 10, 9, 0, tzinfo=SAMARA))).claimed


def test_a_meeting_moved_to_another_day_is_reminded_again_for_its_new_day(group):
    event = plan(group, invitees=[group.administrator])
    sweep(clock=Clock(now=dt.datetime(2026, 12, 9, 9, 0, tzinfo=SAMARA)))
    move(event, group.coordinator, starts_at=dt.datetime(2026, 12, 17, 15, 0, tzinfo=SAMARA))

    sweep(clock=Clock(now=dt.datetime(2026, 12, 16, 9, 30, tzinfo=SAMARA)))

    assert Delivery.objects.filter(recipient=group.administrator).count() == 2


def test_a_cancelled_meeting_is_not_reminded(group):
    event = plan(group)
    services.event_cancel(event=event, by=group.coordinator)

    assert not sweep(clock=Clock(now=dt.datetime(2026, 12, 9, 9, 0, tzinfo=SAMARA))).claimed


def test_a_meeting_recorded_after_it_took_place_sends_nothing(group):
    plan(group, starts_at=dt.datetime(2026, 11, 20, 15, 0, tzinfo=SAMARA))

    assert not mails()
    assert not Notice.objects.exists()


# --- A long list: the worker writes the mails ----------------------------------------------------------


def test_a_long_list_is_written_by_the_worker_once_and_the_page_only_queues_it(
    group, monkeypatch, frozen
):
    from communities import tasks
    from communities.models import EventAnnouncement

    monkeypatch.setattr(event_invitations, "INLINE_LIMIT", 2)
    queued = []
    monkeypatch.setattr(tasks.send_event_announcement, "delay", queued.append)

    event = plan(group)

    assert not mails()  # the page wrote no mail…
    assert Notice.objects.count() == 4  # …but the notices, in its transaction
    (announcement,) = EventAnnouncement.objects.all()
    assert announcement.status == EventAnnouncement.Status.QUEUED
    assert sorted(announcement.user_ids) == sorted(u.pk for u in group.everyone)

    assert event_invitations.event_announcement_send(announcement_id=announcement.pk) == 4
    assert event_invitations.event_announcement_send(announcement_id=announcement.pk) == 0
    assert len(mails(subject__contains="Приглашение: ")) == 4
    assert vevent(ics(mails()[0]))["UID"] == f"event-{event.pk}@portal.example.ru"

    # A change queued, then the meeting cancelled before the worker came: the change is skipped,
    # and the sweep finds the cancellation whose task was lost.
    move(event, group.coordinator, place="Актовый зал")
    services.event_cancel(event=event, by=group.coordinator)
    frozen.shift(dt.timedelta(minutes=3))
    tasks.event_announcements_sweep()
    statuses = dict(EventAnnouncement.objects.values_list("kind", "status"))
    assert statuses == {"new": "sent", "changed": "skipped", "cancelled": "sent"}
    assert not mails(subject__contains="Изменения: ")
    assert len(mails(subject__contains="Отменено: ")) == 4
