"""Reads for events, attendance and minutes: the structure's events page and panel, the event and
minutes pages, and the home blocks. Each does its own select_related, so that the number of queries
does not grow with the number of events, people or questions."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from networks.coverage import covered_by
from networks.models import LEAD_ROLES, Membership, Role, Structure, TerritoryRole, User
from networks.permissions import StructureAccess, can_see_name, territory_roles
from networks.schoolyear import SchoolYear
from networks.selectors import through

from ..models import Attendance, Event, EventForm, Minutes, PlanItem

__all__ = [
    "EventWhen",
    "HeldEvents",
    "MeetingProgress",
    "Standing",
    "YearMeetings",
    "attendance_rows",
    "coordinated_condition",
    "event_list",
    "event_plan_items",
    "first_meetings_without_minutes",
    "held_events",
    "led_structures",
    "meeting_progress",
    "meetings_held",
    "meetings_without_minutes",
    "minutes_attendees",
    "minutes_versions",
    "person_name",
    "structure_standing",
    "upcoming_events_of",
]

EventWhen = Literal["all", "upcoming", "past"]
PANEL_LIMIT = 5
# Meetings (заседания) are what the orders count and minute (R-TUL-A4-4.3, 4.4).
_OPEN = (Event.Status.SCHEDULED, Event.Status.HELD)


def _signed_minutes():
    return Exists(Minutes.objects.filter(event=OuterRef("pk"), status=Minutes.Status.SIGNED))


def event_list(structure: Structure, year: SchoolYear, when: EventWhen = "all") -> QuerySet[Event]:
    """A structure's events of a school year, with how many were invited and came, and whether
    they have signed minutes."""
    events = (
        structure.events.in_year(year)
        .select_related("proposed_by", "plan_item")
        .annotate(
            invited_count=Count("attendance", filter=Q(attendance__invited=True)),
            present_count=Count("attendance", filter=Q(attendance__attended=True)),
            has_signed_minutes=_signed_minutes(),
        )
    )
    now = timezone.now()
    if when == "upcoming":
        return events.filter(starts_at__gte=now).order_by("starts_at", "pk")
    if when == "past":
        return events.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    return events.order_by("-starts_at", "-pk")


def event_plan_items(structure: Structure) -> QuerySet[PlanItem]:
    """Items of the structure's current plans that an event can be held for."""
    from ..models import Plan

    plans = Plan.objects.filter(structure=structure).latest_versions()
    return (
        PlanItem.objects.filter(plan__in=plans)
        .select_related("plan")
        .order_by("-plan__school_year", "position")
    )


def attendance_rows(event: Event) -> QuerySet[Attendance]:
    """Members first by surname, then guests."""
    return event.attendance.select_related("user", "user__organisation").order_by(
        F("user__last_name").asc(nulls_last=True), "user__first_name", "guest_name", "pk"
    )


def minutes_versions(event: Event) -> QuerySet[Minutes]:
    return event.minutes.select_related("signed_by").order_by("-version")


def person_name(person: User, *, viewer: User, access: StructureAccess) -> str:
    """A person as another sees them: a deleted account is «Удалённый пользователь»; a name shows
    only as networks.permissions.can_see_name allows."""
    if person.anonymised_at is not None:
        return _("Удалённый пользователь")
    if can_see_name(access, viewer, person):
        return person.full_name
    return _("Участник (имя скрыто)")


def _person_line(person: User, *, viewer: User, access: StructureAccess) -> str:
    name = person_name(person, viewer=viewer, access=access)
    parts = [name]
    if person.anonymised_at is None and name == person.full_name and person.position:
        parts.append(person.position)
    if person.anonymised_at is None and person.organisation:
        parts.append(str(person.organisation))
    return ", ".join(parts)


def minutes_attendees(
    minutes: Minutes, *, viewer: User, access: StructureAccess
) -> tuple[list[str], list[str]]:
    """The attendees as (members, guests) lines: a signed version's own list (fixed at signing:
    a correction may change the attendance for the next version), a draft's from the attendance."""
    snapshot = minutes.attendees if minutes.is_signed else None
    if snapshot:
        people = User.objects.select_related("organisation").in_bulk(snapshot["users"])
        members = [
            _person_line(people[pk], viewer=viewer, access=access)
            for pk in snapshot["users"]
            if pk in people
        ]
        guests = [", ".join(p for p in guest if p) for guest in snapshot["guests"]]
        return members, guests
    members, guests = [], []
    for row in attendance_rows(minutes.event).filter(attended=True):
        if row.user_id:
            members.append(_person_line(row.user, viewer=viewer, access=access))
        else:
            guests.append(", ".join(p for p in (row.guest_name, row.guest_organisation) if p))
    return members, guests


# --- Meetings held in a school year --------------------------------------------------------------


class HeldEvents(Counter):
    """The events a structure held in a school year, by form (Event.objects.held_in)."""

    @property
    def meetings(self) -> int:
        """Meetings (заседания): what the orders count (R-TUL-A4-4.3)."""
        return self[EventForm.MEETING]

    @property
    def total(self) -> int:
        return sum(self.values())


