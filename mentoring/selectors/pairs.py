"""Network pairs (S4), matching, contacts and tutoring: the reads that pages, panels and the
reminders share. Each does its own joins so that the number of queries does not grow with the data.

A pair is a networks.Structure whose kind `is_pair` (S4); its mentor, mentee and curators are its
current memberships. The load of a mentor is the number of open pairs they currently mentor.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import LessThanOrEqual

from networks import hooks
from networks.coverage import covered_by
from networks.models import (
    LEADING_POSTS,
    Membership,
    Order,
    OrganisationKind,
    OrganisationStatus,
    Role,
    SchoolStatus,
    Structure,
    TerritoryRole,
    User,
)
from networks.permissions import territory_roles

from .. import limits as limits_cache
from ..models import Competence, Contact, MentoringSettings, Topic, TutorAssignment
from ..permissions import MatchingScope

__all__ = [
    "DEFAULT_SETTINGS",
    "MATCHING_LIMIT",
    "PAIR_ORDER",
    "PARTNER_KINDS",
    "Candidate",
    "PairRow",
    "catalogue_topics",
    "competence_topic_ids",
    "curated_pairs",
    "dormant_condition",
    "dormant_pairs",
    "is_dormant",
    "last_activity",
    "matching_curators",
    "matching_mentees",
    "matching_orders",
    "mentor_load",
    "mentoring_settings",
    "my_pair_memberships",
    "pair_contacts",
    "pair_members",
    "pair_rows",
    "pair_structures",
    "pairs_summary",
    "rank_mentors",
    "settings_by_region",
    "topics_by_area",
    "tutoring_assignments",
    "tutoring_count",
    "tutoring_sessions",
    "with_last_contact",
]

# Open pairs first (NULLs sort first on SQLite and last on PostgreSQL unless told), then by name.
PAIR_ORDER = (F("closed_on").asc(nulls_first=True), "name", "pk")
# The 20 best candidates are enough to choose from; the rest are not worth a curator's time.
MATCHING_LIMIT = 20
# R-TUL-A3-1.1: the mentor leads a school with stably high results, an additional-education
# organisation or another organisation whose management experience applies.
PARTNER_KINDS = (OrganisationKind.SCHOOL, OrganisationKind.ADDITIONAL, OrganisationKind.OTHER)
# What holds in a region whose coordinator has not set the limits (the model's defaults).
DEFAULT_SETTINGS = MentoringSettings()


# --- Settings -------------------------------------------------------------------------------


def mentoring_settings(region_id: int | None, *, stored: bool = False) -> MentoringSettings:
    """The region's limits, or the defaults (3 pairs per mentor, dormant after 30 days): from
    the shared cache for a page; `stored=True` reads the row itself, for a service that refuses a
    write by them (a write that bypassed the model may be missing from the cache for a while)."""
    if not region_id:
        return DEFAULT_SETTINGS
    if stored:
        found = MentoringSettings.objects.filter(region_id=region_id).first()
    else:
        found = settings_by_region().get(region_id)
    return found or DEFAULT_SETTINGS


def settings_by_region() -> dict[int, MentoringSettings]:
    """Every region's limits (one row per region at most: a small table), from the shared cache
    or in one query (mentoring.limits)."""
    return limits_cache.by_region(lambda: {s.region_id: s for s in MentoringSettings.objects.all()})


# --- The catalogue and the statements ---------------------------------------------------------


def topics_by_area(topics) -> list[tuple[str, list[Topic]]]:
    """Topics grouped by area, in the order of the areas' choices."""
    grouped: dict[str, list[Topic]] = defaultdict(list)
    for topic in topics:
        grouped[topic.area].append(topic)
    return [(label, grouped[value]) for value, label in Topic.Area.choices if grouped[value]]


def catalogue_topics() -> QuerySet[Topic]:
    """The whole catalogue with how often each topic is stated, for the coordinators' page."""
    return Topic.objects.annotate(
        deficits=Count("competences", filter=Q(competences__side=Competence.Side.DEFICIT)),
        strengths=Count("competences", filter=Q(competences__side=Competence.Side.STRENGTH)),
    ).order_by("area", "position", "name")


def competence_topic_ids(user: User) -> dict[str, set[int]]:
    """{"deficit": {topic ids}, "strength": {...}}: what the person has stated."""
    stated: dict[str, set[int]] = {side: set() for side in Competence.Side.values}
    for side, topic_id in Competence.objects.filter(user=user).values_list("side", "topic_id"):
        stated[side].add(topic_id)
    return stated


