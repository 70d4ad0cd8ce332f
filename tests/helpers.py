"""Small helpers shared by tests."""

import os
from contextlib import contextmanager

from django.db import connection, transaction

from networks.pagecache import is_bump


def own(callbacks: list) -> list:
    """The on-commit callbacks a service registered, without the page cache's generation bumps
    (networks/pagecache.py registers one per table a transaction writes)."""
    return [c for c in callbacks if not is_bump(c)]


def process_env(**extra: str) -> dict[str, str]:
    """The environment of a process a test starts (a Celery worker, manage.py) that must share the
    test's PostgreSQL database."""
    db = connection.settings_dict
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": (
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
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
