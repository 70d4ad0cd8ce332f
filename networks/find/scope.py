"""Which structures' inner life (materials, events, discussions, members' names) a person sees:
the same answer as `StructureAccess.can_see_inner`, for every structure at once — a current member
of the structure or of its parent, a coordinator or methodist of a territory that covers it, a
superuser. (A closed structure's former members read their years on its pages; search leaves them
out.)

The structures the person is in (and their sub-structures) are read once per request as a short
list of ids and kept on the user object; a territory stays a condition on the structure's region
and municipality (a region's two thousand ids would be a long list in every query). One condition
«pk IN my memberships OR parent IN my memberships OR in my region» made PostgreSQL scan every
structure of the country for every kind searched."""

from __future__ import annotations

from django.db.models import Q

from ..coverage import covered_by
from ..models import Membership, Structure, User
from ..permissions import territory_roles


def _mine(user: User) -> frozenset[int]:
    cached = getattr(user, "_find_my_structures", None)
    if cached is None:
        mine = set(
            Membership.objects.current().filter(user=user).values_list("structure_id", flat=True)
        )
        if mine:
            mine.update(Structure.objects.filter(parent_id__in=mine).values_list("pk", flat=True))
        cached = user._find_my_structures = frozenset(mine)
    return cached


def inner_structures(user: User, prefix: str = "structure__") -> Q | None:
    """A condition on the rows whose structure is at `prefix` ("" for structures themselves);
    None: every structure (a superuser)."""
    if user.is_superuser:
        return None
    condition = Q(**{f"{prefix}pk__in": _mine(user)})
    territory = covered_by(
        territory_roles(user), region=f"{prefix}region_id", municipality=f"{prefix}municipality_id"
    )
    return condition | territory if territory is not None else condition


def in_scope(queryset, user: User, prefix: str = "structure__"):
    """The rows of `queryset` whose structure the person sees inside."""
    condition = inner_structures(user, prefix)
    return queryset if condition is None else queryset.filter(condition)
