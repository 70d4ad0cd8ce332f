"""The permission table of the summaries: every role of tests/communities/conftest.Cast (plus a
municipal methodist and a superuser) against every view of reporting/summaries/urls.py.

The territory is the cast's region. Its methodist and coordinator read the summary and the
deadline page and may download; a municipal methodist may not ask for the whole region (404) but
may for their municipality; members of structures, however they run them, and people of other
territories get 404, anonymous visitors the sign-in page. An export job, its status and its file
belong to the methodist who asked for it: everybody else, a superuser too, gets 404.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import override_settings
from django.urls import reverse

from networks.models import Municipality, Region, TerritoryRole, User
from reporting.models import ExportJob
from reporting.summaries import services
from reporting.summaries.selectors import SummaryScope
from reporting.summaries.urls import urlpatterns
from tests.communities.conftest import table_cast  # noqa: F401  (the fixture)
from tests.communities.permission_table import NOT_FOUND, OK, SIGN_IN, View, cases, check, copies
from tests.factories import TerritoryRoleFactory, UserFactory

from .summaries.conftest import YEAR

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    region: Region
    municipality: Municipality
    job: ExportJob  # the cast's methodist's, done
    failed_job: ExportJob  # the methodist's too, failed (the broker was down): may be retried

    def query(self, **more) -> str:
        params = {"year": YEAR.start, "region": self.region.pk, **more}
        return "?" + "&".join(f"{k}={v}" for k, v in params.items())


def _job_url(name):
    return lambda s: reverse(f"reporting:{name}", args=[s.job.pk])


VIEWS: dict[str, View] = {
    "summary": View(lambda s: reverse("reporting:summary") + s.query()),
    "summary_in_municipality": View(
        lambda s: reverse("reporting:summary") + s.query(municipality=s.municipality.pk)
    ),
    "summary_deadline": View(lambda s: reverse("reporting:summary_deadline") + s.query()),
    "summary_export": View(
        lambda s: reverse("reporting:summary_export"),
        post=lambda s: {"year": YEAR.start, "region": s.region.pk, "format": "xlsx"},
        # The methodist's own job is there already: a new one is the second.
        done=lambda s: ExportJob.objects.filter(status="queued").exists(),
    ),
    "summary_export_job": View(_job_url("summary_export_job")),
    "summary_export_status": View(_job_url("summary_export_status")),
    "summary_export_download": View(_job_url("summary_export_download")),
    "summary_export_retry": View(
        lambda s: reverse("reporting:summary_export_retry", args=[s.failed_job.pk]),
        post={},
        done=lambda s: ExportJob.objects.get(pk=s.failed_job.pk).status == "queued",
    ),
}
COLUMNS = list(VIEWS)
N, S = NOT_FOUND, SIGN_IN
# fmt: off
TABLE: dict[str, list] = {
    #                         summary municipality deadline export job  status download retry
    # Members of structures, whatever they run: the summaries are the territory's.
    "coordinator":           [N,      N,           N,       N,     N,   N,     N,       N],
    "chair":                 [N,      N,           N,       N,     N,   N,     N,       N],
    "head":                  [N,      N,           N,       N,     N,   N,     N,       N],
    "administrator":         [N,      N,           N,       N,     N,   N,     N,       N],
    "moderator":             [N,      N,           N,       N,     N,   N,     N,       N],
    "member":                [N,      N,           N,       N,     N,   N,     N,       N],
    "member_elsewhere":      [N,      N,           N,       N,     N,   N,     N,       N],
    # Asked for the export: the job and its file are theirs.
    "methodist":             [OK,     OK,          OK,      OK,    OK,  OK,    OK,      OK],
    "territory_coordinator": [OK,     OK,          OK,      OK,    N,   N,     N,       N],
    # Only their municipality, never the region as a whole.
    "municipal_methodist":   [N,      OK,          N,       N,     N,   N,     N,       N],
    "methodist_elsewhere":   [N,      N,           N,       N,     N,   N,     N,       N],
    "superuser":             [OK,     OK,          OK,      OK,    N,   N,     N,       N],
    "outsider":              [N,      N,           N,       N,     N,   N,     N,       N],
    "anonymous":             [S,      S,           S,       S,     S,   S,     S,       S],
}
# fmt: on
CASES = cases(TABLE, COLUMNS)


@pytest.fixture(autouse=True)
def _through_the_worker(settings):
    # Every download through the worker here, so that an allowed POST makes a job.
    settings.SUMMARY_EXPORT_DIRECT_LIMIT = 0


@pytest.fixture(scope="module")
def scene(table_cast, django_db_blocker) -> Scene:  # noqa: F811
    """Built once for the table, inside the cast's rolled-back transaction."""
    cast = table_cast
    structure = cast.community
    with django_db_blocker.unblock(), override_settings(SUMMARY_EXPORT_DIRECT_LIMIT=0):
        cast.people["municipal_methodist"] = TerritoryRoleFactory(
            user=UserFactory(email="municipal@school.example"),
            role=TerritoryRole.Role.METHODIST,
            region=structure.region,
            municipality=structure.municipality,
        ).user
        cast.people["superuser"] = User.objects.create_superuser(
            "root@school.example", "pass-Word-2026", last_name="Админ", first_name="Анна"
        )
        scope = SummaryScope(YEAR, structure.region)
        job = ExportJob.objects.create(
            exporter="summary",
            file_format="xlsx",
            params=scope.params(),
            requested_by=cast.people["methodist"],
        )
        services.export_job_run(job_id=job.pk)
        job.refresh_from_db()
        failed_job = ExportJob.objects.create(
            exporter="summary",
            file_format="xlsx",
            params=scope.params(),
            requested_by=cast.people["methodist"],
            status="failed",
            error="Не удалось поставить выгрузку в очередь: сервер очереди недоступен.",
        )
    assert job.status == "done"
    return Scene(
        region=structure.region,
        municipality=structure.municipality,
        job=job,
        failed_job=failed_job,
    )


def test_every_url_of_the_summaries_is_a_column():
    assert {p.name for p in urlpatterns} == {
        name.removesuffix("_in_municipality") for name in VIEWS
    }


def test_every_role_of_the_cast_is_a_row(table_cast, scene):  # noqa: F811
    assert set(TABLE) == set(table_cast.people)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table_summaries(
    db,
    client,
    table_cast,  # noqa: F811
    scene,
    django_capture_on_commit_callbacks,
    role,
    view_name,
    expected,
):
    cast, scene = copies(table_cast, scene)
    check(
        client,
        cast.people[role],
        VIEWS[view_name],
        scene,
        expected,
        django_capture_on_commit_callbacks,
    )
