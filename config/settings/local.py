"""The embedded default: SQLite, a broker without a server, e-mail into var/mail. `make run` uses it."""

from .base import *  # noqa: F403
from .base import env

# Off by default, so that `make run` shows the portal's own 404 and 500 pages, as production does,
# rather than Django's English debug page listing every URL; DJANGO_DEBUG=True in .env switches it
# on. Static files are served all the same: Procfile.dev runs `runserver --insecure`.
DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = SECRET_KEY or "local-only-key-not-for-production-5d1f0c7e9b2a4e6f8a3c"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]  # noqa: F405

# Developer tooling (demo data, the scale generator, the benchmark): never in production.
INSTALLED_APPS = [*INSTALLED_APPS, "devdata"]  # noqa: F405
