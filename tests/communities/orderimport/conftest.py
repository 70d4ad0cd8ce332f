"""Tula as order 001 has it: the region, the city, МКУ «ЦНППМ г. Тулы» that issued the order, and
its coordinator; the worker's part played in this process."""

from __future__ import annotations

import pytest

from communities.orderimport import services, tasks
from networks.models import OrganisationKind, TerritoryRole
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    RegionFactory,
    TerritoryRoleFactory,
    UserFactory,
)

from .documents import ISSUER_FULL, ISSUER_SHORT

PASSWORD = "pass-Word-2026"


@pytest.fixture
def region(db):
    return RegionFactory(code="71", name="Тульская область")


@pytest.fixture
def tula(region):
    return MunicipalityFactory(region=region, name="город Тула")


@pytest.fixture
def centre(region, tula):
    return OrganisationFactory(
        region=region,
        municipality=tula,
        kind=OrganisationKind.METHODICAL,
        full_name=ISSUER_FULL,
        short_name=ISSUER_SHORT,
    )


@pytest.fixture
def coordinator(region, centre):
    user = UserFactory(email="coordinator@tula.example", password=PASSWORD, organisation=centre)
    TerritoryRoleFactory(user=user, region=region, role=TerritoryRole.Role.COORDINATOR)
    return user


@pytest.fixture
def worker(monkeypatch, django_capture_on_commit_callbacks):
    """`with worker():` — what an upload queues runs when its transaction commits, here."""
    monkeypatch.setattr(
        tasks.read_order_import, "delay", lambda *a: tasks.read_order_import.apply(args=a)
    )
    monkeypatch.setattr(
        tasks.apply_order_import, "delay", lambda *a: tasks.apply_order_import.apply(args=a)
    )
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def read(region, coordinator, worker):
    """Uploads and reads a file as the coordinator; returns the import."""

    def run(data: bytes, filename: str = "Приказ 83-а.docx", *, by=coordinator, host=None):
        with worker():
            order_import, _new = services.order_import_upload(
                data=data, filename=filename, region=region, municipality=None, by=by, host=host
            )
        order_import.refresh_from_db()
        return order_import

    return run
