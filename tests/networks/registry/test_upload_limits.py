"""Issue 15: an XLSX decompression bomb uploaded as a registry is refused on the upload form, in
Russian, within 2 s and 100 MB (the parser took 505 MiB and over 120 s on a 1.2 MB file), and an
import the worker's time limit stops is marked failed with a Russian reason, nothing saved."""

from __future__ import annotations

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from networks import tasks
from networks.models import Organisation, RegistryImport
from networks.registry import services
from tests.helpers import at_most, xlsx_bomb

from .conftest import csv_file, school_line


def test_a_bomb_is_refused_on_the_upload_form_quickly_and_in_russian(client, coordinator, region):
    client.force_login(coordinator)
    data = xlsx_bomb()
    with at_most(seconds=2, megabytes=100):
        response = client.post(
            reverse("registry:upload"),
            {"region": region.pk, "file": SimpleUploadedFile("Перечень.xlsx", data)},
        )
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Файл «Перечень.xlsx» не принят: Книга XLSX сжата подозрительно сильно: её часть "
        "«xl/worksheets/sheet1.xml» сжата в отношении 343 : 1, допустимо не больше 100 : 1. "
        "Такие книги не принимаются: сохраните данные как CSV."
    ]
    assert not RegistryImport.objects.exists()


def test_the_worker_task_has_a_time_limit(settings):
    assert tasks.apply_registry_import.soft_time_limit == settings.REGISTRY_IMPORT_SOFT_TIME_LIMIT
    assert tasks.apply_registry_import.time_limit > tasks.apply_registry_import.soft_time_limit


def test_an_import_stopped_by_the_time_limit_fails_in_russian_saving_nothing(
    stage, coordinator, monkeypatch
):
    staged = stage(csv_file(school_line(1), school_line(2)))
    monkeypatch.setattr(services, "INLINE_MAX_LINES", 0)
    before = Organisation.objects.count()
    services.registry_import_confirm(registry_import=staged, by=coordinator)

    def too_long(*args, **kwargs):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(services, "build_plan", too_long)
    result = services.registry_import_apply(import_id=staged.pk)
    assert result.status == RegistryImport.Status.FAILED
    assert result.error == (
        "Загрузка шла дольше 10 мин. и остановлена. Ничего не сохранено; разделите файл на части "
        "и загрузите их по очереди."
    )
    assert Organisation.objects.count() == before


@pytest.fixture(autouse=True)
def _default_limits(settings):
    settings.UPLOAD_XLSX_MAX_UNPACKED_MB = 200  # the default: the bomb is refused by its ratio
    settings.REGISTRY_IMPORT_SOFT_TIME_LIMIT = 600
