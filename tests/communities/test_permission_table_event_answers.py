"""The permission table of answering an invitation on the event page («Приду / Не приду / Не
знаю»): every invited member answers; those who read the structure without being invited (the
territory's coordinator and methodist) get 403; people with no relation to it 404; anonymous
visitors the sign-in page. The mail's signed link needs no sign-in and has its own tests
(tests/communities/test_event_invitations.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from communities.models import Attendance, Event
from networks.models import Structure
from tests.factories import AttendanceFactory, EventFactory

from .permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
    copies,
    scenes_once,
    url,
)

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    structure: Structure
    upcoming: Event  # scheduled in ten days, every current member invited


def scene_in(structure: Structure) -> Scene:
    upcoming = EventFactory(structure=structure, starts_at=timezone.now() + dt.timedelta(days=10))
    for membership in structure.memberships.current():
        AttendanceFactory(event=upcoming, user=membership.user, attended=None)
    return Scene(structure, upcoming)


def _answered(scene) -> bool:
    return Attendance.objects.filter(event=scene.upcoming, response="yes").exists()


VIEWS: dict[str, View] = {
    "event_answer": View(
        url("communities:event_answer", "structure", "upcoming"),
        post={"response": "yes"},
        done=_answered,
    ),
}

COLUMNS = list(VIEWS)
R, F, N, S = OK, FORBIDDEN, NOT_FOUND, SIGN_IN
# fmt: off
TABLE: dict[str, list] = {
    "coordinator":           [R],
    "chair":                 [R],
    "head":                  [R],
    "administrator":         [R],
    "moderator":             [R],
    "member":                [R],
    # They read the structure but are not on its list of the invited.
    "territory_coordinator": [F],
    "methodist":             [F],
    "member_elsewhere":      [N],
    "methodist_elsewhere":   [N],
    "outsider":              [N],
    "anonymous":             [S],
}
# fmt: on

CASES = cases(TABLE, COLUMNS)

scenes = scenes_once(scene_in)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table(
    db, client, table_cast, scenes, django_capture_on_commit_callbacks, role, view_name, expected
):
    cast, scenes = copies(table_cast, scenes)
    scene = scenes[cast.structure_name(role)]
    check(
        client,
        cast.people[role],
        VIEWS[view_name],
        scene,
        expected,
        django_capture_on_commit_callbacks,
    )
