"""networks.selectors.through(): a condition on a structure's own columns, checked on the joined
structure of a related row, selects exactly what `structure__in=Structure.objects.filter(...)`
selects."""

import datetime as dt

import pytest
from django.db.models import Q

from communities.models import Event
from networks.models import Membership, Structure
from networks.selectors import through
from tests.factories import EventFactory, MembershipFactory, StructureFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    mine, parent, in_region, elsewhere, closed = StructureFactory.create_batch(5)
    child = StructureFactory(parent=parent, region=elsewhere.region, host=elsewhere.host)
    in_region.region = mine.region
    in_region.save()
    closed.closed_on = dt.date(2024, 5, 31)
    closed.closing_reason = "term_ended"
    closed.region = mine.region
    closed.save()
    member = MembershipFactory(structure=mine, role="coordinator").user
    MembershipFactory(structure=parent, user=member, role="coordinator")
    for structure in (mine, parent, in_region, elsewhere, closed, child):
        EventFactory.create_batch(2, structure=structure)
    return member, mine.region_id


def _conditions(member, region_id):
    own = Membership.objects.filter(user=member, until__isnull=True).values("structure_id")
    return [
        Q(pk__in=own) | Q(region_id=region_id),
        Q(closed_on__isnull=True) & (Q(pk__in=own) | Q(parent_id__in=own)),
        ~Q(region_id=region_id),
        Q(region_id=region_id, municipality_id__isnull=False) & ~Q(closed_on__isnull=False),
    ]


def test_through_selects_what_structure_in_selects(events):
    member, region_id = events
    for condition in _conditions(member, region_id):
        joined = set(Event.objects.filter(through(condition)).values_list("pk", flat=True))
        nested = set(
            Event.objects.filter(
                structure__in=Structure.objects.filter(condition).values("pk")
            ).values_list("pk", flat=True)
        )
        assert joined == nested
        assert 0 < len(joined) < Event.objects.count(), f"{condition} picks some, not all"


def test_through_refuses_a_reverse_relation_that_would_multiply_rows():
    with pytest.raises(ValueError, match="memberships__user"):
        through(Q(memberships__user=1))
