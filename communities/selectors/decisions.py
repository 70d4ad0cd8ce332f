"""Reads of the decisions followed up: a structure's «Контроль исполнения», a person's own
«Мои поручения», the decisions listed with a version of the minutes. Each in a fixed number of
queries, whatever the data."""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, Count, Exists, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from networks.models import Membership, Structure, User

from ..models import Decision, Minutes
from ..services.decisions import taken

__all__ = [
    "STATUS_FILTERS",
    "decision_counts",
    "decision_list",
    "minutes_decisions",
    "my_open_decisions",
]

STATUS_FILTERS = ("open", "overdue", "done")


def _with_overdue(decisions: QuerySet[Decision], today: dt.date) -> QuerySet[Decision]:
    return decisions.annotate(
        is_overdue=Case(
            When(status=Decision.Status.OPEN, due_on__lt=today, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        )
    )


def decision_list(structure: Structure, status: str = "") -> QuerySet[Decision]:
    """The structure's decisions in force (their minutes signed): overdue first, then open by due
    date, then done, by due date. `status`: open, overdue, done or all. One query per page."""
    today = timezone.localdate()
    decisions = Decision.objects.filter(taken(), structure=structure)
    if status == "open":
        decisions = decisions.filter(status=Decision.Status.OPEN)
    elif status == "overdue":
        decisions = decisions.filter(status=Decision.Status.OPEN, due_on__lt=today)
    elif status == "done":
        decisions = decisions.filter(status=Decision.Status.DONE)
    return (
        _with_overdue(decisions, today)
        .select_related("owner", "owner_organisation", "minutes__event", "item", "done_by")
        .order_by("-is_overdue", "-status", "due_on", "pk")  # "open" > "done": open ones first
    )


def decision_counts(structure: Structure) -> dict[str, int]:
    """How many are open, overdue and done: one query."""
    today = timezone.localdate()
    return Decision.objects.filter(taken(), structure=structure).aggregate(
        open=Count("pk", filter=Q(status=Decision.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Decision.Status.OPEN, due_on__lt=today)),
        done=Count("pk", filter=Q(status=Decision.Status.DONE)),
    )


def my_open_decisions(user: User) -> QuerySet[Decision]:
    """The person's open decisions in force: their own, and their school's in the structures they
    belong to; overdue first. One query."""
    today = timezone.localdate()
    condition = Q(owner=user)
    if user.organisation_id:
        member = Membership.objects.current().filter(
            user=user, structure_id=OuterRef("structure_id")
        )
        condition |= Q(Exists(member), owner_organisation_id=user.organisation_id)
    return (
        _with_overdue(
            Decision.objects.filter(
                condition,
                taken(),
                status=Decision.Status.OPEN,
                structure__closed_on__isnull=True,
            ),
            today,
        )
        .select_related("structure", "minutes")
        .order_by("-is_overdue", "due_on", "pk")
    )


def minutes_decisions(minutes: Minutes) -> list[Decision]:
    """The decisions listed with a version of the minutes: those it took and those the versions
    before it took (a correction carries them). One query."""
    today = timezone.localdate()
    return list(
        _with_overdue(
            Decision.objects.filter(
                minutes__event_id=minutes.event_id, minutes__version__lte=minutes.version
            ),
            today,
        )
        .select_related("owner", "owner_organisation", "item", "minutes")
        .order_by("item__position", "pk")
    )
