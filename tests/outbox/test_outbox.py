"""The mail outbox: a page that sends mail answers at once whatever the mail server and the broker
do, the mail is written in the page's transaction, and the worker sends each mail exactly once."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.mail import EmailMultiAlternatives, send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from communities.models import Invitation
from networks.models import Role
from outbox import services, tasks
from outbox.models import OutboundMail
from tests.factories import MembershipFactory, StructureFactory, UserFactory, kind

from .conftest import LOCMEM

pytestmark = pytest.mark.django_db

LATER = dt.timedelta(hours=7)  # past any backoff


@pytest.fixture
def council_chair():
    council = StructureFactory(kind=kind("S2"), name="Консультационный совет «РОСТ»")
    chair = MembershipFactory(structure=council, role=Role.CHAIR).user
    return council, chair


def invite(client, council):
    return client.post(
        reverse("communities:invite", args=[council.pk]),
        {"invite-email": "novyi@school.example", "invite-role": Role.MEMBER},
    )


def test_inviting_while_smtp_is_down_answers_at_once_and_the_sweep_sends_the_letter_once(
    client, council_chair, smtp_down, worker, django_capture_on_commit_callbacks
):
    council, chair = council_chair
    client.force_login(chair)

    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, council)

    assert response.status_code == 302
    assert response["Location"] == reverse("communities:members", args=[council.pk])
    assert Invitation.objects.count() == 1
    letter = OutboundMail.objects.get()
    assert worker == [letter.pk], "the worker was asked once the invitation committed"
    assert (letter.status, letter.attempts) == ("queued", 1)
    assert "SMTPException" in letter.last_error and letter.next_attempt_at > timezone.now()
    assert letter.to == ["novyi@school.example"] and mail.outbox == []

    # The person presses the button again: the same invitation, no second letter.
    with django_capture_on_commit_callbacks(execute=True):
        again = invite(client, council)
    assert again.status_code == 302
    assert Invitation.objects.count() == 1 and OutboundMail.objects.count() == 1

    # The server is back: the beat's sweep sends the letter, once.
    smtp_down.OUTBOX_DELIVERY_BACKEND = LOCMEM
    later = timezone.now() + LATER
    assert services.outbox_sweep(now=later) == 1
    assert services.outbox_sweep(now=later) == 0
    [sent] = mail.outbox
    assert sent.to == ["novyi@school.example"] and "/invitations/" in sent.body
    letter.refresh_from_db()
    assert (letter.status, letter.attempts, letter.last_error) == ("sent", 2, "")
    assert letter.sent_at is not None


def test_two_workers_claiming_the_same_mail_send_it_once(outbox_on, monkeypatch):
    send_mail("Тема", "Текст", None, ["a@school.example"])
    letter = OutboundMail.objects.get()
    from django.core.mail.backends.locmem import EmailBackend

    second = []
    deliver = EmailBackend.send_messages

    def slow_server(self, messages):
        # While the first worker is talking to the server, a second one gets the same task.
        second.append(services.outbound_send(mail_id=letter.pk))
        return deliver(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", slow_server)
    assert tasks.send_outbound(letter.pk) is True
    assert second == [False]
    assert tasks.send_outbound(letter.pk) is False  # a redelivered task
    assert len(mail.outbox) == 1
    assert OutboundMail.objects.get().status == "sent"


def test_password_reset_while_smtp_is_down_answers_normally(
    client, smtp_down, worker, django_capture_on_commit_callbacks
):
    UserFactory(email="director@school.example")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_reset_password"), {"email": "director@school.example"}
        )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")
    letter = OutboundMail.objects.get()
    assert letter.status == "queued" and "/accounts/password/reset/key/" in letter.body


def test_with_the_broker_down_the_write_commits_and_the_sweep_sends_the_mail(
    outbox_on, monkeypatch, django_capture_on_commit_callbacks, caplog
):
    def broker_down(*args):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.send_outbound, "delay", broker_down)
    caplog.set_level(logging.WARNING, logger="outbox")
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        sent = send_mail("Тема", "Текст", None, ["a@school.example"])

    assert sent == 1
    assert OutboundMail.objects.get().status == "queued"
    assert "could not queue outbox.tasks.send_outbound" in caplog.text
    assert services.outbox_sweep() == 1
    assert [m.to for m in mail.outbox] == [["a@school.example"]]


def test_a_write_that_rolls_back_takes_its_mail_with_it(outbox_on):
    with pytest.raises(RuntimeError), transaction.atomic():
        send_mail("Тема", "Текст", None, ["a@school.example"])
        raise RuntimeError("the write failed after the mail")
    assert not OutboundMail.objects.exists()


def test_attachments_html_and_headers_survive_the_round_trip(outbox_on):
    message = EmailMultiAlternatives(
        subject="Протокол заседания",
        body="Текст письма",
        from_email="Портал <noreply@portal.example>",
        to=["a@school.example"],
        cc=["b@school.example"],
        bcc=["c@school.example"],
        reply_to=["chair@school.example"],
        headers={"X-Portal-Topic": "minutes-7"},
    )
    message.attach_alternative("<p>Текст <b>письма</b></p>", "text/html")
    pdf = b"%PDF-1.4\x00\xff\xfe binary"
    message.attach("Протокол.pdf", pdf, "application/pdf")
    message.attach("список.csv", "ФИО;Школа\nИванова;№ 5\n", "text/csv")
    message.send()

    assert services.outbox_sweep() == 1
    [sent] = mail.outbox
    assert (sent.subject, sent.body, sent.from_email) == (
        "Протокол заседания",
        "Текст письма",
        "Портал <noreply@portal.example>",
    )
    assert (sent.to, sent.cc, sent.bcc, sent.reply_to) == (
        ["a@school.example"],
        ["b@school.example"],
        ["c@school.example"],
        ["chair@school.example"],
    )
    assert sent.extra_headers == {"X-Portal-Topic": "minutes-7"}
    assert [tuple(a) for a in sent.alternatives] == [("<p>Текст <b>письма</b></p>", "text/html")]
    assert [tuple(a) for a in sent.attachments] == [
        ("Протокол.pdf", pdf, "application/pdf"),
        ("список.csv", "ФИО;Школа\nИванова;№ 5\n", "text/csv"),
    ]
    # And it still renders as one MIME message.
    assert b"Content-Type: multipart/mixed" in sent.message().as_bytes()


def test_retries_back_off_and_give_up_after_the_last_attempt(smtp_down):
    smtp_down.OUTBOX_MAX_ATTEMPTS = 3
    smtp_down.OUTBOX_RETRY_SECONDS = 60
    send_mail("Тема", "Текст", None, ["a@school.example"])
    now = timezone.now()
    assert services.outbox_sweep(now=now) == 0
    letter = OutboundMail.objects.get()
    assert letter.next_attempt_at == now + dt.timedelta(minutes=1)
    assert services.outbox_sweep(now=now + dt.timedelta(seconds=30)) == 0
    assert OutboundMail.objects.get().attempts == 1, "not before its time"
    now += dt.timedelta(minutes=1)
    services.outbox_sweep(now=now)
    assert OutboundMail.objects.get().next_attempt_at == now + dt.timedelta(minutes=2)
    now += dt.timedelta(minutes=2)
    services.outbox_sweep(now=now)
    letter.refresh_from_db()
    assert (letter.status, letter.attempts) == ("failed", 3)
    assert services.outbox_sweep(now=now + LATER) == 0


def test_a_mail_whose_worker_died_while_sending_is_queued_again_after_the_lease(outbox_on):
    send_mail("Тема", "Текст", None, ["a@school.example"])
    now = timezone.now()
    OutboundMail.objects.update(status="sending", next_attempt_at=now + services.SENDING_LEASE)
    assert services.outbox_sweep(now=now) == 0, "still someone's"
    assert services.outbox_sweep(now=now + services.SENDING_LEASE) == 1
    assert len(mail.outbox) == 1


def test_the_suite_keeps_locmem_and_production_writes_the_outbox():
    from django.conf import settings

    assert settings.EMAIL_BACKEND == LOCMEM
    assert settings.CELERY_BEAT_SCHEDULE["outbox-sweep"] == {
        "task": "outbox.tasks.outbox_sweep",
        "schedule": 60,
    }
