"""Who keeps a region's deadline rules.

A region's coordinator (TerritoryRole coordinator of the whole region) adds, changes and switches
off the region's own rules; the region's methodists and its municipalities' coordinators read them
(a municipality does not set the whole region's deadlines); superusers do both everywhere, and they
alone change the national rules (in the admin).

Refusals as everywhere: the list is 403 to a signed-in person with no territory role; a region they
do not read, or its rule, is 404; a rule they read but do not keep (a national one, or their region's
when they only read it) is 403 to change.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from networks.models import Region, TerritoryRole, User
from networks.permissions import territory_roles

from ..models import DeadlineRule

READING_ROLES = (TerritoryRole.Role.COORDINATOR, TerritoryRole.Role.METHODIST)


def _active(user: User) -> bool:
    return user.is_authenticated and user.is_active


def regions_read(user: User):
    if user.is_superuser:
        return Region.objects.all()
    ids = {r.region_id for r in territory_roles(user) if r.role in READING_ROLES}
    return Region.objects.filter(pk__in=ids)


def regions_kept(user: User):
    if user.is_superuser:
        return Region.objects.all()
    ids = {
        r.region_id
        for r in territory_roles(user)
        if r.role == TerritoryRole.Role.COORDINATOR and r.municipality_id is None
    }
    return Region.objects.filter(pk__in=ids)


def can_read_rules(user: User) -> bool:
    return _active(user) and (
        user.is_superuser or any(r.role in READING_ROLES for r in territory_roles(user))
    )


def can_keep_rules(user: User, region_id: int | None = None) -> bool:
    """Adds and changes rules: of `region_id`, or of some region when it is None."""
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
    """The region whose rules are listed: the one asked for if the person reads it (404 if not),
    else their first."""
    if not can_read_rules(user):
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


def rule_to_keep(user: User, pk: int) -> DeadlineRule:
    """A region's own rule to change or switch: 404 to those who do not read its region, 403 to
    those who read but do not keep it, and to everyone but superusers for a national rule."""
    if not can_read_rules(user):
        raise Http404
    rule = get_object_or_404(
        DeadlineRule.objects.select_related("kind", "programme", "region", "replaces"), pk=pk
    )
    if rule.region_id is None:
        raise PermissionDenied  # the operators' (in the admin)
    if not regions_read(user).filter(pk=rule.region_id).exists():
        raise Http404
    if not can_keep_rules(user, rule.region_id):
        raise PermissionDenied
    return rule