# --- Pairs ----------------------------------------------------------------------------------


def pair_structures() -> QuerySet[Structure]:
    return Structure.objects.filter(kind__is_pair=True)


def _current_mentoring(user_ref, role: str) -> QuerySet[Membership]:
    """Current memberships with the role in open pairs; of one person unless `user_ref` is None."""
    queryset = (
        Membership.objects.all() if user_ref is None else Membership.objects.filter(user=user_ref)
    )
    return queryset.filter(
        role=role,
        until__isnull=True,
        structure__kind__is_pair=True,
        structure__closed_on__isnull=True,
    )


def _count(queryset: QuerySet, by: str) -> Coalesce:
    """A correlated COUNT(*) of `queryset` (filtered on OuterRef), 0 when there is nothing."""
    counted = queryset.order_by().values(by).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def mentor_load(user: User) -> int:
    """Open pairs in which the person is the current mentor."""
    return _current_mentoring(user, Role.MENTOR).count()


def with_last_contact(queryset: QuerySet[Structure]) -> QuerySet[Structure]:
    """Adds `last_contact` (the date of the newest contact, or None) and `needs_rematch`."""
    newest = Contact.objects.filter(pair=OuterRef("pk")).order_by("-date").values("date")[:1]
    return queryset.annotate(
        last_contact=Subquery(newest),
        needs_rematch=Coalesce(F("pair_state__needs_rematch"), Value(False)),
    )


def last_activity(pair: Structure, last_contact: dt.date | None) -> dt.date:
    """Dormancy counts from the last contact or, without any, from the pair's start."""
    return last_contact or pair.starts_on


def is_dormant(pair: Structure, last_contact: dt.date | None, days: int, today: dt.date) -> bool:
    """No contact for `days` days or more (an open pair only)."""
    if pair.is_closed:
        return False
    return last_activity(pair, last_contact) <= today - dt.timedelta(days=days)


def dormant_condition(today: dt.date, limits: dict[int, MentoringSettings]) -> Q:
    """The SQL twin of is_dormant() for querysets annotated by with_last_contact(): each region
    with its own MentoringSettings.dormant_after_days, the default elsewhere.

    One comparison per pair, last activity (the last contact, else the start) against its
    region's cutoff date: a CASE over the few distinct limits, not three conditions with the
    last-contact subquery for each of the 85 regions, which took longer to compile than to run."""
    regions_by_days: dict[int, list[int]] = defaultdict(list)
    for region_id, limit in sorted(limits.items()):
        if limit.dormant_after_days != DEFAULT_SETTINGS.dormant_after_days:
            regions_by_days[limit.dormant_after_days].append(region_id)

    def cutoff(days: int) -> Value:
        return Value(today - dt.timedelta(days=days), output_field=DateField())

    region_cutoff = Case(
        *[
            When(region_id__in=ids, then=cutoff(days))
            for days, ids in sorted(regions_by_days.items())
        ],
        default=cutoff(DEFAULT_SETTINGS.dormant_after_days),
        output_field=DateField(),
    )
    last_activity = Coalesce("last_contact", "term_start", "established_on")
    return Q(closed_on__isnull=True) & Q(LessThanOrEqual(last_activity, region_cutoff))


def dormant_pairs(*, today: dt.date, region=None) -> QuerySet[Structure]:
    """Open pairs with no contact for their region's dormant_after_days (default 30), counting
    from the last contact or, without any, from the pair's start. For the reminders."""
    queryset = with_last_contact(pair_structures().open())
    if region is not None:
        queryset = queryset.filter(region=region)
    return (
        queryset.filter(dormant_condition(today, settings_by_region()))
        .select_related("region", "municipality")
        .order_by("region_id", "last_contact", "name")
    )


def curated_pairs(user: User, *, curated: list[int] | None = None) -> QuerySet[Structure]:
    """Pairs the person curates now, and all pairs of their territory as its coordinator.
    `curated`: the structures of the person's current curator memberships when the caller has
    read them (the home page): ids rather than a subquery OR-ed with the region."""
    if not user.is_authenticated:
        return Structure.objects.none()
    if user.is_superuser:
        return pair_structures()
    if curated is None:
        curated = Membership.objects.filter(
            user=user, role=Role.CURATOR, until__isnull=True
        ).values("structure_id")
    condition = Q(pk__in=curated)
    coordinated = covered_by(
        [r for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR]
    )
    if coordinated is not None:
        condition |= coordinated
    return pair_structures().filter(condition)


