"""Reads about monitoring questionnaires (R-TUL-A3-4.2.1, 5.3): who a round asks, a person's rounds
(open, answered, missed), a round's overview (response rate overall and per pair, per-question
figures), a pair's answers side by side and a mentee's deficits at the start of the year against
their self-assessment at its end. Each read runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Prefetch, Q, QuerySet
from django.utils import timezone

from networks.models import PAIR_ROLES, Membership, Role, Structure, TerritoryRole, User
from networks.permissions import territory_roles
from networks.schoolyear import SchoolYear

from ..models import Competence, Question, Questionnaire, Response, Round

SCALE = range(1, 6)

# --- Who a round asks -----------------------------------------------------------------------------


def round_window(memberships: QuerySet[Membership], round: Round) -> QuerySet[Membership]:
    """Memberships that overlap the round's dates: the people it asks."""
    return memberships.filter(since__lte=round.closes_on).filter(
        Q(until__isnull=True) | Q(until__gte=round.opens_on)
    )


def _overlaps(membership: Membership, round: Round) -> bool:
    return membership.since <= round.closes_on and (
        membership.until is None or membership.until >= round.opens_on
    )


# Which pairs a pairs round asks: the pairs of the questionnaire's region that have started by
# the end of the round's school year and have not ended (closed, or their term over) before the
# round opens. The rule lives here only: round_pairs() says it to the database, round_asks_pair()
# about a pair already loaded (no query); tests/mentoring/questionnaires/test_round_pairs.py
# holds the two to the same answers.


def region_pairs(round: Round) -> QuerySet[Structure]:
    """Every pair of the questionnaire's region, whenever it worked."""
    return Structure.objects.filter(kind__is_pair=True, region_id=round.questionnaire.region_id)


def round_pairs(round: Round) -> QuerySet[Structure]:
    """Every pair a pairs round asks."""
    last_day = SchoolYear(round.school_year).last_day
    started = Q(term_start__lte=last_day) | Q(term_start__isnull=True, established_on__lte=last_day)
    not_closed = Q(closed_on__isnull=True) | Q(closed_on__gte=round.opens_on)
    term_not_over = Q(term_end__isnull=True) | Q(term_end__gte=round.opens_on)
    return region_pairs(round).filter(started & not_closed & term_not_over)


def round_asks_pair(round: Round, pair: Structure) -> bool:
    """round_pairs() for one pair already loaded (with its kind)."""
    ends = pair.ends_on  # the earlier of closed_on and term_end
    return (
        pair.kind.is_pair
        and pair.region_id == round.questionnaire.region_id
        and pair.starts_on <= SchoolYear(round.school_year).last_day
        and (ends is None or ends >= round.opens_on)
    )


def respondent_side(user: User, round: Round, pair: Structure | None) -> str | None:
    """The side the person answers a round as (mentor, mentee, member), or None: not asked."""
    if not user.is_authenticated:
        return None
    if round.audience == Round.Audience.MEMBERS:
        if pair is not None:
            return None
        asked = round_window(
            Membership.objects.filter(structure_id=round.structure_id, user=user), round
        )
        return Response.Side.MEMBER if asked.exists() else None
    if pair is None or not round_asks_pair(round, pair):
        return None
    membership = (
        round_window(pair.memberships.filter(user=user, role__in=PAIR_ROLES), round)
        .order_by("-since")
        .first()
    )
    return membership.role if membership else None


def round_is_open(round: Round, today: dt.date) -> bool:
    return round.opens_on <= today <= round.closes_on


# --- A person's rounds ----------------------------------------------------------------------------


@dataclass
class RoundItem:
    """One round as one person sees it: for a pair, one side of it."""

    round: Round
    pair: Structure | None
    side: str
    response: Response | None
    today: dt.date

    @property
    def is_open(self) -> bool:
        return round_is_open(self.round, self.today)

    @property
    def status(self) -> str:
        if self.response is not None and self.response.is_submitted:
            return "submitted"
        if not self.is_open:
            return "missed"
        return "draft" if self.response is not None else "waiting"

    @property
    def side_label(self) -> str:
        return Response.Side(self.side).label


