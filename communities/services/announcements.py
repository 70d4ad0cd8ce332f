"""Announcements (issue 17): a structure's leaders tell its members, or one sub-community's members.

`announcement_post` stores the announcement (its file checked by content, networks.uploads) and
tells its audience: every current member of the structure and of its sub-communities (each person
once), or of the one sub-community chosen. Each gets a notice in the portal (networks.hooks.notify)
and, with an address, a mail in Russian (text and HTML) with absolute links (SITE_URL), written
into the outbox in the same transaction (settings' EMAIL_BACKEND is outbox.backends.OutboxBackend)
and delivered by the worker with retries.

Up to event_invitations.INLINE_LIMIT people (the invitations' threshold, read at each post) the
page writes the notices and mails itself. A longer list (a network community of 10,000 teachers)
is the worker's: the page stores the announcement only and queues `send_announcement` on commit
(docs/PERFORMANCE.md).

The worker tells the audience in batches of BATCH_SIZE people by user pk (keyset), each batch in
its own transaction (`announcement_send_batch`): it locks the announcement row, reads its
progress marker (`sent_through_user_id`, the last person told, and `recipient_count`), writes the
batch's notices and mails, moves the marker on and commits; the batch that finds nobody left sets
`sent_at`. A retried task, the beat's sweep or a second worker running at the same time wait for
the lock and go on from the marker, so nobody is told twice; a worker killed mid-batch leaves that
batch uncommitted, and the sweep (`announcements_due`: still no `sent_at`) resumes from the marker.
No transaction holds more than one batch's rows.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Sequence
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import get_connection
from django.db import transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from networks.hooks import notify
from networks.messages import MessageKind, in_language_of, message_for
from networks.models import Membership, Structure, User
from networks.permissions import access_to
from networks.services import refuse_if_closed
from networks.uploads import validate_upload
from outbox.queueing import delay_on_commit

from .. import calendar
from ..models import Announcement, Event
from ..permissions import can_post_announcements
from . import event_invitations

log = logging.getLogger(__name__)

__all__ = [
    "BATCH_SIZE",
    "announcement_audience",
    "announcement_post",
    "announcement_send",
    "announcement_send_batch",
    "announcements_due",
]

# People whose notices and mails are built and written together: bounds the worker's memory.
BATCH_SIZE = 500
# The same announcement posted again within this time is the first one (not sent twice).
REPEAT_WINDOW = dt.timedelta(minutes=10)
# FileField's default max_length is 100: «announcements/YYYY/MM/» + a 32-letter folder + «/».
FILE_NAME_MAX_LENGTH = 100 - len("announcements/2026/12/") - 33


def announcement_audience(structure: Structure, audience: Structure | None = None) -> QuerySet:
    """The people told: current members of the sub-community chosen, or of the structure and all
    its sub-communities; each person once, active and not deleted. One query to count or read."""
    if audience is not None:
        where = Q(structure_id=audience.pk)
    else:
        where = Q(structure_id=structure.pk) | Q(structure__parent_id=structure.pk)
    return User.objects.filter(
        is_active=True,
        anonymised_at__isnull=True,
        pk__in=Membership.objects.current().filter(where).values("user_id"),
    )


def _stored(file: UploadedFile) -> File:
    """A folder nobody guesses, and the name the person's computer gave the file (cut to fit):
    the download gives it back under that name."""
    path = PurePath(file.name or "file")
    suffix = path.suffix.lower()
    stem = path.stem[: max(FILE_NAME_MAX_LENGTH - len(suffix), 1)]
    return File(file, name=f"{uuid.uuid4().hex}/{stem}{suffix}")


@transaction.atomic
def announcement_post(
    *,
    structure: Structure,
    by: User,
    title: str,
    text: str,
    audience: Structure | None = None,
    event: Event | None = None,
    file: UploadedFile | None = None,
) -> Announcement:
    """Stores the announcement and tells its audience: at once for a short list, through the
    worker for a long one (see the module's docstring). The same announcement by the same person
    within REPEAT_WINDOW returns the first one, marked `repeated`, and sends nothing."""
    refuse_if_closed(structure)
    if not can_post_announcements(access_to(by, structure)):
        raise ValidationError(
            _(
                "Объявления публикуют координатор, председатель, руководитель, администратор "
                "или модератор структуры и координатор территории."
            )
        )
    errors = {}
    if audience is not None and (audience.parent_id != structure.pk or audience.is_closed):
        errors["audience"] = _("Выберите действующее подсообщество этой структуры.")
    if event is not None and event.structure_id != structure.pk:
        errors["event"] = _("Выберите мероприятие этой структуры.")
    if file is not None:
        try:
            validate_upload(file)
        except ValidationError as error:
            errors["file"] = error.messages
    if errors:
        raise ValidationError(errors)
    # Posts to one structure one at a time (a row lock on PostgreSQL; SQLite's write lock is one
    # already), so that a double click finds the first post below instead of racing it.
    Structure.objects.select_for_update().filter(pk=structure.pk).exists()
    repeated = (
        Announcement.objects.filter(
            structure=structure,
            author=by,
            audience=audience,
            event=event,
            title=title.strip(),
            text=text.strip(),
            created_at__gte=timezone.now() - REPEAT_WINDOW,
        )
        .order_by("-pk")
        .first()
    )
    if repeated is not None:
        # The same announcement sent again (a double click, a reloaded form) is the first one:
        # its audience must not get every message twice.
        repeated.repeated = True
        return repeated
    announcement = Announcement(
        structure=structure,
        audience=audience,
        author=by,
        title=title.strip(),
        text=text.strip(),
        event=event,
    )
    if file is not None:
        announcement.file = _stored(file)
    announcement.full_clean()
    announcement.save()

    if announcement_audience(structure, audience).count() > event_invitations.INLINE_LIMIT:
        from ..tasks import send_announcement

        # The page stores and queues; the worker (or, if the broker is down, the sweep) sends.
        delay_on_commit(send_announcement, announcement.pk)
        return announcement
    try:
        with transaction.atomic():
            announcement_send(announcement_id=announcement.pk)
    except Exception:  # a template error must not cost the author their text: the sweep retries
        log.exception("could not send announcement %s at once", announcement.pk)
    announcement.refresh_from_db(fields=["sent_at", "recipient_count"])
    return announcement


# --- Sending: the page's for a short list, the worker's for a long one ---------------------------


def announcement_send(*, announcement_id: int, batches: int | None = None) -> int:
    """Tells the announcement's audience, batch after batch (at most `batches` of them), each
    committed on its own; how many people this call told (0 when it was sent already)."""
    return event_invitations.send_in_batches(
        lambda: announcement_send_batch(announcement_id=announcement_id), batches=batches
    )


def announcement_send_batch(*, announcement_id: int) -> tuple[int, bool]:
    """One batch in one transaction: the next BATCH_SIZE people after the marker are told and
    the marker moves on; a short batch (or an empty one) also marks the announcement sent.
    (How many people were told, whether the announcement is sent now.)"""
    with transaction.atomic():
        # The lock: a second worker waits here and then reads the marker this one wrote. On
        # SQLite (transaction_mode IMMEDIATE) the database's write lock, taken at BEGIN, is it.
        announcement = (
            Announcement.objects.select_for_update(of=("self",))
            .select_related("structure__region", "audience", "event__structure__region")
            .filter(pk=announcement_id, sent_at__isnull=True)
            .first()
        )
        if announcement is None:  # sent already (by another worker), or deleted
            return 0, True
        # People who join while it is being sent are told if their pk is past the marker; the
        # audience is read at each batch, so someone who left meanwhile is not.
        people = list(
            announcement_audience(announcement.structure, announcement.audience)
            .filter(pk__gt=announcement.sent_through_user_id)
            .order_by("pk")
            .only("pk", "email", "first_name", "last_name", "language")[:BATCH_SIZE]
        )
        if people:
            _tell(announcement, people)
            announcement.sent_through_user_id = people[-1].pk
            announcement.recipient_count += len(people)
        finished = len(people) < BATCH_SIZE  # nobody after these: no empty batch needed
        if finished:
            announcement.sent_at = timezone.now()
        announcement.save(update_fields=["sent_through_user_id", "recipient_count", "sent_at"])
        return len(people), finished


def announcement_path(announcement: Announcement) -> str:
    return reverse(
        "communities:announcement_detail",
        kwargs={"pk": announcement.structure_id, "announcement_pk": announcement.pk},
    )


def _tell(announcement: Announcement, people: Sequence[User]) -> None:
    structure = announcement.structure
    path = announcement_path(announcement)
    with translation.override(settings.LANGUAGE_CODE):  # mails are in Russian (CONVENTIONS)
        subject = _("Объявление: %(title)s") % {"title": announcement.title}
        notify(
            [person.pk for person in people],
            title=subject,
            body=_("%(structure)s: %(text)s")
            % {
                "structure": structure.name,
                "text": Truncator(announcement.text).chars(200),
            },
            url=path,
        )
        context = {
            "announcement": announcement,
            "structure": structure,
            "url": calendar.absolute(path),
            "file_url": calendar.absolute(
                reverse(
                    "communities:announcement_file",
                    kwargs={"pk": structure.pk, "announcement_pk": announcement.pk},
                )
            )
            if announcement.file
            else "",
            "file_name": PurePath(announcement.file.name).name if announcement.file else "",
            "event": announcement.event,
            "event_when": event_invitations.event_when(announcement.event)
            if announcement.event
            else "",
            "event_url": calendar.event_url(announcement.event) if announcement.event else "",
        }
        messages = []
        for person in people:
            if not person.email:
                continue
            context["person"] = person
            with in_language_of(person):  # the notices above are for everyone at once
                message = message_for(
                    person,
                    kind=MessageKind.ANNOUNCEMENTS,
                    subject=_("Объявление: %(title)s") % {"title": announcement.title},
                    text=render_to_string(
                        "communities/announcements/email/announcement.txt", context
                    ),
                    html=render_to_string(
                        "communities/announcements/email/announcement.html", context
                    ),
                    url=path,
                    notice=False,
                )
            if message is not None:
                messages.append(message)
    if messages:
        # One connection for the batch: the outbox writes its rows in the caller's transaction.
        get_connection().send_messages(messages)


def announcements_due(*, older_than: dt.timedelta = dt.timedelta(minutes=2)) -> list[int]:
    """Announcements still unsent a while after posting (the broker was down, the page's sending
    failed, or a worker died half-way: the sweep goes on from the marker): the beat's sweep."""
    return list(
        Announcement.objects.filter(
            sent_at__isnull=True, created_at__lte=timezone.now() - older_than
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:50]
    )
