"""A structure's reports: the list, the page of one report (figures from the record, the author's
narrative, the decision), its actions and downloads.

Every view loads the structure through reporting.permissions (404 to those with no relation to its
inner life, 403 to insiders who may not read reports), asks whether the person may take the step
(403 if not) and hands the change to one service, whose refusals come back as Russian messages on
the form; post/redirect/get.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.pdf import pdf_available
from documents.scans import ScanBlock, scan_attach, scan_block, scan_download
from documents.selectors import signed_scan_of
from networks.permissions import StructureAccess, can_see_name
from networks.schoolyear import SchoolYear

from .. import permissions
from ..models import Deadline, Deliverable, Report
from . import documents, selectors, services
from .figures import readable, structure_figures
from .forms import ReportForm, ReturnForm, add_service_error


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _to_report(report: Report):
    return redirect("reporting:report_detail", report.structure_id, report.pk)


# --- The structure's reports ---------------------------------------------------------------------


@login_required
def report_list(request, pk: int):
    structure = permissions.report_structure(request.user, pk)
    access = structure.access
    rows = selectors.structure_report_rows(structure, today=timezone.localdate())
    rows = [r for r in rows if access.can_read_year(r.school_year)]  # former members: theirs
    years = {r.school_year for r in rows}
    free_years = []
    if permissions.can_start_report(access):
        # structure.school_years() ends with the year of its closing: none after it.
        free_years = [y for y in structure.school_years() if y.start not in years]
    grouped: dict[int, list] = {}
    for row in rows:
        grouped.setdefault(row.school_year, []).append(row)
    return render(
        request,
        "reporting/reports/list.html",
        {
            "structure": structure,
            "years": [(SchoolYear(y), grouped[y]) for y in sorted(grouped, reverse=True)],
            "free_years": free_years,
        },
    )


@login_required
def report_deadline(request, pk: int, deadline_pk: int):
    """The report of a deadline: opens it when started, else shows the figures so far and, to
    the author, the form that starts it."""
    deadline = permissions.deadline_of(request.user, pk, deadline_pk)
    report = Report.objects.filter(deadline=deadline).first()
    if report is not None:
        return _to_report(report)
    return _render_new(request, deadline.structure, deadline=deadline)


def _render_new(request, structure, *, deadline=None, school_year=None, form=None, status=200):
    access = structure.access
    year = SchoolYear(deadline.school_year if deadline else school_year)
    may_start = permissions.can_start_report(access, deadline)
    return render(
        request,
        "reporting/reports/report.html",
        {
            "structure": structure,
            "deadline": deadline,
            "report": None,
            "title": deadline.rule.title if deadline else services.DEFAULT_TITLE,
            "year": year,
            "figures": readable(structure_figures(structure, year)),
            "frozen": False,
            "may_write": may_start,
            "form": (form or ReportForm()) if may_start else None,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_POST
def report_start(request, pk: int):
    """Starts the report of a deadline (`deadline`) or of a year without one (`school_year`),
    with the narrative typed so far; «Сдать отчёт» submits it at once."""
    structure = permissions.report_structure(request.user, pk)
    deadline, school_year = _start_target(request, structure)
    _require(permissions.can_start_report(structure.access, deadline))
    form = ReportForm(request.POST)
    if not form.is_valid():
        return _render_new(
            request, structure, deadline=deadline, school_year=school_year, form=form, status=400
        )
    try:
        report = services.report_start(
            structure=structure,
            by=request.user,
            deadline=deadline,
            school_year=school_year,
            narrative=form.narrative(),
        )
    except ValidationError as error:
        add_service_error(form, error)
        return _render_new(
            request, structure, deadline=deadline, school_year=school_year, form=form, status=400
        )
    report.structure = structure
    if report.status not in services.EDITABLE:
        messages.info(request, _("Этот отчёт уже сдан."))
        return _to_report(report)
    if request.POST.get("action") == "submit":
        try:
            return _submit(request, report)
        except ValidationError as error:
            add_service_error(form, error)
            return _render_report(request, report, form=form, status=400)
    messages.success(request, _("Черновик отчёта сохранён."))
    return _to_report(report)


def _start_target(request, structure) -> tuple[Deadline | None, int | None]:
    """The deadline of the structure the form names, or a school year of its life; else 404."""
    if request.POST.get("deadline"):
        deadline = get_object_or_404(
            Deadline.objects.select_related("rule"),
            pk=_int(request.POST["deadline"]),
            structure=structure,
            rule__deliverable=Deliverable.REPORT,
        )
        return deadline, None
    school_year = _int(request.POST.get("school_year"))
    if school_year is None or SchoolYear(school_year) not in structure.school_years():
        raise Http404
    return None, school_year


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# --- One report ----------------------------------------------------------------------------------


def _render_report(request, report: Report, *, form=None, return_form=None, status=200):
    structure = report.structure
    access = structure.access
    frozen = report.status in (Report.Status.SUBMITTED, Report.Status.ACCEPTED)
    figures = services.report_figures(report)
    computed = figures.get("computed_at")
    frozen_at = timezone.localtime(dt.datetime.fromisoformat(computed)) if computed else None
    may_write = permissions.can_write_report(access, report)
    may_decide = permissions.can_decide_report(access, report, user=request.user)
    if may_write and form is None:
        form = ReportForm(initial={n: getattr(report, n) for n in services.NARRATIVE_FIELDS})
    return render(
        request,
        "reporting/reports/report.html",
        {
            "structure": structure,
            "deadline": report.deadline,
            "report": report,
            "title": report.title,
            "year": SchoolYear(report.school_year),
            "figures": readable(figures),
            "frozen": frozen,
            "frozen_at": frozen_at,
            "may_write": may_write,
            "form": form if may_write else None,
            "may_decide": may_decide,
            "return_form": (return_form or ReturnForm()) if may_decide else None,
            "exporters": _offered(),
            "pdf_available": pdf_available(),
            "today": timezone.localdate(),
            "scan_block": _scan_block(request, report),  # issue 18
        },
        status=status,
    )


@login_required
def report_detail(request, pk: int, report_pk: int):
    return _render_report(request, permissions.report_of(request.user, pk, report_pk))


@login_required
@require_POST
def report_save(request, pk: int, report_pk: int):
    """Saves the narrative; with «Сдать отчёт» (action=submit) also hands the report in."""
    report = permissions.report_of(request.user, pk, report_pk)
    _require(permissions.can_write_reports(report.structure.access, report.deadline))
    form = ReportForm(request.POST)
    if form.is_valid():
        try:
            services.report_save(report=report, by=request.user, narrative=form.narrative())
            if request.POST.get("action") == "submit":
                return _submit(request, report)
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Черновик отчёта сохранён."))
            return _to_report(report)
    if not permissions.can_write_report(report.structure.access, report):
        # Already handed in: the page says so instead of showing a form.
        for message in form.non_field_errors():
            messages.error(request, message)
        return _to_report(report)
    return _render_report(request, report, form=form, status=400)


def _submit(request, report: Report):
    """Raises ValidationError back to the caller's form when the report may not be handed in."""
    services.report_submit(report=report, by=request.user)
    if report.is_late:
        messages.warning(
            request,
            _("Отчёт сдан после срока %(date)s и отмечен как сданный с опозданием.")
            % {"date": f"{report.deadline.due_on:%d.%m.%Y}"},
        )
    else:
        messages.success(request, _("Отчёт сдан. Показатели зафиксированы на дату сдачи."))
    return _to_report(report)


