"""An operator issues and revokes API tokens in the admin (issue 21): the secret is shown once,
only its hash is kept, and a revoked token opens nothing."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from api.models import ApiToken, secret_hash
from networks.models import OrganisationKind
from tests.api.helpers import api_client
from tests.factories import MunicipalityFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_an_operator_issues_a_token_sees_its_secret_once_and_revokes_it(client):
    operator = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(operator)
    city = MunicipalityFactory()
    system = OrganisationFactory(municipality=city, kind=OrganisationKind.AUTHORITY)
    response = client.post(
        reverse("admin:api_apitoken_add"),
        {"organisation": system.pk, "region": city.region_id, "municipality": city.pk},
        follow=True,
    )
    (shown,) = [str(m) for m in response.context["messages"] if "Ключ доступа" in str(m)]
    secret = re.search(r"Ключ доступа: (\S+) —", shown).group(1)
    assert secret in response.text
    token = ApiToken.objects.get()
    assert (token.organisation, token.municipality, token.created_by) == (system, city, operator)
    assert token.secret_hash == secret_hash(secret) and secret not in token.secret_hash
    assert secret not in client.get(reverse("admin:api_apitoken_change", args=[token.pk])).text
    assert api_client(secret).get("/api/v1/municipalities/").status_code == 200

    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [token.pk]},
    )
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api_client(secret).get("/api/v1/municipalities/").status_code == 401


def test_a_coordinator_cannot_open_the_tokens_in_the_admin(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(reverse("admin:api_apitoken_changelist")).status_code == 302