def my_rounds(
    user: User, *, today: dt.date, memberships=None, open_only: bool = False
) -> list[RoundItem]:
    """Every round that has asked the person so far (open or past; `open_only`: open today),
    newest first. Three queries; two when the caller passes every membership of the person, read
    with its structure, kind and municipality (the home page's viewer); one when no round is
    found."""
    if memberships is None:
        memberships = list(
            Membership.objects.filter(user=user).select_related(
                "structure", "structure__kind", "structure__municipality"
            )
        )
    pair_sides = [m for m in memberships if m.structure.kind.is_pair and m.role in PAIR_ROLES]
    regions = {m.structure.region_id for m in pair_sides}
    structures = {m.structure_id for m in memberships}
    condition = Q(audience=Round.Audience.PAIRS, questionnaire__region_id__in=regions) | Q(
        audience=Round.Audience.MEMBERS, structure_id__in=structures
    )
    rounds = Round.objects.filter(condition, opens_on__lte=today)
    if open_only:
        rounds = rounds.filter(closes_on__gte=today)
    rounds = list(rounds.select_related("questionnaire", "structure").order_by("-opens_on", "pk"))
    if not rounds:
        return []
    responses = {
        (r.round_id, r.pair_id): r
        for r in Response.objects.filter(respondent=user, round__in=[r.pk for r in rounds])
    }
    items: list[RoundItem] = []
    for round in rounds:
        if round.audience == Round.Audience.MEMBERS:
            if any(
                m.structure_id == round.structure_id and _overlaps(m, round) for m in memberships
            ):
                response = responses.get((round.pk, None))
                items.append(RoundItem(round, None, Response.Side.MEMBER, response, today))
            continue
        seen: set[int] = set()
        for m in sorted(pair_sides, key=lambda m: m.since, reverse=True):
            pair = m.structure
            if pair.pk in seen or not (_overlaps(m, round) and round_asks_pair(round, pair)):
                continue
            seen.add(pair.pk)
            items.append(RoundItem(round, pair, m.role, responses.get((round.pk, pair.pk)), today))
    return items


def may_have_open_rounds(user: User):
    """Whether a round open today may ask the person (a home flag, networks.hooks): one of
    their structures' own rounds, or a pairs' round of a region where they are a side of a pair.
    A superset of what my_rounds(open_only=True) finds — it leaves out the roles and dates of
    the memberships — and one EXISTS in the home's flags query instead of a query of its own
    (issue 19: the block ran on nine homes in ten and showed something on one in forty)."""
    today = timezone.localdate()
    mine = Membership.objects.filter(user=user)
    return Exists(
        Round.objects.filter(opens_on__lte=today, closes_on__gte=today).filter(
            Q(audience=Round.Audience.MEMBERS, structure_id__in=mine.values("structure_id"))
            | Q(
                audience=Round.Audience.PAIRS,
                questionnaire__region_id__in=mine.filter(
                    role__in=PAIR_ROLES, structure__kind__is_pair=True
                ).values("structure__region_id"),
            )
        )
    )


def waiting_rounds(user: User, *, today: dt.date, memberships=None) -> list[RoundItem]:
    """Open rounds the person has not submitted yet (a draft still waits), closing soonest first.
    Only the rounds open today are read (issue 19: the home asked every past round of the
    person's region to keep none)."""
    waiting = [
        i
        for i in my_rounds(user, today=today, memberships=memberships, open_only=True)
        if i.status in ("waiting", "draft")
    ]
    return sorted(waiting, key=lambda i: (i.round.closes_on, i.round.pk))


# --- Coordinators' and curators' lists ------------------------------------------------------------


def coordinated_questionnaires(user: User) -> QuerySet[Questionnaire]:
    queryset = Questionnaire.objects.select_related("region").prefetch_related(
        Prefetch("rounds", queryset=Round.objects.order_by("opens_on", "pk"))
    )
    if user.is_superuser:
        return queryset
    regions = {
        r.region_id for r in territory_roles(user) if r.role == TerritoryRole.Role.COORDINATOR
    }
    return queryset.filter(region_id__in=regions)


# The roles in a structure whose holder follows its members' rounds.
_MONITOR_ROLES = (Role.COORDINATOR, Role.CURATOR, Role.CHAIR, Role.HEAD)


