"""Benchmark: a structure's public page alone (communities/public/, issue 16).

    .venv/bin/python devdata/bench/bench_public_page.py                   # a temporary SQLite file
    .venv/bin/python devdata/bench/bench_public_page.py --database-url postgres://u:p@127.0.0.1:5432/bench

The issue's bar: a public page in ≤ 30 ms alone and ≤ 10 queries. The script migrates the database,
loads the demo (`load_demo` and the year's content: S1 «Мастерская управления» has its public page
on; the demo has no plan or events of S1 this year, so the script gives it an approved plan of 15
items and 12 scheduled events, the most a page shows is 20), then asks each public page with Django's test client, one
request at a time, after a warm-up: the median and the 95th percentile of --runs requests in
milliseconds, and the queries of one request. The page is built in full each time (no If-None-Match);
the 304 row is a browser revalidating with the ETag it holds.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time

from standalone import setup_django


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--runs", type=int, default=50)
    return parser.parse_args()


def timed(client, url: str, runs: int, **headers) -> tuple[float, float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(5):  # warm-up: templates, translations, the kinds
        client.get(url, **headers)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url, **headers)
        times.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    p95 = statistics.quantiles(times, n=20)[-1]
    return statistics.median(times), p95, len(queries), response.status_code


def fill(structure) -> None:
    """An approved plan of the current school year and upcoming events, unless there are some."""
    import datetime as dt

    from django.utils import timezone

    from communities.models import Event, Plan, PlanItem
    from networks.schoolyear import SchoolYear

    year = SchoolYear.current()
    if not structure.plans.filter(school_year=year.start, status=Plan.Status.APPROVED).exists():
        plan = Plan.objects.create(
            structure=structure, school_year=year.start, status=Plan.Status.APPROVED
        )
        PlanItem.objects.bulk_create(
            PlanItem(
                plan=plan,
                position=n + 1,
                title=f"Семинар управленческих команд № {n + 1}",
                form="seminar",
                month=(8 + n) % 12 + 1,
                responsible="Координатор сообщества",
                audience="Заместители директоров ШНОР",
            )
            for n in range(15)
        )
    if not Event.objects.upcoming().filter(structure=structure).exists():
        soon = timezone.now() + dt.timedelta(days=1)
        for n in range(12):
            Event.objects.create(
                structure=structure,
                title=f"Заседание сообщества № {n + 1}",
                form="meeting",
                format="mixed",
                starts_at=soon + dt.timedelta(days=7 * n),
                place="ГАУ ДПО «ВГАПО», ауд. 210",
            )


def main() -> None:
    args = parse_args()
    workdir = None
    url = args.database_url
    if not url:
        workdir = tempfile.mkdtemp(prefix="bench-public-")
        url = f"sqlite:///{workdir}/bench.sqlite3"
    try:
        setup_django(url)
        from django.test import Client
        from django.test.utils import setup_test_environment
        from django.urls import reverse

        from devdata.demo import load_demo
        from devdata.demo.year import load_year
        from networks.models import Structure

        setup_test_environment(debug=False)
        load_demo()
        load_year()
        workshop = Structure.objects.get(public_page=True)
        fill(workshop)
        client = Client()
        page = reverse("public:structure", args=[workshop.pk])
        etag = client.get(page)["ETag"]
        rows = [
            ("структура (200)", page, {}),
            ("структура, ETag совпал (304)", page, {"HTTP_IF_NONE_MATCH": etag}),
            ("регион (200)", reverse("public:region", args=[workshop.region.code]), {}),
            ("регионы (200)", reverse("public:regions"), {}),
        ]
        print(f"{'страница':32} {'медиана, мс':>12} {'p95, мс':>9} {'запросов':>9} {'код':>4}")
        for label, address, headers in rows:
            median, p95, queries, status = timed(client, address, args.runs, **headers)
            print(f"{label:32} {median:12.1f} {p95:9.1f} {queries:9d} {status:4d}")
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
