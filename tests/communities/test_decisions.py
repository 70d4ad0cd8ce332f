"""Decisions of the minutes followed up (issue 17): recorded on a draft with an owner (a member or a
school) and a due date; the owners told when the minutes are signed, not before; a correction
carries them without duplicating; done with a note or moved with a reason by the owner or the
head, refused to a plain member (403) and a stranger (404); «Мои поручения» on the owner's home
page, overdue first; the next meeting's minutes start with «О ходе выполнения решений»; overdue
reminders to the owner and a week later to the head, once each; the annual figures; pinned query
counts. An S5 association frozen on 01.03.2021 (tests/communities/events/conftest.py)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities import services
from communities.models import Decision, DecisionMove
from communities.selectors.decisions import my_open_decisions
from communities.services import decisions as decision_services
from networks.models import Role
from networks.schoolyear import SchoolYear
from reporting import reminders
from reporting.models import Delivery, Notice
from reporting.reports.figures import decision_figures
from tests.communities.events import conftest as events
from tests.communities.events.conftest import MOSCOW, file_minutes, hold, plan_meeting
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

# The events tests' association and frozen clock (01.03.2021), as fixtures of this module too.
_built_s5 = events._built_s5
s5 = events.s5
frozen = events.frozen


def signed_minutes_with(s5, *owners_and_dates, day=dt.date(2021, 2, 15), sign=True):
    """A held meeting with minutes and one decision per (owner, due date) on question 1."""
    event = plan_meeting(s5, day)
    hold(s5, event)
    minutes = file_minutes(s5, event, number=str(day.day))
    item = minutes.items.get(position=1)
    found = []
    for n, (owner, due_on) in enumerate(owners_and_dates, start=1):
        school = owner if not hasattr(owner, "email") else None
        found.append(
            decision_services.decision_record(
                minutes=minutes,
                by=s5.head,
                item=item,
                text=f"Поручение {n}: актуализировать план взаимопосещений",
                due_on=due_on,
                owner=None if school else owner,
                owner_organisation=school,
            )
        )
    if sign:
        minutes = services.minutes_sign(minutes=minutes, by=s5.head)
    return minutes, found


# --- Recording and telling -------------------------------------------------------------------------


def test_the_head_records_a_decision_with_an_owner_and_a_date_on_the_draft(client, s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event)
    minutes = file_minutes(s5, event)
    item = minutes.items.get(position=2)
    owner = s5.members[0]
    client.force_login(s5.head)
    url = reverse("communities:decision_create", args=[s5.structure.pk, minutes.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "decision-item": item.pk,
            "decision-text": "До 15 марта актуализировать график взаимопосещений",
            "decision-owner": f"user:{owner.pk}",
            "decision-due_on": "2021-03-15",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get()
    assert (decision.owner, decision.due_on, decision.item, decision.minutes) == (
        owner,
        dt.date(2021, 3, 15),
        item,
        minutes,
    )
    page = client.get(reverse("communities:minutes_detail", args=[s5.structure.pk, minutes.pk]))
    assert "До 15 марта актуализировать график взаимопосещений" in page.content.decode()


def test_an_owner_from_outside_the_structure_is_refused(s5):
    event = plan_meeting(s5, dt.date(2021, 2, 15))
    hold(s5, event)
    minutes = file_minutes(s5, event)
    with pytest.raises(Exception, match="только участник структуры"):
        decision_services.decision_record(
            minutes=minutes,
            by=s5.head,
            item=minutes.items.first(),
            text="Сделать",
            due_on=dt.date(2021, 3, 15),
            owner=UserFactory(),
        )
    with pytest.raises(Exception, match="школа участника"):
        decision_services.decision_record(
            minutes=minutes,
            by=s5.head,
            item=minutes.items.first(),
            text="Сделать",
            due_on=dt.date(2021, 3, 15),
            owner_organisation=OrganisationFactory(),
        )


def test_the_owner_is_told_when_the_minutes_are_signed_not_while_draft(s5):
    owner = s5.members[0]
    minutes, _found = signed_minutes_with(s5, (owner, dt.date(2021, 3, 15)), sign=False)
    assert mail.outbox == []
    assert not Notice.objects.filter(user=owner).exists()

    mail.outbox.clear()
    services.minutes_sign(minutes=minutes, by=s5.head)
    told = [m for m in mail.outbox if "Поручение" in m.subject]
    assert [m.to for m in told] == [[owner.email]]
    assert "актуализировать план взаимопосещений" in told[0].body
    assert "15.03.2021" in told[0].body
    assert reverse("communities:decisions", args=[s5.structure.pk]) in told[0].body
    assert told[0].alternatives  # HTML too
    assert Notice.objects.filter(user=owner, title__startswith="Поручение").count() == 1


def test_a_school_owner_is_told_through_its_members_in_the_structure(s5):
    other_school = OrganisationFactory(short_name="МБОУ «СОШ № 7»")
    teacher = MembershipFactory(
        structure=s5.structure, user=UserFactory(organisation=other_school)
    ).user
    mail.outbox.clear()
    signed_minutes_with(s5, (other_school, dt.date(2021, 3, 15)))
    told = [m.to for m in mail.outbox if "Поручение" in m.subject]
    assert told == [[teacher.email]]
    assert list(my_open_decisions(teacher)) == list(Decision.objects.all())
    assert list(my_open_decisions(s5.members[0])) == []


def test_a_correction_carries_the_decisions_over_without_duplicates_or_second_mails(client, s5):
    owner = s5.members[0]
    minutes, (decision,) = signed_minutes_with(s5, (owner, dt.date(2021, 3, 15)))
    mail.outbox.clear()
    correction = services.minutes_correct(minutes=minutes, by=s5.head, reason="Опечатка")
    assert Decision.objects.count() == 1
    client.force_login(s5.head)
    page = client.get(
        reverse("communities:minutes_detail", args=[s5.structure.pk, correction.pk])
    ).content.decode()
    assert decision.text in page
    # The carried decision cannot be removed from the correction; only its own new ones can.
    assert (
        reverse("communities:decision_remove", args=[s5.structure.pk, correction.pk, decision.pk])
        not in page
    )
    services.minutes_sign(minutes=correction, by=s5.head)
    assert [m for m in mail.outbox if "Поручение" in m.subject] == []
    assert Decision.objects.count() == 1


def test_a_draft_rewritten_keeps_its_decisions_on_their_question(s5):
    minutes, (decision,) = signed_minutes_with(
        s5, (s5.members[0], dt.date(2021, 3, 15)), sign=False
    )
    services.minutes_update(
        minutes=minutes,
        by=s5.head,
        number=minutes.number,
        date=minutes.date,
        questions=[
            services.MinutesQuestion(question="Вопрос один, исправленный", decision="Решили"),
            services.MinutesQuestion(question="Вопрос два", decision="Решили"),
        ],
    )
    decision.refresh_from_db()
    assert decision.item.question == "Вопрос один, исправленный"


# --- Done and moved --------------------------------------------------------------------------------


def _done(client, s5, decision, note="График обновлён и разослан"):
    return client.post(
        reverse("communities:decision_done", args=[s5.structure.pk, decision.pk]),
        {"note": note},
    )


def _move(client, s5, decision, new="2021-04-01", reason="Ждём итогов ВПР"):
    return client.post(
        reverse("communities:decision_move", args=[s5.structure.pk, decision.pk]),
        {"new_due_on": new, "reason": reason},
    )


def test_the_owner_marks_it_done_with_a_note(client, s5):
    owner = s5.members[0]
    _minutes, (decision,) = signed_minutes_with(s5, (owner, dt.date(2021, 3, 15)))
    client.force_login(owner)
    assert _done(client, s5, decision).status_code == 302
    decision.refresh_from_db()
    assert (decision.status, decision.done_on, decision.done_by, decision.done_note) == (
        Decision.Status.DONE,
        dt.date(2021, 3, 1),
        owner,
        "График обновлён и разослан",
    )
    # Done is done: marking again changes nothing.
    response = _done(client, s5, decision, note="Ещё раз")
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.done_note == "График обновлён и разослан"


def test_the_head_moves_the_date_with_a_reason_and_the_move_is_kept(client, s5):
    _minutes, (decision,) = signed_minutes_with(s5, (s5.members[0], dt.date(2021, 3, 15)))
    client.force_login(s5.head)
    assert _move(client, s5, decision, reason="").status_code == 200  # a reason is required
    assert _move(client, s5, decision).status_code == 302
    decision.refresh_from_db()
    move = DecisionMove.objects.get()
    assert decision.due_on == dt.date(2021, 4, 1)
    assert (move.old_due_on, move.new_due_on, move.reason, move.moved_by) == (
        dt.date(2021, 3, 15),
        dt.date(2021, 4, 1),
        "Ждём итогов ВПР",
        s5.head,
    )


def test_a_plain_member_gets_403_a_stranger_404_and_nothing_changes(client, s5):
    _minutes, (decision,) = signed_minutes_with(s5, (s5.members[0], dt.date(2021, 3, 15)))
    client.force_login(s5.members[1])
    assert _done(client, s5, decision).status_code == 403
    assert _move(client, s5, decision).status_code == 403
    assert client.get(reverse("communities:decisions", args=[s5.structure.pk])).status_code == 200
    client.force_login(UserFactory())
    assert _done(client, s5, decision).status_code == 404
    assert client.get(reverse("communities:decisions", args=[s5.structure.pk])).status_code == 404
    decision.refresh_from_db()
    assert decision.status == Decision.Status.OPEN and not DecisionMove.objects.exists()


def test_the_control_page_filters_by_status_overdue_first(client, s5):
    owner = s5.members[0]
    _minutes, (later, overdue, done) = signed_minutes_with(
        s5,
        (owner, dt.date(2021, 4, 1)),
        (owner, dt.date(2021, 2, 20)),
        (owner, dt.date(2021, 3, 10)),
    )
    decision_services.decision_done(decision=done, by=owner, note="Сделано")
    client.force_login(s5.members[1])
    url = reverse("communities:decisions", args=[s5.structure.pk])
    page = client.get(url).content.decode()
    assert page.index(overdue.text) < page.index(later.text) < page.index(done.text)
    assert "Просрочено" in page
    assert [d.pk for d in client.get(url, {"status": "overdue"}).context["page"]] == [overdue.pk]
    assert [d.pk for d in client.get(url, {"status": "done"}).context["page"]] == [done.pk]
    assert [d.pk for d in client.get(url, {"status": "open"}).context["page"]] == [
        overdue.pk,
        later.pk,
    ]
    # A plain member reads but sees no buttons.
    assert reverse("communities:decision_done", args=[s5.structure.pk, later.pk]) not in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_control_page_runs_the_same_queries_with_ten_times_more_decisions(client, s5):
    owner = s5.members[0]
    signed_minutes_with(s5, *[(owner, dt.date(2021, 3, 15))] * 2)
    client.force_login(s5.head)
    url = reverse("communities:decisions", args=[s5.structure.pk])
    small = _queries(client, url)
    school = OrganisationFactory()
    MembershipFactory(structure=s5.structure, user=UserFactory(organisation=school))
    signed_minutes_with(
        s5,
        *[(owner, dt.date(2021, 2, 20))] * 9,
        *[(school, dt.date(2021, 3, 20))] * 9,
        day=dt.date(2021, 2, 16),
    )
    assert _queries(client, url) == small
    assert small <= 12


# --- Home, agenda, reminders, figures --------------------------------------------------------------


def test_the_owners_home_shows_open_decisions_overdue_first(client, s5):
    owner = s5.members[0]
    _minutes, (later, overdue, done) = signed_minutes_with(
        s5,
        (owner, dt.date(2021, 4, 1)),
        (owner, dt.date(2021, 2, 20)),
        (owner, dt.date(2021, 3, 10)),
    )
    decision_services.decision_done(decision=done, by=owner, note="Сделано")
    client.force_login(owner)
    page = client.get(reverse("home")).content.decode()
    assert "Мои поручения" in page
    assert page.index(overdue.text) < page.index(later.text)
    assert "просрочено, срок был 20.02.2021" in page
    assert page.count("Поручение 3") == 0
    client.force_login(s5.members[1])
    assert "Мои поручения" not in client.get(reverse("home")).content.decode()


def test_the_home_block_does_not_grow_with_decisions(client, s5):
    owner = s5.members[0]
    signed_minutes_with(s5, (owner, dt.date(2021, 3, 15)))
    client.force_login(owner)
    url = reverse("home")
    small = _queries(client, url)
    signed_minutes_with(s5, *[(owner, dt.date(2021, 2, 20))] * 12, day=dt.date(2021, 2, 16))
    assert _queries(client, url) == small


def test_the_next_meetings_minutes_start_with_the_follow_up_of_open_decisions(client, s5):
    owner = s5.members[0]
    _minutes, (later, overdue, done) = signed_minutes_with(
        s5,
        (owner, dt.date(2021, 4, 1)),
        (owner, dt.date(2021, 2, 20)),
        (owner, dt.date(2021, 2, 25)),
    )
    decision_services.decision_done(decision=done, by=owner, note="Сделано")
    event = plan_meeting(s5, dt.date(2021, 2, 26), title="Заседание № 2")
    hold(s5, event)
    client.force_login(s5.head)
    response = client.get(reverse("communities:minutes_create", args=[s5.structure.pk, event.pk]))
    first = response.context["items"].forms[0].initial["question"]
    lines = first.splitlines()
    assert lines[0] == "О ходе выполнения решений:"
    assert overdue.text in lines[1] and "просрочено" in lines[1]
    assert later.text in lines[2] and "просрочено" not in lines[2]
    assert done.text not in first
    assert "01.04.2021" in lines[2]


def test_no_follow_up_item_without_open_decisions(client, s5):
    event = plan_meeting(s5, dt.date(2021, 2, 26))
    hold(s5, event)
    client.force_login(s5.head)
    response = client.get(reverse("communities:minutes_create", args=[s5.structure.pk, event.pk]))
    assert not response.context["items"].forms[0].initial


def _sweep():
    from django.utils import timezone

    return reminders.sweep(clock=reminders.Clock(now=timezone.now()))


def _decision_deliveries():
    return sorted(
        Delivery.objects.filter(topic__startswith="decision:").values_list(
            "recipient__email", "step"
        )
    )


def test_an_overdue_decision_reminds_the_owner_then_the_head_once_each(s5):
    owner = s5.members[0]
    signed_minutes_with(s5, (owner, dt.date(2021, 3, 5)))
    with time_machine.travel(dt.datetime(2021, 3, 5, 12, tzinfo=MOSCOW), tick=False):
        _sweep()
    assert _decision_deliveries() == []  # due today: not overdue yet
    with time_machine.travel(dt.datetime(2021, 3, 6, 8, tzinfo=MOSCOW), tick=False):
        _sweep()
    assert _decision_deliveries() == []  # the day after, before 09:00
    for _ in range(2):
        with time_machine.travel(dt.datetime(2021, 3, 6, 10, tzinfo=MOSCOW), tick=False):
            _sweep()
    assert _decision_deliveries() == [(owner.email, "owner")]
    delivery = Delivery.objects.get(topic__startswith="decision:")
    assert delivery.status == Delivery.Status.SENT
    assert "Просрочено поручение" in delivery.subject
    for _ in range(2):
        with time_machine.travel(dt.datetime(2021, 3, 12, 10, tzinfo=MOSCOW), tick=False):
            _sweep()
    assert _decision_deliveries() == [(s5.head.email, "head"), (owner.email, "owner")]


def test_a_decision_done_is_not_reminded(s5):
    owner = s5.members[0]
    _minutes, (decision,) = signed_minutes_with(s5, (owner, dt.date(2021, 3, 5)))
    with time_machine.travel(dt.datetime(2021, 3, 5, 12, tzinfo=MOSCOW), tick=False):
        decision_services.decision_done(decision=decision, by=owner, note="Сделано")
    with time_machine.travel(dt.datetime(2021, 3, 12, 10, tzinfo=MOSCOW), tick=False):
        _sweep()
    assert _decision_deliveries() == []


def test_a_draft_decision_is_not_reminded(s5):
    signed_minutes_with(s5, (s5.members[0], dt.date(2021, 2, 20)), sign=False)
    _sweep()
    assert _decision_deliveries() == []


def test_the_annual_analysis_counts_taken_on_time_late_and_open(s5):
    owner = s5.members[0]
    _minutes, (on_time, late, _open, _overdue) = signed_minutes_with(
        s5,
        (owner, dt.date(2021, 3, 15)),
        (owner, dt.date(2021, 2, 20)),
        (owner, dt.date(2021, 4, 1)),
        (owner, dt.date(2021, 2, 25)),
    )
    decision_services.decision_done(decision=on_time, by=owner, note="Сделано")
    decision_services.decision_done(decision=late, by=owner, note="Сделано позже")
    # A draft's decision is not taken yet.
    signed_minutes_with(s5, (owner, dt.date(2021, 3, 1)), day=dt.date(2021, 2, 16), sign=False)
    figures = decision_figures(s5.structure, SchoolYear(2020))
    assert figures == {
        "taken": 4,
        "done_on_time": 1,
        "done_late": 1,
        "open": 2,
        "overdue": 1,
    }
    assert decision_figures(s5.structure, SchoolYear(2021))["taken"] == 0


def test_the_report_page_shows_the_decision_figures(s5):
    from reporting.reports.documents import key_figures
    from reporting.reports.figures import readable, structure_figures

    signed_minutes_with(s5, (s5.members[0], dt.date(2021, 3, 15)))
    rows = dict(key_figures(readable(structure_figures(s5.structure, SchoolYear(2020)))))
    assert rows["Решений с ответственными и сроками"] == 1
    assert rows["из них на исполнении"] == 1


def test_roles_allowed_to_follow_up_include_the_territory_coordinator(client, s5):
    _minutes, (decision,) = signed_minutes_with(s5, (s5.members[0], dt.date(2021, 3, 15)))
    client.force_login(s5.territory_coordinator)
    assert _move(client, s5, decision).status_code == 302
    assert Role.HEAD  # the head's own case is the move test above


def test_the_owners_mail_goes_through_the_outbox_with_an_absolute_link(settings, s5):
    """Production's mail path: an OutboundMail row written in the signing's transaction."""
    from outbox.models import OutboundMail

    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://portal.example.ru"
    owner = s5.members[0]
    signed_minutes_with(s5, (owner, dt.date(2021, 3, 15)))
    (row,) = OutboundMail.objects.filter(subject__contains="Поручение")
    assert row.to == [owner.email]
    assert f"https://portal.example.ru/structures/{s5.structure.pk}/decisions/" in row.body


def test_a_closed_structures_decisions_are_read_only(client, s5):
    _minutes, (decision,) = signed_minutes_with(s5, (s5.members[0], dt.date(2021, 3, 15)))
    s5.structure.closed_on, s5.structure.closing_reason = dt.date(2021, 3, 1), "term_ended"
    s5.structure.save(update_fields=["closed_on", "closing_reason"])
    client.force_login(s5.head)
    response = _done(client, s5, decision)
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.OPEN
    assert list(my_open_decisions(s5.members[0])) == []


def test_the_follow_up_item_is_saved_as_the_first_question_of_the_new_minutes(client, s5):
    signed_minutes_with(s5, (s5.members[0], dt.date(2021, 2, 20)))
    event = plan_meeting(s5, dt.date(2021, 2, 26), title="Заседание № 2")
    hold(s5, event)
    client.force_login(s5.head)
    url = reverse("communities:minutes_create", args=[s5.structure.pk, event.pk])
    follow_up = client.get(url).context["items"].forms[0].initial["question"]
    response = client.post(
        url,
        {
            "minutes-number": "2",
            "minutes-date": "2021-02-26",
            "items-TOTAL_FORMS": "2",
            "items-INITIAL_FORMS": "1",
            "items-MIN_NUM_FORMS": "1",
            "items-MAX_NUM_FORMS": "100",
            "items-0-question": follow_up,
            "items-0-decision": "Информацию принять к сведению; срок продлить",
            "items-1-question": "",
            "items-1-decision": "",
        },
    )
    assert response.status_code == 302
    first = event.minutes.get().items.get(position=1)
    assert first.question.startswith("О ходе выполнения решений:")
