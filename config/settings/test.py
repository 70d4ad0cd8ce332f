"""Tests: SQLite by default; CI points DATABASE_URL and CELERY_BROKER_URL at PostgreSQL and Redis."""

import os
from urllib.parse import urlsplit

from .local import *  # noqa: F403
from .local import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# A Celery worker started by a test is another process: it writes its mail into files there.
if env.str("TEST_EMAIL_FILE_PATH", default=""):
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = env.str("TEST_EMAIL_FILE_PATH")
# The outbox is off for the suite (it reads mail.outbox); tests/outbox/ switch it on and deliver here.
OUTBOX_DELIVERY_BACKEND = EMAIL_BACKEND
# A test's commits need not survive a crash of the database server: PostgreSQL answers a commit
# without waiting for its WAL to reach the disk (the live-server tests commit every request).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c synchronous_commit=off"  # noqa: F405
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="memory://")
# `make test` runs the suite in pytest-xdist workers (gw0, gw1…): each gets a Redis database of its
# own for the broker, so a Celery worker one test starts never takes another worker's messages.
# A process a test starts inherits PYTEST_XDIST_WORKER and so reads the same database.
_XDIST_WORKER = env.str("PYTEST_XDIST_WORKER", default="")
if CELERY_BROKER_URL.startswith("redis://") and _XDIST_WORKER.startswith("gw"):
    CELERY_BROKER_URL = (
        urlsplit(CELERY_BROKER_URL)._replace(path=f"/{2 + int(_XDIST_WORKER[2:])}").geturl()
    )
    # Celery reads the CELERY_BROKER_URL variable before its setting (celery.app.utils.Settings.
    # broker_url), so the variable, which CI sets for the whole run, must say the same.
    os.environ["CELERY_BROKER_URL"] = CELERY_BROKER_URL
CELERY_BROKER_TRANSPORT_OPTIONS = {}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Throttling has its own tests that switch it on; elsewhere many sign-ins happen on purpose.
AXES_ENABLED = False

# The cache in this process's memory; TEST_CACHE_URL lets a process started by a test share Redis
# with it.
CACHES = {"default": env.cache_url("TEST_CACHE_URL", default="locmemcache://")}
CACHES["default"]["KEY_PREFIX"] = "portal-test"
