"""Reads for the methodists' summaries: the figures of every structure of a territory for a school
year, the state of each deadline, and the counts per deadline.

The figures follow the shared definitions of the reports (issue 7 brief; the annual report of one
structure uses the same ones): members by the category of their organisation in the year, held
meetings against the kind's minimum, signed minutes (the latest signed version per event), the
latest approved (else latest) plan, the pair's contacts and questionnaire response rate, the
online group's statistics, and the state of each deadline.

Everything is computed with a FIXED number of grouped queries keyed by structure id and merged in
Python, whatever the number of structures: `collect_rows()` runs twelve queries for a queryset of
structures. A page passes the whole territory; an export passes chunks of ids one after another,
so that only one chunk of rows is ever held in memory (`iter_rows()`).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    FilteredRelation,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Trim, TruncDate
from django.db.models.lookups import Exact, GreaterThanOrEqual, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from communities.models import EventForm, Minutes, Plan, PlanStep
from communities.selectors.events import MeetingProgress, held_events, meeting_progress
from communities.selectors.plans import ITEM_DONE
from mentoring.models import Contact, GroupStatistics, HelpRequest, Response, Round
from mentoring.selectors.pairs import (
    DEFAULT_SETTINGS,
    is_dormant,
    mentoring_settings,
    settings_by_region,
)
from networks.models import (
    PAIR_ROLES,
    Membership,
    Municipality,
    OrganisationStatus,
    Programme,
    Region,
    SchoolStatus,
    Structure,
)
from networks.schoolyear import SchoolYear

from ..counters import FIELDS as FIGURE_FIELDS
from ..models import Deadline, DeadlineRule, Deliverable, Report

# Rows computed at once by an export: big enough for few round trips, small enough that memory
# does not depend on the size of the territory.
CHUNK = 250
_HANDED_PLAN = (Plan.Status.SUBMITTED, Plan.Status.AGREED, Plan.Status.APPROVED)


# --- The state of a deadline ---------------------------------------------------------------------


class State:
    """What became of one deadline. Values are stable (they go into URLs and files)."""

    ACCEPTED = "accepted"
    RETURNED = "returned"
    SUBMITTED = "submitted"
    LATE = "late"
    MISSING = "missing"
    PENDING = "pending"

    ORDER = (SUBMITTED, LATE, ACCEPTED, RETURNED, MISSING, PENDING)
    LABELS = {
        SUBMITTED: _("сдан в срок"),
        LATE: _("сдан с опозданием"),
        ACCEPTED: _("принят"),
        RETURNED: _("возвращён на доработку"),
        MISSING: _("не сдан, срок прошёл"),
        PENDING: _("срок не наступил"),
    }
    # Bootstrap badge colours for the pages; the text says the same, colour is not the only cue.
    BADGES = {
        SUBMITTED: "text-bg-success",
        LATE: "text-bg-warning",
        ACCEPTED: "text-bg-primary",
        RETURNED: "text-bg-info",
        MISSING: "text-bg-danger",
        PENDING: "text-bg-secondary",
    }

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        return [(s, cls.LABELS[s]) for s in cls.ORDER]


def _plan_facts():
    """For a deadline row: the latest version of its structure's plan of that school year, the
    moment that plan was first handed in for approval, and whether the deadline is for a plan —
    what with_state() and deadline_rows() decide a plan deadline's state from."""
    latest_plan = Plan.objects.filter(
        structure=OuterRef("structure"), school_year=OuterRef("school_year")
    ).order_by("-version")
    first_submit = (
        PlanStep.objects.filter(
            plan__structure=OuterRef("structure"),
            plan__school_year=OuterRef("school_year"),
            action=PlanStep.Action.SUBMIT,
        )
        .order_by("at")
        .values("at")[:1]
    )
    return latest_plan, first_submit, Q(rule__deliverable=Deliverable.PLAN)


