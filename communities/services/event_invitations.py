"""Invitations to events and meetings: the mail with its calendar file, the notice, the answers.

S3's administrators must inform the group's members of coming events (R-TUL-A2-4.2, 001 прил. 2
п. 4.2.2), and every structure's members must hear of a meeting planned, moved or cancelled. The
event services (communities/services/events.py) call `event_announce` inside their transaction:

- each invited person with an address gets a mail in Russian (plain text and HTML) with an `.ics`
  (communities/calendar.py: the event's stable UID, its SEQUENCE, METHOD:REQUEST or METHOD:CANCEL,
  the region's time zone) — written into the outbox in the same transaction (settings'
  EMAIL_BACKEND is outbox.backends.OutboxBackend), sent by the worker with retries after commit;
- each gets a notice in the portal (networks.hooks.notify → reporting's Notice);
- a change mail names what changed, old → new.

Only events still ahead are announced: a meeting recorded after it took place sends nothing.
A failure to build the messages is logged and never fails the page: the event is saved anyway
(a savepoint keeps the half-written mails out).

Answers («Приду / Не приду / Не знаю») come from the event page or from a signed link in the mail
(`answer_token`): django.core.signing with the event and the person, valid until the event starts.
The link opens a page with the three buttons (a POST), so that a mail scanner that follows links
records nothing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from networks.hooks import notify
from networks.messages import MessageKind, in_language_of, message_for
from networks.models import User
from networks.services import refuse_if_closed
from outbox.queueing import delay_on_commit

from .. import calendar
from ..models import Attendance, Event, EventAnnouncement

log = logging.getLogger(__name__)

__all__ = [
    "ANSWER_SALT",
    "Change",
    "answer_read",
    "answer_token",
    "answer_url",
    "attendance_respond",
    "event_announce",
    "event_announcement_send",
    "event_announcement_send_batch",
    "event_announcements_due",
    "event_changes",
    "event_snapshot",
]

ANSWER_SALT = "communities.event-answer"
# A link older than this is refused even for an event far ahead: mails are forwarded and kept.
ANSWER_MAX_AGE = dt.timedelta(days=400)
# What a calendar entry shows: a change of one of these raises the SEQUENCE.
CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "place", "link", "format", "description")
# What people are told of: a change of one of these sends a mail.
TOLD_FIELDS = ("title", "starts_at", "ends_at", "place", "link", "format")

NEW, CHANGED, CANCELLED, WITHDRAWN = "new", "changed", "cancelled", "withdrawn"
# Up to this many recipients the page writes the mails itself (about 5 ms each); a longer list
# (a network community of thousands) is written by the worker (EventAnnouncement).
INLINE_LIMIT = 150


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


# --- What changed --------------------------------------------------------------------------------


def event_snapshot(event: Event) -> dict:
    return {name: getattr(event, name) for name in CALENDAR_FIELDS}


def _local(moment: dt.datetime | None, tz: str) -> str:
    if moment is None:
        return "—"
    return moment.astimezone(ZoneInfo(tz)).strftime("%d.%m.%Y %H:%M")


def event_changes(before: dict, event: Event) -> list[Change]:
    """What people are told changed, in their words: «Начало: 10.12.2026 15:00 → 11.12.2026
    16:00». Empty when nothing they see changed."""
    tz = calendar.event_timezone(event)
    labels = {
        "title": _("Тема"),
        "starts_at": _("Начало"),
        "ends_at": _("Окончание"),
        "place": _("Место"),
        "link": _("Ссылка на подключение"),
        "format": _("Формат"),
    }
    formats = dict(Event._meta.get_field("format").choices)
    changes = []
    for name in TOLD_FIELDS:
        old, new = before[name], getattr(event, name)
        if old == new:
            continue
        if name in ("starts_at", "ends_at"):
            old, new = _local(old, tz), _local(new, tz)
        elif name == "format":
            old, new = str(formats.get(old, old)), str(formats.get(new, new))
        changes.append(Change(str(labels[name]), old or "—", new or "—"))
    return changes


def event_when(event: Event) -> str:
    """«10.12.2026 15:00 (Europe/Moscow)»: the time in the structure's region."""
    tz = calendar.event_timezone(event)
    return f"{_local(event.starts_at, tz)} ({tz})"


def calendar_changed(before: dict, event: Event) -> bool:
    return any(before[name] != getattr(event, name) for name in CALENDAR_FIELDS)


# --- Answer links --------------------------------------------------------------------------------


def answer_token(event: Event, user: User) -> str:
    return signing.dumps({"e": event.pk, "u": user.pk}, salt=ANSWER_SALT, compress=True)


def answer_read(token: str) -> tuple[int, int]:
    """(event id, user id) of a link made here; signing.BadSignature (or SignatureExpired) for a
    forged, altered or too old one. Whether the event is still ahead is the caller's question."""
    data = signing.loads(token, salt=ANSWER_SALT, max_age=ANSWER_MAX_AGE)
    try:
        return int(data["e"]), int(data["u"])
    except (KeyError, TypeError, ValueError) as error:
        raise signing.BadSignature("not an answer link") from error


