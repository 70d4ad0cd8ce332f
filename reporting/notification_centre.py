"""The notification centre's side in reporting (issue 17): how a person wants each kind of message
(ReminderPreference.delivery), the digests, and unsubscribing from one kind.

networks.messages sends every mail; the router here tells it whether to send now or, for a daily
or weekly digest, queues a DigestItem. The beat runs `digests_send` every quarter of an hour: from
08:00 in the person's region it collects the day's messages (on Mondays, the week's too) into one
mail per person, each row claimed once."""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import linebreaksbr
from django.utils import timezone

from networks.mail_stamps import render_stamped
from networks.messages import DIGEST, Delivery, in_language_of, mail
from networks.models import User

from .models import DigestItem, ReminderPreference

DIGEST_HOUR = 8
log = logging.getLogger(__name__)


def delivery_of(user_id: int, kind: str) -> str:
    choice = (
        ReminderPreference.objects.filter(user_id=user_id, kind=kind)
        .values_list("delivery", flat=True)
        .first()
    )
    return choice or Delivery.NOW


def route(user, *, kind: str, subject: str, text: str, url: str = "") -> bool:
    """networks.messages' router: True — send the mail now; otherwise queued or portal only."""
    choice = delivery_of(user.pk, kind)
    if choice in (Delivery.DAILY, Delivery.WEEKLY):
        url = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
        DigestItem.objects.create(
            user=user, kind=kind, delivery=choice, subject=subject[:300], text=text, url=url[:500]
        )
    return choice == Delivery.NOW


def deliveries_of(pairs) -> dict[tuple[int, str], str]:
    """How each (user id, kind) of `pairs` wants its messages, in one query (a batch's
    `delivery_of`)."""
    pairs = set(pairs)
    if not pairs:
        return {}
    chosen = {
        (user_id, kind): choice
        for user_id, kind, choice in ReminderPreference.objects.filter(
            user_id__in={user_id for user_id, _kind in pairs},
            kind__in={kind for _user_id, kind in pairs},
        ).values_list("user_id", "kind", "delivery")
    }
    return {pair: chosen.get(pair) or Delivery.NOW for pair in pairs}


def routes_write(messages) -> list[bool]:
    """`route` for a batch of (user, kind, subject, text, url): one query for the choices and one
    INSERT for the digests' rows; True for each message to mail now."""
    choices = deliveries_of((user.pk, str(kind)) for user, kind, *_rest in messages)
    items, now = [], []
    for user, kind, subject, text, url in messages:
        choice = choices[(user.pk, str(kind))]
        if choice in (Delivery.DAILY, Delivery.WEEKLY):
            url = f"{settings.SITE_URL}{url}" if url.startswith("/") else url
            items.append(
                DigestItem(
                    user=user,
                    kind=kind,
                    delivery=choice,
                    subject=subject[:300],
                    text=text,
                    url=url[:500],
                )
            )
        now.append(choice == Delivery.NOW)
    DigestItem.objects.bulk_create(items, batch_size=1000)
    return now


@transaction.atomic
def deliveries_save(*, user: User, choices: dict[str, str]) -> None:
    for kind, choice in choices.items():
        ReminderPreference.objects.update_or_create(
            user=user, kind=kind, defaults={"delivery": choice}
        )


@transaction.atomic
def unsubscribe(*, user_id: int, kind: str) -> list[str]:
    """Sets that kind to «только на портале» (the digest's link: every kind sent to a digest);
    returns the kinds changed. Nothing else changes."""
    if kind == DIGEST:
        kinds = list(
            ReminderPreference.objects.filter(
                user_id=user_id, delivery__in=[Delivery.DAILY, Delivery.WEEKLY]
            ).values_list("kind", flat=True)
        )
    else:
        kinds = [kind]
    for one in kinds:
        ReminderPreference.objects.update_or_create(
            user_id=user_id, kind=one, defaults={"delivery": Delivery.PORTAL}
        )
    return kinds


# --- Digests --------------------------------------------------------------------------------------


def _timezone(user: User) -> ZoneInfo:
    organisation = user.organisation
    if organisation is not None and organisation.region.timezone:
        return ZoneInfo(organisation.region.timezone)
    return ZoneInfo(settings.TIME_ZONE)


