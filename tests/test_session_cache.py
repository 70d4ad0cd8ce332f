"""config.sessions (issue 19): in production a page reads its session from the shared cache, the
database row stays the record, and a cache that fails never fails a page or keeps a sign-out
from taking effect."""

import json

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.test_production_settings import manage, production_env  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

HOME = reverse("home")


@pytest.fixture
def cached_sessions(settings):
    settings.SESSION_ENGINE = "config.sessions"
    settings.SESSION_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


def session_queries(client, url=HOME) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response.status_code, [q["sql"] for q in queries if "django_session" in q["sql"]]


def test_a_signed_in_page_reads_its_session_from_the_cache_not_the_database(
    cached_sessions, client
):
    client.force_login(UserFactory())
    assert session_queries(client)[0] == 200
    status, second = session_queries(client)
    assert status == 200 and second == []


def test_a_session_missing_from_the_cache_is_read_from_its_row(cached_sessions, client):
    client.force_login(UserFactory())
    cache.clear()  # Redis restarted empty
    status, read = session_queries(client)
    assert status == 200 and len(read) == 1
    assert session_queries(client)[1] == []


def test_signing_out_ends_the_session_in_the_cache_too(cached_sessions, client):
    client.force_login(UserFactory())
    assert client.get(HOME).status_code == 200
    old = client.cookies["sessionid"].value
    client.post(reverse("account_logout"))
    client.cookies["sessionid"] = old  # somebody kept the old cookie
    response = client.get(HOME)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]


class Broken:
    def __getattr__(self, name):
        def fail(*args, **kwargs):
            raise ConnectionError("Redis is down")

        return fail


def test_a_failing_cache_never_fails_a_page_nor_a_sign_out(cached_sessions, client, monkeypatch):
    client.force_login(UserFactory())
    # Every cache call of the session store raises, as the Redis client does when Redis is down.
    monkeypatch.setattr("django.contrib.sessions.backends.cached_db.caches", {"default": Broken()})
    status, read = session_queries(client)
    assert status == 200 and len(read) == 1  # the row answered
    client.post(reverse("account_logout"))
    response = client.get(HOME)
    assert response.status_code == 302


def test_a_cache_entry_lives_session_cache_seconds_at_most(cached_sessions, client, monkeypatch):
    timeouts = []
    original = cache.set

    def recording(key, value, timeout=None, *args, **kwargs):
        if "sessions" in key:
            timeouts.append(timeout)
        return original(key, value, timeout, *args, **kwargs)

    monkeypatch.setattr(cache, "set", recording)
    client.force_login(UserFactory())
    cache.clear()
    client.get(HOME)
    assert timeouts and all(0 < t <= 300 for t in timeouts)


def test_production_reads_sessions_from_redis(production_env):  # noqa: F811
    code = (
        "from django.conf import settings; import json; "
        "print(json.dumps([settings.SESSION_ENGINE, settings.SESSION_CACHE_SECONDS]))"
    )
    result = manage(production_env, "shell", "-c", code)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == ["config.sessions", 300]
