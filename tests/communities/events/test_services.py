"""The rules of events, attendance and minutes, proved on the services (named after the rules)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from communities import selectors, services
from communities.models import Event, Minutes, MinutesAttachment
from networks.models import Role
from networks.permissions import StructureAccess
from networks.schoolyear import SchoolYear
from networks.services import structure_close
from tests.factories import (
    EventFactory,
    MembershipFactory,
    PlanFactory,
    PlanItemFactory,
    StructureFactory,
    UserFactory,
    kind,
)

from .conftest import QUESTIONS, at, file_minutes, hold, plan_meeting

pytestmark = pytest.mark.django_db

YEAR = SchoolYear(2020)
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def pdf(name="Презентация к заседанию.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


# --- R-TUL-A4-4.3: at least four meetings a school year ------------------------------------------


def test_r_tul_a4_4_3_four_meetings_count_held_meetings_of_the_school_year_only(s5):
    for day in (dt.date(2020, 10, 15), dt.date(2020, 12, 10)):
        hold(s5, plan_meeting(s5, day))
    plan_meeting(s5, dt.date(2021, 2, 20))  # past, attendance not marked: not held
    hold(s5, plan_meeting(s5, dt.date(2021, 1, 20), form="seminar"))  # a seminar is no meeting
    hold(s5, plan_meeting(s5, dt.date(2020, 5, 14)))  # the school year before
    plan_meeting(s5, dt.date(2021, 4, 15))  # upcoming
    cancelled = plan_meeting(s5, dt.date(2021, 2, 25))
    services.event_cancel(event=cancelled, by=s5.head)

    standing = selectors.structure_standing(s5.structure, YEAR)

    assert (standing.held, standing.required) == (2, 4)
    # Past meetings without signed minutes: both held ones and the one never marked.
    assert standing.missing_count == 3
    assert [e.starts_at.date() for e in standing.upcoming] == [dt.date(2021, 4, 15)]


def test_r_tul_a4_4_4_the_panel_read_in_one_query_lists_what_the_separate_reads_listed(s5):
    """Issue 19: structure_standing reads the chart's meetings and the events to come in one
    query and sorts them out in Python; the count, both lists (cut at PANEL_LIMIT, in date order)
    and the chart are those the separate querysets give."""
    from django.db import connection
    from django.db.models import Exists, OuterRef
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    days = [dt.date(2020, 9, d) for d in (3, 10, 17, 24)] + [dt.date(2020, 10, 1)]
    days += [dt.date(2020, 11, 5), dt.date(2021, 1, 14)]
    for day in days:  # seven past meetings, the panel lists five
        plan_meeting(s5, day)
    hold(s5, plan_meeting(s5, dt.date(2020, 12, 10)))
    signed = plan_meeting(s5, dt.date(2021, 2, 4))
    hold(s5, signed)
    file_minutes(s5, signed, sign=True)
    hold(s5, plan_meeting(s5, dt.date(2019, 11, 14)))  # before the structure's first year
    for day in (dt.date(2021, 4, 15), dt.date(2021, 5, 20)):
        plan_meeting(s5, day)
    plan_meeting(s5, dt.date(2021, 4, 1), form="seminar")  # to come, not a meeting
    services.event_cancel(event=plan_meeting(s5, dt.date(2021, 4, 8)), by=s5.head)
    plan_meeting(s5, dt.date(2021, 9, 9))  # the next school year

    with CaptureQueriesContext(connection) as queries:
        standing = selectors.structure_standing(s5.structure, YEAR)
    assert len(queries) == 1

    events = s5.structure.events
    now = timezone.now()
    is_signed = Exists(Minutes.objects.filter(event=OuterRef("pk"), status=Minutes.Status.SIGNED))
    missing = (
        events.in_year(YEAR)
        .meetings()
        .filter(status__in=["scheduled", "held"], starts_at__lt=now)
        .annotate(signed=is_signed)
        .filter(signed=False)
        .order_by("starts_at", "pk")
    )
    upcoming = events.upcoming().filter(starts_at__lt=YEAR.moments[1]).order_by("starts_at", "pk")
    assert standing.missing_count == missing.count() == 8
    assert [e.pk for e in standing.missing] == [e.pk for e in missing[:5]]
    assert [e.pk for e in standing.upcoming] == [e.pk for e in upcoming[:5]]
    assert len(standing.upcoming) == 3
    for row in standing.by_year:
        assert row.held == selectors.meetings_held(s5.structure, row.year)[s5.structure.pk]
    assert [(row.year, row.held) for row in standing.by_year] == [(YEAR, 2)]


def test_r_tul_a4_4_3_meetings_with_signed_minutes_leave_the_missing_list(s5):
    event = plan_meeting(s5, dt.date(2020, 10, 15))
    hold(s5, event)
    draft = file_minutes(s5, event)
    assert selectors.structure_standing(s5.structure, YEAR).missing_count == 1
    services.minutes_sign(minutes=draft, by=s5.head)
    standing = selectors.structure_standing(s5.structure, YEAR)
    assert (standing.held, standing.missing_count) == (1, 0)


def test_r_tul_a4_4_3_meetings_by_year_count_each_school_year_as_the_panel_does(s5):
    """The structure page's chart (issue 20): held meetings per school year, 1 September to
    31 August, from the structure's first year; seminars and meetings never marked held left out."""
    s5.structure.established_on = dt.date(2017, 9, 1)
    s5.structure.save(update_fields=["established_on"])
    for day in (
        dt.date(2018, 10, 1),
        dt.date(2019, 5, 14),
        dt.date(2019, 8, 31),
        dt.date(2019, 9, 1),
        dt.date(2020, 10, 15),
    ):
        hold(s5, plan_meeting(s5, day))
    hold(s5, plan_meeting(s5, dt.date(2020, 11, 10), form="seminar"))
    plan_meeting(s5, dt.date(2020, 12, 10))  # never marked held

    rows = selectors.structure_standing(s5.structure, YEAR).by_year

    assert [(r.year.label, r.held) for r in rows] == [
        ("2017/2018", 0),
        ("2018/2019", 3),
        ("2019/2020", 1),
        ("2020/2021", 1),
    ]
    for row in rows:
        assert row.held == selectors.meetings_held(s5.structure, row.year)[s5.structure.pk]
    # Past years short of four can no longer make it up; the running one still can.
    assert [(r.progress.short, r.progress.behind) for r in rows] == [(True, False)] * 3 + [
        (False, True)
    ]
    assert selectors.structure_standing(s5.structure, YEAR).held == 1


