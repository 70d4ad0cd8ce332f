"""Who sets structures up in the browser: the coordinators of a territory (TerritoryRole
coordinator of the region or of one municipality), for the structures and places their territory
covers (networks.coverage), and superusers.

Refusals as everywhere (CONVENTIONS, «three answers»): the page to create a structure is 403 to a
signed-in person who coordinates no territory; a structure's edit and order pages are 404 to those
with no relation to its inner life (a coordinator of another territory among them) and 403 to its
members, its territory's methodists and its former members, who see it but do not set it up.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet

from ..coverage import covered_by, covers
from ..models import Municipality, Organisation, Region, Structure, TerritoryRole, User
from ..permissions import StructureAccess, structure_for, territory_roles


def coordinated_territories(user: User) -> list[TerritoryRole]:
    """The territories the person coordinates (loaded once per request)."""
    return [r for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR]


def can_set_up_structures(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or bool(coordinated_territories(user)))
    )


def refuse_unless_sets_up(user: User) -> None:
    if not can_set_up_structures(user):
        raise PermissionDenied


def can_set_up_structure(access: StructureAccess) -> bool:
    """Edit a structure, record its orders: its territory's coordinator (or a superuser)."""
    return access.territory_coordinator or access.superuser


def structure_to_set_up(user: User, pk: int, *, queryset=None) -> Structure:
    """The structure to edit or to record an order of: 404 to those who do not see its inner life,
    403 to those who see it but do not set it up."""
    structure = structure_for(user, pk, to="see_years", queryset=queryset)
    if not can_set_up_structure(structure.access):
        raise PermissionDenied
    return structure


def place_covered(user: User, region_id: int | None, municipality_id: int | None) -> bool:
    if user.is_superuser:
        return True
    if region_id is None:
        return False
    return any(covers(t, region_id, municipality_id) for t in coordinated_territories(user))


def _condition(user: User, *, region: str, municipality: str) -> Q | None:
    if user.is_superuser:
        return Q()
    return covered_by(coordinated_territories(user), region=region, municipality=municipality)


def regions_for(user: User) -> QuerySet[Region]:
    if user.is_superuser:
        return Region.objects.all()
    return Region.objects.filter(pk__in={t.region_id for t in coordinated_territories(user)})


def municipalities_for(user: User) -> QuerySet[Municipality]:
    condition = _condition(user, region="region_id", municipality="pk")
    if condition is None:
        return Municipality.objects.none()
    return Municipality.objects.filter(condition).select_related("region")


def organisations_for(user: User) -> QuerySet[Organisation]:
    """Organisations placed in the person's territories (hosts, parties to an agreement)."""
    condition = _condition(user, region="region_id", municipality="municipality_id")
    if condition is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition, successor__isnull=True)


def structures_for(user: User) -> QuerySet[Structure]:
    condition = _condition(user, region="region_id", municipality="municipality_id")
    if condition is None:
        return Structure.objects.none()
    return Structure.objects.filter(condition)
