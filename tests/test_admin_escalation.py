"""Issue 15, «a municipal coordinator makes himself superuser»: the demo coordinator was `is_staff`,
the «Координаторы» group held every permission of `networks`, and `POST
/admin/networks/user/1/change/` with `is_superuser=on` succeeded. Now the admin is for active
superusers only (config/admin_site.py), the user form cannot grant rights to anyone else
(networks/admin.py), migration networks/0012 takes the old rights away, and the admin lives at
DJANGO_ADMIN_URL.

What a refused person gets is pinned: a 302 to the admin's own sign-in page (Django's admin_view),
which tells a signed-in person that he is not allowed; the page he asked for never renders.
"""

import importlib
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from config.admin_site import PortalAdminSite
from config.settings.base import admin_url
from networks.admin import RIGHTS
from networks.models import Role, TerritoryRole, User
from tests.factories import MembershipFactory, TerritoryRoleFactory, UserFactory

pytestmark = pytest.mark.django_db

take_admin_rights_away = importlib.import_module(
    "networks.migrations.0012_admin_superusers_only"
).take_admin_rights_away


def territory_coordinator():
    return TerritoryRoleFactory(role=TerritoryRole.Role.COORDINATOR).user


def methodist():
    return TerritoryRoleFactory(role=TerritoryRole.Role.METHODIST).user


def structure_coordinator():
    return MembershipFactory(role=Role.COORDINATOR).user


PEOPLE = {
    "territory coordinator": territory_coordinator,
    "methodist": methodist,
    "structure coordinator": structure_coordinator,
}


def coordinators_group_with_every_networks_permission():
    group, _ = Group.objects.get_or_create(name="Координаторы")
    group.permissions.set(Permission.objects.filter(content_type__app_label="networks"))
    return group


def as_before_the_fix(person):
    """What the demo did to its coordinator: staff, in the «Координаторы» group with every
    permission of networks, and (worse than the demo) every permission of every app directly."""
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    person.groups.add(coordinators_group_with_every_networks_permission())
    person.user_permissions.set(Permission.objects.all())
    return User.objects.get(pk=person.pk)  # no cached permissions


def refused(response) -> bool:
    """Sent to the admin's sign-in page (with the page asked for as `next`)."""
    return (
        response.status_code == 302
        and urlsplit(response.url).path == reverse("admin:login")
        and "next=" in response.url
    )


def admin_pages(person, victim) -> dict[str, str]:
    return {
        "index": reverse("admin:index"),
        "user list": reverse("admin:networks_user_changelist"),
        "someone's change page": reverse("admin:networks_user_change", args=[victim.pk]),
        "own change page": reverse("admin:networks_user_change", args=[person.pk]),
        "someone's password form": reverse("admin:auth_user_password_change", args=[victim.pk]),
    }


def change_form_data(user: User, **rights) -> dict:
    """A complete, valid POST of the user change form: the person as he is, plus `rights`."""
    data = {
        "email": user.email,
        "last_name": user.last_name,
        "first_name": user.first_name,
        "patronymic": user.patronymic,
        "position": user.position,
        "post": user.post,
        "organisation": user.organisation_id or "",
        "phone": user.phone,
        "is_active": "on",
        "territory_roles-TOTAL_FORMS": "0",
        "territory_roles-INITIAL_FORMS": "0",
        "territory_roles-MIN_NUM_FORMS": "0",
        "territory_roles-MAX_NUM_FORMS": "1000",
    }
    data.update(rights)
    return data


# --- Nobody but a superuser gets an admin page ----------------------------------------------------


@pytest.mark.parametrize("staff", [False, True], ids=["plain", "made staff with every permission"])
@pytest.mark.parametrize("who", PEOPLE)
def test_coordinators_and_methodists_get_no_admin_page_not_even_when_made_staff(client, who, staff):
    person = PEOPLE[who]()
    if staff:
        person = as_before_the_fix(person)
    victim = UserFactory(email="victim@school.example")
    client.force_login(person)

    for page, url in admin_pages(person, victim).items():
        response = client.get(url)
        assert refused(response), (page, response.status_code)
        assert "victim@school.example" not in response.content.decode()


@pytest.mark.parametrize("who", PEOPLE)
def test_a_post_making_oneself_superuser_in_the_admin_changes_nothing(client, who):
    person = as_before_the_fix(PEOPLE[who]())
    victim = UserFactory()
    client.force_login(person)

    for target in (person, victim):
        url = reverse("admin:networks_user_change", args=[target.pk])
        data = change_form_data(target, is_superuser="on", is_staff="on", last_name="Взломов")
        response = client.post(url, data)

        assert refused(response)
        target.refresh_from_db()
        assert not target.is_superuser and target.last_name != "Взломов"


def test_a_post_setting_someones_password_in_the_admin_changes_nothing(client):
    person = as_before_the_fix(territory_coordinator())
    victim = UserFactory()
    client.force_login(person)
    url = reverse("admin:auth_user_password_change", args=[victim.pk])

    response = client.post(url, {"password1": "Zx9!kettle-Orbit", "password2": "Zx9!kettle-Orbit"})

    assert refused(response)
    victim.refresh_from_db()
    assert not victim.check_password("Zx9!kettle-Orbit")


