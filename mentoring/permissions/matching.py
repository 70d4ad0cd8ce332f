"""Who may match mentors with mentees, and where; who keeps the catalogue of deficits.

R-TUL-A3-5.2: the curators of the region's pairs and the territory's coordinators match pairs.
"""

from dataclasses import dataclass

from django.db.models import Q

from networks.coverage import Place, covered_by, covers
from networks.models import Role, Structure, TerritoryRole
from networks.permissions import territory_roles


@dataclass(frozen=True)
class MatchingScope:
    """Where a person may match pairs: everywhere (superuser), or in (region, municipality|None)
    places — their territory as its coordinator, the regions of the pairs they curate."""

    everywhere: bool = False
    places: tuple[Place, ...] = ()

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.places)

    def organisations(self, prefix: str = "") -> Q:
        """The condition on organisations (through `prefix`, e.g. "organisation__") in scope."""
        if self.everywhere:
            return Q()
        condition = covered_by(
            self.places, region=f"{prefix}region_id", municipality=f"{prefix}municipality_id"
        )
        return condition if condition is not None else Q(pk__in=[])

    def covers(self, organisation) -> bool:
        if self.everywhere:
            return True
        if organisation is None:
            return False
        return any(
            covers(place, organisation.region_id, organisation.municipality_id)
            for place in self.places
        )


def matching_scope(user) -> MatchingScope:
    """The curators of the region's pairs and the territory's coordinators match pairs
    (R-TUL-A3-5.2); one query at most beside the cached territory roles."""
    if not user.is_authenticated or not user.is_active:
        return MatchingScope()
    if user.is_superuser:
        return MatchingScope(everywhere=True)
    places = {
        Place(r.region_id, r.municipality_id)
        for r in territory_roles(user)
        if r.role == TerritoryRole.Role.COORDINATOR
    }
    curated = Structure.objects.filter(
        kind__is_pair=True,
        closed_on__isnull=True,
        memberships__user=user,
        memberships__role=Role.CURATOR,
        memberships__until__isnull=True,
    ).values_list("region_id", flat=True)
    places |= {Place(region_id) for region_id in set(curated)}
    return MatchingScope(places=tuple(sorted(places, key=lambda p: (p[0], p[1] or 0))))


def can_edit_catalogue(user) -> bool:
    """The catalogue of deficits and requests is the coordinators' (and the admin's)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(
        r.role == TerritoryRole.Role.COORDINATOR for r in territory_roles(user)
    )


__all__ = [
    "MatchingScope",
    "can_edit_catalogue",
    "matching_scope",
]
