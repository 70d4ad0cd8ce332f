"""Settings shared by every way the portal runs.

The environment is read here and only here (django-environ, one `.env`). `local.py` is the embedded
default a new user gets from `make run`; `production.py` refuses to start without its secrets.
"""

import os
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])


def admin_url(value: str) -> str:
    """The admin's path prefix as config/urls.py wants it: no leading slash, one trailing slash;
    empty means the default."""
    return (value.strip().strip("/") or "admin") + "/"


# Where the Django admin (superusers only) lives: an operator may move it off the well-known
# /admin/ that scanners try first (issue 15).
ADMIN_URL = admin_url(env.str("DJANGO_ADMIN_URL", default="admin/"))

INSTALLED_APPS = [
    # django.contrib.admin with config.admin_site.PortalAdminSite: superusers only (issue 15).
    "config.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_filters",
    "allauth",
    "allauth.account",
    "axes",
    "simple_history",
    "rest_framework",
    "drf_spectacular",
    # Ours, in the order of the arrows: api → schools → reporting → mentoring → communities →
    # documents → networks → outbox.
    "outbox",
    "networks",
    "documents",
    "communities",
    "mentoring",
    "reporting",
    "schools",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # LocaleMiddleware without Accept-Language: Russian unless English is picked in the footer.
    "config.locale.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A NUL byte in the path, query string or form fields: a Russian 400 page (config/nul.py).
    "config.nul.RefuseNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # The Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by authentication into its page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "reporting.context_processors.unread_notices",
                "networks.account.vision.vision",
            ],
        },
    },
]

DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web process read while the Celery worker writes.
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].setdefault(
        "init_command", "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "networks.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses to authenticate while an address or IP is locked out after failed sign-ins.
    "axes.backends.AxesStandaloneBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# Registration, e-mail confirmation, password reset and change: django-allauth.
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 3
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# The sign-in, sign-up and reset pages never tell whether an address is registered.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_FORMS = {"login": "networks.forms.LoginForm", "signup": "networks.account.forms.SignupForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Портал ШНОР] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env.str("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")

# The proxies in front of gunicorn that the portal trusts (TLS proxy: 1 in production). One number
# read once, for allauth's rate limits and django-axes alike: the client's address is the entry that
# many places from the end of X-Forwarded-For (what each trusted proxy appended), never an entry the
# client wrote itself. 0: gunicorn is reached directly and X-Forwarded-For is ignored. AXES_PROXY_COUNT
# is its older name. TRUSTED_CLIENT_IP_HEADER instead names a header the proxy sets (X-Real-IP).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=env.int("AXES_PROXY_COUNT", default=0))
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("TRUSTED_CLIENT_IP_HEADER", default="") or None
# allauth's limits stay per address, except failed sign-ins counted per account ("5/5m/key" by
# default): five wrong passwords from anywhere would lock the person out for everyone, again and
# again. The account is protected by django-axes per account *and* address instead.
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip"}

# Repeated failed sign-ins: django-axes keeps the attempts in the database, so every gunicorn
# process sees them. The key is the address together with the IP.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours
# Per account and address together: failures from one address lock that address out of that account
# only, so neither an attacker nor a crowd behind one proxy locks the person out everywhere; a
# successful password reset clears the account's attempts (networks.auth).
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "networks.auth.axes_username"
# The address allauth sees (ALLAUTH_TRUSTED_PROXY_COUNT above), so the two never disagree.
AXES_CLIENT_IP_CALLABLE = "networks.auth.client_ip"
# The lock-out page (account/lockout.html) says in minutes when to try again.
AXES_LOCKOUT_CALLABLE = "networks.auth.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    # Django's 20,000 common passwords with Russian ones added (networks/passwords/), also when
    # only digits or signs are added around them («Пароль123»).
    {"NAME": "networks.passwords.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not the person's own name, organisation or its place.
    {"NAME": "networks.passwords.PersonalDataValidator"},
]
# Django's page for a refused form names DEBUG in English; ours says what to do, in Russian.
CSRF_FAILURE_VIEW = "config.errors.csrf_failure"

# Russian first, English available. Message ids are Russian, so the Russian UI never depends on a
# compiled catalogue; locale/en holds the English one.
LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Русский")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Europe/Moscow"
# ДД.ММ.ГГГГ everywhere (see config/formats/ru/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=VAR_DIR / "staticfiles")
# Uploaded files live outside static/ and are served by views that check access, never directly.
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
FILE_UPLOAD_MAX_MB = env.int("FILE_UPLOAD_MAX_MB", default=20)
# An uploaded XLSX book (a zip archive) is refused before it is parsed when it would unpack to more
# than this many MB, when a member over 1 MB unpacks to more than RATIO times its packed size, or
# when it has more members (networks/tables.py; issue 15: a 146 KB book of 56 MiB — its ratio
# stops it). 200 MB admits the registry's largest allowed file: 100,000 lines saved by a
# spreadsheet program unpack to about 184 MB. The group statistics import sets its own, lower cap.
UPLOAD_XLSX_MAX_UNPACKED_MB = env.int("UPLOAD_XLSX_MAX_UNPACKED_MB", default=200)
UPLOAD_XLSX_MAX_RATIO = env.int("UPLOAD_XLSX_MAX_RATIO", default=100)
UPLOAD_XLSX_MAX_MEMBERS = env.int("UPLOAD_XLSX_MAX_MEMBERS", default=1000)
# Seconds a registry import may run in the worker before it is stopped and marked failed (soft),
# and killed (hard) if it does not stop.
REGISTRY_IMPORT_SOFT_TIME_LIMIT = env.int("REGISTRY_IMPORT_SOFT_TIME_LIMIT", default=600)
# Seconds the worker may read an uploaded file for its preview (the registry, a group's statistics)
# before the reading is stopped and marked failed (soft), and killed (hard) if it does not stop.
# Memory is bounded by the checks before parsing (size, unpacked size and ratio, rows and cells)
# and by CELERY_WORKER_MAX_MEMORY_PER_CHILD, not by an rlimit inside a shared worker process.
IMPORT_PARSE_SOFT_SECONDS = env.int("IMPORT_PARSE_SOFT_SECONDS", default=300)
IMPORT_PARSE_HARD_SECONDS = env.int("IMPORT_PARSE_HARD_SECONDS", default=360)
# Minutes after which an import still «Читается» or «Загружается» is taken for lost (its worker was
# killed by the hard limit or crashed) and marked failed by the sweep; never less than the hard
# limits above plus a minute.
IMPORT_STUCK_MINUTES = env.int("IMPORT_STUCK_MINUTES", default=30)

# Sign-in's rate limits and data cached for many people (invalidated by the process that writes)
# live here: in production Redis, shared by every process (networks/checks.py refuses anything else).
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
CACHES["default"].setdefault("KEY_PREFIX", "portal")

# Content-Security-Policy (django-csp), the same in every settings module, so the browser tests run
# with it: scripts, styles, images, fonts and requests from the portal itself and nothing else (no
# CDN, no external host). No inline script, no event-handler attribute, no eval: a script is a file
# in static/js/. No inline style either, neither <style> nor style="…" (a width the server computes
# is a class or is set by the page's script; Bootstrap's JS sets styles through CSSOM, which CSP
# allows). Images may also be data: URIs, because Bootstrap's CSS draws its small icons (the menu
# button, a select's arrow, a checkbox's tick) that way. Never framed, forms post to the portal.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"


def email_config(url: str) -> dict:
    """django-environ's reading of an EMAIL_URL, with the path of `filemail://` kept whole.

    django-environ drops the leading slash of `filemail:///abs/path` (and the first part of a
    relative `filemail://var/mail`), so mail went to `<cwd>/abs/path`. Here the path is everything
    after `filemail://`: absolute as written, relative to the repository (not to the directory a
    process happens to start in).
    """
    config = env.email_url_config(url)
    scheme, _sep, rest = url.partition("://")
    if scheme == "filemail":
        path = Path(rest.split("?", 1)[0])
        config["EMAIL_FILE_PATH"] = str(path if path.is_absolute() else BASE_DIR / path)
    return config


EMAIL_CONFIG = email_config(env.str("EMAIL_URL", default="filemail://" + str(VAR_DIR / "mail")))
vars().update(EMAIL_CONFIG)
# Mail goes into the database outbox in the transaction of the write that causes it, and the worker
# delivers it through EMAIL_URL's backend with retries (outbox/): a dead SMTP server or broker
# neither fails the page nor loses the mail. test.py keeps locmem for the suite.
OUTBOX_DELIVERY_BACKEND = EMAIL_BACKEND  # noqa: F821 — set by EMAIL_CONFIG above
EMAIL_BACKEND = "outbox.backends.OutboxBackend"
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=10)
OUTBOX_RETRY_SECONDS = env.int("OUTBOX_RETRY_SECONDS", default=60)  # doubled per attempt
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Портал ШНОР <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery. The embedded default is kombu's filesystem transport: no server to install, and the web,
# worker and beat processes share it through var/broker.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
CELERY_BROKER_TRANSPORT_OPTIONS = {}
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        # kombu would otherwise create ./control wherever a process starts.
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A worker process that grew beyond this (KB) by a task (a big registry file) is replaced after it.
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD", default=512_000)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Worker processes: twice the cores this process may run on, at most 8, by default. The bulk
# tasks (reminders, digests, the outbox's SMTP batches) wait on PostgreSQL and the mail server as
# much as they compute; the national sweep finished ≈ 25 % sooner with 4 processes than with 2 on
# two cores (docs/PERFORMANCE.md). The cap: a container may see all of a big host's cores, and
# each process takes ≈ 180 MB.
_CORES = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
CELERY_WORKER_CONCURRENCY = env.int("CELERY_WORKER_CONCURRENCY", default=min(2 * _CORES, 8))
CELERY_BEAT_SCHEDULE = {
    # R-PRI-4.4: an internship site stops when its term ends; nobody should have to remember.
    "close-structures-at-term-end": {
        "task": "networks.tasks.close_structures_at_term_end",
        "schedule": 60 * 60,
    },
    # Issue 16: orders about structures recorded before their day take effect on that day. Hourly
    # (the task applies only what is due, once), so the day's changes come soon after midnight.
    "apply-due-structure-acts": {
        "task": "networks.tasks.apply_due_structure_acts",
        "schedule": 60 * 60,
    },
    # The deadlines of the school year, for structures created since yesterday too.
    "instantiate-deadlines": {
        "task": "reporting.tasks.instantiate_deadlines",
        "schedule": 6 * 60 * 60,
    },
    # Hourly, so that 09:00 comes in every region's time zone; what is claimed is sent once.
    "reminder-sweep": {"task": "reporting.tasks.reminder_sweep", "schedule": 60 * 60},
    # Old export files and registry uploads nobody confirmed: not kept longer than needed.
    "clean-up-exports": {
        "task": "reporting.summaries.tasks.exports_clean_up",
        "schedule": 24 * 60 * 60,
    },
    # Every ten minutes: it also fails imports left «Читается» or «Загружается» by a killed worker.
    "clean-up-staged-registry-imports": {
        "task": "networks.tasks.registry_imports_clean_up",
        "schedule": 10 * 60,
    },
    "sweep-order-imports": {
        "task": "communities.orderimport.tasks.order_imports_sweep",
        "schedule": 10 * 60,
    },
    "clean-up-group-statistics-imports": {
        "task": "mentoring.tasks.statistics_imports_clean_up",
        "schedule": 10 * 60,
    },
    # Invitations to a long list whose task never reached the broker (issue 17).
    "event-announcements-sweep": {
        "task": "communities.tasks.event_announcements_sweep",
        "schedule": 60,
    },
    # Announcements to a long list whose task never reached the broker (issue 17).
    "announcements-sweep": {"task": "communities.tasks.announcements_sweep", "schedule": 60},
    # Daily and weekly digests from 08:00 in each person's region (issue 17).
    "notification-digests": {"task": "reporting.tasks.notification_digests", "schedule": 15 * 60},
    # Mail whose task never reached the broker, and the retries of mail the server refused.
    "outbox-sweep": {"task": "outbox.tasks.outbox_sweep", "schedule": 60},
    # /healthz reports the worker stale when this is older than WORKER_HEARTBEAT_MAX_AGE.
    "worker-heartbeat": {"task": "outbox.tasks.worker_heartbeat", "schedule": 60},
}
# Seconds since the worker's last heartbeat after which /healthz answers 503 ("worker": stale);
# None: not checked (the benchmark runs no worker). Minutes a queued job may wait before its page
# says that no worker may be running.
WORKER_HEARTBEAT_MAX_AGE = env.int("WORKER_HEARTBEAT_MAX_AGE", default=180)
QUEUE_WAIT_WARNING_MINUTES = env.int("QUEUE_WAIT_WARNING_MINUTES", default=5)
# Days an export (its file) is kept for download, and a registry upload waits for confirmation.
EXPORT_KEEP_DAYS = env.int("EXPORT_KEEP_DAYS", default=7)
REGISTRY_STAGED_KEEP_DAYS = env.int("REGISTRY_STAGED_KEEP_DAYS", default=14)

# The portal's address for links in e-mails sent outside a request (reminders from Celery).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

# The open API for regional systems (issue 21, api/): a token in `Authorization: Bearer`, never a
# session; per-token rate limits counted in the default cache (CACHE_URL: shared by every process);
# the OpenAPI 3 document at /api/v1/schema/.
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="60/min")
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.authentication.HasApiToken"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"api_token": API_THROTTLE_RATE},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.exceptions.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "API портала сетевых структур ШНОР/ШССУ",
    "DESCRIPTION": (
        "Чтение данных территории для региональных информационных систем: организации и их "
        "статусы по учебным годам, сетевые структуры, приказы, отчёты, сроки. Ключ доступа "
        "выдаёт оператор портала; он открывает данные одного региона или муниципалитета."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_AUTHENTICATION": [],
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "networks.models.OrganisationKind",
        "OrderKindEnum": "networks.models.Order.Kind",
    },
}
