"""Issue 15: an uploaded registry file is read in the worker, not in the web request. The request
only checks it cheaply (extension, size, the unpacked size and ratio of a book from its zip
directory) and keeps it «Читается»; the worker reads the lines and builds the same preview that
staging builds, within a time limit; an import a killed worker left «Читается» or «Загружается»
is failed by the periodic sweep with a message saying that the file may be uploaded again."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from networks import tasks
from networks.models import Organisation, RegistryImport
from networks.registry import services
from tests.helpers import at_most

from .conftest import csv_file, inn, school_line

pytestmark = pytest.mark.django_db

ORDER_FIELDS = {
    "order_kind": "prikaz",
    "order_number": "640",
    "order_date": "28.05.2020",
    "order_title": "Об утверждении перечня школ",  # as the `stage` fixture describes it
}


@pytest.fixture
def signed_in(client, coordinator):
    client.force_login(coordinator)
    return client


def upload(client, ministry, data: bytes, name="Перечень.csv"):
    return client.post(
        reverse("registry:upload"),
        {"file": SimpleUploadedFile(name, data), **ORDER_FIELDS, "order_issuer": ministry.pk},
    )


def status_of(client, registry_import) -> dict:
    return json.loads(client.get(reverse("registry:status", args=[registry_import.pk])).content)


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.IMPORT_PARSE_SOFT_SECONDS = 300
    settings.IMPORT_PARSE_HARD_SECONDS = 360
    settings.IMPORT_STUCK_MINUTES = 30
    settings.REGISTRY_IMPORT_SOFT_TIME_LIMIT = 600
    settings.QUEUE_WAIT_WARNING_MINUTES = 5


def test_the_upload_request_reads_no_line_of_a_large_file_and_queues_its_reading(
    signed_in, ministry, monkeypatch, django_capture_on_commit_callbacks
):
    def not_in_the_request(*args, **kwargs):
        raise AssertionError("the web request must not read the lines")

    monkeypatch.setattr(services, "parse_registry", not_in_the_request)
    monkeypatch.setattr(services, "build_plan", not_in_the_request)
    queued = []
    monkeypatch.setattr(tasks.read_registry_import, "delay", queued.append)
    data = csv_file(*(school_line(n) for n in range(1, 20_001))).encode()
    assert len(data) > 3 * 2**20

    with at_most(seconds=2, megabytes=100), django_capture_on_commit_callbacks(execute=True):
        response = upload(signed_in, ministry, data)

    registry_import = RegistryImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:detail", args=[registry_import.pk])
    assert registry_import.status == RegistryImport.Status.READING
    assert (registry_import.total, registry_import.summary, registry_import.file_kind) == (
        0,
        {},
        "csv",
    )
    assert queued == [registry_import.pk]


def test_the_worker_reads_the_file_into_the_same_preview_as_staging(
    signed_in, ministry, stage, worker
):
    data = csv_file(school_line(1), school_line(2, status="отличник"), school_line(3)).encode()
    staged_at_once = stage(data)

    with worker():
        response = upload(signed_in, ministry, data)

    read = RegistryImport.objects.exclude(pk=staged_at_once.pk).get()
    assert read.status == RegistryImport.Status.STAGED
    assert read.error == "" and read.progress == 0
    fields = ("summary", "total", "file_kind", "options", "created_count", "updated_count")
    fields += ("unchanged_count", "error_count")
    assert {f: getattr(read, f) for f in fields} == {f: getattr(staged_at_once, f) for f in fields}
    assert read.summary["counts"]["error_lines"] == 1

    page = signed_in.get(response["Location"]).content.decode()
    assert "Проверка файла «Перечень.csv»" in page
    assert "Будет создано: 4; изменено: 0; без изменений: 0; строк с ошибками: 1." in page

    signed_in.post(reverse("registry:confirm", args=[read.pk]))
    read.refresh_from_db()
    assert read.status == RegistryImport.Status.APPLIED
    assert Organisation.objects.filter(inn__in=[inn(1), inn(3)]).count() == 2


def test_the_page_says_the_file_is_being_read_and_polls_until_the_preview(signed_in, ministry):
    response = upload(signed_in, ministry, csv_file(school_line(1)).encode())
    registry_import = RegistryImport.objects.get()
    page = signed_in.get(response["Location"]).content.decode()
    assert "Файл читается…" in page
    assert f'data-progress-status="{reverse("registry:status", args=[registry_import.pk])}"' in page
    assert "js/progress.js" in page
    assert "<script>" not in page  # the Content-Security-Policy allows no inline script
    assert status_of(signed_in, registry_import) == {
        "status": "reading",
        "label": "Читается",
        "progress": 0,
        "total": 0,
        "percent": None,
        "writing": False,
        "finished": False,
        "message": "Файл читается…",
    }

    RegistryImport.objects.filter(pk=registry_import.pk).update(progress=2000)
    assert status_of(signed_in, registry_import)["message"] == (
        "Файл читается: прочитано строк — 2000."
    )
    RegistryImport.objects.filter(pk=registry_import.pk).update(
        progress=0, created_at=timezone.now() - dt.timedelta(minutes=6)
    )
    assert status_of(signed_in, registry_import)["message"] == (
        "Файл ждёт проверки дольше 5 минут: возможно, не запущен обработчик очереди. "
        "Сообщите администратору."
    )

    tasks.read_registry_import.apply(args=[registry_import.pk])

    state = status_of(signed_in, registry_import)
    assert (state["status"], state["finished"]) == ("staged", True)
    page = signed_in.get(response["Location"]).content.decode()
    assert "Проверка файла «Перечень.csv»" in page and "Файл читается" not in page


def test_a_file_the_worker_refuses_fails_with_the_reason_and_the_upload_is_offered_again(
    signed_in, ministry, worker
):
    data = "Номер;Название\r\n1;Что-то\r\n".encode()
    with worker():
        response = upload(signed_in, ministry, data, name="список.csv")

    registry_import = RegistryImport.objects.get()
    assert registry_import.status == RegistryImport.Status.FAILED
    assert registry_import.error.startswith(
        "Файл «список.csv» не принят: В файле не найдена строка заголовков."
    )
    assert status_of(signed_in, registry_import)["finished"] is True
    page = signed_in.get(response["Location"]).content.decode()
    assert "Файл «список.csv» не принят" in page
    assert reverse("registry:upload") in page


def test_reading_stopped_by_the_soft_time_limit_fails_in_russian(signed_in, ministry, monkeypatch):
    upload(signed_in, ministry, csv_file(school_line(1)).encode())
    registry_import = RegistryImport.objects.get()

    def too_long(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "parse_registry", too_long)
    tasks.read_registry_import.apply(args=[registry_import.pk])

    registry_import.refresh_from_db()
    assert registry_import.status == RegistryImport.Status.FAILED
    assert registry_import.error == (
        "Файл слишком долго читается: дольше 5 мин., чтение остановлено. Ничего не сохранено; "
        "разделите файл на части и загрузите их по очереди."
    )
    assert registry_import.summary == {}


def test_the_reading_task_has_soft_and_hard_time_limits_from_the_settings():
    from django.conf import settings

    task = tasks.read_registry_import
    assert task.soft_time_limit == settings.IMPORT_PARSE_SOFT_SECONDS
    assert task.time_limit > task.soft_time_limit


def test_a_reading_delivered_twice_or_after_the_sweep_changes_nothing(signed_in, ministry, stage):
    upload(signed_in, ministry, csv_file(school_line(1)).encode())
    registry_import = RegistryImport.objects.get()
    RegistryImport.objects.filter(pk=registry_import.pk).update(
        status=RegistryImport.Status.FAILED, error="прервано"
    )
    tasks.read_registry_import.apply(args=[registry_import.pk])
    registry_import.refresh_from_db()
    assert (registry_import.status, registry_import.error) == ("failed", "прервано")

    staged = stage(csv_file(school_line(2)))
    before = staged.summary
    tasks.read_registry_import.apply(args=[staged.pk])
    staged.refresh_from_db()
    assert (staged.status, staged.summary) == ("staged", before)


def test_the_upload_fails_with_a_message_when_the_broker_is_down(
    signed_in, ministry, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.read_registry_import, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(signed_in, ministry, csv_file(school_line(1)).encode())

    assert response.status_code == 302
    registry_import = RegistryImport.objects.get()
    assert registry_import.status == RegistryImport.Status.FAILED
    assert registry_import.error == (
        "Не удалось поставить файл в очередь на проверку: сервер очереди недоступен. Ничего не "
        "сохранено; загрузите файл ещё раз."
    )


# --- The sweep -------------------------------------------------------------------------------------


def test_the_sweep_fails_imports_left_reading_or_applying_by_a_killed_worker(
    signed_in, ministry, stage, coordinator, monkeypatch
):
    now = timezone.now()
    long_ago = now - dt.timedelta(minutes=31)

    def reading(created_at):
        upload(signed_in, ministry, csv_file(school_line(1)).encode())
        registry_import = RegistryImport.objects.latest("pk")
        RegistryImport.objects.filter(pk=registry_import.pk).update(created_at=created_at)
        return registry_import

    def applying(confirmed_at):
        monkeypatch.setattr(services, "INLINE_MAX_LINES", 0)
        registry_import = stage(csv_file(school_line(2)))
        services.registry_import_confirm(registry_import=registry_import, by=coordinator)
        RegistryImport.objects.filter(pk=registry_import.pk).update(confirmed_at=confirmed_at)
        return registry_import

    stuck_reading, fresh_reading = reading(long_ago), reading(now - dt.timedelta(minutes=10))
    stuck_applying, fresh_applying = applying(long_ago), applying(now - dt.timedelta(minutes=10))
    waiting = stage(csv_file(school_line(3)))
    RegistryImport.objects.filter(pk=waiting.pk).update(created_at=long_ago)

    assert tasks.registry_imports_clean_up.apply().get() == 2

    def state(registry_import):
        registry_import.refresh_from_db()
        return registry_import.status

    assert state(stuck_reading) == state(stuck_applying) == RegistryImport.Status.FAILED
    assert state(fresh_reading) == RegistryImport.Status.READING
    assert state(fresh_applying) == RegistryImport.Status.APPLYING
    assert state(waiting) == RegistryImport.Status.STAGED  # kept for REGISTRY_STAGED_KEEP_DAYS
    assert stuck_reading.error == (
        "Файл не удалось прочитать: его проверка прервалась (слишком долгая или сбой "
        "обработчика). Ничего не сохранено; загрузите файл ещё раз, при необходимости разделив "
        "его на части."
    )
    assert stuck_applying.error.startswith("Загрузка прервалась")
    assert not Organisation.objects.filter(inn=inn(2)).exists()
    page = signed_in.get(reverse("registry:detail", args=[stuck_reading.pk])).content.decode()
    assert "загрузите файл ещё раз" in page and reverse("registry:upload") in page

    # A worker that comes back late finds the import failed and leaves it so.
    tasks.read_registry_import.apply(args=[stuck_reading.pk])
    assert state(stuck_reading) == RegistryImport.Status.FAILED


def test_the_sweep_waits_at_least_the_hard_time_limits(settings):
    settings.IMPORT_STUCK_MINUTES = 1
    settings.REGISTRY_IMPORT_SOFT_TIME_LIMIT = 1200
    assert services.stuck_after() == dt.timedelta(seconds=1200 + 60 + 60)