def with_state(deadlines: QuerySet[Deadline], today: dt.date) -> QuerySet[Deadline]:
    """Annotates each deadline with `state` (see State), `handed_on` (the local date the report
    or plan was handed in, or None) and `decided_on` (when a report was accepted or returned).

    A report deadline is met by its Report (reporting.models); a plan deadline by the plan of
    that school year handed in for approval (as the reminders see it, reporting.reminders), or by
    `delivered_at` when a service marked it. Accepted and returned come from the coordinator's
    decision on the report, or the plan's approval or return. One SQL expression, so pages can
    group by it."""
    latest_plan, first_submit, is_plan = _plan_facts()
    report_handed = Q(
        report__status__in=[
            Report.Status.SUBMITTED,
            Report.Status.ACCEPTED,
            Report.Status.RETURNED,
        ],
        report__submitted_at__isnull=False,
    )
    return (
        deadlines.annotate(
            plan_status=Case(
                When(is_plan, then=Subquery(latest_plan.values("status")[:1])),
                default=Value(None),
                output_field=CharField(),
            ),
        )
        .annotate(
            handed_at=Coalesce(
                Case(
                    When(report_handed, then=F("report__submitted_at")),
                    output_field=DateTimeField(),
                ),
                F("delivered_at"),
                Case(
                    When(
                        plan_status__in=_HANDED_PLAN,
                        then=Coalesce(
                            Subquery(first_submit), Subquery(latest_plan.values("updated_at")[:1])
                        ),
                    ),
                    output_field=DateTimeField(),
                ),
                output_field=DateTimeField(),
            ),
            decided_on=TruncDate("report__decided_at"),
        )
        .annotate(
            handed_on=TruncDate("handed_at"),
        )
        .annotate(
            state=Case(
                When(
                    Q(report__status=Report.Status.ACCEPTED) | Q(plan_status=Plan.Status.APPROVED),
                    then=Value(State.ACCEPTED),
                ),
                When(
                    Q(report__status=Report.Status.RETURNED) | Q(plan_status=Plan.Status.RETURNED),
                    then=Value(State.RETURNED),
                ),
                When(handed_on__gt=F("due_on"), then=Value(State.LATE)),
                # handed_on is not null exactly when one of handed_at's parts is: a handed report
                # (its submitted_at set), delivered_at, or a plan handed in (whose updated_at is
                # never null). Said so, the plan's subqueries of handed_at are not repeated here
                # (issue 19: the home block compiled this expression longer than it ran).
                When(
                    report_handed | Q(delivered_at__isnull=False) | Q(plan_status__in=_HANDED_PLAN),
                    then=Value(State.SUBMITTED),
                ),
                When(due_on__lt=today, then=Value(State.MISSING)),
                default=Value(State.PENDING),
                output_field=CharField(),
            )
        )
    )


# --- The territory of a summary ------------------------------------------------------------------


@dataclass(frozen=True)
class SummaryScope:
    """A school year and a territory: a region, optionally narrowed to a municipality and/or a
    programme, and (for a programme) to what the viewer covers. Built and checked by
    reporting.permissions.summary_scope_for; never from raw request data."""

    year: SchoolYear
    region: Region
    municipality: Municipality | None = None
    programme: Programme | None = None
    # The viewer's own territory where it is narrower than the above (a municipal methodist
    # looking at a regional programme); None: nothing more to narrow.
    coverage: Q | None = None

    def structures(self) -> QuerySet[Structure]:
        """The structures that worked at some point of the school year."""
        queryset = Structure.objects.active_in(self.year).filter(region=self.region)
        if self.municipality is not None:
            queryset = queryset.filter(municipality=self.municipality)
        if self.programme is not None:
            queryset = queryset.filter(programme=self.programme)
        if self.coverage is not None:
            queryset = queryset.filter(self.coverage)
        return queryset

    def deadlines(self) -> QuerySet[Deadline]:
        return Deadline.objects.filter(
            school_year=self.year.start, structure__in=self.structures().values("pk")
        )

    @property
    def territory_label(self) -> str:
        parts = [self.region.name]
        if self.municipality is not None:
            parts.append(self.municipality.name)
        if self.programme is not None:
            parts.append(f"«{self.programme.title}»")
        return ", ".join(parts)

    def params(self) -> dict:
        """What an ExportJob keeps to build the same scope again (access is checked again)."""
        return {
            "year": self.year.start,
            "region": self.region.pk,
            "municipality": self.municipality.pk if self.municipality else None,
            "programme": self.programme.pk if self.programme else None,
        }

    def query(self) -> dict[str, str]:
        """The same as GET parameters, for links."""
        return {k: str(v) for k, v in self.params().items() if v is not None}


# --- One row per structure -----------------------------------------------------------------------


@dataclass(slots=True)
class DeadlineRow:
    rule_id: int
    title: str
    due_on: dt.date
    state: str
    handed_on: dt.date | None
    decided_on: dt.date | None

    @property
    def label(self) -> str:
        return str(State.LABELS[self.state])

    @property
    def badge(self) -> str:
        return State.BADGES[self.state]


@dataclass(slots=True)
class Row:
    """The figures of one structure for the school year."""

    pk: int
    name: str
    kind_code: str
    kind_name: str
    municipality: str
    programme: str
    is_subcommunity: bool
    meetings_required: int | None
    is_pair: bool
    online: bool
    members_shnor: int = 0
    members_sssu: int = 0
    members_leader: int = 0
    members_other: int = 0
    members_total: int = 0
    meetings_held: int = 0
    events_held: int = 0
    events_by_form: dict[str, int] = field(default_factory=dict)
    minutes_signed: int = 0
    questions: int = 0
    recommendations: int = 0
    plan_status: str | None = None
    plan_planned: int = 0
    plan_done: int = 0
    contacts: int = 0
    dormant: bool = False
    needs_rematch: bool = False
    responses_expected: int = 0
    responses_submitted: int = 0
    periods: int = 0
    visitors: int = 0
    views: int = 0
    actions: int = 0
    feedback: int = 0
    deadlines: list[DeadlineRow] = field(default_factory=list)
    # Where the meetings stand on the summary's day (communities.selectors.MeetingProgress):
    # «меньше минимума» only once the year or the structure is over, progress before that.
    meetings_progress: MeetingProgress | None = None

    @property
    def meetings_short(self) -> bool:
        return bool(self.meetings_progress and self.meetings_progress.short)

    @property
    def meetings_behind(self) -> str:
        """«2 из 4, до конца учебного года 9 мес.» while the year can still make it up."""
        progress = self.meetings_progress
        return progress.text if progress and progress.behind else ""

    @property
    def meetings_met(self) -> bool | None:
        if self.meetings_required is None:
            return None
        return self.meetings_held >= self.meetings_required

    @property
    def response_rate(self) -> int | None:
        """Percent of the answers expected from both sides in the year's rounds, as
        mentoring.selectors.questionnaires rounds it."""
        if not self.responses_expected:
            return None
        return round(100 * self.responses_submitted / self.responses_expected)

    @property
    def plan_status_label(self) -> str:
        return str(Plan.Status(self.plan_status).label) if self.plan_status else ""

    def state_counts(self) -> Counter:
        return Counter(d.state for d in self.deadlines)


