"""Which pairs are dormant: no contact for MentoringSettings.dormant_after_days (30 by default),
counted from the last contact or, without any, from the pair's start. Apart from test_dormant.py,
whose module-built pair_cast would be among the pairs these tests count."""

from __future__ import annotations

import pytest

from mentoring.models import MentoringSettings
from mentoring.selectors import dormant_pairs
from networks.models import OrganisationKind
from networks.services import structure_close
from tests.factories import ContactFactory, OrganisationFactory, RegionFactory

from .conftest import quick_pair
from .test_dormant import TODAY, days_ago

pytestmark = pytest.mark.django_db


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

    found = dormant_pairs(today=TODAY)
    assert {p.name for p in found} == {never_met.name, boundary.name}
    assert {p.name: p.last_contact for p in found}[boundary.name] == days_ago(30)


def test_dormant_after_days_is_the_regions_setting(host):
    patient = RegionFactory(code="34", name="Волгоградская область")
    MentoringSettings.objects.create(region=patient, dormant_after_days=60)
    quick_pair(host=host, name="Здесь 30 дней", established_on=days_ago(40))
    elsewhere = OrganisationFactory(kind=OrganisationKind.METHODICAL, municipality__region=patient)
    quick_pair(host=elsewhere, name="Там 40 дней", established_on=days_ago(40))
    quick_pair(host=elsewhere, name="Там 70 дней", established_on=days_ago(70))

    assert {p.name for p in dormant_pairs(today=TODAY)} == {"Здесь 30 дней", "Там 70 дней"}
    assert [p.name for p in dormant_pairs(today=TODAY, region=patient)] == ["Там 70 дней"]
