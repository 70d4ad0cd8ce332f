"""The order-document import's tasks: reading an upload, applying a long confirmed one. Thin and
safe to run twice (the status is the claim). Found by the worker through config/celery.py, which
names this package: communities/tasks.py holds the app's other tasks."""

from celery import shared_task
from django.conf import settings

from . import services


# Reading an uploaded order for its preview: stopped softly (the import fails with «Файл слишком
# долго читается…») and killed if it does not stop.
@shared_task(
    soft_time_limit=settings.IMPORT_PARSE_SOFT_SECONDS,
    time_limit=max(settings.IMPORT_PARSE_HARD_SECONDS, settings.IMPORT_PARSE_SOFT_SECONDS + 1),
)
def read_order_import(import_id: int) -> str:
    """An uploaded order document read into its proposal; reads once."""
    return services.order_import_read(import_id=import_id).status


@shared_task(
    soft_time_limit=settings.IMPORT_PARSE_SOFT_SECONDS,
    time_limit=max(settings.IMPORT_PARSE_HARD_SECONDS, settings.IMPORT_PARSE_SOFT_SECONDS + 1),
)
def apply_order_import(import_id: int) -> str:
    """A long order confirmed by its coordinator; applies once."""
    return services.order_import_apply(import_id=import_id).status


@shared_task
def order_imports_sweep() -> str:
    """Every ten minutes: imports a killed worker left behind fail; unconfirmed old ones go."""
    failed, removed = services.order_imports_sweep()
    return f"{failed} failed, {removed} removed"
