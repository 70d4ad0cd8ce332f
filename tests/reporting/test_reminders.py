"""Reminders walk the school year exactly once per step, at 09:00 in the recipient's time zone."""

import datetime as dt
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from networks.models import Role, TerritoryRole
from networks.schoolyear import SchoolYear
from reporting import reminders
from reporting.models import Deadline, DeadlineRule, Delivery, Notice, ReminderPreference
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

UTC = dt.UTC
YEAR = SchoolYear(2020)


def association(region_name: str, tz: str, head_email: str, coordinator_email: str):
    """An S5 association with its head (R-TUL-A4-4.6 delivers) and the territory's coordinator."""
    region = RegionFactory(name=region_name, timezone=tz)
    school = OrganisationFactory(municipality=MunicipalityFactory(region=region))
    structure = StructureFactory(
        kind=kind("S5"), host=school, established_on=dt.date(2020, 9, 1), name=region_name
    )
    head = UserFactory(email=head_email, organisation=school)
    MembershipFactory(structure=structure, user=head, role=Role.HEAD, since=dt.date(2020, 9, 1))
    TerritoryRoleFactory(
        user=UserFactory(email=coordinator_email, organisation=school),
        role=TerritoryRole.Role.COORDINATOR,
        region=region,
    )
    return structure


def sweep_at(moment: dt.datetime):
    with time_machine.travel(moment, tick=False):
        return reminders.sweep(clock=reminders.Clock(now=moment))


def sent_log():
    return sorted(
        (d.recipient.email, d.local_date.isoformat(), d.step, d.sent_at.strftime("%H:%M"))
        for d in Delivery.objects.filter(status=Delivery.Status.SENT).select_related("recipient")
    )


def test_a_school_year_of_reminders_in_two_time_zones(monkeypatch):
    """Moscow (UTC+3) and Yekaterinburg (UTC+5); the sweep runs at 04:00 and 06:00 UTC each day,
    i.e. 09:00 in Yekaterinburg and 09:00 in Moscow. The 25 December results report (001 order
    p. 2.2) is delivered late, on 05.01.2021; the 15 July analysis (R-TUL-A4-4.6) on 14.07.2021.
    The 730 sweeps ask the deadlines only: the other sources (plans, pairs, meetings, decisions,
    requests) have nothing in these data, each has its own tests, and asking them 730 times took
    two thirds of this test's 20 s."""
    monkeypatch.setattr(reminders, "SOURCES", [reminders.deadline_reminders])
    moscow = association("Тульская область", "Europe/Moscow", "head.tula@x.ru", "coord.tula@x.ru")
    urals = association(
        "Свердловская область", "Asia/Yekaterinburg", "head.ural@x.ru", "coord.ural@x.ru"
    )
    assert reminders.deadlines_instantiate(year=YEAR) == 4  # two S5 rules × two associations

    delivered = {dt.date(2021, 1, 5): "12-25", dt.date(2021, 7, 14): "07-15"}
    day = dt.date(2020, 9, 1)
    while day <= dt.date(2021, 8, 31):
        for hour in (4, 6):
            sweep_at(dt.datetime.combine(day, dt.time(hour), tzinfo=UTC))
        if day in delivered:  # handed in that afternoon, after the morning's reminders
            month, dom = (int(x) for x in delivered[day].split("-"))
            Deadline.objects.filter(due_on__month=month, due_on__day=dom).update(
                delivered_at=dt.datetime.combine(day, dt.time(12), tzinfo=UTC)
            )
        day += dt.timedelta(days=1)

    expected = []
    for who, tz_hour in (("tula", "06:00"), ("ural", "04:00")):
        for local, step in [
            ("2020-12-11", "d14"),
            ("2020-12-18", "d7"),
            ("2020-12-24", "d1"),
            ("2020-12-25", "d0"),
            ("2021-01-01", "overdue-1"),
            ("2021-07-01", "d14"),
            ("2021-07-08", "d7"),
            ("2021-07-14", "d1"),
        ]:
            expected.append((f"head.{who}@x.ru", local, step, tz_hour))
        # The coordinator is told of the overdue item, once.
        expected.append((f"coord.{who}@x.ru", "2021-01-01", "overdue-1", tz_hour))
    assert sent_log() == sorted(expected)
    assert len(mail.outbox) == len(expected)
    assert {moscow.pk, urals.pk} == set(Deadline.objects.values_list("structure_id", flat=True))