def monitored_rounds(user: User, *, memberships=None) -> QuerySet[Round]:
    """Rounds whose overview the person may open: of their territory (coordinators with names,
    methodists figures only), of regions where they curate pairs, of structures they run.
    `memberships`: every membership of the person read with its structure and kind (the home
    page's viewer): plain ids in the query instead of two subqueries."""
    queryset = Round.objects.select_related("questionnaire", "questionnaire__region", "structure")
    if user.is_superuser:
        return queryset.order_by("-opens_on", "pk")
    if memberships is None:
        regions = {r.region_id for r in territory_roles(user)}
        curated = Membership.objects.current().filter(
            user=user, role=Role.CURATOR, structure__kind__is_pair=True
        )
        curated_regions = curated.values("structure__region_id")
        managed = (
            Membership.objects.current()
            .filter(user=user, role__in=_MONITOR_ROLES)
            .values("structure_id")
        )
    else:
        regions, curated_regions, managed = monitored_places(user, memberships)
    condition = (
        Q(questionnaire__region_id__in=regions)
        | Q(audience=Round.Audience.PAIRS, questionnaire__region_id__in=curated_regions)
        | Q(audience=Round.Audience.MEMBERS, structure_id__in=managed)
    )
    return queryset.filter(condition).order_by("-opens_on", "pk")


def monitored_places(user: User, memberships) -> tuple[list[int], list[int], list[int]]:
    """What monitored_rounds() of a person who is not a superuser depends on, from their
    memberships (read with structure and kind): the regions of their territory roles, the
    regions where they curate pairs, the structures they run."""
    current = [m for m in memberships if m.until is None]
    return (
        sorted({r.region_id for r in territory_roles(user)}),
        sorted(
            {
                m.structure.region_id
                for m in current
                if m.role == Role.CURATOR and m.structure.kind.is_pair
            }
        ),
        sorted({m.structure_id for m in current if m.role in _MONITOR_ROLES}),
    )


# --- A round's overview ---------------------------------------------------------------------------


def _rate(submitted: int, expected: int) -> int | None:
    return round(100 * submitted / expected) if expected else None


@dataclass
class RoundPairRow:
    pair: Structure
    mentor: User | None = None
    mentee: User | None = None
    mentor_response: Response | None = None
    mentee_response: Response | None = None

    @property
    def expected(self) -> int:
        return (self.mentor is not None) + (self.mentee is not None)

    @property
    def submitted(self) -> int:
        return sum(
            1
            for r in (self.mentor_response, self.mentee_response)
            if r is not None and r.is_submitted
        )

    @property
    def needs_rematch(self) -> bool:
        state = getattr(self.pair, "pair_state", None)
        return bool(state and state.needs_rematch)


@dataclass
class RoundMemberRow:
    membership: Membership
    response: Response | None

    @property
    def submitted(self) -> bool:
        return self.response is not None and self.response.is_submitted


@dataclass
class QuestionFigures:
    question: Question
    answered: int = 0
    mean: float | None = None
    counts: list[tuple[str, int]] = field(default_factory=list)  # scale points or options
    texts: list[tuple[Response, str]] = field(default_factory=list)


@dataclass
class RoundOverview:
    round: Round
    questions: list[Question]
    pairs: list[RoundPairRow]
    members: list[RoundMemberRow]
    expected: int
    submitted: int
    summaries: list[QuestionFigures]

    @property
    def rate(self) -> int | None:
        return _rate(self.submitted, self.expected)


def _pair_rows(round: Round, scope: Q | None) -> list[RoundPairRow]:
    pairs = round_pairs(round)
    if scope is not None:
        pairs = pairs.filter(scope)
    sides = round_window(Membership.objects.filter(role__in=PAIR_ROLES), round).select_related(
        "user"
    )
    pairs = (
        pairs.select_related("municipality", "pair_state")
        .prefetch_related(
            Prefetch("memberships", queryset=sides.order_by("since"), to_attr="sides")
        )
        .order_by("name", "pk")
    )
    rows = []
    for pair in pairs:
        row = RoundPairRow(pair)
        for m in pair.sides:  # the latest of each role wins
            setattr(row, m.role, m.user)
        rows.append(row)
    return rows


