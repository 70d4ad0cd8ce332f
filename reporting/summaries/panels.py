"""The home block of the summaries (networks.hooks): «Отчётность территории» for methodists and
coordinators of a territory. One query, whatever the number of structures or deadlines (the
territory roles are cached per request by networks.permissions)."""

from __future__ import annotations

from django.utils import timezone

from networks import hooks
from networks.schoolyear import SchoolYear

from .. import permissions
from . import selectors


def territory_reporting(request):
    """The nearest deadlines of the current school year in the person's territory: how many
    structures handed in, late, not at all."""
    user = request.user
    if not user.is_authenticated or not permissions.summary_roles(user):
        return None
    year = SchoolYear.current()
    groups = selectors.nearest_deadlines(
        permissions.summary_coverage(user), year, today=timezone.localdate()
    )
    return {
        "template": "reporting/summaries/home_block.html",
        "order": 55,
        "year": year,
        "groups": groups,
    }


def register() -> None:
    hooks.register_home_block(
        territory_reporting,
        who=lambda v: any(r.role in ("methodist", "coordinator") for r in v.territory_roles),
    )
