"""Reminders: what is due, claimed exactly once, then sent by e-mail and shown in the portal.

The sweep runs every hour (Celery beat) or by hand (`manage.py send_reminders`). It asks each
source (deadlines here; plans, minutes, dormant pairs, overdue requests from the apps below) what
reminders are due by now and claims each one as a Delivery row under UNIQUE(topic, recipient,
step). A retry, a restarted worker or two beats running by mistake find the row taken and send
nothing. Steps a missed sweep skipped are recorded as skipped, not sent late: a reminder says what
is due now, once.

Sending is separate: a sender takes a pending row with a conditional UPDATE … WHERE status =
'pending', so two workers never send the same row; a failed send goes back to pending with a
backoff and shows as failed after MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext

from communities.models import Plan
from networks.mail_stamps import render_stamped
from networks.messages import in_language_of, mail
from networks.models import Membership, Structure, TerritoryRole, User
from networks.schoolyear import SchoolYear
from outbox.copying import copy_insert

from .models import Deadline, DeadlineRule, Deliverable, Delivery, Notice, ReminderPreference
from .summaries import nearest

log = logging.getLogger(__name__)

SEND_HOUR = 9  # local time of the recipient's region
BEFORE = [("d14", 14), ("d7", 7), ("d1", 1), ("d0", 0)]
OVERDUE_WEEKS = 10
MAX_ATTEMPTS = 5
RETRY_MINUTES = [5, 30, 120, 480]


@dataclass(frozen=True)
class Reminder:
    """A reminder a source says is due: who, about what, which step, when (local date)."""

    topic: str
    step: str
    recipient: User
    local_date: dt.date
    timezone: str
    subject: str
    body: str
    url: str = ""
    kind: str = ReminderPreference.Kind.DEADLINES
    mandatory: bool = False
    deadline_id: int | None = None
    # Earlier steps of the same topic, in order; a later claim skips those not yet sent.
    earlier_steps: tuple[str, ...] = ()

    @property
    def due_at(self) -> dt.datetime:
        return send_moment(self.local_date, self.timezone)


@dataclass(frozen=True)
class Clock:
    """When the sweep runs. `on_date` (the command's --date) makes a step due on its local date
    whatever the hour; otherwise a step is due at 09:00 local time."""

    now: dt.datetime
    on_date: dt.date | None = None

    def is_due(self, local_date: dt.date, tz: str) -> bool:
        if self.on_date is not None:
            return local_date <= self.on_date
        return send_moment(local_date, tz) <= self.now

    def local_today(self, tz: str) -> dt.date:
        if self.on_date is not None:
            return self.on_date
        return self.now.astimezone(ZoneInfo(tz)).date()


def send_moment(local_date: dt.date, tz: str) -> dt.datetime:
    return dt.datetime.combine(local_date, dt.time(SEND_HOUR), tzinfo=ZoneInfo(tz))


def timezone_of(user: User, structure: Structure) -> str:
    """The recipient's region decides the hour; without an organisation, the structure's."""
    organisation = user.organisation
    if organisation is not None:
        return organisation.region.timezone
    return structure.region.timezone


# --- Deadlines ------------------------------------------------------------------------------------


def deadlines_instantiate(*, year: SchoolYear) -> int:
    """Creates this school year's Deadline for every active rule and every structure it covers.
    Idempotent: existing deadlines are left alone. A closed structure gets none due after its
    closing: nobody is left to hand it in, and its record is read-only (issue 16)."""
    return sum(
        rule_instantiate(rule=rule, year=year)
        for rule in DeadlineRule.objects.filter(is_active=True)
    )


def rule_structures(rule: DeadlineRule, year: SchoolYear):
    """The structures a rule gives a deadline in the school year: of its kind, programme and
    region, open on the due date; a national rule leaves out the regions whose coordinators set
    an active rule of their own instead of it (DeadlineRule.replaces)."""
    structures = Structure.objects.active_in(year).filter(parent__isnull=True)
    if rule.kind_id:
        structures = structures.filter(kind_id=rule.kind_id)
    if rule.programme_id:
        structures = structures.filter(programme_id=rule.programme_id)
    if rule.region_id:
        structures = structures.filter(region_id=rule.region_id)
    else:
        structures = structures.exclude(
            region_id__in=DeadlineRule.objects.filter(
                replaces=rule, is_active=True, region__isnull=False
            ).values("region_id")
        )
    return structures.exclude(closed_on__lt=rule.due_date(year))


def rule_instantiate(*, rule: DeadlineRule, year: SchoolYear, region=None) -> int:
    """The rule's missing deadlines of the school year (in `region` only, when given); existing
    ones are left alone."""
    due_on = rule.due_date(year)
    structures = rule_structures(rule, year)
    if region is not None:
        structures = structures.filter(region=region)
    rows = [
        Deadline(rule=rule, structure_id=pk, school_year=year.start, due_on=due_on)
        for pk in structures.values_list("pk", flat=True)
    ]
    before = Deadline.objects.filter(rule=rule, school_year=year.start).count()
    Deadline.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    created = Deadline.objects.filter(rule=rule, school_year=year.start).count() - before
    if created:
        # bulk_create sends no post_save; the six-hourly run that finds nothing new changes nothing.
        nearest.changed()
    return created


def deadline_mark_delivered(*, structure: Structure, deliverable: str, school_year: int) -> int:
    """Called when a report is submitted or a plan handed in: its deadlines stop reminding."""
    marked = Deadline.objects.filter(
        structure=structure,
        school_year=school_year,
        rule__deliverable=deliverable,
        delivered_at__isnull=True,
    ).update(delivered_at=timezone.now())
    if marked:
        nearest.changed()  # an UPDATE sends no post_save
    return marked


def deadline_steps(due_on: dt.date) -> list[tuple[str, dt.date]]:
    steps = [(name, due_on - dt.timedelta(days=days)) for name, days in BEFORE]
    steps += [
        (f"overdue-{week}", due_on + dt.timedelta(weeks=week))
        for week in range(1, OVERDUE_WEEKS + 1)
    ]
    return steps


def _when_text(step: str, due_on: dt.date, local_date: dt.date) -> str:
    days = (due_on - local_date).days
    # Mails are Russian (CONVENTIONS); the Russian catalogue gives «день / дня / дней».
    with translation.override(settings.LANGUAGE_CODE):
        if days > 1:
            return ngettext("через %(n)s день", "через %(n)s дней", days) % {"n": days}
        if days == 1:
            return gettext("завтра")
        if days == 0:
            return gettext("сегодня")
        return ngettext(
            "срок истёк %(due)s, просрочено на %(n)s день",
            "срок истёк %(due)s, просрочено на %(n)s дней",
            -days,
        ) % {"n": -days, "due": f"{due_on:%d.%m.%Y}"}


def _deliverers(deadline: Deadline, members: dict) -> list[User]:
    return [
        m.user
        for m in members.get(deadline.structure_id, [])
        if m.role == deadline.rule.deliverer_role
    ]


def _coordinators(
    deadline: Deadline, members: dict, territory: dict[int, list[TerritoryRole]]
) -> list[User]:
    """Told of overdue items: the structure's coordinators and curators, the territory's
    coordinators (`territory`: the coordinators' roles by region)."""
    structure = deadline.structure
    people = {
        m.user.pk: m.user
        for m in members.get(structure.pk, [])
        if m.role in ("coordinator", "curator")
    }
    for role in territory.get(structure.region_id, ()):
        if role.municipality_id in (
            None,
            structure.municipality_id,
        ):
            people.setdefault(role.user.pk, role.user)
    return list(people.values())


MEMBER_FIELDS = (
    "structure_id",
    "role",
    "user__email",
    "user__first_name",
    "user__last_name",
    "user__patronymic",
    "user__is_active",
    "user__language",
    "user__organisation__region__timezone",
)


def deadline_reminders(clock: Clock) -> Iterable[Reminder]:
    today = clock.on_date or clock.now.date()
    window_start = today - dt.timedelta(weeks=OVERDUE_WEEKS, days=1)
    window_end = today + dt.timedelta(days=15)
    handed_in = Plan.objects.filter(
        structure=OuterRef("structure"),
        school_year=OuterRef("school_year"),
        status__in=[Plan.Status.SUBMITTED, Plan.Status.AGREED, Plan.Status.APPROVED],
    )
    deadlines = list(
        Deadline.objects.filter(
            delivered_at__isnull=True,
            due_on__gte=window_start,
            due_on__lte=window_end,
            rule__is_active=True,
            structure__closed_on__isnull=True,
        )
        # A plan deadline is met once the plan for that year is handed in (submitted or further).
        .exclude(Q(rule__deliverable=Deliverable.PLAN) & Exists(handed_in))
        .select_related("rule", "structure", "structure__region")
    )
    if not deadlines:
        return
    structure_ids = {d.structure_id for d in deadlines}
    members: dict[int, list[Membership]] = {}
    for m in (
        Membership.objects.current()
        .filter(structure_id__in=structure_ids, user__is_active=True)
        .select_related("user__organisation__region")
        # 100,000 members in a national sweep: only what a reminder reads of each (who, in
        # which time zone, and the name and address the command's listing shows).
        .only(*MEMBER_FIELDS)
    ):
        members.setdefault(m.structure_id, []).append(m)
    # By region: each deadline looks at its own region's coordinators, not at the country's.
    territory: dict[int, list[TerritoryRole]] = {}
    for role in TerritoryRole.objects.filter(
        role=TerritoryRole.Role.COORDINATOR, user__is_active=True
    ).select_related("user__organisation__region"):
        territory.setdefault(role.region_id, []).append(role)
    url_base = reverse("reporting:deadlines")
    # A national sweep asks the same questions for each of 100,000 recipients: which steps are
    # due in this time zone, and what the mail says (the same words for everyone of a deadline
    # and step). Each answer is worked out once (docs/PERFORMANCE.md, «Рассылка напоминаний»).
    due_steps: dict[tuple, list[tuple[str, dt.date]]] = {}
    bodies: dict[tuple, str] = {}
    for deadline in deadlines:
        steps = None
        recipients = [(u, False) for u in _deliverers(deadline, members)]
        recipients += [(u, True) for u in _coordinators(deadline, members, territory)]
        for user, as_coordinator in recipients:
            tz = timezone_of(user, deadline.structure)
            key = (deadline.due_on, tz, as_coordinator)
            candidates = due_steps.get(key)
            if candidates is None:
                steps = steps or deadline_steps(deadline.due_on)
                candidates = due_steps[key] = [
                    (name, day)
                    for name, day in steps
                    if (not as_coordinator or name.startswith("overdue")) and clock.is_due(day, tz)
                ]
            if not candidates:
                continue
            step, local_date = candidates[-1]
            body_key = (deadline.pk, as_coordinator, step, local_date)
            body = bodies.get(body_key)
            if body is None:
                body = bodies[body_key] = _deadline_body(deadline, step, local_date, as_coordinator)
            yield _deadline_reminder(
                deadline, user, step, local_date, tz, as_coordinator, url_base, candidates, body
            )


def _deadline_body(deadline, step, local_date, as_coordinator) -> str:
    """What a deadline's reminder says at a step: nothing in it is personal (the greeting is the
    mail's, reminder.txt), so everyone reminded of it at that step shares it."""
    return render_to_string(
        "reporting/email/deadline.txt",
        {
            "rule": deadline.rule,
            "structure": deadline.structure,
            "deadline": deadline,
            "when": _when_text(step, deadline.due_on, local_date),
            "as_coordinator": as_coordinator,
        },
    ).strip()


def _deadline_reminder(deadline, user, step, local_date, tz, as_coordinator, url, candidates, body):
    rule, structure = deadline.rule, deadline.structure
    if as_coordinator:
        subject = f"Не сдано в срок: {rule.title} — {structure.name}"
    else:
        subject = f"Срок {deadline.due_on:%d.%m.%Y}: {rule.title}"
    return Reminder(
        topic=f"deadline:{deadline.pk}",
        step=step,
        recipient=user,
        local_date=local_date,
        timezone=tz,
        subject=subject,
        body=body,
        url=url,
        kind=ReminderPreference.Kind.DEADLINES,
        mandatory=rule.mandatory,
        deadline_id=deadline.pk,
        earlier_steps=tuple(name for name, _ in candidates[:-1]),
    )


# --- The sweep ------------------------------------------------------------------------------------

Source = Callable[[Clock], Iterable[Reminder]]
SOURCES: list[Source] = [deadline_reminders]


def register_source(source: Source) -> Source:
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def due_reminders(clock: Clock) -> list[Reminder]:
    """Everything the sources say is due, minus what people turned off (never mandatory ones)."""
    reminders = [r for source in SOURCES for r in source(clock)]
    # Only the people of reminders one may turn off are asked about (a national sweep of mandatory
    # deadlines would otherwise send 100,000 ids in one IN list).
    optional = {r.recipient.pk for r in reminders if not r.mandatory}
    off = (
        set(
            ReminderPreference.objects.filter(enabled=False, user_id__in=optional).values_list(
                "user_id", "kind"
            )
        )
        if optional
        else set()
    )
    return [r for r in reminders if r.mandatory or (r.recipient.pk, r.kind) not in off]


def _not_yet_claimed(reminders: list[Reminder]) -> list[Reminder]:
    taken = set(
        Delivery.objects.filter(topic__in={r.topic for r in reminders}).values_list(
            "topic", "recipient_id", "step"
        )
    )
    return [r for r in reminders if (r.topic, r.recipient.pk, r.step) not in taken]


@transaction.atomic
def reminders_claim(reminders: list[Reminder]) -> list[Reminder]:
    """Claims each reminder as a Delivery row; rows that exist already are left alone. Earlier
    steps of the same topic that were never sent are marked skipped, so a catch-up sends one
    message per item."""
    fresh = _not_yet_claimed(reminders)
    rows = [
        {
            "topic": r.topic,
            "step": r.step,
            "recipient_id": r.recipient.pk,
            "deadline_id": r.deadline_id,
            "subject": r.subject,
            "body": r.body,
            "url": r.url,
            "due_at": r.due_at,
            "local_date": r.local_date,
            "kind": r.kind,
        }
        for r in fresh
    ]
    # ON CONFLICT DO NOTHING: a concurrent sweep that claimed the same row first wins.
    if db_connection.vendor == "postgresql":
        copy_insert(Delivery, rows, ignore_conflicts=True)  # a national sweep claims 200,000
    else:
        Delivery.objects.bulk_create(
            [Delivery(**row) for row in rows], ignore_conflicts=True, batch_size=1000
        )
    _skip_earlier_steps(fresh)
    return fresh


SKIP_BATCH = 10_000


def _skip_earlier_steps(fresh: list[Reminder]) -> None:
    """Marks skipped the pending rows of the earlier steps of what was just claimed. The pending
    rows of these topics are read once and matched here: OR-ing one Q per reminder copied the
    growing Q every time, quadratic — minutes for 100,000 reminders (docs/PERFORMANCE.md)."""
    earlier = {(r.topic, r.recipient.pk, step) for r in fresh for step in r.earlier_steps}
    if not earlier:
        return
    pending = Delivery.objects.filter(
        topic__in={topic for topic, _user, _step in earlier}, status=Delivery.Status.PENDING
    ).values_list("pk", "topic", "recipient_id", "step")
    ids = [pk for pk, *key in pending if tuple(key) in earlier]
    for start in range(0, len(ids), SKIP_BATCH):
        Delivery.objects.filter(
            pk__in=ids[start : start + SKIP_BATCH], status=Delivery.Status.PENDING
        ).update(status=Delivery.Status.SKIPPED)


def deliveries_due(now: dt.datetime) -> list[int]:
    return list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, due_at__lte=now)
        .order_by("due_at")
        .values_list("pk", flat=True)
    )


