"""The structure page reads the small facts its panels need with the structure's own row
(networks.hooks.register_structure_figure, issue 19), and the viewer's territory roles with their
memberships: the panels show the same as when they asked their own queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import JoinRequest
from communities.panels.materials import structure_panel as materials_panel
from communities.panels.membership import structure_panel as membership_panel
from mentoring.panels.pairs import tutoring_panel
from networks import detail_queries, hooks
from networks.models import Role, StructureContact, TerritoryRole
from networks.permissions import access_to, structure_for, territory_roles
from networks.schoolyear import SchoolYear
from reporting.models import Report
from reporting.reports.panels import reports_panel
from tests.factories import (
    DiscussionFactory,
    JoinRequestFactory,
    MaterialFactory,
    MembershipFactory,
    MunicipalityFactory,
    StructureFactory,
    TerritoryRoleFactory,
    TutorAssignmentFactory,
    UserFactory,
    kind,
)

pytestmark = pytest.mark.django_db

PANELS = (membership_panel, materials_panel, tutoring_panel, reports_panel)


def _busy_structure(viewer):
    """An S8 with every fact a figure reads: pending requests and materials, an open discussion,
    a report without a deadline, a contact named in the order, tutors' assignments (one the
    viewer's), and a parent."""
    parent = StructureFactory(kind=kind("S8"), name="Сетевое сообщество педагогов области")
    structure = StructureFactory(kind=kind("S8"), parent=parent, region=parent.region)
    JoinRequestFactory.create_batch(2, structure=structure)
    JoinRequestFactory(structure=structure, status=JoinRequest.Status.APPROVED)
    MaterialFactory.create_batch(3, structure=structure, status="pending")
    MaterialFactory(structure=structure, status="published")
    DiscussionFactory(structure=structure, title="Как готовить к ОГЭ по математике")
    DiscussionFactory(
        structure=structure, title="Закрытое обсуждение", closed_at=dt.datetime.now(dt.UTC)
    )
    Report.objects.create(
        structure=structure, school_year=SchoolYear.current().start, title="Отчёт без срока"
    )
    StructureContact.objects.create(
        structure=structure, role=Role.TUTOR, full_name="Петрова Анна Ивановна"
    )
    TutorAssignmentFactory(structure=structure, tutor=viewer)
    TutorAssignmentFactory.create_batch(2, structure=structure)
    TutorAssignmentFactory(structure=structure, until=dt.date(2023, 5, 31))
    return structure


def _panels(user, structure) -> list:
    request = RequestFactory().get("/")
    request.user = user
    return [panel(request, structure) for panel in PANELS]


def _comparable(panels) -> list:
    """What each panel shows: the forms are new objects each time, the rows compared by ids."""

    def value(key, v):
        if key in ("discussions", "materials"):
            return [x.pk for x in v]
        if key == "rows":
            return [(r.deadline and r.deadline.pk, r.report and r.report.pk) for r in v]
        return v

    return [{k: value(k, v) for k, v in p.items() if k != "join_form"} if p else p for p in panels]


@pytest.mark.parametrize("busy", [True, False], ids=["with-every-fact", "with-none"])
def test_the_panels_show_the_same_with_the_figures_as_with_their_own_queries(busy):
    coordinator = UserFactory()
    structure = _busy_structure(coordinator) if busy else StructureFactory(kind=kind("S8"))
    TerritoryRoleFactory(user=coordinator, role="coordinator", region=structure.region)
    MembershipFactory(structure=structure, user=coordinator, role=Role.TUTOR)

    with_figures = detail_queries.structure_for_page(coordinator, structure.pk)
    assert hooks.structure_figure(with_figures, "join_pending") == (2 if busy else 0)
    assert hooks.structure_figure(with_figures, "materials_pending") == (3 if busy else 0)
    assert hooks.structure_figure(with_figures, "tutoring_all") == (3 if busy else 0)
    assert hooks.structure_figure(with_figures, "tutoring_mine") == (1 if busy else 0)
    assert hooks.structure_figure(with_figures, "open_discussions") is busy
    assert hooks.structure_figure(with_figures, "loose_reports") is busy
    assert with_figures.has_contacts is busy

    # Another page reads the structure without the figures: each panel asks its own query.
    plain_user = type(coordinator).objects.get(pk=coordinator.pk)
    plain = structure_for(plain_user, structure.pk)
    assert hooks.structure_figure(plain, "join_pending") is None
    figured = _panels(coordinator, with_figures)
    asked = _panels(plain_user, plain)
    assert _comparable(figured) == _comparable(asked)
    if busy:
        assert figured[0]["pending_count"] == 2
        assert figured[1]["pending_count"] == 3
        assert [d.title for d in figured[1]["discussions"]] == ["Как готовить к ОГЭ по математике"]
        assert figured[2]["count"] == 3
        assert [r.report.title for r in figured[3]["rows"]] == ["Отчёт без срока"]


