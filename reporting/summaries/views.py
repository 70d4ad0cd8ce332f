"""The methodists' pages: the summary of a territory with its downloads, the progress of a big
export, and one deadline across the territory with its chart.

Every view loads its territory through reporting.permissions.summary_scope_for (404 for a
territory the viewer does not cover) and its export job through export_job_for (404 to anyone but
the person who asked for it)."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from networks.schoolyear import SchoolYear

from .. import permissions
from ..models import ExportJob
from . import selectors, services
from .charts import bar_chart, meetings_chart, states_chart
from .document_pdfs import DOCUMENT_PDFS
from .exporters import EXPORTERS
from .forms import DeadlineFilterForm, SummaryFilterForm

PAGE_SIZE = 50


def _year(data) -> SchoolYear:
    return SchoolYear.parse(data.get("year")) or SchoolYear.current()


def _scope(request, data):
    return permissions.summary_scope_for(
        request.user,
        year=_year(data),
        region=data.get("region"),
        municipality=data.get("municipality"),
        programme=data.get("programme"),
    )


def _initial(scope: selectors.SummaryScope) -> dict:
    return {
        "year": scope.year.start,
        "region": scope.region.pk,
        "municipality": scope.municipality.pk if scope.municipality else None,
        "programme": scope.programme.pk if scope.programme else None,
    }


@login_required
@require_GET
def summary(request):
    scope = _scope(request, request.GET)
    form = SummaryFilterForm(initial=_initial(scope), user=request.user)
    rows, totals = selectors.summary_page(scope)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    # The charts (issue 20): meetings against the minimum per kind (one grouped query), and every
    # deadline of the year by state from the totals already read.
    kinds = selectors.meetings_by_kind(scope)
    year_label = scope.year.label
    return render(
        request,
        "reporting/summaries/summary.html",
        {
            "scope": scope,
            "form": form,
            "page": page,
            "totals": totals,
            "meeting_charts": [(k, meetings_chart(k, year_label=year_label)) for k in kinds],
            "states_chart": states_chart(totals.state_rows(), year_label=year_label)
            if totals.deadlines
            else None,
            "territory": selectors.territory_figures(scope),
            "query": urlencode(scope.query()),
            "formats": EXPORTERS.values(),
            "states": selectors.State.choices(),
        },
    )


@login_required
@require_POST
def export(request):
    """A download: rendered at once for a small territory, otherwise queued for the worker and
    followed on the progress page."""
    scope = _scope(request, request.POST)
    file_format = request.POST.get("format")
    if file_format not in EXPORTERS:
        return HttpResponse(_("Неизвестный формат выгрузки."), status=400)
    # A PDF is the DOCX converted by LibreOffice (seconds, and absent on a laptop): the worker's.
    if file_format != "pdf" and scope.structures().count() < services.direct_limit():
        filename, content_type, content = services.export_render(
            scope=scope, file_format=file_format, by=request.user
        )
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
    job = services.export_job_create(scope=scope, file_format=file_format, by=request.user)
    return redirect("reporting:summary_export_job", pk=job.pk)


@login_required
@require_POST
def document_pdf(request, exporter: str, pk: int, obj_pk: int):
    """«Скачать PDF» of minutes, a plan or a report: whoever may download the DOCX (the same
    check: 404 to outsiders, 403 to insiders without the right) gets a job converting it in the
    worker and its progress page. Where LibreOffice is not installed, back to the document's page,
    which says so and offers the DOCX."""

    kind = DOCUMENT_PDFS[exporter]
    return _document_pdf_job(request, exporter, dict(zip(kind.keys, (pk, obj_pk), strict=True)))


@login_required
@require_POST
def curators_report_pdf(request, pk: int):
    """«PDF» of the curators' year-end report of a programme (issue 18): the school year the form
    sends, or the one its DOCX link gives without a year (this one, or the programme's last)."""
    from mentoring.curators_report import default_year, programme_for_curators_report

    if "year" in request.POST:
        year = SchoolYear.parse(request.POST["year"])
        if year is None:
            raise Http404
    else:
        year = default_year(programme_for_curators_report(request.user, pk))
    return _document_pdf_job(request, "curators_report_pdf", {"programme": pk, "year": year.start})


def _document_pdf_job(request, exporter: str, params: dict):
    from documents.pdf import pdf_available

    kind = DOCUMENT_PDFS[exporter]
    loaded = kind.load(request.user, params)
    if not pdf_available():
        # A laptop under `make run`: not a failure; the document's page says so beside its DOCX.
        messages.info(
            request,
            _(
                "PDF на этом сервере недоступен (не установлен LibreOffice). "
                "Документ можно скачать в формате DOCX."
            ),
        )
        return redirect(loaded.page_url)
    job = services.document_pdf_job_create(
        exporter=exporter,
        params={**params, "title": loaded.title, "page": loaded.page_url},
        by=request.user,
    )
    return redirect("reporting:summary_export_job", pk=job.pk)


def _message(job: ExportJob) -> str:
    if job.exporter in DOCUMENT_PDFS and job.status == ExportJob.Status.RUNNING:
        return _("Документ преобразуется в PDF.")
    if job.status == ExportJob.Status.DONE:
        return _("Файл готов.")
    if job.status == ExportJob.Status.FAILED:
        return _("Файл не сформирован: %(error)s") % {"error": job.error}
    if job.status == ExportJob.Status.QUEUED:
        minutes = settings.QUEUE_WAIT_WARNING_MINUTES
        if timezone.now() - job.created_at > dt.timedelta(minutes=minutes):
            # Nobody has taken it: the worker (or the beat and broker with it) is not running.
            return ngettext(
                "Выгрузка ждёт дольше %(minutes)s минуты: возможно, не запущен обработчик "
                "очереди. Сообщите администратору.",
                "Выгрузка ждёт дольше %(minutes)s минут: возможно, не запущен обработчик "
                "очереди. Сообщите администратору.",
                minutes,
            ) % {"minutes": minutes}
        return _("Выгрузка поставлена в очередь и скоро начнётся.")
    return _("Формируется: структур %(done)s из %(total)s.") % {
        "done": job.progress,
        "total": job.total,
    }


def _percent(job: ExportJob) -> int:
    if job.status == ExportJob.Status.DONE:
        return 100
    return min(100, round(100 * job.progress / job.total)) if job.total else 0


@login_required
@require_GET
@never_cache
def export_job(request, pk: int):
    job = permissions.export_job_for(request.user, pk)
    template = "reporting/summaries/export_job.html"
    if job.exporter in DOCUMENT_PDFS:
        template = "reporting/summaries/document_pdf_job.html"
    return render(
        request,
        template,
        {
            "job": job,
            "message": _message(job),
            "percent": _percent(job),
            "finished": job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED),
            "back": urlencode({k: v for k, v in job.params.items() if v is not None}),
            "keep_until": job.created_at + dt.timedelta(days=settings.EXPORT_KEEP_DAYS),
        },
    )


