"""Reads that pages share. Each does its own select_related/prefetch_related so that the number of
queries does not grow with the number of structures or members."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import Membership, OrganisationStatus, Structure
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
