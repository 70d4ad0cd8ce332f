"""Who may see and do what with a structure. Views and templates ask here and never decide alone.

The answer depends on three things, all loaded in at most two queries per request:
- the person's current role in the structure (and in its parent, for a sub-community);
- their standing in the structure's territory (a coordinator runs it, a methodist reads all of it);
- whether they are a superuser.

Refusals follow one rule (CONVENTIONS 5): someone with no relation to the structure's inner life
gets 404 on its inner pages, so they do not learn what is there; someone who belongs but lacks the
right gets 403. The structure's public card (order, host, territory, members) is open to every
signed-in person: the founding orders are public documents.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from .coverage import covers
from .models import Membership, Role, Structure, TerritoryRole, User

# Run the structure: members, roles, invitations, blocks, plans.
MANAGING_ROLES = frozenset({Role.COORDINATOR, Role.CURATOR, Role.CHAIR, Role.HEAD})
# Admit newly registered members (R-PAV-6.1: the community's administrator does).
ADMITTING_ROLES = MANAGING_ROLES | {Role.ADMINISTRATOR}
# Open problems for discussion, admit materials (R-PAV-6.2, R-TUL-A2-4.2).
MODERATING_ROLES = ADMITTING_ROLES | {Role.MODERATOR}

Action = Literal["view", "see_inner", "moderate", "admit", "manage"]


@dataclass(frozen=True)
class StructureAccess:
    role: str | None = None
    parent_role: str | None = None
    territory_coordinator: bool = False
    territory_methodist: bool = False
    superuser: bool = False

    @property
    def is_member(self) -> bool:
        return self.role is not None

    @property
    def can_manage(self) -> bool:
        return (
            self.superuser
            or self.territory_coordinator
            or self.role in MANAGING_ROLES
            or self.parent_role in MANAGING_ROLES
        )

    @property
    def can_admit(self) -> bool:
        return (
            self.can_manage or self.role in ADMITTING_ROLES or self.parent_role in ADMITTING_ROLES
        )

    @property
    def can_moderate(self) -> bool:
        return self.can_admit or self.role in MODERATING_ROLES

    @property
    def can_read_all(self) -> bool:
        """Sees every member's name and the structure's inner pages without being a member."""
        return self.can_manage or self.territory_methodist

    @property
    def can_see_inner(self) -> bool:
        return self.is_member or self.parent_role is not None or self.can_read_all

    def allows(self, action: Action) -> bool:
        return {
            "view": True,
            "see_inner": self.can_see_inner,
            "moderate": self.can_moderate,
            "admit": self.can_admit,
            "manage": self.can_manage,
        }[action]


def territory_roles(user: User) -> list[TerritoryRole]:
    """The person's territory roles, loaded once per request and kept on the user object."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_territory_roles_cache", None)
    if cached is None:
        cached = list(TerritoryRole.objects.filter(user=user))
        user._territory_roles_cache = cached
    return cached


def access_to(user: User, structure: Structure) -> StructureAccess:
    if not user.is_authenticated or not user.is_active:
        return StructureAccess()
    ids = [structure.pk] + ([structure.parent_id] if structure.parent_id else [])
    roles = dict(
        Membership.objects.current()
        .filter(user=user, structure_id__in=ids)
        .values_list("structure_id", "role")
    )
    territory = [
        r
        for r in territory_roles(user)
        if covers(r, structure.region_id, structure.municipality_id)
    ]
    return StructureAccess(
        role=roles.get(structure.pk),
        parent_role=roles.get(structure.parent_id) if structure.parent_id else None,
        territory_coordinator=any(r.role == TerritoryRole.Role.COORDINATOR for r in territory),
        territory_methodist=any(r.role == TerritoryRole.Role.METHODIST for r in territory),
        superuser=user.is_superuser,
    )


def can_browse_structures(user: User) -> bool:
    return user.is_authenticated and user.is_active


def structure_for(user: User, pk: int, *, to: Action = "view", queryset=None) -> Structure:
    """Loads a structure for an action, or refuses: 404 to outsiders, 403 to insiders without
    the right. The access found is kept on `structure.access` for the view and template."""
    if not can_browse_structures(user):
        raise Http404
    queryset = queryset if queryset is not None else Structure.objects.select_related("kind")
    structure = get_object_or_404(queryset, pk=pk)
    access = access_to(user, structure)
    if not access.allows(to):
        if access.can_see_inner:
            raise PermissionDenied
        raise Http404
    structure.access = access
    return structure


def can_see_name(access: StructureAccess, viewer: User, person: User) -> bool:
    """Members see each other's names only with the person's consent to show them; the people who
    run the structure or the territory need the names for their work and see them always."""
    if person.anonymised_at is not None:
        return False
    return person.pk == viewer.pk or access.can_read_all or access.superuser or person.shows_name


def can_request_to_join(user: User, structure: Structure, access: StructureAccess) -> bool:
    """Open kinds only (R-VLG-5.1, R-PAV-1.8); the blocks and pending requests are checked by
    the service that files the request."""
    return (
        structure.kind.open_membership
        and not structure.is_closed
        and not access.is_member
        and user.is_authenticated
    )