def answer_url(event: Event, user: User, answer: str = "") -> str:
    path = reverse("communities:event_answer_link", kwargs={"token": answer_token(event, user)})
    return calendar.absolute(path + (f"?answer={answer}" if answer else ""))


@transaction.atomic
def attendance_respond(*, event: Event, user: User, response: str) -> Attendance:
    """Records a person's answer to the invitation. Only the invited answer, and only before the
    event starts; a cancelled or held event takes no answers."""
    if response not in Attendance.Response.values:
        raise ValidationError({"response": _("Выберите ответ: приду, не приду или не знаю.")})
    event = Event.objects.select_for_update().select_related("structure").get(pk=event.pk)
    refuse_if_closed(event.structure)
    if event.status not in (Event.Status.SCHEDULED,):
        raise ValidationError(
            _("Мероприятие %(status)s; ответ больше не нужен.")
            % {"status": event.get_status_display().lower()}
        )
    if event.starts_at <= timezone.now():
        raise ValidationError(_("Мероприятие уже началось; ответ больше не принимается."))
    row = event.attendance.filter(user=user, invited=True).first()
    if row is None:
        raise ValidationError(_("Вы не в списке приглашённых на это мероприятие."))
    row.response = response
    row.responded_at = timezone.now()
    row.save(update_fields=["response", "responded_at"])
    return row


# --- The mail and the notice ---------------------------------------------------------------------


def _subject(kind: str, event: Event, when: str) -> str:
    title = event.title
    if kind == NEW:
        text = _("Приглашение: %(title)s, %(when)s")
    elif kind == CHANGED:
        text = _("Изменения: %(title)s, %(when)s")
    elif kind == CANCELLED:
        text = _("Отменено: %(title)s, %(when)s")
    else:
        text = _("Вы больше не приглашены: %(title)s, %(when)s")
    return text % {"title": title, "when": when}


def _notice_body(kind: str, event: Event, when: str, changes: Sequence[Change]) -> str:
    structure = event.structure.name
    if kind == NEW:
        return _("%(structure)s приглашает: %(when)s.") % {"structure": structure, "when": when}
    if kind == CHANGED:
        return "; ".join(f"{c.label}: {c.old} → {c.new}" for c in changes)
    if kind == CANCELLED:
        return _("%(structure)s: мероприятие отменено.") % {"structure": structure}
    return _("%(structure)s: вас убрали из списка приглашённых.") % {"structure": structure}


def event_announce(
    *,
    event: Event,
    kind: str,
    changes: Sequence[Change] = (),
    user_ids: Iterable[int] | None = None,
) -> int:
    """Mails and notices about the event to the invited (or to `user_ids`); how many mails.

    Called inside the event's transaction. Never raises: a failure is logged and the event's
    change stands (the savepoint drops whatever was half written)."""
    try:
        with transaction.atomic():
            return _announce(event, kind, changes, user_ids)
    except Exception:  # a template or a calendar error must not cost the organiser their change
        log.exception("could not announce event %s (%s)", event.pk, kind)
        return 0


def _announce(event, kind, changes, user_ids) -> int:
    event = Event.objects.select_related("structure__region").get(pk=event.pk)
    if event.starts_at <= timezone.now():
        # A meeting recorded after it took place (or moved into the past) is news to nobody.
        return 0
    ids = _recipient_ids(event, user_ids)
    if not ids:
        return 0
    tz = calendar.event_timezone(event)
    subject = _subject(kind, event, _local(event.starts_at, tz))
    with translation.override(settings.LANGUAGE_CODE):
        notify(
            ids,
            title=subject,
            body=_notice_body(kind, event, _local(event.starts_at, tz), changes),
            url=reverse(
                "communities:event_detail",
                kwargs={"pk": event.structure_id, "event_pk": event.pk},
            ),
        )
    if len(ids) > INLINE_LIMIT:
        from ..tasks import send_event_announcement

        announcement = EventAnnouncement.objects.create(
            event=event,
            kind=kind,
            changes=[[c.label, c.old, c.new] for c in changes],
            user_ids=ids,
            sequence=event.sequence,
        )
        delay_on_commit(send_event_announcement, announcement.pk)
        return 0
    return _send_mails(event, kind, changes, ids)


def _recipient_ids(event: Event, user_ids: Iterable[int] | None) -> list[int]:
    """Invited people who can be written to: active, not deleted, with an address."""
    people = User.objects.filter(is_active=True, anonymised_at__isnull=True).exclude(email="")
    if user_ids is None:
        people = people.filter(
            pk__in=event.attendance.filter(invited=True, user__isnull=False).values("user_id")
        )
    else:
        people = people.filter(pk__in=list(user_ids))
    return list(people.order_by("pk").values_list("pk", flat=True))


