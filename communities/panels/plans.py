"""Structure panels and home blocks of plans (networks.hooks). Each runs a fixed number of
queries, whatever the number of plans, items or structures."""

from __future__ import annotations

from django.db.models import Exists

from networks import hooks
from networks.permissions import default_year_read

from .. import permissions, selectors
from ..models import Plan
from ..permissions import PLAN_WRITING_ROLES

LIST_LIMIT = 10


def structure_panel(request, structure):
    """This school year's plan and how much of it is done; create it; close the structure."""
    access = structure.access
    if not permissions.can_read_plans(access):
        return None
    year = default_year_read(structure)  # a former member: the last year they were in
    plan = selectors.year_plan(structure, year)
    can_create = plan is None and permissions.can_create_plan(access, structure)
    return {
        "template": "communities/plans/panel.html",
        "order": 22,
        "structure": structure,
        "year": year,
        "plan": plan,
        "can_create": can_create,
        "may_close": permissions.can_close_structure(access, structure),
    }


def _plans_awaiting(request):
    memberships = hooks.home_viewer(request).memberships
    return selectors.plans_awaiting(request.user, memberships=memberships)


def plans_awaiting(request):
    """For those who agree or approve: plans waiting for their decision."""
    waiting = list(_plans_awaiting(request)[: LIST_LIMIT + 1])
    if not waiting:
        return None
    return {
        "template": "communities/plans/home_awaiting.html",
        "order": 16,
        "plans": waiting[:LIST_LIMIT],
        "more": len(waiting) > LIST_LIMIT,
    }


def _plans_returned(request):
    memberships = hooks.home_viewer(request).memberships
    return selectors.plans_returned_to(request.user, memberships=memberships)


def plans_returned(request):
    """For those who write plans: the ones returned for rework, with the comment."""
    returned = list(_plans_returned(request)[: LIST_LIMIT + 1])
    if not returned:
        return None
    return {
        "template": "communities/plans/home_returned.html",
        "order": 17,
        "plans": returned[:LIST_LIMIT],
        "more": len(returned) > LIST_LIMIT,
    }


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
    hooks.register_structure_panel(structure_panel)
    hooks.register_home_block(
        plans_awaiting, who=_decides_plans, needs=hooks.NEEDS_ACTION, probe=_plans_awaiting
    )
    # A plan the person drafted comes back to them whatever their role now: a flag asks.
    hooks.register_home_flag(
        "drafted_returned_plan",
        lambda user: Exists(Plan.objects.filter(created_by=user, status=Plan.Status.RETURNED)),
    )
    hooks.register_home_block(
        plans_returned, who=_writes_plans, needs=hooks.NEEDS_ACTION, probe=_plans_returned
    )


def _writes_plans(viewer) -> bool:
    """selectors.plans_returned_to: a writing role in an open structure, or a drafted plan."""
    return viewer.flag("drafted_returned_plan") or any(
        m.role in m.structure.kind.plan_author_roles or m.role in PLAN_WRITING_ROLES
        for m in viewer.current
        if m.structure.closed_on is None
    )


def _decides_plans(viewer) -> bool:
    """plans_awaiting's approvers and agreers: a role of the kind's, the territory's coordinators."""
    return (
        viewer.superuser
        or viewer.territory_coordinator
        or any(
            m.role in m.structure.kind.plan_agree_roles
            or m.role in m.structure.kind.plan_approve_roles
            for m in viewer.current
            if m.structure.closed_on is None
        )
    )
