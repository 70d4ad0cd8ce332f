"""Big exports in the worker: the job is queued on commit, claimed once, reports its progress,
stores its file, and fails loudly; the page, the status and the file are the requester's alone.
The test settings have no worker: the service and the task function are called directly."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from networks.models import TerritoryRole
from reporting.models import ExportJob
from reporting.summaries import exporters, selectors, services
from reporting.summaries.selectors import SummaryScope
from reporting.summaries.tasks import summary_export

from .conftest import YEAR

pytestmark = pytest.mark.django_db


def xlsx_name() -> str:
    """The summary's file: kind and year, territory, the date it was drawn up (today)."""
    return f"Сводный отчёт 2020-2021 — Тульская область — {timezone.localdate():%d.%m.%Y}.xlsx"


@pytest.fixture
def job(territory, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        created = services.export_job_create(
            scope=SummaryScope(YEAR, territory.region),
            file_format="xlsx",
            by=territory.people["methodist"],
        )
    assert len(callbacks) == 1, "the worker is asked only after the job is committed"
    return created


def test_a_job_goes_from_queued_through_running_to_done_with_progress(job, territory, monkeypatch):
    assert (job.status, job.progress, job.total) == ("queued", 0, 5)
    monkeypatch.setattr(selectors, "CHUNK", 2)
    seen = []
    original = services._progress

    def watch(job_id, done, total):
        original(job_id, done, total)
        found = ExportJob.objects.get(pk=job_id)
        seen.append((found.status, found.progress, found.total))

    monkeypatch.setattr(services, "_progress", watch)
    assert summary_export(job.pk) == "done"
    assert seen == [("running", 2, 5), ("running", 4, 5), ("running", 5, 5)]
    job.refresh_from_db()
    assert (job.status, job.progress, job.total) == ("done", 5, 5)
    assert job.finished_at is not None and job.error == ""
    assert job.filename == xlsx_name()
    assert job.file.name.startswith("exports/")
    with job.file.open("rb") as stored:
        workbook = load_workbook(io.BytesIO(stored.read()))
    assert workbook.sheetnames == ["Сводка", "Отчёты по срокам", "Итоги"]


def test_a_second_delivery_of_the_task_does_nothing(job, monkeypatch):
    services.export_job_run(job_id=job.pk)
    finished = ExportJob.objects.get(pk=job.pk).finished_at
    monkeypatch.setattr(exporters.XlsxSummary, "write", lambda *a, **k: pytest.fail("ran twice"))
    assert summary_export(job.pk) == "done"
    assert ExportJob.objects.get(pk=job.pk).finished_at == finished


def test_a_failure_marks_the_job_failed_with_the_error(job, monkeypatch):
    def broken(self, document, stream, progress=None):
        raise OSError("Нет места на диске")

    monkeypatch.setattr(exporters.XlsxSummary, "write", broken)
    result = services.export_job_run(job_id=job.pk)
    assert (result.status, result.error) == ("failed", "Нет места на диске")
    assert result.finished_at is not None and not result.file


def test_a_requester_who_lost_the_territory_gets_no_file(job, territory):
    TerritoryRole.objects.filter(user=territory.people["methodist"]).delete()
    result = services.export_job_run(job_id=job.pk)
    assert (result.status, result.error) == ("failed", "Нет доступа к данным этой территории.")


def test_the_page_status_and_file_are_the_requesters_alone(client, job, territory):
    page = reverse("reporting:summary_export_job", args=[job.pk])
    status = reverse("reporting:summary_export_status", args=[job.pk])
    download = reverse("reporting:summary_export_download", args=[job.pk])
    client.force_login(territory.people["methodist"])
    assert client.get(download).status_code == 404  # not ready yet
    assert client.get(status).json()["status"] == "queued"
    services.export_job_run(job_id=job.pk)

    state = client.get(status).json()
    assert state == {
        "status": "done",
        "label": "Готово",
        "progress": 5,
        "total": 5,
        "percent": 100,
        "finished": True,
        "message": "Файл готов.",
    }
    assert f"Скачать «{xlsx_name()}»" in client.get(page).content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    assert load_workbook(io.BytesIO(b"".join(response.streaming_content)))["Итоги"]["B9"].value == 5

    for other in ("coordinator", "municipal_methodist", "superuser", "outsider"):
        client.force_login(territory.people[other])
        for url in (page, status, download):
            assert client.get(url).status_code == 404, (other, url)
    client.logout()
    assert client.get(download).status_code == 302


# --- Clean-up -----------------------------------------------------------------------------------


def test_exports_older_than_the_keeping_days_go_with_their_files(job, settings):
    from reporting.summaries.tasks import exports_clean_up

    settings.EXPORT_KEEP_DAYS = 7
    services.export_job_run(job_id=job.pk)
    job.refresh_from_db()
    name = job.file.name
    assert default_storage.exists(name)
    fresh = ExportJob.objects.create(
        exporter="summary", file_format="pdf", requested_by=job.requested_by
    )
    ExportJob.objects.filter(pk=fresh.pk).update(created_at=job.created_at + dt.timedelta(days=1))
    now = job.created_at + dt.timedelta(days=7)
    assert services.exports_clean_up(now=now) == 0, "seven days to the minute: still kept"
    assert services.exports_clean_up(now=now + dt.timedelta(minutes=1)) == 1
    assert list(ExportJob.objects.all()) == [fresh]
    assert not default_storage.exists(name)
    assert exports_clean_up() == 0, "the task runs the same service, today"


def test_the_finished_export_page_says_how_long_the_file_is_kept(job, territory, client, settings):
    settings.EXPORT_KEEP_DAYS = 7
    services.export_job_run(job_id=job.pk)
    client.force_login(territory.people["methodist"])
    page = client.get(reverse("reporting:summary_export_job", args=[job.pk])).content.decode()
    until = timezone.localtime(job.created_at + dt.timedelta(days=7))
    assert f"Файл хранится до {until:%d.%m.%Y}; потом выгрузку можно сделать заново" in page
