"""Reads of structures' reports that the report pages, the structure panel and the home blocks
share. Each runs a fixed number of queries, whatever the number of deadlines or reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from networks import hooks
from networks.coverage import covered_by
from networks.models import Membership, Structure, TerritoryRole, User
from networks.permissions import MANAGING_ROLES, territory_roles
from networks.schoolyear import SchoolYear
from networks.selectors import through

from ..models import Deadline, DeadlineRule, Deliverable, Report
from ..permissions import REPORT_DECIDING_ROLES

LIST_LIMIT = 10

STATUS_LABELS = {
    "accepted": _("принят"),
    "submitted": _("сдан"),
    "late": _("сдан с опозданием"),
    "returned": _("возвращён на доработку"),
    "draft": _("черновик"),
    "due": _("не сдан"),
    "missing": _("не сдан, срок истёк"),
}
STATUS_BADGES = {
    "accepted": "text-bg-success",
    "submitted": "text-bg-primary",
    "late": "text-bg-warning",
    "returned": "text-bg-warning",
    "draft": "text-bg-secondary",
    "due": "text-bg-light border",
    "missing": "text-bg-danger",
}


@dataclass
class ReportRow:
    """A report deadline of a structure (or a report without one) and where the report stands."""

    deadline: Deadline | None
    report: Report | None
    school_year: int
    today: dt.date

    @property
    def title(self) -> str:
        return self.deadline.rule.title if self.deadline else self.report.title

    @property
    def structure(self) -> Structure:
        return self.deadline.structure if self.deadline else self.report.structure

    @property
    def due_on(self) -> dt.date | None:
        return self.deadline.due_on if self.deadline else None

    @property
    def status(self) -> str:
        report = self.report
        if report is not None and report.status == Report.Status.ACCEPTED:
            return "accepted"
        if report is not None and report.status == Report.Status.SUBMITTED:
            return "late" if report.is_late else "submitted"
        if report is not None and report.status == Report.Status.RETURNED:
            return "returned"
        if self.due_on is not None and self.today > self.due_on:
            return "missing"
        return "draft" if report is not None else "due"

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.status]

    @property
    def is_late(self) -> bool:
        return self.report is not None and self.report.is_late


def _report_deadlines() -> QuerySet[Deadline]:
    return Deadline.objects.filter(rule__deliverable=Deliverable.REPORT).select_related(
        "rule", "report"
    )


def has_loose_reports(user) -> Exists:
    """A structure figure (networks.hooks): the structure has a report without a deadline."""
    return Exists(Report.objects.filter(structure=OuterRef("pk"), deadline__isnull=True))


def structure_report_rows(
    structure: Structure, *, today: dt.date, year: SchoolYear | None = None
) -> list[ReportRow]:
    """The structure's report deadlines with their reports, and its reports without a deadline;
    of one school year or of all, newest year first. Two queries, one when the structure page
    read that it has no report without a deadline (few have one)."""
    deadlines = _report_deadlines().filter(structure=structure)
    loose = Report.objects.filter(structure=structure, deadline__isnull=True)
    if hooks.structure_figure(structure, "loose_reports") is False:
        loose = Report.objects.none()
    if year is not None:
        deadlines = deadlines.filter(school_year=year.start)
        loose = loose.filter(school_year=year.start)
    rows = [
        ReportRow(d, getattr(d, "report", None), d.school_year, today)
        for d in deadlines.order_by("-school_year", "due_on", "pk")
    ]
    for row in rows:
        if row.report is not None:
            row.report.deadline = row.deadline  # is_late reads it; already loaded
    rows += [ReportRow(None, r, r.school_year, today) for r in loose]
    rows.sort(key=lambda r: (-r.school_year, r.due_on or dt.date.max))
    return rows


# --- Across structures, for the home page -----------------------------------------------------


def _delivers(user: User) -> Exists:
    """The person holds, in the deadline's structure, the role its rule names as deliverer."""
    return Exists(
        Membership.objects.filter(
            user=user,
            until__isnull=True,
            structure=OuterRef("structure"),
            role=OuterRef("rule__deliverer_role"),
        )
    )


def _runs(user: User) -> Exists:
    """The person runs the report's structure (or its parent)."""
    mine = Membership.objects.filter(user=user, until__isnull=True, role__in=MANAGING_ROLES)
    return Exists(mine.filter(structure=OuterRef("structure"))) | Exists(
        mine.filter(structure=OuterRef("structure__parent"))
    )


OPEN = [Report.Status.DRAFT, Report.Status.RETURNED]


def reports_to_write(
    user: User, *, today: dt.date, runs_some: bool = True, delivers: bool = True
) -> list[ReportRow]:
    """Report deadlines the person delivers (their role is the rule's deliverer) that are not
    handed in (no report, a draft) or came back returned: overdue up to a year, or due by the end
    of this school year, in open structures. Then reports without a deadline, not handed in, of
    structures they run. Two queries. Those who run a structure without delivering its report
    are reminded when it is overdue (reporting.reminders), not here. `runs_some` False (the
    caller knows the person holds no managing role now, or that no structure they run has such a
    report: the home's flag from runs_loose_report()): no loose reports, one query.
    `delivers` False (the caller knows no current role of the person is any report rule's
    deliverer, delivers_some_report()): no deadlines asked."""
    rows: list[ReportRow] = []
    if delivers:
        rows = _deadlines_to_write(user, today)
    if not runs_some:
        return rows
    loose = (
        Report.objects.filter(_runs(user), deadline__isnull=True, status__in=OPEN)
        .select_related("structure")
        .order_by("-school_year", "structure__name")
    )
    rows += [ReportRow(None, r, r.school_year, today) for r in loose[: LIST_LIMIT + 1]]
    return rows


