"""Benchmark: the summary XLSX of a region of 1,500 structures (reporting.summaries), time and
peak memory, against a region of 750 to show that memory does not grow with the structures.

    .venv/bin/python devdata/bench/bench_summary_export.py                      # a temporary SQLite file
    .venv/bin/python devdata/bench/bench_summary_export.py --database-url postgres://…/bench_summary

Not a test. The script migrates a database of its own and builds, deterministically and with
bulk_create, two regions (1,500 and 750 structures) of the 2020/2021 school year: S5 associations
with 6 members, 4 meetings with signed minutes of 3 questions and an approved plan of 8 items; S4
pairs (mentor, mentee, curator) with 3 contacts and a questionnaire round; S3 groups with 4
statistics periods; S8 and S1 communities; the deadlines of the year and reports for two thirds of
them (on time, late, accepted, returned). Then, for each region, as the worker would:

1. the XLSX export through the export job service (queued → running → done, file under
   MEDIA_ROOT): seconds and queries;
2. the same export again under tracemalloc: the peak of Python memory;
3. the summary page's computation (all rows and totals): seconds and queries.

The issue's bar: ≤ 10 s for 1,500 structures, memory flat. Give --database-url a database of its
own: the script refuses one that already has the benchmark's regions.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

from standalone import setup_django

ROOT = Path(__file__).resolve().parents[2]
YEAR = 2020
UTC = dt.UTC
REGIONS = (("B96", "Область для замеров сводки (1500)", 1500), ("B95", "Область (750)", 750))
MUNICIPALITIES = 25
# Kinds in rotation: 4 associations, 3 pairs, 1 group, 1 community of teachers, 1 of managers.
ROTATION = ("S5", "S4", "S5", "S3", "S4", "S5", "S8", "S4", "S5", "S1")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--structures", type=int, default=1500)
    return parser.parse_args()


def at(day: dt.date, hour: int = 12) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


class Builder:
    """Bulk-creates one region's year. Every choice depends on the structure's number only."""

    def __init__(self, code: str, name: str, count: int):
        from networks.models import Region, StructureKind

        if Region.objects.filter(code=code).exists():
            sys.exit("The benchmark's regions are there already: give it a fresh database.")
        self.count = count
        self.region = Region.objects.create(code=code, name=name)
        self.kinds = {k.code: k for k in StructureKind.objects.all()}
        self.tag = code.lower()

    def run(self):
        self.territory()
        self.structures()
        self.members()
        self.meetings()
        self.plans()
        self.pairs()
        self.groups()
        self.deadlines()
        return self.region

    def territory(self) -> None:
        from networks.models import (
            Municipality,
            Order,
            Organisation,
            OrganisationKind,
            OrganisationStatus,
        )

        self.municipalities = Municipality.objects.bulk_create(
            [
                Municipality(region=self.region, name=f"Муниципальный район № {m}")
                for m in range(MUNICIPALITIES)
            ]
        )
        self.ministry = Organisation.objects.create(
            region=self.region, kind=OrganisationKind.AUTHORITY, full_name="Министерство"
        )
        self.order = Order.objects.create(
            issuer=self.ministry, number="1", date=dt.date(2020, 9, 1), title="О сетях"
        )
        # Schools: a third ШНОР (every ninth also ШССУ), a third leaders, a third without status.
        self.schools = Organisation.objects.bulk_create(
            [
                Organisation(
                    region=self.region,
                    municipality=self.municipalities[n % MUNICIPALITIES],
                    kind=OrganisationKind.SCHOOL,
                    full_name=f"МБОУ «Средняя школа № {n}»",
                    short_name=f"СОШ № {n}",
                )
                for n in range(self.count)
            ],
            batch_size=1000,
        )
        statuses = []
        for n, school in enumerate(self.schools):
            if n % 3 == 0:
                statuses.append(
                    OrganisationStatus(organisation=school, school_year=YEAR, status="shnor")
                )
                if n % 9 == 0:
                    statuses.append(
                        OrganisationStatus(organisation=school, school_year=YEAR, status="sssu")
                    )
            elif n % 3 == 1:
                statuses.append(
                    OrganisationStatus(organisation=school, school_year=YEAR, status="leader")
                )
        OrganisationStatus.objects.bulk_create(statuses, batch_size=1000)

    def structures(self) -> None:
        from networks.models import Structure

        self.all = Structure.objects.bulk_create(
            [
                Structure(
                    kind=self.kinds[ROTATION[n % len(ROTATION)]],
                    name=f"Структура {ROTATION[n % len(ROTATION)]} № {n}",
                    founding_order=self.order,
                    host=self.schools[n],
                    region=self.region,
                    municipality=self.municipalities[n % MUNICIPALITIES],
                    established_on=dt.date(2020, 9, 16),
                )
                for n in range(self.count)
            ],
            batch_size=1000,
        )

    def members(self) -> None:
        from networks.models import Membership, User

        people, memberships = [], []
        for n, structure in enumerate(self.all):
            code = structure.kind.code
            roles = {
                "S4": ["mentee", "mentor", "curator"],
                "S5": ["head", "member", "member", "member", "member", "member"],
                "S3": ["administrator", "member", "member", "member"],
                "S8": ["coordinator", "member", "member", "member", "member"],
                "S1": ["coordinator", "member", "member"],
            }[code]
            for i, role in enumerate(roles):
                school = self.schools[(n * 7 + i * 3) % self.count]
                if code == "S4":
                    # The mentee leads a ШНОР, the mentor a leader school (R-TUL-A3-1.1).
                    school = self.schools[(n // 3) * 3 % self.count] if role == "mentee" else school
                    if role == "mentor":
                        school = self.schools[((n // 3) * 3 + 1) % self.count]
                person = User(
                    email=f"{self.tag}.{n}.{i}@bench.example",
                    last_name="Участник",
                    first_name=f"№ {n}.{i}",
                    organisation=school,
                    password="!",
                )
                people.append(person)
                memberships.append((structure, role))
        User.objects.bulk_create(people, batch_size=1000)
        Membership.objects.bulk_create(
            [
                Membership(structure=s, user=u, role=role, since=dt.date(2020, 9, 16))
                for u, (s, role) in zip(people, memberships, strict=True)
            ],
            batch_size=1000,
        )

    def _of(self, *codes):
        return [s for s in self.all if s.kind.code in codes]

    def meetings(self) -> None:
        from communities.models import Event, Minutes, MinutesItem

        events = []
        for n, structure in enumerate(self._of("S5", "S8", "S1")):
            for m in range(4 if n % 5 else 3):  # every fifth falls short of the minimum
                day = dt.date(2020, 10 + m, 10) if m < 3 else dt.date(2021, 3, 10)
                events.append(
                    Event(
                        structure=structure,
                        title=f"Заседание № {m + 1}",
                        form="meeting",
                        format="in_person",
                        starts_at=at(day),
                        status="held",
                    )
                )
            events.append(
                Event(
                    structure=structure,
                    title="Семинар",
                    form="seminar",
                    format="remote",
                    starts_at=at(dt.date(2021, 2, 5)),
                    status="held",
                )
            )
        Event.objects.bulk_create(events, batch_size=1000)
        minutes = Minutes.objects.bulk_create(
            [
                Minutes(
                    event=e,
                    number="1",
                    date=e.starts_at.date(),
                    status="signed",
                    signed_at=e.starts_at,
                    attendee_count=6,
                )
                for e in events
                if e.form == "meeting"
            ],
            batch_size=1000,
        )
        MinutesItem.objects.bulk_create(
            [
                MinutesItem(
                    minutes=m,
                    position=p,
                    question="О результатах ВПР",
                    decision="Принять к сведению",
                    recommendations="Провести консультации" if p == 1 else "",
                )
                for m in minutes
                for p in (1, 2, 3)
            ],
            batch_size=1000,
        )

    def plans(self) -> None:
        from communities.models import Plan, PlanItem

        plans = Plan.objects.bulk_create(
            [
                Plan(structure=s, school_year=YEAR, status="approved" if n % 4 else "submitted")
                for n, s in enumerate(self._of("S5", "S8", "S1"))
            ],
            batch_size=1000,
        )
        PlanItem.objects.bulk_create(
            [
                PlanItem(
                    plan=plan,
                    position=i,
                    title=f"Мероприятие {i}",
                    form="seminar",
                    month=10,
                    responsible="Руководитель",
                    done=i % 3 != 0,
                )
                for plan in plans
                for i in range(1, 9)
            ],
            batch_size=1000,
        )

    def pairs(self) -> None:
        from mentoring.models import Contact, PairState, Questionnaire, Response, Round
        from networks.models import Membership

        pairs = self._of("S4")
        Contact.objects.bulk_create(
            [
                Contact(
                    pair=p,
                    date=dt.date(2020, 10 + c, 5 + n % 20),
                    form="mentoring",
                    channel="phone",
                    topic="Анализ ВПР",
                )
                for n, p in enumerate(pairs)
                for c in range(3 if n % 4 else 1)
            ],
            batch_size=1000,
        )
        PairState.objects.bulk_create(
            [PairState(pair=p, needs_rematch=True) for n, p in enumerate(pairs) if n % 10 == 0]
        )
        questionnaire = Questionnaire.objects.create(title="Мониторинг пар", region=self.region)
        december = Round.objects.create(
            questionnaire=questionnaire,
            title="Декабрь",
            audience="pairs",
            school_year=YEAR,
            opens_on=dt.date(2020, 12, 1),
            closes_on=dt.date(2020, 12, 25),
        )
        sides = Membership.objects.filter(structure__in=pairs, role__in=["mentor", "mentee"])
        Response.objects.bulk_create(
            [
                Response(
                    round=december,
                    respondent_id=m.user_id,
                    pair_id=m.structure_id,
                    side=m.role,
                    answers={},
                    submitted_at=at(dt.date(2020, 12, 10)),
                )
                for n, m in enumerate(sides.order_by("pk"))
                if n % 3
            ],
            batch_size=1000,
        )

    def groups(self) -> None:
        from mentoring.models import GroupStatistics

        GroupStatistics.objects.bulk_create(
            [
                GroupStatistics(
                    structure=g,
                    period_start=dt.date(2020, 9 + p, 1),
                    period_end=dt.date(2020, 9 + p, 28),
                    visitors=100 + p,
                    views=800 + p,
                    actions=90,
                    feedback=12,
                    source="manual",
                )
                for g in self._of("S3")
                for p in range(4)
            ],
            batch_size=1000,
        )

    def deadlines(self) -> None:
        from networks.schoolyear import SchoolYear
        from reporting.models import Deadline, Report
        from reporting.reminders import deadlines_instantiate

        deadlines_instantiate(year=SchoolYear(YEAR))
        reports = []
        found = Deadline.objects.filter(structure__region=self.region, rule__deliverable="report")
        for n, deadline in enumerate(found.select_related("rule").order_by("pk")):
            if n % 3 == 0:
                continue  # missing
            late = n % 5 == 0
            status = ("submitted", "accepted", "returned")[n % 3 if n % 7 else 0]
            submitted = deadline.due_on + dt.timedelta(days=3 if late else -5)
            reports.append(
                Report(
                    structure_id=deadline.structure_id,
                    school_year=YEAR,
                    deadline=deadline,
                    title=deadline.rule.title,
                    status=status,
                    submitted_at=at(submitted),
                    decided_at=at(submitted + dt.timedelta(days=2))
                    if status != "submitted"
                    else None,
                    return_comment="Доработать" if status == "returned" else "",
                )
            )
        Report.objects.bulk_create(reports, batch_size=1000)


def counting(function):
    """(value, seconds, queries) of a call; queries counted by a wrapper, not the debug cursor."""
    from django.db import connection

    count = 0

    def counter(execute, sql, params, many, context):
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        value = function()
        seconds = time.perf_counter() - started
    return value, seconds, count


def export(region, requester):
    from networks.schoolyear import SchoolYear
    from reporting.models import ExportJob
    from reporting.summaries import services
    from reporting.summaries.selectors import SummaryScope

    job = ExportJob.objects.create(
        exporter="summary",
        file_format="xlsx",
        params=SummaryScope(SchoolYear(YEAR), region).params(),
        requested_by=requester,
    )
    job = services.export_job_run(job_id=job.pk)
    assert job.status == "done", job.error
    return job


def measure(region, requester) -> dict:
    from networks.schoolyear import SchoolYear
    from reporting.summaries import selectors
    from reporting.summaries.selectors import SummaryScope

    job, seconds, queries = counting(lambda: export(region, requester))
    size = job.file.size
    tracemalloc.start()
    export(region, requester)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    scope = SummaryScope(SchoolYear(YEAR), region)
    (rows, _totals), page_seconds, page_queries = counting(lambda: selectors.summary(scope))
    return {
        "structures": job.total,
        "seconds": seconds,
        "queries": queries,
        "size": size,
        "peak": peak,
        "page_seconds": page_seconds,
        "page_queries": page_queries,
        "rows": len(rows),
    }


def main() -> None:
    args = parse_args()
    workdir = None
    database_url = args.database_url
    if not database_url:
        workdir = tempfile.mkdtemp(prefix="bench-summary-")
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    try:
        setup_django(database_url)
        from django.db import connection

        from networks.models import TerritoryRole, User

        print(f"База: {connection.vendor}")
        results = []
        for code, name, count in REGIONS:
            count = args.structures if count == 1500 else args.structures // 2
            started = time.perf_counter()
            region = Builder(code, name, count).run()
            print(f"  {name}: данные построены за {time.perf_counter() - started:.1f} с")
            methodist = User.objects.create_user(
                f"methodist.{code.lower()}@bench.example", "x", last_name="Методист", first_name="М"
            )
            TerritoryRole.objects.create(user=methodist, role="methodist", region=region)
            results.append(measure(region, methodist))
        print()
        print(
            f"{'структур':>9} {'XLSX, с':>8} {'запросов':>9} {'файл, КБ':>9} "
            f"{'пик памяти, МБ':>15} {'страница, с':>12} {'запросов':>9}"
        )
        for r in results:
            print(
                f"{r['structures']:>9} {r['seconds']:>8.2f} {r['queries']:>9} "
                f"{r['size'] / 1024:>9.0f} {r['peak'] / 2**20:>15.1f} "
                f"{r['page_seconds']:>12.2f} {r['page_queries']:>9}"
            )
        big, small = results
        print(
            f"\nXLSX сводки региона из {big['structures']} структур: {big['seconds']:.1f} с "
            f"(цель: ≤ 10 с); пик памяти {big['peak'] / 2**20:.1f} МБ против "
            f"{small['peak'] / 2**20:.1f} МБ для {small['structures']} структур."
        )
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