def _send_mails(event: Event, kind: str, changes: Sequence[Change], ids: Sequence[int]) -> int:
    """The mails themselves, written into the outbox (one row each) in the caller's transaction.
    About 5 ms a person (two templates, the .ics, three signed links): INLINE_LIMIT keeps the
    page well under a second."""
    tz = calendar.event_timezone(event)
    when = _local(event.starts_at, tz)
    url = calendar.event_url(event)
    method = "CANCEL" if kind in (CANCELLED, WITHDRAWN) else "REQUEST"
    messages = []
    for person in User.objects.filter(pk__in=list(ids)).order_by("pk"):
        with in_language_of(person):  # mails are in the person's language (Russian by default)
            context = {
                "kind": kind,
                "event": event,
                "person": person,
                "structure": event.structure,
                "when": when,
                "ends": _local(event.ends_at, tz) if event.ends_at else "",
                "tz": tz,
                "url": url,
                "changes": changes,
                "answers": []
                if method == "CANCEL"
                else [
                    (label, answer_url(event, person, value))
                    for value, label in Attendance.Response.choices
                ],
            }
            # The notices were written for everyone at once (_announce).
            message = message_for(
                person,
                kind=MessageKind.EVENTS,
                subject=_subject(kind, event, when),
                text=render_to_string("communities/events/email/invitation.txt", context),
                html=render_to_string("communities/events/email/invitation.html", context),
                url=url,
                attachments=[
                    (
                        "invite.ics" if method == "REQUEST" else "cancel.ics",
                        calendar.event_ics(event, method=method, attendee=person.email),
                        # Outlook takes a meeting request by the method named in the part's type.
                        f"text/calendar; method={method}",
                    )
                ],
                notice=False,
            )
        if message is not None:
            messages.append(message)
    if not messages:
        return 0
    # One connection for all: the outbox writes the rows in one transaction.
    return get_connection().send_messages(messages) or 0


# --- Long lists: the worker's part ---------------------------------------------------------------


# Mails written (and committed) together by the worker: about 2.5 s of rendering a batch, so that
# no transaction holds the outbox's rows for long and a killed worker loses at most one batch.
BATCH_SIZE = 500


def send_in_batches(send_batch, *, batches: int | None = None) -> int:
    """Calls `send_batch()` → (how many, finished) until finished or `batches` calls; the sum.
    Announcements and event announcements alike send this way, each batch its own transaction."""
    total = 0
    done = 0
    while batches is None or done < batches:
        step, finished = send_batch()
        total += step
        done += 1
        if finished:
            break
    return total


def event_announcement_send(*, announcement_id: int, batches: int | None = None) -> int:
    """Writes the mails of a queued announcement, batch after batch (at most `batches`), each
    committed on its own; how many mails this call wrote (0 when it was done already)."""
    return send_in_batches(
        lambda: event_announcement_send_batch(announcement_id=announcement_id), batches=batches
    )


def event_announcement_send_batch(*, announcement_id: int) -> tuple[int, bool]:
    """One batch in one transaction: locks the row (a second worker waits, then reads the marker
    this one wrote; SQLite's write lock, taken at BEGIN, is the lock there), writes the mails of
    the next BATCH_SIZE entries of `user_ids` from `sent_through`, moves the marker on (queued →
    sending), and once the list is done marks it sent. A worker killed mid-batch leaves the batch
    uncommitted, and the sweep goes on from the marker. An invitation or change whose event has
    since been cancelled or held is skipped from the next batch on (the cancellation has its own
    mails). (How many mails were written, whether the announcement is finished now.)"""
    Status = EventAnnouncement.Status
    with transaction.atomic():
        announcement = (
            EventAnnouncement.objects.select_for_update(of=("self",))
            .select_related("event__structure__region")
            .filter(pk=announcement_id, status__in=(Status.QUEUED, Status.SENDING))
            .first()
        )
        if announcement is None:  # done already (by another worker), or deleted
            return 0, True
        event = announcement.event
        if announcement.kind in (NEW, CHANGED) and event.status != Event.Status.SCHEDULED:
            announcement.status = Status.SKIPPED
            announcement.sent_at = timezone.now()
            announcement.save(update_fields=["status", "sent_at"])
            return 0, True
        # The marker is a position in `user_ids`, not a user pk: the list is fixed when the row is
        # stored, so a position names exactly who is done, whatever the list's order.
        start = announcement.sent_through
        ids = announcement.user_ids[start : start + BATCH_SIZE]
        sent = 0
        if ids:
            changes = [Change(*change) for change in announcement.changes]
            sent = _send_mails(event, announcement.kind, changes, ids)
        announcement.sent_through = start + len(ids)
        announcement.sent_count += sent
        finished = announcement.sent_through >= len(announcement.user_ids)
        if finished:
            announcement.status = Status.SENT
            announcement.sent_at = timezone.now()
        else:
            announcement.status = Status.SENDING
        announcement.save(update_fields=["sent_through", "sent_count", "status", "sent_at"])
        return sent, finished


def event_announcements_due(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> list[int]:
    """Announcements not finished a while after they were queued: their task was lost (the
    broker was down) or their worker died half-way (the sweep goes on from the marker)."""
    return list(
        EventAnnouncement.objects.filter(
            status__in=(EventAnnouncement.Status.QUEUED, EventAnnouncement.Status.SENDING),
            created_at__lte=timezone.now() - older_than,
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:50]
    )
