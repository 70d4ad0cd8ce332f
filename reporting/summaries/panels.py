"""The home block of the summaries (networks.hooks): «Отчётность территории» for methodists and
coordinators of a territory. One query, whatever the number of structures or deadlines (the
territory roles are cached per request by networks.permissions), and none while the shared cache
keeps the territory's figures (summaries.nearest)."""

from __future__ import annotations

from django.utils import timezone

from networks import hooks
from networks.schoolyear import SchoolYear

from .. import permissions
from . import nearest, selectors


def territory_reporting(request):
    """The nearest deadlines of the current school year in the person's territory: how many
    structures handed in, late, not at all."""
    user = request.user
    if not user.is_authenticated or not permissions.summary_roles(user):
        return None
    year = SchoolYear.current()
    today = timezone.localdate()

    def count():
        return selectors.nearest_deadlines(permissions.summary_coverage(user), year, today=today)

    if user.is_superuser:
        groups = count()  # the whole country: no territory to keep it for
    else:
        # The same for every methodist and coordinator of the territory (issue 19).
        groups = nearest.groups(permissions.summary_roles(user), year.start, today, count)
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