def _sides_queryset() -> QuerySet[Membership]:
    return (
        Membership.objects.current()
        .filter(role__in=[Role.MENTOR, Role.MENTEE])
        .select_related("user", "user__organisation")
    )


def _current_sides() -> Prefetch:
    return Prefetch("memberships", queryset=_sides_queryset(), to_attr="sides")


@dataclass
class PairRow:
    pair: Structure
    mentee: User | None
    mentor: User | None
    last_contact: dt.date | None
    dormant: bool
    needs_rematch: bool


def pair_rows(queryset: QuerySet[Structure], *, today: dt.date) -> list[PairRow]:
    """Pairs with both sides, the last contact and the flags: three queries, whatever the size."""
    limits = settings_by_region()
    found = (
        with_last_contact(queryset)
        .select_related("municipality")
        .prefetch_related(_current_sides())
        .order_by(*PAIR_ORDER)
    )
    rows = []
    for pair in found:
        sides = {m.role: m.user for m in pair.sides}
        days = limits.get(pair.region_id, DEFAULT_SETTINGS).dormant_after_days
        rows.append(
            PairRow(
                pair=pair,
                mentee=sides.get(Role.MENTEE),
                mentor=sides.get(Role.MENTOR),
                last_contact=pair.last_contact,
                dormant=is_dormant(pair, pair.last_contact, days, today),
                needs_rematch=pair.needs_rematch,
            )
        )
    return rows


def pairs_summary(
    queryset: QuerySet[Structure], *, today: dt.date, limits: dict | None = None
) -> dict[str, int]:
    """Open pairs, of them dormant, of them needing a new mentor: one query when there are no
    pairs, three otherwise; one in all when the caller passes settings_by_region() read
    already (the home page: the three counts in one aggregate)."""
    open_pairs = with_last_contact(queryset.open())
    if limits is not None:
        return open_pairs.aggregate(
            total=Count("pk", distinct=True),
            rematch=Count("pk", filter=Q(pair_state__needs_rematch=True), distinct=True),
            dormant=Count("pk", filter=dormant_condition(today, limits), distinct=True),
        )
    counts = open_pairs.aggregate(
        total=Count("pk", distinct=True),
        rematch=Count("pk", filter=Q(pair_state__needs_rematch=True), distinct=True),
    )
    counts["dormant"] = 0
    if counts["total"]:
        if limits is None:
            limits = settings_by_region()
        counts["dormant"] = open_pairs.filter(dormant_condition(today, limits)).count()
    return counts


def pair_members(pair: Structure) -> QuerySet[Membership]:
    """Everyone who has been in the pair: the current members first (mentee, mentor, curators),
    then those who left it (a mentor replaced after re-matching)."""
    return pair.memberships.select_related("user", "user__organisation").order_by(
        F("until").desc(nulls_first=True),
        Case(
            When(role=Role.MENTEE, then=0),
            When(role=Role.MENTOR, then=1),
            default=2,
            output_field=IntegerField(),
        ),
        "user__last_name",
    )


def pair_contacts(pair: Structure) -> QuerySet[Contact]:
    return pair.pair_contacts.select_related("logged_by").order_by("-date", "-pk")


def my_pair_memberships(user: User) -> QuerySet[Membership]:
    """The person's current places in open pairs as mentor or mentee, with the pair's last
    contact and the other side."""
    newest = (
        Contact.objects.filter(pair=OuterRef("structure_id")).order_by("-date").values("date")[:1]
    )
    return (
        Membership.objects.current()
        .filter(
            user=user,
            role__in=[Role.MENTOR, Role.MENTEE],
            structure__kind__is_pair=True,
            structure__closed_on__isnull=True,
        )
        .select_related("structure")
        .prefetch_related(
            Prefetch("structure__memberships", queryset=_sides_queryset(), to_attr="sides")
        )
        .annotate(last_contact=Subquery(newest))
        .order_by("structure__name")
    )


def my_former_pairs(user: User) -> QuerySet[Structure]:
    """Closed pairs the person was a side of when they closed, newest first: their log stays
    readable (mentoring.permissions.pair_for)."""
    was_side = Membership.objects.filter(
        structure=OuterRef("pk"),
        user=user,
        role__in=[Role.MENTOR, Role.MENTEE],
        until=OuterRef("closed_on"),
    )
    return (
        Structure.objects.filter(kind__is_pair=True, closed_on__isnull=False)
        .filter(Exists(was_side))
        .order_by("-closed_on", "name")
    )


