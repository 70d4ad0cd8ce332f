"""Benchmark: rank 5,000 candidate mentors for one mentee (mentoring.selectors.rank_mentors).

    .venv/bin/python devdata/bench/bench_matching.py                      # a temporary SQLite file
    .venv/bin/python devdata/bench/bench_matching.py --database-url postgres://u:p@127.0.0.1:5432/bench

The issue's bar: under 200 ms for one mentee, with a number of queries that does not grow with the
candidates. The script migrates the database, creates the candidates deterministically (strengths
and loads from the candidate's number, no randomness), then times the ranking: the median of
several runs after a warm-up, in milliseconds, and the number of queries one ranking takes.

Give --database-url a database of its own: the data stay there (a second run reuses them).
"""

from __future__ import annotations

import argparse
import random
import shutil
import statistics
import tempfile
import time

from standalone import setup_django

REGION_CODE = "B99"
REGION_NAME = "Область для замеров подбора"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--candidates", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=15)
    return parser.parse_args()


def build(candidates: int, year: int):
    """The region, its organisations, the candidates with strengths and loads, and one mentee.
    Returns the mentee. Reuses what an earlier run made."""
    import datetime as dt

    from django.db import transaction

    from mentoring.models import Competence, Topic
    from networks.models import (
        Membership,
        Municipality,
        Order,
        Organisation,
        OrganisationStatus,
        Region,
        Structure,
        StructureKind,
        User,
    )

    region = Region.objects.filter(code=REGION_CODE).first()
    if region is not None:
        return User.objects.get(email="bench.mentee@bench.example")

    topics = list(Topic.objects.filter(is_active=True).order_by("pk"))
    kinds = ["school", "school", "school", "additional", "other"]
    with transaction.atomic():
        region = Region.objects.create(code=REGION_CODE, name=REGION_NAME)
        municipalities = Municipality.objects.bulk_create(
            Municipality(region=region, name=f"Муниципальный район № {n}") for n in range(20)
        )

        def organisation(n: int, kind: str) -> Organisation:
            return Organisation(
                kind=kind,
                full_name=f"Организация № {n}",
                short_name=f"Организация № {n}",
                region=region,
                municipality=municipalities[n % len(municipalities)],
            )

        partners = Organisation.objects.bulk_create(
            organisation(n, kinds[n % len(kinds)]) for n in range(1000)
        )
        shnor = Organisation.objects.bulk_create(
            organisation(1000 + n, "school") for n in range(100)
        )
        OrganisationStatus.objects.bulk_create(
            [
                OrganisationStatus(organisation=o, school_year=year, status="leader")
                for o in partners[::2]
                if o.kind == "school"
            ]
            + [OrganisationStatus(organisation=o, school_year=year, status="shnor") for o in shnor]
        )
        mentee = User.objects.create(
            email="bench.mentee@bench.example",
            last_name="Наставляемая",
            first_name="Анна",
            position="Директор",
            post="head",
            organisation=shnor[0],
        )
        Competence.objects.bulk_create(
            Competence(user=mentee, topic=t, side="deficit") for t in topics[:5]
        )

        people = User.objects.bulk_create(
            User(
                email=f"mentor{n}@bench.example",
                password="!",
                last_name=f"Наставник{n:05d}",
                first_name="Иван",
                position="Директор",
                post="head",
                # Every tenth candidate works at a ШНОР: stated strengths, yet not offered.
                organisation=shnor[n % 100] if n % 10 == 9 else partners[n % len(partners)],
            )
            for n in range(candidates)
        )
        # Strengths: one to six topics each, from a seeded generator (the same on every run).
        rng = random.Random(2026)
        Competence.objects.bulk_create(
            Competence(user=u, topic=t, side="strength")
            for u in people
            for t in rng.sample(topics, k=rng.randint(1, 6))
        )
        # People who stated nothing are not candidates; they are there to be skipped.
        User.objects.bulk_create(
            User(
                email=f"teacher{n}@bench.example",
                password="!",
                last_name=f"Учитель{n:05d}",
                first_name="Пётр",
                organisation=partners[n % len(partners)],
            )
            for n in range(2000)
        )
        # Loads: 0–4 open pairs each (those with 3 or more are over the default limit).
        s4 = StructureKind.objects.get(code="S4")
        order = Order.objects.create(
            issuer=partners[0], number="bench", date=dt.date(year, 9, 1), title="Сетевые пары"
        )
        since = dt.date(year, 9, 1)
        loads = [(u, n % 5) for n, u in enumerate(people)]
        pairs = Structure.objects.bulk_create(
            Structure(
                kind=s4,
                name=f"Пара {u.pk}-{i}",
                founding_order=order,
                host=partners[0],
                region=region,
                municipality=municipalities[0],
                established_on=since,
            )
            for u, load in loads
            for i in range(load)
        )
        owners = [u for u, load in loads for _ in range(load)]
        Membership.objects.bulk_create(
            Membership(structure=p, user=u, role="mentor", since=since)
            for p, u in zip(pairs, owners, strict=True)
        )
    return mentee


def analyse() -> None:
    """Fresh statistics after the bulk load, as autovacuum would gather them in production;
    without them PostgreSQL's first plans for the new tables can be very wrong."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def bench(mentee, year: int, runs: int) -> None:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from mentoring.models import Competence
    from mentoring.selectors import rank_mentors

    candidates = (
        Competence.objects.filter(
            side="strength", user__organisation__region=mentee.organisation.region
        )
        .values("user")
        .distinct()
        .count()
    )
    rank_mentors(mentee=mentee, school_year=year)  # warm-up: caches, the query planner
    timings = []
    for _ in range(runs):
        reset_queries()
        started = time.perf_counter()
        ranked = rank_mentors(mentee=mentee, school_year=year)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as ctx:
        rank_mentors(mentee=mentee, school_year=year)
    print(f"database:            {connection.vendor}")
    print(f"stated strengths:    {candidates} people in the region")
    print(
        f"shown:               {len(ranked)} (best: {ranked[0].user.last_name}, overlap "
        f"{ranked[0].overlap}, load {ranked[0].load})"
    )
    print(f"runs:                {runs}")
    print(f"median:              {statistics.median(timings):.1f} ms")
    print(f"min / max:           {min(timings):.1f} / {max(timings):.1f} ms")
    print(f"queries per ranking: {len(ctx.captured_queries)}")
    verdict = "under" if statistics.median(timings) < 200 else "OVER"
    print(f"the bar (200 ms):    {verdict}")


def main() -> None:
    args = parse_args()
    temporary = None
    database_url = args.database_url
    if not database_url:
        temporary = tempfile.mkdtemp(prefix="bench-matching-")
        database_url = f"sqlite:///{temporary}/bench.sqlite3"
    try:
        started = time.perf_counter()
        setup_django(database_url)
        from networks.schoolyear import SchoolYear

        year = SchoolYear.current().start
        mentee = build(args.candidates, year)
        analyse()
        print(f"setup:               {time.perf_counter() - started:.1f} s")
        bench(mentee, year, args.runs)
    finally:
        if temporary:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
