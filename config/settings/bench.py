"""`make bench` (devdata/bench/bench.py): production settings on plain HTTP on the loopback.

Everything production does stays (DEBUG off, PostgreSQL with persistent connections, whitenoise
with the manifest of collected files, the same middleware); what a benchmark on 127.0.0.1 cannot
have is replaced: no TLS redirect or secure-only cookies, a throwaway secret, an in-memory broker
and e-mail. The floor views of the benchmark are reachable only here (devdata/bench/urls.py).
"""

import os

# Production refuses to start without these; the benchmark has no secrets to protect. setdefault:
# the bench script passes DATABASE_URL (BENCH_DATABASE_URL) and DJANGO_STATIC_ROOT itself.
for _name, _value in {
    "DJANGO_SECRET_KEY": "bench-only-not-a-secret-bench-only-not-a-secret-bench-only-0000",
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
    "SITE_URL": "http://127.0.0.1:8000",
    "DATABASE_URL": "postgres://portal_ci:portal_ci@127.0.0.1:5432/scale_dev",
    "CELERY_BROKER_URL": "memory://",
    "CACHE_URL": "redis://127.0.0.1:6379/1",
    "EMAIL_URL": "dummymail://",
    "DJANGO_SECURE_SSL_REDIRECT": "False",
    "DJANGO_SECURE_HSTS_SECONDS": "0",
    "ACCOUNT_DEFAULT_HTTP_PROTOCOL": "http",
    "AXES_PROXY_COUNT": "0",
}.items():
    os.environ.setdefault(_name, _value)

from .production import *  # noqa: E402, F403

INSTALLED_APPS = [*INSTALLED_APPS, "devdata"]  # noqa: F405
ROOT_URLCONF = "devdata.bench.urls"
# No worker runs in the benchmark: /healthz (which bench.py waits for) does not ask for its heartbeat.
WORKER_HEARTBEAT_MAX_AGE = None
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# An access line per request would cost the gunicorn workers more than some of the pages.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