# Rows one task sends in one transaction (docs/PERFORMANCE.md, «Уведомления: 300 000»).
DELIVERY_BATCH = 500


def delivery_send(*, delivery_id: int, now: dt.datetime | None = None) -> bool:
    """Sends one claimed reminder if this caller takes it; True when it went out."""
    return bool(deliveries_send(ids=[delivery_id], now=now))


def deliveries_send(*, ids: list[int], now: dt.datetime | None = None) -> list[int]:
    """Sends the pending reminders of `ids` this caller takes, in one transaction; returns the ids
    that went out.

    The rows are taken with SELECT … FOR UPDATE SKIP LOCKED (a second worker skips them, and a
    row sent commits as «sent», so a retried task finds nothing); SQLite has one writer at a time.
    Then, for the whole batch: the portal notices (one INSERT), the person's choice per kind (one
    query), the digests' rows (one INSERT) and the mails (one INSERT into the outbox, one send
    task per outbox batch; another mail backend gets them one by one), and «sent» (one UPDATE). A
    mail the backend refuses goes back to pending with its backoff; the others are sent. A crash
    before the commit leaves every row pending, for the next sweep."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            Delivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(pk__in=ids, status=Delivery.Status.PENDING, due_at__lte=now)
            .select_related("recipient")
            .order_by("pk")
        )
        if not rows:
            return []
        _notices_write(rows)
        failures = _emails(rows)
        sent = [row.pk for row in rows if row.pk not in failures]
        Delivery.objects.filter(pk__in=sent).update(
            status=Delivery.Status.SENT,
            attempts=F("attempts") + 1,
            sent_at=timezone.now(),
            last_error="",
        )
        for row in rows:
            if row.pk in failures:
                row.attempts += 1
                _failed(row, failures[row.pk], now)
    return sent


def _notices_write(rows: list[Delivery]) -> None:
    """The portal notice of each delivery, unless an earlier attempt wrote it already."""
    have = set(
        Notice.objects.filter(delivery_id__in=[row.pk for row in rows]).values_list(
            "delivery_id", flat=True
        )
    )
    fields = [
        {
            "delivery_id": row.pk,
            "user_id": row.recipient_id,
            "title": row.subject,
            "body": row.body,
            "url": row.url,
        }
        for row in rows
        if row.pk not in have
    ]
    if db_connection.vendor == "postgresql":
        copy_insert(Notice, fields)  # a national sweep writes 300,000 (outbox/copying.py)
    else:
        Notice.objects.bulk_create([Notice(**one) for one in fields], batch_size=1000)


def _failed(delivery: Delivery, exc: Exception, now: dt.datetime) -> None:
    log.warning("reminder %s to %s failed: %s", delivery.pk, delivery.recipient_id, exc)
    delivery.last_error = f"{type(exc).__name__}: {exc}"
    if delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = Delivery.Status.FAILED
    else:
        delivery.status = Delivery.Status.PENDING
        minutes = RETRY_MINUTES[min(delivery.attempts, len(RETRY_MINUTES)) - 1]
        delivery.due_at = now + dt.timedelta(minutes=minutes)
    delivery.save(update_fields=["status", "last_error", "due_at", "attempts"])


def _emails(rows: list[Delivery]) -> dict[int, Exception]:
    """The mails of a batch through the one notification centre's rules (networks.messages): the
    notices are written above; the mail goes now, waits for the person's digest, or not at all,
    as each person chose for its kind (one query for the batch). Returns the failures by delivery
    id."""
    from .notification_centre import routes_write

    failures: dict[int, Exception] = {}
    outgoing: list[tuple[Delivery, str, str]] = []
    for delivery in rows:
        try:
            _email(delivery, outgoing)
        except Exception as exc:  # a broken row or mail server: this one later, the rest now
            failures[delivery.pk] = exc
    at_once = routes_write(
        [(d.recipient, d.kind, d.subject, text, d.url) for d, text, _ in outgoing]
    )
    messages = [
        (
            delivery,
            mail(
                delivery.recipient,
                kind=delivery.kind,
                subject=delivery.subject,
                text=text,
                html=html,
            ),
        )
        for (delivery, text, html), now in zip(outgoing, at_once, strict=True)
        if now
    ]
    failures.update(_send_all(messages))
    return failures


def _email(delivery: Delivery, outgoing: list) -> None:
    """One reminder's mail, rendered in the recipient's language, added to its batch's `outgoing`
    (a person without an address gets the notice only, as networks.messages.message_for)."""
    person = delivery.recipient
    with in_language_of(person):
        shared = {"site_url": settings.SITE_URL}
        personal = {
            "name": person.first_name or "",
            "subject": delivery.subject or "",
            "body": delivery.body or "",
            "url": delivery.url or "",
        }
        text = render_stamped("reporting/email/reminder.txt", shared, personal)
        html = render_stamped(
            "reporting/email/reminder.html",
            shared,
            personal,
            html=True,
            html_filters={"body": linebreaksbr},
        )
    if person.email:
        outgoing.append((delivery, text, html))


def _send_all(messages) -> dict[int, Exception]:
    """Sends (delivery, message) pairs: into the outbox in one INSERT when the portal writes the
    outbox (production), else one by one through the configured backend."""
    from django.core.mail import get_connection

    from outbox.backends import OutboxBackend
    from outbox.services import outbound_queue

    if not messages:
        return {}
    connection = get_connection()
    if isinstance(connection, OutboxBackend):
        outbound_queue([message for _delivery, message in messages])
        return {}
    failures: dict[int, Exception] = {}
    for delivery, message in messages:
        try:
            connection.send_messages([message])
        except Exception as exc:  # any failure of the mail server: this one later
            failures[delivery.pk] = exc
    return failures


@dataclass
class SweepResult:
    claimed: list[Reminder]
    sent: list[Delivery]


def sweep(*, clock: Clock, dry_run: bool = False, send: bool = True) -> SweepResult:
    """One pass: claim what is due and (unless a worker does it) send what is pending."""
    due = due_reminders(clock)
    if dry_run:
        return SweepResult(claimed=_not_yet_claimed(due) if due else [], sent=[])
    fresh = reminders_claim(due) if due else []
    sent = []
    if send:
        now = clock.now if clock.on_date is None else _end_of(clock.on_date)
        due = deliveries_due(now)
        for start in range(0, len(due), DELIVERY_BATCH):
            sent += deliveries_send(ids=due[start : start + DELIVERY_BATCH], now=now)
    return SweepResult(
        claimed=fresh, sent=list(Delivery.objects.filter(pk__in=sent).select_related("recipient"))
    )


def _end_of(day: dt.date) -> dt.datetime:
    # Every Russian time zone is east of UTC: 23:59 UTC is past 09:00 local everywhere that day.
    return dt.datetime.combine(day, dt.time(23, 59), tzinfo=dt.UTC)
