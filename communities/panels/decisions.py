"""The home block of the decisions followed up: «Мои поручения», the person's open decisions in
force (their own and their school's), overdue first. One query, whatever the data."""

from __future__ import annotations

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
    hooks.register_home_block(my_decisions)
