"""Who may import a region's registry: the coordinators of the whole region, and superusers.

A municipal coordinator runs their municipality's structures but does not load the region's list
of schools: the regional authority's order covers the whole region. Loaders refuse the way the
rest of the portal does (CONVENTIONS 5): someone who may import for no region gets 403 on the
import pages; an import of a region that is not theirs is a 404, so nobody learns it exists.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from ..models import Region, RegistryImport, TerritoryRole, User
from ..permissions import territory_roles


def _region_ids(user: User) -> set[int]:
    return {
        r.region_id
        for r in territory_roles(user)
        if r.role == TerritoryRole.Role.COORDINATOR and r.municipality_id is None
    }


def can_import_registry(user: User, region: Region | int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    region_id = region if isinstance(region, int) else region.pk
    return region_id in _region_ids(user)


def import_regions(user: User) -> QuerySet[Region]:
    """The regions the person may import for; raises PermissionDenied when there are none."""
    if user.is_authenticated and user.is_active and user.is_superuser:
        return Region.objects.all()
    ids = _region_ids(user) if user.is_authenticated and user.is_active else set()
    if not ids:
        raise PermissionDenied
    return Region.objects.filter(pk__in=ids)


def registry_import_for(user: User, pk: int) -> RegistryImport:
    """The import, or 404 when it is not of one of the person's regions."""
    registry_import = get_object_or_404(
        RegistryImport.objects.select_related("region", "created_by", "applied_by"), pk=pk
    )
    if not can_import_registry(user, registry_import.region_id):
        raise Http404
    return registry_import
