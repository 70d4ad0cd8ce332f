"""The reports panel of a structure page and the home blocks «Отчёты к сдаче» and «Отчёты,
ожидающие принятия» (networks.hooks). Each runs a fixed number of queries, whatever the data."""

from __future__ import annotations

from django.utils import timezone

from networks import hooks
from networks.permissions import MANAGING_ROLES, default_year_read
from networks.schoolyear import SchoolYear

from .. import permissions
from . import selectors

LIST_LIMIT = selectors.LIST_LIMIT


def reports_panel(request, structure):
    """This school year's report deadlines of the structure and where each report stands."""
    access = structure.access
    if not permissions.can_read_reports(access, structure):
        return None
    year = default_year_read(structure, SchoolYear.parse(request.GET.get("year")))
    rows = selectors.structure_report_rows(structure, today=timezone.localdate(), year=year)
    return {
        "template": "reporting/reports/panel.html",
        "order": 60,
        "structure": structure,
        "year": year,
        "rows": rows,
        "may_start": not rows and permissions.can_start_report(access),
    }


def reports_to_write(request):
    viewer = hooks.home_viewer(request)
    rows = selectors.reports_to_write(
        request.user,
        today=timezone.localdate(),
        runs_some=viewer.holds(MANAGING_ROLES) and viewer.flag("loose_reports"),
        delivers=viewer.flag("delivers_reports"),
    )
    if not rows:
        return None
    return {
        "template": "reporting/reports/home_to_write.html",
        "order": 18,
        "rows": rows[:LIST_LIMIT],
        "more": len(rows) > LIST_LIMIT,
    }


def _reports_to_decide(request):
    viewer = hooks.home_viewer(request)
    roles = permissions.REPORT_DECIDING_ROLES
    return selectors.reports_to_decide(
        request.user,
        deciding=viewer.structure_ids(roles),
        outside=viewer.structure_ids(roles, outside=viewer.coordinator_roles),
    )


def reports_to_decide(request):
    reports = list(_reports_to_decide(request)[: LIST_LIMIT + 1])
    if not reports:
        return None
    return {
        "template": "reporting/reports/home_to_decide.html",
        "order": 19,
        "reports": reports[:LIST_LIMIT],
        "more": len(reports) > LIST_LIMIT,
    }


def register() -> None:
    hooks.register_structure_panel(reports_panel)
    hooks.register_structure_figure("loose_reports", selectors.has_loose_reports)
    # The deliverer's role and those who run a structure hold a current membership; a teacher
    # who is a plain member delivers no report and runs nothing (issue 19: the block asked for
    # deadlines on most homes to show nothing).
    hooks.register_home_flag("delivers_reports", selectors.delivers_some_report)
    # Reports without a deadline, not handed in, of structures the person runs: rare (started by
    # hand for a year with no report deadline), so asked with the flags, not on every head's home.
    hooks.register_home_flag("loose_reports", selectors.runs_loose_report)
    hooks.register_home_block(
        reports_to_write,
        who=lambda v: (
            bool(v.current)
            and (
                v.flag("delivers_reports") or (v.holds(MANAGING_ROLES) and v.flag("loose_reports"))
            )
        ),
        needs=hooks.NEEDS_ACTION,
    )
    hooks.register_home_block(
        reports_to_decide,
        who=_decides_reports,
        needs=hooks.NEEDS_ACTION,
        probe=_reports_to_decide,
    )


def _decides_reports(viewer) -> bool:
    """selectors.reports_to_decide: a deciding role, the territory's coordinators."""
    return (
        viewer.superuser
        or viewer.territory_coordinator
        or viewer.holds(permissions.REPORT_DECIDING_ROLES)
    )
