from celery import shared_task
from django.utils import timezone

from . import services
from .registry import services as registry_services


@shared_task
def close_structures_at_term_end() -> int:
    return len(services.structures_close_at_term_end(today=timezone.localdate()))


@shared_task
def apply_registry_import(import_id: int) -> str:
    """A long registry file, confirmed by its coordinator; safe to run twice (applies once)."""
    return registry_services.registry_import_apply(import_id=import_id).status


@shared_task
def registry_imports_clean_up() -> int:
    return registry_services.registry_imports_clean_up()
