"""«Скачать PDF» of minutes and plans against every role of the cast (issue 18): whoever may
download the DOCX may ask for the PDF, and only they — each cell of the PDF column is the DOCX
column's cell of the communities' tables (tests/communities/test_permission_table_events.py and
…_plans.py), on the same scenes; an allowed request queues a job for its requester, a refused one
queues nothing. (The report's PDF is a column of test_permission_table_reports.py.)"""

from __future__ import annotations

import shutil

import pytest

from reporting.models import ExportJob
from tests.communities import test_permission_table_events as events
from tests.communities import test_permission_table_plans as plans
from tests.communities.conftest import table_cast  # noqa: F401  (the fixture)
from tests.communities.permission_table import OK, View, check, copies, url

pytestmark = pytest.mark.django_db


def _job(exporter: str, key: str, attribute: str):
    def done(scene) -> bool:
        pk = getattr(scene, attribute).pk
        return ExportJob.objects.filter(exporter=exporter, **{f"params__{key}": pk}).exists()

    return done


MINUTES_PDF = View(
    url("reporting:minutes_pdf", "structure", "signed"),
    post={},
    done=_job("minutes_pdf", "minutes", "signed"),
)
PLAN_PDF = View(
    url("reporting:plan_pdf", "structure", "draft"),
    post={},
    done=_job("plan_pdf", "plan", "draft"),
)


def _cases(table: dict[str, list], columns: list[str], docx: str) -> list:
    column = columns.index(docx)
    return [pytest.param(role, row[column], id=role) for role, row in table.items()]


@pytest.fixture(scope="module")
def event_scenes(table_cast, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        return {name: events.scene_in(s) for name, s in table_cast.structures.items()}


@pytest.fixture(scope="module")
def plan_scenes(table_cast, django_db_blocker):  # noqa: F811
    with django_db_blocker.unblock():
        return {name: plans.scene_in(s) for name, s in table_cast.structures.items()}


@pytest.fixture(autouse=True)
def libreoffice(settings):
    """Any program stands in for soffice: the job is queued, not run (no worker in the tests)."""
    settings.SOFFICE_PATH = shutil.which("true") or "/bin/true"


def test_the_docx_columns_are_still_there():
    assert "minutes_docx" in events.COLUMNS and "plan_docx" in plans.COLUMNS


@pytest.mark.parametrize(("role", "expected"), _cases(events.TABLE, events.COLUMNS, "minutes_docx"))
def test_minutes_pdf_as_minutes_docx(
    client,
    table_cast,  # noqa: F811
    event_scenes,
    django_capture_on_commit_callbacks,
    role,
    expected,
):
    cast, scenes = copies(table_cast, event_scenes)
    person = cast.people[role]
    check(client, person, MINUTES_PDF, scenes[cast.structure_name(role)], expected,
          django_capture_on_commit_callbacks)  # fmt: skip
    if expected == OK:
        assert ExportJob.objects.get().requested_by == person


@pytest.mark.parametrize(("role", "expected"), _cases(plans.TABLE, plans.COLUMNS, "plan_docx"))
def test_plan_pdf_as_plan_docx(
    client,
    table_cast,  # noqa: F811
    plan_scenes,
    django_capture_on_commit_callbacks,
    role,
    expected,
):
    cast, scenes = copies(table_cast, plan_scenes)
    person = cast.people[role]
    check(client, person, PLAN_PDF, scenes[cast.structure_name(role)], expected,
          django_capture_on_commit_callbacks)  # fmt: skip
    if expected == OK:
        assert ExportJob.objects.get().requested_by == person