# --- Planning and inviting --------------------------------------------------------------------------


def test_every_current_member_is_invited_by_default_and_guests_by_name(s5):
    left = MembershipFactory(structure=s5.structure, until=dt.date(2021, 1, 1)).user
    event = plan_meeting(
        s5,
        dt.date(2021, 3, 10),
        guests=[services.Guest("Орлова Елена Николаевна", "ЦНППМ г. Тулы")],
    )
    invited = set(event.attendance.filter(user__isnull=False).values_list("user_id", flat=True))
    assert invited == {u.pk for u in s5.everyone}
    assert left.pk not in invited
    guest = event.attendance.get(user__isnull=True)
    assert (guest.guest_name, guest.guest_organisation, guest.invited) == (
        "Орлова Елена Николаевна",
        "ЦНППМ г. Тулы",
        True,
    )
    assert event.status == Event.Status.SCHEDULED and event.created_by == s5.head


def test_the_invited_list_can_be_narrowed_and_only_members_invited(s5):
    event = plan_meeting(s5, dt.date(2021, 3, 10), invitees=[s5.head, s5.members[0]])
    assert event.attendance.count() == 2
    with pytest.raises(ValidationError) as refused:
        plan_meeting(s5, dt.date(2021, 3, 11), invitees=[UserFactory()])
    assert "invitees" in refused.value.error_dict


def test_an_event_from_a_plan_item_keeps_the_link(s5):
    item = PlanItemFactory(plan=PlanFactory(structure=s5.structure), form="meeting")
    event = plan_meeting(s5, dt.date(2021, 3, 10), plan_item=item)
    assert event.plan_item == item
    other = PlanItemFactory()
    with pytest.raises(ValidationError) as refused:
        plan_meeting(s5, dt.date(2021, 3, 10), plan_item=other)
    assert "plan_item" in refused.value.error_dict


