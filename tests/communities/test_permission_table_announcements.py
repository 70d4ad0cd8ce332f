"""The permission table of announcements (issue 17): every role of conftest.Cast against every
announcement page. Allowed: 200 for a page, a redirect after posting (and the announcement made).
Outsiders: 404. Insiders who may not post: 403. Anonymous visitors: the sign-in page. A refused
post changes nothing.

Each role acts on its own structure (conftest.Cast.structure_of): the chair on the S2 council, the
head on the S5 association, everybody else on the S8 community.
"""

from __future__ import annotations

from functools import cached_property

import pytest
from django.core.files.base import ContentFile

from communities.models import Announcement
from networks.models import Structure, User

from .permission_table import FORBIDDEN, NOT_FOUND, OK, SIGN_IN, View, cases, check, copies, url

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


class Scene:
    """An announcement of the structure of the role under test, with a file, made when a column
    first asks for it."""

    def __init__(self, structure: Structure, person: User | None):
        self.structure = structure
        self.person = person

    @cached_property
    def announcement(self) -> Announcement:
        return Announcement.objects.create(
            structure=self.structure,
            title="Объявление из таблицы",
            text="Текст",
            file=ContentFile(PDF, name="table.pdf"),
        )


TITLE = "Новое объявление из таблицы"

VIEWS: dict[str, View] = {
    "communities:announcement_list": View(url("communities:announcement_list", "structure")),
    "communities:announcement_create": View(
        url("communities:announcement_create", "structure"),
        post={"title": TITLE, "text": "Коллеги, напоминаем о семинаре."},
        done=lambda s: s.structure.announcements.filter(title=TITLE).exists(),
    ),
    "communities:announcement_detail": View(
        url("communities:announcement_detail", "structure", "announcement")
    ),
    "communities:announcement_file": View(
        url("communities:announcement_file", "structure", "announcement")
    ),
}

COLUMNS = list(VIEWS)
# Y: allowed (OK), F: 403, N: 404, S: the sign-in page.
Y, F, N, S = OK, FORBIDDEN, NOT_FOUND, SIGN_IN
# fmt: off
TABLE: dict[str, list] = {
    #                        list post detail file
    "coordinator":           [Y,  Y,   Y,     Y],
    "chair":                 [Y,  Y,   Y,     Y],
    "head":                  [Y,  Y,   Y,     Y],
    "territory_coordinator": [Y,  Y,   Y,     Y],
    "administrator":         [Y,  Y,   Y,     Y],
    "moderator":             [Y,  Y,   Y,     Y],
    "member":                [Y,  F,   Y,     Y],
    # Reads everything in the territory, posts nothing.
    "methodist":             [Y,  F,   Y,     Y],
    "member_elsewhere":      [N,  N,   N,     N],
    "methodist_elsewhere":   [N,  N,   N,     N],
    "outsider":              [N,  N,   N,     N],
    "anonymous":             [S,  S,   S,     S],
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table_announcements(
    db, client, table_cast, django_capture_on_commit_callbacks, role, view_name, expected
):
    (cast,) = copies(table_cast)
    person = cast.people[role]
    check(
        client,
        person,
        VIEWS[view_name],
        Scene(cast.structure_of(role), person),
        expected,
        django_capture_on_commit_callbacks,
    )


def test_every_role_of_the_cast_is_a_row(table_cast):
    assert set(TABLE) == set(table_cast.people)
