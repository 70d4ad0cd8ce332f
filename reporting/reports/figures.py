"""The figures of one structure for one school year, assembled from what was recorded.

The same definitions serve the report page, its downloads and the summaries (brief of issue 7):
members by the category of their organisation in that year, meetings held against required, the
minutes' decisions and recommendations, plan items done of planned, pairs and their monitoring,
online-group statistics. `structure_figures` runs a fixed number of queries, whatever the data, and
returns plain JSON (dates as ISO strings), so that a submitted report keeps them in
Report.figures exactly as they were. `readable` turns such a dict back into dates and labels for
templates and exporters.

Figures frozen at a report's submission are computed `as_of` the submission moment, so that they
are the record as it was then even when computed later (the demo hands in last year's reports):
events begun and marked held before it, minutes signed before it, memberships begun by its day,
contacts and statistics periods up to its day, questionnaire answers sent before it, plan items
held with minutes signed before it. What has no timestamp of its own is read as it is now: which
plan of the year is reported (the latest approved, else the latest version) and an item's tick
«выполнено».
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
from communities.selectors.events import held_events, meeting_progress
from communities.selectors.plans import MONTH_NAMES, month_year
from mentoring.models import Contact, ContactForm, GroupStatistics, Response, Round
from mentoring.selectors import DEFAULT_SETTINGS, is_dormant, settings_by_region
from networks.models import PAIR_ROLES, Membership, OrganisationStatus, Role, Structure
from networks.schoolyear import SchoolYear

VERSION = 1
CATEGORIES = ("shnor", "sssu", "leader")


def structure_figures(
    structure: Structure, year: SchoolYear | int, *, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """Everything a report of the structure for the school year shows, as JSON-ready data: the
    record as it is now, or as it was at the moment `as_of` (a report's submission)."""
    year = year if isinstance(year, SchoolYear) else SchoolYear(year)
    kind = structure.kind
    return {
        "version": VERSION,
        "school_year": year.start,
        "computed_at": (as_of or timezone.now()).isoformat(),
        "members": member_figures(structure, year, as_of=as_of),
        "meetings": meeting_figures(structure, year, as_of=as_of),
        "minutes": minutes_figures(structure, year, as_of=as_of),
        "decisions": decision_figures(structure, year, as_of=as_of),
        "plan": plan_figures(structure, year, as_of=as_of),
        "pairs": pairs_figures(Structure.objects.filter(pk=structure.pk), year, as_of=as_of)
        if kind.is_pair
        else None,
        "online": online_figures(structure, year, as_of=as_of)
        if kind.has_online_platform
        else None,
    }


# --- Members -------------------------------------------------------------------------------------


def _day_of(as_of: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(as_of).date() if as_of is not None else None


def member_figures(
    structure: Structure, year: SchoolYear, *, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """People who were members at some point of the year, by their organisation's category in
    that year. A school both ШНОР and ШССУ counts in both; «other» has none of the three. Two
    queries: people per organisation, then the organisations' statuses."""
    memberships = structure.memberships.during(year)
    if as_of is not None:
        memberships = memberships.filter(since__lte=_day_of(as_of))
    rows = list(
        memberships.values(
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


def meeting_figures(
    structure: Structure, year: SchoolYear, *, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """Held meetings against the kind's minimum (R-TUL-A4-4.3) and held events of every form,
    counted as the panel and the summary count them (communities.selectors.held_events), and
    the day the structure stopped working if it had by then. Two queries."""
    held = held_events(structure, year, as_of=as_of)[structure.pk]
    events = structure.events.held_in(year)
    if as_of is not None:
        events = events.filter(starts_at__lt=as_of)
    closed_on = structure.closed_on
    if closed_on is not None and as_of is not None and closed_on > _day_of(as_of):
        closed_on = None
    meetings = list(
        events.meetings()
        .annotate(present=Count("attendance", filter=Q(attendance__attended=True)))
        .order_by("starts_at", "pk")
        .values("pk", "title", "starts_at", "format", "place", "present")
    )
    by_form = dict(sorted(held.items()))
    return {
        "required": structure.kind.min_meetings_per_year,
        "held": held.meetings,
        "closed_on": closed_on.isoformat() if closed_on else None,
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


def signed_minutes(
    structure: Structure, year: SchoolYear, *, as_of: dt.datetime | None = None
) -> QuerySet[Minutes]:
    """The latest signed version of the minutes of each event of the year, with their items;
    with `as_of`, of those signed before that moment."""
    signed = Minutes.objects.filter(status=Minutes.Status.SIGNED)
    if as_of is not None:
        signed = signed.filter(signed_at__lt=as_of)
    newer = signed.filter(event=OuterRef("event"), version__gt=OuterRef("version"))
    return (
        signed.filter(event__in=structure.events.in_year(year).values("pk"))
        .exclude(Exists(newer))
        .select_related("event")
        .prefetch_related(
            Prefetch("items", queryset=MinutesItem.objects.order_by("position", "pk"))
        )
        .order_by("date", "event__starts_at", "pk")
    )


def minutes_figures(
    structure: Structure, year: SchoolYear, *, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """Signed minutes with their questions, decisions and recommendations (R-TUL-A4-4.4). Two
    queries."""
    found = []
    questions = recommendations = 0
    for minutes in signed_minutes(structure, year, as_of=as_of):
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


def decision_figures(
    structure: Structure, year: SchoolYear, *, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """Decisions with owners taken at the year's meetings (their minutes signed, dated in the
    year): done on time, done late (after the due date, as it stood when done), open, and of the
    open ones those past their date on the reference day. With `as_of`, of minutes signed before
    it, and a decision done after its day is still open. One query."""
    day = _reference_day(year, as_of)
    decisions = Decision.objects.filter(
        structure=structure,
        minutes__status=Minutes.Status.SIGNED,
        minutes__date__gte=year.first_day,
        minutes__date__lte=year.last_day,
    )
    done = Q(status=Decision.Status.DONE)
    if as_of is not None:
        decisions = decisions.filter(minutes__signed_at__lt=as_of)
        done &= Q(done_on__lte=day)
    counts = decisions.aggregate(
        taken=Count("pk"),
        done_on_time=Count(
            "pk", filter=done & (Q(due_on__isnull=True) | Q(done_on__lte=F("due_on")))
        ),
        done_late=Count("pk", filter=done & Q(done_on__gt=F("due_on"))),
        open=Count("pk", filter=~done),
        overdue=Count("pk", filter=~done & Q(due_on__lt=day)),
    )
    return counts


# --- The plan ------------------------------------------------------------------------------------


def plan_figures(
    structure: Structure, year: SchoolYear, *, as_of: dt.datetime | None = None
) -> dict[str, Any] | None:
    """The latest approved plan of the year, else its latest version: items planned and done —
    ticked, or held with signed minutes (PlanItem.is_done). Two queries (one without a plan)."""
    plan = (
        structure.plans.filter(school_year=year.start)
        .order_by(
            Case(When(status=Plan.Status.APPROVED, then=Value(0)), default=Value(1)), "-version"
        )
        .first()
    )
    if plan is None:
        return None
    items = list(plan.items.with_held(as_of).order_by("position", "pk"))
    return {
        "id": plan.pk,
        "title": str(plan),
        "status": plan.status,
        "version": plan.version,
        "planned": len(items),
        "done": sum(1 for i in items if i.is_done),
        "items": [
            {
                "position": i.position,
                "title": i.title,
                "form": i.form,
                "month": i.month,
                "date": i.date.isoformat() if i.date else None,
                "responsible": i.responsible,
                "done": i.is_done,
                "done_note": i.done_note,
            }
            for i in items
        ],
    }


# --- Pairs ---------------------------------------------------------------------------------------


def _reference_day(year: SchoolYear, as_of: dt.datetime | None = None) -> dt.date:
    """Dormancy is judged today (or on the day of `as_of`) for the current year and at its last
    day for a past one."""
    return min(_day_of(as_of) or timezone.localdate(), year.last_day)


def pairs_figures(
    pairs: QuerySet[Structure], year: SchoolYear, *, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """Pairs working in the year: contacts in the year (by form, R-TUL-A3-4.1), dormant pairs (no
    contact for their region's limit), pairs flagged for a new mentor, and the response rate of
    the pair questionnaires of the year (mentor and mentee both asked, R-TUL-A3-4.2.1). A fixed
    number of queries for any number of pairs."""
    first, last = year.first_day, _reference_day(year, as_of) if as_of else year.last_day
    reference = _reference_day(year, as_of)
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
    expected, submitted = _questionnaire_answers(found, year, as_of=as_of)
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


def _questionnaire_answers(
    pairs: list[Structure], year: SchoolYear, *, as_of: dt.datetime | None = None
) -> tuple[int, int]:
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
    answers = Response.objects.filter(
        round__in=rounds, pair_id__in=[p.pk for p in pairs], submitted_at__isnull=False
    )
    if as_of is not None:
        answers = answers.filter(submitted_at__lt=as_of)
    submitted = answers.count()
    return sum(v or 0 for v in counts.values()), submitted


# --- The online group ----------------------------------------------------------------------------


def online_figures(
    structure: Structure, year: SchoolYear, *, as_of: dt.datetime | None = None
) -> dict[str, Any]:
    """Visitors, views, actions and feedback of the periods that lie inside the year
    (R-TUL-A1-5.3, R-TUL-A2-3.1.4), ended by the day of `as_of` if given. Two queries."""
    last = min(year.last_day, _day_of(as_of)) if as_of is not None else year.last_day
    inside = structure.group_statistics.filter(
        period_start__gte=year.first_day, period_end__lte=last
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
_DATE_KEYS = {"date", "period_start", "period_end", "last_contact", "closed_on"}


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
    # «Меньше минимума» only once the year cannot make it up, judged on the day the figures were
    # taken (a frozen report: its submission); before that, progress (MeetingProgress).
    computed = data.get("computed_at")
    progress = meeting_progress(
        meetings.get("held", 0),
        meetings.get("required"),
        SchoolYear(data["school_year"]),
        today=timezone.localtime(dt.datetime.fromisoformat(computed)).date()
        if computed
        else timezone.localdate(),
        closed_on=meetings.get("closed_on"),
    )
    meetings["short_of_required"] = progress.short
    meetings["progress"] = progress.text if progress.behind else ""
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