def test_every_model_admin_of_every_app_is_closed_to_a_staff_coordinator(client):
    client.force_login(as_before_the_fix(territory_coordinator()))
    registered = admin.site._registry
    labels = {model._meta.app_label for model in registered}
    assert {"networks", "communities", "mentoring", "reporting"} <= labels

    for model in registered:
        name = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        for url in (reverse(f"{name}_changelist"), reverse(f"{name}_add")):
            assert refused(client.get(url)), url
    # The autocomplete behind every autocomplete field would list people of every region.
    autocomplete = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "networks", "model_name": "membership", "field_name": "user", "term": "а"},
    )
    assert refused(autocomplete)


def test_the_admins_own_sign_in_form_refuses_a_staff_coordinator(client):
    person = as_before_the_fix(territory_coordinator())
    person.set_password("Qv7-lantern-Moss")
    person.save(update_fields=["password"])

    response = client.post(
        reverse("admin:login"), {"username": person.email, "password": "Qv7-lantern-Moss"}
    )

    assert response.status_code == 200  # the form again, with its error
    assert response.context["form"].errors
    assert refused(client.get(reverse("admin:index")))


def test_the_site_is_the_portals_superusers_only_site():
    assert isinstance(admin.site._wrapped, PortalAdminSite)


def test_only_a_superuser_sees_the_administration_link(client):
    client.force_login(as_before_the_fix(territory_coordinator()))
    assert f'href="{reverse("admin:index")}"' not in client.get(reverse("home")).content.decode()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    assert f'href="{reverse("admin:index")}"' in client.get(reverse("home")).content.decode()


# --- Belt and braces: the user form itself ----------------------------------------------------


def test_the_user_form_has_no_rights_fields_for_a_non_superuser_who_reached_it(rf):
    person = as_before_the_fix(territory_coordinator())
    request = rf.get("/")
    request.user = person
    user_admin = admin.site._registry[User]

    assert not user_admin.has_view_permission(request, person)
    assert not user_admin.has_change_permission(request, person)
    assert not user_admin.has_add_permission(request)
    assert not user_admin.has_delete_permission(request, person)
    assert not user_admin.has_module_permission(request)
    form_class = user_admin.get_form(request, person, change=True)
    assert not set(RIGHTS) & set(form_class.base_fields)
    form = form_class(change_form_data(person, is_superuser="on", is_staff="on"), instance=person)
    assert form.is_valid(), form.errors
    form.save()
    person.refresh_from_db()
    assert not person.is_superuser
    # Called past the site, the change view itself refuses him too.
    post = rf.post("/", change_form_data(person, is_superuser="on"))
    post.user = person
    post._dont_enforce_csrf_checks = True
    with pytest.raises(PermissionDenied):
        user_admin.changeform_view(post, str(person.pk))


# --- A superuser still uses the admin -------------------------------------------------------------


def test_a_superuser_uses_the_admin_and_may_grant_rights(client):
    operator = UserFactory(is_staff=True, is_superuser=True)
    person = territory_coordinator()
    client.force_login(operator)

    for page, url in admin_pages(operator, person).items():
        assert client.get(url).status_code == 200, page
    url = reverse("admin:networks_user_change", args=[person.pk])
    response = client.post(url, change_form_data(person, is_superuser="on", is_staff="on"))

    assert response.status_code == 302, response.context and response.context["errors"]
    assert response.url == reverse("admin:networks_user_changelist")
    person.refresh_from_db()
    assert person.is_superuser and person.is_staff


def test_an_inactive_superuser_gets_no_admin_page(client):
    operator = UserFactory(is_staff=True, is_superuser=True)
    request_user = User.objects.get(pk=operator.pk)
    request_user.is_active = False
    assert not PortalAdminSite().has_permission(type("Request", (), {"user": request_user}))


# --- The data migration -----------------------------------------------------------------------


def test_the_migration_empties_the_coordinators_group_and_takes_staff_from_all_but_superusers():
    group = coordinators_group_with_every_networks_permission()
    coordinator = territory_coordinator()
    coordinator.is_staff = True
    coordinator.save(update_fields=["is_staff"])
    coordinator.groups.add(group)
    operator = UserFactory(is_staff=True, is_superuser=True)
    operators = Group.objects.create(name="Операторы")
    operators.permissions.set(Permission.objects.filter(codename="view_user"))

    take_admin_rights_away(apps, None)

    assert not group.permissions.exists()
    coordinator.refresh_from_db()
    operator.refresh_from_db()
    assert not coordinator.is_staff and not coordinator.is_superuser
    assert User.objects.get(pk=coordinator.pk).get_all_permissions() == set()
    assert operator.is_staff and operator.is_superuser
    assert operators.permissions.count() == 1  # another group is left alone


