"""Thin Celery tasks: each calls a service. Safe to run twice (the Delivery rows are the claim)."""

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from networks.schoolyear import SchoolYear

from . import notification_centre, reminders
from .summaries.tasks import summary_export  # noqa: F401 — registers the summaries' export task


@shared_task
def instantiate_deadlines() -> int:
    return reminders.deadlines_instantiate(year=SchoolYear.current())


@shared_task
def reminder_sweep() -> int:
    """Claims what is due and hands each pending delivery to a worker, after the claim commits."""
    now = timezone.now()
    with transaction.atomic():
        reminders.sweep(clock=reminders.Clock(now=now), send=False)
        due = reminders.deliveries_due(now)
        transaction.on_commit(lambda: [send_delivery.delay(pk) for pk in due])
    return len(due)


@shared_task
def send_delivery(delivery_id: int) -> bool:
    return reminders.delivery_send(delivery_id=delivery_id)


@shared_task
def notification_digests() -> int:
    """The daily and weekly digests due now (issue 17); each message claimed once."""
    return notification_centre.digests_send()