# --- Matching -------------------------------------------------------------------------------


def _shnor_in(year: int):
    return OrganisationStatus.objects.filter(
        organisation=OuterRef("organisation_id"), school_year=year, status=SchoolStatus.SHNOR
    )


def matching_mentees(scope: MatchingScope, year: int) -> QuerySet[User]:
    """Heads and deputy heads of the schools that are ШНОР in the school year (R-TUL-A3-1.1), in
    the matcher's territory: those without a pair first, then by how many deficits they stated."""
    deficits = Competence.objects.filter(user=OuterRef("pk"), side=Competence.Side.DEFICIT)
    return (
        User.objects.filter(is_active=True, anonymised_at__isnull=True, post__in=LEADING_POSTS)
        .filter(scope.organisations("organisation__"))
        .filter(Exists(_shnor_in(year)))
        .select_related("organisation", "organisation__municipality")
        .annotate(
            deficit_count=_count(deficits, "user"),
            has_pair=Exists(_current_mentoring(OuterRef("pk"), Role.MENTEE)),
        )
        .order_by("has_pair", "-deficit_count", "organisation__short_name", "last_name", "pk")
    )


def _at_limit(region_id: int, max_pairs: int) -> QuerySet:
    """Ids of the people who currently mentor `max_pairs` open pairs or more of the region.

    Counted over the region's pairs (Structure.region, indexed), not over every open pair of the
    country joined to its mentor's organisation: at national scale that join cost a third of the
    ranking. A mentor works in the mentee's region (pair_create refuses others), so these are
    their pairs; pair_create counts all of them again before it confirms (mentor_load)."""
    return (
        _current_mentoring(None, Role.MENTOR)
        .filter(structure__region_id=region_id)
        .values("user_id")
        .annotate(n=Count("pk"))
        .filter(n__gte=max_pairs)
        .values("user_id")
    )


@dataclass
class Candidate:
    user: User
    overlap: int
    same_municipality: bool
    load: int
    topics: list[Topic] = field(default_factory=list)


