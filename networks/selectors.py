"""Reads that pages share. Each does its own select_related/prefetch_related so that the number of
queries does not grow with the number of structures or members."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from .models import Membership, OrganisationStatus, Structure
from .permissions import MANAGING_ROLES
from .schoolyear import SchoolYear


def structure_detail_queryset() -> QuerySet[Structure]:
    return Structure.objects.select_related(
        "kind",
        "parent",
        "host",
        "host__municipality",
        "region",
        "municipality",
        "programme",
        "founding_order",
        "founding_order__issuer",
        "closing_order",
        "closing_order__issuer",
    )


def structure_members(structure: Structure, year: SchoolYear) -> QuerySet[Membership]:
    """Members during the school year, each with their organisation's status in that year."""
    statuses = OrganisationStatus.objects.filter(school_year=year.start).select_related("order")
    return (
        structure.memberships.during(year)
        .select_related("user", "user__organisation")
        .prefetch_related(
            Prefetch("user__organisation__statuses", queryset=statuses, to_attr="year_statuses")
        )
        .order_by("until", "role", "user__last_name", "user__first_name")
    )


def structure_children(structure: Structure) -> QuerySet[Structure]:
    return structure.children.for_list().order_by("name")


def my_memberships(user) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(user=user)
        .select_related("structure", "structure__kind", "structure__region")
        .order_by("structure__kind__code", "structure__name")
    )


def territory_filter(roles) -> Q | None:
    """Structures covered by the given territory roles, as one condition (None: no territory)."""
    condition = None
    for role in roles:
        part = Q(region_id=role.region_id)
        if role.municipality_id:
            part &= Q(municipality_id=role.municipality_id)
        condition = part if condition is None else condition | part
    return condition


def managed_structures(user, territory_roles) -> QuerySet[Structure]:
    """Structures the person runs: by a managing role in them or as a territory's coordinator."""
    # IN (the person's memberships), not a join with DISTINCT: OR-ed with the territory, the
    # join made PostgreSQL read every membership of the country (docs/PERFORMANCE.md).
    condition = Q(
        pk__in=Membership.objects.filter(
            user=user, until__isnull=True, role__in=MANAGING_ROLES
        ).values("structure_id")
    )
    coordinated = territory_filter([r for r in territory_roles if r.role == "coordinator"])
    if coordinated is not None:
        condition |= coordinated
    return Structure.objects.open().filter(condition)


def members_without_name_consent(structures: QuerySet[Structure]) -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(
            structure__in=structures,
            user__show_name_consent_at__isnull=True,
            user__anonymised_at__isnull=True,
        )
        .select_related("user", "structure")
        .order_by("structure__name", "user__last_name")
    )


def school_participation(organisation) -> QuerySet[Structure]:
    """Structures in which people of the organisation currently take part, with how many."""
    return (
        Structure.objects.filter(
            memberships__user__organisation=organisation, memberships__until__isnull=True
        )
        .select_related("kind")
        .annotate(school_people=Count("memberships", distinct=True))
        .order_by("kind__code", "name")
    )


def territory_structures(territory_roles) -> QuerySet[Structure]:
    condition = territory_filter(territory_roles)
    if condition is None:
        return Structure.objects.none()
    return Structure.objects.for_list().filter(condition).order_by("kind__code", "name")