@login_required
@require_POST
def report_accept(request, pk: int, report_pk: int):
    report = permissions.report_of(request.user, pk, report_pk)
    _require(permissions.can_decide_reports(report.structure.access))
    if not permissions.can_decide_report(report.structure.access, report, user=request.user):
        messages.error(request, _("Этот отчёт сейчас нельзя принять."))
        return _to_report(report)
    services.report_accept(report=report, by=request.user)
    messages.success(request, _("Отчёт принят."))
    return _to_report(report)


@login_required
@require_POST
def report_return(request, pk: int, report_pk: int):
    report = permissions.report_of(request.user, pk, report_pk)
    _require(permissions.can_decide_reports(report.structure.access))
    if not permissions.can_decide_report(report.structure.access, report, user=request.user):
        messages.error(request, _("Этот отчёт сейчас нельзя вернуть на доработку."))
        return _to_report(report)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.report_return(
                report=report, by=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Отчёт возвращён автору на доработку."))
            return _to_report(report)
    return _render_report(request, report, return_form=form, status=400)


# The PDF is no longer drawn separately: it is the DOCX converted in the worker (report_pdf,
# reporting/summaries/document_pdfs.py), so DOCX and PDF carry the same content and look.
OFFERED = ("docx", "xlsx")


def _offered():
    return [documents.EXPORTERS[f] for f in OFFERED if f in documents.EXPORTERS]


@login_required
def report_download(request, pk: int, report_pk: int, file_format: str):
    """The report as DOCX or XLSX, only to those who may read it (the PDF: report_pdf)."""
    report = permissions.report_of(request.user, pk, report_pk)
    exporter = documents.EXPORTERS.get(file_format) if file_format in OFFERED else None
    if exporter is None:
        raise Http404
    filename, content_type, content = exporter.render(documents.document_data(report))
    return documents.file_response(filename, content_type, content)


# --- The signed scan (issue 18) ------------------------------------------------------------------
# The paper report, printed from «Скачать», signed and scanned, attached back to it. The author's
# side (whoever may write the structure's reports for that deadline: the head, chair, the
# deliverer the rule names) and the deciders (the coordinator who accepts it) attach; only a
# report handed in (submitted or accepted) is signed on paper. Whoever reads the report sees and
# downloads its scans. No deletion: a wrong file is followed by the right one, shown first, and
# the earlier stays as the report's history (documents/scans.py).


def can_attach_report_scans(access: StructureAccess, report: Report) -> bool:
    return permissions.can_write_reports(access, report.deadline) or (
        permissions.can_decide_reports(access)
    )


def _scan_block(request, report: Report) -> ScanBlock:
    structure = report.structure
    access = structure.access
    return scan_block(
        report,
        download_url=lambda scan: reverse(
            "reporting:report_scan", args=[structure.pk, report.pk, scan.pk]
        ),
        upload_url=reverse("reporting:report_scan_attach", args=[structure.pk, report.pk]),
        may_attach=can_attach_report_scans(access, report),
        refusal=permissions.report_scan_refusal(report),
        shows=lambda person: can_see_name(access, request.user, person),
    )


@login_required
@require_POST
def report_scan_attach(request, pk: int, report_pk: int):
    report = permissions.report_of(request.user, pk, report_pk)
    _require(can_attach_report_scans(report.structure.access, report))
    return scan_attach(
        request,
        record=report,
        refusal=permissions.report_scan_refusal(report),
        back_url=reverse("reporting:report_detail", args=[pk, report.pk]),
        title=str(report.title),
    )


@login_required
def report_scan(request, pk: int, report_pk: int, scan_pk: int):
    scan = signed_scan_of(permissions.report_of(request.user, pk, report_pk), scan_pk)
    if scan is None:
        raise Http404
    return scan_download(scan)