_STRUCTURE_FIELDS = (
    "pk",
    "name",
    "parent_id",
    "region_id",
    "established_on",
    "term_start",
    "closed_on",
    "kind__code",
    "kind__name",
    "kind__min_meetings_per_year",
    "kind__is_pair",
    "kind__has_online_platform",
    "municipality__name",
    "programme__title",
    "pair_state__needs_rematch",
)
ORDERING = ("municipality__name", "kind__code", "name", "pk")


def _status_in_year(year: SchoolYear, status: str | None = None) -> Exists:
    statuses = OrganisationStatus.objects.filter(
        organisation=OuterRef("user__organisation"), school_year=year.start
    )
    return Exists(statuses.filter(status=status) if status else statuses)


def _members(ids, year: SchoolYear):
    """Members during the year by the category of their organisation in that year: a school both
    ШНОР and ШССУ counts in both; «other» has no status that year; the total counts people."""
    return (
        Membership.objects.during(year)
        .filter(structure__in=ids)
        .values("structure_id")
        .annotate(
            total=Count("user", distinct=True),
            shnor=Count("user", distinct=True, filter=_status_in_year(year, SchoolStatus.SHNOR)),
            sssu=Count("user", distinct=True, filter=_status_in_year(year, SchoolStatus.SSSU)),
            leader=Count("user", distinct=True, filter=_status_in_year(year, SchoolStatus.LEADER)),
            other=Count("user", distinct=True, filter=~_status_in_year(year)),
        )
        .order_by()
    )


def _signed_minutes(ids, year: SchoolYear):
    """The latest signed version of the minutes of each event of the year, with its questions and
    the questions that carry recommendations."""
    newer = Minutes.objects.filter(
        event=OuterRef("event"), status=Minutes.Status.SIGNED, version__gt=OuterRef("version")
    )
    return (
        Minutes.objects.filter(
            status=Minutes.Status.SIGNED,
            event__structure__in=ids,
            event__starts_at__gte=year.moments[0],
            event__starts_at__lt=year.moments[1],
        )
        .exclude(Exists(newer))
        .values("event__structure_id")
        .annotate(
            minutes=Count("pk", distinct=True),
            questions=Count("items"),
            # Blank recommendations («  ») are none, as in reporting.reports.figures.
            recommendations=Count(
                "items", filter=~Q(Exact(Trim("items__recommendations"), Value("")))
            ),
        )
        .order_by()
    )


def _plans(ids, year: SchoolYear):
    """The latest approved plan of the year, else the latest version, with its item counts."""
    of_year = Plan.objects.filter(structure=OuterRef("structure"), school_year=year.start)
    approved = of_year.filter(status=Plan.Status.APPROVED)
    chosen = (
        Q(status=Plan.Status.APPROVED) & ~Exists(approved.filter(version__gt=OuterRef("version")))
    ) | (~Exists(approved) & ~Exists(of_year.filter(version__gt=OuterRef("version"))))
    return (
        Plan.objects.filter(structure__in=ids, school_year=year.start)
        .filter(chosen)
        .values("structure_id", "status")
        # Done: ticked, or its event held with signed minutes (PlanItem.is_done).
        .annotate(
            planned=Count("items", distinct=True),
            done=Count("items", filter=ITEM_DONE, distinct=True),
        )
        .order_by()
    )


def _reference_day(year: SchoolYear, today: dt.date) -> dt.date:
    """Pairs are judged dormant as of today, or as of the year's end for a past year."""
    return min(today, year.last_day)


def _contacts(ids, year: SchoolYear, today: dt.date):
    """Contacts in the year, and the last one up to the reference day (for dormancy)."""
    reference = _reference_day(year, today)
    return (
        Contact.objects.filter(pair__in=ids, date__lte=year.last_day)
        .values("pair_id")
        .annotate(
            in_year=Count("pk", filter=Q(date__gte=year.first_day)),
            last=Max("date", filter=Q(date__lte=reference)),
        )
        .order_by()
    )


