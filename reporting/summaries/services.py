"""Writes of the summaries: an export job queued, run by the worker (or inline for a small
territory), its file stored under MEDIA_ROOT for the person who asked for it."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from networks.models import User
from networks.schoolyear import SchoolYear
from outbox.queueing import delay_on_commit

from .. import permissions
from ..models import ExportJob
from .document_pdfs import DOCUMENT_PDFS
from .exporters import EXPORTERS, SummaryDocument
from .selectors import SummaryScope

logger = logging.getLogger(__name__)

IDENTIFIER = "summary"
# Territories smaller than this are rendered in the request; bigger ones go to the worker. Tests
# (and a deployment without a worker) may change it in settings.
DIRECT_LIMIT = 200


def direct_limit() -> int:
    return getattr(settings, "SUMMARY_EXPORT_DIRECT_LIMIT", DIRECT_LIMIT)


def export_render(*, scope: SummaryScope, file_format: str, by: User) -> tuple[str, str, bytes]:
    """A small territory's file, rendered at once: (filename, content type, bytes)."""
    exporter = EXPORTERS[file_format]
    return exporter.render(SummaryDocument.for_user(scope, by))


@transaction.atomic
def export_job_create(*, scope: SummaryScope, file_format: str, by: User) -> ExportJob:
    """Records the request and queues the worker once the record is committed; a broker that
    does not answer fails the job with a message instead of a 500 (_not_queued)."""
    job = ExportJob(
        exporter=IDENTIFIER,
        file_format=file_format,
        params=scope.params(),
        requested_by=by,
        total=scope.structures().count(),
    )
    if file_format not in EXPORTERS:
        raise ValueError(file_format)
    job.full_clean()
    job.save()
    _queue(job.pk)
    return job


@transaction.atomic
def document_pdf_job_create(*, exporter: str, params: dict, by: User) -> ExportJob:
    """The PDF of one document (minutes, plan, report) for the person who may download its DOCX:
    the access is checked now (404/403 as the DOCX view) and again in the worker, which renders
    that DOCX and converts it (document_pdfs, documents.pdf). Queued like a summary export and
    followed on the same progress page."""
    kind = DOCUMENT_PDFS[exporter]
    keys = {key: int(params[key]) for key in kind.keys}
    kind.load(by, keys)
    job = ExportJob(
        exporter=exporter,
        file_format="pdf",
        params={**params, **keys},
        requested_by=by,
        total=1,
    )
    job.full_clean()
    job.save()
    _queue(job.pk)
    return job


def _queue(job_id: int) -> None:
    from .tasks import summary_export

    delay_on_commit(summary_export, job_id, on_failure=partial(_not_queued, job_id))


def _not_queued(job_id: int, error: Exception) -> None:
    """The broker (Redis) did not take the task: the job fails at once with a message the
    requester can act on, rather than waiting «в очереди» for ever; the page offers a retry."""
    with translation.override(settings.LANGUAGE_CODE):
        message = _(
            "Не удалось поставить выгрузку в очередь: сервер очереди недоступен. "
            "Попробуйте ещё раз."
        )
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.FAILED, error=message, finished_at=timezone.now()
    )


@transaction.atomic
def export_job_retry(*, job: ExportJob, by: User) -> ExportJob:
    """A failed job queued again, for its requester (the loader checks that): the same territory,
    format and person, counted afresh. Its waiting time starts now (created_at, which also moves
    the file's keeping period). A job that is not failed is left as it is (a second click)."""
    retried = ExportJob.objects.filter(pk=job.pk, status=ExportJob.Status.FAILED).update(
        status=ExportJob.Status.QUEUED,
        error="",
        progress=0,
        finished_at=None,
        created_at=timezone.now(),
    )
    if retried:
        _queue(job.pk)
    job.refresh_from_db()
    return job


def _progress(job_id: int, done: int, total: int) -> None:
    ExportJob.objects.filter(pk=job_id).update(progress=done, total=total)


def export_job_run(*, job_id: int) -> ExportJob:
    """Runs a queued job: claims it (a conditional UPDATE, so a second delivery of the task does
    nothing), checks again that the requester may see the territory, writes the file through a
    temporary file, and marks it done — or failed, with the error, whatever goes wrong."""
    claimed = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED).update(
        status=ExportJob.Status.RUNNING
    )
    job = ExportJob.objects.select_related("requested_by", "requested_by__organisation").get(
        pk=job_id
    )
    if not claimed:
        return job
    try:
        with translation.override(settings.LANGUAGE_CODE):
            _write(job)
    except Exception as error:
        logger.exception("export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED,
            error=_describe(error, job),
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def _describe(error: Exception, job: ExportJob) -> str:
    if isinstance(error, Http404 | PermissionDenied) and job.exporter in DOCUMENT_PDFS:
        return _("Нет доступа к этому документу.")
    if isinstance(error, Http404):
        return _("Нет доступа к данным этой территории.")
    return (str(error) or error.__class__.__name__)[:2000]


def pdf_timeout() -> float:
    """Seconds one LibreOffice conversion may take (PDF_TIMEOUT_SECONDS setting, else the
    documents.pdf default)."""
    from documents.pdf import DEFAULT_TIMEOUT

    return getattr(settings, "PDF_TIMEOUT_SECONDS", DEFAULT_TIMEOUT)


def _write(job: ExportJob) -> None:
    if job.exporter in DOCUMENT_PDFS:
        _write_document_pdf(job)
        return
    params = dict(job.params)
    year = params.pop("year")
    scope = permissions.summary_scope_for(job.requested_by, year=SchoolYear(year), **params)
    exporter = EXPORTERS[job.file_format]
    document = SummaryDocument.for_user(scope, job.requested_by)
    with tempfile.TemporaryFile() as stream:
        exporter.write(document, stream, partial(_progress, job.pk))
        stream.seek(0)
        filename = exporter.filename(document)
        job.refresh_from_db(fields=["progress", "total"])
        job.file.save(filename, File(stream, name=filename), save=False)
    job.filename = filename
    job.status = ExportJob.Status.DONE
    job.progress = job.total
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "filename", "status", "progress", "finished_at"])


def _write_document_pdf(job: ExportJob) -> None:
    kind = DOCUMENT_PDFS[job.exporter]
    filename, content = kind.render(job.requested_by, dict(job.params), timeout=pdf_timeout())
    job.file.save(filename, ContentFile(content, name=filename), save=False)
    job.filename = filename
    job.status = ExportJob.Status.DONE
    job.progress = job.total = 1
    job.finished_at = timezone.now()
    job.save(update_fields=["file", "filename", "status", "progress", "total", "finished_at"])


# --- Clean-up -----------------------------------------------------------------------------------


def exports_clean_up(*, now: dt.datetime | None = None) -> int:
    """Export jobs older than settings.EXPORT_KEEP_DAYS go with their files: an export is a
    snapshot for a download, made again in a minute, and personal data (names of heads in the
    summaries) should not pile up in MEDIA_ROOT (152-ФЗ: kept no longer than needed). Daily from
    Celery beat. Returns how many went."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.EXPORT_KEEP_DAYS)
    old = list(ExportJob.objects.filter(created_at__lt=cutoff).only("pk", "file"))
    for job in old:
        if job.file:
            job.file.delete(save=False)
    ExportJob.objects.filter(pk__in=[job.pk for job in old]).delete()
    if old:
        logger.info("Removed %d export(s) older than %s", len(old), cutoff)
    return len(old)
