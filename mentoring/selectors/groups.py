"""Reads for online-group statistics (S2, S3): a group's periods, what an import would do, and the
region's groups with their latest figures. Each runs a fixed number of queries."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Count, DateField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from networks.coverage import covered_by
from networks.models import Region, Structure, User
from networks.permissions import territory_roles

from ..group_chart import sparkline
from ..models import GroupStatistics
from ..statistics_import import FIGURES, LineError, StatRow, period_label

__all__ = [
    "ImportPlan",
    "PlannedLine",
    "group_statistics_list",
    "overlapping_statistics",
    "recent_group_statistics",
    "regions_with_groups",
    "statistics_import_plan",
    "territory_groups",
]

CREATE, UPDATE, SAME = "create", "update", "same"


def group_statistics_list(structure: Structure) -> QuerySet[GroupStatistics]:
    """Every period of the group, oldest first, as the chart and the table read them."""
    return structure.group_statistics.select_related("entered_by").order_by(
        "period_start", "period_end"
    )


def recent_group_statistics(structure: Structure, limit: int = 12) -> list[GroupStatistics]:
    """The last `limit` periods, oldest first (one query): the panel's figures and sparkline."""
    recent = list(structure.group_statistics.order_by("-period_start", "-period_end")[:limit])
    return recent[::-1]


def overlapping_statistics(
    structure: Structure, start: dt.date, end: dt.date, *, exclude_pk: int | None = None
) -> GroupStatistics | None:
    """A stored period of the group that shares at least one day with start–end."""
    rows = structure.group_statistics.filter(period_start__lte=end, period_end__gte=start)
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return rows.order_by("period_start").first()


# --- What an import would do --------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedLine:
    row: StatRow
    action: str  # CREATE, UPDATE or SAME
    existing: GroupStatistics | None = None

    @property
    def period(self) -> str:
        return period_label(*self.row.period)


@dataclass
class ImportPlan:
    lines: list[PlannedLine] = field(default_factory=list)
    conflicts: list[LineError] = field(default_factory=list)

    def _count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)

    @property
    def to_create(self) -> int:
        return self._count(CREATE)

    @property
    def to_update(self) -> int:
        return self._count(UPDATE)

    @property
    def unchanged(self) -> int:
        return self._count(SAME)

    @property
    def changes(self) -> int:
        return self.to_create + self.to_update


def statistics_import_plan(structure: Structure, rows: Sequence[StatRow]) -> ImportPlan:
    """Each good line of a file against the group's stored periods (one query): a new period is
    created, the same period with other figures is updated, the same figures are left alone, and a
    period that overlaps a different stored one is refused with the stored period named."""
    stored = list(structure.group_statistics.order_by("period_start", "period_end"))
    by_period = {(s.period_start, s.period_end): s for s in stored}
    starts = [s.period_start for s in stored]
    plan = ImportPlan()
    for row in rows:
        existing = by_period.get(row.period)
        if existing is not None:
            same = row.figures == (
                existing.visitors,
                existing.views,
                existing.actions,
                existing.feedback,
            )
            plan.lines.append(PlannedLine(row, SAME if same else UPDATE, existing))
            continue
        if other := _overlapping(stored, starts, row):
            plan.conflicts.append(
                LineError(
                    row.line,
                    _("период %(period)s пересекается с уже внесённым периодом %(other)s")
                    % {
                        "period": period_label(*row.period),
                        "other": period_label(other.period_start, other.period_end),
                    },
                )
            )
            continue
        plan.lines.append(PlannedLine(row, CREATE))
    return plan


def _overlapping(stored, starts, row: StatRow) -> GroupStatistics | None:
    # Stored periods do not overlap each other (the services see to it), so only the neighbours
    # of the new period's place in start order can overlap it.
    at = bisect.bisect_left(starts, row.period_start)
    for other in stored[max(at - 1, 0) : at + 1]:
        if other.period_start <= row.period_end and row.period_start <= other.period_end:
            return other
    return None


# --- The territory's groups ---------------------------------------------------------------------


def _groups() -> QuerySet[Structure]:
    return Structure.objects.filter(kind__has_online_platform=True)


# How many of a group's latest periods the overview's trend shows (issue 20).
TREND_PERIODS = 12


def territory_groups(user: User, region: Region) -> list[Structure]:
    """The region's online groups the person's territory roles cover (all of them for a
    superuser), each with `recent` (its last TREND_PERIODS periods, oldest first), `latest` and
    `previous` of them, `period_count`, and `sparkline`, the points of its visitors' trend: two
    queries (and the territory roles, cached per person)."""
    groups = _groups().filter(region=region)
    if not user.is_superuser:
        condition = covered_by([r for r in territory_roles(user) if r.region_id == region.pk])
        if condition is None:
            return []
        groups = groups.filter(condition)
    groups = list(
        groups.select_related("kind", "municipality", "parent")
        .annotate(period_count=Count("group_statistics", distinct=True))
        .order_by("kind__code", "name")
    )
    recent: dict[int, list[GroupStatistics]] = {g.pk: [] for g in groups}
    if groups:
        # Each group's last TREND_PERIODS periods in one query: those starting no earlier than
        # its TREND_PERIODS-th latest start (stored periods never overlap, so starts differ).
        nth_latest = (
            GroupStatistics.objects.filter(structure=OuterRef("structure"))
            .order_by("-period_start", "-period_end")
            .values("period_start")[TREND_PERIODS - 1 : TREND_PERIODS]
        )
        rows = (
            GroupStatistics.objects.filter(structure__in=list(recent))
            .filter(
                period_start__gte=Coalesce(
                    Subquery(nth_latest), Value(dt.date(1, 1, 1)), output_field=DateField()
                )
            )
            .order_by("period_start", "period_end")
        )
        for row in rows:
            recent[row.structure_id].append(row)
    for group in groups:
        group.recent = recent[group.pk]
        group.latest = group.recent[-1] if group.recent else None
        group.previous = group.recent[-2] if len(group.recent) > 1 else None
        # (latest, previous or None) for each of the four figures, as the overview shows them.
        group.figures = (
            [
                (getattr(group.latest, f), getattr(group.previous, f) if group.previous else None)
                for f in FIGURES
            ]
            if group.latest
            else []
        )
        group.visitors = [s.visitors for s in group.recent]
        group.sparkline = sparkline(group.visitors)
    return groups


def regions_with_groups(user: User) -> list[Region]:
    """Regions whose groups overview the person may open, for the home page (one query)."""
    roles = territory_roles(user)
    if not user.is_superuser and all(hasattr(r, "region_has_groups") for r in roles):
        # The home page read the roles with their regions and whether each has groups
        # (networks.hooks.home_viewer): no query.
        regions = {r.region_id: r.region for r in roles if r.region_has_groups}
        return sorted(regions.values(), key=lambda r: (r.name, r.pk))
    regions = Region.objects.filter(structures__kind__has_online_platform=True)
    if not user.is_superuser:
        regions = regions.filter(pk__in={r.region_id for r in roles})
    return list(regions.distinct().order_by("name"))