def _group_statistics(ids, year: SchoolYear):
    """Periods that lie inside the school year."""
    return (
        GroupStatistics.objects.filter(
            structure__in=ids, period_start__gte=year.first_day, period_end__lte=year.last_day
        )
        .values("structure_id")
        .annotate(
            periods=Count("pk"),
            visitors=Sum("visitors"),
            views=Sum("views"),
            actions=Sum("actions"),
            feedback=Sum("feedback"),
        )
        .order_by()
    )


def _deadlines(ids, year: SchoolYear, today: dt.date):
    return (
        with_state(Deadline.objects.filter(structure__in=ids, school_year=year.start), today)
        .values(
            "structure_id", "rule_id", "rule__title", "due_on", "state", "handed_on", "decided_on"
        )
        .order_by("due_on", "rule__title")
    )


@dataclass(frozen=True)
class _Round:
    pk: int
    region_id: int
    opens_on: dt.date
    closes_on: dt.date


def _rounds(year: SchoolYear) -> list[_Round]:
    return [
        _Round(*values)
        for values in Round.objects.filter(
            school_year=year.start, audience=Round.Audience.PAIRS
        ).values_list("pk", "questionnaire__region_id", "opens_on", "closes_on")
    ]


def _pair_sides(ids):
    """(pair, role, since, until) of every mentor and mentee the pairs have had."""
    return Membership.objects.filter(
        structure__in=ids, structure__kind__is_pair=True, role__in=PAIR_ROLES
    ).values_list("structure_id", "role", "since", "until")


def _responses(ids, year: SchoolYear):
    return (
        Response.objects.filter(
            round__school_year=year.start,
            round__audience=Round.Audience.PAIRS,
            pair__in=ids,
            submitted_at__isnull=False,
        )
        .values("pair_id", "round_id")
        .annotate(n=Count("pk"))
        .order_by()
    )


def _expected_answers(pair: Structure, rounds: list[_Round], sides, year: SchoolYear) -> dict:
    """{round id: sides asked}: as a round's overview counts them (mentoring.selectors.
    questionnaires): rounds of the pair's region while it works, a side asked when its member's
    time in the pair overlaps the round."""
    ends = pair.ends_on
    expected = {}
    for r in rounds:
        if r.region_id != pair.region_id or pair.starts_on > year.last_day:
            continue
        if ends is not None and ends < r.opens_on:
            continue
        roles = {
            role
            for role, since, until in sides
            if since <= r.closes_on and (until is None or until >= r.opens_on)
        }
        if roles:
            expected[r.pk] = len(roles)
    return expected


def _new_row(values: dict) -> Row:
    return Row(
        pk=values["pk"],
        name=values["name"],
        kind_code=values["kind__code"],
        kind_name=values["kind__name"],
        municipality=values["municipality__name"] or "",
        programme=values["programme__title"] or "",
        is_subcommunity=values["parent_id"] is not None,
        meetings_required=values["kind__min_meetings_per_year"],
        is_pair=values["kind__is_pair"],
        online=values["kind__has_online_platform"],
        needs_rematch=bool(values["pair_state__needs_rematch"]),
    )


def collect_rows(
    structures: QuerySet[Structure], year: SchoolYear, *, today: dt.date | None = None
) -> list[Row]:
    """The rows of the given structures (in ORDERING), in twelve queries whatever their number."""
    today = today or timezone.localdate()
    ids = structures.values("pk")
    found = list(structures.order_by(*ORDERING).values(*_STRUCTURE_FIELDS))
    rows = {values["pk"]: _new_row(values) for values in found}

    for m in _members(ids, year):
        row = rows[m["structure_id"]]
        row.members_total, row.members_shnor, row.members_sssu = m["total"], m["shnor"], m["sssu"]
        row.members_leader, row.members_other = m["leader"], m["other"]
    for structure_id, held in held_events(ids, year).items():
        row = rows[structure_id]
        row.events_by_form.update(held)
        row.events_held, row.meetings_held = held.total, held.meetings
    closed = {values["pk"]: values["closed_on"] for values in found}
    for row in rows.values():
        row.meetings_progress = meeting_progress(
            row.meetings_held, row.meetings_required, year, today=today, closed_on=closed[row.pk]
        )
    for m in _signed_minutes(ids, year):
        row = rows[m["event__structure_id"]]
        row.minutes_signed, row.questions = m["minutes"], m["questions"]
        row.recommendations = m["recommendations"]
    for p in _plans(ids, year):
        row = rows[p["structure_id"]]
        row.plan_status, row.plan_planned, row.plan_done = p["status"], p["planned"], p["done"]
    for g in _group_statistics(ids, year):
        row = rows[g["structure_id"]]
        row.periods, row.visitors, row.views = g["periods"], g["visitors"], g["views"]
        row.actions, row.feedback = g["actions"], g["feedback"]
    for d in _deadlines(ids, year, today):
        rows[d.pop("structure_id")].deadlines.append(
            DeadlineRow(
                rule_id=d["rule_id"],
                title=d["rule__title"],
                due_on=d["due_on"],
                state=d["state"],
                handed_on=d["handed_on"],
                decided_on=d["decided_on"],
            )
        )
    _add_pairs(rows, found, ids, year, today)
    return list(rows.values())


