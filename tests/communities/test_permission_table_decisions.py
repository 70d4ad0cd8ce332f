"""The permission table of the decisions followed up (issue 17): «Контроль исполнения», a decision
marked done or moved, and a decision given an owner on a draft of the minutes (and taken off it).

Everybody who sees the structure's inner life reads the control page; the owner and those who run
the structure (coordinator, chair, head, the territory's coordinator) mark done and move; those who
keep the record add decisions to a draft. Members without the right get 403, people with no
relation 404, anonymous visitors the sign-in page; a refused action changes nothing.

Each role acts on its own structure (conftest.Cast.structure_of). The decisions in each scene
belong to the structure's plain member, so the member's cells are the owner's: the member marks
done and moves; the administrator, moderator and methodist are the members without the right.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from communities.models import Decision, DecisionMove, Minutes
from networks.models import Structure
from tests.factories import EventFactory, MembershipFactory, MinutesFactory, MinutesItemFactory

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
    scenes_once,
    url,
)

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    structure: Structure
    draft: Minutes  # a draft with one question and one decision of its own
    drafted: Decision
    done: Decision  # signed, open: to be marked done
    moved: Decision  # signed, open: to have its date moved


def scene_in(structure: Structure) -> Scene:
    now = timezone.now()
    owner = (
        structure.memberships.filter(role="member").first()
        or MembershipFactory(structure=structure, user__organisation=structure.host)
    ).user

    def minutes(days, number, **kwargs):
        event = EventFactory(
            structure=structure, starts_at=now - dt.timedelta(days=days), status="held"
        )
        made = MinutesFactory(event=event, number=number, date=event.starts_at.date(), **kwargs)
        return made, MinutesItemFactory(minutes=made)

    def decision(made, item, text):
        return Decision.objects.create(
            structure=structure,
            minutes=made,
            item=item,
            text=text,
            owner=owner,
            due_on=timezone.localdate() + dt.timedelta(days=10),
        )

    draft, draft_item = minutes(3, "2")
    signed, item = minutes(
        20, "1", status="signed", signed_at=now - dt.timedelta(days=19), attendee_count=1
    )
    return Scene(
        structure,
        draft,
        decision(draft, draft_item, "Черновое поручение"),
        decision(signed, item, "Подготовить справку"),
        decision(signed, item, "Провести консультации"),
    )


def _new_decision(scene) -> dict:
    owner = scene.done.owner
    return {
        "decision-item": scene.draft.items.get().pk,
        "decision-text": "Новое поручение из таблицы",
        "decision-owner": f"user:{owner.pk}",
        "decision-due_on": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }


VIEWS: dict[str, View] = {
    "decisions": View(url("communities:decisions", "structure")),
    "decision_done": View(
        url("communities:decision_done", "structure", "done"),
        post={"note": "Справка подготовлена"},
        done=lambda s: refreshed(s.done).status == Decision.Status.DONE,
    ),
    "decision_move": View(
        url("communities:decision_move", "structure", "moved"),
        post=lambda s: {
            "new_due_on": (timezone.localdate() + dt.timedelta(days=40)).isoformat(),
            "reason": "Ждём итогов ВПР",
        },
        done=lambda s: DecisionMove.objects.filter(decision=s.moved).exists(),
    ),
    "decision_create": View(
        url("communities:decision_create", "structure", "draft"),
        post=_new_decision,
        done=lambda s: s.draft.decisions.filter(text="Новое поручение из таблицы").exists(),
    ),
    "decision_remove": View(
        url("communities:decision_remove", "structure", "draft", "drafted"),
        post={},
        done=lambda s: not Decision.objects.filter(pk=s.drafted.pk).exists(),
    ),
}

COLUMNS = list(VIEWS)
R, F, N, S = OK, FORBIDDEN, NOT_FOUND, SIGN_IN
# fmt: off
TABLE: dict[str, list] = {
    #                       list done move create remove
    "coordinator":           [R,   R,   R,   R,     R],
    "chair":                 [R,   R,   R,   R,     R],
    "head":                  [R,   R,   R,   R,     R],
    "territory_coordinator": [R,   R,   R,   R,     R],
    # The owner of the scene's decisions: marks done and moves, keeps no record.
    "member":                [R,   R,   R,   F,     F],
    # Members without the right, and the territory's methodist, read.
    "administrator":         [R,   F,   F,   F,     F],
    "moderator":             [R,   F,   F,   F,     F],
    "methodist":             [R,   F,   F,   F,     F],
    "member_elsewhere":      [N] * 5,
    "methodist_elsewhere":   [N] * 5,
    "outsider":              [N] * 5,
    "anonymous":             [S] * 5,
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
