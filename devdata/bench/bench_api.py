"""Benchmark: each list endpoint of the open API alone at national scale (issue 21: ≤ 100 ms).

    .venv/bin/python devdata/bench/bench_api.py                 # scale_dev (generate_scale)
    .venv/bin/python devdata/bench/bench_api.py --requests 50 --database-url postgres://…

A token of the region with the most structures (and one of its largest municipality) is issued
inside a transaction that is rolled back at the end, so nothing stays in the database; if the
database has no API table yet, its migration runs inside the same transaction and is rolled back
too, and so are the risk profiles, development documents and curators it writes when the database
has none (FILL_RISKS, FILL_DOCUMENTS, FILL_CURATORS). Each list is asked `--requests` times one
after another, after a warm-up, with its default page (100 rows) and with the current school
year's filter, through Django's test client (DEBUG off, the connection options production sets:
jit off, random_page_cost 1.1). Per endpoint: p50 and p95 of
the request, the CPU this process spent on it (p50), what PostgreSQL spent on its queries (EXPLAIN
ANALYZE: planning and execution) and the queries of one request. On a busy machine the wall-clock
times are mostly waiting for a core; CPU plus server SQL is what the request costs alone.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_URL = "postgres://portal_ci:portal_ci@127.0.0.1:5432/scale_dev"
GOAL_MS = 100
ENDPOINTS = (
    "organisations",
    "structures",
    "orders",
    "reports",
    "deadlines",
    "risk-profiles",
    "development-documents",
    "school-curators",
    "municipalities",
)
# generate_scale does not fill risk profiles yet: when there are none, every school gets half of
# the «500+» factors of each year the table holds, at a level spread by id — inside the
# benchmark's transaction, so rolled back with it.
FILL_RISKS = """
INSERT INTO schools_schoolrisk (organisation_id, factor_id, level, source, updated_at)
SELECT o.id, f.id, (ARRAY['high', 'medium', 'low'])[1 + (o.id + f.id) % 3], 'import', now()
FROM networks_organisation o CROSS JOIN schools_riskfactor f
WHERE o.kind = 'school' AND (o.id + f.id) % 2 = 0
"""

# Nor documents and curators: when there are none, every school gets a concept of each year of the
# factors table and an antirisk programme for each of its high risks, in a status spread by id,
# each with a draft and its current status in the history; and a curator (a person of the same
# region, spread by id). In the same transaction, rolled back with it.
FILL_DOCUMENTS = """
INSERT INTO schools_developmentdocument
    (organisation_id, kind, school_year, factor_id, file, filename, status, comment, created_at)
SELECT o.id, 'concept', y.school_year, NULL, 'bench.pdf', 'bench.pdf',
       (ARRAY['draft', 'submitted', 'accepted', 'returned'])[1 + o.id % 4], '', now()
FROM networks_organisation o CROSS JOIN (SELECT DISTINCT school_year FROM schools_riskfactor) y
WHERE o.kind = 'school'
UNION ALL
SELECT r.organisation_id, 'antirisk', f.school_year, f.id, 'bench.pdf', 'bench.pdf',
       (ARRAY['draft', 'submitted', 'accepted', 'returned'])[1 + (r.organisation_id + f.id) % 4],
       '', now()
FROM schools_schoolrisk r JOIN schools_riskfactor f ON f.id = r.factor_id
WHERE r.level = 'high';
INSERT INTO schools_documentstatuschange (document_id, status, at, comment)
SELECT id, 'draft', created_at - interval '30 days', '' FROM schools_developmentdocument
UNION ALL
SELECT id, status, created_at, '' FROM schools_developmentdocument WHERE status <> 'draft';
"""
FILL_CURATORS = """
INSERT INTO schools_schoolcurator (organisation_id, user_id, since, until)
SELECT s.id, u.id, current_date - 400, NULL
FROM (SELECT o.id, o.region_id, row_number() OVER (PARTITION BY o.region_id ORDER BY o.id) AS n
      FROM networks_organisation o WHERE o.kind = 'school') s
JOIN (SELECT p.id, o.region_id,
             row_number() OVER (PARTITION BY o.region_id ORDER BY p.id) AS n,
             count(*) OVER (PARTITION BY o.region_id) AS total
      FROM networks_user p JOIN networks_organisation o ON o.id = p.organisation_id) u
  ON u.region_id = s.region_id AND u.n = 1 + s.n % u.total