def _add_pairs(rows: dict[int, Row], found: list[dict], ids, year: SchoolYear, today) -> None:
    """Contacts, dormancy and the response rate of the pairs among the rows (five queries)."""
    limits = settings_by_region()
    rounds = _rounds(year)
    sides: dict[int, list] = defaultdict(list)
    for pair_id, role, since, until in _pair_sides(ids):
        sides[pair_id].append((role, since, until))
    answered = {(r["pair_id"], r["round_id"]): r["n"] for r in _responses(ids, year)}
    contacts = {c["pair_id"]: c for c in _contacts(ids, year, today)}
    reference = _reference_day(year, today)
    for values in found:
        row = rows[values["pk"]]
        if not row.is_pair:
            continue
        pair = Structure(
            pk=values["pk"],
            region_id=values["region_id"],
            established_on=values["established_on"],
            term_start=values["term_start"],
            closed_on=values["closed_on"],
        )
        contact = contacts.get(row.pk)
        row.contacts = contact["in_year"] if contact else 0
        days = limits.get(pair.region_id, DEFAULT_SETTINGS).dormant_after_days
        row.dormant = is_dormant(pair, contact["last"] if contact else None, days, reference)
        expected = _expected_answers(pair, rounds, sides[row.pk], year)
        row.responses_expected = sum(expected.values())
        row.responses_submitted = sum(
            min(answered.get((row.pk, round_id), 0), n) for round_id, n in expected.items()
        )


def ordered_ids(scope: SummaryScope) -> list[int]:
    return list(scope.structures().order_by(*ORDERING).values_list("pk", flat=True))


def iter_rows(scope: SummaryScope, *, today: dt.date | None = None, chunk: int | None = None):
    """Yields (rows of one chunk, structures done, structures in all): an export writes each chunk
    and lets it go, so memory does not grow with the territory."""
    chunk = chunk or CHUNK
    ids = ordered_ids(scope)
    for start in range(0, len(ids), chunk):
        part = ids[start : start + chunk]
        rows = collect_rows(Structure.objects.filter(pk__in=part), scope.year, today=today)
        yield rows, start + len(part), len(ids)


# --- Totals ------------------------------------------------------------------------------------


@dataclass
class Totals:
    """Sums of the rows; fed row by row, so an export keeps no table in memory."""

    structures: int = 0
    members_shnor: int = 0
    members_sssu: int = 0
    members_leader: int = 0
    members_other: int = 0
    members_total: int = 0
    meetings_held: int = 0
    meetings_required: int = 0
    with_requirement: int = 0
    requirement_met: int = 0
    events_held: int = 0
    events_by_form: Counter = field(default_factory=Counter)
    minutes_signed: int = 0
    questions: int = 0
    recommendations: int = 0
    with_plan: int = 0
    plan_planned: int = 0
    plan_done: int = 0
    pairs: int = 0
    contacts: int = 0
    dormant: int = 0
    needs_rematch: int = 0
    responses_expected: int = 0
    responses_submitted: int = 0
    groups: int = 0
    periods: int = 0
    visitors: int = 0
    views: int = 0
    actions: int = 0
    feedback: int = 0
    states: Counter = field(default_factory=Counter)

    _SUMMED = (
        "members_shnor",
        "members_sssu",
        "members_leader",
        "members_other",
        "members_total",
        "meetings_held",
        "events_held",
        "minutes_signed",
        "questions",
        "recommendations",
        "plan_planned",
        "plan_done",
        "contacts",
        "responses_expected",
        "responses_submitted",
        "periods",
        "visitors",
        "views",
        "actions",
        "feedback",
    )

    def add(self, row: Row) -> None:
        self.structures += 1
        for name in self._SUMMED:
            setattr(self, name, getattr(self, name) + getattr(row, name))
        self.events_by_form.update(row.events_by_form)
        if row.meetings_required is not None:
            self.with_requirement += 1
            self.meetings_required += row.meetings_required
            self.requirement_met += bool(row.meetings_met)
        self.with_plan += row.plan_status is not None
        if row.is_pair:
            self.pairs += 1
            self.dormant += row.dormant
            self.needs_rematch += row.needs_rematch
        self.groups += row.online
        self.states.update(d.state for d in row.deadlines)

    @property
    def response_rate(self) -> int | None:
        if not self.responses_expected:
            return None
        return round(100 * self.responses_submitted / self.responses_expected)

    @property
    def deadlines(self) -> int:
        return sum(self.states.values())

    def state_rows(self) -> list[tuple[str, str, int]]:
        return [(s, str(State.LABELS[s]), self.states.get(s, 0)) for s in State.ORDER]

    def form_rows(self) -> list[tuple[str, int]]:
        return [
            (str(label), self.events_by_form[v])
            for v, label in EventForm.choices
            if self.events_by_form.get(v)
        ]


