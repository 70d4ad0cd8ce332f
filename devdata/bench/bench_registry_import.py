"""Benchmark: import a registry of 40,000 schools with their statuses (networks.registry).

    .venv/bin/python devdata/bench/bench_registry_import.py                 # a temporary SQLite file
    .venv/bin/python devdata/bench/bench_registry_import.py --lines 40000 --database-url postgres://…

The issue's bar: 40,000 rows in under 60 s. The script migrates a database of its own, creates a
region with its municipalities and its ministry, writes a deterministic CSV (Windows-1251, «;»):
one school per line with its municipality, names, kind, ИНН, address, status, school year and
order, then times, as the coordinator would go through them:

1. the preview (read the file, compare with the database) and the confirmation (read it again,
   compare again, write everything in one transaction) of the new registry;
2. the same file again: the preview finds everything unchanged, applying creates nothing;
3. the status list of the next school year for the same schools (statuses only, by ИНН).

Each step prints its seconds and the number of queries. Give --database-url a database of its
own: the script refuses one that already has organisations in the benchmark's region.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time

from standalone import setup_django

REGION_CODE = "B98"
REGION_NAME = "Область для замеров загрузки реестра"
MUNICIPALITIES = 100


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--lines", type=int, default=40_000)
    return parser.parse_args()


def inn(n: int) -> str:
    from networks.validators import _INN10, _check_digit

    body = f"98{n:07d}"
    return body + str(_check_digit(body, _INN10))


def build():
    from networks.models import Municipality, Organisation, OrganisationKind, Region

    region, _created = Region.objects.get_or_create(
        code=REGION_CODE, defaults={"name": REGION_NAME}
    )
    if Organisation.objects.filter(region=region).exists():
        sys.exit("The benchmark's region already has organisations: give it a fresh database.")
    Municipality.objects.bulk_create(
        [
            Municipality(region=region, name=f"Муниципальный район № {m}")
            for m in range(MUNICIPALITIES)
        ]
    )
    ministry = Organisation.objects.create(
        region=region,
        kind=OrganisationKind.AUTHORITY,
        full_name="Министерство образования области для замеров",
        short_name="Минобразования",
        inn=inn(9_999_999),
    )
    return region, ministry


STATUSES = ("ШНОР", "ШССУ", "школа-лидер")


def registry_csv(lines: int) -> bytes:
    rows = [
        "Муниципальное образование;Полное наименование;Краткое наименование;Тип;ИНН;Адрес;"
        "Статус;Учебный год;Приказ"
    ]
    for n in range(lines):
        rows.append(
            ";".join(
                [
                    f"Муниципальный район № {n % MUNICIPALITIES}",
                    "Муниципальное бюджетное общеобразовательное учреждение "
                    f"«Средняя общеобразовательная школа № {n}»",
                    f"МБОУ СОШ № {n}",
                    "школа",
                    inn(n),
                    f"{n % 999 + 100000}, с. Школьное, ул. Центральная, д. {n % 200 + 1}",
                    STATUSES[n % 3],
                    "2020/2021",
                    "№ 640 от 28.05.2020",
                ]
            )
        )
    return ("\r\n".join(rows) + "\r\n").encode("cp1251")


def next_year_csv(lines: int) -> bytes:
    rows = ["ИНН;Статус;Учебный год;Приказ"]
    for n in range(lines):
        rows.append(f"{inn(n)};{STATUSES[(n + 1) % 3]};2021/2022;№ 77 от 30.05.2021")
    return ("\r\n".join(rows) + "\r\n").encode("utf-8-sig")


def timed(label: str, function, results: list):
    """Seconds and queries of one step. Queries are counted by a wrapper, not by Django's debug
    cursor, which would format every 999-parameter INSERT as text and slow the step itself."""
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
    results.append((label, seconds, count))
    return value


def run(lines: int) -> list:
    from networks.models import Organisation, OrganisationStatus
    from networks.registry import services

    region, ministry = build()
    options = {
        "new_order": {
            "kind": "prikaz",
            "number": "640",
            "date": "2020-05-28",
            "title": "Об утверждении перечня ШНОР, ШССУ и школ-лидеров",
            "issuer_id": ministry.pk,
        }
    }
    results: list = []
    steps = [
        ("новый реестр", registry_csv(lines), options),
        ("тот же файл ещё раз", registry_csv(lines), options),
        ("статусы на следующий год", next_year_csv(lines), options),
    ]
    for label, data, choice in steps:
        staged = timed(
            f"{label}: проверка",
            lambda data=data, choice=choice: services.registry_import_stage(
                region=region, data=data, filename="реестр.csv", by=None, options=choice
            ),
            results,
        )
        applied = timed(
            f"{label}: загрузка",
            lambda staged=staged: services.registry_import_confirm(
                registry_import=staged, by=None, run_now=True
            ),
            results,
        )
        assert applied.status == "applied", applied.error
        print(
            f"  {label}: создано {applied.created_count}, изменено {applied.updated_count}, "
            f"без изменений {applied.unchanged_count}, ошибок {applied.error_count}"
        )
    print(
        f"  в базе: организаций {Organisation.objects.filter(region=region).count()}, "
        f"статусов {OrganisationStatus.objects.filter(organisation__region=region).count()}"
    )
    return results


def main() -> None:
    args = parse_args()
    workdir = None
    database_url = args.database_url
    if not database_url:
        workdir = tempfile.mkdtemp(prefix="bench-registry-")
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    try:
        setup_django(database_url)
        from django.db import connection

        print(f"База: {connection.vendor}; строк в файле: {args.lines}")
        results = run(args.lines)
        print()
        print(f"{'шаг':<40} {'секунд':>8} {'запросов':>9}")
        for label, seconds, queries in results:
            print(f"{label:<40} {seconds:>8.2f} {queries:>9}")
        first = results[0][1] + results[1][1]
        print(f"\nИмпорт {args.lines} строк (проверка + загрузка): {first:.1f} с (цель: < 60 с)")
    finally:
        if workdir:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