def test_the_email_is_russian_with_the_date_and_what_is_due():
    association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    sweep_at(dt.datetime(2020, 12, 11, 6, 0, tzinfo=UTC))
    (message,) = mail.outbox
    assert (
        message.subject
        == "[Портал ШНОР] Срок 25.12.2020: Отчёт о результатах деятельности сообщества"
    )
    assert "Напоминаем: «Отчёт о результатах деятельности сообщества»" in message.body
    assert "Через 14 дней." in message.body and "МКУ «ЦНППМ г. Тулы»" in message.body
    # The basis is the order as people cite it, never the code's rule id.
    assert "Основание: приказ от " in message.body and "R-" not in message.body
    html = message.alternatives[0][0]
    assert html.startswith("<!doctype html>") and 'lang="ru"' in html
    notice = Notice.objects.get()
    assert notice.user.email == "head@x.ru" and notice.read_at is None


def test_running_the_sweep_twice_sends_nothing_twice():
    association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    moment = dt.datetime(2020, 12, 11, 6, 0, tzinfo=UTC)
    sweep_at(moment)
    sweep_at(moment)
    sweep_at(moment + dt.timedelta(hours=1))
    assert len(mail.outbox) == 1
    assert Delivery.objects.count() == 1


def test_a_missed_sweep_catches_up_with_one_message_per_item():
    """The worker was down from 10.12 to 18.12: on 18.12 the head gets the 7-day reminder only;
    the 14-day one is recorded as skipped and never sent late."""
    association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    sweep_at(dt.datetime(2020, 12, 18, 7, 0, tzinfo=UTC))
    assert [(d.step, d.status) for d in Delivery.objects.order_by("local_date")] == [("d7", "sent")]
    sweep_at(dt.datetime(2020, 12, 18, 8, 0, tzinfo=UTC))
    assert len(mail.outbox) == 1
    assert "Через 7 дней." in mail.outbox[0].body


