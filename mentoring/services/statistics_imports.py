"""Importing a group's statistics export in three steps: the upload, checked only cheaply in the web
request and kept «Читается»; the reading, in the worker within IMPORT_PARSE_SOFT_SECONDS (issue 15:
a 146 KB book of 56 MiB kept a web worker for 61 s); and the confirmation of the preview, which
applies the good lines through group_statistics_import. Views and tasks call these.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.models import Structure, User
from outbox.queueing import delay_on_commit

from ..models import StatisticsImport
from ..statistics_import import FileRefused, StatRow, check_statistics_file, parse_statistics
from .groups import ImportOutcome, group_statistics_import

logger = logging.getLogger(__name__)

__all__ = [
    "statistics_import_confirm",
    "statistics_import_read",
    "statistics_import_rows",
    "statistics_import_upload",
    "statistics_imports_clean_up",
]

# An upload waits this long for its confirmation, as the session that kept it before did.
KEEP = dt.timedelta(days=1)


def statistics_import_upload(
    *, structure: Structure, data: bytes, filename: str, by: User
) -> StatisticsImport:
    """Keeps the file «Читается» and queues its reading; the person's earlier upload for the same
    group that is not saved goes (one waiting upload per group and person). FileRefused when the
    cheap checks refuse the file."""
    check_statistics_file(data, filename)
    StatisticsImport.objects.filter(structure=structure, created_by=by).exclude(
        status=StatisticsImport.Status.APPLIED
    ).delete()
    statistics_import = StatisticsImport(
        structure=structure,
        created_by=by,
        token=secrets.token_urlsafe(16),
        filename=filename[:255],
        data=data,
    )
    statistics_import.full_clean()
    statistics_import.save()
    from ..tasks import read_statistics_import

    pk = statistics_import.pk
    delay_on_commit(read_statistics_import, pk, on_failure=lambda error: _not_queued(pk))
    return statistics_import


def _not_queued(pk: int) -> None:
    _fail(
        pk,
        _(
            "Не удалось поставить файл в очередь на проверку: сервер очереди недоступен. Ничего "
            "не сохранено; загрузите файл ещё раз."
        ),
    )


def _fail(pk: int, reason: str) -> StatisticsImport:
    # Only one still reading: one the sweep failed meanwhile keeps the sweep's reason.
    StatisticsImport.objects.filter(pk=pk, status=StatisticsImport.Status.READING).update(
        status=StatisticsImport.Status.FAILED, error=reason, data=b""
    )
    return StatisticsImport.objects.get(pk=pk)


def statistics_import_read(*, import_id: int) -> StatisticsImport:
    """In the worker: reads the file into its good and bad lines («Ждёт подтверждения»), or fails
    with the reason. Does nothing unless it is still «Читается»: a task delivered twice reads once."""
    statistics_import = StatisticsImport.objects.get(pk=import_id)
    if statistics_import.status != StatisticsImport.Status.READING:
        return statistics_import
    try:
        result = parse_statistics(bytes(statistics_import.data), statistics_import.filename)
    except FileRefused as error:
        return _fail(
            import_id,
            _("Файл «%(name)s» не принят: %(reason)s")
            % {"name": statistics_import.filename, "reason": error},
        )
    except SoftTimeLimitExceeded:
        logger.warning("statistics import %s: reading stopped by its time limit", import_id)
        return _fail(
            import_id,
            _(
                "Файл слишком долго читается: дольше %(minutes)s мин., чтение остановлено. "
                "Ничего не сохранено; разделите файл на части и загрузите их по очереди."
            )
            % {"minutes": max(1, settings.IMPORT_PARSE_SOFT_SECONDS // 60)},
        )
    except Exception:
        logger.exception("statistics import %s: reading failed", import_id)
        return _fail(
            import_id,
            _("Внутренняя ошибка при чтении файла. Ничего не сохранено; сообщите администратору."),
        )
    StatisticsImport.objects.filter(pk=import_id, status=StatisticsImport.Status.READING).update(
        status=StatisticsImport.Status.STAGED,
        data=b"",
        rows=[
            [r.line, r.period_start.isoformat(), r.period_end.isoformat(), *r.figures]
            for r in result.rows
        ],
        errors=[[e.line, e.reason] for e in result.errors],
    )
    return StatisticsImport.objects.get(pk=import_id)


def statistics_import_rows(statistics_import: StatisticsImport) -> list[StatRow]:
    return [
        StatRow(line, dt.date.fromisoformat(start), dt.date.fromisoformat(end), *figures)
        for line, start, end, *figures in statistics_import.rows
    ]


@transaction.atomic
def statistics_import_confirm(
    *, statistics_import: StatisticsImport, by: User
) -> ImportOutcome | None:
    """Saves the good lines of a read upload, once: the upload is claimed with a conditional
    UPDATE, so a second click (or a second tab) finds it saved and returns None. ValidationError
    from group_statistics_import (a closed group…) rolls the claim back."""
    claimed = StatisticsImport.objects.filter(
        pk=statistics_import.pk, status=StatisticsImport.Status.STAGED
    ).update(status=StatisticsImport.Status.APPLIED)
    if not claimed:
        return None
    return group_statistics_import(
        structure=statistics_import.structure,
        rows=statistics_import_rows(statistics_import),
        by=by,
    )


def statistics_imports_clean_up(*, now: dt.datetime | None = None) -> tuple[int, int]:
    """Uploads still «Читается» after IMPORT_STUCK_MINUTES (never less than the reading's hard
    time limit and a minute) lost their worker: they fail with a message saying that the file may
    be uploaded again. Uploads older than a day go. From Celery beat; returns (failed, removed)."""
    now = now or timezone.now()
    stuck = max(
        dt.timedelta(minutes=settings.IMPORT_STUCK_MINUTES),
        dt.timedelta(seconds=settings.IMPORT_PARSE_HARD_SECONDS + 60),
    )
    failed = StatisticsImport.objects.filter(
        status=StatisticsImport.Status.READING, created_at__lt=now - stuck
    ).update(
        status=StatisticsImport.Status.FAILED,
        data=b"",
        error=_(
            "Файл не удалось прочитать: его проверка прервалась (слишком долгая или сбой "
            "обработчика). Ничего не сохранено; загрузите файл ещё раз, при необходимости "
            "разделив его на части."
        ),
    )
    removed, _by_model = StatisticsImport.objects.filter(created_at__lt=now - KEEP).delete()
    return failed, removed