def runs_loose_report(user: User) -> Exists:
    """Whether a structure the person runs has a report without a deadline that is not handed in
    (the second list of reports_to_write()). Such a report is started by hand for a year that
    has no report deadline, so it is rare: a flag of the home page (issue 19) spares the query
    on every other home."""
    return Exists(Report.objects.filter(_runs(user), deadline__isnull=True, status__in=OPEN))


def delivers_some_report(user: User) -> Exists:
    """Whether a current role of the person is the deliverer of any report rule (whatever its
    region, kind or state): without one, reports_to_write() has no deadline to find. A flag of
    the home page (networks.hooks.register_home_flag)."""
    roles = DeadlineRule.objects.filter(deliverable=Deliverable.REPORT).values("deliverer_role")
    return Exists(Membership.objects.filter(user=user, until__isnull=True, role__in=roles))


def _deadlines_to_write(user: User, today: dt.date) -> list[ReportRow]:
    deadlines = (
        _report_deadlines()
        .filter(
            Q(report__isnull=True) | Q(report__status__in=OPEN),
            _delivers(user),
            structure__closed_on__isnull=True,
            due_on__gte=today - dt.timedelta(days=365),
            due_on__lte=max(today + dt.timedelta(days=60), SchoolYear.of(today).last_day),
        )
        .select_related("structure")
        .order_by("due_on", "structure__name", "pk")
    )
    return [
        ReportRow(d, getattr(d, "report", None), d.school_year, today)
        for d in deadlines[: LIST_LIMIT + 1]
    ]


def _deciding(user: User):
    return Membership.objects.filter(
        user=user, until__isnull=True, role__in=REPORT_DECIDING_ROLES
    ).values("structure_id")


def _decided_structures(user: User, deciding=None) -> Q | None:
    coordinated = covered_by(
        [r for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR]
    )
    condition = Q(pk__in=_deciding(user) if deciding is None else deciding)
    if coordinated is not None:
        condition |= coordinated
    return condition


def reports_to_decide(
    user: User, *, deciding: list[int] | None = None, outside: list[int] | None = None
) -> QuerySet[Report]:
    """Submitted reports the person accepts or returns, oldest first; never their own.
    `deciding`: the structures of the person's current deciding memberships when the caller has
    read them (the home page): ids rather than a subquery OR-ed with the region. `outside`: those
    of them the person's coordinated territories do not cover (HomeViewer.structure_ids), for
    the structures' own reports; their subcommunities' reports are asked for by `deciding`."""
    parent_decided = _deciding(user) if deciding is None else deciding
    reports = Report.objects.filter(status=Report.Status.SUBMITTED)
    if not user.is_superuser:
        condition = through(_decided_structures(user, deciding if outside is None else outside))
        if not isinstance(parent_decided, list) or parent_decided:
            # The subcommunities as a set of ids on the report's own column: an OR with the
            # parent on the joined structure row made PostgreSQL merge-join every structure of
            # the country (14 → 2–5 ms on a curator's home, issue 19).
            children = Structure.objects.filter(parent_id__in=parent_decided).values("pk")
            condition |= Q(structure_id__in=children)
        reports = reports.filter(condition)
    return (
        reports.exclude(author=user)
        .select_related("structure", "deadline")
        .order_by("submitted_at", "pk")
    )


def pair_report_conclusions(pair_ids: list[int], year: SchoolYear) -> dict[int, list[str]]:
    """The curators' conclusions the pairs' own reports of the school year hold (a pair's results
    by 25 December, 001 order p. 2.2: written by its curator), for the curators' year-end report
    (mentoring.curators_report, which registers this source): per pair id, each submitted or
    accepted report's analysis, problems and plans, in the order they were submitted. One query."""
    reports = (
        Report.objects.filter(
            structure_id__in=pair_ids,
            school_year=year.start,
            status__in=(Report.Status.SUBMITTED, Report.Status.ACCEPTED),
        )
        .only("structure_id", "title", "submitted_at", "analysis", "problems", "plans")
        .order_by("submitted_at", "pk")
    )
    found: dict[int, list[str]] = {}
    for report in reports:
        parts = [
            (label, text.strip())
            for label, text in (
                (_("Анализ работы"), report.analysis),
                (_("Проблемы и трудности"), report.problems),
                (_("Планы на следующий учебный год"), report.plans),
            )
            if text.strip()
        ]
        if not parts:
            continue
        submitted = report.submitted_at and timezone.localtime(report.submitted_at)
        lines = found.setdefault(report.structure_id, [])
        lines.append(
            str(_("Из отчёта «%(title)s» от %(date)s:"))
            % {"title": report.title, "date": f"{submitted:%d.%m.%Y}" if submitted else ""}
        )
        lines.extend(f"{label}: {text}" for label, text in parts)
    return found
