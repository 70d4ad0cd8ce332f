"""Who may do what in the life of a structure: join requests, invitations, members and history;
plans; closing; events, meetings and minutes; materials, discussions and polls (one section each).

Structures are loaded and refused by networks.permissions.structure_for; this module only adds the
questions networks' actions do not answer on their own, so that views never decide inline.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from networks.coverage import covered_by
from networks.kinds import KINDS
from networks.models import Membership, Role, Structure, TerritoryRole, User
from networks.permissions import ADMITTING_ROLES, StructureAccess, structure_for, territory_roles
from networks.schoolyear import SchoolYear

from .models import Announcement, Decision, Event, JoinRequest, Material, Minutes, Plan


def can_read_history(access: StructureAccess) -> bool:
    """Those who run the structure or read all of the territory see who changed what."""
    return access.can_manage or access.can_read_all


def structure_for_history(user: User, pk: int) -> Structure:
    """`structure_for` has no action for "read all", so: outsiders 404 there, members 403 here."""
    structure = structure_for(user, pk, to="see_inner")
    if not can_read_history(structure.access):
        raise PermissionDenied
    return structure


def own_join_request(user: User, pk: int) -> JoinRequest:
    """A person's own request; anybody else's does not exist for them."""
    return get_object_or_404(JoinRequest.objects.select_related("structure"), pk=pk, user=user)


def admitted_condition(user: User, *, admitting: list[int] | None = None) -> Q:
    """Open structures whose requests and materials the person decides — the same answer as
    StructureAccess.can_admit — as a condition on the structure's own columns, for lists across
    structures (through networks.selectors.through()). `admitting`: the structures of the
    person's current admitting memberships, when the caller has read them (the home page): a
    list of ids lets PostgreSQL use the region's index where the subquery OR-ed with the region
    made it read every request of the country (52 → 2 ms, issue 19)."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.is_superuser:
        return Q(closed_on__isnull=True)
    # IN (the person's few memberships), not a join through every membership of the country:
    # the join with OR made PostgreSQL read all memberships (docs/PERFORMANCE.md).
    if admitting is None:
        admitting = Membership.objects.filter(
            user=user, until__isnull=True, role__in=ADMITTING_ROLES
        ).values("structure_id")
    condition = Q(pk__in=admitting) | Q(parent_id__in=admitting)
    coordinated = covered_by(
        [r for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR]
    )
    if coordinated is not None:
        condition |= coordinated
    return Q(closed_on__isnull=True) & condition


# --- Plans ---------------------------------------------------------------------------------------
# Who writes, agrees and approves a structure's plan comes only from the kinds table
# (StructureKind.plan_author_roles, plan_agree_roles, plan_approve_roles). Two kinds of question:
# `can_<verb>_plans(access, structure)` asks about the person's right in the structure (a view
# refuses with 403 when it is no), `can_<verb>_plan(access, plan)` adds the plan's state (a
# template shows a button only when it is yes; a service refuses the rest).


# Besides the kind's authors, those who run a structure may always write its plan.
PLAN_WRITING_ROLES = frozenset({Role.COORDINATOR, Role.CURATOR})


def can_read_plans(access: StructureAccess) -> bool:
    """Whoever sees the structure's inner life, the territory's methodists included; a closed
    structure's former members, the plans of their years (networks.permissions.years_read)."""
    return access.can_see_inner or access.is_former_member


def can_write_plans(access: StructureAccess, structure: Structure) -> bool:
    return (
        access.superuser
        or access.territory_coordinator
        or access.role in structure.kind.plan_author_roles
        or access.role in PLAN_WRITING_ROLES
        or access.parent_role in PLAN_WRITING_ROLES
    )


def can_agree_plans(access: StructureAccess, structure: Structure) -> bool:
    """No agree roles in the kind: no agree step at all."""
    roles = structure.kind.plan_agree_roles
    return bool(roles) and (access.superuser or access.role in roles)


def can_approve_plans(access: StructureAccess, structure: Structure) -> bool:
    """The kind's approvers, and the territory's coordinator as the approving centre
    (R-TUL-A4-4.5; S1's plan is approved by the academy, 000 order p. 2)."""
    return (
        access.superuser
        or access.territory_coordinator
        or access.role in structure.kind.plan_approve_roles
    )


def can_create_plan(access: StructureAccess, structure: Structure) -> bool:
    return not structure.is_closed and can_write_plans(access, structure)


def can_write_plan(access: StructureAccess, plan: Plan) -> bool:
    """Edit the items and submit: only a draft or a returned plan of an open structure."""
    return (
        plan.is_editable
        and not plan.structure.is_closed
        and can_write_plans(access, plan.structure)
    )