def test_before_nine_local_time_nothing_goes_out():
    association("Свердловская область", "Asia/Yekaterinburg", "head@x.ru", "coord@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    sweep_at(dt.datetime(2020, 12, 11, 3, 59, tzinfo=UTC))  # 08:59 in Yekaterinburg
    assert mail.outbox == []
    sweep_at(dt.datetime(2020, 12, 11, 4, 0, tzinfo=UTC))
    assert len(mail.outbox) == 1


def test_a_failed_send_is_retried_with_backoff_and_then_shows_as_failed(settings, monkeypatch):
    association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    reminders.deadlines_instantiate(year=YEAR)

    def broken(*args, **kwargs):
        raise ConnectionRefusedError("SMTP-сервер недоступен")

    monkeypatch.setattr(reminders, "_email", broken)
    moment = dt.datetime(2020, 12, 11, 6, 0, tzinfo=UTC)
    sweep_at(moment)
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert delivery.due_at == moment + dt.timedelta(minutes=5)
    assert "SMTP-сервер недоступен" in delivery.last_error
    sweep_at(moment + dt.timedelta(minutes=1))  # not yet: the backoff holds
    assert Delivery.objects.get().attempts == 1
    for minutes in (5, 35, 155, 635):
        sweep_at(moment + dt.timedelta(minutes=minutes))
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", reminders.MAX_ATTEMPTS)
    monkeypatch.undo()
    sweep_at(moment + dt.timedelta(days=1))
    assert mail.outbox == []  # failed stays failed; it is not sent again by later sweeps


def test_a_person_can_turn_off_reminders_that_are_not_mandatory():
    structure = association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    DeadlineRule.objects.filter(kind=structure.kind, due_month=12).update(mandatory=False)
    head = structure.memberships.get(role=Role.HEAD).user
    ReminderPreference.objects.create(user=head, kind="deadlines", enabled=False)
    reminders.deadlines_instantiate(year=YEAR)
    sweep_at(dt.datetime(2020, 12, 11, 6, 0, tzinfo=UTC))
    assert mail.outbox == []
    # The 15 July analysis stays mandatory (R-TUL-A4-4.6): it comes whatever the preference.
    sweep_at(dt.datetime(2021, 7, 1, 6, 0, tzinfo=UTC))
    assert [m.to for m in mail.outbox] == [["head@x.ru"]]


def test_a_delivered_report_stops_its_reminders():
    structure = association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    assert (
        reminders.deadline_mark_delivered(
            structure=structure, deliverable="report", school_year=2020
        )
        == 2
    )
    sweep_at(dt.datetime(2020, 12, 11, 6, 0, tzinfo=UTC))
    assert mail.outbox == []


def test_closed_structures_and_former_heads_get_nothing():
    structure = association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    structure.memberships.update(until=dt.date(2020, 11, 1))
    sweep_at(dt.datetime(2020, 12, 11, 6, 0, tzinfo=UTC))
    assert mail.outbox == []


def test_instantiating_twice_changes_nothing():
    association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    assert reminders.deadlines_instantiate(year=YEAR) == 2
    assert reminders.deadlines_instantiate(year=YEAR) == 0
    assert sorted(Deadline.objects.values_list("due_on", flat=True)) == [
        dt.date(2020, 12, 25),
        dt.date(2021, 7, 15),
    ]


# --- manage.py send_reminders --------------------------------------------------------------------


def run(*args) -> str:
    out = StringIO()
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue()


def test_command_dry_run_lists_what_it_would_send_and_sends_nothing():
    association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    output = run("--date", "2020-12-11", "--dry-run")
    lines = output.strip().splitlines()
    assert lines[0].endswith(
        "<head@x.ru>\tСрок 25.12.2020: Отчёт о результатах деятельности сообщества\td14"
    )
    assert lines[-1] == "Было бы отправлено напоминаний на 11.12.2020: 1."
    assert Delivery.objects.count() == 0 and mail.outbox == []


def test_command_sends_the_same_sweep_by_hand_once():
    association("Тульская область", "Europe/Moscow", "head@x.ru", "coord@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    first = run("--date", "2020-12-11")
    second = run("--date", "2020-12-11")
    assert "Отправлено напоминаний на 11.12.2020: 1." in first
    assert "Отправлено напоминаний на 11.12.2020: 0." in second
    assert len(mail.outbox) == 1


def test_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="ГГГГ-ММ-ДД"):
        run("--date", "11.12.2020")


def test_000_p2_a_plan_handed_in_stops_the_plan_deadline_reminders():
    """S1's first plan is due by 1 September (000 order p. 2): once submitted, no more reminders."""
    from communities.models import Plan

    region = RegionFactory(timezone="Europe/Volgograd")
    academy = OrganisationFactory(municipality=MunicipalityFactory(region=region))
    workshop = StructureFactory(kind=kind("S1"), host=academy, established_on=dt.date(2021, 5, 29))
    coordinator = UserFactory(email="coord@vgapo.ru", organisation=academy)
    MembershipFactory(structure=workshop, user=coordinator, role=Role.COORDINATOR)
    reminders.deadlines_instantiate(year=SchoolYear(2021))
    sweep_at(dt.datetime(2021, 8, 18, 6, 0, tzinfo=UTC))
    assert [m.subject for m in mail.outbox] == [
        "[Портал ШНОР] Срок 01.09.2021: План деятельности сообщества на учебный год"
    ]
    Plan.objects.create(structure=workshop, school_year=2021, status=Plan.Status.SUBMITTED)
    sweep_at(dt.datetime(2021, 8, 25, 6, 0, tzinfo=UTC))
    assert len(mail.outbox) == 1
