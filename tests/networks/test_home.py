import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from networks.models import Role, TerritoryRole
from tests.factories import (
    EventFactory,
    MembershipFactory,
    MunicipalityFactory,
    OrganisationFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
)
from tests.helpers import mentoring_limits_kept

pytestmark = pytest.mark.django_db
HOME = reverse("home")


def blocks(client):
    return {b["template"].rsplit("/", 1)[-1]: b for b in client.get(HOME).context["blocks"]}


def test_everyone_sees_their_structures(client):
    membership = MembershipFactory(role=Role.MEMBER)
    client.force_login(membership.user)
    html = client.get(HOME).content.decode()
    assert membership.structure.name in html
    assert [m.pk for m in blocks(client)["my_structures.html"]["memberships"]] == [membership.pk]


def test_coordinator_sees_members_without_consent_to_show_their_name(client):
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    structure = coordinator.structure
    hidden = MembershipFactory(structure=structure)
    MembershipFactory(structure=structure, user=UserFactory(show_name_consent_at=timezone.now()))
    client.force_login(coordinator.user)
    members = blocks(client)["without_consent.html"]["members"]
    assert hidden in members and coordinator in members
    assert len(members) == 2


def test_plain_member_has_no_consent_block(client):
    membership = MembershipFactory(role=Role.MEMBER)
    MembershipFactory(structure=membership.structure)
    client.force_login(membership.user)
    assert "without_consent.html" not in blocks(client)


def test_director_sees_the_participation_of_the_school(client):
    school = OrganisationFactory(short_name="МБОУ «ЦО № 12»")
    director = UserFactory(organisation=school, position="Директор")
    teacher = UserFactory(organisation=school)
    first = MembershipFactory(user=teacher)
    MembershipFactory(structure=first.structure, user=UserFactory(organisation=school))
    MembershipFactory(user=UserFactory())  # another school's structure
    client.force_login(director)
    structures = blocks(client)["school_participation.html"]["structures"]
    assert [(s.pk, s.school_people) for s in structures] == [(first.structure.pk, 2)]


def test_methodist_sees_the_structures_of_the_territory_only(client):
    mine = StructureFactory(name="Объединение моей территории")
    StructureFactory(name="Объединение другой территории")
    methodist = TerritoryRoleFactory(
        role=TerritoryRole.Role.METHODIST, region=mine.region, municipality=mine.municipality
    ).user
    client.force_login(methodist)
    assert [s.name for s in blocks(client)["territory.html"]["structures"]] == [mine.name]


