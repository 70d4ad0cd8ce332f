"""The figures of one structure for one school year, assembled from what was recorded.

The same definitions serve the report page, its downloads and the summaries (brief of issue 7):
members by the category of their organisation in that year, meetings held against required, the
minutes' decisions and recommendations, plan items done of planned, pairs and their monitoring,
online-group statistics. `structure_figures` runs a fixed number of queries, whatever the data, and
returns plain JSON (dates as ISO strings), so that a submitted report keeps them in
Report.figures exactly as they were. `readable` turns such a dict back into dates and labels for
templates and exporters.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models import Decision, EventForm, EventFormat, Minutes, MinutesItem, Plan
from communities.selectors.events import held_events
from communities.selectors.plans import MONTH_NAMES, month_year
from mentoring.models import Contact, ContactForm, GroupStatistics, Response, Round
from mentoring.selectors import DEFAULT_SETTINGS, is_dormant, settings_by_region
from networks.models import PAIR_ROLES, Membership, OrganisationStatus, Role, Structure
from networks.schoolyear import SchoolYear

VERSION = 1
CATEGORIES = ("shnor", "sssu", "leader")


def structure_figures(structure: Structure, year: SchoolYear | int) -> dict[str, Any]:
    """Everything a report of the structure for the school year shows, as JSON-ready data."""
    year = year if isinstance(year, SchoolYear) else SchoolYear(year)
    kind = structure.kind
    return {
        "version": VERSION,
        "school_year": year.start,
        "computed_at": timezone.now().isoformat(),
        "members": member_figures(structure, year),
        "meetings": meeting_figures(structure, year),
        "minutes": minutes_figures(structure, year),
        "decisions": decision_figures(structure, year),
        "plan": plan_figures(structure, year),
        "pairs": pairs_figures(Structure.objects.filter(pk=structure.pk), year)
        if kind.is_pair
        else None,
        "online": online_figures(structure, year) if kind.has_online_platform else None,
    }


# --- Members -------------------------------------------------------------------------------------


def member_figures(structure: Structure, year: SchoolYear) -> dict[str, Any]:
    """People who were members at some point of the year, by their organisation's category in
    that year. A school both ШНОР and ШССУ counts in both; «other» has none of the three. Two
    queries: people per organisation, then the organisations' statuses."""
    rows = list(
        structure.memberships.during(year)
        .values(
            "user__organisation",
            "user__organisation__full_name",
            "user__organisation__short_name",
            "user__organisation__municipality__name",
        )
        .annotate(people=Count("user", distinct=True))
        .order_by("user__organisation__short_name", "user__organisation__full_name")
    )
    ids = [r["user__organisation"] for r in rows if r["user__organisation"]]
    statuses: dict[int, set[str]] = {}
    for organisation_id, status in OrganisationStatus.objects.filter(
        organisation_id__in=ids, school_year=year.start
    ).values_list("organisation_id", "status"):
        statuses.setdefault(organisation_id, set()).add(status)

    counts = dict.fromkeys(("total", *CATEGORIES, "other"), 0)
    organisations = []
    for row in rows:
        found = statuses.get(row["user__organisation"], set())
        people = row["people"]
        # A person has one organisation, so the groups do not overlap: their sum is distinct people.
        counts["total"] += people
        for category in CATEGORIES:
            if category in found:
                counts[category] += people
        if not found & set(CATEGORIES):
            counts["other"] += people
        organisations.append(
            {
                "name": row["user__organisation__full_name"] or "",
                "short_name": row["user__organisation__short_name"] or "",
                "municipality": row["user__organisation__municipality__name"] or "",
                "categories": [c for c in CATEGORIES if c in found],
                "people": people,
            }
        )
    return {**counts, "organisations": organisations}


# --- Meetings and minutes ------------------------------------------------------------------------


