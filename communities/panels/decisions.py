"""The home block of the decisions followed up: «Мои поручения», the person's open decisions in
force (their own and their school's), overdue first. One query, whatever the data."""

from __future__ import annotations

from django.db.models import Exists, Q

from networks import hooks

from ..models import Decision
from ..selectors.decisions import my_open_decisions

LIST_LIMIT = 10


def my_decisions(request):
    found = list(my_open_decisions(request.user)[: LIST_LIMIT + 1])
    if not found:
        return None
    return {
        "template": "communities/decisions/home.html",
        "order": 11,
        "decisions": found[:LIST_LIMIT],
        "more": len(found) > LIST_LIMIT,
    }


def _may_have_decisions(user):
    """A flag a little wider than my_open_decisions(), and much cheaper to build: an open
    decision given to the person or to their school (the block checks the rest)."""
    mine = Q(owner=user)
    if user.organisation_id:
        mine |= Q(owner_organisation_id=user.organisation_id)
    return Exists(Decision.objects.filter(mine, status=Decision.Status.OPEN))


def register() -> None:
    # One yes/no among the viewer's flags: the list is asked only when there is something.
    hooks.register_home_flag("open_decisions", _may_have_decisions)
    hooks.register_home_block(
        my_decisions, who=lambda v: v.flag("open_decisions"), needs=hooks.NEEDS_ACTION
    )