def test_home_query_count_does_not_grow(client):
    mentoring_limits_kept()  # read once, as on every page after the first (mentoring.limits)
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    TerritoryRoleFactory(
        user=coordinator.user,
        role=TerritoryRole.Role.METHODIST,
        region=coordinator.structure.region,
    )
    client.force_login(coordinator.user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(HOME).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for _ in range(10):
        structure = StructureFactory(host=coordinator.structure.host)
        MembershipFactory(structure=structure, user=coordinator.user, role=Role.COORDINATOR)
        MembershipFactory.create_batch(2, structure=structure)
        MembershipFactory(
            structure=structure, user=UserFactory(organisation=coordinator.user.organisation)
        )
    assert count() == small


def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def test_a_regional_coordinator_finds_the_registry_import_on_the_home_page(client):
    coordinator = TerritoryRoleFactory(role=TerritoryRole.Role.COORDINATOR).user
    client.force_login(coordinator)
    html = client.get(HOME).content.decode()
    assert reverse("registry:list") in html
    municipal = TerritoryRoleFactory(
        role=TerritoryRole.Role.COORDINATOR, municipality=MunicipalityFactory()
    )
    municipal.region = municipal.municipality.region
    municipal.save()
    client.force_login(municipal.user)
    assert "registry.html" not in blocks(client)


def test_a_superuser_finds_the_registry_import_too_as_the_permission_module_says(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    html = client.get(HOME).content.decode()
    assert "registry.html" in blocks(client) and reverse("registry:list") in html


def test_what_waits_for_the_person_comes_first_under_its_heading_and_the_rest_after(client):
    """Issue 20: the home page shows what needs the person now first. A coordinator whose member
    has not consented to show their name has something to do (the block asks for it); their
    structures come after, under their own heading."""
    coordinator = MembershipFactory(role=Role.COORDINATOR)
    MembershipFactory(structure=coordinator.structure)
    client.force_login(coordinator.user)
    response = client.get(HOME)
    html = response.content.decode()
    groups = response.context["groups"]
    assert [key for key, _blocks in groups] == ["action", ""]
    action, rest = (html.index(f'id="home-group-{key}"') for key in ("action", "rest"))
    waiting = html.index('id="home-without-consent"')
    mine = html.index('id="home-my-structures"')
    assert action < waiting < rest < mine
    assert "Ждёт ваших действий" in html and ">Обзор</h2>" in html
    assert "Скоро и новое" not in html  # no empty group


def test_the_rest_is_folded_while_something_waits_but_the_persons_own_structures_stay_open(client):
    """Issue 20: «the rest folded». The regional coordinator's registry block folds under «Другие
    разделы» (a <details>: opened by a click or Enter, no script) while a member's consent waits;
    their own structures stay open. With nothing waiting nothing is folded."""
    coordinator = TerritoryRoleFactory(role=TerritoryRole.Role.COORDINATOR).user
    client.force_login(coordinator)
    quiet = client.get(HOME)
    assert [key for key, _blocks in quiet.context["groups"]] == [""], [
        (key, [b["template"] for b in found]) for key, found in quiet.context["groups"]
    ]
    assert quiet.context["folded"] == [] and "<details" not in quiet.content.decode()
    assert "registry.html" in [b["template"].rsplit("/", 1)[-1] for b in quiet.context["shown"]]

    membership = MembershipFactory(role=Role.COORDINATOR, user=coordinator)
    MembershipFactory(
        structure=membership.structure
    )  # has not consented: waits for the coordinator
    response = client.get(HOME)
    html = response.content.decode()
    # Their structures, and matching pairs (the territory's coordinator matches them).
    assert [b["template"] for b in response.context["shown"]] == [
        "networks/home/my_structures.html",
        "mentoring/pairs/home/links.html",
    ]
    folded = response.context["folded"]
    assert "networks/home/registry.html" in [b["template"] for b in folded]
    details = html[html.index('<details class="home-more') : html.index("</details>")]
    assert f"<summary>Другие разделы ({len(folded)})</summary>" in details
    assert 'id="home-registry"' in details
    assert 'id="home-my-structures"' not in details and 'id="home-my-structures"' in html
    assert html.index('id="home-without-consent"') < html.index('id="home-my-structures"')


def test_meetings_come_first_when_one_is_this_week_and_join_the_overview_otherwise(client):
    """Issue 20: «coming up this week» first; the next meeting a fortnight away is in the overview."""
    membership = MembershipFactory(role=Role.MEMBER)
    event = EventFactory(
        structure=membership.structure,
        status="scheduled",
        starts_at=timezone.now() + dt.timedelta(days=14),
    )
    client.force_login(membership.user)

    def group_of(template):
        groups = client.get(HOME).context["groups"]
        return next(k for k, found in groups if template in [b["template"] for b in found])

    assert group_of("communities/events/home_upcoming.html") == ""
    event.starts_at = timezone.now() + dt.timedelta(days=6)
    event.save(update_fields=["starts_at"])
    assert group_of("communities/events/home_upcoming.html") == "soon"


def test_a_person_with_nothing_waiting_sees_only_the_overview():
    from networks import hooks

    blocks = [{"template": "a.html", "order": 10, "needs": None}]
    assert hooks.home_groups(blocks) == [("", blocks)]
    soon = {"template": "b.html", "order": 12, "needs": hooks.NEEDS_SOON}
    act = {"template": "c.html", "order": 50, "needs": hooks.NEEDS_ACTION}
    assert hooks.home_groups([blocks[0], soon, act]) == [
        (hooks.NEEDS_ACTION, [act]),
        (hooks.NEEDS_SOON, [soon]),
        ("", blocks),
    ]


def test_a_territory_coordinator_running_structures_in_and_out_of_the_territory_sees_each_once(
    client,
):
    """Issue 19: the home leaves the structures a coordinator's territory covers out of the
    list of ids OR-ed with the territory (HomeViewer.structure_ids(outside=…)); what the blocks
    show stays the same — the structures inside, those run outside, each once — and a
    subcommunity's reports still reach the coordinator of its parent."""
    from reporting.models import Report

    municipality = MunicipalityFactory()
    coordinator = UserFactory()
    TerritoryRoleFactory(
        user=coordinator,
        role=TerritoryRole.Role.COORDINATOR,
        region=municipality.region,
        municipality=municipality,
    )
    inside_host = OrganisationFactory(municipality=municipality)
    inside = StructureFactory(host=inside_host)
    outside = StructureFactory()  # another region's structure the person coordinates
    assert outside.region_id != municipality.region_id
    child = StructureFactory(parent=outside, kind=outside.kind, host=OrganisationFactory())
    unrelated = StructureFactory()
    for structure in (inside, outside):
        MembershipFactory(structure=structure, user=coordinator, role=Role.COORDINATOR)
    hidden = {s.pk: MembershipFactory(structure=s) for s in (inside, outside, unrelated)}
    past = timezone.now() - dt.timedelta(days=3)
    meetings = {
        s.pk: EventFactory(structure=s, starts_at=past) for s in (inside, outside, unrelated)
    }
    reports = {
        s.pk: Report.objects.create(
            structure=s,
            school_year=2020,
            title=f"Отчёт {s.pk}",
            status=Report.Status.SUBMITTED,
            submitted_at=past,
        )
        for s in (inside, outside, child, unrelated)
    }
    client.force_login(coordinator)
    shown = blocks(client)

    members = shown["without_consent.html"]["members"]
    assert hidden[inside.pk] in members and hidden[outside.pk] in members
    assert hidden[unrelated.pk] not in members
    assert len(members) == len({m.pk for m in members})
    events = [e.pk for e in shown["home_without_minutes.html"]["events"]]
    assert sorted(events) == sorted([meetings[inside.pk].pk, meetings[outside.pk].pk])
    decided = [r.pk for r in shown["home_to_decide.html"]["reports"]]
    assert sorted(decided) == sorted(reports[s.pk].pk for s in (inside, outside, child))
