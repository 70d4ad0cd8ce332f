from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services
from .manage import services as manage_services
from .registry import services as registry_services


@shared_task
def close_structures_at_term_end() -> int:
    return len(services.structures_close_at_term_end(today=timezone.localdate()))


@shared_task
def apply_due_structure_acts() -> int:
    """Orders about structures recorded before their day, applied when the day comes (hourly in
    CELERY_BEAT_SCHEDULE, so soon after midnight; a missed run is made up by the next); safe to run
    twice: each act is claimed before it is applied."""
    return len(manage_services.structure_acts_apply_due(today=timezone.localdate()))


# Stopped softly (the import is marked failed, nothing saved) and killed a minute later if it hangs.
@shared_task(
    soft_time_limit=settings.REGISTRY_IMPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REGISTRY_IMPORT_SOFT_TIME_LIMIT + 60,
)
def apply_registry_import(import_id: int) -> str:
    """A long registry file, confirmed by its coordinator; safe to run twice (applies once)."""
    return registry_services.registry_import_apply(import_id=import_id).status


# Reading an upload for its preview (issue 15): stopped softly (the import fails with «Файл слишком
# долго читается…») and killed if it does not stop; the sweep below fails an import a killed task
# left «Читается».
@shared_task(
    soft_time_limit=settings.IMPORT_PARSE_SOFT_SECONDS,
    time_limit=max(settings.IMPORT_PARSE_HARD_SECONDS, settings.IMPORT_PARSE_SOFT_SECONDS + 1),
)
def read_registry_import(import_id: int) -> str:
    """An uploaded registry file read and compared with the registry; safe to run twice."""
    return registry_services.registry_import_read(import_id=import_id).status


@shared_task
def registry_imports_clean_up() -> int:
    """Staged imports nobody confirmed go; imports a killed or crashed task left «Читается» or
    «Загружается» fail with a message (every ten minutes, CELERY_BEAT_SCHEDULE)."""
    failed = registry_services.registry_imports_fail_stuck()
    return failed + registry_services.registry_imports_clean_up()
