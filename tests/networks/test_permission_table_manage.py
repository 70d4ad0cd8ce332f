"""Role × view for the pages that set structures up (issue 16, networks/manage/): the territory's
coordinator works; a coordinator of another territory and an outsider do not learn the structure
exists (404); its members, its territory's methodist and its head see it but do not set it up
(403); anonymous visitors sign in. The page to create a structure has no object: people who
coordinate no territory get 403 there."""

import datetime as dt

import pytest
from django.urls import reverse

from networks.models import Order, Role, StructureAct, TerritoryRole
from tests.communities.permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
    url,
)
from tests.factories import (
    MembershipFactory,
    OrderFactory,
    OrganisationFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db


class Scene:
    def __init__(self):
        self.structure = StructureFactory(kind=kind("S5"), name="Объединение")
        self.region = self.structure.region
        self.amending = OrderFactory(issuer=self.structure.host, date=dt.date(2026, 10, 1))
        coordinator = UserFactory()
        TerritoryRoleFactory(
            user=coordinator, role=TerritoryRole.Role.COORDINATOR, region=self.region
        )
        other = UserFactory()
        TerritoryRoleFactory(user=other, role=TerritoryRole.Role.COORDINATOR)
        methodist = UserFactory()
        TerritoryRoleFactory(user=methodist, role=TerritoryRole.Role.METHODIST, region=self.region)
        head = MembershipFactory(structure=self.structure, role=Role.HEAD).user
        member = MembershipFactory(structure=self.structure, role=Role.MEMBER).user
        self.people = {
            "coordinator": coordinator,
            "other_coordinator": other,
            "methodist": methodist,
            "head": head,
            "member": member,
            "outsider": UserFactory(organisation=OrganisationFactory()),
            "anonymous": None,
        }
        # A closing order recorded before its day, waiting for it: the coordinator may withdraw it.
        self.pending = StructureAct.objects.create(
            structure=self.structure,
            kind=StructureAct.Kind.CLOSED,
            order=OrderFactory(issuer=self.structure.host, date=dt.date(2099, 1, 1)),
            applies_on=dt.date(2099, 1, 1),
            changes=[
                {"field": "closed_on", "label": "прекратила", "new": "01.01.2099"},
                {"field": "closing_reason", "label": "основание", "value": "unforeseen"},
            ],
            created_by=coordinator,
            applied_at=None,
        )


def _edited(scene) -> bool:
    return scene.structure.acts.filter(kind=StructureAct.Kind.AMENDED).exists()


def _edit_data(scene) -> dict:
    s = scene.structure
    return {
        "name": "Объединение «Успех»",
        "host": s.host_id,
        "region": s.region_id,
        "municipality": s.municipality_id or "",
        "founding_order": s.founding_order_id,
        "established_on": f"{s.established_on:%Y-%m-%d}",
        "act_order": scene.amending.pk,
        "order_kind": Order.Kind.PRIKAZ,
    }


def _withdrawn(scene) -> bool:
    scene.pending.refresh_from_db()
    return scene.pending.withdrawn_at is not None


VIEWS = {
    "networks:manage:structure_create": View(
        lambda scene: reverse("networks:manage:structure_create")
    ),
    "networks:manage:structure_edit": View(url("networks:manage:structure_edit", "structure")),
    "networks:manage:structure_edit (post)": View(
        url("networks:manage:structure_edit", "structure"), post=_edit_data, done=_edited
    ),
    "networks:manage:structure_order": View(url("networks:manage:structure_order", "structure")),
    "networks:manage:structure_order (post)": View(
        url("networks:manage:structure_order", "structure"),
        post=lambda scene: {"action": "amend", "order": scene.amending.pk, "name": "Новое"},
        done=_edited,
    ),
    "networks:manage:structure_act_withdraw": View(
        url("networks:manage:structure_act_withdraw", "structure", "pending")
    ),
    "networks:manage:structure_act_withdraw (post)": View(
        url("networks:manage:structure_act_withdraw", "structure", "pending"),
        post={},
        done=_withdrawn,
    ),
}
COLUMNS = list(VIEWS)

TABLE = {
    #                    create     edit       edit post  order      order post withdraw  w. post
    "coordinator": [OK, OK, OK, OK, OK, OK, OK],
    "other_coordinator": [OK, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "methodist": [FORBIDDEN] * 7,
    "head": [FORBIDDEN] * 7,
    "member": [FORBIDDEN] * 7,
    "outsider": [FORBIDDEN, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND],
    "anonymous": [SIGN_IN] * 7,
}


@pytest.mark.parametrize(("role", "view", "expected"), cases(TABLE, COLUMNS))
def test_who_sets_structures_up(client, django_capture_on_commit_callbacks, role, view, expected):
    scene = Scene()
    check(
        client,
        scene.people[role],
        VIEWS[view],
        scene,
        expected,
        django_capture_on_commit_callbacks,
    )
