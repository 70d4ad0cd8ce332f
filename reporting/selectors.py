"""Reads of reporting that pages share."""

from __future__ import annotations

from django.db.models import F, QuerySet

from networks.coverage import covered_by
from networks.models import User
from networks.permissions import MANAGING_ROLES, territory_roles
from networks.schoolyear import SchoolYear
from networks.selectors import through

from .models import Deadline, Notice


def my_deadlines(user: User, year: SchoolYear) -> QuerySet[Deadline]:
    """Deadlines the person delivers (their role is the rule's) or oversees (they run the
    structure, coordinate its territory or are its methodist), for one school year.

    One query: the ids of each part in one UNION. OR-ing the parts over the join with the
    members made PostgreSQL join and DISTINCT every deadline of the territory (150–400 ms for a
    regional methodist on the national data, 15–120 ms this way; docs/PERFORMANCE.md)."""
    base = Deadline.objects.filter(school_year=year.start).order_by()
    mine = {"structure__memberships__user": user, "structure__memberships__until__isnull": True}
    parts = [
        base.filter(**mine, structure__memberships__role=F("rule__deliverer_role")).values("pk"),
        base.filter(**mine, structure__memberships__role__in=MANAGING_ROLES).values("pk"),
    ]
    # The territory's coordinators oversee its deadlines; its methodists read all of them.
    coordinated = covered_by(territory_roles(user))
    if coordinated is not None:
        parts.append(base.filter(through(coordinated)).values("pk"))
    return (
        Deadline.objects.filter(pk__in=parts[0].union(*parts[1:]))
        .select_related("rule", "structure")
        .order_by("due_on", "structure__name")
    )


def notices_of(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user).order_by("-created_at")
