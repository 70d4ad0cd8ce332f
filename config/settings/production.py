"""Production: PostgreSQL, Redis, SMTP, gunicorn behind a TLS proxy.

Every secret is required: a missing one stops the start with ImproperlyConfigured rather than
falling back to something unsafe. Passes `manage.py check --deploy` without warnings.
"""

from whitenoise.compress import Compressor

from .base import *  # noqa: F403
from .base import email_config, env

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
# Links in mails (invitations and their answer links, reminders) and calendar feeds are absolute:
# without the portal's real address they would point at 127.0.0.1:8000.
SITE_URL = env.str("SITE_URL").rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high, and at national scale the
    # pages' aggregates cross that estimate while running in milliseconds: the compilation took
    # 300 ms of a 320 ms query (docs/PERFORMANCE.md). A web portal's queries are short: no JIT.
    # random_page_cost 1.1 instead of 4 (a spinning disk's): on SSD, reading through an index is
    # nearly as cheap as reading in sequence, and with 4 the planner read every membership of the
    # country for a region's 1,600 structures (the summary 137 → 94 ms of SQL). DATABASE_OPTIONS
    # replaces both, for a server tuned on its own.
    _options = env.str("DATABASE_OPTIONS", default="-c jit=off -c random_page_cost=1.1")
    if _options:
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", _options)
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL")
# Shared by gunicorn's processes and the Celery worker (Redis, another database than the broker's).
CACHES = {"default": env.cache_url("CACHE_URL")}
CACHES["default"].setdefault("KEY_PREFIX", "portal")
# A Redis that stops answering (rather than refusing) must not hang a page: every cache call gives
# up after CACHE_TIMEOUT_SECONDS, and its callers treat that as a miss (sign-in's rate limiter, shared
# data) or report it (/healthz).
if CACHES["default"]["BACKEND"].endswith("RedisCache"):
    _timeout = env.float("CACHE_TIMEOUT_SECONDS", default=1.0)
    CACHES["default"].setdefault("OPTIONS", {}).update(
        socket_connect_timeout=_timeout, socket_timeout=_timeout
    )
    # Issue 19: a page finds its session in Redis rather than in PostgreSQL (config/sessions.py;
    # the row stays the record, and a cache that fails is a miss).
    SESSION_ENGINE = "config.sessions"
    SESSION_CACHE_SECONDS = env.int("SESSION_CACHE_SECONDS", default=300)
CELERY_BROKER_TRANSPORT_OPTIONS = {}
EMAIL_CONFIG = email_config(env.str("EMAIL_URL"))
vars().update(EMAIL_CONFIG)
# EMAIL_URL's backend delivers; the pages write into the outbox (see base.py).
OUTBOX_DELIVERY_BACKEND = EMAIL_BACKEND  # noqa: F405
EMAIL_BACKEND = "outbox.backends.OutboxBackend"

# gunicorn serves the collected static files itself (no CDN: users sit in closed school networks).
MIDDLEWARE = [
    MIDDLEWARE[0],  # noqa: F405  SecurityMiddleware first
    "whitenoise.middleware.WhiteNoiseMiddleware",
    *MIDDLEWARE[1:],  # noqa: F405
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# collectstatic (the image's build step) keeps only the hashed names, which every page asks for
# through the manifest, and compresses them only: compressing the plain copies too doubled the
# work. Source maps, fetched by nobody but a developer's browser tools, stay uncompressed (1.5 of
# the 4.6 MB). Measured: 1.8 → 1.4 CPU-s with gzip alone (the image, CI); 14.9 → 5.9 CPU-s where
# the Brotli package is installed too (only the bench extra brings it), whitenoise then adding .br.
WHITENOISE_KEEP_ONLY_HASHED_FILES = True
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "map"]

# TLS ends at the proxy in front of gunicorn, which must set X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Links in e-mails (confirmation, password reset, invitations) must be https.
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="https")
# Sign-in throttling (allauth and django-axes) must count per client, not per proxy: one TLS proxy
# in front of gunicorn by default, whose X-Forwarded-For entry is the client (base.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=1))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
