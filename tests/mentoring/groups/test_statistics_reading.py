"""Issue 15: a group's uploaded statistics file is read in the worker, not in the web request (a
146 KB book of 56 MiB kept a web worker for 61 s). The request checks the file cheaply and keeps
it «Читается»; its page polls until the worker has read it, then shows the preview; a reading
stopped by the time limit fails in Russian, and the sweep fails an upload a killed worker left
«Читается»."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from mentoring import tasks
from mentoring.models import GroupStatistics, StatisticsImport
from mentoring.services import statistics_imports
from mentoring.statistics_import import parse_statistics
from tests.helpers import at_most

from .conftest import csv_bytes

pytestmark = pytest.mark.django_db

SEPT = ["01.09.2020", "30.09.2020", "120", "860", "95", "14"]
OCT = ["01.10.2020", "31.10.2020", "135", "910", "102", "17"]


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.IMPORT_PARSE_SOFT_SECONDS = 300
    settings.IMPORT_PARSE_HARD_SECONDS = 360
    settings.IMPORT_STUCK_MINUTES = 30
    settings.QUEUE_WAIT_WARNING_MINUTES = 5


@pytest.fixture
def admin(client, group_cast):
    client.force_login(group_cast.people["administrator"])
    return group_cast.people["administrator"]


@pytest.fixture
def queued(monkeypatch):
    """What the upload queues, kept instead of sent to the broker."""
    kept: list[int] = []
    monkeypatch.setattr(tasks.read_statistics_import, "delay", kept.append)
    return kept


def upload(client, group, data: bytes, name="Статистика.csv"):
    return client.post(
        reverse("mentoring:group_statistics_import", args=[group.pk]),
        {"file": SimpleUploadedFile(name, data)},
    )


def status_of(client, group, token) -> dict:
    url = reverse("mentoring:group_statistics_import_status", args=[group.pk, token])
    return json.loads(client.get(url).content)


def every_month(lines: int) -> list[list[str]]:
    rows = []
    for n in range(lines):
        year, month = 2000 + n // 12, n % 12 + 1
        rows.append([f"{month:02d}.{year}", str(n), str(2 * n), "1", "0"])
    return rows


MONTH_HEADER = ["Месяц", "Посетители", "Просмотры", "Активные действия", "Обратная связь"]


def test_the_upload_request_reads_no_line_and_queues_the_reading(
    client, group_cast, admin, queued, monkeypatch, django_capture_on_commit_callbacks
):
    def not_in_the_request(*args, **kwargs):
        raise AssertionError("the web request must not read the lines")

    monkeypatch.setattr(statistics_imports, "parse_statistics", not_in_the_request)
    data = csv_bytes(every_month(5000), header=MONTH_HEADER)

    with at_most(seconds=2, megabytes=100), django_capture_on_commit_callbacks(execute=True):
        response = upload(client, group_cast.group, data)

    pending = StatisticsImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "mentoring:group_statistics_preview", args=[group_cast.group.pk, pending.token]
    )
    assert pending.status == StatisticsImport.Status.READING
    assert (pending.rows, pending.errors, bytes(pending.data)) == ([], [], data)
    assert queued == [pending.pk]


def test_the_page_says_the_file_is_being_read_then_shows_the_preview_and_saves(
    client, group_cast, admin, queued, django_capture_on_commit_callbacks
):
    group = group_cast.group
    data = csv_bytes([SEPT, OCT, ["01.11.2020", "30.11.2020", "много", "1", "1", "1"]])
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, group, data)
    pending = StatisticsImport.objects.get()

    page = client.get(response["Location"]).content.decode()
    status_url = reverse("mentoring:group_statistics_import_status", args=[group.pk, pending.token])
    assert "Файл читается…" in page
    assert f'data-progress-status="{status_url}"' in page
    assert "js/progress.js" in page and "<script>" not in page
    assert status_of(client, group, pending.token) == {
        "status": "reading",
        "label": "Читается",
        "percent": None,
        "writing": False,
        "finished": False,
        "message": "Файл читается…",
    }
    StatisticsImport.objects.filter(pk=pending.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=6)
    )
    assert status_of(client, group, pending.token)["message"] == (
        "Файл ждёт проверки дольше 5 минут: возможно, не запущен обработчик очереди. "
        "Сообщите администратору."
    )

    tasks.read_statistics_import.apply(args=queued)

    pending.refresh_from_db()
    expected = parse_statistics(data, "Статистика.csv")
    assert pending.status == StatisticsImport.Status.STAGED
    assert pending.rows == [
        [r.line, r.period_start.isoformat(), r.period_end.isoformat(), *r.figures]
        for r in expected.rows
    ]
    assert pending.errors == [[4, "«Посетители»: «много» — не целое число"]]
    assert bytes(pending.data) == b""  # the file is not kept once read
    assert status_of(client, group, pending.token)["finished"] is True
    page = client.get(response["Location"]).content.decode()
    assert "Пока ничего не сохранено." in page and "Файл читается" not in page
    assert "Будет добавлено периодов: 2; изменено: 0; без изменений: 0" in page

    client.post(reverse("mentoring:group_statistics_confirm", args=[group.pk, pending.token]))
    assert GroupStatistics.objects.filter(structure=group).count() == 2
    pending.refresh_from_db()
    assert pending.status == StatisticsImport.Status.APPLIED


def test_reading_stopped_by_the_soft_time_limit_fails_in_russian(
    client, group_cast, admin, queued, monkeypatch, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, group_cast.group, csv_bytes([SEPT]))

    def too_long(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(statistics_imports, "parse_statistics", too_long)
    tasks.read_statistics_import.apply(args=queued)

    pending = StatisticsImport.objects.get()
    assert pending.status == StatisticsImport.Status.FAILED
    message = (
        "Файл слишком долго читается: дольше 5 мин., чтение остановлено. Ничего не сохранено; "
        "разделите файл на части и загрузите их по очереди."
    )
    assert pending.error == message
    page = client.get(response["Location"]).content.decode()
    assert message in page and "/confirm/" not in page


def test_the_reading_task_has_soft_and_hard_time_limits_from_the_settings():
    from django.conf import settings

    task = tasks.read_statistics_import
    assert task.soft_time_limit == settings.IMPORT_PARSE_SOFT_SECONDS
    assert task.time_limit > task.soft_time_limit


def test_the_upload_fails_with_a_message_when_the_broker_is_down(
    client, group_cast, admin, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(tasks.read_statistics_import, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, group_cast.group, csv_bytes([SEPT]))

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Не удалось поставить файл в очередь на проверку: сервер очереди недоступен." in page
    assert StatisticsImport.objects.get().status == StatisticsImport.Status.FAILED


def test_a_new_upload_replaces_the_persons_waiting_one_and_nobody_else_sees_it(
    client, group_cast, admin, queued
):
    group = group_cast.group
    first = upload(client, group, csv_bytes([SEPT]))["Location"]
    second = upload(client, group, csv_bytes([OCT]))["Location"]
    assert StatisticsImport.objects.count() == 1
    assert "устарел" in client.get(first, follow=True).content.decode()
    assert client.get(second).status_code == 200

    token = StatisticsImport.objects.get().token
    client.force_login(group_cast.people["territory_coordinator"])  # may enter, did not upload
    assert client.get(second, follow=True).redirect_chain[-1][0] == reverse(
        "mentoring:group_statistics", args=[group.pk]
    )
    url = reverse("mentoring:group_statistics_import_status", args=[group.pk, token])
    assert client.get(url).status_code == 404


def test_the_sweep_fails_uploads_left_reading_and_removes_old_ones(client, group_cast, admin):
    group, now = group_cast.group, timezone.now()

    def pending(status, minutes_ago, **extra):
        item = StatisticsImport.objects.create(
            structure=group,
            created_by=admin,
            token=f"t{StatisticsImport.objects.count()}",
            filename="Статистика.csv",
            status=status,
            data=b"x",
            **extra,
        )
        StatisticsImport.objects.filter(pk=item.pk).update(
            created_at=now - dt.timedelta(minutes=minutes_ago)
        )
        return item

    reading = StatisticsImport.Status.READING
    stuck, fresh = pending(reading, 31), pending(reading, 10)
    old = pending(StatisticsImport.Status.STAGED, 25 * 60)
    waiting = pending(StatisticsImport.Status.STAGED, 60)

    assert tasks.statistics_imports_clean_up.apply().get() == [1, 1]

    stuck.refresh_from_db()
    assert stuck.status == StatisticsImport.Status.FAILED
    assert stuck.error == (
        "Файл не удалось прочитать: его проверка прервалась (слишком долгая или сбой "
        "обработчика). Ничего не сохранено; загрузите файл ещё раз, при необходимости разделив "
        "его на части."
    )
    assert bytes(stuck.data) == b""
    fresh.refresh_from_db()
    assert fresh.status == reading
    assert not StatisticsImport.objects.filter(pk=old.pk).exists()
    assert StatisticsImport.objects.filter(pk=waiting.pk).exists()

    # A worker that comes back late finds it failed and leaves it so.
    tasks.read_statistics_import.apply(args=[stuck.pk])
    stuck.refresh_from_db()
    assert stuck.status == StatisticsImport.Status.FAILED
    page = client.get(
        reverse("mentoring:group_statistics_preview", args=[group.pk, stuck.token])
    ).content.decode()
    assert "загрузите файл ещё раз" in page
