"""Recomputes the summary's kept figures (reporting.counters) from the base tables.

manage.py recount_figures              # every known school year
manage.py recount_figures --year 2026  # one school year (its first calendar year)
manage.py recount_figures --check      # write nothing: list the differences, exit 1 if any
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from networks.schoolyear import SchoolYear
from reporting import counters


class Command(BaseCommand):
    help = "Пересчитывает показатели структур для сводного отчёта по исходным таблицам."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, action="append", help="начальный год учебного года")
        parser.add_argument(
            "--check", action="store_true", help="только сравнить, ничего не записывая"
        )

    def handle(self, *args, year=None, check=False, **options):
        years = [SchoolYear(y) for y in year] if year else None
        started = time.monotonic()
        if check:
            found = counters.differences(years)
            for pk, start, name, kept, counted in found[:200]:
                self.stdout.write(
                    f"структура {pk}, {SchoolYear(start).label}: {name} = {kept}, по данным {counted}"
                )
            if found:
                raise CommandError(f"Расхождений: {len(found)}.")
            self.stdout.write(f"Расхождений нет ({time.monotonic() - started:.1f} с).")
            return
        written = counters.recount(years)
        self.stdout.write(
            f"Пересчитано строк показателей: {written} ({time.monotonic() - started:.1f} с)."
        )
