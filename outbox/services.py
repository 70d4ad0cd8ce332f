"""The outbox's writes: a message stored, claimed, sent through the real backend, retried; the
worker's heartbeat."""

from __future__ import annotations

import base64
import datetime as dt
import logging
import re
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from email.mime.base import MIMEBase
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.core.mail.message import sanitize_address
from django.db import connection as db_connection
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import smtp
from .copying import copy_insert
from .mime import outbound_bytes
from .models import OutboundMail, WorkerHeartbeat
from .queueing import delay_on_commit

log = logging.getLogger(__name__)

WORKER = "worker"
# A worker that claimed a row and died keeps it this long before the sweep queues it again.
SENDING_LEASE = dt.timedelta(minutes=10)
SWEEP_BATCH = 200
# Mails one task claims and sends over one connection to the mail server (docs/PERFORMANCE.md).
SEND_BATCH = 200
# A sweep sends at most this many batches (the next minute's sweep goes on).
SWEEP_BATCHES = 50


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


def _mail_fields(message: EmailMessage) -> dict:
    """Everything the message says (text, HTML, files, headers), as an outbox row's fields."""
    return {
        "from_email": message.from_email or settings.DEFAULT_FROM_EMAIL,
        "to": list(message.to),
        "cc": list(message.cc),
        "bcc": list(message.bcc),
        "reply_to": list(message.reply_to),
        "subject": str(message.subject),
        "body": str(message.body),
        "content_subtype": message.content_subtype,
        "alternatives": [
            {"content": str(content), "mimetype": mimetype}
            for content, mimetype in getattr(message, "alternatives", [])
        ],
        "attachments": [_attachment(item) for item in message.attachments],
        "headers": {str(k): str(v) for k, v in message.extra_headers.items()},
    }


def outbound_from_message(message: EmailMessage) -> OutboundMail:
    """An unsaved row holding everything the message says (text, HTML, files, headers)."""
    return OutboundMail(**_mail_fields(message))


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
    """What the beat runs every minute: rows whose sender died go back to the queue, then the due
    mail is sent in batches (each batch claimed as below, over one connection). Catches the mail
    whose task never reached the broker (Redis down at the time) and the retries. Returns how many
    went out."""
    now = now or timezone.now()
    OutboundMail.objects.filter(
        status=OutboundMail.Status.SENDING, next_attempt_at__lte=now
    ).update(status=OutboundMail.Status.QUEUED)
    sent = 0
    for _ in range(SWEEP_BATCHES):
        batch = outbound_send_batch(now=now)
        sent += batch.sent
        if batch.claimed < SEND_BATCH:
            break
    return sent


# --- Sending in batches ---------------------------------------------------------------------------


def outbound_queue(messages) -> list[int]:
    """Many messages into the outbox at once (one INSERT per thousand), in the caller's
    transaction; once it commits, one `send_outbound_batch` task per SEND_BATCH of them. The bulk
    senders (reminders, digests) use it; a page's few mails go through OutboxBackend."""
    from .tasks import send_outbound_batch

    fields = [_mail_fields(message) for message in messages if message.recipients()]
    if not fields:
        return []
    if db_connection.vendor == "postgresql":
        ids = copy_insert(OutboundMail, fields)  # no model instances, no client-side quoting
    else:
        rows = [OutboundMail(**one) for one in fields]
        OutboundMail.objects.bulk_create(rows, batch_size=1000)
        ids = [row.pk for row in rows]
    if None in ids:  # a backend that returns no keys from bulk_create: the sweep sends them
        return []
    for start in range(0, len(ids), SEND_BATCH):
        delay_on_commit(send_outbound_batch, ids[start : start + SEND_BATCH])
    return ids


def outbound_claim(
    *, now: dt.datetime, limit: int = SEND_BATCH, ids: list[int] | None = None
) -> list[OutboundMail]:
    """Takes up to `limit` due mails (of `ids`, when given) for this caller: queued → sending, in
    one short transaction. On PostgreSQL the rows are read FOR UPDATE SKIP LOCKED, so two workers
    never take the same row (the second skips what the first has locked, and a row is locked until
    it says «sending»); SQLite has one writer at a time, and the read and the UPDATE are one
    transaction."""
    with transaction.atomic():
        due = OutboundMail.objects.filter(
            status=OutboundMail.Status.QUEUED, next_attempt_at__lte=now
        )
        if ids is not None:
            due = due.filter(pk__in=ids)
        rows = list(
            due.select_for_update(skip_locked=True).order_by("next_attempt_at", "pk")[:limit]
        )
        if not rows:
            return []
        lease = now + SENDING_LEASE
        OutboundMail.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=OutboundMail.Status.SENDING, attempts=F("attempts") + 1, next_attempt_at=lease
        )
    for row in rows:
        row.status, row.attempts, row.next_attempt_at = (
            OutboundMail.Status.SENDING,
            row.attempts + 1,
            lease,
        )
    return rows