@dataclass(frozen=True)
class Territory:
    """Figures of the territory as a whole, beyond the sums of the rows."""

    people: int  # distinct people in the structures during the year
    requests: list[tuple[str, int]]  # help requests of the territory in the year, by status
    requests_total: int


def territory_figures(scope: SummaryScope) -> Territory:
    """Two queries: distinct people, and the help requests of the territory's schools filed in the
    year by status (mentoring.models.HelpRequest; for the territory summary only)."""
    year = scope.year
    people = (
        Membership.objects.during(year)
        .filter(structure__in=scope.structures().values("pk"))
        .aggregate(n=Count("user", distinct=True))["n"]
    )
    requests = HelpRequest.objects.filter(
        region=scope.region,
        created_at__gte=year.moments[0],
        created_at__lt=year.moments[1],
    )
    if scope.municipality is not None:
        requests = requests.filter(organisation__municipality=scope.municipality)
    counts = dict(
        requests.values("status").annotate(n=Count("pk")).order_by().values_list("status", "n")
    )
    rows = [(str(label), counts.get(value, 0)) for value, label in HelpRequest.Status.choices]
    return Territory(people=people, requests=rows, requests_total=sum(counts.values()))


def summary(scope: SummaryScope, *, today: dt.date | None = None) -> tuple[list[Row], Totals]:
    """The whole territory for a page: every row and the totals, in twelve queries."""
    rows = collect_rows(scope.structures(), scope.year, today=today)
    totals = Totals()
    for row in rows:
        totals.add(row)
    return rows, totals


# --- The summary page: kept figures, the shown rows only ----------------------------------------


def _with_figures(structures: QuerySet[Structure], year: SchoolYear) -> QuerySet[Structure]:
    """The structures with their kept figures of the year (reporting.counters) as `f` (a LEFT
    JOIN: a structure without a row has nothing counted yet)."""
    return structures.annotate(
        f=FilteredRelation("summary_figures", condition=Q(summary_figures__school_year=year.start))
    )


_FIGURES = {f"fig_{name}": F(f"f__{name}") for name in FIGURE_FIELDS}
_ROW_FIGURES = tuple(name for name in FIGURE_FIELDS if name not in ("last_contact", "plan_status"))


def _dormant_days(region_id: int) -> int:
    return mentoring_settings(region_id).dormant_after_days


def page_rows(
    scope: SummaryScope,
    start: int,
    stop: int,
    *,
    today: dt.date,
    days: int,
    deadlines: dict[int, list[DeadlineRow]] | None = None,
) -> list[Row]:
    """The rows start:stop of the territory in ORDERING, from the kept figures: the structures
    and their figures in one query, their deadlines (which depend on the day) given or in
    another. The same figures as collect_rows(), without counting the base tables."""
    year = scope.year
    found = list(
        _with_figures(scope.structures(), year)
        .order_by(*ORDERING)
        .values(*_STRUCTURE_FIELDS, "term_end", **_FIGURES)[start:stop]
    )
    rows: dict[int, Row] = {}
    reference = _reference_day(year, today)
    for values in found:
        row = _new_row(values)
        rows[row.pk] = row
        for name in _ROW_FIGURES:
            setattr(row, name, values[f"fig_{name}"] or 0)
        row.plan_status = values["fig_plan_status"] or None
        row.meetings_progress = meeting_progress(
            row.meetings_held,
            row.meetings_required,
            year,
            today=today,
            closed_on=values["closed_on"],
        )
        if row.is_pair:
            pair = Structure(
                pk=row.pk,
                established_on=values["established_on"],
                term_start=values["term_start"],
                closed_on=values["closed_on"],
            )
            row.dormant = is_dormant(pair, values["fig_last_contact"], days, reference)
        else:
            row.contacts = row.responses_expected = row.responses_submitted = 0
    if rows:
        if deadlines is None:
            deadlines = deadline_rows(
                Deadline.objects.filter(structure__in=list(rows), school_year=year.start), today
            )
        for pk, row in rows.items():
            row.deadlines = deadlines.get(pk, [])
    return list(rows.values())


def _sum(name: str, condition: Q | None = None):
    return Coalesce(Sum(f"f__{name}", filter=condition), Value(0))


