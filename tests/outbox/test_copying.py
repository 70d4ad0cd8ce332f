"""Rows written with PostgreSQL's COPY (outbox/copying.py, issue 17 «Scale») are the rows
bulk_create would write: ids in order from the table's sequence, defaults and auto_now_add
filled, JSON stored as JSON, text as it is (tabs, line breaks, backslashes, quotes)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.utils import timezone

from outbox.copying import copy_insert
from outbox.models import OutboundMail
from reporting.models import Delivery, Notice
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's (DATABASE_URL)"
    ),
]

AWKWARD = "Строка\tс табуляцией\nи переводом \\N \\\\ «кавычки» \"и\" 'апостроф'"


def test_rows_get_their_ids_in_order_and_what_they_say():
    before = OutboundMail.objects.create(subject="до").pk

    ids = copy_insert(
        OutboundMail,
        [
            {"to": ["a@example.ru"], "subject": AWKWARD, "headers": {"X-A": "1"}},
            {"to": ["b@example.ru", "c@example.ru"], "subject": "", "body": AWKWARD},
        ],
    )

    assert len(ids) == 2 and before < ids[0] < ids[1]
    first, second = (OutboundMail.objects.get(pk=pk) for pk in ids)
    assert (first.to, first.subject, first.headers) == (["a@example.ru"], AWKWARD, {"X-A": "1"})
    assert (second.to, second.body, second.alternatives) == (
        ["b@example.ru", "c@example.ru"],
        AWKWARD,
        [],
    )
    # Defaults of the model: queued, no attempts, created and due now.
    assert first.status == OutboundMail.Status.QUEUED and first.attempts == 0
    assert first.created_at is not None and first.next_attempt_at is not None
    assert OutboundMail.objects.create(subject="после").pk > ids[1]


def test_auto_now_add_is_filled():
    user = UserFactory()

    (pk,) = copy_insert(Notice, [{"user_id": user.pk, "title": "Т", "body": AWKWARD}])

    notice = Notice.objects.get(pk=pk)
    assert notice.created_at is not None and notice.body == AWKWARD and notice.read_at is None


def test_nothing_to_write_writes_nothing():
    assert copy_insert(OutboundMail, []) == []


def test_ignoring_conflicts_leaves_out_the_rows_a_unique_constraint_refuses():
    person = UserFactory()

    def claim(*topics):
        return [
            {
                "topic": topic,
                "step": "d1",
                "recipient_id": person.pk,
                "subject": "Тема",
                "body": "Текст",
                "due_at": timezone.now(),
                "local_date": dt.date(2026, 12, 7),
            }
            for topic in topics
        ]

    with transaction.atomic():  # twice in one transaction: the scratch table is emptied between
        copy_insert(Delivery, claim("event:1", "event:2"), ignore_conflicts=True)
        copy_insert(Delivery, claim("event:2", "event:3"), ignore_conflicts=True)
    copy_insert(Delivery, claim("event:3", "event:4"), ignore_conflicts=True)

    topics = sorted(Delivery.objects.values_list("topic", flat=True))
    assert topics == ["event:1", "event:2", "event:3", "event:4"]
