"""What monitoring questionnaires add to networks' pages (networks.hooks): the home block
«Анкеты, ожидающие ответа» and, on a pair's structure page, who of the pair has answered each round.
Each runs a fixed number of queries, whatever the number of rounds and pairs."""

from __future__ import annotations

from django.utils import timezone

from networks import hooks, kept
from networks.kept import Kept
from networks.permissions import MANAGING_ROLES

from .. import permissions
from ..models import Questionnaire, Round
from ..selectors import questionnaires as selectors

LIST_LIMIT = 10

# The rounds open today that a territory, a region's curators or a structure's leaders follow are
# the same for every one of them: kept in the shared cache (networks.kept, issue 19) under the
# day and the places they are followed for; every save or delete of a round or a questionnaire
# sets a new generation (register()).
MONITORED_ROUNDS = Kept("mentoring:home-monitored-rounds")


def waiting_questionnaires(request):
    items = selectors.waiting_rounds(
        request.user,
        today=timezone.localdate(),
        memberships=hooks.home_viewer(request).memberships,
    )
    if not items:
        return None
    return {
        "template": "mentoring/questionnaires/home_waiting.html",
        "order": 14,
        "items": items[:LIST_LIMIT],
        "more": len(items) > LIST_LIMIT,
    }


def questionnaire_monitoring(request):
    """For coordinators, curators, methodists and those who run a structure: the rounds open now
    that they follow, and the way to the questionnaires."""
    user = request.user
    viewer = hooks.home_viewer(request)
    if not _monitors(viewer):
        return None
    today = timezone.localdate()

    def load():
        return list(
            selectors.monitored_rounds(user, memberships=viewer.memberships).filter(
                opens_on__lte=today, closes_on__gte=today
            )[: LIST_LIMIT + 1]
        )

    if user.is_superuser:
        places = ("all",)
    else:
        places = tuple(
            kept.digest(ids) for ids in selectors.monitored_places(user, viewer.memberships)
        )
    rounds = MONITORED_ROUNDS.get((today.isoformat(), *places), load)
    return {
        "template": "mentoring/questionnaires/home_monitoring.html",
        "order": 55,
        "rounds": rounds[:LIST_LIMIT],
        "more": len(rounds) > LIST_LIMIT,
        "builds": permissions.can_build_questionnaires(user),
    }


def _monitors(viewer) -> bool:
    """permissions.can_monitor_questionnaires without its query: the territory's people and
    those who run a structure."""
    return viewer.superuser or bool(viewer.territory_roles) or viewer.holds(MANAGING_ROLES)


def pair_questionnaires(request, structure):
    """On an S4 pair's page, for the pair, its curators and the coordinators: per round, answered
    or waiting for each side; a link to answer for a side, to the answers for the curators."""
    if not structure.kind.is_pair:
        return None
    access = structure.access
    if not permissions.can_see_pair_questionnaire_status(access):
        return None
    statuses = selectors.pair_round_statuses(
        structure, viewer=request.user, today=timezone.localdate()
    )
    if not statuses:
        return None
    return {
        "template": "mentoring/questionnaires/panel_pair.html",
        "order": 60,
        "structure": structure,
        "statuses": statuses,
        "reads_answers": permissions.can_read_pair_answers(access),
    }


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
    # my_rounds asks the rounds of the person's structures and pairs: none without a membership.
    hooks.register_home_flag("open_rounds", selectors.may_have_open_rounds)
    hooks.register_home_block(
        waiting_questionnaires,
        who=lambda v: bool(v.memberships) and v.flag("open_rounds"),
        needs=hooks.NEEDS_ACTION,
    )
    hooks.register_home_block(questionnaire_monitoring, who=_monitors)
    MONITORED_ROUNDS.watch(Round, Questionnaire)
    hooks.register_structure_panel(pair_questionnaires)
