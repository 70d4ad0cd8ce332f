"""The worker's side of the summary exports: a thin task that calls the service."""

from celery import shared_task

from . import services


@shared_task
def summary_export(job_id: int) -> str:
    return services.export_job_run(job_id=job_id).status


@shared_task
def exports_clean_up() -> int:
    return services.exports_clean_up()
