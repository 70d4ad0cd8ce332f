"""The permission table of materials, discussions and polls (R-PAV-6.1, R-PAV-6.2): every role of
conftest.Cast against every structure page of the feature. Allowed: 200 for a page, a redirect
after the change (and the change is made). Outsiders: 404. Insiders without the right: 403.
Anonymous visitors: the sign-in page. Refused actions change nothing.

Each role acts on its own structure (conftest.Cast.structure_of): the chair on the S2 council, the
head on the S5 association, everybody else on the S8 community.
"""

from __future__ import annotations

from functools import cached_property

import pytest
from django.core.files.base import ContentFile

from communities.models import Discussion, Material, Poll, PollOption, Post
from networks.models import Role, Structure, User
from tests.factories import (
    DiscussionFactory,
    MaterialFactory,
    MembershipFactory,
    PollFactory,
    PollOptionFactory,
    PostFactory,
)

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
    url,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


class Scene:
    """What the actions act on, inside the structure of the role under test. Each object is made
    when a column first asks for it: a cell needs one or two of them, not all eight."""

    def __init__(self, structure: Structure, person: User | None):
        self.structure = structure
        self.person = person

    @cached_property
    def author(self) -> User:
        return MembershipFactory(
            structure=self.structure, role=Role.MEMBER, user__organisation=self.structure.host
        ).user

    @cached_property
    def material(self) -> Material:
        """Published, with a file."""
        return MaterialFactory(
            structure=self.structure,
            author=self.author,
            link="",
            file=ContentFile(PDF, name="table.pdf"),
            original_name="Рекомендации.pdf",
            file_kind="pdf",
        )

    @cached_property
    def pending(self) -> Material:
        """Somebody else's, waiting for admission."""
        return MaterialFactory(
            structure=self.structure, author=self.author, status=Material.Status.PENDING
        )

    @cached_property
    def mine(self) -> Material:
        """The person's own, waiting for admission."""
        return MaterialFactory(
            structure=self.structure, author=self.person, status=Material.Status.PENDING
        )

    @cached_property
    def discussion(self) -> Discussion:
        return DiscussionFactory(structure=self.structure, opened_by=self.author)

    @cached_property
    def post(self) -> Post:
        return PostFactory(discussion=self.discussion, author=self.author)

    @cached_property
    def poll(self) -> Poll:
        return PollFactory(structure=self.structure, created_by=self.author)

    @cached_property
    def option(self) -> PollOption:
        return PollOptionFactory.create_batch(2, poll=self.poll)[0]


VIEWS: dict[str, View] = {
    "communities:material_list": View(url("communities:material_list", "structure")),
    "communities:material_add": View(
        url("communities:material_add", "structure"),
        post={"title": "Материал из таблицы", "kind": "other", "link": "https://example.ru/t"},
        done=lambda s: s.structure.materials.filter(title="Материал из таблицы").exists(),
    ),
    "communities:material_queue": View(url("communities:material_queue", "structure")),
    "communities:material_detail": View(
        url("communities:material_detail", "structure", "material")
    ),
    "communities:material_download": View(
        url("communities:material_download", "structure", "material")
    ),
    "communities:material_admit": View(
        url("communities:material_admit", "structure", "pending"),
        post={},
        done=lambda s: refreshed(s.pending).status == Material.Status.PUBLISHED,
    ),
    "communities:material_remove": View(
        url("communities:material_remove", "structure", "pending"),
        post=lambda s: {f"remove-{s.pending.pk}-reason": "Не по теме сообщества."},
        done=lambda s: refreshed(s.pending).status == Material.Status.REMOVED,
    ),
    "communities:material_withdraw": View(
        url("communities:material_withdraw", "structure", "mine"),
        post={},
        done=lambda s: refreshed(s.mine).status == Material.Status.REMOVED,
    ),
    "communities:discussion_list": View(url("communities:discussion_list", "structure")),
    "communities:discussion_open": View(
        url("communities:discussion_open", "structure"),
        post={"title": "Проблема из таблицы", "body": "Обсудим."},
        done=lambda s: s.structure.discussions.filter(title="Проблема из таблицы").exists(),
    ),
    "communities:discussion_detail": View(
        url("communities:discussion_detail", "structure", "discussion")
    ),
    "communities:post_reply": View(
        url("communities:post_reply", "structure", "discussion"),
        post={"body": "Ответ из таблицы"},
        done=lambda s: s.discussion.posts.filter(body="Ответ из таблицы").exists(),
    ),
    "communities:post_hide": View(
        url("communities:post_hide", "structure", "discussion", "post"),
        post={},
        done=lambda s: refreshed(s.post).removed_at is not None,
    ),
    "communities:discussion_close": View(
        url("communities:discussion_close", "structure", "discussion"),
        post={},
        done=lambda s: refreshed(s.discussion).closed_at is not None,
    ),
    "communities:poll_create": View(
        url("communities:poll_create", "structure"),
        post={"question": "Вопрос из таблицы", "options": "Да\nНет"},
        done=lambda s: s.structure.polls.filter(question="Вопрос из таблицы").exists(),
    ),
    "communities:poll_detail": View(url("communities:poll_detail", "structure", "poll")),
    "communities:poll_vote": View(
        url("communities:poll_vote", "structure", "poll"),
        post=lambda s: {"options": s.option.pk},
        done=lambda s: s.poll.voters.exists(),
    ),
}