def test_the_structure_page_shows_what_the_figures_read(client):
    coordinator = UserFactory()
    structure = _busy_structure(coordinator)
    TerritoryRoleFactory(user=coordinator, role="coordinator", region=structure.region)
    client.force_login(coordinator)
    html = client.get(reverse("networks:structure_detail", args=[structure.pk])).content.decode()
    assert "Сетевое сообщество педагогов области" in html  # the parent, in the breadcrumb
    assert reverse("networks:structure_detail", args=[structure.parent_id]) in html
    assert "Заявки (2)" in html
    assert "Материалы, ожидающие допуска (3)" in html
    assert "Как готовить к ОГЭ по математике" in html
    assert "Закрытое обсуждение" not in html
    assert "Петрова Анна Ивановна" in html
    assert "Отчёт без срока" in html


def test_a_quiet_structure_page_asks_no_query_for_what_it_does_not_have(client):
    """No contacts, no open discussion, no report without a deadline, no parent: those reads are
    answered by the structure's row (20 queries before, 15 here)."""
    coordinator = UserFactory()
    structure = StructureFactory(kind=kind("S8"))
    TerritoryRoleFactory(user=coordinator, role="coordinator", region=structure.region)
    client.force_login(coordinator)
    url = reverse("networks:structure_detail", args=[structure.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    for table in (
        "networks_structurecontact",
        "communities_discussion",
        "communities_membershipblock",
        "mentoring_tutorassignment",
    ):
        # Read as EXISTS or a count inside the structure's own query, not a query of its own.
        assert not any(
            q["sql"].lstrip().startswith(f'SELECT "{table}"') for q in ctx.captured_queries
        ), table
    assert 'FROM "networks_territoryrole"' in tables
    assert not any(
        q["sql"].lstrip().startswith('SELECT "networks_territoryrole"')
        for q in ctx.captured_queries
    )
    assert len(ctx.captured_queries) <= 15


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
def test_access_reads_the_territory_roles_with_the_memberships_in_one_query(closed):
    region_role_region = MunicipalityFactory().region
    municipality = MunicipalityFactory()
    user = UserFactory()
    TerritoryRoleFactory(user=user, role="methodist", region=region_role_region)
    TerritoryRoleFactory(
        user=user, role="coordinator", region=municipality.region, municipality=municipality
    )
    structure = StructureFactory(
        region=municipality.region,
        municipality=municipality,
        closed_on=dt.date(2024, 5, 31) if closed else None,
        closing_reason="unforeseen" if closed else "",
    )
    MembershipFactory(structure=structure, user=user, role=Role.MEMBER)
    with CaptureQueriesContext(connection) as ctx:
        access = access_to(user, structure)
        roles = territory_roles(user)
    assert len(ctx.captured_queries) == 1
    assert access.role == Role.MEMBER and access.territory_coordinator
    expected = list(TerritoryRole.objects.filter(user=user).order_by("pk"))
    assert [(r.pk, r.user_id, r.role, r.region_id, r.municipality_id) for r in roles] == [
        (r.pk, r.user_id, r.role, r.region_id, r.municipality_id) for r in expected
    ]
    assert roles[1].municipality == municipality  # a real instance: its relations load


def test_access_of_someone_without_territory_roles_or_memberships():
    user = UserFactory()
    structure = StructureFactory()
    access = access_to(user, structure)
    assert not access.is_member and not access.territory_coordinator
    assert territory_roles(user) == []
