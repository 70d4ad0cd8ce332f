"""A region's mentoring limits (MentoringSettings) in the browser instead of the Django admin
(issue 16): the region's coordinator sets them, its methodists and municipal coordinators read
them, others get 403 (no territory role) or 404 (a region they do not read)."""

import pytest
from django.urls import reverse

from mentoring.models import MentoringSettings
from mentoring.selectors.pairs import mentoring_settings
from networks.models import TerritoryRole
from tests.communities.permission_table import FORBIDDEN, NOT_FOUND, OK, SIGN_IN, View, cases, check
from tests.factories import MunicipalityFactory, RegionFactory, TerritoryRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def person_with(role, region, municipality=None):
    user = UserFactory()
    TerritoryRoleFactory(user=user, role=role, region=region, municipality=municipality)
    return user


class Scene:
    def __init__(self):
        self.region = RegionFactory()
        municipality = MunicipalityFactory(region=self.region)
        other = RegionFactory()
        C, M = TerritoryRole.Role.COORDINATOR, TerritoryRole.Role.METHODIST
        self.people = {
            "coordinator": person_with(C, self.region),
            "municipal_coordinator": person_with(C, self.region, municipality),
            "other_coordinator": person_with(C, other),
            "methodist": person_with(M, self.region),
            "plain": UserFactory(),
            "anonymous": None,
        }


LIMITS = {"max_pairs_per_mentor": "5", "dormant_after_days": "45", "request_overdue_days": "10"}


def _page(scene) -> str:
    return reverse("mentoring:settings") + f"?region={scene.region.pk}"


def _set(scene) -> bool:
    return MentoringSettings.objects.filter(region=scene.region, max_pairs_per_mentor=5).exists()


VIEWS = {
    "page": View(_page),
    "save": View(_page, post=LIMITS, done=_set),
}
TABLE = {
    "coordinator": [OK, OK],
    "municipal_coordinator": [OK, FORBIDDEN],
    "other_coordinator": [NOT_FOUND, NOT_FOUND],
    "methodist": [OK, FORBIDDEN],
    "plain": [FORBIDDEN, FORBIDDEN],
    "anonymous": [SIGN_IN, SIGN_IN],
}


@pytest.mark.parametrize(("role", "view", "expected"), cases(TABLE, list(VIEWS)))
def test_who_sets_the_mentoring_limits(
    client, django_capture_on_commit_callbacks, role, view, expected
):
    scene = Scene()
    check(
        client, scene.people[role], VIEWS[view], scene, expected, django_capture_on_commit_callbacks
    )


def test_the_limits_set_are_the_ones_matching_reads(client):
    scene = Scene()
    client.force_login(scene.people["coordinator"])
    assert "значения по умолчанию" in client.get(_page(scene)).content.decode()

    client.post(_page(scene), LIMITS)

    limits = mentoring_settings(scene.region.pk)
    assert (limits.max_pairs_per_mentor, limits.dormant_after_days) == (5, 45)
    assert limits.request_overdue_days == 10


def test_bad_limits_are_named_at_their_fields(client):
    scene = Scene()
    client.force_login(scene.people["coordinator"])

    response = client.post(
        _page(scene),
        {"max_pairs_per_mentor": "0", "dormant_after_days": "", "request_overdue_days": "abc"},
    )

    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["max_pairs_per_mentor"] == ["Укажите число от 1 до 20."]
    assert errors["dormant_after_days"] == ["Укажите число."]
    assert "request_overdue_days" in errors
    assert not MentoringSettings.objects.filter(region=scene.region).exists()
