from celery import shared_task
from django.conf import settings
from django.utils import timezone

from . import services
from .registry import services as registry_services


@shared_task
def close_structures_at_term_end() -> int:
    return len(services.structures_close_at_term_end(today=timezone.localdate()))


# Stopped softly (the import is marked failed, nothing saved) and killed a minute later if it hangs.
@shared_task(
    soft_time_limit=settings.REGISTRY_IMPORT_SOFT_TIME_LIMIT,
    time_limit=settings.REGISTRY_IMPORT_SOFT_TIME_LIMIT + 60,
)
def apply_registry_import(import_id: int) -> str:
    """A long registry file, confirmed by its coordinator; safe to run twice (applies once)."""
    return registry_services.registry_import_apply(import_id=import_id).status


@shared_task
def registry_imports_clean_up() -> int:
    return registry_services.registry_imports_clean_up()
