"""The territory's nearest deadlines of the home block «Отчётность территории», kept in the shared
cache (issue 19, networks.kept).

Every home page of a territory's methodists and coordinators shows the same figures: how many of
the territory's structures handed in each of the nearest deadlines, late or not at all. Counting
them took one query whose state expression (summaries.selectors.with_state) cost the ORM ≈ 8 ms to
build and compile, more than the database took to run it (≈ 2 ms). So the groups are kept under
the territories, the school year and the day they were counted for, and counted again after:

- a save or delete of a report, a deadline, a deadline rule, a plan, a plan's step or a
  structure (reporting.apps watches them);
- the writers that bypass the models, which call `changed()`: creating the year's deadlines
  (reminders.rule_instantiate, bulk), marking a deadline delivered (reminders.
  deadline_mark_delivered, an UPDATE), the deadline rules' service (moves pending deadlines by an
  UPDATE), and the scale generator.

A report handed in anywhere makes every territory count again on its next home page.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from networks import kept
from networks.coverage import Territory

KEPT = kept.Kept("reporting:nearest-deadlines")
changed = KEPT.changed


def groups(
    territories: Iterable[Territory],
    year: int,
    today: dt.date,
    load: Callable[[], Any],
) -> Any:
    """The kept groups of these territories (the person's roles), or `load()`'s, which are then
    kept."""
    return KEPT.get((year, today.isoformat(), kept.territories(territories)), load)


def watch() -> None:
    """The models whose every save and delete changes the groups (reporting.apps)."""
    from communities.models import Plan, PlanStep
    from networks.models import Structure

    from ..models import Deadline, DeadlineRule, Report

    KEPT.watch(Report, Deadline, DeadlineRule, Plan, PlanStep, Structure)