def test_formats_need_a_place_a_link_or_both(s5):
    with pytest.raises(ValidationError) as refused:
        plan_meeting(s5, dt.date(2021, 3, 10), format="remote", place="")
    assert refused.value.message_dict == {
        "link": ["Для дистанционного участия нужна ссылка на подключение."]
    }
    with pytest.raises(ValidationError) as refused:
        plan_meeting(s5, dt.date(2021, 3, 10), format="mixed", place="")
    assert set(refused.value.message_dict) == {"place", "link"}
    event = plan_meeting(
        s5, dt.date(2021, 3, 10), format="mixed", link="https://vk.com/call/join/abc"
    )
    assert event.format == "mixed"


def test_r_pri_3_2_site_events_default_to_remote(db):
    """The internship site works remotely: an event without a format is remote, with a link."""
    site = StructureFactory(
        kind=kind("S6"),
        term_start=dt.date(2021, 1, 1),
        term_end=dt.date(2023, 5, 31),
        topic="Тьюторское сопровождение педагогов ШНОР",
    )
    head = MembershipFactory(structure=site, role=Role.HEAD).user
    with pytest.raises(ValidationError) as refused:
        services.event_create(
            structure=site,
            by=head,
            title="Вебинар",
            form="webinar",
            starts_at=at(dt.date(2021, 3, 5)),
        )
    assert "link" in refused.value.error_dict
    event = services.event_create(
        structure=site,
        by=head,
        title="Вебинар для педагогов ШНОР",
        form="webinar",
        starts_at=at(dt.date(2021, 3, 5)),
        link="https://sferum.ru/?call_link=abc",
    )
    assert event.format == "remote" and event.place == ""


def test_r_dmi_4_1_4_2_school_proposes_centre_sets_place_and_form(db):
    centre = StructureFactory(kind=kind("S7"), name="Центр сетевого взаимодействия")
    director = MembershipFactory(structure=centre, role=Role.HEAD).user
    school = MembershipFactory(structure=centre, role=Role.MEMBER).user
    proposal = services.event_propose(
        structure=centre,
        by=school,
        title="Мастер-класс по смысловому чтению",
        form="master_class",
        starts_at=at(dt.date(2021, 3, 20)),
        description="Для учителей начальных классов школ-участниц",
    )
    assert proposal.status == Event.Status.PROPOSED
    assert proposal.proposed_by == school.organisation and proposal.place == ""
    assert proposal.attendance.count() == 2  # everyone is invited, as for the centre's own

    scheduled = services.event_update(
        event=proposal,
        by=director,
        title=proposal.title,
        form="seminar",
        format="in_person",
        starts_at=at(dt.date(2021, 3, 22)),
        place="МБОУ «Дмитриевская СОШ № 1», кабинет 12",
    )
    assert scheduled.status == Event.Status.SCHEDULED
    assert (scheduled.form, scheduled.place) == (
        "seminar",
        "МБОУ «Дмитриевская СОШ № 1», кабинет 12",
    )
    assert scheduled.proposed_by == school.organisation


def test_only_members_propose(db):
    centre = StructureFactory(kind=kind("S7"))
    with pytest.raises(ValidationError):
        services.event_propose(
            structure=centre,
            by=UserFactory(),
            title="Семинар",
            form="seminar",
            starts_at=at(dt.date(2021, 3, 20)),
        )


def test_a_cancelled_or_held_event_no_longer_changes(s5):
    event = plan_meeting(s5, dt.date(2021, 3, 10))
    services.event_cancel(event=event, by=s5.head)
    with pytest.raises(ValidationError, match="отменено"):
        services.event_cancel(event=event, by=s5.head)
    with pytest.raises(ValidationError):
        services.attendance_mark(event=event, by=s5.head, present=[])


# --- Attendance -------------------------------------------------------------------------------------


def test_attendance_on_a_past_event_makes_it_held_with_guests(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    rows = list(event.attendance.order_by("pk"))
    services.attendance_mark(
        event=event,
        by=s5.head,
        present=[rows[0].pk, rows[1].pk],
        guests=[services.Guest("Орлова Елена Николаевна", "ЦНППМ")],
    )
    event.refresh_from_db()
    assert event.status == Event.Status.HELD
    assert event.attendance.filter(attended=True).count() == 3
    assert event.attendance.filter(attended=False).count() == len(rows) - 2


def test_attendance_is_not_marked_before_the_event(s5):
    event = plan_meeting(s5, dt.date(2021, 3, 10))
    with pytest.raises(ValidationError, match="ещё не началось"):
        services.attendance_mark(event=event, by=s5.head, present=[])


def test_members_who_came_uninvited_are_marked_too(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15), invitees=[s5.head])
    services.attendance_mark(
        event=event, by=s5.head, present=[], members_present=[s5.members[0].pk]
    )
    row = event.attendance.get(user=s5.members[0])
    assert (row.invited, row.attended) == (False, True)


