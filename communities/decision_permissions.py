"""Who may do what with the decisions followed up (issue 17).

Kept beside communities/permissions.py rather than in it while another feature's section is being
written there; the predicates follow its scheme (CONVENTIONS: can_…, is_…, one loader per object).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from networks.models import Structure, User
from networks.permissions import StructureAccess, structure_for

from .models import Decision, Minutes

__all__ = [
    "can_follow_up_decision",
    "can_follow_up_decisions",
    "decision_for",
    "is_decision_owner",
    "structure_for_decisions",
]


# --- Decisions followed up (issue 17) -------------------------------------------------------------
# Everybody who sees the structure's inner life reads «Контроль исполнения». A decision's owner —
# the person, or a member from the owner school — and those who run the structure (head, chair,
# coordinator, curator, the territory's coordinator) mark it done or move its date; those who keep
# the record give decisions owners on a draft of the minutes.


def is_decision_owner(access: StructureAccess, decision: Decision, user: User) -> bool:
    if decision.owner_id is not None:
        return decision.owner_id == user.pk
    return (
        decision.owner_organisation_id is not None
        and decision.owner_organisation_id == user.organisation_id
        and access.is_member
    )


def can_follow_up_decisions(access: StructureAccess) -> bool:
    return access.can_manage


def can_follow_up_decision(access: StructureAccess, decision: Decision, user: User) -> bool:
    """Mark done or move the date: an open decision in force of an open structure."""
    return (
        decision.status == Decision.Status.OPEN
        and decision.minutes.is_signed
        and not decision.structure.is_closed
        and (can_follow_up_decisions(access) or is_decision_owner(access, decision, user))
    )


def structure_for_decisions(user: User, pk: int) -> Structure:
    """Outsiders 404, everybody who sees the inner life reads."""
    return structure_for(user, pk, to="see_inner")


def decision_for(user: User, pk: int, decision_pk: int) -> Decision:
    """A decision in force to follow up: 404 to outsiders (and for a draft's decision), 403 to
    members who neither own it nor run the structure."""
    structure = structure_for_decisions(user, pk)
    decision = get_object_or_404(
        Decision.objects.select_related(
            "minutes__event", "owner", "owner_organisation", "item"
        ).filter(minutes__status=Minutes.Status.SIGNED),
        pk=decision_pk,
        structure=structure,
    )
    decision.structure = structure
    if not (
        can_follow_up_decisions(structure.access)
        or is_decision_owner(structure.access, decision, user)
    ):
        raise PermissionDenied
    return decision
