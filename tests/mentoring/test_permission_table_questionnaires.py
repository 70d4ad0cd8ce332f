"""The permission table of monitoring questionnaires: every role of the questionnaire cast
(tests/mentoring/questionnaires/conftest.py) against every view of the feature.

- Building and sending out: the territory's coordinators (a municipality's too) — the region's
  methodist 403, everybody else 404.
- A round's overview: curators (their pairs) and coordinators with names, the territory's methodist
  the figures without names; those the round asks (mentor, mentee) 403; everybody else 404.
- A pair's answers side by side: the pair's curators and the territory's coordinators only
  (R-TUL-A3-4.2.1, 5.3); the mentor and the mentee (each sees their own answers on their answer
  page only) and the methodist 403; everybody else 404.
- Answering: only the people a round asks; for anybody else it does not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.urls import reverse

from mentoring.models import Question, Round
from tests.communities.permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
)
from tests.factories import UserFactory

from .questionnaires import conftest as questionnaires_conftest
from .questionnaires.conftest import QuestionnaireCast

# The cast's fixtures, shared with tests/mentoring/questionnaires/.
frozen = questionnaires_conftest.frozen
module_questionnaire_cast = questionnaires_conftest.module_questionnaire_cast
qcast = questionnaires_conftest.qcast

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    cast: QuestionnaireCast
    draft_question: Question

    @property
    def answer(self) -> dict:
        return {**self.cast.post(scale="4", fit="подходит"), "action": "submit"}


def submitted(round_: Round) -> bool:
    return round_.responses.filter(submitted_at__isnull=False).exists()


def _u(name, *args):
    return lambda s: reverse(f"mentoring:{name}", args=[a(s) for a in args])


QUESTIONNAIRE = lambda s: s.cast.questionnaire.pk  # noqa: E731
DRAFT = lambda s: s.cast.draft.pk  # noqa: E731
DECEMBER = lambda s: s.cast.december.pk  # noqa: E731
PAIR = lambda s: s.cast.pair.pk  # noqa: E731

VIEWS: dict[str, View] = {
    "mentoring:questionnaire_list": View(_u("questionnaire_list")),
    # The page; creating for another region is bad input (test_monitoring.py).
    "mentoring:questionnaire_create": View(_u("questionnaire_create")),
    "mentoring:my_questionnaires": View(_u("my_questionnaires")),
    "mentoring:questionnaire_detail": View(_u("questionnaire_detail", QUESTIONNAIRE)),
    "mentoring:question_add": View(
        _u("question_add", DRAFT),
        post={"question-text": "Что было полезнее всего?", "question-kind": "text"},
        done=lambda s: s.cast.draft.questions.filter(text="Что было полезнее всего?").exists(),
    ),
    "mentoring:question_delete": View(
        lambda s: reverse("mentoring:question_delete", args=[s.cast.draft.pk, s.draft_question.pk]),
        post={},
        done=lambda s: not Question.objects.filter(pk=s.draft_question.pk).exists(),
    ),
    "mentoring:round_create": View(
        _u("round_create", DRAFT),
        post={
            "round-title": "Май",
            "round-audience": "pairs",
            "round-school_year": "2020",
            "round-opens_on": "2021-05-10",
            "round-closes_on": "2021-05-31",
        },
        done=lambda s: s.cast.draft.rounds.filter(title="Май").exists(),
    ),
    "mentoring:round_overview": View(_u("round_overview", DECEMBER)),
    "mentoring:round_pair": View(_u("round_pair", DECEMBER, PAIR)),
    "mentoring:round_answer": View(
        lambda s: reverse("mentoring:round_answer", args=[s.cast.members_round.pk]),
        post=lambda s: s.answer,
        done=lambda s: submitted(s.cast.members_round),
    ),
    "mentoring:round_answer_pair": View(
        _u("round_answer_pair", DECEMBER, PAIR),
        post=lambda s: s.answer,
        done=lambda s: submitted(s.cast.december),
    ),
}

COLUMNS = list(VIEWS)
N, F, Y, S = NOT_FOUND, FORBIDDEN, OK, SIGN_IN  # no such page, forbidden, yes, sign in
# fmt: off
TABLE: dict[str, list] = {
    #                         list create my detail q_add q_del round overview pair answer answer_pair
    "mentee":                [F,   F,     Y,  N,     N,    N,    N,    F,       F,   N,     Y],
    "mentor":                [F,   F,     Y,  N,     N,    N,    N,    F,       F,   N,     Y],
    "curator":               [Y,   F,     Y,  N,     N,    N,    N,    Y,       Y,   N,     N],
    "territory_coordinator": [Y,   Y,     Y,  Y,     Y,    Y,    Y,    Y,       Y,   N,     N],
    # Coordinates Алексинский район: builds for the region, follows the pairs of the district only.
    "district_coordinator":  [Y,   Y,     Y,  Y,     Y,    Y,    Y,    Y,       N,   N,     N],
    # Reads the territory: figures without names, never a pair's answers.
    "methodist":             [Y,   F,     Y,  F,     F,    F,    F,    Y,       F,   N,     N],
    "other_mentor":          [F,   F,     Y,  N,     N,    N,    N,    F,       N,   N,     N],
    "other_curator":         [Y,   F,     Y,  N,     N,    N,    N,    Y,       N,   N,     N],
    "association_head":      [Y,   F,     Y,  N,     N,    N,    N,    N,       N,   Y,     N],
    "association_member":    [F,   F,     Y,  N,     N,    N,    N,    N,       N,   Y,     N],
    "coordinator_elsewhere": [Y,   Y,     Y,  N,     N,    N,    N,    N,       N,   N,     N],
    "methodist_elsewhere":   [Y,   F,     Y,  N,     N,    N,    N,    N,       N,   N,     N],
    "outsider":              [F,   F,     Y,  N,     N,    N,    N,    N,       N,   N,     N],
    "superuser":             [Y,   Y,     Y,  Y,     Y,    Y,    Y,    Y,       Y,   N,     N],
    "anonymous":             [S,   S,     S,  S,     S,    S,    S,    S,       S,   S,     S],
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


def test_the_table_covers_every_view_of_questionnaires():
    from mentoring.views import questionnaires

    assert {f"mentoring:{p.name}" for p in questionnaires.urlpatterns} == set(VIEWS)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table(
    qcast, client, django_capture_on_commit_callbacks, role, view_name, expected
):
    if role == "superuser":
        qcast.people["superuser"] = UserFactory(
            email="root@school.example", organisation=None, is_superuser=True, is_staff=True
        )
    scene = Scene(cast=qcast, draft_question=qcast.draft.questions.get())
    check(
        client,
        qcast.people[role],
        VIEWS[view_name],
        scene,
        expected,
        django_capture_on_commit_callbacks,
    )
