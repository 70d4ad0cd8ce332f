"""The e-mail backend the portal sends through: it writes the outbox, the worker delivers."""

from __future__ import annotations

import logging

from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from .queueing import delay_on_commit
from .services import outbound_from_message

log = logging.getLogger(__name__)


class OutboxBackend(BaseEmailBackend):
    """`send_messages()` stores each message as an OutboundMail row in the caller's transaction and
    asks the worker to send it once that commits. The page answers at once and never sees the mail
    server: a dead SMTP server means retries in the worker, a dead broker means the beat's sweep
    sends it later (outbox.services.outbox_sweep). The real backend is OUTBOX_DELIVERY_BACKEND."""

    def send_messages(self, email_messages) -> int:
        from .tasks import send_outbound

        rows = [
            outbound_from_message(message) for message in email_messages if message.recipients()
        ]
        if not rows:
            return 0
        try:
            with transaction.atomic():
                for row in rows:
                    row.save()
        except Exception:
            if not self.fail_silently:
                raise
            log.exception("could not write %d mail(s) to the outbox", len(rows))
            return 0
        for row in rows:
            delay_on_commit(send_outbound, row.pk)
        return len(rows)