def is_plan_awaiting_approval(plan: Plan) -> bool:
    """Agreed, or submitted where the kind has no agree step."""
    if plan.structure.kind.plan_agree_roles:
        return plan.status == Plan.Status.AGREED
    return plan.status == Plan.Status.SUBMITTED


def can_agree_plan(access: StructureAccess, plan: Plan, *, already_agreed: bool = False) -> bool:
    return (
        plan.status == Plan.Status.SUBMITTED
        and not plan.structure.is_closed
        and not already_agreed
        and can_agree_plans(access, plan.structure)
    )


def can_approve_plan(access: StructureAccess, plan: Plan) -> bool:
    return (
        is_plan_awaiting_approval(plan)
        and not plan.structure.is_closed
        and can_approve_plans(access, plan.structure)
    )


def can_return_plans(access: StructureAccess, structure: Structure) -> bool:
    return can_approve_plans(access, structure) or can_agree_plans(access, structure)


def can_return_plan(access: StructureAccess, plan: Plan) -> bool:
    """The approver returns a submitted or agreed plan; an agreer only one still under agreement."""
    if plan.structure.is_closed:
        return False
    if plan.status == Plan.Status.AGREED:
        return can_approve_plans(access, plan.structure)
    return plan.status == Plan.Status.SUBMITTED and can_return_plans(access, plan.structure)


def can_mark_plans_done(access: StructureAccess, structure: Structure) -> bool:
    return can_write_plans(access, structure) or access.can_manage


def can_mark_plan_done(access: StructureAccess, plan: Plan) -> bool:
    """Marking execution is what an approved plan is for: its authors and managers do it."""
    return (
        plan.status == Plan.Status.APPROVED
        and not plan.structure.is_closed
        and can_mark_plans_done(access, plan.structure)
    )


def can_start_plan_version(access: StructureAccess, plan: Plan, *, is_latest: bool) -> bool:
    return (
        plan.status == Plan.Status.APPROVED
        and is_latest
        and not plan.structure.is_closed
        and can_write_plans(access, plan.structure)
    )


# --- Closing a structure (R-PRI-4.4/4.5/4.6) ------------------------------------------------------


def can_close_structures(access: StructureAccess) -> bool:
    """A coordinator closes: the territory's, or the structure's own (or its parent's)."""
    return access.can_manage and (
        access.superuser
        or access.territory_coordinator
        or access.role == Role.COORDINATOR
        or access.parent_role == Role.COORDINATOR
    )


def can_close_structure(access: StructureAccess, structure: Structure) -> bool:
    return not structure.is_closed and can_close_structures(access)


# --- Events, meetings and minutes -----------------------------------------------------------------
# Those who run a structure (coordinator, curator, chair, head, the territory's coordinator), and
# the roles the kind lets plan events (an S3 group's administrator, below), plan events and so send
# their invitations; those who run the structure keep the record (attendance, minutes) and sign
# the minutes. Where the kind lets members propose events (StructureKind.event_propose_roles;
# S7's participant schools, R-DMI-4.1), they propose, and the centre then sets place and form
# (R-DMI-4.2). `can_plan_events`, `can_propose_events`, `can_keep_records`, `can_sign_records` ask
# about the person (a view refuses with 403 when it is no); `can_plan_event`, `can_keep_record`,
# `can_sign_minutes`… add the state (closed structure, signed minutes), so that a template shows a
# button only when the service would accept it.


def can_see_events(access: StructureAccess) -> bool:
    """Former members of a closed structure too, the events of their years only."""
    return access.can_see_inner or access.is_former_member


# Roles of the kind that plan its events too, besides those who run the structure: an S3 group's
# administrator informs the group's members of coming events (001, appendix 2, p. 4.2.2), so plans
# them and sends their invitations. The list is the `event_plan_roles` key of the kind's row in
# networks/kinds.py, read here the way reporting.rules reads `deadlines`: the kinds table has no
# column for it yet (a migration of networks is not due now); sync_kinds skips the key until a
# column of that name exists and then fills it. Only the role in the structure itself counts, as
# for announcements: the parent group's administrator does not plan a sub-group's events.
EVENT_PLAN_ROLES: dict[str, frozenset[str]] = {
    row["code"]: frozenset(row.get("event_plan_roles", ())) for row in KINDS
}


def can_plan_events(access: StructureAccess, structure: Structure) -> bool:
    return access.can_manage or access.role in EVENT_PLAN_ROLES.get(
        structure.kind.code, frozenset()
    )


