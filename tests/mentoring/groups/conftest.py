"""A cast around the online groups of one territory (Tula, order 001): the VK group «Вжурнале»
(S3) with its administrator, moderator and member, the online council «РОСТ» (S2) with its chair,
the territory's coordinator and methodist, people of another territory, an outsider, a superuser.

Helpers write statistics exports (CSV in any encoding and separator, XLSX) as bytes.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
from dataclasses import dataclass, field

import pytest
from django.test import TestCase
from openpyxl import Workbook

from networks.models import Region, Role, Structure, TerritoryRole, User
from tests.factories import (
    MembershipFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)
from tests.helpers import rolled_back_at_the_end

PASSWORD = "pass-Word-2026"
HEADER = ["Начало периода", "Конец периода", "Посетители", "Просмотры", "Активные действия", "Обратная связь"]  # fmt: skip
VZHURNALE = "Вжурнале / дисциплины физико-математического цикла"
ROST = "Консультационный совет «РОСТ»"

# Which structure a role acts on: its own.
ROLE_STRUCTURE = {"chair": "council"}


@dataclass
class GroupCast:
    region: Region
    group: Structure
    council: Structure
    association: Structure  # S5: no online platform, no statistics
    elsewhere: Structure
    people: dict[str, User | None] = field(default_factory=dict)

    def structure_of(self, role: str) -> Structure:
        return getattr(self, ROLE_STRUCTURE.get(role, "group"))


@pytest.fixture(scope="module")
def table_group_cast(django_db_setup, django_db_blocker):
    """The cast built once per test module (for a whole permission table, or for the tests that
    take `group_cast`) inside a transaction rolled back at the module's end; each test changes it
    in a savepoint of its own and takes a deep copy."""
    with rolled_back_at_the_end(django_db_blocker):
        yield build_group_cast()


@pytest.fixture
def group_cast(table_group_cast, db) -> GroupCast:
    return copy.deepcopy(table_group_cast)


def build_group_cast() -> GroupCast:
    municipality = MunicipalityFactory(name="Город Тула")
    host = OrganisationFactory(municipality=municipality, short_name="МКУ «ЦНППМ г. Тулы»")
    order = OrderFactory(issuer=host)
    group = StructureFactory(
        kind=kind("S3"),
        name=VZHURNALE,
        host=host,
        founding_order=order,
        platform_url="https://vk.com/club195082605",
        participant_category="Учителя математики, физики, астрономии, информатики и ИКТ",
    )
    council = StructureFactory(kind=kind("S2"), name=ROST, host=host, founding_order=order)
    association = StructureFactory(
        kind=kind("S5"), name="Межшкольное объединение руководителей", host=host
    )
    elsewhere = StructureFactory(kind=kind("S3"), name="Группа другой области")

    def person(email, **extra):
        return UserFactory(email=email, organisation=host, password=PASSWORD, **extra)

    def member(structure, role, email):
        return MembershipFactory(structure=structure, role=role, user=person(email)).user

    def territory(role, region, email):
        return TerritoryRoleFactory(user=person(email), role=role, region=region).user

    people = {
        "administrator": member(group, Role.ADMINISTRATOR, "razarenova@cnppm.example"),
        "chair": member(council, Role.CHAIR, "chair@cnppm.example"),
        "moderator": member(group, Role.MODERATOR, "moderator@cnppm.example"),
        "member": member(group, Role.MEMBER, "member@school.example"),
        "territory_coordinator": territory(
            TerritoryRole.Role.COORDINATOR, group.region, "tcoord@cnppm.example"
        ),
        "methodist": territory(TerritoryRole.Role.METHODIST, group.region, "method@cnppm.example"),
        "member_elsewhere": member(elsewhere, Role.MEMBER, "elsewhere@school.example"),
        "methodist_elsewhere": territory(
            TerritoryRole.Role.METHODIST, elsewhere.region, "method2@school.example"
        ),
        "outsider": person("outsider@school.example"),
        "superuser": person("root@portal.example", is_superuser=True, is_staff=True),
        "anonymous": None,
    }
    return GroupCast(group.region, group, council, association, elsewhere, people)


# --- Files ---------------------------------------------------------------------------------------


def csv_bytes(rows, *, encoding="utf-8", delimiter=",", header=HEADER, bom=False) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows, *, header=HEADER, title: str | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Статистика"
    if title:
        sheet.append([title])
        sheet.append([])
    if header:
        sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def month(year: int, number: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, number, 1)
    end = (dt.date(year + number // 12, number % 12 + 1, 1)) - dt.timedelta(days=1)
    return start, end


# --- The worker ------------------------------------------------------------------------------------


@pytest.fixture
def worker(monkeypatch):
    """`with worker():` — what an upload queues runs when its transaction commits, in this process
    as a Celery worker would run it (the suite has no worker; its broker is in memory)."""
    from mentoring import tasks

    def run_now(*args):
        return tasks.read_statistics_import.apply(args=args)

    monkeypatch.setattr(tasks.read_statistics_import, "delay", run_now)
    return lambda: TestCase.captureOnCommitCallbacks(execute=True)
