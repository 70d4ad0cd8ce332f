"""The outbox: one row per e-mail the portal sends, and the worker's heartbeat."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundMail(models.Model):
    """A serialized EmailMessage waiting for, or done with, delivery.

    Written by outbox.backends.OutboxBackend in the caller's transaction: a write that rolls back
    takes its mail with it, a write that commits always has it. The worker claims a queued row
    with a conditional UPDATE (queued → sending), so a retried task or a second worker sends
    nothing twice; a failure goes back to queued with an exponential backoff (next_attempt_at)
    and becomes failed after settings.OUTBOX_MAX_ATTEMPTS."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("В очереди")
        SENDING = "sending", _("Отправляется")
        SENT = "sent", _("Отправлено")
        FAILED = "failed", _("Не отправлено")

    from_email = models.CharField(_("отправитель"), max_length=500, blank=True)
    to = models.JSONField(_("кому"), default=list, blank=True)
    cc = models.JSONField(_("копия"), default=list, blank=True)
    bcc = models.JSONField(_("скрытая копия"), default=list, blank=True)
    reply_to = models.JSONField(_("ответить на"), default=list, blank=True)
    subject = models.TextField(_("тема"), blank=True)
    body = models.TextField(_("текст"), blank=True)
    # "plain", or "html" for a message whose body itself is HTML.
    content_subtype = models.CharField(max_length=20, default="plain")
    # Alternatives of the body (the HTML version): [{"content": …, "mimetype": "text/html"}].
    alternatives = models.JSONField(_("варианты текста"), default=list, blank=True)
    # [{"filename": …, "mimetype": …, "content": …, "encoding": "text" | "base64"}]
    attachments = models.JSONField(_("вложения"), default=list, blank=True)
    headers = models.JSONField(_("заголовки"), default=dict, blank=True)
    created_at = models.DateTimeField(_("создано"), default=timezone.now)
    status = models.CharField(
        _("состояние"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("попыток"), default=0)
    last_error = models.TextField(_("последняя ошибка"), blank=True)
    # Queued: not before this moment. Sending: the claim's lease; a worker that died while sending
    # leaves the row, and the sweep puts it back in the queue once the lease is over.
    next_attempt_at = models.DateTimeField(_("следующая попытка"), default=timezone.now)
    sent_at = models.DateTimeField(_("отправлено"), null=True, blank=True)

    class Meta:
        verbose_name = _("исходящее письмо")
        verbose_name_plural = _("исходящие письма")
        ordering = ["-created_at"]
        indexes = [
            # The claim reads the due mails in this order and stops at its batch: no sort, even
            # when a bulk insert gave thousands of mails one and the same moment.
            models.Index(fields=["status", "next_attempt_at", "id"], name="outbox_due_order")
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.to)}"


class WorkerHeartbeat(models.Model):
    """The last moment the Celery worker ran the beat's heartbeat task (every minute).

    A row in the database rather than a cache key: the embedded default caches in each process's
    memory (the web would never see the worker's key), and a restarted Redis would make a live
    worker look dead. One heartbeat proves beat, broker and worker together."""

    name = models.CharField(max_length=50, primary_key=True)
    beat_at = models.DateTimeField()

    class Meta:
        verbose_name = _("пульс обработчика очереди")
        verbose_name_plural = _("пульс обработчика очереди")

    def __str__(self) -> str:
        return f"{self.name}: {self.beat_at:%Y-%m-%d %H:%M:%S}"
