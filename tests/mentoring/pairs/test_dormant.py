"""Dormant pairs: no contact for MentoringSettings.dormant_after_days (30 by default), counted
from the last contact or, without any, from the pair's start; the curator's «Мои пары» and the
home page blocks."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentoring.models import MentoringSettings, PairState
from mentoring.selectors import dormant_pairs
from networks.models import OrganisationKind
from networks.services import structure_close
from tests.factories import ContactFactory, OrganisationFactory, RegionFactory, UserFactory

from .conftest import quick_pair

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def host(db):
    return OrganisationFactory(kind=OrganisationKind.METHODICAL)


def test_dormant_pairs_count_from_the_last_contact_or_the_start(host):
    never_met = quick_pair(host=host, name="Без контактов 40 дней", established_on=days_ago(40))
    quick_pair(host=host, name="Началась 10 дней назад", established_on=days_ago(10))
    boundary = quick_pair(host=host, name="Контакт 30 дней назад", established_on=days_ago(90))
    ContactFactory(pair=boundary, date=days_ago(30))
    recent = quick_pair(host=host, name="Контакт 29 дней назад", established_on=days_ago(90))
    ContactFactory(pair=recent, date=days_ago(29))
    lively = quick_pair(host=host, name="Давний и свежий контакт", established_on=days_ago(90))
    ContactFactory(pair=lively, date=days_ago(60))
    ContactFactory(pair=lively, date=days_ago(5))
    closed = quick_pair(host=host, name="Закрыта", established_on=days_ago(90))
    structure_close(structure=closed, on=days_ago(1), reason="term_ended")

    # Only this test's pairs: the module's pair_cast may be built already (tests/mentoring/pairs/
    # conftest.py builds it once per module).
    made = {
        "Без контактов 40 дней",
        "Началась 10 дней назад",
        "Контакт 30 дней назад",
        "Контакт 29 дней назад",
        "Давний и свежий контакт",
        "Закрыта",
    }
    found = [p for p in dormant_pairs(today=TODAY) if p.name in made]
    assert {p.name for p in found} == {never_met.name, boundary.name}
    assert {p.name: p.last_contact for p in found}[boundary.name] == days_ago(30)


def test_dormant_after_days_is_the_regions_setting(host):
    patient = RegionFactory(code="34", name="Волгоградская область")
    MentoringSettings.objects.create(region=patient, dormant_after_days=60)
    quick_pair(host=host, name="Здесь 30 дней", established_on=days_ago(40))
    elsewhere = OrganisationFactory(kind=OrganisationKind.METHODICAL, municipality__region=patient)
    quick_pair(host=elsewhere, name="Там 40 дней", established_on=days_ago(40))
    quick_pair(host=elsewhere, name="Там 70 дней", established_on=days_ago(70))

    made = {"Здесь 30 дней", "Там 40 дней", "Там 70 дней"}
    found = {p.name for p in dormant_pairs(today=TODAY)} & made
    assert found == {"Здесь 30 дней", "Там 70 дней"}
    assert [p.name for p in dormant_pairs(today=TODAY, region=patient)] == ["Там 70 дней"]


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