def page_totals(
    scope: SummaryScope,
    *,
    today: dt.date,
    days: int,
    deadlines: dict[int, list[DeadlineRow]] | None = None,
) -> Totals:
    """The totals of the whole territory from the kept figures in one aggregate query, and the
    deadlines' states (which depend on the day) in one grouped query: what Totals would add up
    from every row of collect_rows(), without building them. `events_by_form` is left empty
    (the page does not show it)."""
    year = scope.year
    required = F("kind__min_meetings_per_year")
    pair = Q(kind__is_pair=True)
    cutoff = _reference_day(year, today) - dt.timedelta(days=days)
    last_activity = Coalesce("f__last_contact", "term_start", "established_on")
    found = _with_figures(scope.structures(), year).aggregate(
        structures=Count("pk"),
        **{name: _sum(name) for name in Totals._SUMMED if name not in _PAIR_SUMS},
        **{name: _sum(name, pair) for name in _PAIR_SUMS},
        meetings_required=Coalesce(Sum(required), Value(0)),
        with_requirement=Count("pk", filter=Q(kind__min_meetings_per_year__isnull=False)),
        requirement_met=Count(
            "pk",
            filter=Q(kind__min_meetings_per_year__isnull=False)
            & Q(GreaterThanOrEqual(Coalesce("f__meetings_held", Value(0)), required)),
        ),
        with_plan=Count("pk", filter=Q(f__plan_status__gt="")),
        pairs=Count("pk", filter=pair),
        needs_rematch=Count("pk", filter=pair & Q(pair_state__needs_rematch=True)),
        dormant=Count(
            "pk",
            filter=pair
            & Q(closed_on__isnull=True)
            & Q(LessThanOrEqual(last_activity, Value(cutoff, output_field=DateField()))),
        ),
        groups=Count("pk", filter=Q(kind__has_online_platform=True)),
    )
    totals = Totals(**found)
    if deadlines is None:
        deadlines = deadline_rows(scope.deadlines(), today)
    for rows in deadlines.values():
        totals.states.update(d.state for d in rows)
    return totals


@dataclass(frozen=True)
class KindMeetings:
    """Meetings held and required over the structures of one kind with a yearly minimum
    (StructureKind.min_meetings_per_year, R-TUL-A4-4.3: 4 for S5), as page_totals counts them."""

    code: str
    name: str
    name_plural: str
    structures: int
    held: int
    required: int
    met: int  # structures that held their minimum


def meetings_by_kind(scope: SummaryScope) -> list[KindMeetings]:
    """Per kind with a yearly minimum, from the kept figures (reporting.counters): one grouped
    query whatever the size of the territory; kinds without structures in it are left out."""
    required = F("kind__min_meetings_per_year")
    found = (
        _with_figures(scope.structures(), scope.year)
        .filter(kind__min_meetings_per_year__isnull=False)
        .values("kind__code", "kind__name", "kind__name_plural")
        .annotate(
            structures=Count("pk"),
            held=_sum("meetings_held"),
            required=Coalesce(Sum(required), Value(0)),
            met=Count(
                "pk", filter=Q(GreaterThanOrEqual(Coalesce("f__meetings_held", Value(0)), required))
            ),
        )
        .order_by("kind__code")
    )
    return [
        KindMeetings(
            code=v["kind__code"],
            name=v["kind__name"],
            name_plural=v["kind__name_plural"],
            structures=v["structures"],
            held=v["held"],
            required=v["required"],
            met=v["met"],
        )
        for v in found
    ]


# Figures collect_rows() gives pairs only (others keep 0).
_PAIR_SUMS = ("contacts", "responses_expected", "responses_submitted")


class _Rows:
    """The territory's rows for a Paginator: the count from the totals, a slice from page_rows()
    (one page of rows is built, not the territory)."""

    def __init__(self, scope: SummaryScope, count: int, *, today: dt.date, days: int, deadlines):
        self.scope, self._count, self.today, self.days = scope, count, today, days
        self.deadlines = deadlines

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index: slice) -> list[Row]:
        return page_rows(
            self.scope,
            index.start,
            index.stop,
            today=self.today,
            days=self.days,
            deadlines=self.deadlines,
        )


def summary_page(scope: SummaryScope, *, today: dt.date | None = None) -> tuple[_Rows, Totals]:
    """What the summary page shows: its rows, sliced by a Paginator (one page built), and the
    totals of the territory, from the figures the services keep (reporting.counters), with the
    territory's deadlines read once for both (their states depend on the day): four queries
    whatever the size of the territory."""
    today = today or timezone.localdate()
    days = _dormant_days(scope.region.pk)
    deadlines = deadline_rows(scope.deadlines(), today)
    totals = page_totals(scope, today=today, days=days, deadlines=deadlines)
    rows = _Rows(scope, totals.structures, today=today, days=days, deadlines=deadlines)
    return rows, totals


