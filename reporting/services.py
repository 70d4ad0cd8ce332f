"""Writes of reporting that are not reminders (those live in reminders.py)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from networks.models import User

from .models import Notice, ReminderPreference


@transaction.atomic
def preferences_save(*, user: User, enabled: dict[str, bool]) -> None:
    for kind, on in enabled.items():
        ReminderPreference.objects.update_or_create(user=user, kind=kind, defaults={"enabled": on})


def notices_mark_read(*, user: User, pk: int | None = None) -> int:
    notices = Notice.objects.filter(user=user, read_at__isnull=True)
    if pk is not None:
        notices = notices.filter(pk=pk)
    return notices.update(read_at=timezone.now())
