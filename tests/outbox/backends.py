"""Mail servers for the outbox's tests: one that is down, one that refuses, one that looks."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class SmtpDown(BaseEmailBackend):
    """What the SMTP backend does when the server refuses: raises."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("421 Service not available")


class RefusesOne(BaseEmailBackend):
    """A mail server that refuses addresses beginning with «refused» and takes the rest (into
    django.core.mail.outbox, as locmem does); counts the connections opened."""

    opened = 0

    def open(self):
        type(self).opened += 1
        return True

    def send_messages(self, email_messages):
        from django.core import mail

        for message in email_messages:
            refused = [to for to in message.to if to.startswith("refused")]
            if refused:
                raise smtplib.SMTPRecipientsRefused(dict.fromkeys(refused, (550, b"No such user")))
            mail.outbox.append(message)
        return len(email_messages)


class SeesTheMarks(BaseEmailBackend):
    """Takes every mail (into django.core.mail.outbox) and, before each, notes how many mails the
    outbox has marked sent so far: what a worker killed at that moment would leave unmarked."""

    marked_before: list[int] = []

    def send_messages(self, email_messages):
        from django.core import mail

        from outbox.models import OutboundMail

        for message in email_messages:
            type(self).marked_before.append(
                OutboundMail.objects.filter(status=OutboundMail.Status.SENT).count()
            )
            mail.outbox.append(message)
        return len(email_messages)
