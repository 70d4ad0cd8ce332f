"""A territory whose 2020/2021 school year the summary tests know by heart.

Region «Тульская область» with two municipalities, Алексинский (A) and Белёвский (B):

- `assoc_a`: S5 association in A. Members during the year: a head from a ШНОР, a member from a
  school that is both ШНОР and ШССУ, a member from a leader school, a member from a school with no
  status, and one person whose two memberships (one ended in October) count once; a member who left
  before the year does not count. 3 held meetings of the year, one scheduled, one held seminar, one
  held meeting of the year before. Minutes: meeting 1 signed (2 questions, 1 with
  recommendations), meeting 2 signed and corrected (the latest version: 3 questions, 2 with
  recommendations), meeting 3 a draft. Plan: v1 approved (4 items, 3 done), v2 a draft (5 items).
  Reports: results by 25.12.2020 submitted 20.12.2020 and accepted; annual analysis by 15.07.2021
  missing.
- `assoc_b`: S5 association in B with a leader-school head: 1 held meeting; the 25.12 report
  submitted 28.12.2020 (late); the 15.07 one returned.
- `pair`: S4 pair in A (mentee of a ШНОР, mentor of a leader school, curator): 2 contacts in the
  year, the last on 01.02.2021 (so dormant at the year's end), flagged for re-matching; one pairs
  round of the region in December: the mentor answered, the mentee did not (50 %).
- `group`: S3 online group in B with two statistics periods inside the year and one across its end.
- `community`: S1 community in A, of the programme, whose 2020/2021 plan was submitted on
  20.09.2020, after its 01.09.2020 deadline (late).
- structures that must not appear: one in another region, one closed before the year.

People: the region's methodist and coordinator, A's municipal methodist, a methodist elsewhere,
an outsider (with an organisation in the region, to prove that is not enough).
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

import pytest

from communities.models import Minutes, Plan, PlanStep
from mentoring.models import PairState, Response
from networks.models import (
    ClosingReason,
    Municipality,
    Organisation,
    OrganisationKind,
    Programme,
    Region,
    Role,
    Structure,
    TerritoryRole,
    User,
)
from networks.schoolyear import SchoolYear
from reporting import counters, reminders
from reporting.models import Deadline, Report
from tests.factories import (
    ContactFactory,
    EventFactory,
    GroupStatisticsFactory,
    MembershipFactory,
    MinutesFactory,
    MinutesItemFactory,
    MunicipalityFactory,
    OrderFactory,
    OrganisationFactory,
    OrganisationStatusFactory,
    PlanFactory,
    PlanItemFactory,
    ProgrammeFactory,
    QuestionnaireFactory,
    RegionFactory,
    RoundFactory,
    StructureFactory,
    TerritoryRoleFactory,
    UserFactory,
    kind,
    make_pair,
)
from tests.helpers import rolled_back_at_the_end

YEAR = SchoolYear(2020)
UTC = dt.UTC
PASSWORD = "pass-Word-2026"


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@dataclass
class Territory:
    region: Region
    a: Municipality
    b: Municipality
    programme: Programme
    assoc_a: Structure
    assoc_b: Structure
    pair: Structure
    group: Structure
    community: Structure
    elsewhere: Structure
    closed: Structure
    people: dict[str, User | None] = field(default_factory=dict)

    @property
    def structures(self) -> list[Structure]:
        return [self.assoc_a, self.assoc_b, self.pair, self.group, self.community]


def school(municipality, name, *statuses) -> Organisation:
    organisation = OrganisationFactory(municipality=municipality, short_name=name)
    for status in statuses:
        OrganisationStatusFactory(organisation=organisation, school_year=2020, status=status)
    return organisation


def member(structure, organisation, role=Role.MEMBER, **dates) -> User:
    user = UserFactory(organisation=organisation)
    MembershipFactory(structure=structure, user=user, role=role, **dates)
    return user


def held_meeting(structure, day: dt.date, form="meeting", status="held"):
    return EventFactory(structure=structure, starts_at=at(day), form=form, status=status)


def signed(event, version=1, *, items, previous=None, reason=""):
    minutes = MinutesFactory(
        event=event,
        version=version,
        previous=previous,
        correction_reason=reason,
        status=Minutes.Status.SIGNED,
        signed_at=event.starts_at,
        attendee_count=5,
        date=event.starts_at.date(),
    )
    for recommendations in items:
        MinutesItemFactory(minutes=minutes, recommendations=recommendations)
    return minutes


def report(deadline, status, submitted: dt.date | None, **extra) -> Report:
    return Report.objects.create(
        structure=deadline.structure,
        school_year=deadline.school_year,
        deadline=deadline,
        title=deadline.rule.title,
        status=status,
        submitted_at=at(submitted) if submitted else None,
        **extra,
    )


def deadline(structure, due: dt.date) -> Deadline:
    return Deadline.objects.get(structure=structure, school_year=2020, due_on=due)


def build_territory() -> Territory:
    region = RegionFactory(code="71", name="Тульская область")
    a = MunicipalityFactory(region=region, name="Алексинский район")
    b = MunicipalityFactory(region=region, name="Белёвский район")
    centre = OrganisationFactory(
        municipality=a, kind=OrganisationKind.METHODICAL, short_name="ЦНППМ"
    )
    order = OrderFactory(issuer=centre)
    programme = ProgrammeFactory(
        region=region, title="Муниципальная программа сопровождения ШНОР 2020–2021"
    )

    def structure(code, name, municipality, **extra):
        host = OrganisationFactory(municipality=municipality, kind=OrganisationKind.METHODICAL)
        return StructureFactory(
            kind=kind(code), name=name, host=host, founding_order=order, **extra
        )

    shnor = school(a, "МБОУ СОШ № 1", "shnor")
    both = school(a, "МБОУ СОШ № 2", "shnor", "sssu")
    leader = school(b, "МБОУ «Лицей № 3»", "leader")
    plain = school(a, "МБОУ ДО «ЦДТ»")

    assoc_a = structure("S5", "Межшкольное объединение Алексинского района", a)
    member(assoc_a, shnor, Role.HEAD)
    member(assoc_a, both)
    member(assoc_a, leader)
    member(assoc_a, plain)
    twice = member(assoc_a, shnor, until=dt.date(2020, 10, 1))
    MembershipFactory(structure=assoc_a, user=twice, since=dt.date(2020, 10, 2))
    member(assoc_a, shnor, since=dt.date(2019, 9, 2), until=dt.date(2020, 6, 30))
    first = held_meeting(assoc_a, dt.date(2020, 10, 15))
    second = held_meeting(assoc_a, dt.date(2020, 12, 10))
    third = held_meeting(assoc_a, dt.date(2021, 3, 18))
    held_meeting(assoc_a, dt.date(2021, 5, 20), status="scheduled")
    held_meeting(assoc_a, dt.date(2021, 2, 11), form="seminar")
    held_meeting(assoc_a, dt.date(2020, 5, 14))
    signed(first, items=["Проанализировать результаты ВПР", ""])
    old = signed(second, items=["Провести консультации"])
    signed(
        second,
        2,
        previous=old,
        reason="Уточнены решения",
        items=["Провести консультации", "Обменяться опытом", "  "],
    )
    MinutesFactory(event=third)
    approved = PlanFactory(structure=assoc_a, status=Plan.Status.APPROVED, created_by=None)
    for done in (True, True, True, False):
        PlanItemFactory(plan=approved, done=done)
    draft = PlanFactory(structure=assoc_a, version=2, previous=approved, created_by=None)
    PlanItemFactory.create_batch(5, plan=draft)

    assoc_b = structure("S5", "Межшкольное объединение Белёвского района", b)
    member(assoc_b, leader, Role.HEAD)
    held_meeting(assoc_b, dt.date(2020, 11, 12))

    pair_host = OrganisationFactory(municipality=a, kind=OrganisationKind.METHODICAL)
    mentee = UserFactory(organisation=shnor, position="Директор")
    mentor = UserFactory(organisation=leader, position="Директор")
    pair = make_pair(
        mentee=mentee, mentor=mentor, host=pair_host, founding_order=order, curator=None
    )
    pair.curator = pair.memberships.get(role=Role.CURATOR).user
    ContactFactory(pair=pair, date=dt.date(2020, 11, 10))
    ContactFactory(pair=pair, date=dt.date(2021, 2, 1))
    PairState.objects.create(pair=pair, needs_rematch=True, rematch_reason="Не подходит")
    december = RoundFactory(questionnaire=QuestionnaireFactory(region=region))
    Response.objects.create(
        round=december,
        respondent=mentor,
        pair=pair,
        side="mentor",
        submitted_at=at(dt.date(2020, 12, 5)),
    )

    group = structure("S3", "Вжурнале / математика", b)
    member(group, both, Role.ADMINISTRATOR)
    GroupStatisticsFactory(structure=group)
    GroupStatisticsFactory(
        structure=group,
        period_start=dt.date(2020, 10, 1),
        period_end=dt.date(2020, 10, 31),
        visitors=80,
        views=400,
        actions=30,
        feedback=6,
    )
    GroupStatisticsFactory(
        structure=group,
        period_start=dt.date(2021, 8, 15),
        period_end=dt.date(2021, 9, 14),
        visitors=999,
    )

    community = structure(
        "S1", "Мастерская управления «Траектория развития школы»", a, programme=programme
    )
    member(community, plain, Role.COORDINATOR)
    plan = PlanFactory(structure=community, status=Plan.Status.SUBMITTED, created_by=None)
    PlanItemFactory(plan=plan)
    PlanStep.objects.create(plan=plan, action=PlanStep.Action.SUBMIT, at=at(dt.date(2020, 9, 20)))

    elsewhere = StructureFactory(kind=kind("S5"), name="Объединение другой области")
    member(elsewhere, shnor)
    closed = structure(
        "S5",
        "Объединение, закрытое до учебного года",
        a,
        established_on=dt.date(2019, 9, 1),
        closed_on=dt.date(2020, 6, 1),
        closing_reason=ClosingReason.TERM_ENDED,
    )

    reminders.deadlines_instantiate(year=YEAR)
    report(
        deadline(assoc_a, dt.date(2020, 12, 25)),
        Report.Status.ACCEPTED,
        dt.date(2020, 12, 20),
        decided_at=at(dt.date(2020, 12, 23)),
    )
    report(deadline(assoc_b, dt.date(2020, 12, 25)), Report.Status.SUBMITTED, dt.date(2020, 12, 28))
    report(
        deadline(assoc_b, dt.date(2021, 7, 15)),
        Report.Status.RETURNED,
        dt.date(2021, 7, 10),
        return_comment="Добавьте анализ заседаний",
        decided_at=at(dt.date(2021, 7, 12)),
    )

    def territory_person(email, role, **where):
        return TerritoryRoleFactory(
            user=UserFactory(email=email, organisation=centre, password=PASSWORD),
            role=role,
            **where,
        ).user

    people = {
        "methodist": territory_person(
            "methodist@tula.example", TerritoryRole.Role.METHODIST, region=region
        ),
        "coordinator": territory_person(
            "coordinator@tula.example", TerritoryRole.Role.COORDINATOR, region=region
        ),
        "municipal_methodist": territory_person(
            "aleksin@tula.example", TerritoryRole.Role.METHODIST, region=region, municipality=a
        ),
        "methodist_elsewhere": TerritoryRoleFactory(
            user=UserFactory(email="elsewhere@region.example"), region=elsewhere.region
        ).user,
        "head": assoc_a.memberships.get(role=Role.HEAD).user,
        "outsider": UserFactory(email="outsider@tula.example", organisation=shnor),
        "superuser": User.objects.create_superuser(
            "root@portal.example", PASSWORD, last_name="Админ", first_name="Анна"
        ),
        "anonymous": None,
    }
    # The rows above are written by factories, not by the services that keep the summary's
    # figures: count them once, as generate_scale does after its bulk writes.
    counters.recount([YEAR])
    return Territory(
        region=region,
        a=a,
        b=b,
        programme=programme,
        assoc_a=assoc_a,
        assoc_b=assoc_b,
        pair=pair,
        group=group,
        community=community,
        elsewhere=elsewhere,
        closed=closed,
        people=people,
    )


@pytest.fixture(scope="module")
def _built_territory(django_db_setup, django_db_blocker) -> Territory:
    """The territory is built once per test module (it was 4 % of the suite's CPU when built for
    each of its ≈ 150 tests), inside a transaction rolled back at the module's end; each test
    changes it in a savepoint of its own."""
    with rolled_back_at_the_end(django_db_blocker):
        yield build_territory()


@pytest.fixture
def territory(_built_territory, db) -> Territory:
    return copy.deepcopy(_built_territory)


def grow(territory: Territory, n: int) -> None:
    """n more structures of every sort in the territory, each with members, meetings, minutes,
    a plan, contacts, statistics and reports: for the query counts, which must not move."""
    for i in range(n):
        municipality = territory.a if i % 2 else territory.b
        host = OrganisationFactory(municipality=municipality, kind=OrganisationKind.METHODICAL)
        association = StructureFactory(kind=kind("S5"), host=host, name=f"Объединение № {i}")
        org = school(municipality, f"Школа № {100 + i}", "shnor")
        member(association, org, Role.HEAD)
        member(association, org)
        signed(held_meeting(association, dt.date(2020, 10, 1 + i % 20)), items=["Решение"])
        plan = PlanFactory(structure=association, status=Plan.Status.APPROVED, created_by=None)
        PlanItemFactory(plan=plan, done=True)
        pair = make_pair(host=host)
        ContactFactory(pair=pair, date=dt.date(2020, 12, 1))
        group = StructureFactory(kind=kind("S3"), host=host, name=f"Группа № {i}")
        GroupStatisticsFactory(structure=group)
    reminders.deadlines_instantiate(year=YEAR)
    for found in Deadline.objects.filter(report__isnull=True, due_on=dt.date(2020, 12, 25))[
        : n // 2
    ]:
        report(found, Report.Status.SUBMITTED, dt.date(2020, 12, 1))
