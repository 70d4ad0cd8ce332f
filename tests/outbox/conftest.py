import pytest

from outbox import tasks

DOWN = "tests.outbox.backends.SmtpDown"
LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def outbox_on(settings):
    """Production's mail path: the pages write the outbox, the worker delivers through
    OUTBOX_DELIVERY_BACKEND (locmem here, so mail.outbox is what the server received)."""
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.OUTBOX_DELIVERY_BACKEND = LOCMEM
    return settings


@pytest.fixture
def smtp_down(outbox_on):
    outbox_on.OUTBOX_DELIVERY_BACKEND = DOWN
    return outbox_on


@pytest.fixture
def worker(monkeypatch):
    """A worker that runs each queued task at once, as the broker hands it over."""
    ran = []

    def run(mail_id):
        ran.append(mail_id)
        return tasks.send_outbound(mail_id)

    monkeypatch.setattr(tasks.send_outbound, "delay", run)
    return ran
