"""The embedded default (config/settings/local.py, `make run`): the portal's own pages, mail where
README says it is.

Settings are read once per process, so each case reads them in a subprocess with an environment
built from scratch and `.env` reading switched off (a developer's `.env` must not decide the
answer), as tests/test_production_settings.py does.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

_PRINT_SETTINGS = (
    "import json, environ; "
    "environ.Env.read_env = lambda *args, **kwargs: None; "
    "import django; django.setup(); from django.conf import settings; "
    # The backend that writes the mail: behind the outbox when there is one (outbox/).
    "backend = getattr(settings, 'OUTBOX_DELIVERY_BACKEND', settings.EMAIL_BACKEND); "
    "print(json.dumps({'DEBUG': settings.DEBUG, 'EMAIL_BACKEND': backend, "
    "'EMAIL_FILE_PATH': str(getattr(settings, 'EMAIL_FILE_PATH', ''))}))"
)


def settings_of(module: str, cwd: Path, **variables: str) -> dict:
    env = {name: os.environ[name] for name in ("PATH", "HOME", "TMPDIR") if name in os.environ}
    env.update(
        LANG="C.UTF-8",
        PYTHONDONTWRITEBYTECODE="1",
        PYTHONPATH=str(REPO_ROOT),
        DJANGO_SETTINGS_MODULE=module,
        **variables,
    )
    result = subprocess.run(
        [sys.executable, "-c", _PRINT_SETTINGS],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_embedded_default_runs_without_debug(tmp_path):
    # Django's debug 404 page is English and lists every URL of the portal; `make run` shows the
    # portal's own pages instead.
    assert settings_of("config.settings.local", tmp_path)["DEBUG"] is False


def test_a_developer_switches_debug_on_in_dotenv(tmp_path):
    answer = settings_of("config.settings.local", tmp_path, DJANGO_DEBUG="True")

    assert answer["DEBUG"] is True


def test_make_run_serves_static_files_with_debug_off():
    # runserver serves static files only with DEBUG on, unless told --insecure.
    web = next(
        line
        for line in (REPO_ROOT / "Procfile.dev").read_text().splitlines()
        if line.startswith("web:")
    )

    assert "runserver" in web
    assert "--insecure" in web.split()


def test_the_embedded_default_writes_mail_into_var_mail_of_the_repository(tmp_path):
    # Started from another directory: the path does not depend on where a process starts.
    answer = settings_of("config.settings.local", tmp_path)

    assert answer["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert answer["EMAIL_FILE_PATH"] == str(REPO_ROOT / "var" / "mail")


@pytest.mark.parametrize("module", ["config.settings.local", "config.settings.production"])
def test_an_absolute_filemail_url_gives_that_absolute_path(tmp_path, module):
    # django-environ alone reads filemail:///srv/portal/mail as "srv/portal/mail", relative to the
    # directory the process started in.
    mail_dir = tmp_path / "srv" / "portal" / "mail"
    production = {
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "portal.example.ru",
        "SITE_URL": "https://portal.example.ru",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "CACHE_URL": "redis://127.0.0.1:6379/1",
    }

    answer = settings_of(module, tmp_path, EMAIL_URL=f"filemail://{mail_dir}", **production)

    assert answer["EMAIL_BACKEND"] == "django.core.mail.backends.filebased.EmailBackend"
    assert answer["EMAIL_FILE_PATH"] == str(mail_dir)


def test_a_relative_filemail_url_is_read_from_the_repository(tmp_path):
    answer = settings_of("config.settings.local", tmp_path, EMAIL_URL="filemail://var/other-mail")

    assert answer["EMAIL_FILE_PATH"] == str(REPO_ROOT / "var" / "other-mail")


def test_a_missing_page_is_the_portals_own_russian_page(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][:1] == ["404.html"]
    content = response.content.decode()
    assert "Страница не найдена" in content
    assert "urlpatterns" not in content and "URLconf" not in content
