"""Benchmark: the search box at national scale (issue 20, «Find anything»: ≤ 100 ms).

    .venv/bin/python devdata/bench/bench_search.py                  # scale_dev (generate_scale)
    .venv/bin/python devdata/bench/bench_search.py --people 100 --database-url postgres://…

Many different people — the four sign-ins of generate_scale (the region's coordinator and methodist,
a curator, a director) and `--people` members of structures and territory roles picked evenly by id
across the country — each ask /search/ once for each of the inflected queries below (Russian word
forms the `russian` full-text configuration must fold: «наставничеству», «школами»…), in a shuffled
order, one request at a time, after a warm-up; Django's test client, DEBUG off, the connection
options production sets (jit off, random_page_cost 1.1). Per query and over all: p50, p95, the most
queries one request ran. Nothing is written.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from standalone import setup_django

DEFAULT_URL = "postgres://portal_ci:portal_ci@127.0.0.1:5432/scale_dev"
QUERIES = (
    "наставничеству",
    "школами",
    "методическому объединению",
    "математике",
    "семинаре",
    "Иванова",
)
GOAL_MS = 100


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--people", type=int, default=200)
    return parser.parse_args()


def people(count: int) -> list:
    from networks.models import Membership, TerritoryRole, User

    fixed = list(
        User.objects.filter(
            email__in=[
                "koordinator@scale.example.ru",
                "metodist@scale.example.ru",
                "kurator@scale.example.ru",
                "direktor@scale.example.ru",
            ]
        )
    )
    ids = sorted(
        set(Membership.objects.current().values_list("user_id", flat=True).distinct()[:50000])
        | set(TerritoryRole.objects.values_list("user_id", flat=True))
    )
    step = max(1, len(ids) // max(1, count))
    picked = User.objects.filter(pk__in=ids[::step][:count], is_active=True)
    return fixed + list(picked)


def main() -> None:
    args = parse_args()
    setup_django(args.database_url)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["*"]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET jit = off; SET random_page_cost = 1.1")

    persons = people(args.people)
    client = Client()
    client.force_login(persons[0])
    for query in QUERIES:  # warm-up: templates, translations, PostgreSQL's caches
        client.get("/search/", {"q": query})

    asks = [(person, query) for person in persons for query in QUERIES]
    random.Random(2026).shuffle(asks)
    times: dict[str, list[float]] = {q: [] for q in QUERIES}
    most_queries = 0
    for person, query in asks:
        client.force_login(person)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get("/search/", {"q": query})
            elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        times[query].append(elapsed)
        # Sign-in's own queries (session, user) are part of the page as people get it.
        most_queries = max(most_queries, len(captured))

    def p95(values: list[float]) -> float:
        return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]

    print(f"Поиск: {len(persons)} человек × {len(QUERIES)} запросов, по одному запросу подряд")
    print()
    print("| запрос | p50, мс | p95, мс |")
    print("| --- | ---: | ---: |")
    for query, values in times.items():
        print(f"| «{query}» | {statistics.median(values):.0f} | {p95(values):.0f} |")
    every = [t for values in times.values() for t in values]
    met = "да" if p95(every) <= GOAL_MS else "НЕТ"
    print(f"| **все** | **{statistics.median(every):.0f}** | **{p95(every):.0f}** |")
    print()
    print(
        f"Цель p95 ≤ {GOAL_MS} мс: {met}. Больше всего запросов к базе за страницу: {most_queries}."
    )


if __name__ == "__main__":
    main()
