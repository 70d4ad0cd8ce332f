"""A big export when the queue does not work (issue 15): with the broker (Redis) down the job
fails at once with a message and is retried from its page, never a 500 and never «в очереди» for
ever; with no worker running, a job that waits too long says so."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from reporting.models import ExportJob
from reporting.summaries import services
from reporting.summaries.tasks import summary_export

pytestmark = pytest.mark.django_db
NOT_QUEUED = (
    "Не удалось поставить выгрузку в очередь: сервер очереди недоступен. Попробуйте ещё раз."
)


def text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


@pytest.fixture
def methodist(client, territory, settings):
    settings.SUMMARY_EXPORT_DIRECT_LIMIT = 0  # every export through the worker
    client.force_login(territory.people["methodist"])
    return client


def ask(client, territory):
    return client.post(
        reverse("reporting:summary_export"),
        {"year": "2020", "region": territory.region.pk, "format": "xlsx"},
    )


@pytest.fixture
def broker_down(monkeypatch):
    def down(*args):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(summary_export, "delay", down)


def test_with_the_broker_down_the_job_fails_with_a_message_and_is_retried_from_its_page(
    methodist, territory, broker_down, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(methodist, territory)

    job = ExportJob.objects.get()
    page = reverse("reporting:summary_export_job", args=[job.pk])
    assert response.status_code == 302 and response["Location"] == page
    assert (job.status, job.error) == ("failed", NOT_QUEUED)
    shown = text(methodist.get(page))
    assert NOT_QUEUED in shown and "Попробовать ещё раз" in shown
    status = methodist.get(reverse("reporting:summary_export_status", args=[job.pk])).json()
    assert status["finished"] and NOT_QUEUED in status["message"]

    # Redis is back: the retry queues the same job again, and the worker makes the file.
    queued = []
    monkeypatch.setattr(summary_export, "delay", queued.append)
    retry = reverse("reporting:summary_export_retry", args=[job.pk])
    with django_capture_on_commit_callbacks(execute=True):
        again = methodist.post(retry)
    assert again.status_code == 302 and again["Location"] == page
    job.refresh_from_db()
    assert (job.status, job.error, job.finished_at) == ("queued", "", None)
    assert queued == [job.pk] and ExportJob.objects.count() == 1
    assert summary_export(job.pk) == "done"


def test_a_retry_while_the_broker_is_still_down_fails_again_with_the_same_message(
    methodist, territory, broker_down, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ask(methodist, territory)
        methodist.post(reverse("reporting:summary_export_retry", args=[ExportJob.objects.get().pk]))
    job = ExportJob.objects.get()
    assert (job.status, job.error) == ("failed", NOT_QUEUED)


def test_only_a_failed_job_is_retried(territory, methodist, django_capture_on_commit_callbacks):
    job = ExportJob.objects.create(
        exporter="summary",
        file_format="xlsx",
        params={"year": 2020, "region": territory.region.pk},
        requested_by=territory.people["methodist"],
        status="running",
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.export_job_retry(job=job, by=territory.people["methodist"])
    assert ExportJob.objects.get().status == "running" and not callbacks


def test_a_job_nobody_takes_says_that_no_worker_may_be_running(
    methodist, territory, settings, django_capture_on_commit_callbacks
):
    settings.QUEUE_WAIT_WARNING_MINUTES = 5
    with django_capture_on_commit_callbacks(execute=False):
        ask(methodist, territory)
    job = ExportJob.objects.get()
    page = reverse("reporting:summary_export_job", args=[job.pk])
    status = reverse("reporting:summary_export_status", args=[job.pk])
    assert "Выгрузка поставлена в очередь и скоро начнётся." in text(methodist.get(page))

    ExportJob.objects.update(created_at=timezone.now() - dt.timedelta(minutes=6))
    waiting = (
        "Выгрузка ждёт дольше 5 минут: возможно, не запущен обработчик очереди. "
        "Сообщите администратору."
    )
    assert waiting in text(methodist.get(page))
    assert methodist.get(status).json()["message"] == waiting
