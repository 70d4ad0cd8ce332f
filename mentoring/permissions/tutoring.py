"""Who may assign tutors and read or log tutoring sessions (S6, S8).

The tutor and the teacher log their sessions, like a pair; the structure's own managers (the
curators of tutoring) may too; the territory's coordinators read.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from networks.models import Role
from networks.permissions import MANAGING_ROLES, StructureAccess, structure_for

from ..models import TutorAssignment

# R-PRI-5.3, R-PAV-1.9: tutors are the structure's tutors, or the sub-communities' moderators.
TUTOR_ROLES = frozenset({Role.TUTOR, Role.MODERATOR})


def can_assign_tutors(access: StructureAccess) -> bool:
    return access.can_manage


def can_read_tutoring(access: StructureAccess, user, assignment) -> bool:
    """Tutoring sessions: the tutor, the teacher, the structure's managers, the territory's
    coordinators."""
    return user.pk in (assignment.tutor_id, assignment.teacher_id) or access.can_manage


def can_log_tutoring(access: StructureAccess, user, assignment) -> bool:
    """The tutor and the teacher log their sessions, like a pair; so may the structure's own
    managers (the curators of tutoring) by their own role in it or its parent; the territory's
    coordinator reads."""
    return (
        user.pk in (assignment.tutor_id, assignment.teacher_id)
        or access.superuser
        or access.role in MANAGING_ROLES
        or access.parent_role in MANAGING_ROLES
    )


def can_see_all_tutoring(access: StructureAccess) -> bool:
    """Sees every assignment of the structure (not only their own): those who run it or read
    all of the territory."""
    return access.can_read_all or access.superuser


def tutoring_for(user, assignment_pk: int, *, to: str = "read") -> TutorAssignment:
    """An assignment with its sessions: to="read" or to="log". Outsiders 404, members of the
    structure without the right 403; `assignment.structure.access` is set."""
    assignment = get_object_or_404(
        TutorAssignment.objects.select_related(
            "tutor", "tutor__organisation", "teacher", "teacher__organisation"
        ),
        pk=assignment_pk,
    )
    structure = structure_for(user, assignment.structure_id, to="view")
    access = structure.access
    check = can_log_tutoring if to == "log" else can_read_tutoring
    if not check(access, user, assignment):
        if access.can_see_inner or can_read_tutoring(access, user, assignment):
            raise PermissionDenied
        raise Http404
    assignment.structure = structure
    return assignment


__all__ = [
    "TUTOR_ROLES",
    "can_assign_tutors",
    "can_log_tutoring",
    "can_read_tutoring",
    "can_see_all_tutoring",
    "tutoring_for",
]
