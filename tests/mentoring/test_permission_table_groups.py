"""The permission table of online-group statistics (R-TUL-A1-5.3, R-TUL-A2-3.1.4, R-TUL-A2-4.2.6):
every role against every view this feature adds. Allowed: 200 for a page, a redirect after the
change for an action (and the change is made). Those with no relation to the group's inner life:
404. Members without the right: 403. Anonymous visitors: the sign-in page. Refused actions change
nothing.

Each role acts on its own structure (tests/mentoring/groups/conftest.GroupCast.structure_of): the
chair on the S2 council «РОСТ», everybody else on the S3 group «Вжурнале». The preview, its status
and the confirmation act on the person's own upload, read by the worker, put there before the
request.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from mentoring.models import GroupStatistics, StatisticsImport
from networks.models import Region, Structure
from tests.communities.permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
    copies,
    refreshed,
)
from tests.factories import GroupStatisticsFactory
from tests.mentoring.groups.conftest import table_group_cast  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

TOKEN = "Zq3pLr8xWm2vTk9s-_Ab"
NOVEMBER = (dt.date(2020, 11, 1), dt.date(2020, 11, 30))


@dataclass
class Scene:
    structure: Structure
    region: Region
    statistics: GroupStatistics  # September, stored


def scene_in(structure: Structure) -> Scene:
    return Scene(
        structure=structure,
        region=structure.region,
        statistics=GroupStatisticsFactory(structure=structure),
    )


def pending_upload(structure: Structure, person) -> StatisticsImport:
    """What the upload and the worker's reading leave: November, one good line."""
    start, end = NOVEMBER
    return StatisticsImport.objects.create(
        structure=structure,
        created_by=person,
        token=TOKEN,
        filename="Статистика.csv",
        status=StatisticsImport.Status.STAGED,
        rows=[[2, start.isoformat(), end.isoformat(), 140, 950, 110, 12]],
    )


def _url(name, *parts, token=False):
    def build(s: Scene) -> str:
        args = [s.structure.pk] + [getattr(s, p).pk for p in parts]
        return reverse(name, args=[*args, TOKEN] if token else args)

    return build


def _has_period(s: Scene, start: dt.date, end: dt.date) -> bool:
    return s.structure.group_statistics.filter(period_start=start, period_end=end).exists()


VIEWS: dict[str, View] = {
    "mentoring:group_statistics": View(_url("mentoring:group_statistics")),
    "mentoring:group_statistics_add": View(
        _url("mentoring:group_statistics_add"),
        post={
            "period_start": "2020-10-01",
            "period_end": "2020-10-31",
            "visitors": 135,
            "views": 910,
            "actions": 102,
            "feedback": 17,
        },
        done=lambda s: _has_period(s, dt.date(2020, 10, 1), dt.date(2020, 10, 31)),
    ),
    "mentoring:group_statistics_edit": View(
        _url("mentoring:group_statistics_edit", "statistics"),
        post={
            "period_start": "2020-09-01",
            "period_end": "2020-09-30",
            "visitors": 999,
            "views": 860,
            "actions": 95,
            "feedback": 14,
        },
        done=lambda s: refreshed(s.statistics).visitors == 999,
    ),
    "mentoring:group_statistics_import": View(_url("mentoring:group_statistics_import")),
    "mentoring:group_statistics_preview": View(
        _url("mentoring:group_statistics_preview", token=True)
    ),
    "mentoring:group_statistics_import_status": View(
        _url("mentoring:group_statistics_import_status", token=True)
    ),
    "mentoring:group_statistics_confirm": View(
        _url("mentoring:group_statistics_confirm", token=True),
        post={},
        done=lambda s: _has_period(s, *NOVEMBER),
    ),
    "mentoring:group_overview": View(
        lambda s: reverse("mentoring:group_overview", args=[s.region.pk])
    ),
}

COLUMNS = list(VIEWS)
# fmt: off
TABLE: dict[str, list] = {
    #                         statistics add        edit       import     preview    status     confirm    overview
    # R-TUL-A2-4.2: the group's administrator keeps and analyses its figures.
    "administrator":         [OK,        OK,        OK,        OK,        OK,        OK,        OK,        NOT_FOUND],
    # R-TUL-A1-3.1.1: the council's chair runs it.
    "chair":                 [OK,        OK,        OK,        OK,        OK,        OK,        OK,        NOT_FOUND],
    "territory_coordinator": [OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK],
    "superuser":             [OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK],
    # Read the figures, keep none of them.
    "moderator":             [OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND],
    "member":                [OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND],
    "methodist":             [OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK],
    "member_elsewhere":      [NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "methodist_elsewhere":   [NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "outsider":              [NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "anonymous":             [SIGN_IN,   SIGN_IN,   SIGN_IN,   SIGN_IN,   SIGN_IN,   SIGN_IN,   SIGN_IN,   SIGN_IN],
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


def test_the_table_covers_every_view_of_the_feature():
    from mentoring.views.groups import urlpatterns

    assert {f"mentoring:{p.name}" for p in urlpatterns} == set(VIEWS)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table(
    db,
    client,
    table_group_cast,  # noqa: F811
    django_capture_on_commit_callbacks,
    role,
    view_name,
    expected,
):
    (group_cast,) = copies(table_group_cast)
    person = group_cast.people[role]
    scene = scene_in(group_cast.structure_of(role))
    if person is not None:
        # The person's own upload waits, read by the worker, as after the upload step.
        pending_upload(scene.structure, person)
    check(
        client,
        person,
        VIEWS[view_name],
        scene,
        expected,
        django_capture_on_commit_callbacks,
    )