def can_propose_events(access: StructureAccess, structure: Structure) -> bool:
    return (
        not can_plan_events(access, structure) and access.role in structure.kind.event_propose_roles
    )


def can_keep_records(access: StructureAccess) -> bool:
    """Marks attendance and writes minutes."""
    return access.can_manage


def can_sign_records(access: StructureAccess) -> bool:
    """Signs the structure's records (the minutes): the head or chair; so may the coordinator or
    curator who runs the structure."""
    return access.can_manage


def can_plan_event(access: StructureAccess, structure: Structure) -> bool:
    return not structure.is_closed and can_plan_events(access, structure)


def can_propose_event(access: StructureAccess, structure: Structure) -> bool:
    return not structure.is_closed and can_propose_events(access, structure)


def can_change_event(access: StructureAccess, event: Event) -> bool:
    """Edit, schedule a proposal (place and form) or cancel: only before it is held."""
    return event.status in (Event.Status.PROPOSED, Event.Status.SCHEDULED) and can_plan_event(
        access, event.structure
    )


def can_keep_record(access: StructureAccess, structure: Structure) -> bool:
    return not structure.is_closed and can_keep_records(access)


def can_mark_attendance(access: StructureAccess, event: Event, *, minutes_signed: bool) -> bool:
    return (
        event.status in (Event.Status.SCHEDULED, Event.Status.HELD)
        and event.starts_at <= timezone.now()
        and not minutes_signed
        and can_keep_record(access, event.structure)
    )


def can_write_minutes(access: StructureAccess, minutes: Minutes) -> bool:
    return not minutes.is_signed and can_keep_record(access, minutes.event.structure)


def can_sign_minutes(access: StructureAccess, minutes: Minutes) -> bool:
    return (
        not minutes.is_signed and not minutes.event.structure.is_closed and can_sign_records(access)
    )


def can_correct_minutes(access: StructureAccess, minutes: Minutes, *, is_latest: bool) -> bool:
    return minutes.is_signed and is_latest and can_keep_record(access, minutes.event.structure)


EventNeed = Literal["see", "create", "plan", "keep_record", "sign"]


def structure_for_events(user: User, pk: int, *, need: EventNeed = "see") -> Structure:
    """Loads the structure for the events pages: outsiders 404 (structure_for), insiders without
    the right 403. "create" admits planners and, where the kind allows, proposers. "see" admits
    a closed structure's former members: the view shows them the events of their years only."""
    structure = structure_for(user, pk, to="see_years" if need == "see" else "see_inner")
    access = structure.access
    allowed = {
        "see": can_see_events(access),
        "create": can_plan_events(access, structure) or can_propose_events(access, structure),
        "plan": can_plan_events(access, structure),
        "keep_record": can_keep_records(access),
        "sign": can_sign_records(access),
    }[need]
    if not allowed:
        raise PermissionDenied
    return structure


# --- Materials, discussions and polls ----------------------------------------------------------
# R-PAV-6.1: the administrator (and those who run the structure) admits and removes materials;
# R-PAV-6.2: a moderator sets problems for discussion; members take part. Pending and removed
# materials are seen only by their author and by those who admit: for everybody else they do not
# exist (404), like any inner object of a structure one has no business with.


def can_take_part(access: StructureAccess) -> bool:
    """Members, people of the parent community of a sub-community, and moderators take part:
    add materials, reply, vote. Readers of the territory (methodists) only read."""
    return access.is_member or access.parent_role is not None or access.can_moderate


def can_add_material(access: StructureAccess) -> bool:
    return can_take_part(access)


def can_admit_material(access: StructureAccess) -> bool:
    return access.can_admit


def can_remove_material(access: StructureAccess) -> bool:
    return access.can_admit


def can_publish_at_once(access: StructureAccess, structure: Structure) -> bool:
    """In kinds with pre-moderated materials (S8) a member's material waits for admission; the
    administrator's and the managers' own materials do not."""
    return not structure.kind.materials_premoderated or can_admit_material(access)


def can_see_material(access: StructureAccess, material: Material, user: User) -> bool:
    if material.status == Material.Status.PUBLISHED:
        # A closed structure's former member: what was published in their school years.
        return access.can_read_year(SchoolYear.of(timezone.localtime(material.created_at).date()))
    return can_admit_material(access) or (
        material.author_id is not None and material.author_id == user.pk
    )


def can_download_material(access: StructureAccess, material: Material, user: User) -> bool:
    return bool(material.file) and can_see_material(access, material, user)


