"""`manage.py load_demo`: fills the database with the demo data; `make run` calls it on each start.

It lives in devdata, above every domain app, because the year's content touches every app; the
structures and people come first (devdata.demo), then the year (devdata.demo.year)."""

from __future__ import annotations

import time
from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from communities.models import PollVote, PollVoter
from devdata.demo import DEMO_PASSWORD, LoadResult, load_demo
from devdata.demo.year import YearResult, load_year

PORTAL_URL = "http://127.0.0.1:8000"
# Models without a Russian verbose name of their own.
NAMES = {PollVoter: "проголосовавшие в опросах", PollVote: "выбранные варианты ответа"}


def _counts(counter: Counter) -> str:
    if not counter:
        return "ничего"
    # In the order of loading: territory first, memberships, then the year's content.
    return ", ".join(
        f"{NAMES.get(model, model._meta.verbose_name_plural)} — {n}" for model, n in counter.items()
    )


class Command(BaseCommand):
    help = (
        "Загружает демонстрационные данные: сетевые структуры пяти приказов (S1–S8), их приказы, "
        "организации, территории и участников, а также учебный год: планы, заседания и протоколы, "
        "материалы, сетевые пары и анкеты, сроки и отчёты. Повторный запуск ничего не меняет."
    )

    def handle(self, *args, **options) -> None:
        started = time.monotonic()
        # One transaction, and the summary's kept figures recounted once, by load_year() at its
        # end, from the rows of both: each loader recounting every school year cost ~0.25 s of
        # CPU twice per run, a fifth of a run that changes nothing.
        with transaction.atomic():
            result = load_demo(recount=False)
            year = load_year()
        self._report(result, year, time.monotonic() - started)

    def _report(self, result: LoadResult, year: YearResult, seconds: float) -> None:
        write = self.stdout.write
        write(self.style.SUCCESS(f"Демонстрационные данные загружены за {seconds:.1f} с."))
        created = Counter(result.created)
        created.update(year.created)
        write(f"Создано: {_counts(created)}.")
        write(f"Изменено: {_counts(result.updated)}.")
        kinds = ", ".join(f"{code} — {n}" for code, n in sorted(result.structures_by_kind.items()))
        write(f"Структуры по видам: {kinds}.")
        for name in result.closed:
            write(f"Прекратила деятельность по истечении срока: {name}.")
        write(
            f"Учебный год в демо-данных: {year.year.label} (и прошлый, {year.last.label}): "
            "планы, заседания и протоколы, материалы, сетевые пары и анкеты, сроки и отчёты."
        )
        # None of the demo logins is staff: the admin is for superusers only (issue 15).
        write(
            f"Администрирование ({PORTAL_URL}/{settings.ADMIN_URL}) — только для суперпользователя: "
            ".venv/bin/python manage.py createsuperuser"
        )
        # The logins come last so that they stay readable at the bottom of `make run`'s output.
        write("")
        write(f"Демо-входы (пароль у всех один: {DEMO_PASSWORD}):")
        for who, email in result.logins:
            write(f"  {who}: {email}")
        write(f"Портал: {PORTAL_URL}")
