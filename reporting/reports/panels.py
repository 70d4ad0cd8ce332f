"""The reports panel of a structure page and the home blocks «Отчёты к сдаче» and «Отчёты,
ожидающие принятия» (networks.hooks). Each runs a fixed number of queries, whatever the data."""

from __future__ import annotations

from django.utils import timezone

from networks import hooks
from networks.permissions import default_year_read
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
    rows = selectors.reports_to_write(request.user, today=timezone.localdate())
    if not rows:
        return None
    return {
        "template": "reporting/reports/home_to_write.html",
        "order": 18,
        "rows": rows[:LIST_LIMIT],
        "more": len(rows) > LIST_LIMIT,
    }


def reports_to_decide(request):
    reports = list(selectors.reports_to_decide(request.user)[: LIST_LIMIT + 1])
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
    hooks.register_home_block(reports_to_write)
    hooks.register_home_block(reports_to_decide)