def _cut_off(user: User, now: dt.datetime) -> tuple[dt.datetime | None, bool]:
    """Today's 08:00 in the person's region once it has come (None before), and whether it is
    Monday there (the weekly digest's day)."""
    local = now.astimezone(_timezone(user))
    if local.hour < DIGEST_HOUR:
        return None, False
    moment = dt.datetime.combine(local.date(), dt.time(DIGEST_HOUR), tzinfo=local.tzinfo)
    return moment, local.weekday() == 0


# People one task puts their digests together for, in one transaction.
DIGEST_BATCH = 500


def digests_due_people() -> list[int]:
    """Ids of the people with messages waiting for a digest, in order."""
    return list(
        User.objects.filter(pk__in=DigestItem.objects.filter(claim="").values("user_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def digests_send(*, now: dt.datetime | None = None) -> int:
    """One digest mail per person whose messages are due; returns how many mails were written."""
    now = now or timezone.now()
    people = digests_due_people()
    return sum(
        digests_send_batch(user_ids=people[start : start + DIGEST_BATCH], now=now)
        for start in range(0, len(people), DIGEST_BATCH)
    )


def digests_send_batch(*, user_ids: list[int], now: dt.datetime | None = None) -> int:
    """The digests of a batch of people, in one transaction: their due messages claimed with one
    conditional UPDATE per cut-off moment (claim empty → this batch's token; a second worker's
    UPDATE waits for this one and then finds them taken), read in one query, one mail per person
    into the outbox in one INSERT. Returns how many mails were written."""
    now = now or timezone.now()
    people = list(
        User.objects.filter(pk__in=user_ids).select_related("organisation__region").order_by("pk")
    )
    moments: dict[tuple[dt.datetime, bool], list[int]] = {}
    for person in people:
        cut_off, monday = _cut_off(person, now)
        if cut_off is not None:
            moments.setdefault((cut_off, monday), []).append(person.pk)
    if not moments:
        return 0
    token = uuid.uuid4().hex
    with transaction.atomic():
        for (cut_off, monday), ids in moments.items():
            kinds = [Delivery.DAILY, Delivery.WEEKLY] if monday else [Delivery.DAILY]
            DigestItem.objects.filter(
                user_id__in=ids, claim="", delivery__in=kinds, created_at__lt=cut_off
            ).update(claim=token, sent_at=now)
        items: dict[int, list[dict]] = {}
        for item in (
            DigestItem.objects.filter(claim=token)
            .order_by("user_id", "created_at", "pk")
            .values("user_id", "kind", "subject", "text", "url")
        ):
            items.setdefault(item["user_id"], []).append(item)
        messages = [
            (person, _digest_mail(person, items[person.pk]))
            for person in people
            if items.get(person.pk) and person.email and person.is_active
        ]
        return _digests_send_all(messages, token)


def _digest_mail(person: User, items: list[dict]):
    """The digest of `items` (dicts of a DigestItem's kind, subject, text and url)."""
    with in_language_of(person):
        shared = {"site_url": settings.SITE_URL}
        personal = {
            "name": person.first_name or "",
            "items": [
                {
                    "subject": item["subject"] or "",
                    "text": item["text"] or "",
                    "url": item["url"] or "",
                }
                for item in items
            ],
        }
        subject = render_stamped("reporting/email/digest_subject.txt", shared, personal).strip()
        return mail(
            person,
            kind=items[0]["kind"],
            subject=subject,
            text=render_stamped("reporting/email/digest.txt", shared, personal),
            html=render_stamped(
                "reporting/email/digest.html",
                shared,
                personal,
                html=True,
                html_filters={"items.text": linebreaksbr},
            ),
            unsubscribe_kind=DIGEST,
        )


def _digests_send_all(messages, token: str) -> int:
    """Into the outbox in one INSERT when the portal writes the outbox (production); another
    backend gets them one by one, and a person whose mail it refused has the messages back for
    the next run."""
    from django.core.mail import get_connection

    from outbox.backends import OutboxBackend
    from outbox.services import outbound_queue

    if not messages:
        return 0
    connection = get_connection()
    if isinstance(connection, OutboxBackend):
        outbound_queue([message for _person, message in messages])
        return len(messages)
    sent = 0
    for person, message in messages:
        try:
            sent += connection.send_messages([message]) or 0
        except Exception:  # the mail server refused: this person's messages wait for the next run
            log.warning("digest to %s failed", person.pk, exc_info=True)
            DigestItem.objects.filter(claim=token, user_id=person.pk).update(claim="", sent_at=None)
    return sent
