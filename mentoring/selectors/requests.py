"""Reads about requests for targeted help (R-TUL-A1-2.2.2, R-TUL-A4-4.2.3): a person's own
requests, the coordinator's queue, overdue requests (for the page, the home block and the
reminders of the reporting issue), counts for the annual reports and the people a request may be
routed to. Each read runs a fixed number of queries, whatever the number of requests."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import BooleanField, Case, Count, Q, QuerySet, Value, When, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.coverage import covered_by
from networks.models import Membership, Region, Role, Structure, TerritoryRole, User
from networks.schoolyear import SchoolYear

from ..models import HelpRequest, MentoringSettings, Topic, TutorAssignment

# Waiting for help: nobody has answered yet. An answered request waits for the requester's
# confirmation only and is no longer overdue for the coordinator.
REQUEST_WAITING = (HelpRequest.Status.NEW, HelpRequest.Status.ROUTED)
DEFAULT_REQUEST_OVERDUE_DAYS = MentoringSettings._meta.get_field("request_overdue_days").default


def _list(queryset: QuerySet[HelpRequest]) -> QuerySet[HelpRequest]:
    return queryset.select_related(
        "requester", "organisation", "topic", "consultant", "region", "organisation__municipality"
    )


def my_help_requests(user: User) -> QuerySet[HelpRequest]:
    return _list(HelpRequest.objects.filter(requester=user)).order_by("-created_at", "-pk")


def requests_to_answer(user: User) -> QuerySet[HelpRequest]:
    """Requests routed to the person that they have not answered yet, oldest first."""
    return _list(
        HelpRequest.objects.filter(consultant=user, status=HelpRequest.Status.ROUTED)
    ).order_by("routed_at", "pk")


def requests_to_confirm(user: User) -> QuerySet[HelpRequest]:
    """The person's answered requests waiting for their word whether it helped."""
    return _list(
        HelpRequest.objects.filter(
            requester=user,
            status__in=(HelpRequest.Status.ANSWERED, HelpRequest.Status.CONSULTED),
        )
    ).order_by("answered_at", "pk")


# --- Overdue --------------------------------------------------------------------------------------


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def overdue_request_condition(
    *, today: dt.date, region: Region | int | None = None, settings: dict | None = None
) -> Q:
    """Waiting requests filed more than the region's `request_overdue_days` days before today
    (MentoringSettings, 14 by default): filed on 01.12, with 14 days, overdue from 16.12.
    `settings`: every region's MentoringSettings by region id, when the caller has read them."""
    region_id = region.pk if isinstance(region, Region) else region
    if settings is None:
        limits = MentoringSettings.objects.all()
        if region_id is not None:
            limits = limits.filter(region_id=region_id)
        days = dict(limits.values_list("region_id", "request_overdue_days"))
    else:
        days = {
            rid: s.request_overdue_days
            for rid, s in settings.items()
            if region_id is None or rid == region_id
        }

    def filed_before(n: int) -> Q:
        return Q(created_at__lt=_day_start(today - dt.timedelta(days=n)))

    if region_id is not None:
        late = Q(region_id=region_id) & filed_before(
            days.get(region_id, DEFAULT_REQUEST_OVERDUE_DAYS)
        )
    else:
        late = ~Q(region_id__in=list(days)) & filed_before(DEFAULT_REQUEST_OVERDUE_DAYS)
        for rid, n in days.items():
            late |= Q(region_id=rid) & filed_before(n)
    return Q(status__in=REQUEST_WAITING) & late


def overdue_requests(
    *, today: dt.date, region: Region | int | None = None, settings: dict | None = None
) -> QuerySet[HelpRequest]:
    """Open requests nobody has answered within the region's limit, oldest first (for the
    coordinator's page, the home block and the reminders)."""
    return _list(
        HelpRequest.objects.filter(
            overdue_request_condition(today=today, region=region, settings=settings)
        )
    ).order_by("created_at", "pk")


def overdue_and_waiting(
    condition: Q,
    *,
    today: dt.date,
    limit: int,
    region: Region | int | None = None,
    settings: dict | None = None,
) -> tuple[list[HelpRequest], int]:
    """The first `limit` overdue_requests() matching the condition (with their topic and
    organisation only), and how many requests matching it wait for help, in one query (the home
    block): the waiting ones, overdue first, each with the count of them all."""
    late = overdue_request_condition(today=today, region=region, settings=settings)
    rows = list(
        HelpRequest.objects.filter(condition, status__in=REQUEST_WAITING)
        .select_related("topic", "organisation")  # what the block shows; fewer joins to plan
        .annotate(
            is_overdue=Case(When(late, then=Value(True)), default=Value(False)),
            waiting_total=Window(Count("pk")),
        )
        .order_by("-is_overdue", "created_at", "pk")[:limit]
    )
    waiting = rows[0].waiting_total if rows else 0
    return [r for r in rows if r.is_overdue], waiting


def request_territory_condition(roles: list[TerritoryRole]) -> Q | None:
    """Requests from organisations covered by the roles (None: no territory at all)."""
    return covered_by(roles, municipality="organisation__municipality_id")