def can_withdraw_material(user: User, material: Material) -> bool:
    return material.status == Material.Status.PENDING and material.author_id == user.pk


def visible_material(structure: Structure, user: User, pk: int) -> Material:
    """A material of the structure the person may see; any other does not exist for them."""
    material = get_object_or_404(
        structure.materials.select_related("author", "admitted_by", "removed_by"), pk=pk
    )
    if not can_see_material(structure.access, material, user):
        raise Http404
    return material


def can_open_discussion(access: StructureAccess) -> bool:
    return access.can_moderate


def can_moderate_discussion(access: StructureAccess) -> bool:
    """Hide posts, close discussions, create polls."""
    return access.can_moderate


def can_vote(access: StructureAccess) -> bool:
    return can_take_part(access)


def can_see_poll_results(access: StructureAccess, *, voted: bool, accepts_votes: bool) -> bool:
    """Results after one's own vote, to moderators, and to everybody once the poll has closed."""
    return voted or access.can_moderate or not accepts_votes


# --- Announcements (issue 17) ---------------------------------------------------------------------
# A structure's coordinator, chair, head, administrator or moderator (a current membership of the
# structure itself) and the territory's coordinator post announcements to the members or to one
# sub-community. Those who see the structure's inner life read them (members, the parent
# community's people, the territory's coordinator and methodist); so does everybody an
# announcement was addressed to — a sub-community's member reads the parent's announcement to
# "everybody" or to their sub-community, without seeing the rest of the parent's inner life.

ANNOUNCING_ROLES = frozenset(
    {Role.COORDINATOR, Role.CHAIR, Role.HEAD, Role.ADMINISTRATOR, Role.MODERATOR}
)


def can_post_announcements(access: StructureAccess) -> bool:
    return access.superuser or access.territory_coordinator or access.role in ANNOUNCING_ROLES


def can_post_announcement(access: StructureAccess, structure: Structure) -> bool:
    return not structure.is_closed and can_post_announcements(access)


def can_read_announcements(access: StructureAccess) -> bool:
    return access.can_see_inner


def structure_for_announcements(user: User, pk: int, *, need: str = "read") -> Structure:
    """The structure of the announcement pages: outsiders 404, insiders who may not post 403."""
    structure = structure_for(user, pk, to="see_inner")
    if need == "post" and not can_post_announcements(structure.access):
        raise PermissionDenied
    return structure


def is_in_audience(user: User, announcement: Announcement) -> bool:
    """A current member of a structure the announcement went to (one query)."""
    if announcement.audience_id:
        audience = Q(structure_id=announcement.audience_id)
    else:
        audience = Q(structure_id=announcement.structure_id) | Q(
            structure__parent_id=announcement.structure_id
        )
    return Membership.objects.current().filter(audience, user=user).exists()


def visible_announcement(
    user: User, pk: int, announcement_pk: int
) -> tuple[Structure, Announcement]:
    """(structure, announcement) for the announcement's page and file: those who see the
    structure's inner life, and the people it was addressed to; anybody else 404 (a former
    member of a closed structure 403, as on its other inner pages)."""
    structure = structure_for(user, pk, to="view")
    announcement = get_object_or_404(
        Announcement.objects.select_related("author", "audience", "event"),
        pk=announcement_pk,
        structure=structure,
    )
    access = structure.access
    if can_read_announcements(access) or is_in_audience(user, announcement):
        return structure, announcement
    if access.is_former_member:
        raise PermissionDenied
    raise Http404


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


# --- Signed scans (issue 18): which record takes one now ------------------------------------------
# documents.services.signed_scan_attach asks these (registered in communities' ready()) whoever
# attaches; the pages ask them too, to say why instead of offering the form.

SCAN_CLOSED = gettext_lazy(
    "Структура прекратила деятельность: её документы только для чтения, скан не прикладывается."
)


def plan_scan_refusal(plan) -> str | None:
    from .models import Plan

    if plan.structure.is_closed:
        return str(SCAN_CLOSED)
    if plan.status != Plan.Status.APPROVED:
        return _(
            "Скан подписанного экземпляра прикладывается к утверждённому плану, а этот план ещё "
            "не утверждён."
        )
    return None


def minutes_scan_refusal(minutes) -> str | None:
    if minutes.event.structure.is_closed:
        return str(SCAN_CLOSED)
    if not minutes.is_signed:
        return _(
            "Скан подписанного экземпляра прикладывается к подписанному протоколу, а этот протокол "
            "ещё черновик: сначала подпишите его на портале."
        )
    return None
