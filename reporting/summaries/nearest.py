"""The territory's nearest deadlines of the home block «Отчётность территории», kept in the shared
cache (issue 19).

Every home page of a territory's methodists and coordinators shows the same figures: how many of
the territory's structures handed in each of the nearest deadlines, late or not at all. Counting
them took one query whose state expression (summaries.selectors.with_state) cost the ORM ≈ 8 ms to
build and compile, more than the database took to run it (≈ 2 ms). So the groups are kept in the
cache every process shares (Redis in production) under the territories, the school year and the
day they were counted for, and a GENERATION that every write to what they count changes:

- a save or delete of a report, a deadline, a deadline rule, a plan, a plan's step or a
  structure (reporting.apps connects the signals: every service writes these through the models);
- the writers that bypass the models call `changed()` themselves: creating the year's deadlines
  (reminders.rule_instantiate, bulk), marking a deadline delivered (reminders.
  deadline_mark_delivered, an UPDATE), the deadline rule's service (deletes and moves pending
  deadlines), and the scale generator.

One generation for the whole country: a report handed in anywhere makes every territory count
again on its next home page. Those writes are a few a minute on the busiest days, while the homes
are read many times more often; a generation per region would need the region of each row
written, a query on every write. `changed()` sets a new generation at once and again once the
transaction commits, so that another process cannot keep, under the new generation, figures it
counted between the write and the commit (as mentoring.limits does).

A write nobody reports (SQL by hand) shows after `SECONDS` at the latest, and the next day always.
The cache failing never fails a page: a read that fails counts (the database answers), a
`changed()` that fails is logged.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

GENERATION = "reporting:deadline-states:generation"
PREFIX = "reporting:nearest-deadlines:v1"
SECONDS = 600


def key(
    territories: Iterable[tuple[int, int | None]], year: int, today: dt.date, generation
) -> str:
    where = ",".join(
        f"{region}.{municipality or 0}"
        for region, municipality in sorted(set(territories), key=lambda t: (t[0], t[1] or 0))
    )
    return f"{PREFIX}:{generation}:{year}:{today.isoformat()}:{where}"


def groups(
    territories: Iterable[tuple[int, int | None]],
    year: int,
    today: dt.date,
    load: Callable[[], Any],
) -> Any:
    """The kept groups of these (region id, municipality id or None) territories, or `load()`'s,
    which are then kept."""
    territories = list(territories)
    try:
        generation = cache.get(GENERATION, 0)
        found = cache.get(key(territories, year, today, generation))
    except Exception:
        logger.exception("Nearest deadlines: the cache did not answer; the database does")
        return load()
    if found is None:
        found = load()
        try:
            cache.set(key(territories, year, today, generation), found, SECONDS)
        except Exception:
            logger.exception("Nearest deadlines: the cache did not keep them")
    return found


def _new_generation() -> None:
    try:
        # A new value, never an increment: a generation that was evicted and comes back as 0
        # must not meet figures kept under an older 0. No timeout: it outlives every entry.
        cache.set(GENERATION, uuid.uuid4().hex, None)
    except Exception:
        logger.exception(
            "Nearest deadlines: the cache kept the old generation (%s s at most)", SECONDS
        )


def changed(using: str | None = None) -> None:
    """After a write to what the groups count: at once (this process's next read, inside the
    transaction too, counts again) and again once the transaction commits."""
    _new_generation()
    transaction.on_commit(_new_generation, using=using)


def on_write(sender, instance=None, using=None, **kwargs) -> None:
    """The receiver of post_save and post_delete (reporting.apps)."""
    changed(using=using)
