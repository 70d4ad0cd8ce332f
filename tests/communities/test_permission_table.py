"""THE permission table: every role against every view that shows or changes a structure's inner
data. Allowed: 200 for a page, a redirect after the change for an action (and the change is made).
Those who must not know the inner object exists: 404. Members without the right: 403. Anonymous
visitors: the sign-in page. Refused actions change nothing.

Each role acts on its own structure (conftest.Cast.structure_of): the chair on the S2 council, the
head on the S5 association, everybody else on the S8 community.

The table is data: a later issue adds a column (its views) or a row (a role from conftest.Cast).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import Invitation, JoinRequest, MembershipBlock
from networks.models import Membership, Role, Structure
from tests.factories import JoinRequestFactory, MembershipBlockFactory, MembershipFactory

from .permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
    copies,
    covered_views,
    refreshed,
    scenes_once,
)

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    """What the actions act on, inside the structure of the role under test."""

    structure: Structure
    target: Membership  # a current member
    past: Membership  # a former member
    pending: JoinRequest
    block: MembershipBlock


def scene_in(structure: Structure) -> Scene:
    school = {"user__organisation": structure.host}
    return Scene(
        structure=structure,
        target=MembershipFactory(structure=structure, role=Role.MEMBER, **school),
        past=MembershipFactory(
            structure=structure, since=dt.date(2020, 9, 16), until=dt.date(2021, 5, 31), **school
        ),
        pending=JoinRequestFactory(structure=structure, **school),
        block=MembershipBlockFactory(structure=structure, blocked_by=None, **school),
    )


def _url(name, *parts):
    def build(s: Scene) -> str:
        return reverse(
            name, args=[getattr(s, p).pk if p != "structure" else s.structure.pk for p in parts]
        )

    return build


def another_role(structure: Structure) -> str:
    """A role the structure's kind allows, other than member and the lead."""
    allowed = structure.kind.allowed_roles
    return next(r for r in (Role.MODERATOR, Role.COORDINATOR, Role.TUTOR) if r in allowed)


VIEWS: dict[str, View] = {
    "structure_list": View(lambda s: reverse("networks:structure_list")),
    "structure_detail": View(_url("networks:structure_detail", "structure")),
    "members": View(_url("communities:members", "structure")),
    "member": View(_url("communities:member", "structure", "target")),
    "queue": View(_url("communities:queue", "structure")),
    "history": View(_url("communities:history", "structure")),
    "approve": View(
        _url("communities:approve", "structure", "pending"),
        post={},
        done=lambda s: refreshed(s.pending).status == JoinRequest.Status.APPROVED,
    ),
    "reject": View(
        _url("communities:reject", "structure", "pending"),
        post=lambda s: {
            f"reject-{s.pending.pk}-reason": "Сообщество для педагогов Павловского района."
        },
        done=lambda s: refreshed(s.pending).status == JoinRequest.Status.REJECTED,
    ),
    "role_change": View(
        _url("communities:role_change", "structure", "target"),
        post=lambda s: {"role-role": another_role(s.structure)},
        done=lambda s: refreshed(s.target).role == another_role(s.structure),
    ),
    "remove": View(
        _url("communities:remove", "structure", "target"),
        post=lambda s: {"remove-on": timezone.localdate().isoformat()},
        done=lambda s: refreshed(s.target).until is not None,
    ),
    "block": View(
        _url("communities:block", "structure", "past"),
        post={"block-reason": "Нарушал правила сообщества."},
        done=lambda s: MembershipBlock.objects.filter(
            structure=s.structure, user=s.past.user
        ).exists(),
    ),
    "unblock": View(
        _url("communities:unblock", "structure", "block"),
        post={},
        done=lambda s: not MembershipBlock.objects.filter(pk=s.block.pk).exists(),
    ),
    "invite": View(
        _url("communities:invite", "structure"),
        post={"invite-email": "new.member@school.example", "invite-role": Role.MEMBER},
        done=lambda s: Invitation.objects.filter(
            structure=s.structure, email="new.member@school.example"
        ).exists(),
    ),
}

COLUMNS = list(VIEWS)
# fmt: off
TABLE: dict[str, list] = {
    #                         list  detail  members    member     queue      history    approve    reject     role       remove     block      unblock    invite
    "coordinator":           [OK,   OK,     OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK],
    "chair":                 [OK,   OK,     OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK],
    "head":                  [OK,   OK,     OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK],
    "territory_coordinator": [OK,   OK,     OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK,        OK],
    # R-PAV-6.1: the administrator admits members, and does nothing else with them.
    "administrator":         [OK,   OK,     FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, OK,        OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    "moderator":             [OK,   OK,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    "member":                [OK,   OK,     FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    # Reads everything in the territory, changes nothing.
    "methodist":             [OK,   OK,     FORBIDDEN, FORBIDDEN, FORBIDDEN, OK,        FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN],
    "member_elsewhere":      [OK,   OK,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "methodist_elsewhere":   [OK,   OK,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "outsider":              [OK,   OK,     NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "anonymous":             [SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN, SIGN_IN],
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


def test_the_tables_cover_every_view_of_communities():
    from communities import urls

    structure_views = {p.name for p in urls.urlpatterns if "<int:pk>" in str(p.pattern)}
    # Joining is open to every signed-in person by design; it has its own tests.
    missing = structure_views - {"join"} - covered_views()
    assert not missing, f"add these views to a permission table: {sorted(missing)}"


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