def rank_mentors(
    *,
    mentee: User,
    school_year: int,
    deficit_ids: list[int] | None = None,
    limit: int | None = None,
    max_pairs: int | None = None,
) -> list[Candidate]:
    """Candidate mentors for a mentee (R-TUL-A3-1.1, 5.2), best first, ranked in ONE query:

    heads and deputies of partner organisations (not ШНОР in the school year; schools,
    additional-education and other organisations) of the mentee's region who stated strengths,
    below the region's limit of pairs per mentor, ranked by
      1. overlap: how many of their strengths are among the mentee's deficits, descending;
      2. the same municipality as the mentee's school first;
      3. load: open pairs they currently mentor, ascending;
      4. name.
    Then one query reads those shown with their organisations, and one more their overlapping
    topics.
    """
    organisation = mentee.organisation
    if organisation is None:
        return []
    if deficit_ids is None:
        deficit_ids = list(
            Competence.objects.filter(user=mentee, side=Competence.Side.DEFICIT).values_list(
                "topic_id", flat=True
            )
        )
    if max_pairs is None:
        max_pairs = mentoring_settings(organisation.region_id).max_pairs_per_mentor
    limit = limit or MATCHING_LIMIT
    strengths = Competence.objects.filter(user=OuterRef("pk"), side=Competence.Side.STRENGTH)
    if organisation.municipality_id:
        same = Case(
            When(organisation__municipality_id=organisation.municipality_id, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    else:
        same = Value(0, output_field=IntegerField())
    # The ranking reads the candidates' ids with the sort keys only; then the few shown are read
    # whole with their organisations. Sorting the region's thousands of candidates with every
    # column of the person, the organisation and the municipality (rows of ≈ 1 KB) cost more
    # than finding them (issue 19).
    ranked = list(
        User.objects.filter(
            is_active=True,
            anonymised_at__isnull=True,
            post__in=LEADING_POSTS,
            organisation__region_id=organisation.region_id,
            organisation__kind__in=PARTNER_KINDS,
        )
        .exclude(pk=mentee.pk)
        .filter(Exists(strengths))
        .exclude(Exists(_shnor_in(school_year)))
        .annotate(
            overlap=_count(strengths.filter(topic_id__in=deficit_ids), "user"),
            load=_count(_current_mentoring(OuterRef("pk"), Role.MENTOR), "user"),
            same_municipality=same,
        )
        # Not `load__lt`: that would run the load's subquery once more per candidate; the few
        # mentors at the limit are found once, as a set.
        .exclude(pk__in=_at_limit(organisation.region_id, max_pairs))
        .order_by(
            "-overlap", "-same_municipality", "load", "last_name", "first_name", "patronymic", "pk"
        )
        .values_list("pk", "overlap", "same_municipality", "load")[:limit]
    )
    people = User.objects.select_related("organisation", "organisation__municipality").in_bulk(
        [pk for pk, *_rest in ranked]
    )
    found = []
    for pk, overlap, same_municipality, load in ranked:
        user = people[pk]
        user.overlap, user.same_municipality, user.load = overlap, same_municipality, load
        found.append(user)
    topics: dict[int, list[Topic]] = defaultdict(list)
    if found and deficit_ids:
        shared = (
            Competence.objects.filter(
                user_id__in=[u.pk for u in found],
                side=Competence.Side.STRENGTH,
                topic_id__in=deficit_ids,
            )
            .select_related("topic")
            .order_by("topic__area", "topic__position", "topic__name")
        )
        for competence in shared:
            topics[competence.user_id].append(competence.topic)
    return [
        Candidate(
            user=u,
            overlap=u.overlap,
            same_municipality=bool(u.same_municipality),
            load=u.load,
            topics=topics[u.pk],
        )
        for u in found
    ]


def matching_orders(region_id: int) -> QuerySet[Order]:
    """Orders for a new pair: those that founded the region's pairs first, then the other orders
    of the region's organisations (a new order for a new school year)."""
    used = Structure.objects.filter(
        founding_order=OuterRef("pk"), kind__is_pair=True, region_id=region_id
    )
    return (
        Order.objects.filter(Q(Exists(used)) | Q(issuer__region_id=region_id))
        .annotate(used=Exists(used))
        .select_related("issuer")
        .order_by("-used", "-date", "number")
    )


def matching_curators(region_id: int, by: User) -> QuerySet[User]:
    """Who may curate the new pair: the person confirming it, and the region's curators."""
    curating = Membership.objects.filter(
        user=OuterRef("pk"),
        role=Role.CURATOR,
        until__isnull=True,
        structure__kind__is_pair=True,
        structure__region_id=region_id,
    )
    return (
        User.objects.filter(Q(pk=by.pk) | Q(Exists(curating)))
        .select_related("organisation")
        .order_by("last_name", "first_name", "pk")
    )


# --- Tutoring (S6, S8) ------------------------------------------------------------------------


def tutoring_assignments(structure: Structure, *, user: User, sees_all: bool):
    """The structure's assignments with their sessions' count and the last session; those who
    do not see all get their own only."""
    queryset = structure.tutor_assignments.all()
    if not sees_all:
        queryset = queryset.filter(Q(tutor=user) | Q(teacher=user))
    return (
        queryset.select_related("tutor", "tutor__organisation", "teacher", "teacher__organisation")
        .annotate(session_count=Count("sessions"), last_session=Max("sessions__date"))
        .order_by(F("until").asc(nulls_first=True), "subject", "teacher__last_name", "pk")
    )


def tutoring_count(structure: Structure, *, user: User, sees_all: bool) -> int:
    """The open assignments (the person's own unless they see all); the structure page read
    both counts with the structure's row (open_tutoring below)."""
    known = hooks.structure_figure(structure, "tutoring_all" if sees_all else "tutoring_mine")
    if known is not None:
        return known
    return _open_assignments(structure, None if sees_all else user).count()


def _open_assignments(structure, user: User | None) -> QuerySet[TutorAssignment]:
    """The structure's (or OuterRef's) open assignments; the person's own when `user` is given."""
    queryset = TutorAssignment.objects.filter(structure=structure, until__isnull=True)
    if user is not None:
        queryset = queryset.filter(Q(tutor=user) | Q(teacher=user))
    return queryset


def open_tutoring(user: User | None):
    """Structure figures (networks.hooks): how many of the structure's tutors' assignments are
    open, and how many of them are the person's own."""
    return hooks.count_of(_open_assignments(OuterRef("pk"), user))


def tutoring_sessions(assignment: TutorAssignment) -> QuerySet[Contact]:
    return assignment.sessions.select_related("logged_by").order_by("-date", "-pk")
