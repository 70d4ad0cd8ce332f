"""R-TUL-A3-1.1: the mentees are heads and deputy heads of ШНОР, so a ШНОР teacher is neither
listed for matching nor reachable by address. Apart from test_matching.py, whose candidates (built
once for that module) include a ШНОР director: here the territory has one mentee and the teacher."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory

from .conftest import school
from .test_matching import build_mentee, build_territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def territory(db):
    return build_territory()


@pytest.fixture
def mentee(territory):
    return build_mentee(territory)


def test_r_tul_a3_1_1_shnor_teachers_are_not_listed_for_matching(
    client, coordinator, mentee, territory
):
    teacher = UserFactory(
        position="Учитель физики", organisation=school(territory["home"], "shnor")
    )
    response = client.get(reverse("mentoring:matching"))
    assert list(response.context["page"].object_list) == [mentee]
    page = client.get(reverse("mentoring:matching_mentee", args=[teacher.pk]))
    assert page.status_code == 404
