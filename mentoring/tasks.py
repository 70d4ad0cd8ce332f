from celery import shared_task
from django.conf import settings

from .services import statistics_imports


# Reading an uploaded statistics export (issue 15): stopped softly (the upload fails with «Файл
# слишком долго читается…») and killed if it does not stop; the sweep fails an upload a killed
# task left «Читается».
@shared_task(
    soft_time_limit=settings.IMPORT_PARSE_SOFT_SECONDS,
    time_limit=max(settings.IMPORT_PARSE_HARD_SECONDS, settings.IMPORT_PARSE_SOFT_SECONDS + 1),
)
def read_statistics_import(import_id: int) -> str:
    """A group's uploaded statistics file read into its good and bad lines; safe to run twice."""
    return statistics_imports.statistics_import_read(import_id=import_id).status


@shared_task
def statistics_imports_clean_up() -> list[int]:
    """Every ten minutes (CELERY_BEAT_SCHEDULE): fails stuck readings, removes old uploads."""
    return list(statistics_imports.statistics_imports_clean_up())
