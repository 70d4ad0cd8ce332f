"""Writes for online-group statistics (S2, S3): a period entered by hand, changed, or imported from
a statistics export (R-TUL-A1-5.3, R-TUL-A2-3.1.4).

Access is checked by the views (mentoring.permissions.group_for); these functions hold the rules:
only groups on an online platform, no new figures for a closed group, one row per period and no
two periods of a group sharing a day. Each runs in one transaction with the group's row locked, so
that two people entering the same month at once, or a file confirmed twice, cannot double a
period; the person who acted is recorded on the row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks import figures
from networks.models import Structure, User
from networks.services import refuse_if_closed

from ..models import GroupStatistics
from ..selectors.groups import CREATE, UPDATE, overlapping_statistics, statistics_import_plan
from ..statistics_import import StatRow, period_label

__all__ = [
    "ImportOutcome",
    "group_statistics_add",
    "group_statistics_change",
    "group_statistics_import",
]


def _lock_group(structure: Structure) -> None:
    """Refuses what is not an online group or is closed, and serialises writes to its figures."""
    if not structure.kind.has_online_platform:
        raise ValidationError(
            _("Статистику посещений ведут только группы, работающие на онлайн-площадке.")
        )
    refuse_if_closed(structure)
    list(Structure.objects.select_for_update().filter(pk=structure.pk).values_list("pk"))


def _check_period(
    structure: Structure, start: dt.date, end: dt.date, *, exclude_pk: int | None = None
) -> None:
    if end < start:
        raise ValidationError({"period_end": _("Конец периода раньше его начала.")})
    other = overlapping_statistics(structure, start, end, exclude_pk=exclude_pk)
    if other is not None:
        raise ValidationError(
            {
                "period_start": _(
                    "Период пересекается с уже внесённым периодом %(period)s. Измените данные "
                    "за тот период или выберите другие даты."
                )
                % {"period": period_label(other.period_start, other.period_end)}
            }
        )


@transaction.atomic
def group_statistics_add(
    *,
    structure: Structure,
    period_start: dt.date,
    period_end: dt.date,
    visitors: int,
    views: int,
    actions: int,
    feedback: int,
    by: User,
) -> GroupStatistics:
    _lock_group(structure)
    _check_period(structure, period_start, period_end)
    statistics = GroupStatistics(
        structure=structure,
        period_start=period_start,
        period_end=period_end,
        visitors=visitors,
        views=views,
        actions=actions,
        feedback=feedback,
        source=GroupStatistics.Source.MANUAL,
        entered_by=by,
    )
    statistics.full_clean()
    statistics.save()
    figures.structure_changed(structure, period_start)
    return statistics


@transaction.atomic
def group_statistics_change(
    *,
    statistics: GroupStatistics,
    period_start: dt.date,
    period_end: dt.date,
    visitors: int,
    views: int,
    actions: int,
    feedback: int,
    by: User,
) -> GroupStatistics:
    structure = statistics.structure
    _lock_group(structure)
    _check_period(structure, period_start, period_end, exclude_pk=statistics.pk)
    statistics_before_start = statistics.period_start
    statistics.period_start, statistics.period_end = period_start, period_end
    statistics.visitors, statistics.views = visitors, views
    statistics.actions, statistics.feedback = actions, feedback
    statistics.source = GroupStatistics.Source.MANUAL
    statistics.entered_by = by
    statistics.full_clean()
    statistics.save()
    figures.structure_changed(structure, period_start, statistics_before_start)
    return statistics


@dataclass(frozen=True)
class ImportOutcome:
    created: int
    updated: int
    unchanged: int
    skipped: int  # lines whose period now overlaps a stored one


@transaction.atomic
def group_statistics_import(
    *, structure: Structure, rows: Sequence[StatRow], by: User
) -> ImportOutcome:
    """Upserts the good lines of a file by period. The plan is made again under the lock, from the
    database as it is now: a file confirmed twice finds its periods stored with the same figures
    and changes nothing, and a line whose period someone entered differently meanwhile is skipped.
    """
    _lock_group(structure)
    plan = statistics_import_plan(structure, rows)
    now = timezone.now()
    created: list[GroupStatistics] = []
    updated: list[GroupStatistics] = []
    for line in plan.lines:
        row = line.row
        if line.action == CREATE:
            statistics = GroupStatistics(structure=structure)
            created.append(statistics)
        elif line.action == UPDATE:
            statistics = line.existing
            updated.append(statistics)
        else:
            continue
        statistics.period_start, statistics.period_end = row.period
        statistics.visitors, statistics.views, statistics.actions, statistics.feedback = row.figures
        statistics.source = GroupStatistics.Source.IMPORT
        statistics.entered_by = by
        statistics.entered_at = now
        # Uniqueness and overlaps were settled by the plan under the lock; asking the database
        # again for each of up to 5,000 rows would only repeat it.
        statistics.full_clean(validate_unique=False, validate_constraints=False)
    GroupStatistics.objects.bulk_create(created, batch_size=500)
    GroupStatistics.objects.bulk_update(
        updated,
        ["visitors", "views", "actions", "feedback", "source", "entered_by", "entered_at"],
        batch_size=500,
    )
    figures.structure_changed(structure, *(s.period_start for s in created + updated))
    return ImportOutcome(
        created=len(created),
        updated=len(updated),
        unchanged=plan.unchanged,
        skipped=len(plan.conflicts),
    )
