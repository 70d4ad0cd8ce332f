"""Requests for organisations missing from the registry: the coordinator's home block and the
admin where they are handled."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from networks.account import services
from networks.account.home import KEPT_REQUESTS
from networks.models import Organisation, OrganisationRequest, TerritoryRole
from tests.factories import (
    MunicipalityFactory,
    OrganisationFactory,
    OrganisationRequestFactory,
    RegionFactory,
    TerritoryRoleFactory,
    UserFactory,
    valid_inn,
)
from tests.helpers import mentoring_limits_kept

pytestmark = pytest.mark.django_db
HOME = reverse("home")
CHANGELIST = reverse("admin:networks_organisationrequest_changelist")


def coordinator_of(region, **user):
    return TerritoryRoleFactory(
        role=TerritoryRole.Role.COORDINATOR, region=region, user=UserFactory(**user)
    ).user


def home_block(client):
    for block in client.get(HOME).context["blocks"]:
        if block["template"] == "account/home/organisation_requests.html":
            return block
    return None


def test_coordinator_sees_new_requests_of_their_region_only(client):
    region = RegionFactory()
    mine = OrganisationRequestFactory(region=region, name="МКОУ «Фатежская ООШ»")
    OrganisationRequestFactory(region=region, status="added")
    OrganisationRequestFactory()  # another region
    client.force_login(coordinator_of(region))

    block = home_block(client)

    assert block["order"] == 35
    assert block["requests"] == [mine]
    assert "МКОУ «Фатежская ООШ»" in client.get(HOME).content.decode()


@pytest.mark.parametrize("role", [None, TerritoryRole.Role.METHODIST])
def test_others_have_no_request_block(client, role):
    region = RegionFactory()
    OrganisationRequestFactory(region=region)
    user = UserFactory()
    if role:
        TerritoryRoleFactory(user=user, role=role, region=region)
    client.force_login(user)
    assert home_block(client) is None


def test_request_block_query_count_does_not_grow(client):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)
    region = RegionFactory()
    client.force_login(coordinator_of(region))
    OrganisationRequestFactory(region=region)

    def count():
        KEPT_REQUESTS.changed()  # the requests read from the database, not the shared cache
        with CaptureQueriesContext(connection) as queries:
            assert client.get(HOME).status_code == 200
        return len(queries)

    client.get(HOME)  # the territory's deadline figures kept (reporting.summaries.nearest)
    small = count()
    OrganisationRequestFactory.create_batch(25, region=region)
    assert count() == small
    assert home_block(client)["more"] is True


def test_resolving_links_the_person_and_records_who_did_it():
    request = OrganisationRequestFactory()
    coordinator = UserFactory()
    school = OrganisationFactory()

    services.organisation_request_resolve(request=request, organisation=school, by=coordinator)

    request.refresh_from_db()
    request.user.refresh_from_db()
    assert (request.status, request.resolved_organisation, request.handled_by) == (
        "added",
        school,
        coordinator,
    )
    assert request.handled_at is not None
    assert request.user.organisation == school


def test_resolving_does_not_override_an_organisation_picked_meanwhile():
    picked = OrganisationFactory()
    request = OrganisationRequestFactory(user=UserFactory(organisation=picked))
    services.organisation_request_resolve(
        request=request, organisation=OrganisationFactory(), by=UserFactory()
    )
    request.user.refresh_from_db()
    assert request.user.organisation == picked


def test_a_handled_request_is_not_handled_again():
    request = OrganisationRequestFactory(status="rejected")
    with pytest.raises(ValidationError, match="уже рассмотрена"):
        services.organisation_request_add_organisation(request=request, by=UserFactory())


def test_add_organisation_reuses_the_one_with_the_same_inn():
    existing = OrganisationFactory(inn=valid_inn(4242))
    request = OrganisationRequestFactory(inn=existing.inn)
    services.organisation_request_add_organisation(request=request, by=UserFactory())
    assert request.resolved_organisation == existing


def test_admin_action_creates_the_organisation_and_links_the_person(client):
    region = RegionFactory(name="Курская область")
    MunicipalityFactory(region=region, name="Фатежский район")
    request = OrganisationRequestFactory(
        region=region, name="МКОУ «Фатежская ООШ»", municipality="Фатежский район"
    )
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = client.post(
        CHANGELIST,
        {"action": "add_organisation_and_link", "_selected_action": [request.pk]},
        follow=True,
    )

    assert "Организации добавлены и привязаны; заявок: 1." in response.content.decode()
    organisation = Organisation.objects.get(full_name="МКОУ «Фатежская ООШ»")
    assert organisation.municipality.name == "Фатежский район"
    request.refresh_from_db()
    request.user.refresh_from_db()
    assert request.status == "added" and request.user.organisation == organisation


def test_admin_linking_an_existing_organisation_resolves_the_request(client):
    request = OrganisationRequestFactory()
    school = OrganisationFactory(region=request.region, municipality=None)
    admin = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:networks_organisationrequest_change", args=[request.pk])

    response = client.post(
        url,
        {
            "name": request.name,
            "region": request.region_id,
            "municipality": request.municipality,
            "inn": "",
            "resolved_organisation": school.pk,
            "comment": "Школа уже была в реестре под полным наименованием.",
        },
    )

    assert response.status_code == 302
    request.refresh_from_db()
    request.user.refresh_from_db()
    assert (request.status, request.handled_by, request.user.organisation) == (
        "added",
        admin,
        school,
    )


def test_the_admin_lists_every_regions_requests_to_a_superuser_and_none_to_a_coordinator(client):
    # Issue 15: the admin is for superusers only. A coordinator, even made staff and given the
    # requests' permissions, is sent to the admin's sign-in; he sees his region's requests on his
    # home page (above).
    region = RegionFactory()
    mine = OrganisationRequestFactory(region=region)
    other = OrganisationRequestFactory()
    coordinator = coordinator_of(region, is_staff=True)
    coordinator.user_permissions.add(
        *Permission.objects.filter(codename__endswith="organisationrequest")
    )
    client.force_login(coordinator)
    refused = client.get(CHANGELIST)
    assert refused.status_code == 302
    assert refused.url.startswith(reverse("admin:login"))

    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.get(CHANGELIST)
    assert set(response.context["cl"].queryset) == {mine, other}
    assert OrganisationRequest.objects.count() == 2