@contextmanager
def _commits_without_waiting_for_the_disk():
    """PostgreSQL answers the «sent» marks of a batch without waiting for its WAL to reach the
    disk (synchronous_commit off for this connection, for the batch only). A worker killed after a
    mark still has it (the server holds it); only a crash of the database server itself could
    lose the last fraction of a second of marks, and those mails would go out again."""
    postgres = db_connection.vendor == "postgresql" and not db_connection.in_atomic_block
    if postgres:
        with db_connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    try:
        yield
    finally:
        if postgres:
            with db_connection.cursor() as cursor:
                cursor.execute("RESET synchronous_commit")


@dataclass
class Batch:
    """What one batch did: mails claimed, sent, and refused (queued again or failed)."""

    claimed: int = 0
    sent: int = 0
    failed: int = 0


def outbound_send_batch(
    *, ids: list[int] | None = None, limit: int = SEND_BATCH, now: dt.datetime | None = None
) -> Batch:
    """Claims a batch of due mail (of `ids`, when given) and sends it over ONE connection to the
    mail server, marking each mail sent as soon as the server took it (so a worker that dies in
    the middle leaves only unsent mail to send again, after the lease — at most the one mail in
    flight twice). A mail the server refuses goes back to the queue with its backoff (failed after
    OUTBOX_MAX_ATTEMPTS); the others are sent. A connection the server broke is opened again for
    the next mail."""
    now = now or timezone.now()
    rows = outbound_claim(now=now, limit=limit, ids=ids)
    batch = Batch(claimed=len(rows))
    if not rows:
        return batch
    # «Sent» by the primary key alone. With «AND status = 'sending'» PostgreSQL could take the due
    # index (status, …) for it — statistics gathered while every mail was queued call «sending»
    # rare — and scan every row in flight for each mark: 263 s of its CPU in a national sweep.
    # The mail went out, so it is marked sent even if a lease ran out and it was queued again.
    table = OutboundMail._meta.db_table
    mark = f"UPDATE {table} SET status = %s, sent_at = %s, last_error = '' WHERE id = %s"
    server = None
    with _commits_without_waiting_for_the_disk():
        try:
            for mail in rows:
                try:
                    if server is None:
                        server = get_connection(
                            settings.OUTBOX_DELIVERY_BACKEND, fail_silently=False
                        )
                        server.open()
                    _deliver_row(server, mail)
                except Exception as error:  # the server refused or broke: this one later
                    _failed(mail, error, now)
                    batch.failed += 1
                    server = _closed(server)
                    continue
                with db_connection.cursor() as cursor:
                    cursor.execute(
                        mark,
                        [OutboundMail.Status.SENT, timezone.now(), mail.pk],
                    )
                batch.sent += 1
        finally:
            _closed(server)
    return batch


# An address the envelope can carry as it is: ASCII, no display name (every generated address).
PLAIN_ADDRESS = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+")


@lru_cache(maxsize=4096)
def _envelope_address(address: str, encoding: str) -> str:
    if PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, encoding)


def _deliver_row(server, mail: OutboundMail) -> None:
    """Sends one outbox row over `server`. To an SMTP server, the message's bytes come from the
    outbox's own writer (outbox/mime.py: a tenth of the `email` package's cost) where it takes
    the message; otherwise Django builds the message as for any backend."""
    if type(server) is SmtpBackend:
        data = outbound_bytes(mail)
        if data is not None:
            recipients = [address for address in (*mail.to, *mail.cc, *mail.bcc) if address]
            if not recipients:
                return
            encoding = settings.DEFAULT_CHARSET
            smtp.sendmail(
                server.connection,
                _envelope_address(mail.from_email or settings.DEFAULT_FROM_EMAIL, encoding),
                [_envelope_address(address, encoding) for address in recipients],
                data,
            )
            return
    _deliver(server, outbound_to_message(mail, connection=server))


def _deliver(server, message: EmailMessage) -> None:
    """`server.send_messages([message])`; for Django's SMTP backend, the same steps as its `_send`
    with less work per mail (a batch sends thousands): the envelope's plain addresses are not
    parsed again (the From and To headers still are, by `message()`), and the multipart boundary
    is set before the message is written (the generator otherwise compiles a regular expression
    for each boundary it invents)."""
    if type(server) is not SmtpBackend:
        server.send_messages([message])
        return
    recipients = message.recipients()
    if not recipients:
        return
    encoding = message.encoding or settings.DEFAULT_CHARSET
    mime = message.message()
    if mime.is_multipart():
        for part in mime.walk():
            if part.is_multipart():
                part.set_boundary(f"==portal-{uuid.uuid4().hex}")
    smtp.sendmail(
        server.connection,
        _envelope_address(message.from_email, encoding),
        [_envelope_address(address, encoding) for address in recipients],
        mime.as_bytes(linesep="\r\n"),
    )


def _closed(server) -> None:
    if server is not None:
        try:
            server.close()
        except Exception:  # a connection the server already dropped
            log.debug("closing the mail connection failed", exc_info=True)
    return None


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