@login_required
@require_POST
def export_retry(request, pk: int):
    """A failed export again (the broker was down, the disk full…), from its page."""
    job = permissions.export_job_for(request.user, pk)
    services.export_job_retry(job=job, by=request.user)
    return redirect("reporting:summary_export_job", pk=job.pk)


@login_required
@require_GET
@never_cache
def export_status(request, pk: int):
    job = permissions.export_job_for(request.user, pk)
    return JsonResponse(
        {
            "status": job.status,
            "label": job.get_status_display(),
            "progress": job.progress,
            "total": job.total,
            "percent": _percent(job),
            "finished": job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED),
            "message": _message(job),
        }
    )


@login_required
@require_GET
def export_download(request, pk: int):
    job = permissions.export_job_for(request.user, pk)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404
    exporter = EXPORTERS[job.file_format]
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=exporter.content_type,
    )


def _labelled(page):
    page.object_list = list(page.object_list)
    for d in page.object_list:
        d.state_label = selectors.State.LABELS[d.state]
        d.badge = selectors.State.BADGES[d.state]
    return page


@login_required
@require_GET
def deadline(request):
    """One deadline rule across the territory: who handed in on time, late, not at all."""
    scope = _scope(request, request.GET)
    today = timezone.localdate()
    rules = selectors.deadline_rules(scope.region)
    rule = next((r for r in rules if str(r.pk) == request.GET.get("rule")), None)
    if rule is None and request.GET.get("rule"):
        raise Http404
    rule = rule or selectors.nearest_rule(rules, scope.year, today)
    initial = {**_initial(scope), "rule": rule.pk if rule else None}
    form = DeadlineFilterForm(initial=initial, user=request.user, rules=rules)
    context = {"scope": scope, "form": form, "rule": rule, "today": today}
    if rule is not None:
        deadlines = selectors.deadline_states(scope, rule, today=today)
        counts = selectors.state_counts(deadlines)
        context.update(
            due_on=rule.due_date(scope.year),
            counts=counts,
            total=sum(n for _s, _l, n in counts),
            chart=bar_chart(
                [(label, n, state) for state, label, n in counts],
                title=_("Отчётность по сроку «%(rule)s», %(year)s учебный год")
                % {"rule": rule.title, "year": scope.year.label},
            ),
            page=_labelled(Paginator(deadlines, PAGE_SIZE).get_page(request.GET.get("page"))),
            query=urlencode({**scope.query(), "rule": rule.pk}),
        )
    return render(request, "reporting/summaries/deadline.html", context)
