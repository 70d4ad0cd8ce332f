"""What communities adds to networks' pages through networks.hooks: a panel on the structure page
and two blocks on the home page. Each runs a fixed number of queries, whatever the data."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from networks import hooks
from networks.permissions import ADMITTING_ROLES, can_request_to_join

from .. import permissions, selectors
from ..forms import JoinRequestForm
from ..models import JoinRequest

LIST_LIMIT = 10


def structure_panel(request, structure):
    """Ask to join (or see one's pending request), and the links for those who run the structure."""
    access = structure.access
    user = request.user
    context = {
        "template": "communities/panels/structure.html",
        "order": 20,
        "structure": structure,
        "can_manage": access.can_manage,
        "can_admit": access.can_admit,
        "can_read_history": permissions.can_read_history(access),
    }
    if can_request_to_join(user, structure, access):
        latest, context["blocked"] = selectors.join_standing(structure, user)
        context["latest"] = latest
        if not context["blocked"] and not (latest and latest.is_pending):
            context["join_form"] = JoinRequestForm()
    elif not access.is_member and not structure.kind.open_membership and not structure.is_closed:
        context["by_invitation"] = True
    if access.can_admit:
        context["pending_count"] = hooks.structure_figure(structure, "join_pending")
        if context["pending_count"] is None:
            context["pending_count"] = structure.join_requests.pending().count()
        # Closed kinds take no requests; their queue is worth a link only if something is left.
        context["show_queue"] = structure.kind.open_membership or context["pending_count"] > 0
    shows = ("latest", "by_invitation")
    if not (any(k in context for k in shows) or access.can_admit or context["can_read_history"]):
        return None
    return context


def _requests_awaiting(request):
    admitting = hooks.home_viewer(request).structure_ids(ADMITTING_ROLES)
    return selectors.requests_awaiting(request.user, admitting=admitting)


def requests_awaiting(request):
    """For coordinators and administrators: requests waiting in every structure they admit to."""
    pending = list(_requests_awaiting(request)[: LIST_LIMIT + 1])
    if not pending:
        return None
    return {
        "template": "communities/home/awaiting.html",
        "order": 15,
        "requests": pending[:LIST_LIMIT],
        "more": len(pending) > LIST_LIMIT,
    }


def my_requests(request):
    mine = list(selectors.my_requests(request.user)[: LIST_LIMIT + 1])
    if not mine:
        return None
    return {
        "template": "communities/home/my_requests.html",
        "order": 20,
        "requests": mine[:LIST_LIMIT],
        "more": len(mine) > LIST_LIMIT,
    }


def admits_somewhere(viewer) -> bool:
    """Who may decide requests and materials anywhere (permissions.admitted_condition)."""
    return viewer.superuser or viewer.holds(ADMITTING_ROLES) or viewer.territory_coordinator


def register() -> None:
    hooks.register_structure_panel(structure_panel)
    hooks.register_structure_figure(
        "join_pending",
        lambda user: hooks.count_of(JoinRequest.objects.pending().filter(structure=OuterRef("pk"))),
    )
    hooks.register_home_block(
        requests_awaiting,
        who=admits_somewhere,
        needs=hooks.NEEDS_ACTION,
        probe=_requests_awaiting,
    )
    hooks.register_home_flag(
        "join_requests", lambda user: Exists(selectors.my_requests(user).values("pk"))
    )
    hooks.register_home_block(my_requests, who=lambda v: v.flag("join_requests"), kept_open=True)
