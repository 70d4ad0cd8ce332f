"""Dormant pairs in the curator's «Мои пары» and the home page blocks. Which pairs are dormant (no
contact for MentoringSettings.dormant_after_days, 30 by default) is test_dormant_rule.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import PairState
from networks.models import OrganisationKind
from tests.factories import ContactFactory, OrganisationFactory, UserFactory
from tests.helpers import mentoring_limits_kept

from .conftest import quick_pair

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def host(db):
    return OrganisationFactory(kind=OrganisationKind.METHODICAL)


# --- «Мои пары» -------------------------------------------------------------------------------------


@pytest.fixture
def curator(client, host):
    person = UserFactory(organisation=host, position="Методист")
    client.force_login(person)
    return person


def test_my_pairs_shows_each_pair_with_its_last_contact_and_flags(client, curator, host):
    asleep = quick_pair(curator=curator, host=host, name="Уснувшая", established_on=days_ago(50))
    awake = quick_pair(curator=curator, host=host, name="Работает", established_on=days_ago(50))
    ContactFactory(pair=awake, date=days_ago(3))
    PairState.objects.create(pair=awake, needs_rematch=True, rematch_reason="Не подходит")
    quick_pair(host=host, name="Чужая пара")

    response = client.get(reverse("mentoring:my_pairs"))
    rows = {row.pair.name: row for row in response.context["rows"]}
    assert set(rows) == {"Уснувшая", "Работает"}
    assert rows["Уснувшая"].dormant and not rows["Уснувшая"].needs_rematch
    assert rows["Уснувшая"].last_contact is None
    assert not rows["Работает"].dormant and rows["Работает"].needs_rematch
    assert rows["Работает"].last_contact == days_ago(3)
    html = response.content.decode()
    assert "«уснула»" in html and "нужен новый наставник" in html
    assert asleep.memberships.get(role="mentee").user.full_name in html


def test_the_territorys_coordinator_sees_every_pair_of_the_territory(client, pair_cast):
    client.force_login(pair_cast.people["territory_coordinator"])
    rows = client.get(reverse("mentoring:my_pairs")).context["rows"]
    assert {r.pair for r in rows} == {pair_cast.pair, pair_cast.other_pair}


def test_my_pairs_takes_the_same_queries_for_2_and_20_pairs(client, curator, host):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("mentoring:my_pairs"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for n in range(2):
        ContactFactory(pair=quick_pair(curator=curator, host=host), date=days_ago(n))
    few = queries()
    for n in range(18):
        pair = quick_pair(curator=curator, host=host)
        ContactFactory(pair=pair, date=days_ago(n))
        PairState.objects.create(pair=pair, needs_rematch=n % 2 == 0)
    assert queries() == few


# --- Home page ------------------------------------------------------------------------------------


def test_the_curators_home_block_counts_dormant_pairs_and_those_needing_a_new_mentor(
    client, curator, host
):
    quick_pair(curator=curator, host=host, established_on=days_ago(45))
    quick_pair(curator=curator, host=host, established_on=days_ago(45))
    rematch = quick_pair(curator=curator, host=host, established_on=days_ago(2))
    PairState.objects.create(pair=rematch, needs_rematch=True)
    blocks = client.get(reverse("home")).context["blocks"]
    block = next(b for b in blocks if b["template"] == "mentoring/pairs/home/curator.html")
    assert (block["total"], block["dormant"], block["rematch"]) == (3, 2, 1)


def test_my_pair_home_block_shows_the_other_side_and_the_last_contact(client, pair_cast):
    ContactFactory(pair=pair_cast.pair, date=days_ago(4))
    mentee = pair_cast.people["mentee"]
    mentee.show_name_consent_at = timezone.now()
    mentee.save()
    client.force_login(pair_cast.people["mentor"])
    html = client.get(reverse("home")).content.decode()
    assert "Моя сетевая пара" in html
    assert pair_cast.pair.name in html
    assert mentee.full_name in html
    assert days_ago(4).strftime("%d.%m.%Y") in html


def test_the_home_page_takes_the_same_queries_for_2_and_20_pairs(client, curator, host):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    for _ in range(2):
        quick_pair(curator=curator, host=host, established_on=days_ago(40))
    few = queries()
    for n in range(18):
        pair = quick_pair(curator=curator, host=host, established_on=days_ago(40))
        ContactFactory(pair=pair, date=days_ago(n))
    assert queries() == few


def test_the_mentors_home_page_takes_the_same_queries_for_1_and_10_pairs(client, host):
    mentor = UserFactory(organisation=host)
    client.force_login(mentor)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("home"))
        assert response.status_code == 200
        return len(ctx.captured_queries)

    def mentor_in_a_new_pair():
        pair = quick_pair(host=host)
        pair.memberships.filter(role="mentor").update(user=mentor)
        ContactFactory(pair=pair, date=days_ago(1))

    mentor_in_a_new_pair()
    few = queries()
    for _ in range(9):
        mentor_in_a_new_pair()
    assert queries() == few
