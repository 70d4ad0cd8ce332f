"""The permission table of network pairs, matching, the catalogue and tutoring: every role of the
pair cast (tests/mentoring/pairs/conftest.py) against every view of the feature.

The rule the orders set for a pair's log (R-TUL-A3-4.2.1, 5.3): the pair, its curator and the
territory's coordinator read it; the territory's methodist gets 403 (they see the pair's public card
and aggregated figures only); everybody else gets 404; anonymous visitors the sign-in page.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from mentoring.models import Competence, Contact, Topic, TutorAssignment
from networks.models import Structure, User
from tests.communities.permission_table import (
    FORBIDDEN,
    NOT_FOUND,
    OK,
    SIGN_IN,
    View,
    cases,
    check,
    refreshed,
    url,
)
from tests.factories import CompetenceFactory, UserFactory, topic

from .pairs.conftest import YEAR, PairCast, build_pair_cast, school


@dataclass
class Scene:
    cast: PairCast
    pair: Structure
    assignment: TutorAssignment
    community: Structure
    topic: Topic
    new_mentee: User
    new_mentor: User


def scene_of(cast: PairCast) -> Scene:
    municipality = cast.shnor.municipality
    new_mentee = UserFactory(
        email="new.mentee@school.example",
        organisation=school(municipality, "shnor"),
        position="Заместитель директора",
    )
    new_mentor = UserFactory(
        email="new.mentor@school.example",
        organisation=school(municipality, "leader"),
        position="Директор",
    )
    CompetenceFactory(user=new_mentee, topic=topic("ОГЭ"), side=Competence.Side.DEFICIT)
    CompetenceFactory(user=new_mentor, topic=topic("ОГЭ"), side=Competence.Side.STRENGTH)
    return Scene(
        cast=cast,
        pair=cast.pair,
        assignment=cast.assignment,
        community=cast.community,
        topic=topic("PISA"),
        new_mentee=new_mentee,
        new_mentor=new_mentor,
    )


def today() -> str:
    return timezone.localdate().isoformat()


def contact_data(subject: str) -> dict:
    return {
        "contact-date": today(),
        "contact-form": "consulting",
        "contact-channel": "messenger",
        "contact-topic": subject,
        "contact-outcome": "",
        "contact-next_step": "",
    }


VIEWS: dict[str, View] = {
    "mentoring:competences": View(lambda s: reverse("mentoring:competences")),
    "mentoring:catalogue": View(lambda s: reverse("mentoring:catalogue")),
    "mentoring:catalogue_add": View(
        lambda s: reverse("mentoring:catalogue_add"),
        post={"topic-area": "staff", "topic-name": "Школьные команды", "topic-position": "5"},
        done=lambda s: Topic.objects.filter(name="Школьные команды").exists(),
    ),
    "mentoring:catalogue_topic": View(
        url("mentoring:catalogue_topic", "topic"),
        post=lambda s: {
            f"topic-{s.topic.pk}-area": "assessment",
            f"topic-{s.topic.pk}-name": "PISA и функциональная грамотность",
            f"topic-{s.topic.pk}-position": "40",
        },
        done=lambda s: refreshed(s.topic).name == "PISA и функциональная грамотность",
    ),
    "mentoring:catalogue_toggle": View(
        url("mentoring:catalogue_toggle", "topic"),
        post={},
        done=lambda s: not refreshed(s.topic).is_active,
    ),
    "mentoring:matching": View(lambda s: reverse("mentoring:matching")),
    "mentoring:matching_mentee": View(url("mentoring:matching_mentee", "new_mentee")),
    "mentoring:pair_create": View(
        url("mentoring:pair_create", "new_mentee"),
        post=lambda s: {
            "mentor": s.new_mentor.pk,
            "curator": s.cast.people["curator"].pk,
            "founding_order": s.cast.order.pk,
            "school_year": YEAR,
        },
        done=lambda s: Structure.objects.filter(
            memberships__user=s.new_mentee, memberships__role="mentee"
        ).exists(),
    ),
    "mentoring:my_pairs": View(lambda s: reverse("mentoring:my_pairs")),
    "mentoring:pair_detail": View(url("mentoring:pair_detail", "pair")),
    "mentoring:pair_contact_add": View(
        url("mentoring:pair_contact_add", "pair"),
        post=contact_data("Проверка доступа к журналу"),
        done=lambda s: Contact.objects.filter(
            pair=s.pair, topic="Проверка доступа к журналу"
        ).exists(),
    ),
    "mentoring:tutoring_list": View(url("mentoring:tutoring_list", "community")),
    "mentoring:tutoring_assign": View(url("mentoring:tutoring_assign", "community")),
    "mentoring:tutoring_detail": View(url("mentoring:tutoring_detail", "assignment")),
    "mentoring:tutoring_session_add": View(
        url("mentoring:tutoring_session_add", "assignment"),
        post=contact_data("Разбор урока"),
        done=lambda s: Contact.objects.filter(tutoring=s.assignment, topic="Разбор урока").exists(),
    ),
}

COLUMNS = list(VIEWS)
F, N = FORBIDDEN, NOT_FOUND
# fmt: off
TABLE: dict[str, list] = {
    #                       compet cat  add  topic togg match ment create mine detail log  t_list t_new t_det t_log
    "mentee":                [OK,  F,   F,   F,    F,   F,    F,   F,     OK,  OK,    OK,  N,     N,    N,    N],
    "mentor":                [OK,  F,   F,   F,    F,   F,    F,   F,     OK,  OK,    OK,  N,     N,    N,    N],
    "curator":               [OK,  F,   F,   F,    F,   OK,   OK,  OK,    OK,  OK,    OK,  N,     N,    N,    N],
    # Reads every pair's log of the territory, writes none; runs the catalogue and the matching.
    "territory_coordinator": [OK,  OK,  OK,  OK,   OK,  OK,   OK,  OK,    OK,  OK,    F,   OK,    OK,   OK,   F],
    # Sees the pair's card and the figures, never the log or the sessions.
    "methodist":             [OK,  F,   F,   F,    F,   F,    F,   F,     OK,  F,     F,   OK,    F,    F,    F],
    "other_mentor":          [OK,  F,   F,   F,    F,   F,    F,   F,     OK,  N,     N,   N,     N,    N,    N],
    "community_coordinator": [OK,  F,   F,   F,    F,   F,    F,   F,     OK,  N,     N,   OK,    OK,   OK,   OK],
    "tutor":                 [OK,  F,   F,   F,    F,   F,    F,   F,     OK,  N,     N,   OK,    F,    OK,   OK],
    "teacher":               [OK,  F,   F,   F,    F,   F,    F,   F,     OK,  N,     N,   OK,    F,    OK,   OK],
    "member":                [OK,  F,   F,   F,    F,   F,    F,   F,     OK,  N,     N,   OK,    F,    F,    F],
    "methodist_elsewhere":   [OK,  F,   F,   F,    F,   F,    F,   F,     OK,  N,     N,   N,     N,    N,    N],
    "outsider":              [OK,  F,   F,   F,    F,   F,    F,   F,     OK,  N,     N,   N,     N,    N,    N],
    "anonymous":             [SIGN_IN] * 15,
}
# fmt: on

CASES = cases(TABLE, COLUMNS)


def test_the_table_covers_every_view_of_the_feature():
    from mentoring.views import pairs

    names = {f"mentoring:{p.name}" for p in pairs.urlpatterns}
    assert names == set(VIEWS)


@pytest.fixture(scope="module")
def shared_scene(django_db_setup, django_db_blocker):
    """One cast for the whole table, made once inside a transaction rolled back at the end. Each
    cell runs in a savepoint of its own (pytest-django's `db`), so what one cell changes, the next
    does not see — the way Django's setUpTestData works."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield scene_of(build_pair_cast())
        transaction.set_rollback(True)


@pytest.mark.parametrize(("role", "view_name", "expected"), CASES)
def test_permission_table_pairs(
    db, client, shared_scene, django_capture_on_commit_callbacks, role, view_name, expected
):
    check(
        client,
        shared_scene.cast.people[role],
        VIEWS[view_name],
        shared_scene,
        expected,
        django_capture_on_commit_callbacks,
    )
