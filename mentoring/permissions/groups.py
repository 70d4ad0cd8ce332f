"""Who may see and enter the visit statistics of an online group (S2, S3).

R-TUL-A1-5.3, R-TUL-A2-3.1.4: the group's administrator keeps the statistics; R-TUL-A2-4.2.6:
they analyse the group. Whoever sees the group's inner life sees its figures.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from networks.models import Region, Role, Structure, User
from networks.permissions import StructureAccess, structure_for, territory_roles


def is_online_group(structure: Structure) -> bool:
    """A structure that works on an online platform (S2, S3) and so has visit statistics."""
    return structure.kind.has_online_platform


def can_see_group_statistics(access: StructureAccess) -> bool:
    """Members, the people who run the group and the territory's methodists and coordinators."""
    return access.can_see_inner


def can_enter_group_statistics(access: StructureAccess) -> bool:
    """The group's administrator (of a sub-group, also the parent group's) and those who run the
    group, the territory's coordinator included. Moderators and members read only."""
    return access.can_manage or Role.ADMINISTRATOR in (access.role, access.parent_role)


def group_for(user: User, pk: int, *, to: str = "see") -> Structure:
    """Loads an online group for reading its statistics ("see") or changing them ("enter"):
    404 to outsiders and for structures without an online platform, 403 to members without the
    right (networks.permissions.structure_for decides the first refusal)."""
    structure = structure_for(user, pk, to="see_inner")
    if not is_online_group(structure):
        raise Http404
    if to == "enter" and not can_enter_group_statistics(structure.access):
        raise PermissionDenied
    return structure


def can_see_territory_groups(user: User, region: Region) -> bool:
    """The overview of a region's groups: its coordinators and methodists (a municipal role sees
    its municipality's groups), and superusers."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or any(r.region_id == region.pk for r in territory_roles(user))


__all__ = [
    "can_enter_group_statistics",
    "can_see_group_statistics",
    "can_see_territory_groups",
    "group_for",
    "is_online_group",
]
