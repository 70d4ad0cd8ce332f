"""Every region's mentoring limits (MentoringSettings), kept in the shared cache (issue 19,
networks.kept).

The table has a row per region at most and changes a few times a year, when a region's
coordinator sets the limits; yet the home pages of coordinators, curators and methodists and every
pair page read it. So it is read once and kept in the cache every process shares (Redis in
production). Every save or delete of a row sets a new generation (`watch()`, from the app's
ready(): the coordinator's form and the operators' admin write through the model); bulk writers
(the scale generator) call `forget()`.

A write the model does not see (an UPDATE through a queryset, SQL by hand) is shown after 600 s
at the latest. The cache failing never fails a page: a read that fails is a miss (the database
answers), a `forget()` that fails is logged.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from networks.kept import Kept

KEPT = Kept("mentoring:settings-by-region")


def by_region(load: Callable[[], dict[int, Any]]) -> dict[int, Any]:
    """The kept rows by region id, or `load()`'s, which are then kept."""
    return KEPT.get((), load)


def forget(using: str | None = None) -> None:
    """After a write to the table that bypassed the model."""
    KEPT.changed(using=using)


def watch() -> None:
    from .models import MentoringSettings

    KEPT.watch(MentoringSettings)
