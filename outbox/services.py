"""The outbox's writes: a message stored, claimed, sent through the real backend, retried; the
worker's heartbeat."""

from __future__ import annotations

import base64
import datetime as dt
import logging
from email.mime.base import MIMEBase

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.db.models import F
from django.utils import timezone

from .models import OutboundMail, WorkerHeartbeat

log = logging.getLogger(__name__)

WORKER = "worker"
# A worker that claimed a row and died keeps it this long before the sweep queues it again.
SENDING_LEASE = dt.timedelta(minutes=10)
SWEEP_BATCH = 200


def max_attempts() -> int:
    return settings.OUTBOX_MAX_ATTEMPTS


# --- A message as a row and back ----------------------------------------------------------------


def _attachment(item) -> dict:
    if isinstance(item, MIMEBase):
        filename = item.get_filename() or ""
        mimetype = item.get_content_type()
        content = item.get_payload(decode=True) or b""
    else:
        filename, content, mimetype = item
    if isinstance(content, str):
        return {"filename": filename, "mimetype": mimetype, "content": content, "encoding": "text"}
    return {
        "filename": filename,
        "mimetype": mimetype,
        "content": base64.b64encode(content).decode("ascii"),
        "encoding": "base64",
    }


def outbound_from_message(message: EmailMessage) -> OutboundMail:
    """An unsaved row holding everything the message says (text, HTML, files, headers)."""
    return OutboundMail(
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        to=list(message.to),
        cc=list(message.cc),
        bcc=list(message.bcc),
        reply_to=list(message.reply_to),
        subject=str(message.subject),
        body=str(message.body),
        content_subtype=message.content_subtype,
        alternatives=[
            {"content": str(content), "mimetype": mimetype}
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        attachments=[_attachment(item) for item in message.attachments],
        headers={str(k): str(v) for k, v in message.extra_headers.items()},
    )


def outbound_to_message(mail: OutboundMail, connection=None) -> EmailMultiAlternatives:
    """The message again, ready for the real backend."""
    message = EmailMultiAlternatives(
        subject=mail.subject,
        body=mail.body,
        from_email=mail.from_email,
        to=mail.to,
        bcc=mail.bcc,
        connection=connection,
        headers=mail.headers,
        cc=mail.cc,
        reply_to=mail.reply_to,
    )
    message.content_subtype = mail.content_subtype
    for alternative in mail.alternatives:
        message.attach_alternative(alternative["content"], alternative["mimetype"])
    for item in mail.attachments:
        content = item["content"]
        if item["encoding"] == "base64":
            content = base64.b64decode(content)
        message.attach(item["filename"] or None, content, item["mimetype"])
    return message


# --- Sending --------------------------------------------------------------------------------------


def _backoff(attempts: int) -> dt.timedelta:
    """1, 2, 4, 8… minutes (settings.OUTBOX_RETRY_SECONDS doubled per attempt), at most 6 hours."""
    seconds = settings.OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return dt.timedelta(seconds=min(seconds, 6 * 60 * 60))


def outbound_send(*, mail_id: int, now: dt.datetime | None = None) -> bool:
    """Sends one queued mail if this caller claims it; True when it went out.

    The claim is a conditional UPDATE (queued → sending where status = 'queued'), so a task
    delivered twice, the sweep and a second worker send it once. A failure of the mail server
    puts it back in the queue after a backoff; after OUTBOX_MAX_ATTEMPTS it is failed."""
    now = now or timezone.now()
    taken = OutboundMail.objects.filter(
        pk=mail_id, status=OutboundMail.Status.QUEUED, next_attempt_at__lte=now
    ).update(
        status=OutboundMail.Status.SENDING,
        attempts=F("attempts") + 1,
        next_attempt_at=now + SENDING_LEASE,
    )
    if not taken:
        return False
    mail = OutboundMail.objects.get(pk=mail_id)
    try:
        connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False)
        outbound_to_message(mail, connection=connection).send()
    except Exception as error:  # any failure of the mail server or of the message: retry later
        _failed(mail, error, now)
        return False
    OutboundMail.objects.filter(pk=mail_id, status=OutboundMail.Status.SENDING).update(
        status=OutboundMail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return True


def _failed(mail: OutboundMail, error: Exception, now: dt.datetime) -> None:
    log.warning("mail %s to %s failed (attempt %s): %s", mail.pk, mail.to, mail.attempts, error)
    if mail.attempts >= max_attempts():
        status, next_attempt_at = OutboundMail.Status.FAILED, now
    else:
        status, next_attempt_at = OutboundMail.Status.QUEUED, now + _backoff(mail.attempts)
    OutboundMail.objects.filter(pk=mail.pk, status=OutboundMail.Status.SENDING).update(
        status=status,
        next_attempt_at=next_attempt_at,
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )


def outbox_due(now: dt.datetime) -> list[int]:
    """Ids of the mail due now, oldest first (a batch)."""
    return list(
        OutboundMail.objects.filter(status=OutboundMail.Status.QUEUED, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )


def outbox_sweep(*, now: dt.datetime | None = None) -> int:
    """What the beat runs every minute: rows whose sender died go back to the queue, then every
    due mail is sent (each claimed as above). Catches the mail whose task never reached the broker
    (Redis down at the time) and the retries. Returns how many went out."""
    now = now or timezone.now()
    OutboundMail.objects.filter(
        status=OutboundMail.Status.SENDING, next_attempt_at__lte=now
    ).update(status=OutboundMail.Status.QUEUED)
    return sum(outbound_send(mail_id=pk, now=now) for pk in outbox_due(now))


# --- The worker's heartbeat -----------------------------------------------------------------------


def heartbeat_beat(*, now: dt.datetime | None = None) -> None:
    WorkerHeartbeat.objects.update_or_create(
        name=WORKER, defaults={"beat_at": now or timezone.now()}
    )


def heartbeat_age(*, now: dt.datetime | None = None) -> dt.timedelta | None:
    """How long ago the worker last beat; None when it never has."""
    beat_at = WorkerHeartbeat.objects.filter(name=WORKER).values_list("beat_at", flat=True).first()
    if beat_at is None:
        return None
    return (now or timezone.now()) - beat_at
