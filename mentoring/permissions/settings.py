"""Who sets a region's mentoring limits (MentoringSettings: pairs per mentor, when a pair counts as
dormant, when a request for help is overdue): the region's coordinator (a TerritoryRole coordinator
of the whole region) and superusers; the region's methodists and its municipalities' coordinators
read them. The page is 403 to a signed-in person with no territory role, and a region they do not
read is 404. Imported by its module, not re-exported by the package."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from networks.models import Region, TerritoryRole, User
from networks.permissions import territory_roles

READING_ROLES = (TerritoryRole.Role.COORDINATOR, TerritoryRole.Role.METHODIST)


def settings_regions(user: User):
    if user.is_superuser:
        return Region.objects.all()
    ids = {r.region_id for r in territory_roles(user) if r.role in READING_ROLES}
    return Region.objects.filter(pk__in=ids)


def can_set_mentoring_limits(user: User, region_id: int) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(
        r.role == TerritoryRole.Role.COORDINATOR
        and r.municipality_id is None
        and r.region_id == region_id
        for r in territory_roles(user)
    )


def settings_region_for(user: User, pk) -> Region:
    """The region whose limits are shown: the one asked for if the person reads it (404 if not),
    else their first; 403 to a person with no territory role."""
    if not user.is_superuser and not any(r.role in READING_ROLES for r in territory_roles(user)):
        raise PermissionDenied
    regions = settings_regions(user).order_by("name")
    if pk in (None, ""):
        region = regions.first()
    else:
        try:
            region = regions.filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            region = None
    if region is None:
        raise Http404
    return region
