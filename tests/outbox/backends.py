"""Mail servers for the outbox's tests: one that is down."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class SmtpDown(BaseEmailBackend):
    """What the SMTP backend does when the server refuses: raises."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPException("421 Service not available")
