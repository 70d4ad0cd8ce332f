"""Who keeps a region's document templates (issue 18).

A region's coordinator (TerritoryRole coordinator of the whole region) uploads the region's own
templates and switches them off; superusers (the portal's operators) do so for every region. The
region's methodists and its municipalities' coordinators see the list and download the templates
(they print the documents too) but change nothing (403 on writes). Refusals as everywhere: the page
and its files are 403 to a signed-in person with no territory role; another region, or its
template, is 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from networks.models import Region, TerritoryRole, User
from networks.permissions import territory_roles

from .models import DocumentTemplate

READING_ROLES = (TerritoryRole.Role.COORDINATOR, TerritoryRole.Role.METHODIST)


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def can_read_templates(user: User) -> bool:
    return _active(user) and (
        user.is_superuser or any(r.role in READING_ROLES for r in territory_roles(user))
    )


def regions_read(user: User):
    if user.is_superuser:
        return Region.objects.all()
    ids = {r.region_id for r in territory_roles(user) if r.role in READING_ROLES}
    return Region.objects.filter(pk__in=ids)


def can_keep_templates(user: User, region_id: int | None = None) -> bool:
    """Uploads and switches templates: of `region_id`, or of some region when it is None."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return any(
        r.role == TerritoryRole.Role.COORDINATOR
        and r.municipality_id is None
        and (region_id is None or r.region_id == region_id)
        for r in territory_roles(user)
    )


def region_for(user: User, pk) -> Region:
    """The region asked for if the person reads it (404 if not), else their first."""
    if not can_read_templates(user):
        raise PermissionDenied
    regions = regions_read(user).order_by("name")
    if pk in (None, ""):
        region = regions.first()
        if region is None:
            raise Http404
        return region
    try:
        return get_object_or_404(regions, pk=int(pk))
    except (TypeError, ValueError):
        raise Http404 from None


def region_to_keep(user: User, pk) -> Region:
    region = region_for(user, pk)
    if not can_keep_templates(user, region.pk):
        raise PermissionDenied
    return region


def template_for(user: User, pk: int, *, keep: bool = False) -> DocumentTemplate:
    """A region's template: 404 to those who do not read its region; 403 to those who read but
    do not keep it, when `keep`."""
    if not can_read_templates(user):
        raise PermissionDenied
    template = get_object_or_404(DocumentTemplate.objects.select_related("region"), pk=pk)
    if template.region_id is None or not regions_read(user).filter(pk=template.region_id).exists():
        raise Http404
    if keep and not can_keep_templates(user, template.region_id):
        raise PermissionDenied
    return template