def summarise_answers(questions: list[Question], responses: list[Response], *, texts: bool) -> list:
    """Per question: how many answered, the mean and spread of a scale, the count per option, and
    (for those who may see names) the free-text answers."""
    summaries = []
    for question in questions:
        key = str(question.pk)
        values = [
            (r, r.answers[key]) for r in responses if r.answers.get(key) not in (None, "", [])
        ]
        summary = QuestionFigures(question, answered=len(values))
        if question.kind == Question.Kind.SCALE:
            scores = [int(v) for _, v in values]
            tally = Counter(scores)
            summary.counts = [(str(n), tally[n]) for n in SCALE]
            summary.mean = round(sum(scores) / len(scores), 1) if scores else None
        elif question.kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
            tally = Counter()
            for _, v in values:
                tally.update(v if isinstance(v, list) else [v])
            summary.counts = [(option, tally[option]) for option in question.options]
        elif texts:
            summary.texts = values
        summaries.append(summary)
    return summaries


def round_overview(round: Round, *, pairs: Q | None = None, names: bool = True) -> RoundOverview:
    """The round as curators and coordinators see it; `pairs` narrows a pairs round to the pairs
    the viewer follows. Four queries, whatever the number of pairs or people."""
    questions = list(round.questionnaire.questions.all())
    responses = list(round.responses.select_related("respondent"))
    submitted_responses = [r for r in responses if r.is_submitted]
    all_responses = {(r.respondent_id, r.pair_id): r for r in responses}
    rows: list[RoundPairRow] = []
    members: list[RoundMemberRow] = []
    if round.audience == Round.Audience.PAIRS:
        rows = _pair_rows(round, pairs)
        for row in rows:
            for side in ("mentor", "mentee"):
                person = getattr(row, side)
                if person is not None:
                    found = all_responses.get((person.pk, row.pair.pk))
                    setattr(row, f"{side}_response", found)
        expected = sum(r.expected for r in rows)
        submitted = sum(r.submitted for r in rows)
        in_scope = {
            (p.pk, s.pk)
            for row in rows
            for p, s in [(row.pair, row.mentor), (row.pair, row.mentee)]
            if s
        }
        counted = [r for r in submitted_responses if (r.pair_id, r.respondent_id) in in_scope]
    else:
        people = round_window(round.structure.memberships.all(), round).select_related(
            "user", "user__organisation"
        )
        members = [
            RoundMemberRow(m, all_responses.get((m.user_id, None)))
            for m in people.order_by("user__last_name", "user__first_name", "pk")
        ]
        expected = len(members)
        submitted = sum(m.submitted for m in members)
        asked = {m.membership.user_id for m in members}
        counted = [r for r in submitted_responses if r.respondent_id in asked]
    return RoundOverview(
        round=round,
        questions=questions,
        pairs=rows,
        members=members,
        expected=expected,
        submitted=submitted,
        summaries=summarise_answers(questions, counted, texts=names),
    )


# --- One pair in a round --------------------------------------------------------------------------


def display_answer(question: Question, value: Any) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return str(value)


@dataclass
class TopicProgress:
    """A topic of the catalogue in a mentee's year: stated as a deficit at the start, and the
    mentee's own score for it in the first and the last round of the year."""

    topic: Any
    deficit_stated: dt.datetime | None = None
    first: int | None = None
    last: int | None = None

    @property
    def change(self) -> int | None:
        if self.first is None or self.last is None:
            return None
        return self.last - self.first


@dataclass
class PairAnswers:
    round: Round
    pair: Structure
    mentor: User | None
    mentee: User | None
    rows: list[tuple[Question, str, str]]  # question, mentor's answer, mentee's answer
    mentor_response: Response | None
    mentee_response: Response | None
    progress: list[TopicProgress]
    first_round: Round | None
    last_round: Round | None


def pair_answers(round: Round, pair: Structure) -> PairAnswers:
    """Both sides' answers in the round, side by side, and the mentee's year: deficits stated at
    the start against their self-assessment (scale questions about a catalogue topic) in the first
    and the last round of the school year they answered. Six queries."""
    sides = {
        m.role: m.user
        for m in round_window(pair.memberships.filter(role__in=PAIR_ROLES), round)
        .select_related("user")
        .order_by("since")
    }
    mentor, mentee = sides.get(Role.MENTOR), sides.get(Role.MENTEE)
    questions = list(round.questionnaire.questions.all())
    responses = {r.respondent_id: r for r in round.responses.filter(pair=pair)}
    mentor_response = responses.get(mentor.pk) if mentor else None
    mentee_response = responses.get(mentee.pk) if mentee else None

    def shown(response, question):
        if response is None or not response.is_submitted:
            return ""
        return display_answer(question, response.answers.get(str(question.pk)))

    rows = [(q, shown(mentor_response, q), shown(mentee_response, q)) for q in questions]
    progress, first, last = mentee_progress(pair, mentee, round.school_year)
    return PairAnswers(
        round, pair, mentor, mentee, rows, mentor_response, mentee_response, progress, first, last
    )