def _local_date(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _state_of(d: dict, today: dt.date) -> tuple[str, dt.date | None]:
    """with_state() in Python, for one row of deadline_rows()' query: (state, handed_on)."""
    report, plan = d["report__status"], d["p_status"]
    handed_at = None
    if report in _HANDED_REPORT and d["report__submitted_at"] is not None:
        handed_at = d["report__submitted_at"]
    elif d["delivered_at"] is not None:
        handed_at = d["delivered_at"]
    elif plan in _HANDED_PLAN:
        handed_at = d["p_first_submit"] or d["p_updated_at"]
    handed_on = _local_date(handed_at)
    if report == Report.Status.ACCEPTED or plan == Plan.Status.APPROVED:
        state = State.ACCEPTED
    elif report == Report.Status.RETURNED or plan == Plan.Status.RETURNED:
        state = State.RETURNED
    elif handed_on is not None and handed_on > d["due_on"]:
        state = State.LATE
    elif handed_on is not None:
        state = State.SUBMITTED
    elif d["due_on"] < today:
        state = State.MISSING
    else:
        state = State.PENDING
    return state, handed_on


_HANDED_REPORT = (Report.Status.SUBMITTED, Report.Status.ACCEPTED, Report.Status.RETURNED)


def deadline_rows(deadlines: QuerySet[Deadline], today: dt.date) -> dict[int, list[DeadlineRow]]:
    """{structure id: its DeadlineRows in date order} in one query: the facts with_state() decides
    on, each plan subquery once (with_state()'s nested expressions take longer to compile than a
    region's 1,500 deadlines take to read), and the state decided here the same way."""
    latest_plan, first_submit, is_plan = _plan_facts()
    found = (
        deadlines.annotate(
            p_status=Case(
                When(is_plan, then=Subquery(latest_plan.values("status")[:1])),
                output_field=CharField(),
            ),
            p_first_submit=Case(
                When(is_plan, then=Subquery(first_submit)), output_field=DateTimeField()
            ),
            p_updated_at=Case(
                When(is_plan, then=Subquery(latest_plan.values("updated_at")[:1])),
                output_field=DateTimeField(),
            ),
        )
        .values(
            "structure_id",
            "rule_id",
            "rule__title",
            "due_on",
            "delivered_at",
            "report__status",
            "report__submitted_at",
            "report__decided_at",
            "p_status",
            "p_first_submit",
            "p_updated_at",
        )
        .order_by("due_on", "rule__title")
    )
    rows: dict[int, list[DeadlineRow]] = defaultdict(list)
    for d in found:
        state, handed_on = _state_of(d, today)
        rows[d["structure_id"]].append(
            DeadlineRow(
                rule_id=d["rule_id"],
                title=d["rule__title"],
                due_on=d["due_on"],
                state=state,
                handed_on=handed_on,
                decided_on=_local_date(d["report__decided_at"]),
            )
        )
    return rows


# --- One deadline across the territory ----------------------------------------------------------


def deadline_rules(region=None) -> list[DeadlineRule]:
    """The active rules: the national ones and, with a region, that region's own (issue 16)."""
    rules = DeadlineRule.objects.filter(is_active=True)
    if region is not None:
        rules = rules.filter(Q(region__isnull=True) | Q(region=region))
    return list(rules.select_related("kind", "programme"))


def nearest_rule(
    rules: list[DeadlineRule], year: SchoolYear, today: dt.date
) -> DeadlineRule | None:
    """The rule whose date in the year is nearest to today: what a methodist most likely wants."""
    if not rules:
        return None
    return min(rules, key=lambda r: (abs((r.due_date(year) - today).days), r.pk))


def deadline_states(
    scope: SummaryScope, rule: DeadlineRule, *, today: dt.date
) -> QuerySet[Deadline]:
    """The rule's deadlines of the territory and year, each with its state, structure first."""
    return (
        with_state(scope.deadlines().filter(rule=rule), today)
        .select_related("structure", "structure__municipality", "structure__kind")
        .order_by("structure__municipality__name", "structure__name", "pk")
    )


def state_counts(deadlines: QuerySet[Deadline]) -> list[tuple[str, str, int]]:
    """(state, label, count) for every state, zeros included: one grouped query."""
    found = dict(
        deadlines.order_by().values("state").annotate(n=Count("pk")).values_list("state", "n")
    )
    return [(s, str(State.LABELS[s]), found.get(s, 0)) for s in State.ORDER]


@dataclass
class DeadlineGroup:
    rule_id: int
    title: str
    due_on: dt.date
    counts: Counter

    @property
    def submitted(self) -> int:
        return (
            self.counts[State.SUBMITTED] + self.counts[State.ACCEPTED] + self.counts[State.RETURNED]
        )

    @property
    def late(self) -> int:
        return self.counts[State.LATE]

    @property
    def missing(self) -> int:
        return self.counts[State.MISSING]

    @property
    def pending(self) -> int:
        return self.counts[State.PENDING]


def nearest_deadlines(
    condition: Q | None, year: SchoolYear, *, today: dt.date, limit: int = 3
) -> list[DeadlineGroup]:
    """The territory's deadlines of the year grouped by rule and date, the `limit` nearest to today
    (in date order), with the count of each state. One query; `condition` narrows structures
    (None: all of them, for a superuser)."""
    deadlines = Deadline.objects.filter(school_year=year.start)
    if condition is not None:
        deadlines = deadlines.filter(structure__in=Structure.objects.filter(condition).values("pk"))
    groups: dict[tuple[int, dt.date], DeadlineGroup] = {}
    found = (
        with_state(deadlines, today)
        .order_by()
        .values("rule_id", "rule__title", "due_on", "state")
        .annotate(n=Count("pk"))
    )
    for g in found:
        key = (g["rule_id"], g["due_on"])
        if key not in groups:
            groups[key] = DeadlineGroup(g["rule_id"], g["rule__title"], g["due_on"], Counter())
        groups[key].counts[g["state"]] += g["n"]
    nearest = sorted(
        groups.values(), key=lambda g: (abs((g.due_on - today).days), g.due_on, g.title)
    )
    return sorted(nearest[:limit], key=lambda g: (g.due_on, g.title))
