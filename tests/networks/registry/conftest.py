"""A region with two municipalities, its ministry and a coordinator; files built in the tests."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook

from networks import tasks
from networks.models import OrganisationKind, TerritoryRole
from networks.registry import services
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    TerritoryRoleFactory,
    UserFactory,
    valid_inn,
)

PASSWORD = "pass-Word-2026"
HEADER = (
    "Муниципальное образование;Полное наименование;Краткое наименование;Тип;ИНН;Адрес;"
    "Статус;Учебный год;Приказ"
)


def inn(n: int) -> str:
    """A valid ИНН of the test region, distinct from the factories' (which count from 0)."""
    return valid_inn(5_000_000 + n)


def school_line(
    n: int,
    *,
    municipality="город Тула",
    status="ШНОР",
    year="2020/2021",
    order="№ 640 от 28.05.2020",
    sep=";",
) -> str:
    cells = [
        municipality,
        f"Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № {n}»",
        f"МБОУ СШ № {n}",
        "школа",
        inn(n),
        f"г. Тула, ул. Школьная, {n}",
        status,
        year,
        order,
    ]
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="").writerow(cells)
    return buffer.getvalue()


def csv_file(*lines: str, header: str = HEADER) -> str:
    return "\r\n".join([header, *lines]) + "\r\n"


def xlsx_file(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def region(db):
    return RegionFactory(code="71", name="Тульская область")


@pytest.fixture
def tula(region):
    return MunicipalityFactory(region=region, name="город Тула")


@pytest.fixture
def aleksin(region):
    return MunicipalityFactory(region=region, name="Алексинский район")


@pytest.fixture
def ministry(region, tula):
    return OrganisationFactory(
        region=region,
        municipality=None,
        kind=OrganisationKind.AUTHORITY,
        full_name="Министерство образования Тульской области",
        short_name="Минобразования ТО",
        inn=inn(999),
    )


@pytest.fixture
def coordinator(region, ministry):
    user = UserFactory(email="coordinator@tula.example", password=PASSWORD, organisation=ministry)
    TerritoryRoleFactory(user=user, region=region, role=TerritoryRole.Role.COORDINATOR)
    return user


@pytest.fixture
def stage(region, coordinator, ministry, tula, aleksin):
    """Stages a file as the coordinator; the form's order defaults to «issued by the ministry»."""

    def run(data, filename="реестр.csv", *, options=None, by=coordinator, region=region):
        if isinstance(data, str):
            data = data.encode()
        if options is None:
            options = {
                "new_order": {
                    "kind": "prikaz",
                    "number": "640",
                    "date": "2020-05-28",
                    "title": "Об утверждении перечня школ",
                    "issuer_id": ministry.pk,
                }
            }
        return services.registry_import_stage(
            region=region, data=data, filename=filename, by=by, options=options
        )

    return run


@pytest.fixture
def apply(coordinator):
    def run(registry_import, by=coordinator):
        return services.registry_import_confirm(
            registry_import=registry_import, by=by, run_now=True
        )

    return run


@pytest.fixture
def worker(monkeypatch, django_capture_on_commit_callbacks):
    """`with worker():` — what an upload queues runs when its transaction commits, in this
    process as a Celery worker would run it (the suite has no worker; the broker is in memory)."""

    def run_now(*args):
        return tasks.read_registry_import.apply(args=args)

    monkeypatch.setattr(tasks.read_registry_import, "delay", run_now)
    return lambda: django_capture_on_commit_callbacks(execute=True)
