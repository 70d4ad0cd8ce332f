"""Coordinators edit deadline rules in the admin (issue 7: «editable by coordinators»); a reminder
stuck «sending» after a crashed worker is put back in the queue by hand, never a sent one."""

import datetime as dt

import pytest
from django.urls import reverse

from reporting.models import DeadlineRule, Delivery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def test_deadline_rules_from_the_orders_are_listed_and_editable(admin_client):
    html = admin_client.get(reverse("admin:reporting_deadlinerule_changelist")).content.decode()
    assert "Анализ работы межшкольного объединения за учебный год" in html
    rule = DeadlineRule.objects.get(rule_ref="R-TUL-A4-4.6")
    page = admin_client.get(reverse("admin:reporting_deadlinerule_change", args=[rule.pk]))
    assert page.status_code == 200


def test_requeue_puts_back_stuck_and_failed_reminders_but_not_sent_ones(admin_client):
    person = UserFactory()
    common = {
        "recipient": person,
        "subject": "Срок",
        "body": "…",
        "due_at": dt.datetime(2020, 12, 11, 6, tzinfo=dt.UTC),
        "local_date": dt.date(2020, 12, 11),
    }
    stuck = Delivery.objects.create(topic="t", step="d14", status="sending", attempts=1, **common)
    failed = Delivery.objects.create(topic="t", step="d7", status="failed", attempts=5, **common)
    sent = Delivery.objects.create(topic="t", step="d1", status="sent", attempts=1, **common)
    admin_client.post(
        reverse("admin:reporting_delivery_changelist"),
        {"action": "requeue", "_selected_action": [stuck.pk, failed.pk, sent.pk]},
    )
    statuses = dict(Delivery.objects.values_list("step", "status"))
    assert statuses == {"d14": "pending", "d7": "pending", "d1": "sent"}