def mentee_progress(
    pair: Structure, mentee: User | None, school_year: int
) -> tuple[list[TopicProgress], Round | None, Round | None]:
    if mentee is None:
        return [], None, None
    answered = list(
        Response.objects.filter(
            pair=pair,
            respondent=mentee,
            round__school_year=school_year,
            submitted_at__isnull=False,
        )
        .select_related("round")
        .order_by("round__closes_on", "round__pk")
    )
    rated = list(
        Question.objects.filter(
            questionnaire_id__in={r.round.questionnaire_id for r in answered},
            kind=Question.Kind.SCALE,
            topic__isnull=False,
        ).select_related("topic")
    )
    deficits = Competence.objects.filter(user=mentee, side=Competence.Side.DEFICIT)
    topics: dict[int, TopicProgress] = {}
    for competence in deficits.select_related("topic"):
        topics[competence.topic_id] = TopicProgress(competence.topic, competence.stated_at)

    def score(response: Response, topic_id: int) -> int | None:
        for q in rated:
            value = response.answers.get(str(q.pk))
            if (
                q.topic_id == topic_id
                and q.questionnaire_id == response.round.questionnaire_id
                and value not in (None, "")
            ):
                return int(value)
        return None

    for q in rated:
        topics.setdefault(q.topic_id, TopicProgress(q.topic))
    first = answered[0] if len(answered) > 1 else None
    last = answered[-1] if answered else None
    for topic_id, item in topics.items():
        item.first = score(first, topic_id) if first else None
        item.last = score(last, topic_id) if last else None
    ordered = sorted(
        topics.values(),
        key=lambda t: (t.deficit_stated is None, t.topic.area, t.topic.position, t.topic.name),
    )
    return ordered, first.round if first else None, last.round if last else None


# --- A pair's rounds (the structure page) ---------------------------------------------------------


@dataclass
class PairRoundStatus:
    round: Round
    mentor: str  # submitted | waiting | missed
    mentee: str
    viewer_side: str | None


def pair_round_statuses(pair: Structure, *, viewer: User, today: dt.date) -> list[PairRoundStatus]:
    """The pairs rounds that have asked the pair so far and who of it has answered. Three
    queries."""
    rounds = list(
        Round.objects.filter(
            audience=Round.Audience.PAIRS,
            questionnaire__region_id=pair.region_id,
            opens_on__lte=today,
        )
        .select_related("questionnaire")
        .order_by("-opens_on", "pk")
    )
    rounds = [r for r in rounds if round_asks_pair(r, pair)]
    sides = list(pair.memberships.filter(role__in=PAIR_ROLES).order_by("since"))
    submitted = set(
        Response.objects.filter(
            pair=pair, round__in=[r.pk for r in rounds], submitted_at__isnull=False
        ).values_list("round_id", "respondent_id")
    )
    statuses = []
    for r in rounds:
        people = {m.role: m.user_id for m in sides if _overlaps(m, r)}

        def state(role: str, r=r, people=people) -> str:
            if role not in people:
                return ""
            if (r.pk, people[role]) in submitted:
                return "submitted"
            return "waiting" if round_is_open(r, today) else "missed"

        viewer_side = next((role for role, uid in people.items() if uid == viewer.pk), None)
        statuses.append(PairRoundStatus(r, state(Role.MENTOR), state(Role.MENTEE), viewer_side))
    return statuses


__all__ = [
    "PairAnswers",
    "PairRoundStatus",
    "QuestionFigures",
    "RoundItem",
    "RoundMemberRow",
    "RoundOverview",
    "RoundPairRow",
    "TopicProgress",
    "coordinated_questionnaires",
    "display_answer",
    "mentee_progress",
    "monitored_rounds",
    "my_rounds",
    "pair_answers",
    "pair_round_statuses",
    "region_pairs",
    "respondent_side",
    "round_asks_pair",
    "round_is_open",
    "round_overview",
    "round_pairs",
    "round_window",
    "summarise_answers",
    "waiting_rounds",
]
