"""Mail servers for the outbox's tests: one that is down."""

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
