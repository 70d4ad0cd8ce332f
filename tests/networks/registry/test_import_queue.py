"""A long registry file confirmed while the broker (Redis) is down (issue 15): the import fails at
once with a message and nothing applied, never a 500 and never «скоро начнётся» for ever."""

import pytest
from django.urls import reverse
from kombu.exceptions import OperationalError

from networks import tasks
from networks.models import Organisation, RegistryImport
from networks.registry import services

from .conftest import csv_file, inn, school_line

pytestmark = pytest.mark.django_db


def test_confirming_with_the_broker_down_fails_the_import_with_a_message(
    client, stage, coordinator, monkeypatch, django_capture_on_commit_callbacks
):
    def down(*args):
        raise OperationalError("Error 111 connecting to redis:6379. Connection refused.")

    monkeypatch.setattr(services, "INLINE_MAX_LINES", 1)
    monkeypatch.setattr(tasks.apply_registry_import, "delay", down)
    staged = stage(csv_file(school_line(1), school_line(2)))
    client.force_login(coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:confirm", args=[staged.pk]))

    page = reverse("registry:detail", args=[staged.pk])
    assert response.status_code == 302 and response["Location"] == page
    staged.refresh_from_db()
    assert staged.status == RegistryImport.Status.FAILED
    assert staged.error.startswith("Не удалось поставить загрузку в очередь")
    assert not Organisation.objects.filter(inn=inn(1)).exists()
    shown = client.get(page).content.decode()
    assert "сервер очереди недоступен" in shown and reverse("registry:upload") in shown
