"""The worker's side of communities: thin tasks, safe to run twice or at once. Announcements are
sent in batches, each committed with its progress marker on the locked row: a retry, a second
worker or the sweep goes on from the marker and tells nobody twice."""

from celery import shared_task

from .services import announcements, event_invitations


@shared_task
def send_event_announcement(announcement_id: int) -> int:
    return event_invitations.event_announcement_send(announcement_id=announcement_id)


@shared_task
def event_announcements_sweep() -> int:
    """Announcements whose task never reached the broker (Redis down at the time) or whose worker
    died half-way: each goes on from its marker."""
    return sum(
        event_invitations.event_announcement_send(announcement_id=pk)
        for pk in event_invitations.event_announcements_due()
    )


@shared_task
def send_announcement(announcement_id: int) -> int:
    """A structure's announcement to a long list (issue 17): every notice and mail, once, in
    batches committed one by one."""
    return announcements.announcement_send(announcement_id=announcement_id)


@shared_task
def announcements_sweep() -> int:
    """Announcements still unsent: the broker was down when they were posted, sending failed, or
    a worker died half-way (the sweep goes on from the marker)."""
    return sum(
        announcements.announcement_send(announcement_id=pk)
        for pk in announcements.announcements_due()
    )
