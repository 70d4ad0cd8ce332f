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
    """Claims what is due and hands the pending deliveries to the workers in batches
    (reminders.DELIVERY_BATCH rows a task), after the claim commits."""
    now = timezone.now()
    with transaction.atomic():
        reminders.sweep(clock=reminders.Clock(now=now), send=False)
        due = reminders.deliveries_due(now)
        size = reminders.DELIVERY_BATCH
        batches = [due[start : start + size] for start in range(0, len(due), size)]
        transaction.on_commit(lambda: [send_deliveries.delay(batch) for batch in batches])
    return len(due)


@shared_task
def send_deliveries(delivery_ids: list[int]) -> int:
    """A batch of pending reminders in one transaction; how many went out."""
    return len(reminders.deliveries_send(ids=list(delivery_ids)))


@shared_task
def send_delivery(delivery_id: int) -> bool:
    """One reminder (tasks queued before the batches, and by hand)."""
    return reminders.delivery_send(delivery_id=delivery_id)


@shared_task
def notification_digests() -> int:
    """The daily and weekly digests due now (issue 17), handed to the workers in batches of
    people (notification_centre.DIGEST_BATCH); each message is claimed once."""
    people = notification_centre.digests_due_people()
    size = notification_centre.DIGEST_BATCH
    for start in range(0, len(people), size):
        send_digests.delay(people[start : start + size])
    return len(people)


@shared_task
def send_digests(user_ids: list[int]) -> int:
    """The digests of a batch of people; how many mails were written."""
    return notification_centre.digests_send_batch(user_ids=list(user_ids))
