"""Who keeps the territory's orders and programmes.

Readers are the coordinators and methodists of a territory (TerritoryRole), for what their territory
covers (networks.coverage); writers are its coordinators; superusers do both everywhere. An order is
the territory's when its issuer is placed in the territory, or when it founds, closes or amends a
structure of the territory (a regional authority's order founding a municipal structure is in the
municipality's register too). A programme is the territory's when it is placed there.

Refusals as everywhere (CONVENTIONS, «three answers»): the lists are 403 to a signed-in person with no
territory role; an order or programme outside the viewer's territories is 404; one inside that the
viewer only reads (a methodist, or a coordinator of another territory who reads this one as a
methodist) is 403 to edit.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from ..coverage import covered_by
from ..manage.permissions import coordinated_territories
from ..models import Order, Organisation, Programme, Structure, StructureAct, TerritoryRole, User
from ..permissions import territory_roles

READING_ROLES = (TerritoryRole.Role.COORDINATOR, TerritoryRole.Role.METHODIST)


def reading_territories(user: User) -> list[TerritoryRole]:
    return [r for r in territory_roles(user) if r.role in READING_ROLES]


def can_read_orders(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or bool(reading_territories(user)))
    )


def can_write_orders(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or bool(coordinated_territories(user)))
    )


def refuse_unless_reads(user: User) -> None:
    if not can_read_orders(user):
        raise PermissionDenied


def refuse_unless_writes(user: User) -> None:
    if not can_write_orders(user):
        raise PermissionDenied


def _orders_of(territories) -> Q | None:
    """The orders of the territories as one condition (see the module's docstring)."""
    places = covered_by(territories)
    if places is None:
        return None
    structures = Structure.objects.filter(places)
    return (
        covered_by(territories, region="issuer__region_id", municipality="issuer__municipality_id")
        | Exists(structures.filter(founding_order=OuterRef("pk")))
        | Exists(structures.filter(closing_order=OuterRef("pk")))
        | Exists(
            StructureAct.objects.filter(order=OuterRef("pk"), structure__in=structures.values("pk"))
        )
    )


def orders_read(user: User) -> QuerySet[Order]:
    if user.is_superuser:
        return Order.objects.all()
    condition = _orders_of(reading_territories(user))
    return Order.objects.none() if condition is None else Order.objects.filter(condition)


def orders_written(user: User) -> QuerySet[Order]:
    if user.is_superuser:
        return Order.objects.all()
    condition = _orders_of(coordinated_territories(user))
    return Order.objects.none() if condition is None else Order.objects.filter(condition)


def order_for(user: User, pk: int, *, to: str = "read") -> Order:
    """The order to read ("read", its file too) or to edit ("edit"): 404 outside the viewer's
    territories, 403 to edit one the viewer only reads."""
    if not can_read_orders(user):
        raise Http404
    order = orders_read(user).select_related("issuer").filter(pk=pk).first()
    if order is None:
        raise Http404
    if to == "edit" and not orders_written(user).filter(pk=pk).exists():
        raise PermissionDenied
    return order


def _place(territories, **paths) -> Q | None:
    return covered_by(territories, **paths)


def programmes_read(user: User) -> QuerySet[Programme]:
    if user.is_superuser:
        return Programme.objects.all()
    condition = _place(reading_territories(user))
    return Programme.objects.none() if condition is None else Programme.objects.filter(condition)


def programmes_written(user: User) -> QuerySet[Programme]:
    if user.is_superuser:
        return Programme.objects.all()
    condition = _place(coordinated_territories(user))
    return Programme.objects.none() if condition is None else Programme.objects.filter(condition)


def programme_for(user: User, pk: int, *, to: str = "read") -> Programme:
    if not can_read_orders(user):
        raise Http404
    programme = programmes_read(user).filter(pk=pk).first()
    if programme is None:
        raise Http404
    if to == "edit" and not programmes_written(user).filter(pk=pk).exists():
        raise PermissionDenied
    return programme


def issuers_for(user: User) -> QuerySet[Organisation]:
    """The organisations a coordinator picks as an order's issuer or a programme's owner: those
    placed in the territories they coordinate."""
    if user.is_superuser:
        return Organisation.objects.filter(successor__isnull=True)
    condition = _place(coordinated_territories(user))
    if condition is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition, successor__isnull=True)
