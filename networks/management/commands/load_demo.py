"""`manage.py load_demo`: fills the database with the demo data; `make run` calls it on each start."""

from __future__ import annotations

import time
from collections import Counter

from django.core.management.base import BaseCommand

from networks.demo import DEMO_PASSWORD, LoadResult, load_demo

PORTAL_URL = "http://127.0.0.1:8000"


def _counts(counter: Counter) -> str:
    if not counter:
        return "ничего"
    # In the order of loading: territory first, memberships last.
    return ", ".join(f"{model._meta.verbose_name_plural} — {n}" for model, n in counter.items())


class Command(BaseCommand):
    help = (
        "Загружает демонстрационные данные: сетевые структуры пяти приказов (S1–S8), их приказы, "
        "организации, территории и участников. Повторный запуск ничего не меняет."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        result = load_demo()
        self._report(result, time.monotonic() - started)

    def _report(self, result: LoadResult, seconds: float) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS(f"Демонстрационные данные загружены за {seconds:.1f} с."))
        write(f"Создано: {_counts(result.created)}.")
        write(f"Изменено: {_counts(result.updated)}.")
        kinds = ", ".join(f"{code} — {n}" for code, n in sorted(result.structures_by_kind.items()))
        write(f"Структуры по видам: {kinds}.")
        for name in result.closed:
            write(f"Прекратила деятельность по истечении срока: {name}.")
        # The logins come last so that they stay readable at the bottom of `make run`'s output.
        write("")
        write(f"Демо-входы (пароль у всех один: {DEMO_PASSWORD}):")
        for who, email in result.logins:
            write(f"  {who}: {email}")
        write(f"Портал: {PORTAL_URL}")
