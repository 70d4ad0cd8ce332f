"""networks.history.acting_as: the one place that tells simple_history who acted outside a request."""

import pytest
from simple_history.models import HistoricalRecords

from networks.history import acting_as
from tests.factories import StructureFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_change_made_inside_names_the_person_and_the_context_is_left_as_it_was():
    coordinator = UserFactory()
    with acting_as(coordinator):
        structure = StructureFactory()
    structure.name = "Другое название"
    structure.save()

    assert [r.history_user for r in structure.history.order_by("history_id")] == [coordinator, None]
    assert not hasattr(HistoricalRecords.context, "request")


def test_inside_a_request_the_outer_person_comes_back_afterwards():
    outer, inner = UserFactory(), UserFactory()
    HistoricalRecords.context.request = request = type("Request", (), {"user": outer})()
    try:
        with acting_as(inner):
            assert HistoricalRecords.context.request.user == inner
        assert HistoricalRecords.context.request is request
    finally:
        del HistoricalRecords.context.request
