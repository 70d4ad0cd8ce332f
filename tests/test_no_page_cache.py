"""Issue 19: every page is built for its request. The per-browser page cache that parsed every SQL
statement is gone whole: no wrapper watches a connection's statements, and a change committed by
one request shows on the next page at once (nothing stored in between)."""

import pytest
from django.db import connections
from django.urls import reverse

from networks.models import Structure

from .factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_a_new_database_connection_has_no_execute_wrappers():
    connection = connections.create_connection("default")
    try:
        connection.ensure_connection()  # fires connection_created, where the cache hooked in
        assert connection.execute_wrappers == []
    finally:
        connection.close()


def test_the_home_page_shows_a_renamed_structure_on_the_next_request(client):
    membership = MembershipFactory()
    client.force_login(membership.user)
    first = client.get(reverse("home"))
    assert membership.structure.name in first.content.decode()

    Structure.objects.filter(pk=membership.structure_id).update(name="Сеть после переименования")

    assert "Сеть после переименования" in client.get(reverse("home")).content.decode()