"""


class RolledBack(Exception):
    """Raised at the end to roll the token (and anything else) back."""


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=30)
    return parser.parse_args()


def setup_django(database_url: str) -> None:
    # Not standalone.setup_django: that migrates the database; this script writes nothing.
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    os.environ.setdefault("DJANGO_MEDIA_ROOT", tempfile.mkdtemp(prefix="bench-media-"))
    # The rate limit is the API's, not what is measured here.
    os.environ["API_THROTTLE_RATE"] = "1000000/min"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import logging

    logging.getLogger("api").setLevel(logging.WARNING)  # its line per request is not the table


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def tokens() -> list[tuple[str, str]]:
    """(label, secret) of a regional and a municipal token of the biggest region."""
    from django.db.models import Count

    from api.services import api_token_issue
    from networks.models import Organisation, Structure

    region_id, _n = (
        Structure.objects.values_list("region_id").annotate(n=Count("pk")).order_by("-n").first()
    )
    municipality_id = (
        Structure.objects.filter(region_id=region_id, municipality__isnull=False)
        .values_list("municipality_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()[0]
    )
    issuer = Organisation.objects.filter(region_id=region_id).first()
    regional = api_token_issue(
        organisation=issuer, region=issuer.region, municipality=None, by=None
    )[1]
    municipal = api_token_issue(
        organisation=issuer,
        region=issuer.region,
        municipality=issuer.region.municipalities.get(pk=municipality_id),
        by=None,
    )[1]
    return [("регион", regional), ("муниципалитет", municipal)]


def server_ms(sqls: list[str]) -> float:
    """What PostgreSQL itself spends on one request's queries (planning and execution, EXPLAIN
    ANALYZE, median of 5): the part of the time that does not depend on this process being
    scheduled on a busy machine."""
    from django.db import connection

    runs = []
    for _ in range(5):
        total = 0.0
        with connection.cursor() as cursor:
            for sql in sqls:
                cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0][0]
                total += plan["Planning Time"] + plan["Execution Time"]
        runs.append(total)
    return statistics.median(runs)


def measure(requests: int) -> list[tuple]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from networks.schoolyear import SchoolYear

    year = SchoolYear.current().start
    rows = []
    for label, secret in tokens():
        client = Client(headers={"Authorization": f"Bearer {secret}"})
        for name in ENDPOINTS:
            for query in ("", f"?school_year={year}"):
                if query and name == "municipalities":
                    continue
                url = f"/api/v1/{name}/{query}"
                for _ in range(3):  # warm-up: imports, translations, PostgreSQL's caches
                    assert client.get(url).status_code == 200, url
                times, cpu, queries, shown, sqls = [], [], 0, 0, []
                for _ in range(requests):
                    with CaptureQueriesContext(connection) as captured:
                        started, started_cpu = time.perf_counter(), time.process_time()
                        response = client.get(url)
                        times.append((time.perf_counter() - started) * 1000)
                        cpu.append((time.process_time() - started_cpu) * 1000)
                    assert response.status_code == 200, (url, response.status_code)
                    queries = max(queries, len(captured))
                    shown = len(response.json()["results"])
                    sqls = [q["sql"] for q in captured.captured_queries]
                selects = [sql for sql in sqls if sql.startswith("SELECT")]
                rows.append(
                    (
                        label,
                        url,
                        statistics.median(times),
                        p95(times),
                        statistics.median(cpu),
                        server_ms(selects),
                        queries,
                        shown,
                    )
                )
    return rows


def main() -> None:
    args = parse_args()
    setup_django(args.database_url)
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection, transaction

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    rows = []
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off; SET LOCAL random_page_cost = 1.1")
            if "api_apitoken" not in connection.introspection.table_names():
                call_command("migrate", "api", verbosity=0, interactive=False)
            from schools.models import SchoolRisk

            if not SchoolRisk.objects.exists():
                with connection.cursor() as cursor:
                    cursor.execute(FILL_RISKS)
                    print(f"Профили рисков: {cursor.rowcount} строк (на время замера).")
                    cursor.execute("ANALYZE schools_schoolrisk")
            from schools.models import DevelopmentDocument, SchoolCurator

            if not DevelopmentDocument.objects.exists():
                with connection.cursor() as cursor:
                    cursor.execute(FILL_DOCUMENTS)
                    cursor.execute("ANALYZE schools_developmentdocument")
                    cursor.execute("ANALYZE schools_documentstatuschange")
                    print(
                        f"Документы развития: {DevelopmentDocument.objects.count()} (на время замера)."
                    )
            if not SchoolCurator.objects.exists():
                with connection.cursor() as cursor:
                    cursor.execute(FILL_CURATORS)
                    print(f"Кураторы школ: {cursor.rowcount} строк (на время замера).")
                    cursor.execute("ANALYZE schools_schoolcurator")
            rows = measure(args.requests)
            raise RolledBack
    except RolledBack:
        pass

    print(f"API: каждый список отдельно, {args.requests} запросов подряд, страница по умолчанию")
    print()
    print(
        "| токен | запрос | p50, мс | p95, мс | CPU процесса p50, мс | SQL на сервере, мс "
        "| запросов к базе | строк |"
    )
    print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    for label, url, p50, p95_ms, cpu, server, queries, shown in rows:
        print(
            f"| {label} | `{url}` | {p50:.0f} | {p95_ms:.0f} | {cpu:.0f} | {server:.1f} "
            f"| {queries} | {shown} |"
        )
    worst = max((row[3] for row in rows), default=0)
    met = "да" if worst <= GOAL_MS else "НЕТ"
    print()
    print(f"Цель p95 ≤ {GOAL_MS} мс для каждого списка: {met} (худший p95 {worst:.0f} мс).")
    print(f"Нагрузка машины (load average за 1, 5, 15 мин): {os.getloadavg()}.")


if __name__ == "__main__":
    main()
