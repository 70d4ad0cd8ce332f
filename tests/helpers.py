"""Small helpers shared by tests."""

import os

from django.db import connection

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
