"""Every region's mentoring limits (MentoringSettings), kept in the shared cache (issue 19).

The table has a row per region at most and changes a few times a year, when a region's
coordinator sets the limits; yet the home pages of coordinators, curators and methodists and every
pair page read it. So it is read once and kept under one key in the cache every process shares
(Redis in production), and forgotten when a row is written: `MentoringSettings.save()` and
`.delete()` forget it at once and again once their transaction commits, so that another process
cannot keep the old rows it read between the write and the commit; bulk writers (the scale
generator) call `forget()`.

A write the model does not see (an UPDATE through a queryset, SQL by hand) is shown after
`SECONDS` at the latest. The cache failing never fails a page: a read that fails is a miss (the
database answers), a `forget()` that fails is logged, and the old limits last `SECONDS` at most.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

KEY = "mentoring:settings-by-region:v1"
SECONDS = 600


def by_region(load: Callable[[], dict[int, Any]]) -> dict[int, Any]:
    """The cached rows by region id, or `load()`'s, which are then kept."""
    try:
        found = cache.get(KEY)
    except Exception:
        logger.exception("Mentoring limits: the cache did not answer; the database does")
        return load()
    if found is None:
        found = load()
        try:
            cache.set(KEY, found, SECONDS)
        except Exception:
            logger.exception("Mentoring limits: the cache did not keep them")
    return found


def _delete() -> None:
    try:
        cache.delete(KEY)
    except Exception:
        logger.exception("Mentoring limits: the cache did not forget them (%s s at most)", SECONDS)


def forget(using: str | None = None) -> None:
    """After a write to the table: at once (this process's next read, inside the transaction
    too, sees the write) and again once the transaction commits (another process may have read
    the old rows and kept them in between)."""
    _delete()
    transaction.on_commit(_delete, using=using)
