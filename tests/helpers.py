"""Small helpers shared by tests."""

import functools
import io
import os
import time
import tracemalloc
import zipfile
from contextlib import contextmanager
from urllib.parse import quote, urlencode, urlsplit

import pytest
from django.db import connection, transaction


def database_url(name: str | None = None) -> str:
    """The DATABASE_URL of the test's PostgreSQL database (or of database `name` on the same server)
    for a process a test starts: reached as the suite reaches it, by TCP or through the Unix socket
    CI uses (`?host=/var/run/postgresql`, kept in the OPTIONS)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    name = name or db["NAME"]
    options = db.get("OPTIONS", {})
    if options.get("host"):
        socket = {key: options[key] for key in ("host", "port") if options.get(key)}
        return f"postgres://{credentials}@/{name}?{urlencode(socket)}"
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a process a test starts (a Celery worker, manage.py) that must share the
    test's PostgreSQL database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        **extra,
    }


@contextmanager
def rolled_back_at_the_end(django_db_blocker):
    """For a module-scoped fixture that builds a test module's data once: the rows are written
    inside a transaction that is rolled back when the module ends, and each test runs in a
    savepoint of its own inside it (pytest-django's `db`), so what one test changes, the next does
    not see — the way Django's setUpTestData works. Hand each test a `copy.deepcopy` of the built
    objects, so that what one test changes in memory does not leak either."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield
        transaction.set_rollback(True)


@functools.cache
def xlsx_bomb(unpacked_mb: int = 60) -> bytes:
    """A valid workbook whose one sheet unpacks to `unpacked_mb` MB of rows from about 0.2 MB
    (issue 15: a 146 KB book of 56 MiB). Built once per process: deflating takes a second."""
    from openpyxl import Workbook

    source = io.BytesIO()
    book = Workbook()
    book.active.append(["Начало периода", "Конец периода"])
    book.save(source)
    row = b'<row><c t="inlineStr"><is><t>x</t></is></c><c><v>1</v></c></row>' * 10_000
    out = io.BytesIO()
    with (
        zipfile.ZipFile(source) as book_in,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as book_out,
    ):
        for info in book_in.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                book_out.writestr(info, book_in.read(info.filename))
                continue
            with book_out.open(info.filename, "w", force_zip64=True) as sheet:
                sheet.write(
                    b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                    b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
                )
                for _ in range(unpacked_mb * 2**20 // len(row) + 1):
                    sheet.write(row)
                sheet.write(b"</sheetData></worksheet>")
    return out.getvalue()


@contextmanager
def at_most(seconds: float, megabytes: int):
    """Fails the block if it takes more CPU time or allocates more (tracemalloc's peak) than this.

    CPU time of this process, not the wall clock: on a busy CI machine (other xdist workers, a
    browser, `make flake`'s burners) the wall clock measures the neighbours, the CPU time what the
    code did. Parsing the 60 MB book these tests guard against takes a minute of CPU either way."""
    tracemalloc.start()
    started = time.process_time()
    try:
        yield
    finally:
        elapsed = time.process_time() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.2f} s of CPU"
    assert peak < megabytes * 2**20, f"allocated {peak / 2**20:.0f} MB at the peak"


def mentoring_limits_kept() -> None:
    """The regions' mentoring limits read once, as every page after the first finds them in the
    shared cache (mentoring.limits): a test that compares two pages' queries counts both warm."""
    from mentoring.selectors.pairs import settings_by_region

    settings_by_region()


def kept_forgotten() -> None:
    """Every kind of figures the shared cache keeps (networks.kept) read again from the database
    on the next page: a test that compares a page's queries before and after its writes counts
    both the same way, whichever of those writes set a new generation."""
    from networks import kept

    kept.changed_all()


def shared_redis_cache(settings) -> str:
    """The default cache on Redis (database 15 of CELERY_BROKER_URL's server) for a test whose
    second process must share it (pass the address returned as TEST_CACHE_URL); the test's
    PostgreSQL database is shared with it too. Skipped on a laptop without them; in CI (CI=1,
    which starts PostgreSQL and Redis) a missing server fails."""

    for condition, reason in (
        (
            connection.vendor == "postgresql",
            "the second process must read the test's database (PostgreSQL: DATABASE_URL)",
        ),
        (
            settings.CELERY_BROKER_URL.startswith("redis://"),
            "the shared cache is Redis; its address is taken from CELERY_BROKER_URL=redis://…",
        ),
    ):
        if not condition:
            if os.environ.get("CI"):
                pytest.fail(f"CI must run this test: {reason}")
            pytest.skip(reason)
    redis = urlsplit(settings.CELERY_BROKER_URL)._replace(path="/15").geturl()
    settings.CACHES = {
        "default": {
            **settings.CACHES["default"],
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis,
        }
    }
    return redis
