"""Reads of the orders register and the programmes list, each in a fixed number of queries."""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.db.models.functions import ExtractYear

from ..models import Order, Programme, Structure, StructureAct, User
from . import permissions


def order_register(user: User) -> QuerySet[Order]:
    """The viewer's territory's orders, newest first, with the structures each founds, closes and
    amends: the page, its count and three prefetches, whatever the data."""
    brief = Structure.objects.only("id", "name", "founding_order_id", "closing_order_id")
    return (
        permissions.orders_read(user)
        .select_related("issuer")
        .prefetch_related(
            Prefetch("founded_structures", queryset=brief.order_by("name")),
            Prefetch("closed_structures", queryset=brief.order_by("name")),
            Prefetch(
                "acts",
                # Amendments, applied or waiting for their day, and closings still waiting (an
                # applied closing is in closed_structures); withdrawn ones changed nothing.
                queryset=StructureAct.objects.filter(withdrawn_at__isnull=True)
                .filter(
                    Q(kind=StructureAct.Kind.AMENDED)
                    | Q(kind=StructureAct.Kind.CLOSED, applied_at__isnull=True)
                )
                .select_related("structure")
                .only(
                    "id",
                    "order_id",
                    "kind",
                    "applies_on",
                    "applied_at",
                    "structure__id",
                    "structure__name",
                )
                .order_by("structure__name"),
                to_attr="amending_acts",
            ),
        )
        .order_by("-date", "number", "pk")
    )


def order_years(user: User) -> list[int]:
    """The years of the viewer's orders, newest first (one query)."""
    return list(
        permissions.orders_read(user)
        .annotate(year=ExtractYear("date"))
        .values_list("year", flat=True)
        .distinct()
        .order_by("-year")
    )


def programme_list(user: User) -> QuerySet[Programme]:
    return (
        permissions.programmes_read(user)
        .select_related("owner", "order", "order__issuer", "region", "municipality")
        .order_by("-starts_on", "title", "pk")
    )