def _local_date(moment: dt.datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def meeting_figures(structure: Structure, year: SchoolYear) -> dict[str, Any]:
    """Held meetings against the kind's minimum (R-TUL-A4-4.3) and held events of every form,
    counted as the panel and the summary count them (communities.selectors.held_events).
    Two queries."""
    held = held_events(structure, year)[structure.pk]
    meetings = list(
        structure.events.held_in(year)
        .meetings()
        .annotate(present=Count("attendance", filter=Q(attendance__attended=True)))
        .order_by("starts_at", "pk")
        .values("pk", "title", "starts_at", "format", "place", "present")
    )
    by_form = dict(sorted(held.items()))
    return {
        "required": structure.kind.min_meetings_per_year,
        "held": held.meetings,
        "list": [
            {
                "id": m["pk"],
                "title": m["title"],
                "date": _local_date(m["starts_at"]),
                "format": m["format"],
                "place": m["place"],
                "present": m["present"],
            }
            for m in meetings
        ],
        "events_by_form": by_form,
        "events_held": held.total,
    }


def signed_minutes(structure: Structure, year: SchoolYear) -> QuerySet[Minutes]:
    """The latest signed version of the minutes of each event of the year, with their items."""
    newer = Minutes.objects.filter(
        event=OuterRef("event"), status=Minutes.Status.SIGNED, version__gt=OuterRef("version")
    )
    return (
        Minutes.objects.filter(
            event__in=structure.events.in_year(year).values("pk"), status=Minutes.Status.SIGNED
        )
        .exclude(Exists(newer))
        .select_related("event")
        .prefetch_related(
            Prefetch("items", queryset=MinutesItem.objects.order_by("position", "pk"))
        )
        .order_by("date", "event__starts_at", "pk")
    )


def minutes_figures(structure: Structure, year: SchoolYear) -> dict[str, Any]:
    """Signed minutes with their questions, decisions and recommendations (R-TUL-A4-4.4). Two
    queries."""
    found = []
    questions = recommendations = 0
    for minutes in signed_minutes(structure, year):
        items = [
            {
                "position": item.position,
                "question": item.question,
                "decision": item.decision,
                "recommendations": item.recommendations,
            }
            for item in minutes.items.all()
        ]
        questions += len(items)
        recommendations += sum(1 for i in items if i["recommendations"].strip())
        found.append(
            {
                "event_id": minutes.event_id,
                "event_title": minutes.event.title,
                "event_form": minutes.event.form,
                "number": minutes.number,
                "date": minutes.date.isoformat(),
                "version": minutes.version,
                "attendee_count": minutes.attendee_count,
                "items": items,
            }
        )
    return {
        "count": len(found),
        "questions": questions,
        "recommendations": recommendations,
        "list": found,
    }


def decision_figures(structure: Structure, year: SchoolYear) -> dict[str, Any]:
    """Decisions with owners taken at the year's meetings (their minutes signed, dated in the
    year): done on time, done late (after the due date, as it stood when done), open, and of the
    open ones those past their date on the reference day. One query."""
    day = _reference_day(year)
    counts = Decision.objects.filter(
        structure=structure,
        minutes__status=Minutes.Status.SIGNED,
        minutes__date__gte=year.first_day,
        minutes__date__lte=year.last_day,
    ).aggregate(
        taken=Count("pk"),
        done_on_time=Count(
            "pk",
            filter=Q(status=Decision.Status.DONE)
            & (Q(due_on__isnull=True) | Q(done_on__lte=F("due_on"))),
        ),
        done_late=Count("pk", filter=Q(status=Decision.Status.DONE, done_on__gt=F("due_on"))),
        open=Count("pk", filter=Q(status=Decision.Status.OPEN)),
        overdue=Count("pk", filter=Q(status=Decision.Status.OPEN, due_on__lt=day)),
    )
    return counts


# --- The plan ------------------------------------------------------------------------------------


def plan_figures(structure: Structure, year: SchoolYear) -> dict[str, Any] | None:
    """The latest approved plan of the year, else its latest version: items planned and done.
    Two queries (one without a plan)."""
    plan = (
        structure.plans.filter(school_year=year.start)
        .order_by(
            Case(When(status=Plan.Status.APPROVED, then=Value(0)), default=Value(1)), "-version"
        )
        .first()
    )
    if plan is None:
        return None
    items = list(plan.items.order_by("position", "pk"))
    return {
        "id": plan.pk,
        "title": str(plan),
        "status": plan.status,
        "version": plan.version,
        "planned": len(items),
        "done": sum(1 for i in items if i.done),
        "items": [
            {
                "position": i.position,
                "title": i.title,
                "form": i.form,
                "month": i.month,
                "date": i.date.isoformat() if i.date else None,
                "responsible": i.responsible,
                "done": i.done,
                "done_note": i.done_note,
            }
            for i in items
        ],
    }


# --- Pairs ---------------------------------------------------------------------------------------


def _reference_day(year: SchoolYear) -> dt.date:
    """Dormancy is judged today for the current year and at its last day for a past one."""
    return min(timezone.localdate(), year.last_day)


def pairs_figures(pairs: QuerySet[Structure], year: SchoolYear) -> dict[str, Any]:
    """Pairs working in the year: contacts in the year (by form, R-TUL-A3-4.1), dormant pairs (no
    contact for their region's limit), pairs flagged for a new mentor, and the response rate of
    the pair questionnaires of the year (mentor and mentee both asked, R-TUL-A3-4.2.1). A fixed
    number of queries for any number of pairs."""
    first, last = year.first_day, year.last_day
    reference = _reference_day(year)
    in_year = Q(pair_contacts__date__gte=first, pair_contacts__date__lte=last)
    newest = (
        Contact.objects.filter(pair=OuterRef("pk"), date__lte=reference)
        .order_by("-date")
        .values("date")[:1]
    )
    sides = (
        Membership.objects.during(year)
        .filter(role__in=PAIR_ROLES)
        .select_related("user__organisation")
        .order_by("since")
    )
    found = list(
        pairs.active_in(year)
        .select_related("region")
        .annotate(
            # Not `contacts`: Structure.contacts are the people an order names (StructureContact).
            contacts_in_year=Count("pair_contacts", filter=in_year),
            last_contact=Subquery(newest),
            rematch=Coalesce(
                "pair_state__needs_rematch", Value(False), output_field=BooleanField()
            ),
        )
        .prefetch_related(Prefetch("memberships", queryset=sides, to_attr="sides"))
        .order_by("name", "pk")
    )
    limits = settings_by_region() if found else {}
    rows = []
    for pair in found:
        people = {m.role: m.user for m in pair.sides}  # the latest of each side wins
        days = limits.get(pair.region_id, DEFAULT_SETTINGS).dormant_after_days
        rows.append(
            {
                "id": pair.pk,
                "name": pair.name,
                "mentee": _organisation_of(people.get(Role.MENTEE)),
                "mentor": _organisation_of(people.get(Role.MENTOR)),
                "contacts": pair.contacts_in_year,
                "last_contact": pair.last_contact.isoformat() if pair.last_contact else None,
                "dormant": is_dormant(pair, pair.last_contact, days, reference),
                "needs_rematch": bool(pair.rematch),
            }
        )
    ids = [r["id"] for r in rows]
    by_form = {
        row["form"]: row["n"]
        for row in Contact.objects.filter(pair_id__in=ids, date__gte=first, date__lte=last)
        .values("form")
        .annotate(n=Count("pk"))
        .order_by("form")
    }
    expected, submitted = _questionnaire_answers(found, year)
    return {
        "count": len(rows),
        "contacts": sum(r["contacts"] for r in rows),
        "contacts_by_form": by_form,
        "dormant": sum(1 for r in rows if r["dormant"]),
        "needs_rematch": sum(1 for r in rows if r["needs_rematch"]),
        "responses_expected": expected,
        "responses_submitted": submitted,
        "response_rate": round(100 * submitted / expected) if expected else None,
        "list": rows,
    }


def _organisation_of(person) -> str:
    if person is None:
        return ""
    return str(person.organisation) if person.organisation_id else ""


def _questionnaire_answers(pairs: list[Structure], year: SchoolYear) -> tuple[int, int]:
    """(expected, submitted) answers of the year's pair rounds: each side of each pair whose
    membership overlaps a round of its region is asked once per round. Three queries at most."""
    if not pairs:
        return 0, 0
    regions = {p.region_id for p in pairs}
    rounds = list(
        Round.objects.filter(
            audience=Round.Audience.PAIRS,
            school_year=year.start,
            questionnaire__region_id__in=regions,
        ).select_related("questionnaire")
    )
    if not rounds:
        return 0, 0
    asked = {
        f"r{r.pk}": Count(
            "pk",
            filter=Q(structure__region_id=r.questionnaire.region_id, since__lte=r.closes_on)
            & (Q(until__isnull=True) | Q(until__gte=r.opens_on))
            & ~Q(structure__closed_on__lt=r.opens_on),
        )
        for r in rounds
    }
    counts = Membership.objects.filter(
        structure_id__in=[p.pk for p in pairs], role__in=PAIR_ROLES
    ).aggregate(**asked)
    submitted = Response.objects.filter(
        round__in=rounds, pair_id__in=[p.pk for p in pairs], submitted_at__isnull=False
    ).count()
    return sum(v or 0 for v in counts.values()), submitted


# --- The online group ----------------------------------------------------------------------------


def online_figures(structure: Structure, year: SchoolYear) -> dict[str, Any]:
    """Visitors, views, actions and feedback of the periods that lie inside the year
    (R-TUL-A1-5.3, R-TUL-A2-3.1.4). Two queries."""
    inside = structure.group_statistics.filter(
        period_start__gte=year.first_day, period_end__lte=year.last_day
    )
    sums = inside.aggregate(
        periods=Count("pk"),
        visitors=Coalesce(Sum("visitors"), 0),
        views=Coalesce(Sum("views"), 0),
        actions=Coalesce(Sum("actions"), 0),
        feedback=Coalesce(Sum("feedback"), 0),
    )
    periods: list[GroupStatistics] = list(inside.order_by("period_start"))
    return {
        **sums,
        "list": [
            {
                "period_start": s.period_start.isoformat(),
                "period_end": s.period_end.isoformat(),
                "visitors": s.visitors,
                "views": s.views,
                "actions": s.actions,
                "feedback": s.feedback,
            }
            for s in periods
        ],
    }


# --- Reading stored figures ----------------------------------------------------------------------

CATEGORY_LABELS = {"shnor": "ШНОР", "sssu": "ШССУ", "leader": "Школа-лидер"}
_DATE_KEYS = {"date", "period_start", "period_end", "last_contact"}


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def _dates(value):
    """ISO strings under the date keys become dates, recursively."""
    if isinstance(value, dict):
        return {
            k: dt.date.fromisoformat(v)
            if k in _DATE_KEYS and isinstance(v, str) and v
            else _dates(v)
            for k, v in value.items()
        }
    if isinstance(value, list):
        return [_dates(v) for v in value]
    return value


def readable(figures: dict[str, Any]) -> dict[str, Any]:
    """A copy of stored figures with dates as dates and Russian labels beside the codes, for the
    page and the documents. Leaves the stored dict alone."""
    data = _dates(copy.deepcopy(figures))
    members = data.get("members") or {}
    for org in members.get("organisations", []):
        org["category_labels"] = ", ".join(CATEGORY_LABELS[c] for c in org["categories"])
    meetings = data.get("meetings") or {}
    for m in meetings.get("list", []):
        m["format_label"] = _label(EventFormat, m["format"])
    meetings["events_by_form_labels"] = [
        (_label(EventForm, form), n) for form, n in (meetings.get("events_by_form") or {}).items()
    ]
    required = meetings.get("required")
    meetings["short_of_required"] = bool(required) and meetings.get("held", 0) < required
    plan = data.get("plan")
    if plan:
        plan["status_label"] = _label(Plan.Status, plan["status"])
        for item in plan["items"]:
            item["form_label"] = _label(EventForm, item["form"])
            item["when"] = _when(item, data["school_year"])
    pairs = data.get("pairs")
    if pairs:
        pairs["contacts_by_form_labels"] = [
            (_label(ContactForm, form), n) for form, n in pairs["contacts_by_form"].items()
        ]
    data["school_year_label"] = SchoolYear(data["school_year"]).label
    return data


def _when(item: dict, school_year: int) -> str:
    if item.get("date"):
        return f"{item['date']:%d.%m.%Y}"
    if item.get("month"):
        return f"{MONTH_NAMES[item['month']]} {month_year(item['month'], school_year)}"
    return "—"
