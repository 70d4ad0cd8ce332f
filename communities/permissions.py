"""Who may do what with join requests, invitations, members and a structure's history.

Structures are loaded and refused by networks.permissions.structure_for; this module only adds the
questions networks' actions do not answer on their own, so that views never decide inline.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from networks.models import Structure, TerritoryRole, User
from networks.permissions import ADMITTING_ROLES, StructureAccess, structure_for, territory_roles
from networks.selectors import territory_filter

from .models import JoinRequest


def can_read_history(access: StructureAccess) -> bool:
    """Those who run the structure or read all of the territory see who changed what."""
    return access.can_manage or access.can_read_all


def structure_for_history(user: User, pk: int) -> Structure:
    """`structure_for` has no action for "read all", so: outsiders 404 there, members 403 here."""
    structure = structure_for(user, pk, to="see_inner")
    if not can_read_history(structure.access):
        raise PermissionDenied
    return structure


def own_join_request(user: User, pk: int) -> JoinRequest:
    """A person's own request; anybody else's does not exist for them."""
    return get_object_or_404(JoinRequest.objects.select_related("structure"), pk=pk, user=user)


def admitted_structures(user: User) -> QuerySet[Structure]:
    """Open structures whose requests the person decides — the same answer as
    StructureAccess.can_admit, as one query for lists across structures."""
    if not user.is_authenticated or not user.is_active:
        return Structure.objects.none()
    structures = Structure.objects.open()
    if user.is_superuser:
        return structures
    condition = Q(
        memberships__user=user,
        memberships__until__isnull=True,
        memberships__role__in=ADMITTING_ROLES,
    ) | Q(
        parent__memberships__user=user,
        parent__memberships__until__isnull=True,
        parent__memberships__role__in=ADMITTING_ROLES,
    )
    coordinated = territory_filter(
        [r for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR]
    )
    if coordinated is not None:
        condition |= coordinated
    return structures.filter(condition)
