from celery import shared_task
from django.utils import timezone

from . import services


@shared_task
def close_structures_at_term_end() -> int:
    return len(services.structures_close_at_term_end(today=timezone.localdate()))
