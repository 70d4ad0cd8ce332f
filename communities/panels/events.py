"""Structure panels and home blocks of events, meetings and minutes (networks.hooks). Each runs a
fixed number of queries, whatever the data."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from networks import hooks
from networks.charts import BarChart, bar_chart
from networks.models import LEAD_ROLES, Role
from networks.permissions import default_year_read
from networks.schoolyear import SchoolYear

from .. import permissions, selectors

LIST_LIMIT = 10


def standing_panel(request, structure):
    """Where the structure stands in the school year shown on its page: meetings held of those
    required (R-TUL-A4-4.3), past meetings without signed minutes (R-TUL-A4-4.4), what is next."""
    access = structure.access
    if not permissions.can_see_events(access):
        return None
    year = default_year_read(structure, SchoolYear.parse(request.GET.get("year")))
    standing = selectors.structure_standing(structure, year)
    return {
        "template": "communities/events/panel.html",
        "order": 15,
        "structure": structure,
        "standing": standing,
        "chart": meetings_chart(standing),
        "can_plan": permissions.can_plan_event(access, structure),
        "can_propose": permissions.can_propose_event(access, structure),
    }


def meetings_chart(standing: selectors.Standing) -> BarChart | None:
    """Meetings held in each school year (standing.by_year) against the kind's yearly minimum
    (R-TUL-A4-4.3), drawn as a line across the bars (issue 20); None when the kind has no minimum
    and nothing was held. A bar is blue when the minimum is met, grey while the year can still
    make it up, red when it can no longer; the panel's table says the same in words."""
    rows = standing.by_year
    if not standing.required and not any(r.held for r in rows):
        return None
    return bar_chart(
        [
            (
                r.year.label,
                r.held,
                "held" if r.progress.met else "missing" if r.progress.short else "pending",
            )
            for r in rows
        ],
        title=(
            _("Заседания по учебным годам: проведено и требуется")
            if standing.required
            else _("Заседания по учебным годам")
        ),
        marker=(
            (standing.required, _("минимум — %(n)s") % {"n": standing.required})
            if standing.required
            else None
        ),
        label_width=100,
    )


def _block(template: str, order: int, events) -> dict | None:
    if not isinstance(events, list):
        events = list(events[: LIST_LIMIT + 1])
    if not events:
        return None
    return {
        "template": template,
        "order": order,
        "events": events[:LIST_LIMIT],
        "more": len(events) > LIST_LIMIT,
    }


# What the home page calls coming up (issue 20: «coming up this week» first).
SOON = dt.timedelta(days=7)


def upcoming_events(request):
    """«Ближайшие мероприятия» of the structures the person belongs to: among what is coming up
    when the first of them is within a week (SOON), in the overview otherwise."""
    structures = hooks.home_viewer(request).structure_ids()
    block = _block(
        "communities/events/home_upcoming.html",
        12,
        selectors.upcoming_events_of(request.user, structures=structures),
    )
    if block and block["events"][0].starts_at >= timezone.now() + SOON:
        block["needs"] = None
    return block


def _watched(request):
    viewer = hooks.home_viewer(request)
    return selectors.coordinated_condition(
        request.user,
        watching=viewer.structure_ids(
            (Role.COORDINATOR, Role.CURATOR), outside=viewer.coordinator_roles
        ),
    )


def meetings_without_minutes(request):
    """For coordinators: past meetings without signed minutes in the structures they watch."""
    return _block(
        "communities/events/home_without_minutes.html",
        16,
        selectors.first_meetings_without_minutes(_watched(request), LIST_LIMIT + 1),
    )


def minutes_to_file(request):
    """For heads and chairs: the minutes they must write and sign."""
    structures = hooks.home_viewer(request).structure_ids(LEAD_ROLES)
    return _block(
        "communities/events/home_to_file.html",
        17,
        selectors.first_meetings_without_minutes(structures, LIST_LIMIT + 1),
    )


def register() -> None:
    """Registers this feature's panels and home blocks with networks.hooks."""
    hooks.register_structure_panel(standing_panel)
    hooks.register_home_block(
        upcoming_events, who=lambda v: bool(v.current), needs=hooks.NEEDS_SOON
    )
    hooks.register_home_block(
        meetings_without_minutes,
        who=_watches,
        needs=hooks.NEEDS_ACTION,
        probe=lambda request: selectors.meetings_without_minutes(_watched(request)),
    )
    hooks.register_home_block(
        minutes_to_file,
        who=lambda v: v.holds(LEAD_ROLES),
        needs=hooks.NEEDS_ACTION,
        probe=lambda request: selectors.meetings_without_minutes(
            hooks.home_viewer(request).structure_ids(LEAD_ROLES)
        ),
    )


def _watches(viewer) -> bool:
    """selectors.coordinated_condition: coordinators and curators, the territory's coordinators."""
    return viewer.holds((Role.COORDINATOR, Role.CURATOR)) or viewer.territory_coordinator
