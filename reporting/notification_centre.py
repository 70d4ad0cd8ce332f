"""The notification centre's side in reporting (issue 17): how a person wants each kind of message
(ReminderPreference.delivery), the digests, and unsubscribing from one kind.

networks.messages sends every mail; the router here tells it whether to send now or, for a daily
or weekly digest, queues a DigestItem. The beat runs `digests_send` every quarter of an hour: from
08:00 in the person's region it collects the day's messages (on Mondays, the week's too) into one
mail per person, each row claimed once."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from networks.messages import DIGEST, Delivery, in_language_of, mail
from networks.models import User

from .models import DigestItem, ReminderPreference

DIGEST_HOUR = 8


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


def digests_send(*, now: dt.datetime | None = None) -> int:
    """One digest mail per person whose messages are due; returns how many mails were written."""
    now = now or timezone.now()
    people = (
        User.objects.filter(pk__in=DigestItem.objects.filter(claim="").values("user_id"))
        .select_related("organisation__region")
        .order_by("pk")
    )
    return sum(_digest(person, now) for person in people)


def _digest(person: User, now: dt.datetime) -> bool:
    cut_off, monday = _cut_off(person, now)
    if cut_off is None:
        return False
    kinds = [Delivery.DAILY, Delivery.WEEKLY] if monday else [Delivery.DAILY]
    token = uuid.uuid4().hex
    with transaction.atomic():
        taken = DigestItem.objects.filter(
            user=person, claim="", delivery__in=kinds, created_at__lt=cut_off
        ).update(claim=token, sent_at=now)
        if not taken:
            return False
        items = list(DigestItem.objects.filter(claim=token).order_by("created_at", "pk"))
        if not person.email or not person.is_active:
            return False
        with in_language_of(person):
            context = {"person": person, "items": items, "site_url": settings.SITE_URL}
            subject = render_to_string("reporting/email/digest_subject.txt", context).strip()
            message = mail(
                person,
                kind=items[0].kind,
                subject=subject,
                text=render_to_string("reporting/email/digest.txt", context),
                html=render_to_string("reporting/email/digest.html", context),
                unsubscribe_kind=DIGEST,
            )
        return bool(message.send())