def held_events(
    structures: Structure | QuerySet[Structure] | Iterable[int],
    year: SchoolYear,
    *,
    as_of: dt.datetime | None = None,
) -> defaultdict[int, HeldEvents]:
    """Events held in the school year by structure id and form, for one structure or for many
    (a queryset, or ids) in one query. A structure that held nothing gets an empty count.
    With `as_of`, only events that had started before that moment (a report's figures frozen at
    its submission).

    The one count of "meetings held in a school year": the structure's panel, its report and the
    territory's summary all show it."""
    if isinstance(structures, Structure):
        structures = [structures.pk]
    held: defaultdict[int, HeldEvents] = defaultdict(HeldEvents)
    events = Event.objects.held_in(year)
    if as_of is not None:
        events = events.filter(starts_at__lt=as_of)
    rows = (
        events.filter(structure__in=structures)
        .values_list("structure_id", "form")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for structure_id, form, n in rows:
        held[structure_id][form] = n
    return held


def meetings_held(
    structures: Structure | QuerySet[Structure] | Iterable[int], year: SchoolYear
) -> defaultdict[int, int]:
    """Meetings held in the school year by structure id (R-TUL-A4-4.3), 0 for none. One query."""
    counts: defaultdict[int, int] = defaultdict(int)
    counts.update({pk: held.meetings for pk, held in held_events(structures, year).items()})
    return counts


# --- Meetings against the minimum ---------------------------------------------------------------


@dataclass(frozen=True)
class MeetingProgress:
    """Meetings held of those a kind requires in a school year (R-TUL-A4-4.3), on a given day.

    «Меньше минимума» (`short`) is said only when the year can no longer make it up: the school
    year is over (after 31 August) or the structure has stopped working. The order sets a number
    per school year, not a pace (nothing forbids two meetings in one month), so before the year
    ends any shortfall can still be made up and is shown as progress instead (`behind`, `text`:
    «2 из 4, до конца учебного года 9 мес.»)."""

    held: int
    required: int | None
    months_left: int
    finished: bool

    @property
    def met(self) -> bool:
        return not self.required or self.held >= self.required

    @property
    def short(self) -> bool:
        return not self.met and self.finished

    @property
    def behind(self) -> bool:
        return not self.met and not self.finished

    @property
    def text(self) -> str:
        """«2 из 4, до конца учебного года 9 мес.» while the year runs, «2 из 4» otherwise."""
        if not self.required:
            return str(self.held)
        if self.behind:
            return _("%(held)s из %(required)s, до конца учебного года %(months)s мес.") % {
                "held": self.held,
                "required": self.required,
                "months": self.months_left,
            }
        return _("%(held)s из %(required)s") % {"held": self.held, "required": self.required}


def meeting_progress(
    held: int,
    required: int | None,
    year: SchoolYear,
    *,
    today: dt.date,
    closed_on: dt.date | None = None,
) -> MeetingProgress:
    """Where `held` of `required` meetings stand on `today` (see MeetingProgress). The months
    left count the current one: on 6 December of 2025/2026 they are December to August, 9."""
    finished = today > year.last_day or (closed_on is not None and closed_on <= today)
    if finished or today < year.first_day:
        months = 0 if finished else 12
    else:
        last = year.last_day
        months = (last.year - today.year) * 12 + last.month - today.month + 1
    return MeetingProgress(held=held, required=required, months_left=months, finished=finished)


# --- Where the structure stands this school year ------------------------------------------------


# How many school years the structure page's chart of meetings goes back (the shown one included).
CHART_YEARS = 5


@dataclass(frozen=True)
class YearMeetings:
    """Meetings held in one school year of a structure, against its kind's minimum."""

    year: SchoolYear
    progress: MeetingProgress

    @property
    def held(self) -> int:
        return self.progress.held


@dataclass
class Standing:
    year: SchoolYear
    required: int | None
    held: int = 0
    missing_count: int = 0
    missing: list[Event] = field(default_factory=list)
    upcoming: list[Event] = field(default_factory=list)
    # The shown school year and up to CHART_YEARS - 1 before it, since the structure began, oldest
    # first: the page's chart and its table (issue 20).
    by_year: list[YearMeetings] = field(default_factory=list)


def _chart_start(structure: Structure, year: SchoolYear) -> SchoolYear:
    """The first school year of the chart: the structure's first, at most CHART_YEARS back."""
    first = max(SchoolYear.of(structure.established_on), SchoolYear(year.start - CHART_YEARS + 1))
    return min(first, year)


def _by_year(
    structure: Structure, first: SchoolYear, year: SchoolYear, starts
) -> list[YearMeetings]:
    counts = Counter(SchoolYear.of(timezone.localtime(moment).date()) for moment in starts)
    today = timezone.localdate()
    required = structure.kind.min_meetings_per_year
    return [
        YearMeetings(
            SchoolYear(y),
            meeting_progress(
                counts[SchoolYear(y)],
                required,
                SchoolYear(y),
                today=today,
                closed_on=structure.closed_on,
            ),
        )
        for y in range(first.start, year.start + 1)
    ]


_UPCOMING = (Event.Status.SCHEDULED, Event.Status.PROPOSED)


def structure_standing(structure: Structure, year: SchoolYear) -> Standing:
    """Meetings held of those required (R-TUL-A4-4.3) in each school year from the structure's
    first — at most CHART_YEARS back — to `year` (as Event.objects.held_in counts them; a year
    without meetings as 0), past meetings without signed minutes (R-TUL-A4-4.4) and the next
    events. One query, whatever the data: the meetings of the chart's years and the events
    still to come, sorted out here (it was four: the count, two lists and the chart, issue 19)."""
    now = timezone.now()
    first = _chart_start(structure, year)
    start, end = year.moments
    since = min(first.moments[0], now)  # an event to come may precede a future first year
    events = list(
        structure.events.filter(starts_at__gte=since, starts_at__lt=end)
        .filter(Q(form=EventForm.MEETING) | Q(status__in=_UPCOMING, starts_at__gte=now))
        .annotate(signed=_signed_minutes())
        .order_by("starts_at", "pk")
    )
    meetings = [e for e in events if e.form == EventForm.MEETING]
    starts = [
        e.starts_at
        for e in meetings
        if e.status == Event.Status.HELD and e.starts_at >= first.moments[0]
    ]
    missing = [
        e for e in meetings if start <= e.starts_at < now and e.status in _OPEN and not e.signed
    ]
    upcoming = [e for e in events if e.status in _UPCOMING and e.starts_at >= now]
    by_year = _by_year(structure, first, year, starts)
    return Standing(
        year=year,
        required=structure.kind.min_meetings_per_year,
        held=by_year[-1].held,
        missing_count=len(missing),
        missing=missing[:PANEL_LIMIT],
        upcoming=upcoming[:PANEL_LIMIT],
        by_year=by_year,
    )


# --- Across structures, for the home page -------------------------------------------------------


def coordinated_condition(user: User, *, watching: list[int] | None = None) -> Q:
    """Structures the person watches over — as their coordinator or curator, or as the
    territory's coordinator — as a condition on the structure's own columns. `watching`: the
    structures of the person's current coordinator and curator memberships when the caller has
    read them (the home page): a list of ids, not a subquery OR-ed with the region, lets
    PostgreSQL start from the region's structures."""
    # IN (the person's memberships) rather than a join: no duplicates, and no scan of every
    # membership when OR-ed with the territory.
    if watching is None:
        watching = Membership.objects.filter(
            user=user, until__isnull=True, role__in=[Role.COORDINATOR, Role.CURATOR]
        ).values("structure_id")
    condition = Q(pk__in=watching)
    coordinated = covered_by(
        [r for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR]
    )
    if coordinated is not None:
        condition |= coordinated
    return condition


def led_structures(user: User) -> QuerySet[Structure]:
    """Structures the person heads or chairs: they file and sign the minutes."""
    return Structure.objects.filter(
        memberships__user=user,
        memberships__until__isnull=True,
        memberships__role__in=LEAD_ROLES,
    )


def meetings_without_minutes(structures: QuerySet[Structure] | Q | list[int]) -> QuerySet[Event]:
    """Past meetings, held or still marked scheduled, that have no signed minutes, in the given
    structures (a queryset or their ids) or those matching a condition on their own columns
    (networks.selectors.through)."""
    if isinstance(structures, Q):
        of_structures = through(structures)
    elif isinstance(structures, list):
        of_structures = Q(structure_id__in=structures)
    else:
        of_structures = Q(structure__in=structures.values("pk"))
    return (
        Event.objects.meetings()
        .filter(
            of_structures,
            structure__closed_on__isnull=True,
            status__in=_OPEN,
            starts_at__lt=timezone.now(),
        )
        .exclude(_signed_minutes())
        .select_related("structure")
        .order_by("starts_at", "pk")
    )


def first_meetings_without_minutes(structures: QuerySet[Structure] | Q | list[int], n: int):
    """The first n of meetings_without_minutes(): found by their ids alone, then read whole. In
    a region, the past meetings to sort are thousands; sorting them with every column of the
    event and its structure cost more than finding them (issue 19)."""
    first = meetings_without_minutes(structures).select_related(None).values("pk")[:n]
    return list(
        Event.objects.filter(pk__in=first).select_related("structure").order_by("starts_at", "pk")
    )


def upcoming_events_of(user: User, *, structures: list[int] | None = None) -> QuerySet[Event]:
    """The next events of the structures the person belongs to (`structures`: their ids, when the
    caller has read the person's memberships already)."""
    if structures is None:
        mine = Q(structure__memberships__user=user, structure__memberships__until__isnull=True)
    else:
        mine = Q(structure_id__in=structures)
    return (
        Event.objects.upcoming()
        .filter(mine)
        .select_related("structure")
        .order_by("starts_at", "pk")
    )
