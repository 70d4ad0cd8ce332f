"""Reminders are sent in batches (issue 17 «Scale»): a batch of due rows in one transaction — the
notices, the choices, the mails — each row once; a refused mail waits for its retry while the others
go; two workers given the same rows send each once (PostgreSQL, where the race is real)."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection

from outbox import tasks as outbox_tasks
from outbox.models import OutboundMail
from reporting import reminders
from reporting import tasks as reporting_tasks
from reporting.models import Delivery, DigestItem, Notice, ReminderPreference
from tests.reporting.test_reminders import YEAR, association

UTC = dt.UTC
MOMENT = dt.datetime(2020, 12, 11, 6, 0, tzinfo=UTC)  # 09:00 in Moscow, a step of 25 December


def claimed(heads: int) -> list[int]:
    for n in range(heads):
        email = "refused@x.ru" if n == 0 else f"head{n}@x.ru"
        association(f"Область {n}", "Europe/Moscow", email, f"coord{n}@x.ru")
    reminders.deadlines_instantiate(year=YEAR)
    reminders.sweep(clock=reminders.Clock(now=MOMENT), send=False)
    return reminders.deliveries_due(MOMENT)


@pytest.mark.django_db
def test_a_batch_with_one_refused_mail_sends_the_others_and_retries_that_one(settings):
    settings.EMAIL_BACKEND = "tests.outbox.backends.RefusesOne"
    due = claimed(4)
    assert len(due) == 4

    sent = reminders.deliveries_send(ids=due, now=MOMENT)

    assert sorted(m.to[0] for m in mail.outbox) == ["head1@x.ru", "head2@x.ru", "head3@x.ru"]
    assert len(sent) == 3
    refused = Delivery.objects.get(recipient__email="refused@x.ru")
    assert (refused.status, refused.attempts) == ("pending", 1)
    assert refused.due_at == MOMENT + dt.timedelta(minutes=5)
    assert "SMTPRecipientsRefused" in refused.last_error
    assert Notice.objects.count() == 4  # everyone reads it in the portal at once

    # The next sweep after the backoff sends that one only; its notice is not written twice.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    later = MOMENT + dt.timedelta(minutes=5)
    assert reminders.deliveries_send(ids=due, now=later) == [refused.pk]
    assert len(mail.outbox) == 4
    assert Notice.objects.count() == 4
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.django_db
def test_a_batch_writes_its_mails_into_the_outbox_at_once_and_queues_one_send_task(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "outbox.backends.OutboxBackend"
    settings.SITE_URL = "https://portal.example.ru"
    asked = []
    monkeypatch.setattr(outbox_tasks.send_outbound_batch, "delay", asked.append)
    monkeypatch.setattr(outbox_tasks.send_outbound, "delay", lambda *args: asked.append(args))
    due = claimed(5)
    head = Delivery.objects.get(recipient__email="head1@x.ru").recipient
    ReminderPreference.objects.create(user=head, kind="deadlines", delivery="daily")

    with django_capture_on_commit_callbacks(execute=True):
        sent = reminders.deliveries_send(ids=due, now=MOMENT)

    assert len(sent) == 5
    mails = list(OutboundMail.objects.order_by("pk"))
    assert sorted(m.to[0] for m in mails) == [
        "head2@x.ru",
        "head3@x.ru",
        "head4@x.ru",
        "refused@x.ru",
    ]
    assert asked == [[m.pk for m in mails]]  # one batch task, not a task per mail
    # The person who chose the daily digest gets it there, with the same text.
    item = DigestItem.objects.get()
    assert (item.user, item.kind, item.delivery) == (head, "deadlines", "daily")
    assert "Здравствуйте" in item.text and item.url.startswith("https://portal.example.ru/")
    assert "https://portal.example.ru/" in mails[0].body
    assert mails[0].headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


@pytest.mark.django_db
def test_the_sweep_task_queues_batches_of_due_rows(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(reminders, "DELIVERY_BATCH", 2)
    asked = []
    monkeypatch.setattr(reporting_tasks.send_deliveries, "delay", asked.append)
    due = claimed(5)
    monkeypatch.setattr(reporting_tasks.timezone, "now", lambda: MOMENT)

    with django_capture_on_commit_callbacks(execute=True):
        assert reporting_tasks.reminder_sweep() == 5

    assert asked == [due[:2], due[2:4], due[4:]]
    assert sum(reporting_tasks.send_deliveries(batch) for batch in asked) == 5
    assert sum(reporting_tasks.send_deliveries(batch) for batch in asked) == 0  # redelivered
    assert len(mail.outbox) == 5


@pytest.mark.django_db(transaction=True)
def test_two_workers_given_the_same_batch_send_each_reminder_once():
    if connection.vendor != "postgresql":
        pytest.skip("the race is real on PostgreSQL only (DATABASE_URL); SQLite has one writer")
    due = claimed(6)
    start = threading.Barrier(2)
    errors, sent = [], []

    def worker():
        try:
            start.wait()
            sent.extend(reminders.deliveries_send(ids=due, now=MOMENT))
        except Exception as error:  # reported below; a thread cannot fail the test by itself
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sorted(sent) == sorted(due)
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 6
    assert Notice.objects.count() == 6
    assert set(Delivery.objects.values_list("status", "attempts")) == {("sent", 1)}