def request_queue(
    *,
    roles: list[TerritoryRole] | None,
    today: dt.date,
    status: str = "",
    topic: Topic | None = None,
) -> QuerySet[HelpRequest]:
    """The territory's requests: overdue first, then those still waiting, then the rest, oldest
    first within each. `roles` None: every region (a superuser)."""
    queryset = HelpRequest.objects.all()
    if roles is not None:
        condition = request_territory_condition(roles)
        queryset = queryset.filter(condition) if condition is not None else queryset.none()
    if status == "open":
        queryset = queryset.exclude(status=HelpRequest.Status.CLOSED)
    elif status:
        queryset = queryset.filter(status=status)
    if topic is not None:
        queryset = queryset.filter(topic=topic)
    overdue = overdue_request_condition(today=today)
    return (
        _list(queryset)
        .annotate(
            is_overdue=Case(
                When(overdue, then=Value(True)), default=Value(False), output_field=BooleanField()
            ),
            is_waiting=Case(
                When(status__in=REQUEST_WAITING, then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
        )
        .order_by("-is_overdue", "-is_waiting", "created_at", "pk")
    )


# --- Counts for the annual reports ----------------------------------------------------------------


@dataclass(frozen=True)
class RequestCounts:
    total: int
    by_status: dict[str, int]  # every status, zeros included
    by_topic: list[tuple[Topic, int]]  # topics with requests, in the catalogue's order
    helped: int
    not_helped: int


def request_counts(*, region: Region | int, school_year: SchoolYear | int) -> RequestCounts:
    """Requests filed in the region during the school year, by status and by topic."""
    year = school_year if isinstance(school_year, SchoolYear) else SchoolYear(school_year)
    region_id = region.pk if isinstance(region, Region) else region
    filed = HelpRequest.objects.filter(
        region_id=region_id,
        created_at__gte=_day_start(year.first_day),
        created_at__lt=_day_start(year.last_day + dt.timedelta(days=1)),
    )
    by_status = dict.fromkeys(HelpRequest.Status.values, 0)
    by_status.update(
        filed.values("status").annotate(n=Count("pk")).order_by().values_list("status", "n")
    )
    per_topic = dict(
        filed.values("topic").annotate(n=Count("pk")).order_by().values_list("topic", "n")
    )
    topics = Topic.objects.filter(pk__in=list(per_topic))
    helped = filed.aggregate(
        yes=Count("pk", filter=Q(helped=True)), no=Count("pk", filter=Q(helped=False))
    )
    return RequestCounts(
        total=sum(by_status.values()),
        by_status=by_status,
        by_topic=[(t, per_topic[t.pk]) for t in topics],
        helped=helped["yes"],
        not_helped=helped["no"],
    )


# --- Whom to route a request to -------------------------------------------------------------------


def consultant_candidates(region: Region | int) -> list[tuple[str, list[User]]]:
    """The likely consultants of the region, in groups: members of consultative councils (S2),
    mentors of network pairs, tutors, the territory's methodists. Four queries."""
    region_id = region.pk if isinstance(region, Region) else region
    current = Membership.objects.current().filter(
        structure__region_id=region_id, structure__closed_on__isnull=True, user__is_active=True
    )
    people = User.objects.filter(is_active=True, anonymised_at__isnull=True).select_related(
        "organisation"
    )
    council = people.filter(
        pk__in=current.filter(structure__kind__consultative=True).values("user_id")
    )
    mentors = people.filter(
        pk__in=current.filter(role=Role.MENTOR, structure__kind__is_pair=True).values("user_id")
    )
    tutoring = TutorAssignment.objects.filter(
        until__isnull=True, structure__region_id=region_id
    ).values("tutor_id")
    tutors = people.filter(
        Q(pk__in=current.filter(role=Role.TUTOR).values("user_id")) | Q(pk__in=tutoring)
    )
    methodists = people.filter(
        pk__in=TerritoryRole.objects.filter(
            region_id=region_id, role=TerritoryRole.Role.METHODIST
        ).values("user_id")
    )
    groups = [
        (_("Члены консультационного совета"), list(council)),
        (_("Наставники сетевых пар"), list(mentors)),
        (_("Тьюторы"), list(tutors)),
        (_("Методисты территории"), list(methodists)),
    ]
    return [(label, users) for label, users in groups if users]


def consultant_works_in_region(user: User, region_id: int) -> bool:
    """Any active person of the region may consult: by their organisation, a role in the
    territory or a current membership in a structure of the region."""
    if not user.is_active or user.anonymised_at is not None:
        return False
    if user.organisation is not None and user.organisation.region_id == region_id:
        return True
    return (
        TerritoryRole.objects.filter(user=user, region_id=region_id).exists()
        or Structure.objects.filter(
            region_id=region_id, memberships__user=user, memberships__until__isnull=True
        ).exists()
    )


__all__ = [
    "DEFAULT_REQUEST_OVERDUE_DAYS",
    "REQUEST_WAITING",
    "RequestCounts",
    "consultant_candidates",
    "consultant_works_in_region",
    "my_help_requests",
    "overdue_request_condition",
    "overdue_requests",
    "request_counts",
    "request_queue",
    "request_territory_condition",
    "requests_to_answer",
    "requests_to_confirm",
]
