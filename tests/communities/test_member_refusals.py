"""Members and roles refuse at the start (issue 16): a third person for a full network pair
(R-TUL-A3-1.1: one mentor and one mentee) is refused on the members page when invited, not when
the invitee accepts; the invitation form offers only the roles still open; a refusal names this
school year (06.12.2026: 2026/2027), shows one error, and the member's page keeps showing the role
the person has."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from communities import services
from communities.forms import InvitationForm, RoleForm
from communities.models import Invitation
from networks.models import Role
from tests.factories import (
    InvitationFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    TerritoryRoleFactory,
    UserFactory,
    make_pair,
)

pytestmark = pytest.mark.django_db
TODAY = dt.datetime(2026, 12, 6, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _in_2026_27(time_machine):
    time_machine.move_to(TODAY, tick=False)


@pytest.fixture
def pair():
    """A pair formed in 2020/2021 and still working, as the demo's Tula pairs."""
    return make_pair(year=2020)


@pytest.fixture
def coordinator(pair):
    return TerritoryRoleFactory(role="coordinator", region=pair.region).user


def _head(status: str | None = None, *, year: int = 2026, email: str = ""):
    school = OrganisationFactory()
    if status:
        OrganisationStatusFactory(organisation=school, school_year=year, status=status)
    return UserFactory(
        organisation=school, position="Директор", **({"email": email} if email else {})
    )


def _errors(html: str) -> list[str]:
    """The error messages a person reads on the page: at a field, above a form, as a message."""
    at_fields = re.findall(r'<p id="error_\d+_[^"]*"><strong>(.*?)</strong></p>', html, re.S)
    above = re.findall(r'alert-danger">\s*<ul class="m-0">(.*?)</ul>', html, re.S)
    above = [item for block in above for item in re.findall(r"<li>(.*?)</li>", block, re.S)]
    flashed = re.findall(
        r'<div class="alert alert-(?:danger|error)[^"]*"[^>]*>(.*?)</div>', html, re.S
    )
    return [re.sub(r"\s+", " ", m).strip() for m in at_fields + above + flashed]


def test_r_tul_a3_1_1_the_invitation_form_offers_only_the_roles_still_open(pair):
    offered = [
        value for value, _label in InvitationForm(structure=pair).fields["role"].widget.choices
    ]
    assert offered == [Role.CURATOR]
    pair.memberships.get(role=Role.MENTOR).delete()
    offered = [
        value for value, _label in InvitationForm(structure=pair).fields["role"].widget.choices
    ]
    assert Role.MENTOR in offered and Role.MENTEE not in offered


def test_r_tul_a3_1_1_a_third_person_for_a_full_pair_is_refused_on_the_members_page(
    client, pair, coordinator
):
    client.force_login(coordinator)
    response = client.post(
        reverse("communities:invite", args=[pair.pk]),
        {"invite-email": "tretiy@school.example", "invite-role": "mentee"},
    )
    assert response.status_code == 200
    assert not Invitation.objects.exists()
    errors = _errors(response.content.decode())
    assert len(errors) == 1, errors
    assert errors[0].startswith("В паре уже есть наставляемый.")
    assert response.content.decode().count("В паре уже есть") == 1
    assert "приказ от 16.09.2020 № 83-а, приложение 3, п. 1.1" in errors[0]
    assert "R-TUL" not in response.content.decode()
    assert response.context["invite_form"].errors["role"]


def test_r_tul_a3_1_1_an_old_invitation_into_a_full_pair_says_so_before_the_button(client, pair):
    third = _head("shnor", email="tretiy@school.example")
    invitation = InvitationFactory(
        structure=pair, email=third.email, role=Role.MENTOR, token="link-to-a-full-pair"
    )
    client.force_login(third)
    page = client.get(reverse("communities:invitation", args=["link-to-a-full-pair"]))
    assert "В паре уже есть наставник." in page.context["problem"]
    client.post(reverse("communities:invitation", args=["link-to-a-full-pair"]))
    assert not pair.memberships.filter(user=third).exists()
    invitation.refresh_from_db()
    assert invitation.used_at is None


def test_r_tul_a3_1_1_an_invited_head_outside_this_years_shnor_list_is_refused_at_once(
    client, pair, coordinator
):
    """The refusal names this school year, 2026/2027, whatever year the pair was formed in."""
    pair.memberships.get(role=Role.MENTEE).delete()
    # A ШНОР in 2020/2021, no longer on the list of 2026/2027.
    former_shnor = _head("shnor", year=2020, email="byvshaya@school.example")
    client.force_login(coordinator)
    response = client.post(
        reverse("communities:invite", args=[pair.pk]),
        {"invite-email": former_shnor.email, "invite-role": "mentee"},
    )
    errors = _errors(response.content.decode())
    assert len(errors) == 1, errors
    assert "не в списке ШНОР на 2026/2027 учебный год" in errors[0]
    assert "2020/2021" not in errors[0]
    assert not Invitation.objects.exists()


def test_r_tul_a3_1_1_a_role_change_checks_the_shnor_list_of_this_school_year(pair):
    """A member since 2020 made the mentee in 2026 must head a ШНОР of 2026/2027 (the root of
    «не в списке ШНОР на 2020/2021» seen in 2026: the check read the year of `since`)."""
    pair.memberships.get(role=Role.MENTEE).delete()
    curator = pair.memberships.get(role=Role.CURATOR)
    curator.user.organisation = OrganisationFactory()
    curator.user.position = "Директор"
    curator.user.post = curator.user.Post.HEAD
    curator.user.save()
    OrganisationStatusFactory(
        organisation=curator.user.organisation, school_year=2020, status="shnor"
    )
    with pytest.raises(Exception) as error:
        services.role_assign(membership=curator, role=Role.MENTEE, by=UserFactory())
    assert "на 2026/2027 учебный год" in str(error.value)
    OrganisationStatusFactory(
        organisation=curator.user.organisation, school_year=2026, status="shnor"
    )
    services.role_assign(membership=curator, role=Role.MENTEE, by=UserFactory())
    curator.refresh_from_db()
    assert curator.role == Role.MENTEE


def test_r_tul_a3_1_1_a_refused_role_change_shows_one_error_and_the_role_the_person_has(
    client, pair, coordinator
):
    curator = pair.memberships.get(role=Role.CURATOR)
    client.force_login(coordinator)
    response = client.post(
        reverse("communities:role_change", args=[pair.pk, curator.pk]), {"role-role": "mentee"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    errors = _errors(html)
    assert len(errors) == 1, errors
    assert errors[0].startswith("В паре уже есть наставляемый.")
    assert html.count("В паре уже есть") == 1
    heading = html[html.index("<h1") : html.index('<div class="row')]
    assert "Куратор" in heading and "Наставляемый" not in heading
    curator.refresh_from_db()
    assert curator.role == Role.CURATOR


def test_r_tul_a3_1_1_the_role_form_offers_the_members_own_role_and_the_open_ones(pair):
    curator = pair.memberships.get(role=Role.CURATOR)
    mentor = pair.memberships.get(role=Role.MENTOR)
    offered = RoleForm(structure=pair, membership=curator).fields["role"].widget.choices
    assert [v for v, _l in offered] == [Role.CURATOR]
    offered = RoleForm(structure=pair, membership=mentor).fields["role"].widget.choices
    assert [v for v, _l in offered] == [Role.CURATOR, Role.MENTOR]