# --- Minutes ---------------------------------------------------------------------------------------


def test_r_tul_a4_4_4_minutes_hold_questions_decisions_recommendations(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event, absent=1)
    minutes = file_minutes(s5, event)
    assert minutes.status == Minutes.Status.DRAFT
    assert minutes.date == dt.date(2021, 2, 15)  # the event's date by default
    items = list(minutes.items.all())
    assert [(i.position, i.question, i.decision, i.recommendations) for i in items] == [
        (n, q.question, q.decision, q.recommendations) for n, q in enumerate(QUESTIONS, 1)
    ]

    signed = services.minutes_sign(minutes=minutes, by=s5.head)
    assert signed.is_signed and signed.signed_by == s5.head
    assert signed.attendee_count == 4  # five invited, one absent


def test_r_tul_a4_4_4_minutes_need_a_question_with_a_decision(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event)
    with pytest.raises(ValidationError, match="хотя бы один вопрос"):
        file_minutes(s5, event, questions=[])


def test_minutes_are_written_only_for_a_held_event_and_once(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    with pytest.raises(ValidationError, match="отметьте присутствие"):
        file_minutes(s5, event)
    hold(s5, event)
    file_minutes(s5, event)
    with pytest.raises(ValidationError, match="уже есть протокол"):
        file_minutes(s5, event)


def test_minutes_numbers_do_not_repeat_in_a_school_year(s5):
    first, second = (plan_meeting(s5, d) for d in (dt.date(2020, 10, 15), dt.date(2021, 2, 15)))
    for event in (first, second):
        hold(s5, event)
    file_minutes(s5, first, number="1")
    assert services.next_minutes_number(second) == "2"
    with pytest.raises(ValidationError) as refused:
        file_minutes(s5, second, number="1")
    assert "number" in refused.value.error_dict


def test_signed_minutes_cannot_be_edited_nor_signed_again(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event)
    minutes = file_minutes(s5, event, sign=True)
    with pytest.raises(ValidationError, match="подписан"):
        services.minutes_update(
            minutes=minutes, by=s5.head, number="3", date=minutes.date, questions=QUESTIONS[:1]
        )
    with pytest.raises(ValidationError, match="подписан"):
        services.minutes_sign(minutes=minutes, by=s5.head)
    with pytest.raises(ValidationError, match="начните исправление протокола"):
        services.attendance_mark(event=event, by=s5.head, present=[])
    assert minutes.items.count() == 2


def test_a_signed_version_keeps_its_attendees_when_a_correction_changes_the_attendance(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event, absent=1)
    services.attendance_mark(
        event=event,
        by=s5.head,
        present=list(event.attendance.filter(attended=True).values_list("pk", flat=True)),
        guests=[services.Guest("Орлова Елена Николаевна", "ЦНППМ")],
    )
    v1 = file_minutes(s5, event, sign=True)
    head_view = {"viewer": s5.head, "access": StructureAccess(role=Role.HEAD)}
    members_v1, guests_v1 = selectors.minutes_attendees(v1, **head_view)
    assert v1.attendee_count == len(members_v1) + len(guests_v1)
    assert guests_v1 == ["Орлова Елена Николаевна, ЦНППМ"]

    v2 = services.minutes_correct(minutes=v1, by=s5.head, reason="Не отмечен пришедший участник")
    everyone = list(event.attendance.filter(user__isnull=False).values_list("pk", flat=True))
    services.attendance_mark(event=event, by=s5.head, present=everyone)
    v1.refresh_from_db()
    assert selectors.minutes_attendees(v1, **head_view) == (members_v1, guests_v1)
    members_v2, guests_v2 = selectors.minutes_attendees(v2, **head_view)
    assert len(members_v2) == len(members_v1) + 1 and guests_v2 == []

    services.minutes_sign(minutes=v2, by=s5.head)
    v2.refresh_from_db()
    assert v2.attendee_count == len(members_v2)
    assert selectors.minutes_attendees(v2, **head_view) == (members_v2, [])
    assert selectors.minutes_attendees(v1, **head_view) == (members_v1, guests_v1)


def test_a_correction_makes_version_2_with_a_reason_and_keeps_version_1(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event)
    v1 = file_minutes(s5, event, files=[pdf()], sign=True)
    with pytest.raises(ValidationError) as refused:
        services.minutes_correct(minutes=v1, by=s5.head, reason="  ")
    assert "reason" in refused.value.error_dict

    v2 = services.minutes_correct(minutes=v1, by=s5.head, reason="Опечатка в решении по вопросу 2")
    assert (v2.version, v2.previous, v2.status) == (2, v1, Minutes.Status.DRAFT)
    assert v2.correction_reason == "Опечатка в решении по вопросу 2"
    assert list(v2.items.values_list("question", flat=True)) == [q.question for q in QUESTIONS]
    assert list(v2.items.values_list("speakers", flat=True)) == [q.speakers for q in QUESTIONS]
    copied = v2.attachments.get()
    assert copied.original_name == "Презентация к заседанию.pdf"
    assert copied.file.name == v1.attachments.get().file.name

    services.minutes_update(
        minutes=v2,
        by=s5.head,
        number=v2.number,
        date=v2.date,
        questions=[QUESTIONS[0], services.MinutesQuestion("О плане взаимопосещений", "Исправлено")],
        remove_attachments=[copied.pk],
    )
    services.minutes_sign(minutes=v2, by=s5.head)
    v1.refresh_from_db()
    assert v1.is_signed and v1.items.last().decision == QUESTIONS[1].decision
    assert v1.attachments.get().file.read() == PDF  # the shared file survives
    with pytest.raises(ValidationError, match="уже исправляют"):
        services.minutes_correct(minutes=v1, by=s5.head, reason="Ещё раз")


def test_uploads_are_refused_by_content_with_the_reason(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event)
    fake = SimpleUploadedFile("Протокол.pdf", b"MZ\x90\x00 not a pdf at all", "application/pdf")
    with pytest.raises(ValidationError) as refused:
        file_minutes(s5, event, files=[fake])
    assert "по содержимому это не PDF" in refused.value.message_dict["attachments"][0]
    assert not Minutes.objects.exists() and not MinutesAttachment.objects.exists()


def test_attachments_keep_cyrillic_names_and_are_stored_under_a_random_name(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event)
    minutes = file_minutes(s5, event, files=[pdf("Справка о посещении уроков.pdf")])
    attachment = minutes.attachments.get()
    assert attachment.original_name == "Справка о посещении уроков.pdf"
    assert attachment.file_kind == "pdf" and attachment.size == len(PDF)
    assert "Справка" not in attachment.file.name and attachment.file.name.startswith("minutes/")


def test_the_signed_count_stays_when_a_person_deletes_their_account(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event, absent=0)
    minutes = file_minutes(s5, event, sign=True)
    gone = s5.members[0]
    gone.anonymised_at = at(dt.date(2021, 2, 20))
    gone.save()
    members, _guests = selectors.minutes_attendees(
        minutes, viewer=s5.coordinator, access=_access(s5.coordinator, s5.structure)
    )
    assert "Удалённый пользователь" in members and gone.full_name not in " ".join(members)
    assert minutes.attendee_count == 5


def _access(user, structure):
    from networks.permissions import access_to

    return access_to(user, structure)


# --- A closed structure takes nothing new --------------------------------------------------------


def test_a_closed_structure_takes_no_events_attendance_or_minutes(s5):
    held = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, held)
    draft = file_minutes(s5, held)
    past = plan_meeting(s5, dt.date(2021, 2, 20))
    structure_close(structure=s5.structure, on=dt.date(2021, 2, 28), reason="term_ended")
    for refused in (
        lambda: plan_meeting(s5, dt.date(2021, 3, 10)),
        lambda: services.attendance_mark(event=past, by=s5.head, present=[]),
        lambda: services.minutes_sign(minutes=draft, by=s5.head),
        lambda: services.event_cancel(event=past, by=s5.head),
    ):
        with pytest.raises(ValidationError, match="прекратила деятельность"):
            refused()


def test_factory_events_are_meetings_of_2020(db):
    """The shared factory makes a meeting in October 2020: the year the tests here work in."""
    assert EventFactory().school_year == YEAR
