"""The outbox sends in batches (issue 17 «Scale»): a batch is claimed at once and goes over one
connection to the mail server; a refused mail waits for its retry while the others go; two workers
never take the same mail."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connection, transaction
from django.utils import timezone

from outbox import services
from outbox.models import OutboundMail

from .backends import RefusesOne, SeesTheMarks
from .conftest import LOCMEM

LATER = dt.timedelta(hours=7)  # past any backoff
REFUSES_ONE = "tests.outbox.backends.RefusesOne"


def queued(*addresses: str) -> list[int]:
    """Mails written to the outbox as the bulk senders write them (one INSERT)."""
    return services.outbound_queue(
        [EmailMessage("Напоминание", "Текст", None, [address]) for address in addresses]
    )


@pytest.mark.django_db
def test_a_batch_with_one_refused_mail_sends_the_others_and_retries_that_one(outbox_on):
    outbox_on.OUTBOX_DELIVERY_BACKEND = REFUSES_ONE
    RefusesOne.opened = 0
    ids = queued("a@school.example", "refused@school.example", "b@school.example")

    batch = services.outbound_send_batch(ids=ids, limit=len(ids))

    assert (batch.claimed, batch.sent, batch.failed) == (3, 2, 1)
    assert sorted(m.to[0] for m in mail.outbox) == ["a@school.example", "b@school.example"]
    refused = OutboundMail.objects.get(to=["refused@school.example"])
    assert (refused.status, refused.attempts) == ("queued", 1)
    assert "SMTPRecipientsRefused" in refused.last_error
    assert refused.next_attempt_at > timezone.now()
    assert OutboundMail.objects.filter(status="sent").count() == 2
    # Opened for the batch, and once more after the refusal for the mail after it.
    assert RefusesOne.opened == 2

    # The address is fixed on the server's side: the sweep sends that one, and only that one.
    outbox_on.OUTBOX_DELIVERY_BACKEND = LOCMEM
    assert services.outbox_sweep(now=timezone.now() + LATER) == 1
    assert sorted(m.to[0] for m in mail.outbox) == [
        "a@school.example",
        "b@school.example",
        "refused@school.example",
    ]
    assert services.outbox_sweep(now=timezone.now() + LATER) == 0


@pytest.mark.django_db
def test_a_batch_goes_over_one_connection_to_the_mail_server(outbox_on):
    outbox_on.OUTBOX_DELIVERY_BACKEND = REFUSES_ONE
    RefusesOne.opened = 0
    queued(*(f"teacher{n}@school.example" for n in range(12)))

    assert services.outbox_sweep() == 12

    assert RefusesOne.opened == 1
    assert len(mail.outbox) == 12
    assert set(OutboundMail.objects.values_list("status", "attempts")) == {("sent", 1)}


@pytest.mark.django_db
def test_each_mail_is_marked_sent_before_the_next_one_goes(outbox_on):
    """A worker killed in the middle of a batch sends again at most the one mail in flight."""
    outbox_on.OUTBOX_DELIVERY_BACKEND = "tests.outbox.backends.SeesTheMarks"
    SeesTheMarks.marked_before = []
    ids = queued(*(f"teacher{n}@school.example" for n in range(25)))

    batch = services.outbound_send_batch(ids=ids, limit=len(ids))

    assert SeesTheMarks.marked_before == list(range(25))
    assert (batch.sent, len(mail.outbox)) == (25, 25)


@pytest.mark.django_db
def test_bulk_mail_queues_one_send_task_per_batch(
    outbox_on, monkeypatch, django_capture_on_commit_callbacks
):
    from outbox import tasks

    monkeypatch.setattr(services, "SEND_BATCH", 5)
    asked = []
    monkeypatch.setattr(tasks.send_outbound_batch, "delay", asked.append)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        ids = queued(*(f"teacher{n}@school.example" for n in range(12)))

    assert asked == [ids[:5], ids[5:10], ids[10:]]
    assert tasks.send_outbound_batch(asked[0]) == 5
    assert tasks.send_outbound_batch(asked[0]) == 0  # a redelivered task sends nothing again
    assert len(mail.outbox) == 5


@pytest.mark.django_db(transaction=True)
def test_a_second_worker_skips_the_mails_another_worker_has_locked(outbox_on):
    if connection.vendor != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite has one writer at a time (DATABASE_URL)")
    ids = queued(*(f"teacher{n}@school.example" for n in range(10)))
    locked, release, done = threading.Event(), threading.Event(), []

    def first_worker():
        # The first worker is in the middle of claiming the first four mails.
        try:
            with transaction.atomic():
                list(OutboundMail.objects.select_for_update().filter(pk__in=ids[:4]))
                locked.set()
                release.wait(30)
            done.append(True)
        finally:
            connection.close()

    thread = threading.Thread(target=first_worker)
    thread.start()
    try:
        assert locked.wait(30)
        batch = services.outbound_send_batch(limit=10)  # does not wait for the first worker
    finally:
        release.set()
        thread.join(30)

    assert done == [True]
    assert (batch.claimed, batch.sent) == (6, 6)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        f"teacher{n}@school.example" for n in range(4, 10)
    )
    assert services.outbound_send_batch(limit=10).sent == 4  # the rest, once released
    assert len(mail.outbox) == 10


@pytest.mark.django_db(transaction=True)
def test_two_workers_sending_batches_at_once_send_each_mail_once(outbox_on):
    if connection.vendor != "postgresql":
        pytest.skip("the race is real on PostgreSQL only (DATABASE_URL); SQLite has one writer")
    queued(*(f"teacher{n}@school.example" for n in range(60)))
    start = threading.Barrier(2)
    errors, sent = [], []

    def worker():
        try:
            start.wait()
            while (batch := services.outbound_send_batch(limit=7)).claimed:
                sent.append(batch.sent)
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
    assert sum(sent) == 60
    addresses = [m.to[0] for m in mail.outbox]
    assert len(addresses) == len(set(addresses)) == 60
    assert set(OutboundMail.objects.values_list("status", "attempts")) == {("sent", 1)}
