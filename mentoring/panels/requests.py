"""Home blocks for requests for targeted help (networks.hooks): the coordinator's overdue
requests, the consultant's requests to answer, the person's own requests. Each runs a fixed
number of queries, whatever the number of requests."""

from __future__ import annotations

from django.db.models import Exists, Value
from django.utils import timezone

from networks import hooks
from networks.kept import Kept, territories
from networks.models import OrganisationStatus
from networks.schoolyear import SchoolYear

from .. import permissions
from ..models import HelpRequest
from ..selectors import requests as selectors

LIST_LIMIT = 10
# The territory's waiting and overdue requests, kept in the shared cache (networks.kept): every
# save or delete of a request, of the regions' limits (when a request is overdue), of a topic or
# an organisation (the block names them) sets a new generation; the generator's bulk writes call
# networks.kept.changed_all(). An organisation renamed by the registry import (in bulk) shows
# within 10 minutes.
TERRITORY_KEPT = Kept("mentoring:territory-help-requests")


def mentoring_settings(request) -> dict:
    """Every region's MentoringSettings, read once per home page (the pairs and requests blocks
    both need them)."""
    if not hasattr(request, "_mentoring_settings"):
        from ..selectors.pairs import settings_by_region

        request._mentoring_settings = settings_by_region()
    return request._mentoring_settings


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
    today = timezone.localdate()

    def load():
        # The territory lies in one region (nearly always): the region's limit alone, not an OR
        # of every region's (PostgreSQL planned that OR for 8 ms at national scale).
        regions = {r.region_id for r in roles}
        return selectors.overdue_and_waiting(
            selectors.request_territory_condition(roles),
            today=today,
            limit=LIST_LIMIT + 1,
            region=regions.pop() if len(regions) == 1 else None,
            settings=mentoring_settings(request),
        )

    # The same for every coordinator and methodist of the territory (issue 19): kept.
    where = territories(roles)
    rows, waiting = TERRITORY_KEPT.get((today.isoformat(), where), load)
    return {
        "template": "mentoring/requests/home_territory.html",
        "order": 12,
        "requests": rows[:LIST_LIMIT],
        "more": len(rows) > LIST_LIMIT,
        "waiting": waiting,
        # «Ждут помощи запросов: 0» waits for nobody: the block joins the overview (issue 20).
        **({} if waiting or rows else {"needs": None}),
    }


def help_requests_to_answer(request):
    return _limited(
        selectors.requests_to_answer(request.user),
        "requests",
        "mentoring/requests/home_to_answer.html",
        13,
    )


def _school_asks_help(user):
    """permissions.help_request_refusal(…) is None, as a flag: the person's organisation is ШНОР
    or ШССУ in the current school year."""
    if user.organisation_id is None:
        return Value(False)
    return Exists(
        OrganisationStatus.objects.filter(
            organisation_id=user.organisation_id,
            school_year=SchoolYear.current().start,
            status__in=permissions.HELP_STATUSES,
        )
    )


def my_help_requests(request):
    """The person's latest requests, and a way to file one if their school may ask for help."""
    user = request.user
    viewer = hooks.home_viewer(request)
    # The viewer's flags answered both questions in its one query (help_request_refusal's rule).
    may_file = viewer.flag("school_asks_help")
    mine = []
    if viewer.flag("help_requests"):
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
    from networks.models import Organisation

    from ..models import MentoringSettings, Topic

    TERRITORY_KEPT.watch(HelpRequest, MentoringSettings, Topic, Organisation)
    # request_queue_roles are the territory roles.
    hooks.register_home_block(
        territory_help_requests, who=lambda v: bool(v.territory_roles), needs=hooks.NEEDS_ACTION
    )
    hooks.register_home_flag(
        "help_to_answer",
        lambda user: Exists(
            HelpRequest.objects.filter(consultant=user, status=HelpRequest.Status.ROUTED)
        ),
    )
    hooks.register_home_flag(
        "help_requests", lambda user: Exists(HelpRequest.objects.filter(requester=user))
    )
    hooks.register_home_flag("school_asks_help", _school_asks_help)
    hooks.register_home_block(
        help_requests_to_answer, who=lambda v: v.flag("help_to_answer"), needs=hooks.NEEDS_ACTION
    )
    hooks.register_home_block(
        my_help_requests,
        who=lambda v: v.flag("help_requests") or v.flag("school_asks_help"),
        kept_open=True,
    )
