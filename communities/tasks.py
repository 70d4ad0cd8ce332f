"""The worker's side of communities: thin tasks, safe to run twice (the claim is the row)."""

from celery import shared_task

from .services import event_invitations


@shared_task
def send_event_announcement(announcement_id: int) -> int:
    return event_invitations.event_announcement_send(announcement_id=announcement_id)


@shared_task
def event_announcements_sweep() -> int:
    """Announcements whose task never reached the broker (Redis down at the time)."""
    return sum(
        event_invitations.event_announcement_send(announcement_id=pk)
        for pk in event_invitations.event_announcements_due()
    )
