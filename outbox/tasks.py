"""The worker's side of the outbox: thin tasks, safe to run twice (the claim is the row)."""

from celery import shared_task

from . import services


@shared_task
def send_outbound(mail_id: int) -> bool:
    return services.outbound_send(mail_id=mail_id)


@shared_task
def send_outbound_batch(mail_ids: list[int]) -> int:
    """A batch of mails over one connection to the mail server (outbox.services.outbound_queue)."""
    return services.outbound_send_batch(ids=list(mail_ids), limit=len(mail_ids)).sent


@shared_task
def outbox_sweep() -> int:
    return services.outbox_sweep()


@shared_task
def worker_heartbeat() -> None:
    services.heartbeat_beat()
