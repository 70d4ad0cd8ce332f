"""The permission table of the public page (communities/public/): every role of conftest.Cast, and
a coordinator of another territory, against the page itself and its switch.

The page is open to everybody, anonymous visitors included, while it is on. The switch is for the
territory's coordinator and for those who lead the structure (its coordinator, chair or head:
communities/public/permissions.py); a member without that right gets 403, anybody with no relation
to the structure 404, an anonymous visitor the sign-in page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from networks.models import Structure, TerritoryRole
from tests.factories import TerritoryRoleFactory

from .permission_table import (
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

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    structure: Structure


def with_page(on: bool, name: str):
    """The address of `name` for the scene's structure, its page first switched `on` or off."""

    def build(scene: Scene) -> str:
        Structure.objects.filter(pk=scene.structure.pk).update(public_page=on)
        scene.structure.public_page = on
        return reverse(name, args=[scene.structure.pk])

    return build


VIEWS: dict[str, View] = {
    "public_structure": View(with_page(True, "public:structure")),
    "switch_on": View(
        with_page(False, "public:switch"),
        post={"public_page": "1"},
        done=lambda s: refreshed(s.structure).public_page,
    ),
    "switch_off": View(
        with_page(True, "public:switch"),
        post={"public_page": "0"},
        done=lambda s: not refreshed(s.structure).public_page,
    ),
}

COLUMNS = list(VIEWS)
# fmt: off
TABLE: dict[str, list] = {
    #                                   public page  switch on  switch off
    "coordinator":                      [OK,         OK,        OK],
    "chair":                            [OK,         OK,        OK],
    "head":                             [OK,         OK,        OK],
    "territory_coordinator":            [OK,         OK,        OK],
    "territory_coordinator_elsewhere":  [OK,         NOT_FOUND, NOT_FOUND],
    "administrator":                    [OK,         FORBIDDEN, FORBIDDEN],
    "moderator":                        [OK,         FORBIDDEN, FORBIDDEN],
    "member":                           [OK,         FORBIDDEN, FORBIDDEN],
    # Reads everything in the territory, changes nothing.
    "methodist":                        [OK,         FORBIDDEN, FORBIDDEN],
    "member_elsewhere":                 [OK,         NOT_FOUND, NOT_FOUND],
    "methodist_elsewhere":              [OK,         NOT_FOUND, NOT_FOUND],
    "outsider":                         [OK,         NOT_FOUND, NOT_FOUND],
    "anonymous":                        [OK,         SIGN_IN,   SIGN_IN],
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


@pytest.fixture(scope="module")
def scenes(table_cast, django_db_blocker) -> dict[str, Scene]:
    with django_db_blocker.unblock():
        table_cast.people["territory_coordinator_elsewhere"] = TerritoryRoleFactory(
            user__email="tcoord-elsewhere@school.example",
            role=TerritoryRole.Role.COORDINATOR,
            region=table_cast.elsewhere.region,
        ).user
        return {name: Scene(s) for name, s in table_cast.structures.items()}


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table(
    db, client, table_cast, scenes, django_capture_on_commit_callbacks, role, view_name, expected
):
    cast, scenes = copies(table_cast, scenes)
    check(
        client,
        cast.people[role],
        VIEWS[view_name],
        scenes[cast.structure_name(role)],
        expected,
        django_capture_on_commit_callbacks,
    )


def test_the_switch_is_post_only(client, table_cast, scenes):
    cast, scenes = copies(table_cast, scenes)
    client.force_login(cast.people["territory_coordinator"])
    url = reverse("public:switch", args=[scenes["community"].structure.pk])
    assert client.get(url).status_code == 405
