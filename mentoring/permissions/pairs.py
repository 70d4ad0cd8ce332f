"""Who may read and write a network pair's log (S4).

A pair's log is its inner life: the pair (mentor, mentee), its curators, the territory's
coordinators and superusers read it; the territory's methodists see the pair's public card and
aggregated figures only (403), everybody else does not learn the log exists (404).
"""

from dataclasses import replace

from django.core.exceptions import PermissionDenied
from django.http import Http404

from networks.models import Membership, Role, Structure
from networks.permissions import StructureAccess, structure_for

PAIR_LOG_ROLES = frozenset({Role.MENTOR, Role.MENTEE, Role.CURATOR})


def can_read_pair_log(access: StructureAccess) -> bool:
    """The pair, its curators, the territory's coordinators, superusers."""
    return access.role in PAIR_LOG_ROLES or access.territory_coordinator or access.superuser


def can_log_pair_contact(access: StructureAccess) -> bool:
    """Both sides and the curator write the log; the territory's coordinator reads it."""
    return access.role in PAIR_LOG_ROLES or access.superuser


def pair_for(user, pk: int, *, to: str = "read") -> Structure:
    """A pair for its log: to="read" or to="log". Outsiders 404, insiders without the right
    (the territory's methodists) 403; `pair.access` is set."""
    pair = structure_for(
        user, pk, to="view", queryset=Structure.objects.select_related("kind", "region")
    )
    if not pair.kind.is_pair:
        raise Http404
    access = pair.access
    if to == "read" and pair.closed_on and not can_read_pair_log(access):
        access = pair.access = _former_side(user, pair, access)
    allowed = can_log_pair_contact(access) if to == "log" else can_read_pair_log(access)
    if not allowed:
        if access.can_see_inner or can_read_pair_log(access):
            raise PermissionDenied
        raise Http404
    return pair


def _former_side(user, pair: Structure, access: StructureAccess) -> StructureAccess:
    """The mentor, mentee or curator of a closed pair keeps reading its log: closing ended their
    memberships on the closing day (networks.services.structure_close), and the record of their
    year is theirs too. Only for those who were there when it closed; the pair is read-only."""
    role = (
        Membership.objects.filter(
            structure=pair, user=user, role__in=PAIR_LOG_ROLES, until=pair.closed_on
        )
        .values_list("role", flat=True)
        .first()
    )
    return replace(access, role=role) if role else access


__all__ = [
    "PAIR_LOG_ROLES",
    "can_log_pair_contact",
    "can_read_pair_log",
    "pair_for",
]
