"""Home blocks for requests for targeted help (networks.hooks): the coordinator's overdue
requests, the consultant's requests to answer, the person's own requests. Each runs a fixed
number of queries, whatever the number of requests."""

from __future__ import annotations

from django.utils import timezone

from networks import hooks
from networks.schoolyear import SchoolYear

from .. import permissions
from ..models import HelpRequest
from ..selectors import requests as selectors

LIST_LIMIT = 10


def _limited(queryset, key: str, template: str, order: int, **context):
    rows = list(queryset[: LIST_LIMIT + 1])
    if not rows:
        return None
    return {
        "template": template,
        "order": order,
        key: rows[:LIST_LIMIT],
        "more": len(rows) > LIST_LIMIT,
        **context,
    }


def territory_help_requests(request):
    """For the territory's coordinators and methodists: how many requests wait for help, and the
    overdue ones — nobody has answered them within the region's limit."""
    roles = permissions.request_queue_roles(request.user)
    if not roles:
        return None
    condition = selectors.request_territory_condition(roles)
    overdue = selectors.overdue_requests(today=timezone.localdate()).filter(condition)
    rows = list(overdue[: LIST_LIMIT + 1])
    return {
        "template": "mentoring/requests/home_territory.html",
        "order": 12,
        "requests": rows[:LIST_LIMIT],
        "more": len(rows) > LIST_LIMIT,
        "waiting": HelpRequest.objects.filter(
            condition, status__in=selectors.REQUEST_WAITING
        ).count(),
    }


def help_requests_to_answer(request):
    return _limited(
        selectors.requests_to_answer(request.user),
        "requests",
        "mentoring/requests/home_to_answer.html",
        13,
    )


def my_help_requests(request):
    """The person's latest requests, and a way to file one if their school may ask for help."""
    user = request.user
    may_file = permissions.help_request_refusal(user, school_year=SchoolYear.current()) is None
    mine = list(selectors.my_help_requests(user)[: LIST_LIMIT + 1])
    if not mine and not may_file:
        return None
    return {
        "template": "mentoring/requests/home_mine.html",
        "order": 45,
        "requests": mine[:LIST_LIMIT],
        "more": len(mine) > LIST_LIMIT,
        "may_file": may_file,
    }


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
    for block in (territory_help_requests, help_requests_to_answer, my_help_requests):
        hooks.register_home_block(block)
