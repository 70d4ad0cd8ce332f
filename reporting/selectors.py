"""Reads of reporting that pages share."""

from __future__ import annotations

from django.db.models import F, Q, QuerySet

from networks.coverage import covered_by
from networks.models import User
from networks.permissions import MANAGING_ROLES, territory_roles
from networks.schoolyear import SchoolYear
from networks.selectors import through

from .models import Deadline, Notice


def my_deadlines(user: User, year: SchoolYear) -> QuerySet[Deadline]:
    """Deadlines the person delivers (their role is the rule's) or oversees (they run the
    structure, coordinate its territory or are its methodist), for one school year."""
    delivers = Q(
        structure__memberships__user=user,
        structure__memberships__until__isnull=True,
        structure__memberships__role=F("rule__deliverer_role"),
    )
    runs = Q(
        structure__memberships__user=user,
        structure__memberships__until__isnull=True,
        structure__memberships__role__in=MANAGING_ROLES,
    )
    condition = delivers | runs
    # The territory's coordinators oversee its deadlines; its methodists read all of them.
    coordinated = covered_by(territory_roles(user))
    if coordinated is not None:
        condition |= through(coordinated)
    return (
        Deadline.objects.filter(condition, school_year=year.start)
        .select_related("rule", "structure")
        .distinct()
        .order_by("due_on", "structure__name")
    )


def notices_of(user: User) -> QuerySet[Notice]:
    return Notice.objects.filter(user=user).order_by("-created_at")
