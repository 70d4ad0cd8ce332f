"""The home block of the decisions followed up: «Мои поручения», the person's open decisions in
force (their own and their school's), overdue first. One query, whatever the data."""

from __future__ import annotations

from django.db.models import Exists

from networks import hooks

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


def register() -> None:
    # One yes/no among the viewer's flags: the list is asked only when there is something.
    hooks.register_home_flag(
        "open_decisions", lambda user: Exists(my_open_decisions(user).order_by().values("pk"))
    )
    hooks.register_home_block(my_decisions, who=lambda v: v.flag("open_decisions"))
