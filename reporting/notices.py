"""Notices that the apps below reporting ask for (networks.hooks.notify), written as Notice rows."""

from __future__ import annotations

from collections.abc import Sequence

from .models import Notice


def notices_create(user_ids: Sequence[int], *, title: str, body: str, url: str = "") -> None:
    """One unread notice per person, in one INSERT, in the caller's transaction."""
    Notice.objects.bulk_create(
        [
            Notice(user_id=pk, title=title[:300], body=body, url=url[:500])
            for pk in sorted(set(user_ids))
        ],
        batch_size=1000,
    )
