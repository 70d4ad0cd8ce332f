"""manage.py import_registry: the same staging and applying from the command line."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from networks.models import Order, Organisation, OrganisationStatus, RegistryImport

from .conftest import HEADER, csv_file, inn, school_line

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry_file(tmp_path, tula, aleksin):
    path = tmp_path / "перечень.csv"
    path.write_bytes(csv_file(school_line(1), school_line(2, status="отличник")).encode("cp1251"))
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_registry", *map(str, args), stdout=out)
    return out.getvalue()


def test_dry_run_prints_the_preview_and_saves_nothing(registry_file, region, ministry):
    output = run(
        registry_file,
        "--region",
        "71",
        "--dry-run",
        "--order-number",
        "640",
        "--order-date",
        "28.05.2020",
        "--order-issuer",
        ministry.inn,
    )
    assert "Организации: создать 1, изменить 0, без изменений 0" in output
    assert "Статусы: создать 1, изменить 0, без изменений 0" in output
    assert "строка 3: неизвестный статус «отличник»" in output
    assert "Пробный запуск: ничего не сохранено." in output
    assert not RegistryImport.objects.exists()
    assert not Organisation.objects.filter(inn=inn(1)).exists()
    assert not Order.objects.filter(number="640").exists()


def test_yes_applies_the_good_lines_as_the_coordinator(registry_file, coordinator, ministry):
    output = run(
        registry_file,
        "--region",
        "71",
        "--user",
        coordinator.email,
        "--yes",
        "--order-number",
        "640",
        "--order-date",
        "28.05.2020",
        "--order-issuer",
        ministry.inn,
        "--order-title",
        "Об утверждении перечня",
    )
    assert "Загружено: создано 2, изменено 0, без изменений 0, строк с ошибками 1." in output
    registry_import = RegistryImport.objects.get()
    assert (registry_import.status, registry_import.created_by) == ("applied", coordinator)
    status = OrganisationStatus.objects.get(organisation__inn=inn(1))
    assert (status.order.number, status.order.title) == ("640", "Об утверждении перечня")
    assert status.history.get().history_user == coordinator

    again = run(registry_file, "--region", "71", "--yes")
    assert "создано 0, изменено 0" in again


def test_the_region_is_taken_from_the_file_when_it_names_one(tmp_path, region, tula):
    path = tmp_path / "реестр.csv"
    line = "Тульская область;" + school_line(1, order="")  # a status without an order
    path.write_text(csv_file(line, header="Регион;" + HEADER))
    assert "строк с ошибками 0" in run(path, "--yes")
    assert Organisation.objects.get(inn=inn(1)).region == region


def test_refusals(registry_file, region, tmp_path):
    from tests.factories import UserFactory

    with pytest.raises(CommandError, match="Укажите регион"):
        run(registry_file, "--yes")
    with pytest.raises(CommandError, match="Нет региона с кодом 99"):
        run(registry_file, "--region", "99", "--yes")
    outsider = UserFactory(email="teacher@school.example")
    with pytest.raises(CommandError, match="не координатор региона"):
        run(registry_file, "--region", "71", "--user", outsider.email, "--yes")
    with pytest.raises(CommandError, match="Нет подтверждения"):
        run(registry_file, "--region", "71")  # no terminal to ask, no --yes
    broken = tmp_path / "broken.csv"
    broken.write_text("нет заголовков\r\n")
    with pytest.raises(CommandError, match="Файл не принят"):
        run(broken, "--region", "71", "--yes")
    assert not RegistryImport.objects.exists()