COLUMNS = list(VIEWS)
# Y: allowed (OK), F: 403, N: 404, S: the sign-in page. «withdraw» acts on the person's own
# pending material, so whoever may see it may take it back.
Y, F, N, S = OK, FORBIDDEN, NOT_FOUND, SIGN_IN
# fmt: off
TABLE: dict[str, list] = {
    #                        materials ──────────────────────────  discussions ──────────  polls ──
    #                        list add queue det dl admit rem withdr  list open det rep hide close  new det vote
    "coordinator":           [Y,  Y,  Y,    Y,  Y, Y,    Y,  Y,      Y,   Y,   Y,  Y,  Y,   Y,     Y,  Y,  Y],
    "chair":                 [Y,  Y,  Y,    Y,  Y, Y,    Y,  Y,      Y,   Y,   Y,  Y,  Y,   Y,     Y,  Y,  Y],
    "head":                  [Y,  Y,  Y,    Y,  Y, Y,    Y,  Y,      Y,   Y,   Y,  Y,  Y,   Y,     Y,  Y,  Y],
    "territory_coordinator": [Y,  Y,  Y,    Y,  Y, Y,    Y,  Y,      Y,   Y,   Y,  Y,  Y,   Y,     Y,  Y,  Y],
    # R-PAV-6.1: the administrator admits and removes materials.
    "administrator":         [Y,  Y,  Y,    Y,  Y, Y,    Y,  Y,      Y,   Y,   Y,  Y,  Y,   Y,     Y,  Y,  Y],
    # R-PAV-6.2: the moderator sets problems and runs the discussions; admits no materials.
    "moderator":             [Y,  Y,  F,    Y,  Y, F,    F,  Y,      Y,   Y,   Y,  Y,  Y,   Y,     Y,  Y,  Y],
    "member":                [Y,  Y,  F,    Y,  Y, F,    F,  Y,      Y,   F,   Y,  Y,  F,   F,     F,  Y,  Y],
    # Reads everything in the territory, takes no part.
    "methodist":             [Y,  F,  F,    Y,  Y, F,    F,  Y,      Y,   F,   Y,  F,  F,   F,     F,  Y,  F],
    "member_elsewhere":      [N,  N,  N,    N,  N, N,    N,  N,      N,   N,   N,  N,  N,   N,     N,  N,  N],
    "methodist_elsewhere":   [N,  N,  N,    N,  N, N,    N,  N,      N,   N,   N,  N,  N,   N,     N,  N,  N],
    "outsider":              [N,  N,  N,    N,  N, N,    N,  N,      N,   N,   N,  N,  N,   N,     N,  N,  N],
    "anonymous":             [S,  S,  S,    S,  S, S,    S,  S,      S,   S,   S,  S,  S,   S,     S,  S,  S],
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table_materials(
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