def test_the_migration_does_nothing_without_the_group():
    take_admin_rights_away(apps, None)
    assert not Group.objects.exists()


# --- The admin at DJANGO_ADMIN_URL --------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ("admin/", "admin/"),
        ("/ops-7f3k/", "ops-7f3k/"),
        ("ops-7f3k", "ops-7f3k/"),
        (" portal/ops/ ", "portal/ops/"),
        ("", "admin/"),
        ("/", "admin/"),
    ],
)
def test_django_admin_url_is_read_as_a_path_prefix(value, path):
    assert admin_url(value) == path


@pytest.fixture
def admin_moved():
    """The URLs rebuilt with ADMIN_URL moved, and rebuilt as they were afterwards."""
    import config.urls

    with override_settings(ADMIN_URL="ops-7f3k/"):
        importlib.reload(config.urls)
        clear_url_caches()
        yield
    importlib.reload(config.urls)
    clear_url_caches()


def test_the_admin_follows_django_admin_url(client, admin_moved):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert reverse("admin:index") == "/ops-7f3k/"
    assert client.get("/ops-7f3k/").status_code == 200
    assert client.get("/admin/").status_code == 404


def test_the_admin_is_at_admin_by_default():
    assert reverse("admin:index") == "/admin/"


# --- Issue 16: the coordinators' own pages grant no rights either ------------------------------


def test_the_coordinators_pages_post_no_rights_whatever_is_sent(client):
    """Every form a coordinator has instead of the admin (orders, programmes, the region's deadline
    rules, the mentoring limits), posted with the rights fields added: saved as asked, and nobody's
    rights changed — neither the poster's nor anyone else's."""
    from networks.models import Order, OrganisationKind, Programme
    from reporting.models import DeadlineRule
    from tests.factories import MunicipalityFactory, OrganisationFactory, kind

    region_role = TerritoryRoleFactory(role=TerritoryRole.Role.COORDINATOR)
    person, region = region_role.user, region_role.region
    victim = UserFactory()
    group = coordinators_group_with_every_networks_permission()
    centre = OrganisationFactory(
        kind=OrganisationKind.METHODICAL, municipality=MunicipalityFactory(region=region)
    )
    client.force_login(person)
    rights = {
        "is_staff": "on",
        "is_superuser": "on",
        "groups": [group.pk],
        "user_permissions": list(Permission.objects.values_list("pk", flat=True)[:5]),
        "user": victim.pk,
    }
    order = {"kind": "prikaz", "issuer": centre.pk, "number": "1", "date": "2021-03-11"}
    order["title"] = "О программе"
    programme = {"title": "Программа", "region": region.pk, "starts_on": "2021-09-01"}
    rule = {
        "region": region.pk,
        "title": "Отчёт",
        "deliverable": "report",
        "kind": kind("S5").pk,
        "due_day": "10",
        "due_month": "6",
        "deliverer_role": "head",
        "recipient": "ЦНППМ",
    }
    limits = {"max_pairs_per_mentor": "4", "dormant_after_days": "30", "request_overdue_days": "7"}

    posts = [
        (reverse("networks:orders:order_create"), order),
        (reverse("networks:orders:programme_create"), programme),
        (reverse("reporting:rule_create"), rule),
        (reverse("mentoring:settings"), limits),
    ]
    for address, data in posts:
        response = client.post(address, {**data, **rights})
        assert response.status_code == 302, (address, response.status_code)
    saved_order = Order.objects.get(issuer=centre, number="1")
    saved_programme = Programme.objects.get(title="Программа")
    saved_rule = DeadlineRule.objects.get(title="Отчёт", region=region)
    posts = [
        (reverse("networks:orders:order_edit", args=[saved_order.pk]), order),
        (reverse("networks:orders:programme_edit", args=[saved_programme.pk]), programme),
        (reverse("reporting:rule_edit", args=[saved_rule.pk]), rule),
        (reverse("reporting:rule_switch", args=[saved_rule.pk]), {"active": "0"}),
    ]
    for address, data in posts:
        assert client.post(address, {**data, **rights}).status_code == 302, address

    for someone in (person, victim):
        fresh = User.objects.get(pk=someone.pk)
        assert not fresh.is_staff and not fresh.is_superuser
        assert not fresh.groups.exists() and not fresh.user_permissions.exists()
        assert fresh.get_all_permissions() == set()
    # …and the admin stays closed to him after all that.
    assert refused(client.get(reverse("admin:index")))
    assert refused(client.get(reverse("admin:reporting_deadlinerule_changelist")))


def test_no_form_of_the_coordinators_pages_has_a_rights_field():
    from mentoring.forms.settings import MentoringSettingsForm
    from networks.orders.forms import OrderForm, ProgrammeForm
    from reporting.deadline_rules.forms import RuleForm

    for form in (OrderForm, ProgrammeForm, RuleForm, MentoringSettingsForm):
        assert not set(RIGHTS) & set(form.base_fields), form
        assert form._meta.model is not User
