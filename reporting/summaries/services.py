"""Writes of the summaries: an export job queued, run by the worker (or inline for a small
territory), its file stored under MEDIA_ROOT for the person who asked for it."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from functools import partial

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from networks.models import User
from networks.schoolyear import SchoolYear
from outbox.queueing import delay_on_commit

from .. import permissions
from ..models import ExportJob
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
            error=_describe(error),
            finished_at=timezone.now(),
        )
    job.refresh_from_db()
    return job


def _describe(error: Exception) -> str:
    if isinstance(error, Http404):
        return _("Нет доступа к данным этой территории.")
    return (str(error) or error.__class__.__name__)[:2000]


def _write(job: ExportJob) -> None:
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
