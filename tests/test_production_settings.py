"""config.settings.production: passes `check --deploy` cleanly and refuses to start without secrets.

Each case runs manage.py in a subprocess, because settings are read once per process. The child gets
an environment built from scratch, and `.env` reading is switched off in it: a developer's `.env`
(read by base.py with overwrite=False) must neither supply a variable a test leaves out nor add,
say, DJANGO_SECURE_SSL_REDIRECT=False to a check that must be clean.
"""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent

# manage.py, run as it is, with environ.Env.read_env made a no-op first.
_MANAGE_WITHOUT_DOTENV = (
    "import runpy, sys, environ; "
    "environ.Env.read_env = lambda *args, **kwargs: None; "
    "sys.argv[0] = 'manage.py'; "
    "runpy.run_path('manage.py', run_name='__main__')"
)

REQUIRED = [
    "DJANGO_SECRET_KEY",
    "DATABASE_URL",
    "CELERY_BROKER_URL",
    "CACHE_URL",
    "EMAIL_URL",
    "DJANGO_ALLOWED_HOSTS",
    "SITE_URL",
]


@pytest.fixture
def production_env(tmp_path):
    """A complete, valid production environment, and nothing else from the caller's."""
    env = {
        name: os.environ[name]
        for name in ("PATH", "HOME", "SYSTEMROOT", "TMPDIR")
        if name in os.environ
    }
    env.update(
        LANG="C.UTF-8",
        PYTHONDONTWRITEBYTECODE="1",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        CACHE_URL="redis://127.0.0.1:6379/1",
        EMAIL_URL="smtp://mailpit:1025",
        DJANGO_ALLOWED_HOSTS="portal.example.ru",
        SITE_URL="https://portal.example.ru",
        DJANGO_STATIC_ROOT=str(tmp_path / "static"),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
    )
    return env


def manage(env, *args, timeout=120):
    return subprocess.run(
        [sys.executable, "-c", _MANAGE_WITHOUT_DOTENV, *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def test_check_deploy_passes_without_warnings(production_env):
    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_plain_http_trial_warns_only_about_the_ssl_redirect(production_env):
    # .env.example documents DJANGO_SECURE_SSL_REDIRECT=False for a trial over plain HTTP.
    production_env["DJANGO_SECURE_SSL_REDIRECT"] = "False"

    result = manage(production_env, "check", "--deploy", "--fail-level", "WARNING")

    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "security.W008" in output
    assert "identified 1 issue" in output, output


@pytest.mark.parametrize("variable", REQUIRED)
def test_start_fails_naming_the_missing_variable(production_env, variable):
    del production_env[variable]

    result = manage(production_env, "check")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_collected_static_healthz_over_http_and_the_https_redirect(production_env):
    static_root = Path(production_env["DJANGO_STATIC_ROOT"])
    # The web container's healthcheck asks http://127.0.0.1:8000/healthz with the first allowed
    # host as Host: it must get the health answer, not the redirect to HTTPS. Any other page over
    # plain HTTP is redirected, and a request the TLS proxy marks with X-Forwarded-Proto is not.
    script = (
        "import json; from django.test import Client; "
        "c = Client(HTTP_HOST='portal.example.ru', raise_request_exception=False); "
        "h = c.get('/healthz'); r = c.get('/no-such-page/'); "
        "p = c.get('/no-such-page/', headers={'X-Forwarded-Proto': 'https'}); "
        "print(json.dumps({'healthz': h.status_code, 'body': h.json(), "
        "'plain': r.status_code, 'location': r.get('Location'), 'proxied': p.status_code}))"
    )
    # What the image's build step does before gunicorn starts: collectstatic (the manifest storage
    # renders no page without it). The health check and these pages read no table, so the
    # database is left empty (tests/test_migrations.py replays the migrations).
    prepared = manage(production_env, "collectstatic", "--noinput")
    assert prepared.returncode == 0, prepared.stderr
    # Only the hashed names are kept, compressed (gzip; Brotli too where the Brotli package is
    # installed); source maps are not compressed (production.py).
    bootstrap = {path.name for path in (static_root / "vendor" / "bootstrap").iterdir()}
    assert "bootstrap.min.css" not in bootstrap
    assert any(name.endswith(".css.gz") for name in bootstrap), bootstrap
    assert not any(name.endswith((".map.gz", ".map.br")) for name in bootstrap), bootstrap

    result = manage(production_env, "shell", "--no-imports", "-c", script)

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert answer["healthz"] in (200, 503), answer  # 503 only when no Redis runs here
    assert answer["body"]["database"] == "ok", answer
    assert answer["plain"] == 301, answer
    assert answer["location"] == "https://portal.example.ru/no-such-page/", answer
    assert answer["proxied"] == 404, answer


def test_a_cache_in_one_process_memory_is_refused_by_check_deploy(production_env):
    # Rate limits and shared page data must be the same in every process (networks/checks.py).
    production_env["CACHE_URL"] = "locmemcache://"

    result = manage(production_env, "check", "--deploy")

    assert result.returncode != 0
    assert "networks.E001" in result.stderr + result.stdout


def test_production_has_no_developer_tooling(production_env):
    # Demo data, the scale generator and the benchmark's floor views live in devdata, which the
    # local, test and bench settings install and production never does: no `load_demo` on a
    # live database, no floor view reachable.
    script = (
        "import json; from django.conf import settings; from django.core.management import "
        "get_commands; print(json.dumps({'apps': settings.INSTALLED_APPS, "
        "'commands': sorted(get_commands())}))"
    )

    result = manage(production_env, "shell", "--no-imports", "-c", script)

    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout.strip().splitlines()[-1])
    assert "devdata" not in answer["apps"]
    assert not {"load_demo", "generate_scale"} & set(answer["commands"])
    assert "send_reminders" in answer["commands"]  # the check sees the domain's own commands
